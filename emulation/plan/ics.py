"""Calendar (.ics) of a movement's deadlines and, per unit, its activities' due times."""

from datetime import UTC, datetime, timedelta

from flask_babel import gettext as _
from icalendar import Alarm, Calendar, Event

from ..lifecycle.window import SubmissionWindow
from ..models import Movement, Unit
from .queries import activities_of

PRODUCT_ID = "-//emulation//Thi dua khen thuong//VI"


def _event(uid: str, summary: str, at: datetime, stamp: datetime, description: str = "") -> Event:
    """A deadline as a zero-length event at the exact instant (UTC), with a reminder."""
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("dtstart", at.astimezone(UTC))
    event.add("dtend", at.astimezone(UTC))
    event.add("summary", summary)
    if description:
        event.add("description", description)
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", summary)
    alarm.add("trigger", timedelta(days=-3))
    event.add_component(alarm)
    return event


def movement_calendar(
    movement: Movement,
    *,
    registration_deadline: datetime | None,
    unit: Unit | None,
    host: str,
    now: datetime,
) -> bytes:
    """The movement's registration and round deadlines, plus `unit`'s activities (or all)."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", movement.name + (f" — {unit.name}" if unit else ""))
    if registration_deadline is not None:
        calendar.add_component(
            _event(
                f"registration-{movement.id}@{host}",
                _("Registration deadline: %(name)s", name=movement.name),
                registration_deadline,
                now,
            )
        )
    for round_ in movement.rounds:
        # A unit's calendar shows its own deadline (an extension granted to it included).
        deadline = SubmissionWindow.for_unit(round_, unit).deadline if unit else round_.deadline
        calendar.add_component(
            _event(
                f"round-{round_.id}@{host}",
                _("Dossier deadline: %(name)s", name=round_.name),
                deadline,
                now,
                movement.name,
            )
        )
    for activity in activities_of(movement, unit):
        role = ""
        if unit is not None:
            role = _("lead") if activity.lead_unit_id == unit.id else _("coordinating")
        lines = [_("Lead unit: %(name)s", name=activity.lead_unit.name)]
        if activity.coordinators:
            names = ", ".join(u.name for u in activity.coordinating_units)
            lines.append(_("Coordinating units: %(names)s", names=names))
        if activity.expected_output:
            lines.append(_("Expected output: %(text)s", text=activity.expected_output))
        prefix = f"[{role}] " if role else ""
        calendar.add_component(
            _event(
                f"activity-{activity.id}@{host}",
                prefix + _("Activity due: %(title)s", title=activity.title),
                activity.due_at,
                now,
                "\n".join(lines),
            )
        )
    return calendar.to_ical()
