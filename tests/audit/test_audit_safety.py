"""Safe by default: the audit view answers writes with 405 (no traceback), every response carries
security headers, and the temporary copy is gone however the server is stopped."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import time

import pytest

from tests.audit.conftest import free_port, hrgov_audit_command

HEADERS = {
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
}

WRITES = [
    ("post", "/ledger/milestones"),
    ("post", "/ledger/overdue_milestones"),
    ("post", "/ledger/-/create"),
    ("post", "/ledger/milestones/-/insert"),
    ("post", "/ledger/milestones/MS-2026-0001/-/delete"),
    ("post", "/ledger/milestones/MS-2026-0001/-/update"),
    ("post", "/ledger/milestones/-/drop"),
    ("put", "/ledger/milestones"),
    ("delete", "/ledger/milestones/MS-2026-0001"),
    ("patch", "/ledger/records"),
]


def request(client, method: str, path: str, **kwargs):
    return asyncio.run(client.ds.client.request(method, path, **kwargs))


@pytest.mark.parametrize(("method", "path"), WRITES, ids=[f"{m} {p}" for m, p in WRITES])
def test_writes_are_refused_with_405(client, method, path):
    response = request(client, method, path, data={"sql": "DELETE FROM milestones"})
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD"
    assert "read-only" in response.text and "Traceback" not in response.text
    for name, value in HEADERS.items():
        assert response.headers[name] == value


def test_the_copy_is_unchanged_after_the_writes(client, scenario):
    for method, path in WRITES:
        request(client, method, path)
    rows = client.rows("/ledger/milestones", _col="id")
    assert scenario.slipped_milestone in {r["id"] for r in rows}


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/ledger",
        "/ledger/milestones",
        "/ledger/milestones/MS-2026-0001",
        "/ledger/milestones.json",
        "/ledger/overdue_milestones",
        "/ledger/overdue_milestones.csv",
        "/ledger?sql=select+1",
        "/-/static/app.css",
        "/no/such/page",
    ],
)
def test_every_response_carries_the_security_headers(client, path):
    response = client.get(path)
    assert response.status_code in (200, 404), (path, response.status_code)
    for name, value in HEADERS.items():
        assert response.headers[name] == value, (path, name)
    policy = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy and "default-src 'self'" in policy
    assert "object-src 'none'" in policy


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["sigterm", "ctrl-c"])
def test_a_signal_while_the_copy_is_built_leaves_nothing_behind(scenario, tmp_path, stop):
    """The signal comes as soon as the temporary folder exists (the copy is being built)."""
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    process = subprocess.Popen(
        [*hrgov_audit_command(), "--ledger", str(scenario.root), "audit",
         "--port", str(free_port())],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "TMPDIR": str(scratch)},
    )
    try:
        deadline = time.monotonic() + 60
        while not any(scratch.iterdir()) and process.poll() is None:
            assert time.monotonic() < deadline, "no temporary folder appeared"
            time.sleep(0.005)
        process.send_signal(stop)
        out, err = process.communicate(timeout=120)  # a loaded machine builds slowly
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert "Traceback" not in err.decode(), err.decode()
    assert process.returncode in (0, 130), err.decode()
    assert sorted(str(p.relative_to(scratch)) for p in scratch.rglob("*")) == []
