"""Gaps between the points units gave themselves and the points the council counts."""

from dataclasses import dataclass, field

from ..extensions import db
from ..models import SelfAssessment
from ..standings.live import RoundRanking
from ..standings.model import Standings


@dataclass
class UnitGap:
    """One candidate: self-assessed and counted points over the items it assessed."""

    key: str
    name: str
    items: int
    self_total: float
    counted_total: float

    @property
    def gap(self) -> float:
        """Counted minus self-assessed (negative: the unit over-rated itself)."""
        return round(self.counted_total - self.self_total, 4)


@dataclass
class ReviewerGap:
    """One council member's adjustments against the units' and the engine's points."""

    name: str
    adjustments: int = 0
    vs_self: list[float] = field(default_factory=list)
    vs_computed: list[float] = field(default_factory=list)

    @staticmethod
    def _mean(values: list[float]) -> float | None:
        return round(sum(values) / len(values), 4) if values else None

    @property
    def mean_vs_self(self) -> float | None:
        """Mean of (member's points − self-assessed points)."""
        return self._mean(self.vs_self)

    @property
    def mean_vs_computed(self) -> float | None:
        """Mean of (member's points − computed points)."""
        return self._mean(self.vs_computed)


def _detail_points(result) -> dict[tuple[str, str], tuple[float, float]]:
    details = result.details
    return {
        (str(u), str(c)): (float(p), float(r))
        for u, c, p, r in zip(
            details["unit_code"],
            details["indicator_code"],
            details["points"],
            details["rule_points"],
            strict=True,
        )
    }


def gaps(source: Standings | RoundRanking) -> tuple[list[UnitGap], list[ReviewerGap]]:
    """Per unit and per reviewer, how far the council's points are from self-assessment.

    From the round's standings: the frozen snapshot's points when frozen.
    """
    if isinstance(source, RoundRanking):
        source = Standings(source.round, source.results(), source.inputs(), None, source)
    result = source.result
    if result is None:
        return [], []
    key_of = {d: k for k, d in source.dossier_of().items()}
    names = {r["unit_code"]: r["unit_name"] for r in source.records}
    self_points: dict[tuple[str, str], float] = {}
    for dossier_id, code, points in db.session.execute(
        db.select(
            SelfAssessment.dossier_id, SelfAssessment.indicator_code, SelfAssessment.points
        ).where(SelfAssessment.dossier_id.in_(list(key_of)))
    ):
        self_points[(key_of[dossier_id], code)] = points
    counted = _detail_points(result)
    units: dict[str, UnitGap] = {}
    for (key, code), own in self_points.items():
        if (key, code) not in counted:
            continue
        gap = units.setdefault(key, UnitGap(key, names[key], 0, 0.0, 0.0))
        gap.items += 1
        gap.self_total += own
        gap.counted_total += counted[(key, code)][0]
    reviewers: dict[str, ReviewerGap] = {}
    for point in source.inputs.get("review_points", []):
        if point["reason"] is None:
            continue  # accepted the computed points, no adjustment of their own
        pair = (point["unit_code"], point["indicator_code"])
        member = reviewers.setdefault(point["reviewer"], ReviewerGap(point["reviewer"]))
        member.adjustments += 1
        member.vs_computed.append(point["points"] - counted[pair][1])
        if pair in self_points:
            member.vs_self.append(point["points"] - self_points[pair])
    return sorted(units.values(), key=lambda g: g.gap), sorted(
        reviewers.values(), key=lambda r: r.name
    )
