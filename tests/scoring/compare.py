"""Compare the engine's result with the reference scorer's, cell by cell."""

from __future__ import annotations

import numpy as np
import pandas as pd

TABLE_COLUMNS = (
    "complete", "on_time", "bonus", "penalty", "total", "band_code", "disqualified",
    "disqualifier_reason", "rank_in_group", "rank_overall", "award_code",
)  # fmt: skip
DETAIL_COLUMNS = ("unit_code", "indicator_code", "raw", "raw_text", "points", "rule_points",
                  "capped", "note")  # fmt: skip


def _cells(series: pd.Series) -> np.ndarray:
    values = series.astype(object).to_numpy()
    return np.array([None if pd.isna(v) else v for v in values], dtype=object)


def differences(result, table: pd.DataFrame, details: pd.DataFrame, limit: int = 5) -> list[str]:
    """Human-readable differences between an engine ScoreResult and reference frames."""
    problems = []
    engine_table = result.table.reset_index(drop=True)
    columns = ["unit_code", *[g.code for g in result.rules.groups], *TABLE_COLUMNS]
    if len(engine_table) != len(table) or len(result.details) != len(details):
        return [f"row counts differ: {len(engine_table)}/{len(table)} and details"]
    for column in columns:
        a, b = _cells(engine_table[column]), _cells(table[column])
        bad = [i for i in range(len(a)) if a[i] != b[i]]
        if bad:
            shown = [(table["unit_code"][i], a[i], b[i]) for i in bad[:limit]]
            problems.append(f"table.{column}: {len(bad)} differ, e.g. {shown}")
    for column in DETAIL_COLUMNS:
        a, b = _cells(result.details[column]), _cells(details[column])
        bad = np.flatnonzero([x != y for x, y in zip(a, b, strict=True)])
        if len(bad):
            shown = [(details["unit_code"][i], details["indicator_code"][i], a[i], b[i])
                     for i in bad[:limit]]  # fmt: skip
            problems.append(f"details.{column}: {len(bad)} differ, e.g. {shown}")
    return problems
