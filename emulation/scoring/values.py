"""VALUES tables (CSV, XLSX or a DataFrame): read, check against a rule set, normalise."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from os import PathLike
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from .columns import (
    MAX_PROBLEMS,
    Checker,
    booleans,
    check_range,
    choices,
    coded_text,
    expand,
    numbers,
    plain,
    text,
)
from .errors import Problem, ValuesError
from .messages import suggest
from .methods import columns_for, component_scale, target_column
from .model import RuleSet
from .schema import DERIVED_COLUMNS

NO_CLUSTER = "Chưa xếp cụm"
META_COLUMNS = ("unit_code", "unit_name", "cluster", "kind", "submitted_at", "complete")
_KINDS = {
    "collective": "collective", "tập thể": "collective", "tap the": "collective",
    "individual": "individual", "cá nhân": "individual", "ca nhan": "individual",
}  # fmt: skip
_DATE_FORMATS = ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y")


@dataclass(frozen=True)
class ValueColumn:
    """A VALUES column the rule set reads, with how to check it."""

    name: str
    kind: str
    owner: str
    required: bool
    max_points: float = 0.0
    options: tuple[str, ...] = ()
    upper: float = 1.0


def value_columns(rs: RuleSet) -> list[ValueColumn]:
    """Every indicator/bonus/penalty/input column of the rule set, in file order."""
    out = []
    for item in rs.scored_items:
        options = tuple(item.config.options) if item.method == "choice" else ()
        # bonus and penalty columns may be left out: no entry means no bonus/penalty
        required = item.section == "indicator" and item.method != "manual"
        scales = {}
        if item.method == "ratio" and item.config.input == "share":
            scales = {item.code: item.config.scale}
        if item.method == "index":
            scales = {
                f"{item.code}_{c.key}": component_scale(item.config, c)
                for c in item.config.components
            }
        for column, kind in columns_for(item.code, item.method, item.config):
            out.append(
                ValueColumn(
                    column, kind, item.code, required, item.max_points, options,
                    scales.get(column, 1.0),
                )
            )  # fmt: skip
    for spec in rs.inputs:
        kind = {"number": "number", "count": "count", "boolean": "boolean"}[spec.type]
        out.append(ValueColumn(spec.code, kind, spec.code, spec.required))
    return out


def derived_columns(rs: RuleSet) -> list[ValueColumn]:
    """Columns the app fills rather than the unit: registered targets, registration, plan.

    `<CODE>_target` holds the target a unit registered for a registrable indicator (same unit
    as the indicator's value; a share 0..1 for a `pair`); `registered` is 1 when the unit's
    registration was confirmed, 0 when not; `plan_due` / `plan_on_time` count the unit's
    activities (as lead unit) due by the round's deadline / completed by their due time;
    `plan_on_time_share` = plan_on_time / plan_due (blank when nothing is due). All optional.
    """
    out = [ValueColumn(target_column(i.code), "nonneg", i.code, False) for i in rs.registrable]
    kinds = {"registered": "boolean", "plan_due": "count", "plan_on_time": "count"}
    for name in DERIVED_COLUMNS:
        out.append(ValueColumn(name, kinds.get(name, "share"), name, False))
    return out


def read_values(path_or_buffer, rs: RuleSet, source: str | None = None) -> pd.DataFrame:
    """Read a CSV or XLSX VALUES file and check it; raise ValuesError naming row and column."""
    frame, name = _read_table(path_or_buffer, source)
    return validate_values(frame, rs, source=name)


def _read_table(path_or_buffer, source: str | None) -> tuple[pd.DataFrame, str]:
    if isinstance(path_or_buffer, str | PathLike):
        path = Path(path_or_buffer)
        name = source or str(path_or_buffer)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ValuesError([Problem(f"không đọc được tệp: {exc.strerror}", name)]) from None
        is_excel = path.suffix.lower() in (".xlsx", ".xlsm")
    else:
        name = source or getattr(path_or_buffer, "name", None) or "<VALUES>"
        data = path_or_buffer.read()
        if isinstance(data, str):
            data = data.encode("utf-8")
        is_excel = data[:4] == b"PK\x03\x04"
    try:
        if is_excel:
            frame = pd.read_excel(io.BytesIO(data), dtype=object, engine="openpyxl")
        else:
            text = data.decode("utf-8-sig")
            header = text.split("\n", 1)[0]
            sep = ";" if header.count(";") > header.count(",") else ","
            _check_row_widths(text, sep, name)
            frame = pd.read_csv(
                io.StringIO(text), dtype=str, keep_default_na=False, sep=sep, skipinitialspace=True
            )
    except UnicodeDecodeError:
        raise ValuesError([Problem("tệp CSV phải mã hóa UTF-8", name)]) from None
    except ValuesError:
        raise
    except Exception as exc:  # pandas/openpyxl raise many types for a malformed file
        raise ValuesError([Problem(f"không đọc được bảng số liệu: {exc}", name)]) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame, name


def _check_row_widths(text: str, sep: str, name: str) -> None:
    """Refuse rows with more filled cells than the header: an unquoted comma shifts the cells."""
    rows = csv.reader(io.StringIO(text), delimiter=sep, skipinitialspace=True)
    header = next(rows, [])
    problems = []
    for number, row in enumerate(rows, start=2):
        filled = [i for i, cell in enumerate(row) if cell.strip()]
        if filled and filled[-1] >= len(header):
            problems.append(
                Problem(
                    f"dòng có {filled[-1] + 1} ô nhưng tiêu đề chỉ có {len(header)} cột;"
                    " văn bản chứa dấu phẩy phải đặt trong dấu ngoặc kép",
                    name,
                    row=number,
                )
            )
    if problems:
        raise ValuesError(problems[:MAX_PROBLEMS], name)


def _blank(value) -> bool:
    return (
        value is None
        or (isinstance(value, float) and np.isnan(value))
        or value is pd.NA
        or (isinstance(value, str) and not value.strip())
    )


def _datetimes(series: pd.Series, tz: str, check: Checker) -> pd.DatetimeIndex:
    if isinstance(series.dtype, pd.DatetimeTZDtype):
        return pd.DatetimeIndex(series).tz_convert("UTC")
    if pd.api.types.is_datetime64_dtype(series.dtype):
        return pd.DatetimeIndex(series).tz_localize(tz).tz_convert("UTC")
    zone = ZoneInfo(tz)
    out = []
    bad = []
    for value in series.astype(object).to_numpy():
        parsed = None if _blank(value) else _parse_instant(value)
        bad.append(parsed is None and not _blank(value))
        if parsed is not None and parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=zone)
        out.append(pd.NaT if parsed is None else pd.Timestamp(parsed).tz_convert("UTC"))
    check.add_rows(
        np.array(bad, dtype=bool), "submitted_at",
        "thời điểm nộp không đọc được (ví dụ 2024-08-29T16:30:00+07:00 hoặc 29/08/2024 16:30)",
    )  # fmt: skip
    return pd.DatetimeIndex(out, tz="UTC")


def _parse_instant(value) -> datetime | None:
    parsed = _read_instant(value)
    # Years 2000..2100: anything else is a typing mistake, and 9999 would overflow later.
    if parsed is None or not 2000 <= parsed.year <= 2100:
        return None
    return parsed


def _read_instant(value) -> datetime | None:
    if isinstance(value, datetime):
        return value
    text = str(value).strip()
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None


def validate_values(frame: pd.DataFrame, rs: RuleSet, source: str = "<VALUES>") -> pd.DataFrame:
    """Check a wide VALUES frame against the rule set; return it normalised (floats, UTC times)."""
    return values_frame(checked_columns(frame, rs, source))


def values_frame(columns: dict) -> pd.DataFrame:
    """The normalised VALUES frame of checked_columns' columns."""
    index = pd.RangeIndex(len(columns["unit_code"]))
    # No copy of the float columns read unchanged: they stay shared with the caller's frame,
    # and copy-on-write keeps either side from seeing the other's later edits. The other
    # columns are copied, so that nothing else sees an edit of this frame.
    return pd.DataFrame({k: _own(v) for k, v in columns.items()}, index=index, copy=False)


def _own(column):
    if isinstance(column, pd.Series):
        return column
    if isinstance(column, pd.Categorical):
        return plain(column)
    return column.copy()


def checked_columns(frame: pd.DataFrame, rs: RuleSet, source: str = "<VALUES>") -> dict:
    """validate_values' checked columns by name (a choice column as a Categorical)."""
    if not all(isinstance(c, str) and c == c.strip() for c in frame.columns):
        frame = frame.rename(columns=lambda c: str(c).strip())
    check = Checker(frame, source)
    specs = value_columns(rs)
    present = set(frame.columns)
    # Every problem is reported in one pass: a missing or repeated column is noted and the
    # rest of the table is still checked as if that column were absent.
    if "unit_code" not in present:
        check.add("unit_code", "thiếu cột bắt buộc 'unit_code' (mã đơn vị)")
    for spec in specs:
        if spec.name not in present and spec.required:
            hint = suggest(spec.name, present - {s.name for s in specs} - set(META_COLUMNS))
            hint = hint if "có phải" in hint else ""
            check.add(spec.name, f"thiếu cột '{spec.name}' của '{spec.owner}'{hint}")
    duplicated = [c for c in frame.columns[frame.columns.duplicated()]]
    for column in duplicated:
        check.add(column, "cột bị lặp lại")
    frame = frame.loc[:, ~frame.columns.duplicated()]
    out: dict[str, object] = {}
    if "unit_code" in present:
        codes = text(frame["unit_code"])
        check.add_rows(codes == "", "unit_code", "thiếu mã đơn vị")
        repeated = pd.Series(codes).duplicated(keep=False).to_numpy() & (codes != "")
        check.add_rows(repeated, "unit_code", lambda i: f"mã đơn vị '{codes[i]}' bị lặp lại")
    else:
        codes = np.full(len(frame), "", dtype=object)
    out["unit_code"] = codes
    out["unit_name"] = text(frame["unit_name"]) if "unit_name" in present else codes.copy()
    if "cluster" in present:
        clusters = text(frame["cluster"])
        check.add_rows(clusters == "", "cluster", "thiếu tên cụm/khối thi đua")
        out["cluster"] = clusters
    else:
        # One shared label, so a file without clusters validates again after being read.
        out["cluster"] = np.full(len(frame), NO_CLUSTER, dtype=object)
    out["kind"] = (
        _kinds(frame["kind"], check)
        if "kind" in present
        else np.full(len(frame), "collective", dtype=object)
    )
    out["submitted_at"] = (
        _datetimes(frame["submitted_at"], rs.movement.timezone, check)
        if "submitted_at" in present
        else pd.DatetimeIndex([pd.NaT] * len(frame), tz="UTC")
    ).array
    if "complete" in present:
        complete = booleans(frame["complete"], check, "complete")
        out["complete"] = np.where(np.isnan(complete), True, complete == 1)
    else:
        out["complete"] = np.ones(len(frame), dtype=bool)
    index = pd.RangeIndex(len(frame))
    same_index = frame.index.equals(index)
    for spec in specs + derived_columns(rs):
        if spec.name not in present:
            out[spec.name] = np.full(len(frame), np.nan)
            continue
        column = frame[spec.name]
        if spec.kind == "choice":
            out[spec.name] = choices(column, spec.name, spec.options, check)
            continue
        if spec.kind == "boolean":
            values = booleans(column, check, spec.name)
        else:
            values = numbers(column, check, spec.name)
            upper = spec.max_points if spec.kind == "points" else spec.upper
            check_range(values, spec.name, spec.kind, upper, check)
        out[spec.name] = _shared(values, column, same_index, index)
    for item in rs.scored_items:
        if item.method == "ratio" and item.config.input == "pair":
            a, b = (_array(out[f"{item.code}_{end}"]) for end in "ab")
            with np.errstate(invalid="ignore"):
                over = a > b
            check.add_rows(
                over,
                f"{item.code}_a",
                lambda i, a=a, b=b, c=item.code: (
                    f"tử số {a[i]:g} lớn hơn mẫu số {b[i]:g} (cột {c}_b)"
                ),
            )
    if check.problems:
        raise ValuesError(check.problems[:MAX_PROBLEMS], source)
    return out


def _array(column) -> np.ndarray:
    return column.to_numpy() if isinstance(column, pd.Series) else column


def _shared(values: np.ndarray, column: pd.Series, same_index: bool, index: pd.Index):
    """The caller's column itself when `values` are its own floats, read in place."""
    if column.dtype != np.float64 or not np.may_share_memory(values, column.to_numpy()):
        return values
    return column if same_index else column.set_axis(index)


def _kinds(series: pd.Series, check: Checker) -> np.ndarray:
    """'collective' or 'individual' for each row (blank = collective); others reported."""
    codes, texts = coded_text(series)
    known = ("collective", "individual")
    blank = "collective"
    named = [t if t in known else _KINDS.get(t.casefold(), "" if t else blank) for t in texts]
    kinds = expand(np.array(named, dtype=object), codes)
    raw = expand(texts, codes)
    check.add_rows(
        kinds == "", "kind", lambda i: f"'{raw[i]}' không phải 'collective' hay 'individual'"
    )
    return kinds
