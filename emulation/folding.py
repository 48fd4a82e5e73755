"""Text folded for matching headers, labels and names typed in different ways."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """A header or label folded for matching: NFC, lower case, single spaces, no '_' or '*'."""
    text = unicodedata.normalize("NFC", text).casefold().replace("_", " ").replace("*", "")
    return _SPACES.sub(" ", text).strip()
