"""The reporting frameworks as data: the UNGP Reporting Framework, ESRS S1–S4 and the CSDDD,
read from the TOML files shipped in ``data/frameworks/``; and references to their questions
(``ungprf:C4``), which any record may carry in ``framework_refs``.

Pure, like the model: it reads only hrgov's own shipped data, never the ledger::

    >>> load_framework("ungprf").questions[0].id
    'A1'
    >>> canonical_ref("UNGPRF:c4")
    'ungprf:C4'
    >>> ref_problem("ungprf:C9")[:32]
    'no question C9 in ungprf (its qu'
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from hrgov.errors import InvalidInput

FRAMEWORK_FILES = {"ungprf": "ungprf.toml", "esrs": "esrs-s1-s4.toml", "csddd": "csddd.toml"}
REF_SEPARATOR = ":"


@dataclass(frozen=True)
class Question:
    """One question (a disclosure requirement, an article) and the rule that answers it."""

    id: str
    level: str
    section: str
    question: str
    reference: str
    evidence: tuple[str, ...]
    complete: str
    per_issue: bool = False
    period: bool = False
    also: tuple[str, ...] = ()  # the same requirement elsewhere (ESRS S2-1, S3-1…)


@dataclass(frozen=True)
class Framework:
    id: str
    title: str
    short: str
    publisher: str
    published: str
    url: str
    mapping_version: str
    questions: tuple[Question, ...]
    parts: dict = field(default_factory=dict)  # part letter → heading (UNGPRF A, B, C)

    def ids(self, question: Question) -> tuple[str, ...]:
        """The references that name ``question``: its id and its equivalents."""
        return tuple(f"{self.id}{REF_SEPARATOR}{q}" for q in (question.id, *question.also))


@cache
def load_framework(name: str) -> Framework:
    """The framework called ``name`` (ungprf, esrs or csddd), read from the shipped data."""
    if name not in FRAMEWORK_FILES:
        raise InvalidInput(f"unknown framework {name!r} (choose one of: "
                           f"{', '.join(FRAMEWORK_FILES)})", field="framework")
    text = (resources.files("hrgov.data") / "frameworks" / FRAMEWORK_FILES[name]).read_text(
        encoding="utf-8")
    return parse_framework(tomllib.loads(text))


def parse_framework(data: dict) -> Framework:
    """A framework from its parsed TOML."""
    head = data["framework"]
    questions = tuple(
        Question(
            id=entry["id"], level=entry["level"], section=entry["section"],
            question=entry["question"], reference=entry["reference"],
            evidence=tuple(entry["evidence"]), complete=entry["complete"],
            per_issue=entry.get("per_issue", False), period=entry.get("period", False),
            also=tuple(entry.get("also", ())),
        )
        for entry in data["question"]
    )
    return Framework(
        id=head["id"], title=head["title"], short=head["short"], publisher=head["publisher"],
        published=head["published"], url=head["url"], mapping_version=head["mapping_version"],
        questions=questions, parts=data.get("parts", {}),
    )


def _squeezed(text: str) -> str:
    return "".join(text.split()).lower()


@cache
def _known_refs() -> dict[str, str]:
    """Every reference a record may carry, by its squeezed form (no spaces, lower case)."""
    found = {}
    for name in FRAMEWORK_FILES:
        framework = load_framework(name)
        for question in framework.questions:
            for ref in framework.ids(question):
                found[_squeezed(ref)] = ref
    return found


def canonical_ref(text: str) -> str:
    """The reference as the framework spells it (``csddd:art.13`` → ``csddd:Art. 13``), or
    ``text`` unchanged when it names no question (``ref_problem`` then says why)."""
    return _known_refs().get(_squeezed(text), text)


def canonical_refs(refs) -> list[str]:
    """References as the frameworks spell them (``UNGPRF:c4`` → ``ungprf:C4``); whether each
    names a question is the rule book's to judge."""
    return [canonical_ref(ref.strip()) for ref in refs]


def ref_problem(ref: str) -> str | None:
    """Why ``ref`` names no framework question, or ``None`` when it names one."""
    if ref in _known_refs().values():
        return None
    name, separator, question = ref.partition(REF_SEPARATOR)
    if not separator or not question.strip():
        return (f"{ref!r} is not a framework reference (write FRAMEWORK:QUESTION, e.g. "
                "ungprf:C4, esrs:S1-3 or 'csddd:Art. 13')")
    if name not in FRAMEWORK_FILES:
        return (f"{ref!r} names no framework {name!r} (choose one of: "
                f"{', '.join(FRAMEWORK_FILES)})")
    ids = [q for question in load_framework(name).questions
           for q in (question.id, *question.also)]
    return (f"no question {question} in {name} (its questions: {ids[0]}, {ids[1]}, … "
            f"{ids[-1]}; list them with: hrgov disclose --framework {name} --format json)")
