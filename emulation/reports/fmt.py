"""Vietnamese formatting for the report files: numbers, percents, dates, the place-date line.

Official reports are written in Vietnamese whatever the interface language (as the council's
minutes are), so these helpers never go through the translation layer and need no request.
"""

from datetime import date, datetime

from flask import current_app

from ..numbers import VIETNAMESE, locale_number, number_text
from ..timefmt import to_local, utc_offset_label

__all__ = ["date_time", "day", "deadline", "locale_number", "number", "percent", "place_date"]
__all__ += ["signed"]


def number(value, decimals: int = 2) -> str:
    """'77,5' (decimal comma, '.' between thousands, trailing zeros dropped); '—' for None."""
    if value is None:
        return "—"
    return number_text(value, decimals, **VIETNAMESE)


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
