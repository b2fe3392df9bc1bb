"""End to end: the real ``hrgov audit`` process serves the JSON API over HTTP on a free loopback
port, answers writes with 405 (and no traceback on its console), and stops cleanly on Ctrl-C
(SIGINT) or SIGTERM, leaving nothing behind."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import urllib.error
import urllib.request

import pytest

from tests.audit.conftest import start_audit


def get_json(url: str):
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.status == 200
        return json.loads(response.read())


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_the_real_server_serves_json_and_stops_cleanly(scenario, tmp_path, stop):
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    url, process, port = start_audit(scenario.root, scratch)
    try:
        assert url == f"http://127.0.0.1:{port}/"
        rows = get_json(url + "ledger/milestone_status.json?_shape=array")
        assert {row["id"] for row in rows} == {
            scenario.slipped_milestone, scenario.done_milestone, scenario.linked_milestone,
            scenario.registers.finding_milestone,
        }
        overdue = get_json(url + "ledger/overdue_milestones.json?_shape=array&as_of=2026-04-01")
        assert [row["milestone"] for row in overdue] == [scenario.slipped_milestone]
        for path in ("ledger/milestones", "ledger/overdue_milestones", "ledger/-/create"):
            post = urllib.request.Request(url + path, data=b"sql=select+1", method="POST")
            with pytest.raises(urllib.error.HTTPError) as refused:  # read-only: no traceback
                urllib.request.urlopen(post, timeout=10)
            assert refused.value.code == 405
            assert refused.value.headers["X-Frame-Options"] == "DENY"
        versions = get_json(url + "-/versions.json")
        assert versions["datasette"]["version"].startswith("0.65")
        assert any(scratch.iterdir())  # the audit copy being served
    finally:
        process.send_signal(stop)
        try:
            code = process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            raise
        err = process.stderr.read().decode()
        process.stdout.close()
        process.stderr.close()
    assert code == 0, err
    assert "Stopped the audit view." in err and "Traceback" not in err
    assert not any(scratch.iterdir())  # the copy is gone with the server
    with socket.socket() as probe:  # nothing listens there any more
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(("127.0.0.1", port))
        probe.listen()
