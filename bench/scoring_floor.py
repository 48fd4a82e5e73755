"""The floor for the scoring benchmark: the same arithmetic in bare numpy, nothing else.

Per item: read its value columns as float arrays (choices through their option table),
points = value / denominator x max points, clipped to [0, max], missing as 0, rounded half
up; then group subtotals, capped bonus and penalty, the total, bands by threshold and
competition ranks per group and overall (total descending, then key). No checks, notes,
explanations, tie policies or awards: what no implementation of the rules can do without.
"""

from __future__ import annotations

import numpy as np


def _round(x: np.ndarray, decimals: int) -> np.ndarray:
    scale = 10.0**decimals
    return np.floor(x * scale + 0.5) / scale


def _ranks(total: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Competition ranks (1, 2, 2, 4) of `total` descending, within each group."""
    order = np.lexsort((-total, groups))
    t, g = total[order], groups[order]
    n = len(order)
    first_of_group = np.r_[True, g[1:] != g[:-1]] if n else np.zeros(0, bool)
    new_value = first_of_group | np.r_[True, t[1:] != t[:-1]] if n else first_of_group
    position = np.arange(n)
    group_start = np.maximum.accumulate(np.where(first_of_group, position, 0))
    run_start = np.maximum.accumulate(np.where(new_value, position, 0))
    ranks = np.empty(n, dtype=np.int64)
    ranks[order] = run_start - group_start + 1
    return ranks


def floor_score(rs, values) -> dict:
    """Totals, bands and ranks for every row of `values`, as plainly as numpy allows."""
    n = len(values)
    decimals = rs.scoring.points_decimals
    points = {}
    for item in rs.scored_items:
        names = [c for c in (item.columns or (item.code,)) if c in values.columns]
        if not names:
            points[item.code] = np.zeros(n)
            continue
        if item.method == "choice":
            options = item.config.options
            codes = values[names[0]].to_numpy(dtype=object)
            table = {k: float(v) for k, v in options.items()}
            top = np.array([table.get(c, 0.0) for c in codes])
        else:
            top = values[names[0]].to_numpy(dtype=float)
        below = values[names[1]].to_numpy(dtype=float) if len(names) > 1 else 1.0
        with np.errstate(divide="ignore", invalid="ignore"):
            p = np.nan_to_num(top / below * item.max_points, nan=0.0)
        points[item.code] = _round(np.clip(p, 0.0, item.max_points), decimals)
    subtotal = np.zeros(n)
    for group in rs.groups:
        for item in group.indicators:
            subtotal += points[item.code]
    bonus = sum((points[i.code] for i in rs.bonus), np.zeros(n))
    penalty = sum((points[i.code] for i in rs.penalties), np.zeros(n))
    if rs.scoring.bonus_cap is not None:
        bonus = np.minimum(bonus, rs.scoring.bonus_cap)
    if rs.scoring.penalty_cap is not None:
        penalty = np.minimum(penalty, rs.scoring.penalty_cap)
    total = _round(np.maximum(subtotal + bonus - penalty, 0.0), decimals)
    thresholds = np.array(sorted(b.min_total for b in rs.bands))
    band = np.searchsorted(thresholds, total, side="right")
    _labels, groups = np.unique(values["cluster"].to_numpy(dtype=object), return_inverse=True)
    return {
        "total": total,
        "band": band,
        "rank_in_group": _ranks(total, groups),
        "rank_overall": _ranks(total, np.zeros(n, dtype=np.int64)),
    }
