"""Calendar (.ics) of a movement's deadlines and, per unit, its activities' due times."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from flask_babel import gettext as _

from ..lifecycle.window import SubmissionWindow
from ..models import Movement, Unit
from .queries import activities_of

# icalendar is imported where a calendar is built: that keeps start-up fast.
if TYPE_CHECKING:
    from icalendar import Event

PRODUCT_ID = "-//emulation//Thi dua khen thuong//VI"
# A deadline is shown as the half hour that ends at the exact instant (RFC 5545 wants DTEND
# after DTSTART, and a deadline at 23:59:59 must not spill into the next day).
LEAD = timedelta(minutes=30)


def _event(uid: str, summary: str, at: datetime, stamp: datetime, description: str = "") -> Event:
    """A deadline as a half-hour event ending at the exact instant (UTC), with a reminder."""
    from icalendar import Alarm, Event

    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("dtstart", (at - LEAD).astimezone(UTC))
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
    now: datetime,
) -> bytes:
    """The movement's registration and round deadlines, plus `unit`'s activities (or all)."""
    from icalendar import Calendar

    # UIDs name the movement, not the address the file was fetched from, so that the same
    # deadline keeps one identity whichever host or IP served it.
    host = f"{movement.code}.emulation"
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
