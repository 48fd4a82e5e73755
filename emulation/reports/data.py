"""One report of a round, built once from the database; every renderer reads only this."""

from dataclasses import dataclass, field
from datetime import date, datetime

import numpy as np

from ..history.succession import former_labels
from ..models import Round
from ..scoring.ranking import tie_policy_text
from ..standings.model import Standings, display_order, earlier_standings, grouped, standings_of
from ..timefmt import plus
from .comparison import Change, compare, most_improved
from .participation import Participation, participation, total_of

KINDS = ("interim", "final")
TOP_N = 10
WEAKEST_N = 5


class ReportError(ValueError):
    """A report that cannot be made as asked (e.g. a final report of an interim round)."""


@dataclass(frozen=True)
class Standing:
    """One ranked candidate: points, band, ranks and proposed award."""

    key: str
    name: str
    cluster: str
    group: str
    total: float
    groups: dict[str, float]
    bonus: float
    penalty: float
    band: str
    rank_in_group: int | None
    rank_overall: int | None
    award: str
    award_code: str
    disqualified: bool
    reason: str
    on_time: bool


@dataclass(frozen=True)
class IndicatorStat:
    """How the candidates did on one indicator."""

    code: str
    name: str
    group: str
    max_points: float
    target: str
    mean_points: float | None
    reached: int
    counted: int

    @property
    def share(self) -> float | None:
        """Average points as a share of the maximum."""
        return None if self.mean_points is None else self.mean_points / self.max_points

    @property
    def compliance(self) -> float | None:
        """Share of candidates at or above the target (full points)."""
        return self.reached / self.counted if self.counted else None


@dataclass
class Report:
    """Everything an interim or final report shows, computed once."""

    kind: str
    organisation: str
    place: str
    movement: str
    round_name: str
    round_code: str
    deadline: datetime
    closes_at: datetime
    late_policy: str
    award_date: date | None
    generated_at: datetime
    rules_filename: str
    rules_hash: str
    snapshot_hash: str | None
    tie_policy: str
    max_total: float
    bands: list[tuple[str, float]]
    groups: list[tuple[str, str, float]]
    tiers: list[tuple[str, str]]
    participation: list[Participation]
    standings: list[Standing]
    indicators: list[IndicatorStat]
    interim_name: str | None = None
    comparison: list[Change] | None = None
    # The date the report bears (set by the secretariat) and who signs it for the council.
    dated: date | None = None
    signer: str = ""
    result: object | None = field(default=None, repr=False)
    records: list[dict] = field(default_factory=list, repr=False)

    @property
    def total(self) -> Participation:
        """Participation of the whole round."""
        return total_of(self.participation, "Tổng cộng")

    @property
    def ranked(self) -> list[Standing]:
        """Candidates that were ranked (not disqualified), best first."""
        return [s for s in self.standings if not s.disqualified]

    def top(self, n: int = TOP_N) -> list[Standing]:
        """The n best-ranked candidates overall."""
        return self.ranked[:n]

    @property
    def totals(self) -> list[float]:
        """Total points of the ranked candidates."""
        return [s.total for s in self.ranked]

    def group_means(self) -> list[tuple[str, str, float, float | None]]:
        """(code, name, max, average points) per criterion group, over every candidate."""
        return [
            (code, name, top, _mean([s.groups.get(code) for s in self.standings]))
            for code, name, top in self.groups
        ]

    def by_group(self) -> list[tuple[str, list[Standing]]]:
        """Standings per ranking group (cluster), each best first, disqualified last."""
        by_key = {s.key: s for s in self.standings}
        return [
            (label, [by_key[r["unit_code"]] for r in rows]) for label, rows in grouped(self.records)
        ]

    def awards(self) -> list[tuple[str, list[Standing]]]:
        """Proposed awardees per award tier, in the rule file's order; empty tiers kept."""
        return [
            (name, [s for s in self.standings if s.award_code == code]) for code, name in self.tiers
        ]

    @property
    def awarded(self) -> int:
        """Candidates proposed for some award."""
        return sum(1 for s in self.standings if s.award_code)

    def weakest(self, n: int = WEAKEST_N) -> list[IndicatorStat]:
        """Indicators the fewest candidates reached (then the lowest average share)."""
        scored = [i for i in self.indicators if i.counted]
        return sorted(scored, key=lambda i: (i.compliance, i.share, i.code))[:n]

    def most_improved(self, n: int = 5) -> list[Change]:
        """Candidates whose total rose most since the interim review."""
        return most_improved(self.comparison or [], n)

    @property
    def is_final(self) -> bool:
        """Whether this is the final (tổng kết) report."""
        return self.kind == "final"


