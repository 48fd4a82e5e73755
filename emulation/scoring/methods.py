"""Scoring methods: a registry of vectorised functions, their VALUES columns and load checks."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .schema import (
    BooleanParams,
    ChoiceParams,
    IndexParams,
    RatioParams,
    StepsParams,
)
from .texts import text

# Rounding is "half up" on the decimal value; the epsilon absorbs binary noise such as
# 2.675 being stored as 2.67499999..., so 2.675 -> 2.68 in the engine and the reference alike.
ROUNDING_EPSILON = 1e-9

NOTE_NONE = ""
NOTE_OVERRIDE = text("note.override")
NOTE_MISSING = text("note.missing")
NOTE_MANUAL_PENDING = text("note.manual_pending")
NOTE_NOT_COMPUTABLE = text("note.not_computable")
NOTE_ZERO_DENOMINATOR = text("note.zero_denominator")
NOTE_BELOW_FLOOR = text("note.below_floor")
NOTE_NEGATIVE = text("note.negative")
NOTE_CAPPED = text("note.capped")
NOTE_NO_TARGET = text("note.no_target")
# A row shows one note: the first that applies in this order.
NOTES = (
    NOTE_NONE,
    NOTE_OVERRIDE,
    NOTE_MISSING,
    NOTE_MANUAL_PENDING,
    NOTE_NOT_COMPUTABLE,
    NOTE_ZERO_DENOMINATOR,
    NOTE_BELOW_FLOOR,
    NOTE_NEGATIVE,
    NOTE_CAPPED,
    NOTE_NO_TARGET,
)
TARGET_SUFFIX = "_target"


def target_column(code: str) -> str:
    """The VALUES column holding a unit's registered target for a registrable indicator."""
    return f"{code}{TARGET_SUFFIX}"


def round_half_up(values, decimals: int, out: np.ndarray | None = None):
    """Round non-negative values half up to `decimals` places (the one rounding rule)."""
    factor = 10.0**decimals
    values = np.asarray(values, dtype=float)
    if not values.ndim:
        return np.floor(values * factor + 0.5 + ROUNDING_EPSILON) / factor
    # The same operations in the same order as the line above, in one buffer.
    out = np.multiply(values, factor, out=out)
    out += 0.5
    out += ROUNDING_EPSILON
    np.floor(out, out=out)
    out /= factor
    return out


@dataclass
class Context:
    """What a method may read besides its own columns."""

    n: int
    group_ids: np.ndarray
    env: Mapping[str, np.ndarray] = field(default_factory=dict)
    index_decimals: int = 4


@dataclass
class Outcome:
    """Raw value and points before capping; NaN points mean 'could not be computed'."""

    raw: np.ndarray
    points: np.ndarray
    notes: dict[str, np.ndarray] = field(default_factory=dict)
    text: np.ndarray | None = None


def columns_for(code: str, method: str, params) -> list[tuple[str, str]]:
    """(column, kind) pairs an item reads from VALUES; kinds drive the VALUES checks."""
    if method == "ratio":
        if params.input == "pair":
            return [(f"{code}_a", "nonneg"), (f"{code}_b", "nonneg")]
        return [(code, params.input)]
    if method == "index":
        return [(f"{code}_{c.key}", "share") for c in params.components]
    if method == "formula":
        return []
    if method == "target_ratio":
        if params.input == "pair":
            return [(f"{code}_a", "nonneg"), (f"{code}_b", "nonneg")]
        return [(code, "nonneg")]
    if method == "relative":
        return [(code, "number" if params.min_max else "nonneg")]
    kinds = {
        "steps": "number",
        "choice": "choice",
        "count": "count",
        "boolean": "boolean",
        "manual": "points",
    }
    return [(code, kinds[method])]


def component_scale(params: IndexParams, component) -> float:
    """The top of the scale a component's values are entered on (1 for a share 0..1)."""
    return component.scale if component.scale is not None else params.scale


def _check_ratio(p: RatioParams, max_points: float) -> list[tuple[tuple, str]]:
    if p.floor > p.target:
        return [(("floor",), f"ngưỡng tối thiểu floor={p.floor} lớn hơn target={p.target}")]
    if p.count_from_evidence and p.input != "pair":
        return [(("count_from_evidence",), "chỉ đếm được từ tệp minh chứng khi input = \"pair\" "
                 f"(a trên b), đang là input = \"{p.input}\"; hãy bỏ input hoặc đặt \"pair\"")]
    return []


