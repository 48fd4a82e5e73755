"""A fast number formatter for big tables, equal to the `num` filter ('8,89' in Vietnamese)."""

from babel.numbers import get_decimal_symbol, get_group_symbol, get_minus_sign_symbol
from flask_babel import get_locale


def number_formatter():
    """A function formatting like timefmt.format_number in the current locale, much faster.

    Babel's formatter costs about 40 µs a number; a ranking of 1,000 candidates shows
    tens of thousands of numbers, so the locale's symbols are looked up once here instead.
    """
    locale = get_locale()
    decimal, group = get_decimal_symbol(locale), get_group_symbol(locale)
    minus = get_minus_sign_symbol(locale)
    swap = str.maketrans({",": group, ".": decimal})

    def fmt(value) -> str:
        """The number as text in the locale; None as empty, text unchanged."""
        if value is None:
            return ""
        if isinstance(value, str):
            return value
        text = f"{round(float(value), 4):,.4f}".rstrip("0").rstrip(".")
        if text.startswith("-"):
            return minus + text[1:].translate(swap)
        return text.translate(swap)

    return fmt
