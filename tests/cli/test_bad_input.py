"""Bad input: one line ``hrgov: error: …``, exit 2, and the ledger exactly as before."""

import pytest

from tests.conftest import run_cli, state


@pytest.fixture
def busy_ledger(hrgov, ledger_root):
    """A ledger holding a meeting, an adopted decision and a milestone."""
    hrgov("log", "meeting", "--date", "2026-03-04")
    hrgov("log", "decision", "Adopt screening", "--meeting", "MTG-2026-03-04")
    hrgov("milestone", "add", "Write it", "--commitment", "ongoing-hrdd", "--due", "2026-12-01")
    return ledger_root


BAD = {
    "unknown commitment": (["log", "decision", "T", "--date", "2026-03-04", "--commitment",
                            "no-such-thing"], "no commitment no-such-thing"),
    "unknown owner": (["log", "decision", "T", "--date", "2026-03-04", "--owner", "nobody"],
                      "no department nobody"),
    "unknown meeting": (["log", "decision", "T", "--meeting", "MTG-2026-01-01"],
                        "no meeting MTG-2026-01-01"),
    "unknown superseded decision": (["log", "decision", "T", "--date", "2026-03-04",
                                     "--supersedes", "D-2026-0099"], "no decision D-2026-0099"),
    "impossible date": (["log", "decision", "T", "--date", "2026-02-30"], "not a real date"),
    "malformed date": (["log", "meeting", "--date", "04/03/2026"], "not a date"),
    "empty title": (["log", "decision", "", "--date", "2026-03-04"], "must not be empty"),
    "blank title": (["log", "decision", "   ", "--date", "2026-03-04"], "must not be empty"),
    "NUL in text": (["log", "decision", "T", "--date", "2026-03-04", "--text", "a\x00b"],
                    "control character U+0000"),
    "escape in title": (["log", "decision", "T\x1b[31m", "--date", "2026-03-04"],
                        "control character U+001B"),
    "forbidden move": (["decision", "status", "D-2026-0001", "proposed"],
                       "cannot go from adopted to proposed"),
    "unknown status": (["decision", "status", "D-2026-0001", "approved"],
                       "'approved' is not one of 'proposed', 'adopted'"),
    "superseded without successor": (["decision", "status", "D-2026-0001", "superseded"],
                                     "--by"),
    "unknown decision": (["decision", "status", "D-2026-0042", "implemented"],
                         "no decision D-2026-0042 (list them with: hrgov list decisions)"),
    "slip without reason": (["milestone", "update", "MS-ID", "--due", "2027-01-01"], "--reason"),
    "milestone bad status": (["milestone", "update", "MS-ID", "--status", "finished"],
                             "'finished' is not one of 'planned', 'in-progress'"),
    "milestone unknown commitment": (["milestone", "add", "X", "--commitment", "nope",
                                      "--due", "2026-12-01"], "no commitment nope"),
    "milestone impossible due": (["milestone", "add", "X", "--commitment", "ongoing-hrdd",
                                  "--due", "2026-04-31"], "not a real date"),
    "dotdot id": (["show", "../x"], "not a valid id"),
    "slash id": (["decision", "status", "a/b", "adopted"], "not a valid id"),
    "department slash": (["department", "add", "../etc", "--name", "X"], "not a valid id"),
    "assign to unknown department": (["commitment", "assign", "ongoing-hrdd", "ghosts"],
                                     "no department ghosts"),
    "assign traversal": (["commitment", "assign", "../../x", "legal"], "not a valid id"),
    "existing department": (["department", "add", "legal", "--name", "Legal"], "already exists"),
    "unknown format": (["list", "decisions", "--format", "xml"], "--format"),
    "unknown kind": (["list", "widgets"], "unknown kind 'widgets'"),
    "unknown body": (["log", "meeting", "--date", "2026-03-05", "--body", "parliament"],
                     "not one of"),
    "bad author": (["--as", "just a name", "log", "meeting", "--date", "2026-03-05"],
                   "Name <email>"),
    "unknown option": (["log", "decision", "T", "--colour", "red"], "No such option"),
    "at unknown revision": (["show", "D-2026-0001", "--at", "nonsense-rev"],
                            "neither a date"),
    "at impossible date": (["show", "D-2026-0001", "--at", "2026-02-30"], "not a real date"),
    "status of a milestone via decision": (["decision", "status", "MS-ID", "adopted"],
                                           "not a decision id"),
}


@pytest.mark.parametrize("case", BAD, ids=list(BAD))
def test_bad_input_is_one_line_exit_2_and_changes_nothing(case, busy_ledger, hrgov):
    args, message = BAD[case]
    milestone = hrgov("list", "milestones", "-f", "json").json[0]["id"]
    args = [milestone if a == "MS-ID" else a for a in args]
    before = state(busy_ledger)
    result = hrgov(*args)
    assert result.code == 2, (result.out, result.err)
    assert result.err.count("\n") == 1 and result.err.startswith("hrgov: error: "), result.err
    assert message in result.err
    assert "Traceback" not in result.err
    assert state(busy_ledger) == before


def test_a_path_that_is_not_a_ledger(tmp_path):
    (tmp_path / "plain").mkdir()
    # the environment, not a value typed, prevents the command: exit 1, as the README says
    result = run_cli("--ledger", str(tmp_path / "plain"), "list", "decisions")
    assert result.code == 1
    assert result.err.startswith("hrgov: error: ") and "is not an hrgov ledger" in result.err
    result = run_cli("list", "decisions")  # cwd (tmp_path) is no ledger either
    assert result.code == 1 and "hrgov init" in result.err


