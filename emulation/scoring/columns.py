"""Checks of one VALUES column (numbers, yes/no, choices, text), whole columns at a time."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from .errors import Problem
from .numbers import MAX_MAGNITUDE, NumberRefused, read_number

MAX_PROBLEMS = 200
SAMPLE = 256
TRUE_WORDS = {"1", "1.0", "true", "yes", "y", "x", "có", "co", "đạt", "dat", "đúng", "dung"}
FALSE_WORDS = {"0", "0.0", "false", "no", "n", "không", "khong", "chưa", "chua", "sai"}
_REFUSED = {
    "not_a_number": "'{v}' không phải là số",
    "not_finite": "giá trị phải là một số hữu hạn, không nhận '{v}'",
    "too_large": "giá trị '{v}' quá lớn (tối đa ±" + f"{MAX_MAGNITUDE:,.0f})".replace(",", "."),
}


class Checker:
    """Collects the problems of one VALUES table, naming row, column and unit."""

    def __init__(self, frame: pd.DataFrame, source: str):
        self.frame = frame
        self.source = source
        self.problems: list[Problem] = []
        codes = frame["unit_code"] if "unit_code" in frame.columns else None
        self.codes = None if codes is None else codes.astype(object).to_numpy()

    def add_rows(self, mask: np.ndarray, column: str, message) -> None:
        """Record a problem for each flagged row (spreadsheet numbering, header = row 1)."""
        if not mask.any():
            return
        for position in np.flatnonzero(mask)[:MAX_PROBLEMS]:
            text = message(position) if callable(message) else message
            code = self.codes[position] if self.codes is not None else None
            who = f" (đơn vị {code})" if isinstance(code, str) and code.strip() else ""
            self.problems.append(
                Problem(text + who, self.source, row=int(position) + 2, column=column)
            )

    def add(self, column: str | None, message: str) -> None:
        """Record a problem about a whole column."""
        self.problems.append(Problem(message, self.source, column=column))


def _strip(values: np.ndarray) -> np.ndarray:
    as_text = np.asarray(values, dtype=str)
    return np.strings.strip(as_text).astype(object)


def coded_text(series: pd.Series) -> tuple[np.ndarray | None, np.ndarray]:
    """(codes, texts): the cells as stripped text are texts[codes] ('' when blank).

    codes is None when texts holds every cell in order.

    A column of text repeats few distinct values (clusters, kinds, options), so each
    distinct value is converted and checked once. Only a column holding nothing but text
    is grouped: 1, 1.0 and True are equal as keys but are written differently.
    """
    values = series.to_numpy(dtype=object)
    n = len(values)
    # Names and codes differ on every row: a sample tells them apart without grouping all.
    text_only = n and pd.api.types.infer_dtype(values, skipna=True) == "string"
    if text_only and (n < SAMPLE or 2 * len(pd.unique(values[:SAMPLE])) <= SAMPLE):
        codes, uniques = pd.factorize(values)
        if 2 * len(uniques) <= n:
            # blank cells (code -1) read as the text after the last distinct one: ''
            texts = np.array([*_strip(uniques), ""], dtype=object)
            return np.where(codes < 0, len(uniques), codes), texts
    values = series.to_numpy(dtype=object, na_value="")
    return None, (_strip(values) if n else values)


def expand(values: np.ndarray, codes: np.ndarray | None) -> np.ndarray:
    """Per-distinct values spread back over the cells (see coded_text)."""
    return values if codes is None else values[codes]


def text(series: pd.Series) -> np.ndarray:
    """Each cell as stripped text, blank cells as ''."""
    codes, texts = coded_text(series)
    return expand(texts, codes)


def _numeric(series: pd.Series) -> bool:
    if series.dtype == np.float64:
        return True
    return pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series)


def numbers(series: pd.Series, check: Checker, column: str) -> np.ndarray:
    """The column as floats (blank = NaN); cells that hold no sane number are reported."""
    if _numeric(series):
        # A float column is read in place, not copied: it is copied only when a cell is refused.
        return _check_sane(series.to_numpy(dtype=float, na_value=np.nan), check, column)
    raw = series.to_numpy(dtype=object, na_value=None)
    out = np.full(len(raw), np.nan)
    refused: dict[int, str] = {}
    for i, value in enumerate(raw):
        try:
            # The reader every entry point shares; files are machine-written ('2.000' is 2).
            number = read_number(value, typed=False)
        except NumberRefused as exc:
            refused[i] = exc.reason
            continue
        if number is not None:
            out[i] = number
    mask = np.zeros(len(raw), dtype=bool)
    mask[list(refused)] = True
    check.add_rows(mask, column, lambda i: _REFUSED[refused[i]].format(v=str(raw[i])[:40]))
    return out


def _check_sane(values: np.ndarray, check: Checker, column: str) -> np.ndarray:
    """Numbers given as numbers (a DataFrame, an XLSX cell): finite and within ±MAX_MAGNITUDE."""
    with np.errstate(invalid="ignore"):
        if not (np.abs(values) > MAX_MAGNITUDE).any():
            return values
        values = values.copy()
        check.add_rows(np.isinf(values), column, "giá trị phải là một số hữu hạn")
        huge = np.isfinite(values) & (np.abs(values) > MAX_MAGNITUDE)
    check.add_rows(huge, column, lambda i: f"giá trị {values[i]:g} quá lớn")
    # Refused values take no part in scoring.
    values[np.isinf(values) | huge] = np.nan
    return values


def check_range(values: np.ndarray, name: str, kind: str, upper: float, check: Checker) -> None:
    """Report numbers of a column outside what its kind allows (negative, fractional, range)."""
    with np.errstate(invalid="ignore"):
        if kind in ("nonneg", "count"):
            check.add_rows(values < 0, name, lambda i: f"giá trị {values[i]:g} không được âm")
        if kind == "count":
            frac = (values >= 0) & (values != np.floor(values))
            check.add_rows(frac, name, lambda i: f"giá trị {values[i]:g} phải là số nguyên")
        limits = {"share": (0.0, upper), "percent": (0.0, 100.0), "points": (0.0, upper)}
        if kind in limits:
            low, high = limits[kind]
            outside = (values < low) | (values > high)
            check.add_rows(
                outside, name, lambda i: f"giá trị {values[i]:g} nằm ngoài khoảng {low:g}..{high:g}"
            )


def booleans(series: pd.Series, check: Checker, column: str) -> np.ndarray:
    """The column as 1.0/0.0 (blank = NaN); anything not yes/no is reported."""
    if pd.api.types.is_bool_dtype(series.dtype):
        return series.to_numpy(dtype=float, na_value=np.nan)
    if pd.api.types.is_numeric_dtype(series.dtype):
        values = series.to_numpy(dtype=float, na_value=np.nan)
        with np.errstate(invalid="ignore"):
            bad = ~np.isnan(values) & (values != 0) & (values != 1)
    else:
        codes, texts = coded_text(series)
        folded = [v.casefold() for v in texts]
        words = np.array(
            [1.0 if v in TRUE_WORDS else 0.0 if v in FALSE_WORDS else np.nan for v in folded],
            dtype=float,
        )
        values = expand(words, codes)
        bad = expand(np.isnan(words) & (texts != ""), codes)
    check.add_rows(bad, column, "cần giá trị có/không (1/0, true/false)")
    return np.where(bad, np.nan, values) if bad.any() else values


def choices(series: pd.Series, name: str, options: tuple[str, ...], check: Checker):
    """The column as a Categorical of the options (blank = missing); others are reported."""
    codes, texts = coded_text(series)
    position = {option: i for i, option in enumerate(options)}
    folded = {option.casefold(): i for i, option in enumerate(options)}
    # exact spellings are taken at once; only the rest go through case folding
    chosen = np.array(
        [-1 if t == "" else position[t] if t in position else folded.get(t.casefold(), -2)
         for t in texts],
        dtype=np.int64,
    )  # fmt: skip
    listed = ", ".join(f"'{o}'" for o in options)
    check.add_rows(
        expand(chosen == -2, codes),
        name,
        lambda i: f"'{texts[i if codes is None else codes[i]]}' không thuộc các lựa chọn: {listed}",
    )
    kept = np.maximum(expand(chosen, codes), -1)
    return pd.Categorical.from_codes(kept, dtype=_options_dtype(options))


@lru_cache(maxsize=256)
def _options_dtype(options: tuple[str, ...]) -> pd.CategoricalDtype:
    return pd.CategoricalDtype(pd.Index(options, dtype=object))


def plain(column):
    """A column as validate_values gives it: option names and None for a Categorical."""
    if not isinstance(column, pd.Categorical):
        return column
    names = np.empty(len(column.categories) + 1, dtype=object)
    names[:-1] = list(column.categories)
    return names[column.codes]
