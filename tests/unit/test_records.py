"""Where records live: the quick pattern that settles most paths in a rebuild must agree with
the full check of ids and folders on every path."""

from hypothesis import given
from hypothesis import strategies as st

from hrgov import records
from hrgov.errors import HrgovError
from hrgov.model import KIND_BY_PLURAL


def full_check(path: str) -> str | None:
    parts = path.split("/")
    if len(parts) < 3 or parts[0] != "records" or not parts[-1].endswith(".json"):
        return None
    kind = KIND_BY_PLURAL.get(parts[1])
    if kind is None:
        return None
    try:
        return kind.name if records.path_for(kind.name, parts[-1][:-5]) == path else None
    except HrgovError:
        return None


YEARS = st.sampled_from(["2016", "2026", "0999", "202", "20266", "٢٠٢٦", "2026\n"])
IDS = st.one_of(
    st.builds(lambda p, y, n: f"{p}-{y}-{n}", st.sampled_from(["D", "MS", "HRI", "HRIA", "G",
              "R", "MTG", "X", "d"]), YEARS, st.sampled_from(["0001", "01", "1", "1234567"])),
    st.builds(lambda y, d: f"MTG-{y}-{d}", YEARS,
              st.sampled_from(["03-04", "02-30", "13-01", "03-04-2", "03-04-1", "03-04-100"])),
    st.sampled_from(["legal", "trust-and-safety", "Legal", "-x", "a" * 63, "a" * 64, "..", ""]),
    st.text(max_size=8),
)
PATHS = st.builds(
    lambda plural, year, record_id: "/".join(
        ["records", plural, *([year] if year else []), f"{record_id}.json"]
    ),
    st.sampled_from([*KIND_BY_PLURAL, "decision", "other"]),
    st.none() | YEARS,
    IDS,
)


@given(PATHS)
def test_the_quick_pattern_agrees_with_the_full_check(path):
    assert records.kind_of_path(path) == full_check(path)


def test_a_record_is_only_where_its_id_says():
    assert records.kind_of_path("records/decisions/2026/D-2026-0001.json") == "decision"
    assert records.kind_of_path("records/decisions/2025/D-2026-0001.json") is None
    assert records.kind_of_path("records/meetings/2026/MTG-2026-02-30.json") is None
    assert records.kind_of_path("records/departments/legal.json") == "department"
    assert records.kind_of_path("records/departments/2026/legal.json") is None
    assert records.kind_of_path("records/decisions/٢٠٢٦/D-٢٠٢٦-0001.json") is None
    assert records.kind_of_path("records/departments/legal\n.json") is None
