"""Fill the engine's derived VALUES columns from registrations and the plan (the bridge)."""

import numpy as np
import pandas as pd
from sqlalchemy.orm import selectinload

from ..access import now
from ..extensions import db
from ..models import Registration, Round, Unit
from ..scoring.methods import target_column
from .queries import has_plan, plan_counts


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
        registrations = {
            r.unit_id: r
            for r in db.session.execute(
                db.select(Registration)
                .filter_by(movement_id=round_.movement_id)
                .options(selectinload(Registration.targets))
            ).scalars()
        }
        counted = {uid: r for uid, r in registrations.items() if r.counts}
        columns["registered"] = [
            np.nan if uid is None else float(uid in counted) for uid in unit_ids
        ]
        targets = {
            uid: {t.indicator_code: t.target for t in r.targets} for uid, r in counted.items()
        }
        for item in rules.registrable:
            columns[target_column(item.code)] = [
                targets.get(uid, {}).get(item.code, np.nan) for uid in unit_ids
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
