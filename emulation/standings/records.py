"""Result tables as JSON-ready records, fast: the same output as scoring.explain.json_safe."""

import math

import numpy as np
import pandas as pd

from ..scoring.explain import json_safe


def _column(series: pd.Series) -> list:
    dtype = series.dtype
    if isinstance(dtype, pd.Int64Dtype):
        missing = series.isna().to_numpy()
        numbers = series.to_numpy(dtype="int64", na_value=0).tolist()
        return [None if gone else n for n, gone in zip(numbers, missing, strict=True)]
    if dtype.kind == "f":
        return [None if math.isnan(x) else x for x in series.to_numpy(dtype=float).tolist()]
    if dtype.kind == "b":
        return series.to_numpy(dtype=bool).tolist()
    if isinstance(dtype, pd.StringDtype) or dtype is np.dtype(object):
        return [v if isinstance(v, str) else json_safe(v) for v in series.to_numpy(dtype=object)]
    return [json_safe(v) for v in series]


def table_records(table: pd.DataFrame) -> list[dict]:
    """One dict per row with plain Python values (None for missing), column by column."""
    names = list(table.columns)
    columns = [_column(table[name]) for name in names]
    return [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]


def table_columns(table: pd.DataFrame) -> dict[str, list]:
    """The table as {column: plain values} (compact JSON for long tables such as details)."""
    return {name: _column(table[name]) for name in table.columns}


def column_records(columns: dict[str, list]) -> list[dict]:
    """{column: values} back to one dict per row."""
    names = list(columns)
    return [dict(zip(names, row, strict=True)) for row in zip(*columns.values(), strict=True)]