@pytest.mark.parametrize(
    "pack, message",
    [
        ("[pack]\nid='x'\n", "needs a [pack] table with id and title"),
        ("this is not toml", "not valid TOML"),
        ("[pack]\nid='x'\ntitle='X'\n[[commitments]]\nid='a'\ntitle='A'\nowner='ghost'\n",
         "owner names 'ghost'"),
        ("[pack]\nid='x'\ntitle='X'\n[[departments]]\nid='Bad Slug'\nname='B'\n",
         "not a lower-case slug"),
        ("[pack]\nid='x'\ntitle='X'\n[[departments]]\nid='a'\nname='A'\n[[departments]]\n"
         "id='a'\nname='B'\n", "used twice"),
        ("[pack]\nid='x'\ntitle='X'\n[[instruments]]\nid='i'\nshort_name='I'\ntitle='I'\n"
         "instrument_type='law'\n", "not one of"),
        ("[pack]\nid='x'\ntitle='X'\n[[commitments]]\nid='c'\ntitle='C'\ncolour='red'\n",
         "unknown field(s) colour"),
    ],
)
def test_a_broken_policy_pack_is_refused_and_nothing_is_created(tmp_path, pack, message):
    path = tmp_path / "pack.toml"
    path.write_text(pack)
    result = run_cli("init", str(tmp_path / "new"), "--policy", str(path))
    assert result.code == 2, result.err
    assert result.err.startswith("hrgov: error: ") and message in result.err
    assert not (tmp_path / "new").exists()


def test_init_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "notes.txt").write_text("mine")
    result = run_cli("init", str(tmp_path / "full"))
    assert result.code == 2 and "not empty" in result.err
    assert [p.name for p in (tmp_path / "full").iterdir()] == ["notes.txt"]


def test_init_accepts_an_organisations_own_pack(tmp_path):
    path = tmp_path / "ours.toml"
    path.write_text(
        "[pack]\nid='ours-2026'\ntitle='Our Human Rights Policy'\norganisation='Ours'\n"
        "[[departments]]\nid='people'\nname='People'\n"
        "[[instruments]]\nid='udhr'\nshort_name='UDHR'\ntitle='Universal Declaration'\n"
        "[[commitments]]\nid='train-staff'\ntitle='Train staff'\ntext='We train staff.'\n"
        "owner='people'\ninstruments=['udhr']\n"
    )
    result = run_cli("init", str(tmp_path / "ours"), "--policy", str(path))
    assert result.code == 0, result.err
    listed = run_cli("--ledger", str(tmp_path / "ours"), "list", "commitments", "-f", "json")
    assert [c["id"] for c in listed.json] == ["train-staff"]
    assert listed.json[0]["owner"] == "people" and listed.json[0]["status"] == "active"


def test_refusals_that_depend_on_the_ledger_state_leave_it_unchanged(busy_ledger, hrgov):
    milestone = hrgov("list", "milestones", "-f", "json").json[0]["id"]
    hrgov("milestone", "done", milestone)
    hrgov("decision", "status", "D-2026-0001", "rescinded")
    before = state(busy_ledger)
    for args in (
        ["decision", "status", "D-2026-0001", "implemented"],  # rescinded is final
        ["milestone", "update", milestone, "--status", "blocked"],  # done → blocked
        ["log", "decision", "New", "--date", "2026-04-01", "--supersedes", "D-2026-0001"],
    ):
        result = hrgov(*args)
        assert result.code == 2 and result.err.startswith("hrgov: error: "), result.err
    assert state(busy_ledger) == before


@pytest.mark.parametrize(
    "args, said",
    [
        (["log", "decision", "T", "--date", "2026-13-01"],
         "--date '2026-13-01' is not a real date"),
        (["log", "decision", "T", "--date", "2026-03-04", "--review-by", "soon"],
         "--review-by 'soon' is not a date (expected YYYY-MM-DD)"),
        (["milestone", "add", "X", "--commitment", "ongoing-hrdd", "--due", "2026-04-31"],
         "--due '2026-04-31' is not a real date"),
        (["brief", "--from", "2026-13-01", "--to", "2026-12-01", "-o", "b.docx"],
         "--from '2026-13-01' is not a real date"),
        (["brief", "--from", "2026-05-01", "--to", "2026-04-01", "-o", "b.docx"],
         "--to 2026-04-01 is before start 2026-05-01; give the earlier date first"),
        (["agenda", "--meeting-date", "18/12/2025", "-o", "a.md"],
         "--meeting-date '18/12/2025' is not a date (expected YYYY-MM-DD)"),
        (["milestone", "done", "MS-2026-0001", "--on", "2026-02-31"],
         "--on '2026-02-31' is not a real date"),
        (["list", "meetings", "--owner", "legal"],
         "--owner does not apply: meetings have no owner"),
    ],
)
def test_errors_name_the_option_the_user_typed(hrgov, ledger_root, args, said):
    result = hrgov(*args)
    assert result.code == 2
    assert result.err == f"hrgov: error: {said}\n"


def test_the_library_names_the_field_not_an_option(ledger_root):
    from hrgov import operations
    from hrgov.errors import InvalidInput
    from hrgov.ledger import Ledger

    with pytest.raises(InvalidInput) as raised:
        operations.log_decision(Ledger(ledger_root), "T", date="2026-03-04", review_by="soon")
    assert str(raised.value) == "review_by 'soon' is not a date (expected YYYY-MM-DD)"
