"""The record file format: ``records.dumps`` lays out records by hand for speed, and must write
exactly the bytes ``json.dumps(…, ensure_ascii=False, sort_keys=True, indent=2)`` writes, for
every record and whatever its unknown fields hold."""

import json
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hrgov import records


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
