"""``hrgov audit`` on the command line: --build, and every bad input refused with one line,
exit 2, nothing started or written."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import tempfile
from dataclasses import replace

import pytest


@pytest.fixture
def scratch(tmp_path, monkeypatch):
    """A temporary folder that must stay empty when a command is refused."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def refused(result, *words):
    assert result.code == 2, (result.code, result.err)
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("hrgov: error: "), result.err
    for word in words:
        assert word in lines[0]
    assert result.out == ""


def test_build_writes_a_bundle_datasette_can_serve(audit_cli, scenario, tmp_path):
    folder = tmp_path / "handoff"
    result = audit_cli("--ledger", str(scenario.root), "audit", "--build", str(folder))
    assert result.code == 0, result.err
    assert result.out.strip() == str(folder)
    assert "4 restricted left out" in result.err and "datasette serve" in result.err
    assert sorted(p.name for p in folder.iterdir()) == [
        "inspect-data.json", "ledger.db", "metadata.json", "plugins", "settings.json", "templates"
    ]
    metadata = json.loads((folder / "metadata.json").read_text())
    assert "allow" not in metadata and "datasette-auth-passwords" not in metadata["plugins"]
    # the bundle is a Datasette configuration directory: it serves immutable on its own
    from datasette.app import Datasette

    ds = Datasette(config_dir=folder)
    assert not ds.databases["ledger"].is_mutable
    assert ds.metadata("title").startswith("Example Foundation")
    assert ds.setting("sql_time_limit_ms") == 3000


def test_build_public_only_as_of_a_date(audit_cli, scenario, tmp_path):
    folder = tmp_path / "public"
    result = audit_cli(
        "--ledger", str(scenario.root), "audit", "--build", str(folder), "--public-only",
        "--as-of", "2026-02-01",
    )
    assert result.code == 0, result.err
    assert "non-public left out" in result.err
    import sqlite3

    conn = sqlite3.connect(folder / "ledger.db")
    assert dict(conn.execute("SELECT key, value FROM meta").fetchall())["as_of"] == "2026-02-01"
    assert {row[0] for row in conn.execute("SELECT sensitivity FROM records")} == {"public"}


def test_build_with_authentication_names_the_variable_not_the_hash(
    audit_cli, scenario, tmp_path, monkeypatch
):
    secret = "pbkdf2_sha256$1000$abcdef$c2VjcmV0aGFzaHZhbHVl"
    monkeypatch.setenv("HRGOV_AUDIT_PASSWORD_HASH", secret)
    monkeypatch.setenv("HRGOV_AUDIT_USER", "assessor")
    folder = tmp_path / "signed"
    result = audit_cli("--ledger", str(scenario.root), "audit", "--build", str(folder))
    assert result.code == 0, result.err
    text = (folder / "metadata.json").read_text()
    assert secret not in text
    metadata = json.loads(text)
    assert metadata["allow"] == metadata["allow_sql"] == {"id": ["assessor"]}
    assert metadata["plugins"]["datasette-auth-passwords"] == {
        "assessor_password_hash": {"$env": "HRGOV_AUDIT_PASSWORD_HASH"},
        "http_basic_auth": True,
    }


def test_a_path_that_is_not_a_ledger(audit_cli, tmp_path, scratch):
    result = audit_cli("--ledger", str(tmp_path), "audit")
    assert result.code == 1  # no ledger there: the environment, not a value, is wrong
    refused(replace(result, code=2), "is not an hrgov ledger")
    assert not any(scratch.iterdir())


@pytest.mark.parametrize("option", ["--at", "--as-of"])
@pytest.mark.parametrize("value", ["no-such-revision", "1999-12-31", "2026-02-30"])
def test_an_unknown_at(audit_cli, scenario, scratch, option, value):
    refused(audit_cli("--ledger", str(scenario.root), "audit", option, value))
    assert not any(scratch.iterdir())


@pytest.mark.parametrize("host", ["0.0.0.0", "192.0.2.10", "::", "audit.example.org"])
def test_a_host_beyond_this_machine_needs_authentication(audit_cli, scenario, scratch, host):
    refused(
        audit_cli("--ledger", str(scenario.root), "audit", "--host", host),
        f"--host {host}", "HRGOV_AUDIT_PASSWORD_HASH",
    )
    assert not any(scratch.iterdir())


def test_a_malformed_password_hash(audit_cli, scenario, scratch, monkeypatch):
    monkeypatch.setenv("HRGOV_AUDIT_PASSWORD_HASH", "hunter2")
    refused(
        audit_cli("--ledger", str(scenario.root), "audit", "--host", "0.0.0.0"),
        "HRGOV_AUDIT_PASSWORD_HASH does not hold a password hash", "datasette hash-password",
    )
    assert "hunter2" not in audit_cli("--ledger", str(scenario.root), "audit").err


def test_a_port_in_use(audit_cli, scenario, scratch):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = audit_cli("--ledger", str(scenario.root), "audit", "--port", str(port))
        assert result.code == 1  # the machine, not the input, is in the way
        refused(replace(result, code=2), f"port {port}", "in use", "--port")
    assert not any(scratch.iterdir())


def test_a_port_out_of_range(audit_cli, scenario):
    result = audit_cli("--ledger", str(scenario.root), "audit", "--port", "70000")
    assert result.code == 2 and result.err.startswith("hrgov: error: ")


def test_build_refuses_a_folder_holding_other_files(audit_cli, scenario, tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "report.docx").write_bytes(b"keep me")
    refused(
        audit_cli("--ledger", str(scenario.root), "audit", "--build", str(folder)),
        "holds other files",
    )
    assert [p.name for p in folder.iterdir()] == ["report.docx"]


def test_the_help_leads_with_examples(audit_cli):
    result = audit_cli("audit", "--help")
    assert result.code == 0
    assert "Example:" in result.out and "hrgov audit --open" in result.out
    for option in ("--port", "--host", "--at", "--as-of", "--public-only", "--open", "--build"):
        assert option in result.out


def test_the_command_module_loads_no_heavy_library():
    code = (
        "import sys, hrgov.commands.audit; "
        "print(sorted({'datasette', 'uvicorn', 'yaml', 'hrgov.audit'} & set(sys.modules)))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_ci_runs_the_browser_test_after_the_suite():
    """make test leaves the browser test out; CI runs make test, then make test-browser."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    steps = [line.strip() for line in (root / ".ci" / "run").read_text().splitlines()]
    assert steps.index("make test-browser") > steps.index("make test")
    makefile = (root / "Makefile").read_text()
    assert "--ignore=$(BROWSER_TEST)" in makefile
    assert "BROWSER_TEST = tests/audit/test_audit_browser.py" in makefile
