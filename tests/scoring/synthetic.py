"""Synthetic rule files and VALUES frames using every method, for tests and the benchmark."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pandas as pd

from emulation.scoring import RuleSet
from emulation.scoring.values import value_columns
from tests.support.instants import DEADLINE

HEADER = """
format = 1
[movement]
code = "synthetic"
name = "Phong trào tổng hợp để kiểm thử"
organisation = "Đơn vị kiểm thử"
place = "Đà Nẵng"

[[rounds]]
code = "r1"
kind = "final"
name = "Đợt kiểm thử"
opens_at = 2024-01-01T00:00:00+07:00
deadline = 2024-08-30T23:59:59+07:00
grace_minutes = {grace}
late_policy = "{late_policy}"
award_date = 2024-10-10

[scoring]
sums = "{sums}"
bonus_cap = 4
penalty_cap = 3

[[inputs]]
code = "INCIDENTS"
name = "Sự cố"
type = "count"
"""

TAIL = """
[[bonus]]
code = "BONUS_A"
name = "Sáng kiến"
max_points = 3
method = "count"
params = {{ per_item = 1.5 }}

[[bonus]]
code = "BONUS_B"
name = "Biểu dương"
max_points = 2
method = "boolean"

[[penalties]]
code = "PEN_A"
name = "Chậm báo cáo"
max_points = 5
method = "count"
params = {{ per_item = 1 }}

[[disqualifiers]]
code = "incident"
reason = "Có sự cố nghiêm trọng"
when = "INCIDENTS > 1"

[[disqualifiers]]
code = "low"
reason = "Tỷ lệ quá thấp"
when = "{first_ratio} < 0.05 and {first_ratio} == {first_ratio}"

[[bands]]
code = "a"
name = "Xuất sắc"
min_total = {band_a}

[[bands]]
code = "b"
name = "Tốt"
min_total = {band_b}

[[bands]]
code = "c"
name = "Khá"
min_total = {band_c}

[ranking]
group_by = {group_by}
tie_policy = "{tie_policy}"
tie_break = {tie_break}

[[awards]]
code = "top"
name = "Bằng khen"
min_band = "a"
kinds = ["collective"]
quota = {{ count = {top_count}, per = "overall", ties = "exclude" }}

[[awards]]
code = "second"
name = "Giấy khen"
min_band = "b"
quota = {{ percent = 20, per = "group", ties = "include" }}

