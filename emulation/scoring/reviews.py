"""Combine several reviewers' points into council points, as the rule file says."""

from __future__ import annotations

import pandas as pd

from .errors import Problem, ValuesError
from .methods import round_half_up
from .model import RuleSet


def aggregate_reviews(rs: RuleSet, reviews: pd.DataFrame) -> pd.DataFrame:
    """Mean or median (rs.aggregation) of reviewers' points per (unit_code, indicator_code)."""
    needed = {"unit_code", "indicator_code", "points"}
    missing = needed - set(reviews.columns)
    if missing:
        raise ValuesError([Problem(f"bảng chấm điểm thiếu cột {sorted(missing)}", "<reviews>")])
    if reviews.empty:
        return pd.DataFrame(columns=["unit_code", "indicator_code", "points", "reviewers"])
    grouped = reviews.groupby(["unit_code", "indicator_code"], sort=True, observed=True)["points"]
    combined = grouped.agg([rs.aggregation, "count"]).reset_index()
    combined.columns = ["unit_code", "indicator_code", "points", "reviewers"]
    combined["points"] = round_half_up(combined["points"].to_numpy(dtype=float),
                                       rs.scoring.points_decimals)  # fmt: skip
    return combined
