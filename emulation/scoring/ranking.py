"""Ranks with a stated tie policy, classification bands and award tiers with quotas."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .model import RuleSet
from .texts import SCOPE_SEPARATOR, STEP_SEPARATOR, text

KIND_LABELS = {"collective": "Tập thể", "individual": "Cá nhân"}
OVERALL_LABEL = "Toàn bộ"
_GROUP_BY = ("cluster", "kind")


def ranking_labels(rs: RuleSet, clusters: np.ndarray, kinds: np.ndarray) -> np.ndarray:
    """The ranking group of each candidate, e.g. 'Cụm VKSND quận' or 'Toàn bộ'."""
    parts = [p for p in rs.ranking.group_by if p != "overall"]
    if not parts:
        return np.full(len(clusters), OVERALL_LABEL, dtype=object)
    columns = {"cluster": clusters, "kind": kinds}
    cells = [np.asarray(columns[p], dtype=object) for p in parts]
    if len(clusters) and all(pd.api.types.infer_dtype(c, skipna=False) == "string" for c in cells):
        # Few clusters and kinds: each distinct combination is labelled once.
        key = np.zeros(len(clusters), dtype=np.int64)
        names = []
        for part, values in zip(parts, cells, strict=True):
            codes, uniques = pd.factorize(values)
            key = key * len(uniques) + codes
            names.append([_part_label(part, u) for u in uniques])
        codes, combined = pd.factorize(key)
        labels = []
        for value in combined:
            digits = []
            for names_of in reversed(names):
                value, digit = divmod(int(value), len(names_of))
                digits.append(names_of[digit])
            labels.append(" / ".join(reversed(digits)))
        return np.array(labels, dtype=object)[codes]
    return np.array(
        [
            " / ".join(_part_label(p, v) for p, v in zip(parts, row, strict=True))
            for row in zip(*cells, strict=False)
        ],
        dtype=object,
    )


def _part_label(part: str, value) -> str:
    return (value or OVERALL_LABEL) if part == "cluster" else KIND_LABELS.get(value, value)


def competition_ranks(keys: list[np.ndarray], groups: np.ndarray, ranked: np.ndarray) -> np.ndarray:
    """1-based competition ranks (1, 2, 2, 4) per group; keys sort ascending, first key first.

    Rows with ranked=False get 0. Rows equal on every key share a rank, so the result does
    not depend on row order.
    """
    ranks = np.zeros(len(groups), dtype=np.int64)
    rows = np.flatnonzero(ranked)
    if not len(rows):
        return ranks
    sub_keys = [k[rows] for k in keys]
    sub_groups = groups[rows]
    order = np.lexsort([*reversed(sub_keys), sub_groups])
    ranks[rows] = _ranks_in_order(sub_keys, sub_groups, order)
    return ranks


def competition_ranks_both(
    keys: list[np.ndarray], groups: np.ndarray, ranked: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """competition_ranks within groups and overall, from one sort by the keys."""
    in_group = np.zeros(len(groups), dtype=np.int64)
    overall = np.zeros(len(groups), dtype=np.int64)
    rows = np.flatnonzero(ranked)
    if not len(rows):
        return in_group, overall
    sub_keys = [k[rows] for k in keys]
    order = np.lexsort(list(reversed(sub_keys)))
    overall[rows] = _ranks_in_order(sub_keys, np.zeros(len(rows), dtype=np.int64), order)
    # A stable sort by group keeps each group in key order: the order lexsort gives
    # with the group as first key.
    sub_groups = groups[rows]
    order = order[np.argsort(sub_groups[order], kind="stable")]
    in_group[rows] = _ranks_in_order(sub_keys, sub_groups, order)
    return in_group, overall


def _ranks_in_order(sub_keys: list[np.ndarray], sub_groups: np.ndarray, order) -> np.ndarray:
    new_group = np.empty(len(order), dtype=bool)
    new_group[0] = True
    new_group[1:] = sub_groups[order][1:] != sub_groups[order][:-1]
    new_run = new_group.copy()
    for key in sub_keys:
        ordered = key[order]
        new_run[1:] |= ordered[1:] != ordered[:-1]
    position = np.arange(len(order))
    group_start = np.maximum.accumulate(np.where(new_group, position, 0))
    run_start = np.maximum.accumulate(np.where(new_run, position, 0))
    ranks = np.empty(len(order), dtype=np.int64)
    ranks[order] = run_start - group_start + 1
    return ranks


def tie_break_keys(rs: RuleSet, total, group_points, item_points, bonus, penalty, submitted):
    """Sort keys (ascending = better) for the total and the declared tie-break chain."""
    keys = [-total]
    if rs.ranking.tie_policy != "chain":
        return keys
    for entry in rs.ranking.tie_break:
        kind, _, code = entry.partition(":")
        if kind == "group":
            keys.append(-group_points[code])
        elif kind == "indicator":
            keys.append(-item_points[code])
        elif kind == "bonus":
            keys.append(-bonus)
        elif kind == "penalty":
            keys.append(penalty)
        elif kind == "submitted_at":
            nanos = submitted.astype("datetime64[ns]").view(np.int64).copy()
            # no submission time sorts after every known time
            nanos[np.isnat(submitted)] = np.iinfo(np.int64).max
            keys.append(nanos)
    return keys


def tie_policy_text(rs: RuleSet) -> str:
    """The tie policy as one Vietnamese sentence, shown with every ranking."""
    scope = [text(f"tie.scope_{p}") for p in rs.ranking.group_by if p in _GROUP_BY]
    where = (
        text("tie.where_groups", scope=SCOPE_SEPARATOR.join(scope))
        if scope
        else text("tie.where_overall")
    )
    if rs.ranking.tie_policy != "chain":
        return text("tie.shared", where=where)
    steps = []
    for entry in rs.ranking.tie_break:
        kind, _, code = entry.partition(":")
        if kind == "group":
            steps.append(text("tie.by_group", name=rs.group(code).name))
        elif kind == "indicator":
            steps.append(text("tie.by_indicator", name=rs.indicator(code).name))
        else:
            steps.append(text(f"tie.by_{kind}"))
    return text("tie.chain", where=where, steps=STEP_SEPARATOR.join(steps))


def band_indices(rs: RuleSet, total: np.ndarray, disqualified: np.ndarray) -> np.ndarray:
    """Index of the band reached (0 = best); len(bands) means no band."""
    index = np.full(len(total), len(rs.bands), dtype=np.int64)
    for i in reversed(range(len(rs.bands))):
        index = np.where(total >= rs.bands[i].min_total, i, index)
    return np.where(disqualified, len(rs.bands), index)


def quota_limit(quota, size: int) -> int:
    """How many awards a quota allows in a group of `size` candidates (percent rounds down)."""
    if quota.count is not None:
        return quota.count
    return math.floor(quota.percent * size / 100 + 1e-9)


def assign_awards(rs: RuleSet, round_code: str | None, data: dict) -> np.ndarray:
    """Index of the award tier each candidate is proposed for (-1 for none), best tier first."""
    n = len(data["total"])
    award = np.full(n, -1, dtype=np.int64)
    band_of = {band.code: i for i, band in enumerate(rs.bands)}
    for t, tier in enumerate(rs.awards):
        if tier.rounds and round_code is not None and round_code not in tier.rounds:
            continue
        eligible = tier_eligibility(tier, data, band_of) & (award < 0)
        if tier.quota is None:
            award[eligible] = t
            continue
        overall = tier.quota.per == "overall"
        groups = np.zeros(n, dtype=np.int64) if overall else data["group_ids"]
        ranks = data["rank_overall"] if overall else data["rank_in_group"]
        for g in np.unique(groups):
            members = groups == g
            limit = quota_limit(tier.quota, int(members.sum()))
            rows = np.flatnonzero(members & eligible)
            rows = rows[np.argsort(ranks[rows], kind="stable")]
            if len(rows) > limit:
                if limit == 0:
                    continue
                cut = ranks[rows[limit - 1]]
                if ranks[rows[limit]] == cut:
                    keep = ranks[rows] < cut if tier.quota.ties == "exclude" else ranks[rows] <= cut
                    rows = rows[keep]
                else:
                    rows = rows[:limit]
            award[rows] = t
    return award


def tier_eligibility(tier, data: dict, band_of: dict[str, int]) -> np.ndarray:
    """Candidates meeting a tier's conditions (ignores quota and higher tiers)."""
    ok = ~data["disqualified"] & np.isin(data["kind"], tier.kinds)
    if tier.min_band is not None:
        ok &= data["band_index"] <= band_of[tier.min_band]
    if tier.min_total is not None:
        ok &= data["total"] >= tier.min_total
    if tier.require_complete:
        ok &= data["complete"]
    if tier.require_on_time:
        ok &= data["on_time"]
    return ok