[[awards]]
code = "third"
name = "Biểu dương"
min_band = "c"
require_on_time = false
"""


def _params(method: str, variant: int, top: float, code: str, earlier: list[str]) -> str:
    if method == "ratio":
        return [
            'params = { input = "pair", target = 0.9, floor = 0.2 }',
            'params = { input = "pair", zero_denominator = "full" }',
            'params = { input = "share" }',
            'params = { input = "percent", target = 0.8 }',
        ][variant % 4]
    if method == "steps":
        if variant % 2:
            return (
                f'params = {{ direction = "lower", steps = [[0, {top}], [2, {top / 2}], '
                f"[4, {top / 4}]] }}"
            )
        return f"params = {{ steps = [[8, {top}], [5, {top * 0.6}], [2, {top * 0.3}]] }}"
    if method == "choice":
        if variant % 2:
            return f"params = {{ values_as = 'points', options = {{ a = {top}, b = {top / 3} }} }}"
        return "params = { options = { full = 1.0, half = 0.5, none = 0.0 } }"
    if method == "relative":
        return [
            "params = {}",
            'params = { min_max = true, cohort = "group" }',
            'params = { direction = "lower" }',
            'params = { direction = "lower", min_max = true }',
        ][variant % 4]
    if method == "count":
        return f"params = {{ per_item = {[0.5, 1.25, 2][variant % 3]} }}"
    if method == "boolean":
        return "params = {}" if variant % 2 else f"params = {{ points_true = {top * 0.8} }}"
    if method == "manual":
        return "params = {}"
    if method == "index":
        weights = [(20, 30, 50), (1, 1, 1, 1)][variant % 2]
        comps = ", ".join(
            f'{{ key = "c{i}", name = "Thành phần {i}", weight = {w} }}'
            for i, w in enumerate(weights)
        )
        return f"params = {{ components = [{comps}] }}"
    a, b, c = earlier[-1], earlier[-2], earlier[-3]
    expressions = [
        f"{a} * 2 + {b} / 3 - 1",
        f"min({a}, {b}) * 3 if {c} > 1 else abs({a} - {b})",
        f"max({a} / {b}, 0.5) + ({c} >= 2) * 1.5",
        f"(not {a}) * 2 + ({b} != {c}) + ({a} < {b} <= {c}) * 4",
    ]
    return f'params = {{ expression = "{expressions[variant % 4]}" }}'


METHOD_CYCLE = (
    "ratio", "steps", "choice", "relative", "count", "boolean", "index", "ratio",
    "steps", "relative", "count", "formula", "manual",
)  # fmt: skip


def synthetic_rules_text(
    n_indicators: int = 100,
    n_groups: int = 5,
    *,
    tie_policy: str = "chain",
    group_by: str = '["cluster"]',
    late_policy: str = "reject",
    top_count: int = 10,
    sums: str = "exact",
) -> str:
    """A rule file with n indicators cycling through every method and variant."""
    per_group = n_indicators // n_groups
    grace = 30 if late_policy == "accept_flagged" else 0
    lines = [HEADER.format(late_policy=late_policy, grace=grace, sums=sums)]
    codes: list[str] = []
    k = 0
    total = 0.0
    first_ratio = None
    for g in range(n_groups):
        lines += ["[[groups]]", f'code = "G{g}"', f'name = "Nhóm {g}"']
        for c in range((per_group + 4) // 5):
            lines += ["[[groups.criteria]]", f'code = "G{g}C{c}"', f'name = "Tiêu chí {g}.{c}"']
            for _ in range(5):
                if k >= (g + 1) * per_group:
                    break
                method = METHOD_CYCLE[k % len(METHOD_CYCLE)]
                if method == "formula" and len(codes) < 3:
                    method = "count"
                code = f"I{k:03d}"
                top = float(2 + k % 5)
                total += top
                lines += [
                    "[[groups.criteria.indicators]]",
                    f'code = "{code}"',
                    f'name = "Chỉ tiêu {k}"',
                    f"max_points = {top}",
                    f'method = "{method}"',
                    _params(method, k // len(METHOD_CYCLE), top, code, codes),
                ]
                if method == "ratio" and first_ratio is None:
                    first_ratio = code
                if method not in ("choice", "formula"):
                    codes.append(code)
                k += 1
    tie_break = '["group:G0", "bonus", "submitted_at"]' if tie_policy == "chain" else "[]"
    lines.append(
        TAIL.format(
            first_ratio=first_ratio,
            band_a=round(total * 0.53, 2),
            band_b=round(total * 0.49, 2),
            band_c=round(total * 0.45, 2),
            group_by=group_by,
            tie_policy=tie_policy,
            tie_break=tie_break,
            top_count=top_count,
        )
    )
    return "\n".join(lines) + "\n"


def synthetic_values(rs: RuleSet, n: int, seed: int = 0, missing: float = 0.01) -> pd.DataFrame:
    """A wide VALUES frame of n candidates with realistic, tie-prone values for rule set rs."""
    rng = np.random.default_rng(seed)
    data: dict[str, object] = {
        "unit_code": [f"U{i:05d}" for i in range(n)],
        "unit_name": [f"Đơn vị {i}" for i in range(n)],
        "cluster": rng.choice([f"Cụm {c}" for c in "ABCDEFGH"], n),
        "kind": rng.choice(["collective", "individual"], n, p=[0.8, 0.2]),
    }
    offsets = rng.integers(-20 * 24 * 60, 90, n)
    submitted = pd.Series([DEADLINE + timedelta(minutes=int(m)) for m in offsets])
    submitted[rng.random(n) < 0.02] = pd.NaT
    data["submitted_at"] = pd.to_datetime(submitted, utc=True)
    data["complete"] = rng.random(n) > 0.03
    pairs: dict[str, np.ndarray] = {}
    for spec in value_columns(rs):
        kind = spec.kind
        if kind == "nonneg" and spec.name.endswith("_b"):
            values = rng.integers(0, 40, n).astype(float)
        elif kind == "nonneg" and spec.name.endswith("_a"):
            owner_b = pairs.setdefault(spec.owner, rng.integers(0, 40, n).astype(float))
            values = np.floor(rng.random(n) * (owner_b + 1))
        elif kind == "nonneg":
            values = rng.integers(0, 20, n).astype(float)
        elif kind == "number":
            values = rng.integers(-2, 12, n).astype(float)
        elif kind == "count":
            values = rng.integers(0, 6, n).astype(float)
        elif kind == "share":
            values = np.round(rng.random(n), 3)
        elif kind == "percent":
            values = np.round(rng.random(n) * 100, 1)
        elif kind == "boolean":
            values = rng.integers(0, 2, n).astype(float)
        elif kind == "points":
            values = np.round(rng.random(n) * spec.max_points * 2) / 2
        else:
            values = rng.choice(np.array(spec.options, dtype=object), n)
        if spec.name == "INCIDENTS":
            values = (rng.random(n) < 0.01) * 2.0
        if kind != "choice" and missing and not spec.name.endswith(("_a", "_b")):
            values = np.where(rng.random(n) < missing, np.nan, values)
        data[spec.name] = values
    # ratio pairs: the a column must be drawn from the same b column
    for owner, b in pairs.items():
        data[f"{owner}_b"] = b
    return pd.DataFrame(data)
