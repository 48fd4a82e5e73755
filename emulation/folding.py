"""Text folded for matching headers, labels and names typed in different ways."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """A header or label folded for matching: NFC, lower case, single spaces, no '_' or '*'."""
    text = unicodedata.normalize("NFC", text).casefold().replace("_", " ").replace("*", "")
    return _SPACES.sub(" ", text).strip()


def search_key(text: str | None) -> str:
    """Text folded for searching Vietnamese: no diacritics, 'đ' as 'd', lower case."""
    text = unicodedata.normalize("NFD", text or "").replace("đ", "d").replace("Đ", "D")
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return _SPACES.sub(" ", text).strip()


def matches(query: str | None, *fields: str | None) -> bool:
    """Whether every word of `query` appears, folded, in `fields` (an empty query matches)."""
    haystack = " ".join(search_key(f) for f in fields if f)
    return all(word in haystack for word in search_key(query).split())
