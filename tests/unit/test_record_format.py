"""The record file format: ``records.dumps`` lays out records by hand for speed, and must write
exactly the bytes ``json.dumps(…, ensure_ascii=False, sort_keys=True, indent=2)`` writes, for
every record and whatever its unknown fields hold; ``records.read_back`` hands a change's own
records to the index only when they read back exactly as written."""

import json
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hrgov import records
from hrgov.errors import HrgovError
from hrgov.model import KINDS, id_year, validate


def reference(record) -> bytes:
    return (json.dumps(record, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode()


# Texts with every kind of escape: quotes, backslashes, control characters, line and
# paragraph separators, non-ASCII letters and emoji (surrogates cannot be written as UTF-8).
TEXT = st.text(
    st.characters(exclude_categories=("Cs",))
    | st.sampled_from(['"', "\\", "\n", "\t", "\x00", "\x1f", "\x7f", "\u2028", "é", "😀"]),
    max_size=12,
)
KEY = TEXT | st.sampled_from(["id", "kind", "title", "due", "slips", "a", "A", "_", "é"])
SCALAR = (
    TEXT
    | st.booleans()
    | st.none()
    | st.integers()
    | st.integers(min_value=-(10**60), max_value=10**60)
)
# What a JSON file may hold, floats included (left to json.dumps, as are tuples).
VALUE = st.recursive(
    SCALAR | st.floats(),
    lambda inner: st.lists(inner, max_size=4)
    | st.tuples(inner, inner)
    | st.dictionaries(KEY, inner, max_size=4),
    max_leaves=25,
)
PLAIN = st.recursive(
    SCALAR,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEY, inner, max_size=4),
    max_leaves=25,
)
SLIP = st.fixed_dictionaries({"from": TEXT, "to": TEXT, "reason": TEXT, "on": TEXT})
RECORD = st.fixed_dictionaries(
    {"kind": st.sampled_from(["milestone", "decision"]), "id": TEXT},
    optional={
        "title": TEXT,
        "commitments": st.lists(TEXT, max_size=3),
        "slips": st.lists(SLIP, max_size=3),
        "findings": st.lists(st.dictionaries(KEY, TEXT | st.lists(TEXT)), max_size=3),
        "public": st.booleans(),
        "nothing": st.none() | st.just([]) | st.just({}),
    },
)


@given(st.one_of(RECORD, st.dictionaries(KEY, PLAIN, max_size=8)))
def test_a_record_of_plain_values_is_written_as_json_writes_it(record):
    assert records.dumps(record) == reference(record)


@given(st.dictionaries(KEY, VALUE, max_size=6))
def test_any_record_is_written_as_json_writes_it(record):
    assert records.dumps(record) == reference(record)


@pytest.mark.parametrize(
    "record",
    [
        {},
        {"a": {}, "b": [], "c": [[]], "d": [{}], "e": {"f": {"g": []}}},
        {"n": 10**300, "m": -(10**200), "z": 0, "t": True, "f": False, "x": None},
        {"x": 1.5, "y": [0.1, -0.0, 1e300]},
        {"nan": math.nan, "inf": [math.inf, -math.inf]},
        {"tuple": (1, "a"), "nested": [("b",)]},
        {1: "one", 2: "two"},
        {"a": {1: "x", 2.5: "y", False: "z"}, "b": {None: "w"}},
        {"deep": json.loads("[" * 40 + "]" * 40)},
        {"deeper": json.loads("[" * 200 + "]" * 200)},
        {"deep": json.loads('{"a":' * 40 + "1" + "}" * 40)},
    ],
)
def test_unusual_records_are_written_as_json_writes_them(record):
    assert records.dumps(record) == reference(record)


def test_what_json_refuses_is_refused_alike():
    cycle: dict = {"kind": "department"}
    cycle["self"] = cycle
    with pytest.raises(ValueError, match="Circular"):
        records.dumps(cycle)
    with pytest.raises(TypeError):
        records.dumps({"a": 1, 2: "b"})
    with pytest.raises(TypeError):
        records.dumps({"a": {1, 2}})
    with pytest.raises(TypeError):
        records.dumps({"a": [object()]})
    with pytest.raises(ValueError):  # more digits than Python turns into text
        records.dumps({"a": 10**5000})


def test_a_record_reads_back_only_as_it_was_written():
    record = validate({"kind": "department", "id": "legal", "name": "Légal \"L\" \\ 😀"})
    data = records.dumps(record)
    parsed, text = records.read_back(record, data)
    assert parsed == record and text == data.decode()
    changed = {**record, "name": "Other"}
    assert records.read_back(changed, data) is None
    # Values that do not survive the file as written: the index reads those as a rebuild does.
    for odd in ({"x": (1, 2)}, {"x": math.inf}, {"x": math.nan}, {"x": {1: "a"}},
                {"x": json.loads("[" * 70 + "]" * 70)}):
        unusual = {**record, **odd}
        assert records.read_back(unusual, records.dumps(unusual)) is None


DEPARTMENT = st.builds(
    lambda name, extra: {**extra, "kind": "department", "id": "legal", "name": name},
    TEXT,
    st.dictionaries(KEY, VALUE, max_size=3),
)


@given(DEPARTMENT)
def test_read_back_agrees_with_what_a_rebuild_reads(record):
    from hrgov.index import _valid_record

    try:
        record = validate(record)
    except HrgovError:
        return
    data = records.dumps(record)
    found = records.read_back(record, data)
    # Whatever it hands over is what a rebuild reads; for what it declines, the index reads
    # the file itself.
    assert found is None or found == _valid_record(data, "record")
    if plain(record):
        assert found is not None


def plain(value, depth: int = 1) -> bool:
    """Made only of what a JSON file reads back as, and nested no deeper than a record may be."""
    if type(value) is list:
        return depth <= records.MAX_NESTING and all(plain(item, depth + 1) for item in value)
    if type(value) is dict:
        return depth <= records.MAX_NESTING and all(
            type(key) is str and plain(item, depth + 1) for key, item in value.items()
        )
    return value is None or type(value) in (str, int, bool)


YEARS = st.sampled_from(["2026", "0999", "0000", "٢٠٢٦", "202"]) | st.text("0123456789", max_size=5)
NUMBERS = st.sampled_from(["0001", "01", "1", "123456", "1234567", "03-04", "02-30", "13-01"])


@st.composite
def kinds_and_ids(draw):
    kind = KINDS[draw(st.sampled_from(sorted(KINDS)))]
    prefix = kind.id_prefix if kind.dated and draw(st.booleans()) else draw(st.sampled_from(
        ["D", "MS", "MTG", "X", "legal"]))
    return kind.name, draw(st.builds("{}-{}-{}".format, st.just(prefix), YEARS, NUMBERS)
                           | st.text(max_size=10) | st.sampled_from(["legal", "a-b"]))


@given(kinds_and_ids())
def test_a_record_lives_in_the_folder_of_the_year_its_id_carries(kind_and_id):
    kind, record_id = kind_and_id
    try:
        path = records.path_for(kind, record_id)
    except HrgovError:
        return
    if KINDS[kind].dated:
        expected = f"records/{KINDS[kind].plural}/{id_year(record_id):04d}/{record_id}.json"
    else:
        expected = f"records/{KINDS[kind].plural}/{record_id}.json"
    assert path == expected
