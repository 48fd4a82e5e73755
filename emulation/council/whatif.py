"""What-if sandbox: re-rank a scored round with other weights; nothing is stored.

Weights multiply each item's counted points (after council points), then groups, bonus,
penalty, total, bands, ranks and award tiers are recomputed exactly as the engine does.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..scoring.methods import round_half_up
from ..scoring.ranking import (
    assign_awards,
    band_indices,
    competition_ranks,
    tie_break_keys,
)


@dataclass
class Outcome:
    """Totals, ranks (0 = not ranked) and award tier index (-1 = none) of every candidate."""

    total: np.ndarray
    rank_in_group: np.ndarray
    rank_overall: np.ndarray
    award: np.ndarray


class Sandbox:
    """A scored round held in arrays, ready to be re-ranked under other weights."""

    def __init__(self, result):
        rs = result.rules
        table = result.table
        self.rules, self.round_code = rs, result.round_code
        self.items = rs.scored_items
        self.n, self.k = len(table), len(self.items)
        self.points = result.details["points"].to_numpy(dtype=float).reshape(self.n, self.k)
        position = {item.code: j for j, item in enumerate(self.items)}
        self.group_cols = {g.code: [position[i.code] for i in g.indicators] for g in rs.groups}
        self.bonus_cols = [position[i.code] for i in rs.bonus]
        self.penalty_cols = [position[i.code] for i in rs.penalties]
        self.keys = table["unit_code"].to_numpy(dtype=object)
        self.names = table["unit_name"].to_numpy(dtype=object)
        self.groups = table["ranking_group"].to_numpy(dtype=object)
        self.group_ids = pd.factorize(self.groups)[0]
        self.disqualified = table["disqualified"].to_numpy(dtype=bool)
        self.kinds = table["kind"].to_numpy(dtype=object)
        self.complete = table["complete"].to_numpy(dtype=bool)
        self.on_time = table["on_time"].to_numpy(dtype=bool)
        stamps = pd.to_datetime(table["submitted_at"], utc=True)
        self.submitted = stamps.to_numpy(dtype="datetime64[ns]")
        self.award_names = [a.name for a in rs.awards]

    def weights_for_groups(self, percent: dict[str, float]) -> np.ndarray:
        """Item weights from a weight (in percent) per criterion group; bonus/penalty stay 1."""
        weights = np.ones(self.k)
        for code, cols in self.group_cols.items():
            weights[cols] = percent.get(code, 100.0) / 100.0
        return weights

    def _sum(self, points: np.ndarray, cols: list[int], cap=None) -> np.ndarray:
        acc = np.zeros(self.n)
        for j in cols:  # in file order, as the engine adds them
            acc = acc + points[:, j]
        if cap is not None:
            acc = np.minimum(acc, cap)
        return round_half_up(acc, self.rules.scoring.points_decimals)

    def rerank(self, weights: np.ndarray) -> Outcome:
        """Recompute totals, bands, ranks and award tiers with item weights `weights`."""
        rs, decimals = self.rules, self.rules.scoring.points_decimals
        points = round_half_up(self.points * weights, decimals)
        groups = {code: self._sum(points, cols) for code, cols in self.group_cols.items()}
        bonus = self._sum(points, self.bonus_cols, rs.scoring.bonus_cap)
        penalty = self._sum(points, self.penalty_cols, rs.scoring.penalty_cap)
        subtotal = np.zeros(self.n)
        for code in self.group_cols:
            subtotal = subtotal + groups[code]
        total = round_half_up(np.maximum(subtotal + bonus - penalty, 0.0), decimals)
        item_points = {item.code: points[:, j] for j, item in enumerate(self.items)}
        keys = tie_break_keys(rs, total, groups, item_points, bonus, penalty, self.submitted)
        ranked = ~self.disqualified
        rank_in_group = competition_ranks(keys, self.group_ids, ranked)
        rank_overall = competition_ranks(keys, np.zeros(self.n, dtype=np.int64), ranked)
        award = assign_awards(
            rs,
            self.round_code,
            {
                "total": total,
                "disqualified": self.disqualified,
                "kind": self.kinds,
                "band_index": band_indices(rs, total, self.disqualified),
                "complete": self.complete,
                "on_time": self.on_time,
                "group_ids": self.group_ids,
                "rank_in_group": rank_in_group,
                "rank_overall": rank_overall,
            },
        )
        return Outcome(total, rank_in_group, rank_overall, award)

    def tier(self, index: int) -> str:
        """The award tier's name for an index (empty for none)."""
        return self.award_names[index] if index >= 0 else ""


def _rank(value: int):
    return int(value) if value else None


def changes(box: Sandbox, base: Outcome, scenario: Outcome) -> list[dict]:
    """Candidates whose rank in group or award tier differs between two outcomes."""
    moved = (base.rank_in_group != scenario.rank_in_group) | (base.award != scenario.award)
    rows = []
    for i in np.flatnonzero(moved):
        rows.append(
            {
                "key": box.keys[i],
                "name": box.names[i],
                "group": box.groups[i],
                "total_before": float(base.total[i]),
                "total_after": float(scenario.total[i]),
                "rank_before": _rank(base.rank_in_group[i]),
                "rank_after": _rank(scenario.rank_in_group[i]),
                "award_before": box.tier(base.award[i]),
                "award_after": box.tier(scenario.award[i]),
            }
        )
    return sorted(rows, key=lambda r: (r["group"], r["rank_before"] or 10**9, r["key"]))


def stability(
    box: Sandbox, *, runs: int, spread: float, seed: int, progress=None
) -> list[dict]:
    """Random ±spread perturbations of every item's weight: how often each keeps its tier.

    Listed: candidates proposed for a tier, and those any perturbation proposes or moves off
    their tier — the ones near an award cut-off.
    """
    base = box.rerank(np.ones(box.k))
    rng = np.random.default_rng(seed)
    kept = np.zeros(box.n)
    ever = np.zeros(box.n, dtype=bool)
    # disqualified candidates are never ranked (0); their best and worst ranks stay empty
    low, high = base.rank_in_group.copy(), base.rank_in_group.copy()
    step = max(1, runs // 100)
    for run in range(runs):
        if progress is not None and run % step == 0:
            progress(run, runs)
        outcome = box.rerank(rng.uniform(1 - spread, 1 + spread, box.k))
        same = outcome.award == base.award
        kept += same
        ever |= outcome.award >= 0
        low = np.minimum(low, outcome.rank_in_group)
        high = np.maximum(high, outcome.rank_in_group)
    if progress is not None:
        progress(runs, runs)
    rows = []
    for i in np.flatnonzero((base.award >= 0) | ever | (kept < runs)):
        rows.append(
            {
                "key": box.keys[i],
                "name": box.names[i],
                "group": box.groups[i],
                "total": float(base.total[i]),
                "rank": _rank(base.rank_in_group[i]),
                "award": box.tier(base.award[i]),
                "kept": float(kept[i] / runs),
                "best_rank": _rank(low[i]),
                "worst_rank": _rank(high[i]),
            }
        )
    return sorted(rows, key=lambda r: (r["kept"], r["group"], r["rank"] or 10**9))
