"""The shipped Wikimedia pack: complete, consistent, and quoting the policy's own words."""

import re
from pathlib import Path

import pytest

from hrgov import policy

POLICY_TEXT = Path(__file__).resolve().parents[3] / "shared" / "domain" / (
    "wikimedia-human-rights-policy-2021.md"
)


@pytest.fixture(scope="module")
def pack():
    return policy.load("wikimedia-2021")


def of_kind(pack, kind):
    return [r for r in pack.records if r["kind"] == kind]


def test_the_pack_cites_the_policy_instruments(pack):
    short = {r["short_name"] for r in of_kind(pack, "instrument")}
    assert {"UDHR", "ICCPR", "ICESCR", "CEDAW", "CRC", "UNGPs"} <= short
    assert len(short) == 9  # the eight the policy builds on, plus the GNI Principles
    assert any("Global Network Initiative" in r["title"] for r in of_kind(pack, "instrument"))


def test_every_commitment_has_an_owner_section_and_the_policys_words(pack):
    commitments = of_kind(pack, "commitment")
    assert len(commitments) >= 50
    departments = {r["id"] for r in of_kind(pack, "department")}
    for commitment in commitments:
        assert commitment["owner"] in departments
        assert commitment["text"] and commitment["section"] and commitment["title"]
        assert len(commitment["title"]) <= 70


def test_slugs_are_unique_across_the_pack(pack):
    ids = [r["id"] for r in pack.records]
    assert len(ids) == len(set(ids))


@pytest.mark.skipif(not POLICY_TEXT.exists(), reason="the policy text (shared/domain) is absent")
def test_every_quote_is_verbatim_from_the_policy(pack):
    def plain(text):
        text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text).replace("**", "")
        return " ".join(text.split())

    source = plain(POLICY_TEXT.read_text(encoding="utf-8"))
    for commitment in of_kind(pack, "commitment"):
        assert plain(commitment["text"]) in source, commitment["id"]


def test_shipped_packs_are_listed():
    assert "wikimedia-2021" in policy.shipped()


def test_grievance_stage_targets_are_declared_for_every_open_stage(pack):
    assert pack.stage_targets == {
        "received": 7, "acknowledged": 14, "investigating": 60, "responded": 30,
    }


@pytest.mark.parametrize(("targets", "message"), [
    ({"closed": 30}, "'closed' is not a stage with a target"),
    ({"received": 0}, "received = 0 must be a whole number of days, 1 or more"),
    ({"received": "7"}, "received = '7' must be a whole number of days"),
    ({"received": True}, "received = True must be a whole number of days"),
])
def test_a_bad_stage_target_names_the_stage(targets, message):
    data = {"pack": {"id": "example", "title": "Example"}, "grievance_stage_targets": targets}
    with pytest.raises(policy.PolicyPackError, match=re.escape(message)):
        policy.parse(data, "example.toml")
