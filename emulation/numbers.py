"""The one number formatter: '1.234,5' in Vietnamese, '1,234.5' in English, '0' never '-0'.

Pages format in the user's locale (symbols looked up once per table: a ranking of 1,000
candidates shows tens of thousands of numbers); report files are always Vietnamese; a form
field gets a stored number back at full precision, without grouping.
"""

from babel.numbers import get_decimal_symbol, get_group_symbol, get_minus_sign_symbol
from flask_babel import get_locale

VIETNAMESE = {"decimal": ",", "group": ".", "minus": "-"}


def number_text(
    value, decimals: int = 4, *, decimal: str = ",", group: str = ".", minus: str = "-"
) -> str:
    """`value` rounded to `decimals` places, trailing zeros dropped, with these symbols."""
    text = f"{round(float(value), decimals):,.{decimals}f}"
    if decimals:
        text = text.rstrip("0").rstrip(".")
    if text.startswith("-"):
        body = text[1:]
        if body.strip("0,.") == "":
            return "0"
        return minus + body.translate(str.maketrans({",": group, ".": decimal}))
    return text.translate(str.maketrans({",": group, ".": decimal}))


def locale_number(decimals: int = 4):
    """A formatter for the current locale: None as '', text unchanged, numbers localised."""
    locale = get_locale()
    symbols = {
        "decimal": get_decimal_symbol(locale),
        "group": get_group_symbol(locale),
        "minus": get_minus_sign_symbol(locale),
    }

    def formatted(value) -> str:
        """The number as text in the locale."""
        if value is None:
            return ""
        if isinstance(value, str):
            return value
        return number_text(value, decimals, **symbols)

    return formatted


def input_number(value: float) -> str:
    """A stored number written back into a field: full precision, decimal comma, no grouping."""
    return number_text(value, 10, decimal=",", group="", minus="-")
