"""Vietnamese formatting for the report files: numbers, percents, dates, the place-date line.

Official reports are written in Vietnamese whatever the interface language (as the council's
minutes are), so these helpers never go through the translation layer and need no request.
"""

from datetime import date, datetime

from babel.numbers import get_decimal_symbol, get_group_symbol, get_minus_sign_symbol
from flask import current_app
from flask_babel import get_locale

from ..timefmt import to_local, utc_offset_label


def number(value, decimals: int = 2) -> str:
    """'77,5' (decimal comma, '.' between thousands, trailing zeros dropped); '—' for None."""
    if value is None:
        return "—"
    text = f"{round(float(value), decimals):,.{decimals}f}"
    if decimals:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return text.translate(str.maketrans({",": ".", ".": ","}))


def signed(value, decimals: int = 2) -> str:
    """'+3,5', '−2', '0'; '—' for None."""
    if value is None:
        return "—"
    if round(float(value), decimals) == 0:
        return "0"
    text = number(abs(value), decimals)
    return ("+" if value > 0 else "−") + text


def percent(share, decimals: int = 1) -> str:
    """A share 0..1 as '85,7%'; '—' for None."""
    return "—" if share is None else number(share * 100, decimals) + "%"


def date_time(value: datetime | None) -> str:
    """dd/mm/yyyy HH:MM in the display time zone."""
    return "" if value is None else to_local(value).strftime("%d/%m/%Y %H:%M")


def day(value: date | datetime | None) -> str:
    """dd/mm/yyyy (an instant is taken in the display time zone)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_local(value)
    return value.strftime("%d/%m/%Y")


def deadline(value: datetime) -> str:
    """'23:59:59 ngày 30/08/2024, giờ Việt Nam (UTC+7)'."""
    local = to_local(value)
    zone = current_app.config["TIMEZONE"]
    name = "giờ Việt Nam" if zone == "Asia/Ho_Chi_Minh" else zone
    return f"{local:%H:%M:%S} ngày {local:%d/%m/%Y}, {name} ({utc_offset_label(value)})"


def place_date(place: str, when: datetime) -> str:
    """'Đà Nẵng, ngày 05 tháng 9 năm 2025' (days below 10 and months 1, 2 take a leading 0)."""
    local = to_local(when)
    month = f"{local.month:02d}" if local.month < 3 else str(local.month)
    return f"{place or '……'}, ngày {local.day:02d} tháng {month} năm {local.year}"


def locale_number(decimals: int = 2):
    """A formatter for the current locale ('8,89' in Vietnamese, '8.89' in English).

    The locale's symbols are looked up once: formatting each of a big report's thousands of
    numbers through Babel would cost about 40 µs apiece.
    """
    locale = get_locale()
    swap = str.maketrans({",": get_group_symbol(locale), ".": get_decimal_symbol(locale)})
    minus = get_minus_sign_symbol(locale)

    def formatted(value) -> str:
        """The number, or '' for None."""
        if value is None:
            return ""
        text = f"{round(float(value), decimals):,.{decimals}f}".rstrip("0").rstrip(".")
        if text.startswith("-"):
            return minus + text[1:].translate(swap)
        return text.translate(swap)

    return formatted
