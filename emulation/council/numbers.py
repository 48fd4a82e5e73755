"""A fast number formatter for big tables, equal to the `num` filter ('8,89' in Vietnamese)."""

from ..numbers import locale_number


def number_formatter():
    """A function formatting like timefmt.format_number in the current locale, much faster."""
    return locale_number(4)
