"""What a unit sees of the council's decision: its own result, and its cluster's if published."""

from dataclasses import dataclass, field

from ..lifecycle import active_snapshot, rules_of
from ..models import Dossier


@dataclass
class Outcome:
    """One unit's frozen result in a round, with the council's decision on its award."""

    row: dict
    groups: list[tuple[str, str, float, float | None]]  # (code, name, points, max)
    award: str | None  # the tier the council passed
    no_award: str  # why there is none: a reason code (see the template)
    detail: str  # the exclusion reason, when excluded
    adjustments: list[dict] = field(default_factory=list)  # indicator, points, reason
    cluster: list[dict] | None = None  # the published ranking of its cluster
    frozen_at: object = None


def _no_award(row: dict, vote: dict | None) -> str:
    if row.get("disqualified"):
        return "excluded"
    if not row.get("on_time", True):
        return "late"
    if not row.get("complete", True):
        return "incomplete"
    if vote is not None:
        return "not_passed"
    if not row.get("band"):
        return "no_band"
    return "not_proposed"


def unit_outcome(dossier: Dossier) -> Outcome | None:
    """The unit's result once the ranking is frozen and the council has voted; else None."""
    snapshot = active_snapshot(dossier.round)
    if snapshot is None or not snapshot.payload.get("votes"):
        return None
    payload = snapshot.payload
    candidate = next(
        (c for c in payload["inputs"]["candidates"] if c["dossier_id"] == dossier.id), None
    )
    if candidate is None:
        return None
    key = candidate["key"]
    results = payload["results"]
    row = next((r for r in results["results"] if r["unit_code"] == key), None)
    if row is None:
        return None
    vote = next((c for c in payload["votes"]["candidates"] if c["key"] == key), None)
    award = row.get("award_tier") if vote is not None and vote["passed"] else None
    adjustments = [
        {"indicator": p["indicator_code"], "points": p["points"], "reason": p["reason"]}
        for p in payload["inputs"]["review_points"]
        if p["unit_code"] == key and p.get("reason")
    ]
    outcome = Outcome(
        row=row,
        groups=[
            (g["code"], g["name"], row.get(g["code"], 0.0), g.get("max_points"))
            for g in results.get("groups", [])
        ],
        award=award,
        no_award="" if award else _no_award(row, vote),
        detail=row.get("disqualifier_reason") or "",
        adjustments=sorted(adjustments, key=lambda a: a["indicator"]),
        frozen_at=snapshot.created_at,
    )
    if rules_of(dossier.round).council.publish_results:
        passed = {c["key"] for c in payload["votes"]["candidates"] if c["passed"]}
        outcome.cluster = [
            {**r, "awarded": r["award_tier"] if r["unit_code"] in passed else None}
            for r in sorted(
                results["results"],
                key=lambda r: (r["rank_in_group"] is None, r["rank_in_group"] or 0),
            )
            if r["ranking_group"] == row["ranking_group"]
        ]
    return outcome


def decided_rounds(rounds) -> set[int]:
    """Ids of the rounds whose ranking is frozen and holds the council's vote."""
    out = set()
    for round_ in rounds:
        snapshot = active_snapshot(round_)
        if snapshot is not None and snapshot.payload.get("votes"):
            out.add(round_.id)
    return out
