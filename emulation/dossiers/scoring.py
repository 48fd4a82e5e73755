"""Bridge between stored dossiers and the scoring engine."""

from functools import lru_cache

import pandas as pd
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Candidate, Dossier, DossierVersion, Round, Unit
from ..scoring import ValuesError, loads_rules, score
from ..scoring.values import META_COLUMNS, NO_CLUSTER, validate_values, value_columns

# Units not yet placed in a cluster are ranked together under this name.


@lru_cache(maxsize=32)
def _rules_for(text: str, filename: str, content_hash: str):
    return loads_rules(text, source=filename)


def rules_of(round_: Round):
    """The validated rule set frozen on the round (parsed once per content hash)."""
    return _rules_for(round_.rules_text, round_.rules_filename, round_.rules_hash)


def candidate_key(dossier: Dossier) -> str:
    """The engine's row key: the unit code, or unit code/candidate id for an individual."""
    candidate = dossier.candidate
    if candidate.kind == "collective":
        return candidate.unit.code
    return f"{candidate.unit.code}/{candidate.id}"


def dossier_row(dossier: Dossier) -> dict:
    """One wide VALUES row for a dossier's current values."""
    unit = dossier.candidate.unit
    latest = dossier.latest_version
    row = {
        "unit_code": candidate_key(dossier),
        "unit_name": dossier.candidate.display_name,
        "cluster": unit.cluster.name if unit.cluster else NO_CLUSTER,
        "kind": dossier.candidate.kind,
        "submitted_at": latest.submitted_at if latest else None,
    }
    for value in dossier.values:
        row[value.column] = value.text_value if value.text_value is not None else value.value
    return row


def round_frame(rules, dossiers: list[Dossier]) -> pd.DataFrame:
    """The round's dossiers as a validated VALUES frame for the engine."""
    columns = [c for c in META_COLUMNS if c != "complete"] + [c.name for c in value_columns(rules)]
    frame = pd.DataFrame([dossier_row(d) for d in dossiers], columns=columns)
    frame["submitted_at"] = pd.to_datetime(frame["submitted_at"], utc=True)
    from ..plan.columns import fill_derived_columns

    # Registered targets, registration status and plan counts (issue 10)
    frame = fill_derived_columns(frame, rules, dossiers[0].round if dossiers else None)
    return validate_values(frame, rules, source="dossiers")


def provisional_result(dossier: Dossier):
    """Score the round with this dossier's current values, to show before it is submitted."""
    rules = rules_of(dossier.round)
    # Loaded in a few queries, not several per dossier: in the deadline rush every form view
    # scores the whole round (bench/rush.py).
    others = db.session.execute(
        db.select(Dossier)
        .where(
            Dossier.round_id == dossier.round_id,
            Dossier.id != dossier.id,
            Dossier.status == "submitted",
        )
        .options(
            selectinload(Dossier.candidate).selectinload(Candidate.unit).joinedload(Unit.cluster),
            selectinload(Dossier.values),
            selectinload(Dossier.versions).defer(DossierVersion.payload),
        )
    ).scalars()
    try:
        frame = round_frame(rules, [dossier, *others])
    except ValuesError:
        # One unit's bad row must not hide everyone's provisional score: leave it out.
        frame = round_frame(rules, [d for d in [dossier, *others] if _valid(rules, d)])
    if frame.empty:
        return None, candidate_key(dossier)
    return score(rules, frame), candidate_key(dossier)


def _valid(rules, dossier: Dossier) -> bool:
    try:
        round_frame(rules, [dossier])
    except ValuesError:
        return False
    return True