def _check_steps(p: StepsParams, max_points: float) -> list[tuple[tuple, str]]:
    problems = []
    for i, step in enumerate(p.steps):
        if len(step) != 2:
            problems.append((("steps", i), "mỗi bậc là một cặp [ngưỡng, điểm]"))
        elif not 0 <= step[1] <= max_points:
            problems.append((("steps", i), f"điểm {step[1]} nằm ngoài 0..{max_points}"))
    if problems:
        return problems
    thresholds = [s[0] for s in p.steps]
    points = [s[1] for s in p.steps]
    higher = p.direction == "higher"
    ordered = all(
        (a > b) if higher else (a < b) for a, b in zip(thresholds, thresholds[1:], strict=False)
    )
    if not ordered:
        word = "giảm dần" if higher else "tăng dần"
        problems.append((("steps",), f"các ngưỡng phải {word} (bậc khó nhất đứng trước)"))
    if any(a < b for a, b in zip(points, points[1:], strict=False)) or points[-1] < p.otherwise:
        problems.append((("steps",), "điểm các bậc phải không tăng (bậc khó nhất điểm cao nhất)"))
    if p.otherwise > max_points:
        problems.append((("otherwise",), f"điểm {p.otherwise} vượt điểm tối đa {max_points}"))
    return problems


def _check_choice(p: ChoiceParams, max_points: float) -> list[tuple[tuple, str]]:
    limit = 1.0 if p.values_as == "share" else max_points
    what = "tỷ lệ của điểm tối đa (0..1)" if p.values_as == "share" else f"điểm (0..{max_points})"
    return (
        [
            (("options", key), f"giá trị {value} của lựa chọn '{key}' phải là {what}")
            for key, value in p.options.items()
            if value > limit
        ]
        + [
            (("options",), "tên lựa chọn không được để trống")
            for key in p.options
            if not key.strip()
        ]
        + [
            (("labels", key), f"nhãn cho lựa chọn '{key}' không có trong options")
            for key in p.labels
            if key not in p.options
        ]
    )


def _check_boolean(p: BooleanParams, max_points: float) -> list[tuple[tuple, str]]:
    return [
        ((name,), f"điểm {value} vượt điểm tối đa {max_points}")
        for name, value in (("points_true", p.points_true), ("points_false", p.points_false))
        if value is not None and value > max_points
    ]


def _check_index(p: IndexParams, max_points: float) -> list[tuple[tuple, str]]:
    problems = []
    keys = [c.key for c in p.components]
    for key in sorted({k for k in keys if keys.count(k) > 1}):
        problems.append((("components",), f"thành phần '{key}' bị trùng"))
    total = sum(c.weight for c in p.components)
    if p.total_weight is not None and abs(total - p.total_weight) > 1e-9:
        problems.append(
            (
                ("total_weight",),
                f"tổng trọng số các thành phần là {total:g} ("
                + " + ".join(f"{c.key} {c.weight:g}" for c in p.components)
                + f"), khác total_weight {p.total_weight:g}",
            )
        )
    return problems


CHECKS: dict[str, Callable] = {
    "ratio": _check_ratio,
    "steps": _check_steps,
    "choice": _check_choice,
    "boolean": _check_boolean,
    "index": _check_index,
}


def _ratio(item, cols, ctx: Context) -> Outcome:
    p = item.config
    notes = {}
    if p.input == "pair":
        a, b = cols[f"{item.code}_a"], cols[f"{item.code}_b"]
        share = np.divide(a, b, out=np.full(ctx.n, np.nan), where=b > 0)
        # a missing numerator stays "missing" even when the denominator is 0
        zero = (b == 0) & ~np.isnan(a)
        notes[NOTE_ZERO_DENOMINATOR] = zero
    else:
        share = cols[item.code] / (100.0 if p.input == "percent" else p.scale)
        zero = np.zeros(ctx.n, dtype=bool)
    points = share / p.target * item.max_points
    below = share < p.floor
    points = np.where(below, 0.0, points)
    notes[NOTE_BELOW_FLOOR] = below
    points = np.where(zero, item.max_points if p.zero_denominator == "full" else 0.0, points)
    return Outcome(raw=share, points=points, notes=notes)


def _steps(item, cols, ctx: Context) -> Outcome:
    p = item.config
    value = cols[item.code]
    points = np.full(ctx.n, p.otherwise)
    for threshold, step_points in reversed(p.steps):
        reached = value >= threshold if p.direction == "higher" else value <= threshold
        points = np.where(reached, step_points, points)
    return Outcome(raw=value, points=np.where(np.isnan(value), np.nan, points))


