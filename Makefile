# Set-up and checks. Needs only Python >= 3.11, git and make.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DEMO_DIR ?= demo-ledger

.PHONY: demo test check test-browser lint bytecode bench clean

# pip says nothing but errors (-qq): the one line after it says what was installed where.
PIP := $(BIN)/python -m pip --disable-pip-version-check -qq

$(BIN)/hrgov: pyproject.toml
	@echo "Installing hrgov and its test tools in $(VENV) (a minute or two the first time)..."
	@$(PYTHON) -m venv $(VENV)
	@$(PIP) install --upgrade pip
	@$(PIP) install -e '.[test]'
	@touch $@
	@echo "hrgov $$($(BIN)/hrgov --version | cut -d' ' -f2) is installed: $(BIN)/hrgov"

AUDIT_PORT ?= 8001
# sudo -n: never wait for a password (in CI there is no one to type it)
SUDO := $(if $(filter 0,$(shell id -u)),,sudo -n)

## demo: install, build a sample ledger in ./demo-ledger with its Board briefing, say what to
## try next, then serve its audit view (Ctrl-C stops it)
demo: $(BIN)/hrgov bytecode
	@rm -rf $(DEMO_DIR) $(DEMO_DIR)-briefing.docx
	@echo "Building the demo ledger in $(DEMO_DIR) ('. $(BIN)/activate' puts hrgov on your PATH)"
	@$(BIN)/hrgov demo $(DEMO_DIR) --port $(AUDIT_PORT)

## test-browser: install Debian's chromium if missing, then run the audit view's browser test
## (Playwright drives that chromium; it downloads no browser). SCREENSHOTS=DIR keeps screenshots
## of the record, history and dashboard pages. Where chromium cannot be installed, the test is
## skipped and says why (-rs).
BROWSER_TEST = tests/audit/test_audit_browser.py
test-browser: $(BIN)/hrgov bytecode
	@test -x /usr/bin/chromium || $(SUDO) apt-get install -y -qq --no-install-recommends chromium \
	  || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq --no-install-recommends \
	       chromium; } || echo "note: could not install chromium; the browser test will be skipped"
	PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 $(if $(SCREENSHOTS),HRGOV_SCREENSHOTS=$(SCREENSHOTS)) \
	  $(BIN)/python -m pytest -q -rs -p no:cacheprovider $(BROWSER_TEST)

# pytest-xdist workers for test and check: one per core (WORKERS=0: no workers, one process).
# --dist loadfile keeps a file's tests on one worker, so its module fixtures (a demo ledger, a
# briefing) are built once, not once per worker that gets some of its tests.
WORKERS ?= auto
XDIST = -n $(WORKERS) --dist loadfile

# Compiled once here: an editable install leaves hrgov's own modules uncompiled, and where
# PYTHONDONTWRITEBYTECODE is set every hrgov process (the tests start hundreds) would compile
# them again, a quarter of a short command's time. Python still checks each file's date.
bytecode: $(BIN)/hrgov
	@$(BIN)/python -m compileall -q -j0 hrgov commands

## test: install with the test extras, lint, run the whole suite on every core but the browser
## test (make test-browser runs that one; CI runs both)
test: $(BIN)/hrgov lint bytecode
	$(BIN)/python -m pytest -q $(XDIST) --ignore=$(BROWSER_TEST)

## check: the quick lane for the edit-test loop (a minute): lint, then the model, the rule book
## and the commands, without the tests marked slow; make test runs everything
CHECK = tests/unit tests/cli tests/integration/test_rule_book.py tests/integration/test_unit_of_work.py
check: $(BIN)/hrgov lint bytecode
	$(BIN)/python -m pytest -q $(XDIST) -m "not slow" $(CHECK)

lint: $(BIN)/hrgov
	$(BIN)/ruff check .

## bench: measure the performance budget (SIZES="1000 10000 100000")
bench: $(BIN)/hrgov bytecode
	$(BIN)/python bench/budget.py $(if $(SIZES),--sizes $(SIZES))

clean:
	rm -rf $(VENV) $(DEMO_DIR) $(DEMO_DIR)-briefing.docx build *.egg-info .pytest_cache
