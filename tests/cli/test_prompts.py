"""On a terminal, ``log decision`` asks for what is missing, again after a wrong answer, and
Ctrl-C ends it with exit 130 and nothing written. Run on a real pseudo-terminal."""

import os
import select
import signal
import subprocess
import time

from tests.conftest import HRGOV, commit_count, state


def on_a_terminal(ledger_root, *args, answers: str = "", interrupt_at: str | None = None):
    """Run the installed hrgov on a pseudo-terminal, typing ``answers``; with
    ``interrupt_at``, send SIGINT (Ctrl-C) once that text is shown. Returns (code, screen)."""
    leader, follower = os.openpty()
    env = {**os.environ, "TERM": "xterm", "HRGOV_LEDGER": str(ledger_root)}
    # As from a person's shell: Ctrl-C not ignored, even when the suite itself was started
    # as a background job (which ignores SIGINT, and so would every process it starts).
    process = subprocess.Popen([HRGOV, *args], stdin=follower, stdout=follower,
                               stderr=follower, env=env, close_fds=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    os.close(follower)
    if answers:
        os.write(leader, answers.encode())
    screen, interrupted = b"", 0.0
    deadline = time.monotonic() + 300  # a loaded machine is slow, never wrong
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the terminal closed: the command ended
                break
            if not chunk:
                break
            screen += chunk
        # A Ctrl-C that lands after the prompt is printed but before the terminal is read
        # waits in Python until the read returns: a person presses it again, and so does
        # this (every 2 s while the command still runs).
        if (interrupt_at and interrupt_at.encode() in screen
                and time.monotonic() - interrupted > 2 and process.poll() is None):
            process.send_signal(signal.SIGINT)
            interrupted = time.monotonic()
        if process.poll() is not None and not ready:
            break
    try:
        code = process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        raise AssertionError(f"hrgov did not end; the terminal showed: {screen!r}") from None
    finally:
        os.close(leader)
    return code, screen.decode(errors="replace")


def test_prompts_ask_again_and_offer_meeting_commitments_and_owner(hrgov, ledger_root):
    assert hrgov("log", "meeting", "--date", "2026-03-04").code == 0
    answers = ("Adopt screening\nMTG-2026-03-05\nMTG-2026-03-04\nongoing-hrd\nongoing-hrdd\n"
               "legl\nlegal\n")
    code, screen = on_a_terminal(ledger_root, "log", "decision", answers=answers)
    assert code == 0, screen
    assert "Meeting (latest: MTG-2026-03-04" in screen
    assert "did you mean ongoing-hrdd?" in screen and "did you mean legal?" in screen
    decision = hrgov("show", "D-2026-0001", "--format", "json").json[0]
    assert (decision["title"], decision["meeting"], decision["commitments"], decision["owner"]) \
        == ("Adopt screening", "MTG-2026-03-04", ["ongoing-hrdd"], "legal")


def test_a_wrong_date_at_the_prompt_is_asked_again_and_the_title_kept(hrgov, ledger_root):
    code, screen = on_a_terminal(ledger_root, "log", "decision",
                                 answers="Adopt screening\n\n2026-02-30\n2026-02-03\n\n\n")
    assert code == 0, screen
    assert "not a real date" in screen
    decision = hrgov("show", "D-2026-0001", "--format", "json").json[0]
    assert (decision["title"], decision["date"]) == ("Adopt screening", "2026-02-03")
    assert "names no meeting, commitment or owner" in screen


def test_ctrl_c_at_a_prompt_exits_130_and_writes_nothing(ledger_root):
    before, commits = state(ledger_root), commit_count(ledger_root)
    code, screen = on_a_terminal(ledger_root, "log", "decision", interrupt_at="Title")
    assert code == 130, screen
    assert "hrgov: error: aborted" in screen and "Traceback" not in screen
    assert (state(ledger_root), commit_count(ledger_root)) == (before, commits)


def test_without_a_terminal_nothing_is_asked(hrgov, ledger_root):
    result = hrgov("log", "decision", "Adopt screening")
    assert result.code == 2 and "missing --date" in result.err
