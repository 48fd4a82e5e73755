"""Stored values no check would let in today: found, named and reported, never silently used.

Numbers entering the system are checked at the point of entry; data written before those
checks (or straight into the database) may still hold an infinity, a NaN or an absurd
magnitude, or a date at the calendar's edge. `bad_values` lists them, per dossier.
"""

import math
from dataclasses import dataclass

from sqlalchemy import or_

from .extensions import db
from .models import (
    Adjustment,
    Candidate,
    DeadlineExtension,
    Dossier,
    DossierVersion,
    IndicatorValue,
    Review,
    Round,
    SelfAssessment,
    SupplementRequest,
    Unit,
)
from .scoring.numbers import MAX_MAGNITUDE
from .validation import date_in_range


@dataclass(frozen=True)
class BadValue:
    """One stored value that cannot be used: where it is and what it holds."""

    round_id: int
    dossier_id: int | None
    unit_code: str
    unit_name: str
    place: str  # what holds it: "value HOP", "version 2, value HOP", "self-assessed TC1.1", …
    value: str


def _insane(column):
    # NaN compares greater than every number in PostgreSQL; SQLite stores NaN as NULL.
    return or_(column > MAX_MAGNITUDE, column < -MAX_MAGNITUDE, column != column)


def _bad_number(value) -> bool:
    return isinstance(value, float) and (not math.isfinite(value) or abs(value) > MAX_MAGNITUDE)


def bad_values(round_id: int | None = None) -> list[BadValue]:
    """Every unusable stored number or date of the round's dossiers (all rounds when None)."""
    base = (
        db.select(Dossier.round_id, Dossier.id, Unit.code, Unit.name)
        .join(Candidate, Dossier.candidate_id == Candidate.id)
        .join(Unit, Candidate.unit_id == Unit.id)
    )
    if round_id is not None:
        base = base.where(Dossier.round_id == round_id)
    found = []
    numbers = (
        (IndicatorValue, IndicatorValue.value, IndicatorValue.column, "value", None),
        (SelfAssessment, SelfAssessment.points, SelfAssessment.indicator_code, "self", None),
        (Adjustment, Adjustment.points, Adjustment.indicator_code, "council", Review),
    )
    for model, column, label, kind, via in numbers:
        query = base.add_columns(label, column)
        if via is not None:
            query = query.join(via, via.dossier_id == Dossier.id).join(
                model, model.review_id == via.id
            )
        else:
            query = query.join(model, model.dossier_id == Dossier.id)
        for r_id, d_id, code, name, what, value in db.session.execute(query.where(_insane(column))):
            found.append(BadValue(r_id, d_id, code, name, f"{kind} {what}", repr(value)))
    versions = base.add_columns(DossierVersion.number, DossierVersion.payload).join(
        DossierVersion, DossierVersion.dossier_id == Dossier.id
    )
    for r_id, d_id, code, name, number, payload in db.session.execute(versions):
        for column, value in (payload or {}).get("values", {}).items():
            if _bad_number(value):
                found.append(
                    BadValue(r_id, d_id, code, name, f"version {number} {column}", repr(value))
                )
    dates = base.add_columns(SupplementRequest.due_at).join(
        SupplementRequest, SupplementRequest.dossier_id == Dossier.id
    )
    for r_id, d_id, code, name, due in db.session.execute(dates):
        if not date_in_range(due):
            found.append(BadValue(r_id, d_id, code, name, "supplement due_at", due.isoformat()))
    extensions = db.select(DeadlineExtension, Unit).join(Unit, DeadlineExtension.unit_id == Unit.id)
    if round_id is not None:
        extensions = extensions.where(DeadlineExtension.round_id == round_id)
    for extension, unit in db.session.execute(extensions):
        if not date_in_range(extension.until):
            found.append(
                BadValue(extension.round_id, None, unit.code, unit.name, "extension until",
                         extension.until.isoformat())
            )  # fmt: skip
    return found


def round_names() -> dict[int, str]:
    """Round id → name, for reports."""
    return dict(db.session.execute(db.select(Round.id, Round.name)).all())
