"""A dossier's provisional points: the round's values table with this dossier's current values."""

import pandas as pd

from ..lifecycle.rules import rules_of
from ..models import Dossier
from ..scoring import ValuesError, score
from ..scoring.values import NO_CLUSTER, validate_values, value_columns
from ..standings import loading
from ..standings.derived import fill_derived_columns

__all__ = ["NO_CLUSTER", "candidate_key", "dossier_row", "provisional_result", "round_frame"]
__all__ += ["rules_of"]


def candidate_key(dossier: Dossier) -> str:
    """The engine's row key of a dossier's candidate (see standings.loading.candidate_key)."""
    candidate = dossier.candidate
    return loading.candidate_key(candidate.unit.code, candidate.kind, candidate.id)


def dossier_row(dossier: Dossier) -> dict:
    """One wide VALUES row for a dossier's current values."""
    unit = dossier.candidate.unit
    latest = dossier.latest_version
    row = loading.frame_row(
        candidate_key(dossier),
        dossier.candidate.display_name,
        unit.cluster.name if unit.cluster else None,
        dossier.candidate.kind,
        latest.submitted_at if latest else None,
    )
    for value in dossier.values:
        row[value.column] = value.text_value if value.text_value is not None else value.value
    return row


def round_frame(rules, dossiers: list[Dossier]) -> pd.DataFrame:
    """Dossiers with their current values as a validated VALUES frame for the engine."""
    columns = loading.FRAME_META + [c.name for c in value_columns(rules)]
    frame = pd.DataFrame([dossier_row(d) for d in dossiers], columns=columns)
    frame["submitted_at"] = pd.to_datetime(frame["submitted_at"], utc=True)
    frame = fill_derived_columns(frame, rules, dossiers[0].round if dossiers else None)
    return validate_values(frame, rules, source="dossiers")


def provisional_result(dossier: Dossier):
    """Score the round with this dossier's current values, to show before it is submitted.

    The other candidates are the ones the council ranks, with the values it ranks them by.
    """
    rules = rules_of(dossier.round)
    key = candidate_key(dossier)
    _entries, counted = loading.load_entries(dossier.round, rules)
    others = counted[counted["unit_code"] != key]
    try:
        own = round_frame(rules, [dossier])
    except ValuesError:
        own = None  # values the engine refuses: the others are still scored
    if own is None:
        return None, key
    frame = pd.concat([others, own], ignore_index=True)
    try:
        # score() checks the frame itself: checking it here first would do it twice.
        return score(rules, frame), key
    except ValuesError:
        # One unit's bad row must not hide everyone's provisional score: leave it out.
        frame = pd.concat([r for r in _valid_rows(rules, frame)] or [frame.iloc[:0]])
    if frame.empty:
        return None, key
    return score(rules, frame), key


def _valid_rows(rules, frame: pd.DataFrame):
    for i in range(len(frame)):
        try:
            yield validate_values(frame.iloc[[i]], rules, source="dossiers")
        except ValuesError:
            continue
