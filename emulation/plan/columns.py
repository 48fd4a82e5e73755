"""Fill the engine's derived VALUES columns from registrations and the plan (the bridge)."""

import numpy as np
import pandas as pd

from ..access import now
from ..extensions import db
from ..models import Registration, RegistrationTarget, Round, Unit
from ..scoring.methods import target_column
from .queries import has_plan, plan_counts

# Registration statuses that count as registered (the model's Registration.counts).
COUNTED = ("confirmed", "accepted")


def fill_derived_columns(frame: pd.DataFrame, rules, round_: Round | None) -> pd.DataFrame:
    """Add registered targets, `registered` and the plan counts for each collective candidate.

    Rows are keyed by `unit_code` (a unit code; individuals are `CODE/id` and get blanks:
    registration and the plan are a unit's). A few set-based queries, whatever the size.
    """
    if round_ is None or frame.empty:
        return frame
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
    if rules.registration is not None:
        movement_id = round_.movement_id
        # Plain columns, not ORM objects: a round may hold a thousand units.
        counted = {
            unit_id
            for unit_id, status in db.session.execute(
                db.select(Registration.unit_id, Registration.status).filter_by(
                    movement_id=movement_id
                )
            )
            if status in COUNTED
        }
        columns["registered"] = [
            np.nan if uid is None else float(uid in counted) for uid in unit_ids
        ]
        targets: dict[tuple[int, str], float] = {}
        for unit_id, code, target in db.session.execute(
            db.select(Registration.unit_id, RegistrationTarget.indicator_code)
            .add_columns(RegistrationTarget.target)
            .join(RegistrationTarget.registration)
            .where(Registration.movement_id == movement_id, Registration.status.in_(COUNTED))
        ):
            targets[(unit_id, code)] = target
        for item in rules.registrable:
            columns[target_column(item.code)] = [
                targets.get((uid, item.code), np.nan) for uid in unit_ids
            ]
    if has_plan(round_.movement_id):
        counts = plan_counts(round_.movement_id, round_.deadline, now())
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