def _choice(item, cols, ctx: Context) -> Outcome:
    p = item.config
    scale = item.max_points if p.values_as == "share" else 1.0
    mapping = {key: value * scale for key, value in p.options.items()}
    text = cols[item.code]
    # Each distinct option is looked up once; blank (None/NaN) has code -1 and no points.
    if isinstance(text, pd.Categorical):
        codes, uniques = text.codes, text.categories
    else:
        text = np.asarray(text, dtype=object)
        codes, uniques = pd.factorize(text)
    table = np.array([mapping.get(u, np.nan) for u in uniques] + [np.nan], dtype=float)
    return Outcome(raw=np.full(ctx.n, np.nan), points=table[codes], text=text)


def _group_extreme(values: np.ndarray, groups: np.ndarray, ufunc) -> np.ndarray:
    size = int(groups.max()) + 1 if len(groups) else 0
    extreme = np.full(size, np.nan)
    ufunc.at(extreme, groups, values)
    return extreme[groups]


def _relative(item, cols, ctx: Context) -> Outcome:
    p = item.config
    value = cols[item.code]
    groups = ctx.group_ids if p.cohort == "group" else np.zeros(ctx.n, dtype=np.intp)
    hi = _group_extreme(value, groups, np.fmax)
    lo = _group_extreme(value, groups, np.fmin)
    top = item.max_points
    with np.errstate(divide="ignore", invalid="ignore"):
        if p.min_max:
            span = hi - lo
            gain = (value - lo) if p.direction == "higher" else (hi - value)
            points = np.where(span > 0, gain / span * top, top)
        elif p.direction == "higher":
            points = np.where(hi > 0, value / hi * top, 0.0)
        else:
            points = np.where(value == lo, top, np.where(value > 0, lo / value * top, 0.0))
    return Outcome(raw=value, points=np.where(np.isnan(value), np.nan, points))


def _count(item, cols, ctx: Context) -> Outcome:
    value = cols[item.code]
    return Outcome(raw=value, points=value * item.config.per_item)


def _boolean(item, cols, ctx: Context) -> Outcome:
    p = item.config
    value = cols[item.code]
    yes = item.max_points if p.points_true is None else p.points_true
    points = np.where(value == 1, yes, p.points_false)
    return Outcome(raw=value, points=np.where(np.isnan(value), np.nan, points))


def _manual(item, cols, ctx: Context) -> Outcome:
    value = cols.get(item.code)
    if value is None:
        value = np.full(ctx.n, np.nan)
    return Outcome(raw=value, points=value.copy())


def _index(item, cols, ctx: Context) -> Outcome:
    p = item.config
    total = np.zeros(ctx.n)
    for component in p.components:
        share = cols[f"{item.code}_{component.key}"] / component_scale(p, component)
        total = total + share * component.weight
    weight = sum(c.weight for c in p.components)
    value = round_half_up(total / weight, ctx.index_decimals)
    return Outcome(raw=value, points=value * item.max_points)


def _target_ratio(item, cols, ctx: Context) -> Outcome:
    p = item.config
    if p.input == "pair":
        a, b = cols[f"{item.code}_a"], cols[f"{item.code}_b"]
        achieved = np.divide(a, b, out=np.full(ctx.n, np.nan), where=b > 0)
    else:
        achieved = cols[item.code]
    target = cols.get(target_column(item.code))
    if target is None:
        target = np.full(ctx.n, np.nan)
    no_target = np.isnan(target) & ~np.isnan(achieved)
    with np.errstate(divide="ignore", invalid="ignore"):
        if p.direction == "higher":
            # A target of 0 is met by anything.
            ratio = np.where(target > 0, achieved / target, 1.0)
        else:
            ratio = np.where(achieved > 0, target / achieved, 1.0)
    points = np.minimum(ratio, p.cap) * item.max_points
    points = np.where(no_target, 0.0, np.where(np.isnan(achieved), np.nan, points))
    return Outcome(raw=achieved, points=points, notes={NOTE_NO_TARGET: no_target})


def _formula(item, cols, ctx: Context) -> Outcome:
    value = item.expression.evaluate(ctx.env, ctx.n)
    return Outcome(raw=value, points=value, notes={NOTE_NEGATIVE: value < 0})


METHODS: dict[str, Callable[..., Outcome]] = {
    "ratio": _ratio,
    "steps": _steps,
    "choice": _choice,
    "relative": _relative,
    "count": _count,
    "boolean": _boolean,
    "manual": _manual,
    "index": _index,
    "formula": _formula,
    "target_ratio": _target_ratio,
}
