"""Plan writes: add activities, report progress with evidence. Flush, never commit; audited."""

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

from ..audit import record
from ..extensions import db
from ..models import Movement, PlanActivity, PlanCoordinator, PlanReport, Unit, User

DEFAULT_ZONE = "Asia/Ho_Chi_Minh"


def end_of_day(day: date, zone: str | None = None) -> datetime:
    """The last second of `day` in the app's time zone: what 'due 30/06' means."""
    if zone is None:
        zone = current_app.config["TIMEZONE"] if has_app_context() else DEFAULT_ZONE
    return datetime.combine(day, time(23, 59, 59), ZoneInfo(zone))


@dataclass
class ActivityInput:
    """One activity as entered or imported, before it is stored."""

    number: str
    title: str
    lead_unit: Unit
    coordinators: list[Unit]
    starts_on: date | None
    due_on: date
    expected_output: str = ""


def add_activity(
    movement: Movement, data: ActivityInput, *, user: User | None, now: datetime
) -> PlanActivity:
    """Add one activity to the movement's plan."""
    activity = PlanActivity(
        movement=movement,
        number=data.number.strip(),
        title=data.title.strip(),
        lead_unit=data.lead_unit,
        starts_on=data.starts_on,
        due_at=end_of_day(data.due_on),
        expected_output=data.expected_output.strip(),
        progress=0,
        created_at=now,
    )
    for unit in {u.id: u for u in data.coordinators if u.id != data.lead_unit.id}.values():
        activity.coordinators.append(PlanCoordinator(unit=unit))
    db.session.add(activity)
    db.session.flush()
    record(
        "plan.activity_add",
        now=now,
        actor=user,
        obj=activity,
        details={
            "title": activity.title,
            "lead": data.lead_unit.code,
            "coordinators": sorted(u.code for u in data.coordinators),
            "due_at": activity.due_at.isoformat(),
        },
    )
    return activity


def update_activity(
    activity: PlanActivity, data: ActivityInput, *, user: User | None, now: datetime
) -> None:
    """Correct an activity's details (completion and reports are kept)."""
    before = _snapshot(activity)
    activity.number = data.number.strip()
    activity.title = data.title.strip()
    activity.lead_unit = data.lead_unit
    activity.starts_on = data.starts_on
    activity.due_at = end_of_day(data.due_on)
    activity.expected_output = data.expected_output.strip()
    wanted = {u.id: u for u in data.coordinators if u.id != data.lead_unit.id}
    for link in list(activity.coordinators):
        if link.unit_id not in wanted:
            activity.coordinators.remove(link)
    present = {link.unit_id for link in activity.coordinators}
    for unit_id, unit in wanted.items():
        if unit_id not in present:
            activity.coordinators.append(PlanCoordinator(unit=unit))
    db.session.flush()
    record(
        "plan.activity_update",
        now=now,
        actor=user,
        obj=activity,
        details={"before": before, "after": _snapshot(activity)},
    )


def delete_activity(activity: PlanActivity, *, user: User | None, now: datetime) -> None:
    """Remove an activity entered by mistake; one with progress reports is kept."""
    if activity.reports:
        raise ValueError("the activity has progress reports")
    record("plan.activity_delete", now=now, actor=user, obj=activity, details=_snapshot(activity))
    db.session.delete(activity)
    db.session.flush()


def _snapshot(activity: PlanActivity) -> dict:
    return {
        "number": activity.number,
        "title": activity.title,
        "lead": activity.lead_unit.code,
        "coordinators": sorted(link.unit.code for link in activity.coordinators),
        "starts_on": activity.starts_on.isoformat() if activity.starts_on else None,
        "due_at": activity.due_at.isoformat(),
        "expected_output": activity.expected_output,
    }


def import_activities(
    movement: Movement, rows: list[ActivityInput], *, user: User | None, now: datetime
) -> list[PlanActivity]:
    """Add every checked row of an imported plan (the caller checked all rows first)."""
    added = [add_activity(movement, row, user=user, now=now) for row in rows]
    record("plan.import", now=now, actor=user, obj=movement, details={"activities": len(added)})
    return added


def report_progress(
    activity: PlanActivity,
    *,
    progress: int,
    done: bool,
    note: str,
    stored=None,
    user: User | None,
    now: datetime,
) -> PlanReport:
    """Record the lead unit's progress; 'done' completes the activity at `now` (kept once set)."""
    progress = 100 if done else max(0, min(int(progress), 100))
    report = PlanReport(
        activity=activity,
        at=now,
        by_id=user.id if user else None,
        progress=progress,
        done=done,
        note=note.strip(),
        file_name=stored.original_name if stored else None,
        content_type=stored.content_type if stored else None,
        size_bytes=stored.size_bytes if stored else None,
        sha256=stored.sha256 if stored else None,
    )
    db.session.add(report)
    activity.progress = progress
    if done and activity.completed_at is None:
        activity.completed_at = now
    db.session.flush()
    record(
        "plan.progress",
        now=now,
        actor=user,
        obj=activity,
        details={
            "progress": progress,
            "done": done,
            "file": stored.original_name if stored else None,
            "sha256": stored.sha256 if stored else None,
        },
    )
    return report
