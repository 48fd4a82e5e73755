"""Read-only plan queries: a unit's activities, overdue ones, counts for the rule engine."""

from datetime import datetime

from sqlalchemy import or_

from ..extensions import db
from ..models import Movement, PlanActivity, PlanCoordinator, PlanReport, Unit
from ..standings.derived import PlanCount, has_plan, plan_counts

__all__ = [
    "PlanCount", "activities_of", "has_plan", "overdue_activities", "plan_counts", "report_files",
]  # fmt: skip


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


def report_files() -> set[str]:
    """sha256 of every file attached to a progress report (kept by evidence cleanup)."""
    return set(
        db.session.execute(
            db.select(PlanReport.sha256).where(PlanReport.sha256.is_not(None))
        ).scalars()
    )
