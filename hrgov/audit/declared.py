"""The audit view's declarations (``audit.yaml``): views, canned queries and descriptions.

Read once per process; every part of the audit view (the copy's views, the metadata) reads it
through ``declarations()``::

    >>> sorted(declarations()["views"])[:2]
    ['assessment_findings', 'commitment_ownership']
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

PACKAGE = "hrgov.audit"
DECLARATIONS = "audit.yaml"


@lru_cache(maxsize=1)
def declarations() -> dict:
    """The parsed ``audit.yaml`` shipped with hrgov."""
    import yaml  # PyYAML comes with datasette; only the audit view needs it

    text = (resources.files(PACKAGE) / DECLARATIONS).read_text(encoding="utf-8")
    return yaml.safe_load(text)
