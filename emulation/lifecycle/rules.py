"""The rule set a round froze when it was created (its own copy of the rule file's text)."""

from functools import lru_cache

from ..models import Round
from ..scoring import loads_rules


@lru_cache(maxsize=32)
def _rules_for(text: str, filename: str, content_hash: str):
    return loads_rules(text, source=filename)


def rules_of(round_: Round):
    """The validated rule set frozen on the round (parsed once per content hash)."""
    return _rules_for(round_.rules_text, round_.rules_filename, round_.rules_hash)


def rules_from_text(text: str, filename: str, content_hash: str):
    """A rule set from a stored copy of a rule file's text (parsed once per content hash)."""
    return _rules_for(text, filename, content_hash)
