"""Reading a number typed by a person or written in a file: the one reader for every entry.

The web form, the API, value imports and the engine's VALUES reader all read numbers here,
so each refuses the same things: text that is not a plain decimal number in ASCII digits,
infinities and NaN, and magnitudes no indicator can have. Pure: no Flask, no database.
"""

from __future__ import annotations

import math
import re

import numpy as np

# No count, percentage or amount an emulation dossier records comes near a trillion.
MAX_MAGNITUDE = 1e12
MAX_TEXT = 64
_TYPED = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?", re.ASCII)
# Files written by programs may also use an exponent: 1e-05.
_WRITTEN = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]{1,3})?", re.ASCII)
# 2.000 and 1.234.567 are thousands in Vietnamese writing, never decimals (0.750 is a decimal).
_GROUPED = re.compile(r"[+-]?[1-9][0-9]{0,2}(\.[0-9]{3})+", re.ASCII)


class NumberRefused(ValueError):
    """A value that is not an acceptable number; `reason` says why."""

    REASONS = ("not_a_number", "not_finite", "too_large")

    def __init__(self, reason: str, value=None):
        super().__init__(reason)
        self.reason = reason
        self.value = value


def check_number(number: float) -> float:
    """`number` itself when finite and within ±MAX_MAGNITUDE; else NumberRefused."""
    if not math.isfinite(number):
        raise NumberRefused("not_finite", number)
    if abs(number) > MAX_MAGNITUDE:
        raise NumberRefused("too_large", number)
    return number


def _normalise(text: str, *, typed: bool) -> str:
    text = text.replace("\u00a0", "").replace(" ", "")
    if "," in text and "." in text:
        # Whichever separator comes last is the decimal one: 1.234,5 or 1,234.5.
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
        other = "." if decimal == "," else ","
        return text.replace(other, "").replace(decimal, ".")
    if typed and _GROUPED.fullmatch(text):
        return text.replace(".", "")
    if text.count(",") == 1:
        # Vietnamese writes decimals with a comma: "99,5" means 99.5.
        return text.replace(",", ".")
    return text


def read_number(value, *, typed: bool = True) -> float | None:
    """The number `value` holds (None when blank); NumberRefused when it holds no sane number.

    Text is read the Vietnamese or the English way ('99,5', '1.234,5', '99.5'). `typed`
    (a person at a form): '2.000' is two thousand and no exponent is accepted; a file written
    by a program (typed=False) reads '2.000' as 2 and accepts '1e-05'.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, bool | np.bool_):
        raise NumberRefused("not_a_number", value)
    if isinstance(value, int | np.integer):
        if abs(value) > MAX_MAGNITUDE:
            raise NumberRefused("too_large", value)
        return float(value)
    if isinstance(value, float | np.floating):
        return check_number(float(value))
    text = str(value).strip()
    if not text:
        return None
    text = _normalise(text, typed=typed)
    if len(text) > MAX_TEXT:
        # Hundreds of digits: refused before float() turns them into infinity.
        digits = re.fullmatch(r"[+-]?[0-9.,]+", text, re.ASCII)
        raise NumberRefused("too_large" if digits else "not_a_number", value)
    if not (_TYPED if typed else _WRITTEN).fullmatch(text):
        lowered = text.lstrip("+-").casefold()
        reason = "not_finite" if lowered in {"inf", "infinity", "nan"} else "not_a_number"
        raise NumberRefused(reason, value)
    return check_number(float(text))
