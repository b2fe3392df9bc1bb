# Set-up and checks. Needs only Python >= 3.11, git and make.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DEMO_DIR ?= demo-ledger

.PHONY: demo test lint bench clean

$(BIN)/hrgov: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

## demo: install, build a sample ledger in ./demo-ledger and say what to try next
demo: $(BIN)/hrgov
	rm -rf $(DEMO_DIR)
	$(BIN)/hrgov demo $(DEMO_DIR)
	@echo "(hrgov is installed in $(BIN): run '. $(BIN)/activate' to have it on your PATH)"

## test: install with the test extras, lint, run the whole suite
test: $(BIN)/hrgov lint
	$(BIN)/python -m pytest -q

lint: $(BIN)/hrgov
	$(BIN)/ruff check .

## bench: measure the performance budget (SIZES="1000 10000 100000")
bench: $(BIN)/hrgov
	$(BIN)/python bench/budget.py $(if $(SIZES),--sizes $(SIZES))

clean:
	rm -rf $(VENV) $(DEMO_DIR) build *.egg-info .pytest_cache