def _mean(values) -> float | None:
    numbers = [v for v in values if v is not None]
    return float(np.mean(numbers)) if numbers else None


def round_records(round_: Round, standings: Standings | None = None):
    """Result records of a round (its standings), the snapshot's hash and the tie policy."""
    standings = standings or standings_of(round_)
    return standings.records, standings.snapshot_hash, standings.tie_policy


def _standing(r: dict, group_codes: list[str], former: dict[str, str]) -> Standing:
    return Standing(
        key=r["unit_code"],
        # A unit that was renamed or merged is named with its former names.
        name=former.get(r["unit_code"], r["unit_name"]),
        cluster=r["cluster"] or "",
        group=r["ranking_group"] or "",
        total=float(r["total"]),
        groups={code: r.get(code) for code in group_codes},
        bonus=float(r["bonus"] or 0),
        penalty=float(r["penalty"] or 0),
        band=r["band"] or "",
        rank_in_group=r["rank_in_group"],
        rank_overall=r["rank_overall"],
        award=r["award_tier"] or "",
        award_code=r["award_code"] or "",
        disqualified=bool(r["disqualified"]),
        reason=r["disqualifier_reason"] or "",
        on_time=bool(r["on_time"]),
    )


def _target(item) -> str:
    if item.method == "ratio":
        return f"tỷ lệ ≥ {item.params.get('target', 1.0) * 100:g}%"
    return "đạt điểm tối đa"


def _display_positions(records: list[dict]) -> list[int]:
    """Positions of `records` in display order (overall rank)."""
    return sorted(range(len(records)), key=lambda i: display_order(records[i]))


def indicator_stats(rules, result) -> list[IndicatorStat]:
    """Average points and share of candidates at full points, per indicator."""
    items = rules.indicators
    if result is None or result.table.empty:
        return [
            IndicatorStat(i.code, i.name, i.group_code, i.max_points, _target(i), None, 0, 0)
            for i in items
        ]
    k = len(rules.scored_items)
    points = result.details["points"].to_numpy(dtype=float).reshape(-1, k)
    stats = []
    for j, item in enumerate(items):
        column = points[:, j]
        # Full points means the target is met: ratio points are share / target x max, capped.
        reached = int(np.count_nonzero(column >= item.max_points - 1e-9))
        stats.append(
            IndicatorStat(
                item.code,
                item.name,
                item.group_code,
                item.max_points,
                _target(item),
                float(column.mean()),
                reached,
                len(column),
            )  # fmt: skip
        )
    return stats


def build_report(round_: Round, *, kind: str | None = None, now: datetime) -> Report:
    """The report of `round_` (its own kind unless `kind` is given and agrees) as of `now`."""
    kind = kind or round_.kind
    if kind not in KINDS:
        raise ReportError(f"unknown report kind {kind!r}")
    if kind != round_.kind:
        raise ReportError(
            f"round {round_.code!r} is an {round_.kind} round; a {kind} report needs a {kind} round"
        )
    standings = standings_of(round_)
    rules = standings.rules
    result = standings.result
    records = standings.records
    group_codes = [g.code for g in rules.groups]
    former = former_labels()
    rows = [_standing(r, group_codes, former) for r in records]
    standings_rows = [rows[i] for i in _display_positions(records)]
    rules_filename, rules_hash = standings.rules_file
    report = Report(
        kind=kind,
        organisation=round_.movement.organisation,
        place=round_.movement.place,
        movement=round_.movement.name,
        round_name=round_.name,
        round_code=round_.code,
        deadline=round_.deadline,
        closes_at=plus(round_.deadline, round_.grace),
        late_policy=round_.late_policy,
        award_date=round_.award_date,
        generated_at=now,
        rules_filename=rules_filename,
        rules_hash=rules_hash,
        snapshot_hash=standings.snapshot_hash,
        tie_policy=standings.tie_policy or tie_policy_text(rules),
        max_total=float(rules.scoring.max_total),
        bands=[(b.name, b.min_total) for b in rules.bands],
        groups=[(g.code, g.name, g.max_points) for g in rules.groups],
        tiers=[(a.code, a.name) for a in rules.awards],
        participation=participation(round_),
        standings=standings_rows,
        indicators=indicator_stats(rules, result),
        result=result,
        signer=rules.issuer.council_chair if rules.issuer else "",
        records=records,
    )
    if kind == "final":
        previous = earlier_standings(round_)
        if previous is not None:
            report.interim_name = previous.round.name
            report.comparison = compare(previous.records, records)
    return report
