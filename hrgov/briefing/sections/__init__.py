"""The briefing's sections, one small module each; each writes through a ``Writer`` (``word``)
from the ``Facts`` (``data``), with its wording from ``templates/board-wording.toml``."""
