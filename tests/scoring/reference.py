"""A plain per-candidate reference scorer, written apart from the vectorised engine.

It reads the same rule set and the same validated VALUES frame and follows the documented
formulas (scoring_rules/README.md) with Python loops and floats only. The engine must agree
with it exactly.
"""

from __future__ import annotations

import ast
import math
from zoneinfo import ZoneInfo

import pandas as pd

NOTE = {
    "override": "điểm do Hội đồng quyết định",
    "missing": "không có số liệu, tính 0 điểm",
    "pending": "chưa có điểm Hội đồng chấm, tính 0 điểm",
    "not_computable": "không tính được (thiếu số liệu hoặc chia cho 0), tính 0 điểm",
    "zero": "mẫu số bằng 0",
    "floor": "dưới ngưỡng tối thiểu, tính 0 điểm",
    "negative": "kết quả âm, tính 0 điểm",
    "capped": "vượt điểm tối đa, tính bằng điểm tối đa",
}
KIND_LABELS = {"collective": "Tập thể", "individual": "Cá nhân"}


def rnd(x: float, decimals: int) -> float:
    """Half-up rounding on the decimal value, as documented."""
    f = 10.0**decimals
    return math.floor(x * f + 0.5 + 1e-9) / f


def isnan(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def truth(x: float) -> bool:
    return not isnan(x) and x != 0


def evaluate(node, env):
    """Evaluate a whitelisted expression on one candidate's floats."""
    if isinstance(node, ast.Expression):
        return evaluate(node.body, env)
    if isinstance(node, ast.Constant):
        return float(node.value)
    if isinstance(node, ast.Name):
        return env[node.id]
    if isinstance(node, ast.UnaryOp):
        v = evaluate(node.operand, env)
        if isinstance(node.op, ast.USub):
            return -v
        if isinstance(node.op, ast.Not):
            return 0.0 if truth(v) else 1.0
        return v
    if isinstance(node, ast.BinOp):
        a, b = evaluate(node.left, env), evaluate(node.right, env)
        if isinstance(node.op, ast.Add):
            return a + b
        if isinstance(node.op, ast.Sub):
            return a - b
        if isinstance(node.op, ast.Mult):
            return a * b
        if isnan(a) or isnan(b) or b == 0:
            return math.nan
        return a / b
    if isinstance(node, ast.Compare):
        values = [evaluate(node.left, env)] + [evaluate(c, env) for c in node.comparators]
        for op, a, b in zip(node.ops, values, values[1:], strict=False):
            if isnan(a) or isnan(b):
                return 0.0
            ok = {
                ast.Lt: a < b, ast.LtE: a <= b, ast.Gt: a > b,
                ast.GtE: a >= b, ast.Eq: a == b, ast.NotEq: a != b,
            }[type(op)]  # fmt: skip
            if not ok:
                return 0.0
        return 1.0
    if isinstance(node, ast.BoolOp):
        values = [truth(evaluate(v, env)) for v in node.values]
        return float(all(values) if isinstance(node.op, ast.And) else any(values))
    if isinstance(node, ast.IfExp):
        return evaluate(node.body if truth(evaluate(node.test, env)) else node.orelse, env)
    if isinstance(node, ast.Call):
        args = [evaluate(a, env) for a in node.args]
        if node.func.id == "abs":
            return abs(args[0])
        if any(isnan(a) for a in args):
            return math.nan
        return min(args) if node.func.id == "min" else max(args)
    raise ValueError(type(node).__name__)


def item_value(item, row, extremes):
    """(raw, points before capping or None when missing, note key) for one candidate."""
    p, code, top = item.params, item.code, item.max_points
    if item.method == "ratio":
        if p["input"] == "pair":
            a, b = row[code + "_a"], row[code + "_b"]
            if isnan(a) or isnan(b):
                return math.nan, None, "missing"
            if b == 0:
                return math.nan, (top if p["zero_denominator"] == "full" else 0.0), "zero"
            share = a / b
        else:
            share = row[code]
            if isnan(share):
                return math.nan, None, "missing"
            if p["input"] == "percent":
                share = share / 100.0
            elif p["input"] == "share":
                share = share / p["scale"]
        if share < p["floor"]:
            return share, 0.0, "floor"
        return share, share / p["target"] * top, None
    if item.method == "choice":
        choice = row[code]
        if choice is None or (isinstance(choice, float) and math.isnan(choice)):
            return math.nan, None, "missing"
        scale = top if p["values_as"] == "share" else 1.0
        return math.nan, p["options"][choice] * scale, None
    if item.method == "formula":
        value = evaluate(ast.parse(p["expression"], mode="eval"), row)
        if isnan(value):
            return value, None, "not_computable"
        return value, value, ("negative" if value < 0 else None)
    if item.method == "index":
        total = 0.0
        for c in p["components"]:
            scale = c["scale"] if c["scale"] is not None else p["scale"]
            total = total + row[f"{code}_{c['key']}"] / scale * c["weight"]
        if isnan(total):
            return math.nan, None, "missing"
        weight = sum(c["weight"] for c in p["components"])
        value = rnd(total / weight, extremes["index_decimals"])
        return value, value * top, None
    value = row.get(code, math.nan)
    if isnan(value):
        return math.nan, None, ("pending" if item.method == "manual" else "missing")
    if item.method == "steps":
        for threshold, step in p["steps"]:
            if (value >= threshold) if p["direction"] == "higher" else (value <= threshold):
                return value, step, None
        return value, p["otherwise"], None
    if item.method == "count":
        return value, value * p["per_item"], None
    if item.method == "boolean":
        yes = top if p["points_true"] is None else p["points_true"]
        return value, (yes if value == 1 else p["points_false"]), None
    if item.method == "manual":
        return value, value, None
    hi, lo = extremes[(code, row["_cohort"])]
    if p["min_max"]:
        span = hi - lo
        gain = (value - lo) if p["direction"] == "higher" else (hi - value)
        return value, (gain / span * top if span > 0 else top), None
    if p["direction"] == "higher":
        return value, (value / hi * top if hi > 0 else 0.0), None
    if value == lo:
        return value, top, None
    return value, (lo / value * top if value > 0 else 0.0), None


def label_of(rs, row) -> str:
    parts = [p for p in rs.ranking.group_by if p != "overall"]
    if not parts:
        return "Toàn bộ"
    names = {"cluster": row["cluster"] or "Toàn bộ", "kind": KIND_LABELS[row["kind"]]}
    return " / ".join(names[p] for p in parts)


def reference_score(rs, frame: pd.DataFrame, round_code=None, manual_points=None):
    """Score candidates one by one; return (table, details) DataFrames like the engine's."""
    manual_points = dict(manual_points or {})
    decimals = rs.scoring.points_decimals
    rows = []
    for record in frame.to_dict("records"):
        row = dict(record)
        row["_label"] = label_of(rs, row)
        rows.append(row)
    items = rs.indicators + rs.bonus + rs.penalties
    extremes = {"index_decimals": rs.scoring.index_decimals}
    for item in items:
        if item.method != "relative":
            continue
        for row in rows:
            cohort = row["_label"] if item.params["cohort"] == "group" else ""
            value = row[item.code]
            if isnan(value):
                continue
            hi, lo = extremes.get((item.code, cohort), (value, value))
            extremes[(item.code, cohort)] = (max(hi, value), min(lo, value))
    spec = rs.round(round_code) if round_code else None
    table, details = [], []
    for row in rows:
        env = {k: v for k, v in row.items() if isinstance(v, float)}
        results = {}
        ordered = [i for i in items if i.method != "formula"] + [
            i for i in items if i.method == "formula"
        ]
        for item in ordered:
            if item.method == "relative":
                cohort = row["_label"] if item.params["cohort"] == "group" else ""
                row["_cohort"] = cohort
                extremes.setdefault((item.code, cohort), (math.nan, math.nan))
            raw, points, note = item_value(item, env | row, extremes)
            results[item.code] = (raw, points, note)
            if item.method not in ("formula", "choice"):
                env[item.code] = raw
                row[item.code] = raw if item.method in ("ratio", "index") else row.get(item.code)
        final = {}
        for item in items:
            raw, points, note = results[item.code]
            capped = points is not None and points > item.max_points
            if capped and note is None:
                note = "capped"
            value = 0.0 if points is None else min(max(points, 0.0), item.max_points)
            rule = rnd(value, decimals)
            given = manual_points.get((row["unit_code"], item.code))
            shown = rule
            if given is not None:
                value = float(given)
                shown, note, capped = rnd(value, decimals), "override", False
            final[item.code] = value if rs.scoring.sums == "exact" else shown
            text = row[item.code] if item.method == "choice" else None
            details.append(
                {
                    "unit_code": row["unit_code"], "indicator_code": item.code,
                    "raw": raw, "raw_text": text if isinstance(text, str) else None,
                    "points": shown, "rule_points": rule, "capped": capped,
                    "note": NOTE[note] if note else "",
                }
            )  # fmt: skip
        out = {"unit_code": row["unit_code"], "_label": row["_label"], "kind": row["kind"]}
        subtotal = 0.0
        exact = {}
        for group in rs.groups:
            acc = 0.0
            for item in group.indicators:
                acc = acc + final[item.code]
            out[group.code] = rnd(acc, decimals)
            subtotal = subtotal + (acc if rs.scoring.sums == "exact" else out[group.code])
        for name, section, cap in (
            ("bonus", rs.bonus, rs.scoring.bonus_cap),
            ("penalty", rs.penalties, rs.scoring.penalty_cap),
        ):
            acc = 0.0
            for item in section:
                acc = acc + final[item.code]
            exact[name] = acc if cap is None else min(acc, cap)
            out[name] = rnd(exact[name], decimals)
            if rs.scoring.sums != "exact":
                exact[name] = out[name]
        total = max(subtotal + exact["bonus"] - exact["penalty"], 0.0)
        if rs.scoring.cap_total:
            total = min(total, rs.scoring.max_total)
        out["total"] = rnd(total, decimals)
        out["_final"] = final
        complete = bool(row["complete"])
        for item in rs.indicators:
            if item.method not in ("manual", "formula"):
                complete = complete and all(
                    not (row[c] is None or (isinstance(row[c], float) and math.isnan(row[c])))
                    for c in item.columns
                )
        for spec_input in rs.inputs:
            if spec_input.required and isnan(row[spec_input.code]):
                complete = False
        out["complete"] = complete
        submitted = row["submitted_at"]
        known = submitted is not None and not pd.isna(submitted)
        at = submitted.to_pydatetime() if known else None
        late = spec is not None and known and at > spec.deadline
        too_late = spec is not None and known and at > spec.closes_at
        out["on_time"] = not late
        out["_submitted"] = submitted.to_pydatetime() if known else None
        reasons = [
            d.reason
            for d in rs.disqualifiers
            if truth(evaluate(ast.parse(d.when, mode="eval"), env))
        ]
        if (late and spec.late_policy == "reject") or too_late:
            zone = ZoneInfo(rs.movement.timezone)
            shown = [
                t.astimezone(zone).strftime("%d/%m/%Y %H:%M:%S")
                for t in (spec.deadline, spec.closes_at)
            ]
            if spec.grace:
                reasons.append(
                    f"Hồ sơ nộp quá hạn (hạn chót {shown[0]}, hết thời gian ân hạn {shown[1]})"
                )
            else:
                reasons.append(f"Hồ sơ nộp quá hạn (hạn chót {shown[0]})")
        out["disqualified"] = bool(reasons)
        out["disqualifier_reason"] = "; ".join(reasons)
        band = None
        if not reasons:
            for i, b in enumerate(rs.bands):
                if out["total"] >= b.min_total:
                    band = i
                    break
        out["_band"] = len(rs.bands) if band is None else band
        out["band_code"] = "" if band is None else rs.bands[band].code
        table.append(out)
    _rank(rs, table)
    _awards(rs, table, round_code)
    for out in table:
        for key in [k for k in out if k.startswith("_")]:
            del out[key]
    return pd.DataFrame(table), pd.DataFrame(details)


def _key(rs, out):
    key = [-out["total"]]
    if rs.ranking.tie_policy == "chain":
        for entry in rs.ranking.tie_break:
            kind, _, code = entry.partition(":")
            if kind == "group":
                key.append(-out[code])
            elif kind == "indicator":
                key.append(-out["_final"][code])
            elif kind == "bonus":
                key.append(-out["bonus"])
            elif kind == "penalty":
                key.append(out["penalty"])
            else:
                when = out["_submitted"]
                key.append((1, 0) if when is None else (0, when.timestamp()))
    return tuple(key)


def _rank(rs, table):
    for field, by_group in (("rank_in_group", True), ("rank_overall", False)):
        groups: dict[str, list] = {}
        for out in table:
            out[field] = None
            if not out["disqualified"]:
                groups.setdefault(out["_label"] if by_group else "", []).append(out)
        for members in groups.values():
            members.sort(key=lambda o: _key(rs, o))
            previous, rank = None, 0
            for position, out in enumerate(members, 1):
                key = _key(rs, out)
                if key != previous:
                    rank, previous = position, key
                out[field] = rank


def _awards(rs, table, round_code):
    for out in table:
        out["award_code"] = ""
    band_of = {b.code: i for i, b in enumerate(rs.bands)}
    for tier in rs.awards:
        if tier.rounds and round_code is not None and round_code not in tier.rounds:
            continue

        def eligible(out, tier=tier):
            return (
                not out["disqualified"]
                and not out["award_code"]
                and out["kind"] in tier.kinds
                and (tier.min_band is None or out["_band"] <= band_of[tier.min_band])
                and (tier.min_total is None or out["total"] >= tier.min_total)
                and (out["complete"] or not tier.require_complete)
                and (out["on_time"] or not tier.require_on_time)
            )

        chosen = [out for out in table if eligible(out)]
        if tier.quota is not None:
            per_group = tier.quota.per == "group"
            field = "rank_in_group" if per_group else "rank_overall"
            scopes: dict[str, list] = {}
            sizes: dict[str, int] = {}
            for out in table:
                scope = out["_label"] if per_group else ""
                sizes[scope] = sizes.get(scope, 0) + 1
            for out in chosen:
                scopes.setdefault(out["_label"] if per_group else "", []).append(out)
            chosen = []
            for scope, members in scopes.items():
                if tier.quota.count is not None:
                    limit = tier.quota.count
                else:
                    limit = math.floor(tier.quota.percent * sizes[scope] / 100 + 1e-9)
                members.sort(key=lambda o, f=field: o[f])
                if len(members) <= limit:
                    chosen += members
                    continue
                if limit == 0:
                    continue
                cut = members[limit - 1][field]
                if members[limit][field] != cut:
                    chosen += members[:limit]
                elif tier.quota.ties == "include":
                    chosen += [o for o in members if o[field] <= cut]
                else:
                    chosen += [o for o in members if o[field] < cut]
        for out in chosen:
            out["award_code"] = tier.code
