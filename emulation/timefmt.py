"""Show UTC instants in the configured time zone, Vietnamese style (dd/mm/yyyy)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _


def local_zone() -> ZoneInfo:
    """The display time zone (Asia/Ho_Chi_Minh unless configured)."""
    return ZoneInfo(current_app.config["TIMEZONE"])


def to_local(value: datetime) -> datetime:
    """Convert an aware instant to the display time zone (an instant at the calendar's edge
    stays as it is rather than overflow)."""
    try:
        return value.astimezone(local_zone())
    except (OverflowError, ValueError):
        return value


def plus(value: datetime, delta: timedelta) -> datetime:
    """`value + delta`, held at the calendar's last instant instead of overflowing."""
    try:
        return value + delta
    except OverflowError:
        return datetime.max.replace(tzinfo=value.tzinfo)


def format_datetime(value: datetime | None) -> str:
    """dd/mm/yyyy HH:MM in the display time zone."""
    if value is None:
        return ""
    return to_local(value).strftime("%d/%m/%Y %H:%M")


def format_date(value) -> str:
    """dd/mm/yyyy."""
    return "" if value is None else value.strftime("%d/%m/%Y")


def utc_offset_label(value: datetime) -> str:
    """'UTC+7' for the display zone at that instant."""
    offset = to_local(value).utcoffset() or timedelta(0)
    hours, rest = divmod(int(offset.total_seconds()), 3600)
    minutes = rest // 60
    return f"UTC{hours:+d}" + (f":{minutes:02d}" if minutes else "")


def format_deadline(value: datetime) -> str:
    """A deadline written in full: '23:59:59 ngày 30/08/2024, giờ Việt Nam (UTC+7)'."""
    local = to_local(value)
    zone = current_app.config["TIMEZONE"]
    zone_name = _("Vietnam time") if zone == "Asia/Ho_Chi_Minh" else zone
    return _(
        "%(time)s on %(date)s, %(zone)s (%(offset)s)",
        time=local.strftime("%H:%M:%S"),
        date=local.strftime("%d/%m/%Y"),
        zone=zone_name,
        offset=utc_offset_label(value),
    )


def format_remaining(deadline: datetime, now: datetime) -> str:
    """Time left until `deadline`, in days/hours/minutes; empty once passed."""
    left = deadline - now
    if left.total_seconds() <= 0:
        return ""
    days, seconds = left.days, left.seconds
    hours, minutes = seconds // 3600, (seconds % 3600) // 60
    if days:
        return _("%(days)d days %(hours)d hours", days=days, hours=hours)
    if hours:
        return _("%(hours)d hours %(minutes)d minutes", hours=hours, minutes=minutes)
    return _("%(minutes)d minutes", minutes=max(minutes, 1))


def format_number(value) -> str:
    """A number the user's way: '8,89' in Vietnamese, '8.89' in English; integers plain."""
    from .numbers import locale_number

    return locale_number(4)(value)


def format_retry(moment: datetime) -> str:
    """'HH:MM:SS dd/mm/yyyy' in the display time zone: when to try again."""
    return to_local(moment).strftime("%H:%M:%S %d/%m/%Y")


def format_iso(value: str | None) -> str:
    """An ISO 8601 instant (as stored in JSON) shown dd/mm/yyyy HH:MM; '' when absent or bad."""
    if not value:
        return ""
    try:
        return format_datetime(datetime.fromisoformat(value))
    except (TypeError, ValueError):
        return ""
