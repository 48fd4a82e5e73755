"""Fill the engine's derived VALUES columns from registrations and the plan (the bridge)."""

from dataclasses import dataclass
from datetime import datetime

import numpy as np
import pandas as pd
from sqlalchemy import case, func, or_

from ..access import now
from ..extensions import db
from ..models import (
    Candidate,
    Initiative,
    InitiativeClaim,
    PlanActivity,
    Registration,
    RegistrationTarget,
    Round,
    Unit,
)
from ..scoring.authority import INITIATIVE_LEVELS
from ..scoring.methods import target_column
from ..timefmt import to_local

# Registration statuses that count as registered (the model's Registration.counts).
COUNTED = ("confirmed", "accepted")


def fill_derived_columns(
    frame: pd.DataFrame, rules, round_: Round | None, sources: dict | None = None
) -> pd.DataFrame:
    """Add registered targets, `registered` and the plan counts for each collective candidate.

    Rows are keyed by `unit_code` (a unit code; individuals are `CODE/id` and get blanks:
    registration and the plan are a unit's). A few set-based queries, whatever the size;
    `sources` are derived_sources() already read for this round, if any.
    """
    if round_ is None or frame.empty:
        return frame
    if sources is None:
        sources = derived_sources(rules, round_)
    if "initiatives" in sources:
        frame = frame.copy()
        counts = sources["initiatives"]
        frame[rules.initiatives.indicator] = [
            counts.get(k, 0.0) for k in frame["unit_code"].astype(str)
        ]
    keys = frame["unit_code"].astype(str).tolist()
    codes = [k for k in keys if "/" not in k]
    id_of = {
        code: unit_id
        for code, unit_id in db.session.execute(
            db.select(Unit.code, Unit.id).where(Unit.code.in_(codes))
        )
    }
    unit_ids = [id_of.get(k) if "/" not in k else None for k in keys]
    columns: dict[str, list] = {}
    if "registered" in sources:
        counted, targets = sources["registered"], sources["targets"]
        columns["registered"] = [
            np.nan if uid is None else float(uid in counted) for uid in unit_ids
        ]
        for item in rules.registrable:
            columns[target_column(item.code)] = [
                targets.get((uid, item.code), np.nan) for uid in unit_ids
            ]
    if "plan" in sources:
        counts = sources["plan"]
        found = [counts.get(uid) if uid is not None else None for uid in unit_ids]
        columns["plan_due"] = [
            np.nan if uid is None else (c.due if c else 0)
            for uid, c in zip(unit_ids, found, strict=True)
        ]
        columns["plan_on_time"] = [
            np.nan if uid is None else (c.on_time if c else 0)
            for uid, c in zip(unit_ids, found, strict=True)
        ]
        columns["plan_on_time_share"] = [
            c.share if c and c.share is not None else np.nan for c in found
        ]
    if not columns:
        return frame
    added = pd.DataFrame({k: np.asarray(v, dtype=float) for k, v in columns.items()},
                         index=frame.index)  # fmt: skip
    return pd.concat([frame.drop(columns=[c for c in added if c in frame]), added], axis=1)


def derived_sources(rules, round_: Round) -> dict:
    """What the derived columns are filled from, as plain data (registrations, plan, register).

    The plan counts depend on the current time before the deadline, so these are read again
    for every ranking; they are part of what decides whether a cached ranking still holds.
    """
    sources: dict = {}
    setting = getattr(rules, "initiatives", None)
    if setting is not None and setting.indicator:
        sources["initiatives"] = initiative_counts(rules, round_)
    if rules.registration is not None:
        movement_id = round_.movement_id
        # Plain columns, not ORM objects: a round may hold a thousand units.
        sources["registered"] = {
            unit_id
            for unit_id, status in db.session.execute(
                db.select(Registration.unit_id, Registration.status).filter_by(
                    movement_id=movement_id
                )
            )
            if status in COUNTED
        }
        targets: dict[tuple[int, str], float] = {}
        for unit_id, code, target in db.session.execute(
            db.select(Registration.unit_id, RegistrationTarget.indicator_code)
            .add_columns(RegistrationTarget.target)
            .join(RegistrationTarget.registration)
            .where(Registration.movement_id == movement_id, Registration.status.in_(COUNTED))
        ):
            targets[(unit_id, code)] = target
        sources["targets"] = targets
    if has_plan(round_.movement_id):
        sources["plan"] = plan_counts(round_.movement_id, round_.deadline, now())
    return sources


def initiative_counts(rules, round_: Round) -> dict[str, float]:
    """Initiatives counted per candidate key, from the register: recognised in the round's period.

    A candidate's count is the initiatives counted for it in the movement (see
    initiatives.operations.claim), at the rule file's level or above, whose recognising
    decision falls between the round's opening and its deadline (so the interim and final
    reviews do not count one initiative twice); what a dossier typed in that column is
    replaced, so an initiative counts as the register says.
    """
    setting = rules.initiatives
    levels = INITIATIVE_LEVELS[INITIATIVE_LEVELS.index(setting.min_level) :]
    counts: dict[str, float] = {}
    for unit_code, kind, candidate_id, n in db.session.execute(
        db.select(Unit.code, Candidate.kind, Candidate.id, func.count(InitiativeClaim.id))
        .join(Candidate, InitiativeClaim.candidate_id == Candidate.id)
        .join(Unit, Candidate.unit_id == Unit.id)
        .join(Initiative, InitiativeClaim.initiative_id == Initiative.id)
        .where(
            InitiativeClaim.movement_id == round_.movement_id,
            Initiative.level.in_(levels),
            Initiative.decision_date <= to_local(round_.deadline).date(),
            *(
                [Initiative.decision_date >= to_local(round_.opens_at).date()]
                if round_.opens_at
                else []
            ),
        )
        .group_by(Unit.code, Candidate.kind, Candidate.id)
    ):
        key = unit_code if kind == "collective" else f"{unit_code}/{candidate_id}"
        counts[key] = float(n)
    return counts


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
