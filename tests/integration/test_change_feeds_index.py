"""A change hands the records it validated to the index instead of having it read and validate
their files again: the index must stay what a rebuild gives, including when a record no longer
matches the bytes written for it or holds what its file cannot say."""

import math

import pytest

from hrgov import records
from hrgov.ledger import Ledger
from tests.conftest import rebuilt_snapshot, snapshot


def department(name: str, **extra) -> dict:
    return {"kind": "department", "id": "records-office", "name": name, **extra}


def test_a_change_of_plain_records_is_indexed_as_a_rebuild_indexes_it(ledger_root, tmp_path):
    ledger = Ledger(ledger_root)
    with ledger.change("add departments") as tx:
        tx.put(department("Records « Office » \\ 😀", note={"tags": ["a", "b"], "n": 10**30}))
        tx.put({"kind": "department", "id": "archive", "name": "Archive", "extra": [[], {}]})
    assert snapshot(ledger_root) == rebuilt_snapshot(ledger_root, tmp_path)


def test_a_record_changed_after_it_was_staged_is_indexed_from_its_file(ledger_root, tmp_path):
    ledger = Ledger(ledger_root)
    with ledger.change("add department") as tx:
        staged = tx.put(department("Records Office"))
        staged["name"] = "Renamed after staging"
    assert snapshot(ledger_root) == rebuilt_snapshot(ledger_root, tmp_path)
    assert ledger.record("records-office")["name"] == "Records Office"


@pytest.mark.parametrize(
    "extra",
    [{"odd": (1, 2)}, {"odd": 1.5}, {"odd": math.inf}, {"odd": {7: "seven"}}],
)
def test_values_a_file_cannot_hold_as_they_are_are_indexed_as_a_rebuild_reads_them(
    ledger_root, tmp_path, extra
):
    ledger = Ledger(ledger_root)
    with ledger.change("add department") as tx:
        tx.put(department("Records Office", **extra))
    assert snapshot(ledger_root) == rebuilt_snapshot(ledger_root, tmp_path)
    path = ledger_root / records.path_for("department", "records-office")
    assert path.read_bytes() == records.dumps(department("Records Office", sensitivity="internal",
                                                         **extra))
