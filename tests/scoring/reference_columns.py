"""Plain cell-by-cell versions of the VALUES column checks, to test the vectorised ones against."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from emulation.scoring.columns import FALSE_WORDS, TRUE_WORDS
from emulation.scoring.numbers import MAX_MAGNITUDE, NumberRefused, read_number
from emulation.scoring.ranking import KIND_LABELS, OVERALL_LABEL

KINDS = {"collective": "collective", "tập thể": "collective", "tap the": "collective",
         "individual": "individual", "cá nhân": "individual", "ca nhan": "individual"}  # fmt: skip
REFUSED = {
    "not_a_number": "'{v}' không phải là số",
    "not_finite": "giá trị phải là một số hữu hạn, không nhận '{v}'",
    "too_large": "giá trị '{v}' quá lớn (tối đa ±" + f"{MAX_MAGNITUDE:,.0f})".replace(",", "."),
}


def cell_text(value) -> str:
    """One cell as stripped text, the way numpy converts it ('' when blank)."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(np.strings.strip(np.asarray([value], dtype=str))[0])


def texts(series: pd.Series) -> list[str]:
    """Each cell as stripped text."""
    return [cell_text(v) for v in series.astype(object)]


def choices(series: pd.Series, options: tuple[str, ...]) -> tuple[list, list[tuple[int, str]]]:
    """(values, [(row, message)]) for a choice column."""
    lookup = {o.casefold(): o for o in options}
    listed = ", ".join(f"'{o}'" for o in options)
    values, problems = [], []
    for i, cell in enumerate(texts(series)):
        if cell == "":
            values.append(None)
            continue
        value = cell if cell in options else lookup.get(cell.casefold(), cell)
        values.append(value)
        if value not in options:
            problems.append((i, f"'{cell}' không thuộc các lựa chọn: {listed}"))
    return values, problems


def booleans(series: pd.Series) -> tuple[list[float], list[tuple[int, str]]]:
    """(values, [(row, message)]) for a yes/no column."""
    message = "cần giá trị có/không (1/0, true/false)"
    numeric = pd.api.types.is_numeric_dtype(series.dtype)
    if pd.api.types.is_bool_dtype(series.dtype):
        return [math.nan if pd.isna(v) else float(v) for v in series.astype(object)], []
    values, problems = [], []
    for i, cell in enumerate(series.astype(object)):
        if numeric:
            number = math.nan if pd.isna(cell) else float(cell)
            ok = math.isnan(number) or number in (0.0, 1.0)
        else:
            word = cell_text(cell).casefold()
            number = 1.0 if word in TRUE_WORDS else 0.0 if word in FALSE_WORDS else math.nan
            ok = word == "" or not math.isnan(number)
        values.append(number if ok else math.nan)
        if not ok:
            problems.append((i, message))
    return values, problems


def numbers(series: pd.Series, kind: str, upper: float) -> tuple[list[float], list]:
    """(values, [(row, message)]) for a number column, in the order the checks report them."""
    numeric = pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(
        series.dtype
    )
    cells = list(series.astype(object))
    values = []
    first: list[tuple[int, str]] = []
    huge: list[tuple[int, str]] = []
    for i, cell in enumerate(cells):
        if numeric:
            number = math.nan if pd.isna(cell) else float(cell)
            if math.isinf(number):
                first.append((i, "giá trị phải là một số hữu hạn"))
                number = math.nan
            elif abs(number) > MAX_MAGNITUDE:
                huge.append((i, f"giá trị {number:g} quá lớn"))
                number = math.nan
        else:
            try:
                number = read_number(None if pd.isna(cell) else cell, typed=False)
            except NumberRefused as exc:
                first.append((i, REFUSED[exc.reason].format(v=str(cell)[:40])))
                number = None
            number = math.nan if number is None else number
        values.append(number)
    problems = first + huge
    ranges = {"share": (0.0, upper), "percent": (0.0, 100.0), "points": (0.0, upper)}
    for check in ("negative", "whole", "range"):
        for i, v in enumerate(values):
            if check == "negative" and kind in ("nonneg", "count") and v < 0:
                problems.append((i, f"giá trị {v:g} không được âm"))
            if check == "whole" and kind == "count" and v >= 0 and v != math.floor(v):
                problems.append((i, f"giá trị {v:g} phải là số nguyên"))
            low, high = ranges.get(kind, (-math.inf, math.inf))
            if check == "range" and (v < low or v > high):
                problems.append((i, f"giá trị {v:g} nằm ngoài khoảng {low:g}..{high:g}"))
    return values, problems


def kinds(series: pd.Series) -> tuple[list[str], list[tuple[int, str]]]:
    """(kinds, [(row, message)]) for the kind column."""
    out, problems = [], []
    for i, cell in enumerate(texts(series)):
        kind = cell if cell in ("collective", "individual") else KINDS.get(cell.casefold(), "")
        kind = kind if cell else "collective"
        out.append(kind)
        if not kind:
            problems.append((i, f"'{cell}' không phải 'collective' hay 'individual'"))
    return out, problems


def ranking_labels(parts: list[str], clusters, kinds_) -> list[str]:
    """The ranking group label of each row."""
    if not parts:
        return [OVERALL_LABEL] * len(clusters)
    labels = []
    for cluster, kind in zip(clusters, kinds_, strict=True):
        words = {"cluster": cluster or OVERALL_LABEL, "kind": KIND_LABELS.get(kind, kind)}
        labels.append(" / ".join(words[p] for p in parts))
    return labels
