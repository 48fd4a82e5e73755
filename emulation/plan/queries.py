"""Read-only plan queries: a unit's activities, overdue ones, counts for the rule engine."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, or_

from ..extensions import db
from ..models import Movement, PlanActivity, PlanCoordinator, PlanReport, Unit


def activities_of(movement: Movement, unit: Unit | None = None) -> list[PlanActivity]:
    """The movement's activities by due time; with `unit`, only those it leads or helps with."""
    query = db.select(PlanActivity).where(PlanActivity.movement_id == movement.id)
    if unit is not None:
        helping = db.select(PlanCoordinator.activity_id).where(PlanCoordinator.unit_id == unit.id)
        query = query.where(or_(PlanActivity.lead_unit_id == unit.id, PlanActivity.id.in_(helping)))
    order = (PlanActivity.due_at, PlanActivity.number, PlanActivity.id)
    return list(db.session.execute(query.order_by(*order)).scalars())


def overdue_activities(now: datetime, unit: Unit | None = None) -> list[PlanActivity]:
    """Activities past their due time and not completed (a unit: only those it leads)."""
    query = db.select(PlanActivity).where(
        PlanActivity.completed_at.is_(None), PlanActivity.due_at < now.replace(microsecond=0)
    )
    if unit is not None:
        query = query.where(PlanActivity.lead_unit_id == unit.id)
    return list(db.session.execute(query.order_by(PlanActivity.due_at)).scalars())


@dataclass(frozen=True)
class PlanCount:
    """A lead unit's activities due by a cut-off, and how many were completed on time."""

    due: int
    on_time: int

    @property
    def share(self) -> float | None:
        """On-time share, or None when nothing was due."""
        return self.on_time / self.due if self.due else None


def plan_counts(movement_id: int, deadline: datetime, now: datetime) -> dict[int, PlanCount]:
    """Per lead unit id: activities due by the round's deadline, and those done on time.

    Before the deadline, an activity not yet due counts only once completed, so a provisional
    score does not punish work that is still on schedule.
    """
    cutoff = min(deadline, now)
    activity = PlanActivity
    counted = or_(activity.due_at <= cutoff, activity.completed_at.is_not(None))
    on_time = case((activity.completed_at <= activity.due_at, 1), else_=0)
    rows = db.session.execute(
        db.select(activity.lead_unit_id, func.count(activity.id), func.sum(on_time))
        .where(activity.movement_id == movement_id, activity.due_at <= deadline, counted)
        .group_by(activity.lead_unit_id)
    )
    return {unit_id: PlanCount(int(due), int(done or 0)) for unit_id, due, done in rows}


def has_plan(movement_id: int) -> bool:
    """Whether the movement has any activity."""
    return (
        db.session.execute(
            db.select(PlanActivity.id).filter_by(movement_id=movement_id).limit(1)
        ).first()
        is not None
    )


def report_files() -> set[str]:
    """sha256 of every file attached to a progress report (kept by evidence cleanup)."""
    return set(
        db.session.execute(
            db.select(PlanReport.sha256).where(PlanReport.sha256.is_not(None))
        ).scalars()
    )
