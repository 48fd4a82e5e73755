"""Explanations: every point of a candidate, as JSON-serialisable data and readable lines."""

from __future__ import annotations

import math
from datetime import date, datetime

import numpy as np
import pandas as pd

from .methods import component_scale, target_column
from .texts import SEPARATOR, identify, text

LATE_CODE = "nop-qua-han"


def json_safe(value):
    """Convert numpy/pandas scalars, NaN, infinities and timestamps into plain JSON values."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        # NaN and ±inf have no JSON form ("Infinity" is not JSON): both become null.
        return value if math.isfinite(value) else None
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def message_of(message: str) -> dict | None:
    """{id, args} of an engine text, for programs that word it in their own language."""
    found = identify(message) if message else None
    return None if found is None else {"id": found[0], "args": found[1]}


def rounding_text(rs) -> str:
    """How points are rounded, in one sentence."""
    s = rs.scoring
    return text(f"rounding.{s.sums}", decimals=s.points_decimals, index_decimals=s.index_decimals)


def rules_info(rs) -> dict:
    """Identity of the rule set a result came from."""
    return {
        "movement": rs.movement.code,
        "movement_name": rs.movement.name,
        "organisation": rs.movement.organisation,
        "source": rs.source,
        "content_hash": rs.content_hash,
    }


def _round_info(rs, round_code):
    if round_code is None:
        return None
    spec = rs.round(round_code)
    return {
        "code": spec.code,
        "name": spec.name,
        "kind": spec.kind,
        "deadline": spec.deadline.isoformat(),
        "grace_minutes": spec.grace.total_seconds() / 60,
        "late_policy": spec.late_policy,
    }


def _item_entry(item, detail, inputs) -> dict:
    return {
        "code": item.code,
        "name": item.name,
        "method": item.method,
        "params": item.params,
        "unit": item.unit,
        "evidence": list(item.evidence),
        "inputs": {column: inputs.get(column) for column in _input_columns(item)},
        "raw": detail["raw"],
        "raw_text": detail["raw_text"] if isinstance(detail["raw_text"], str) else None,
        "points": detail["points"],
        "rule_points": detail["rule_points"],
        "max_points": item.max_points,
        "capped": bool(detail["capped"]),
        "overridden": detail["points"] != detail["rule_points"]
        or detail["note"] == "điểm do Hội đồng quyết định",
        "note": str(detail["note"]),
        "note_message": message_of(str(detail["note"])),
        **_reading_aids(item),
    }


def _reading_aids(item) -> dict:
    """What a reader needs to recompute the points: index weights and scales, input units."""
    if item.method == "index":
        p = item.config
        return {
            "weights": {f"{item.code}_{c.key}": c.weight for c in p.components},
            "scales": {f"{item.code}_{c.key}": component_scale(p, c) for c in p.components},
        }
    if item.method == "ratio" and item.config.input == "percent":
        return {"input_unit": "%"}
    if item.method == "choice" and item.config.labels:
        return {"labels": dict(item.config.labels)}
    return {}


def _input_columns(item) -> tuple[str, ...]:
    if item.registrable:
        return (*item.columns, target_column(item.code))
    return item.columns


def _tier_status(rs, result, row, tier) -> str:
    if tier.rounds and result.round_code is not None and result.round_code not in tier.rounds:
        return text("tier.other_round")
    reasons = []
    if row["kind"] not in tier.kinds:
        reasons.append(text("tier.not_for_kind"))
    if row["disqualified"]:
        reasons.append(text("tier.disqualified", reasons=row["disqualifier_reason"]))
    if tier.min_band is not None:
        order = [b.code for b in rs.bands]
        reached = order.index(row["band_code"]) if row["band_code"] in order else len(order)
        if reached > order.index(tier.min_band):
            reasons.append(text("tier.band_below", band=rs.bands[order.index(tier.min_band)].name))
    if tier.min_total is not None and row["total"] < tier.min_total:
        reasons.append(text("tier.total_below", total=f"{tier.min_total:g}"))
    if tier.require_complete and not row["complete"]:
        reasons.append(text("tier.incomplete"))
    if tier.require_on_time and not row["on_time"]:
        reasons.append(text("tier.late"))
    if reasons:
        return text("tier.ineligible", reasons=SEPARATOR.join(reasons))
    if row["award_code"] == tier.code:
        return text("tier.proposed")
    if row["award_code"]:
        return text("tier.higher_tier")
    return text("tier.outside_quota")


def explain(result, unit_code: str) -> dict:
    """Explain one candidate's points, bonus, penalty, disqualifiers, ranks and award."""
    rs = result.rules
    matches = np.flatnonzero(result.table["unit_code"].to_numpy(dtype=object) == unit_code)
    if not len(matches):
        raise KeyError(unit_code)
    i = int(matches[0])
    row = {k: json_safe(v) for k, v in result.table.iloc[i].to_dict().items()}
    items = rs.scored_items
    block = result.details.iloc[i * len(items) : (i + 1) * len(items)]
    details = {d["indicator_code"]: d for d in block.to_dict(orient="records")}
    inputs = {k: json_safe(v) for k, v in result.values.iloc[i].to_dict().items()}
    entries = {
        item.code: json_safe(_item_entry(item, details[item.code], inputs)) for item in items
    }
    groups = [
        {
            "code": g.code,
            "name": g.name,
            "points": row[g.code],
            "max_points": g.max_points,
            "criteria": [
                {
                    "code": c.code,
                    "name": c.name,
                    "max_points": c.max_points,
                    "indicators": [entries[ind.code] for ind in c.indicators],
                }
                for c in g.criteria
            ],
        }
        for g in rs.groups
    ]
    reasons = [r for r in (row["disqualifier_reason"] or "").split("; ") if r]
    hits = [
        {"code": d.code, "reason": d.reason, "when": d.when}
        for d in rs.disqualifiers
        if d.reason in reasons
    ]
    late = text("late.refused_no_grace", deadline="")[:-2]
    hits += [{"code": LATE_CODE, "reason": r, "when": None} for r in reasons if r.startswith(late)]
    for hit in hits:
        hit["reason_message"] = message_of(hit["reason"])
    explanation = {
        "unit_code": row["unit_code"],
        "unit_name": row["unit_name"],
        "cluster": row["cluster"],
        "kind": row["kind"],
        "rules": rules_info(rs),
        "round": _round_info(rs, result.round_code),
        "submitted_at": row["submitted_at"],
        "on_time": row["on_time"],
        "complete": row["complete"],
        "groups": groups,
        "bonus": {
            "points": row["bonus"],
            "cap": rs.scoring.bonus_cap,
            "items": [entries[b.code] for b in rs.bonus],
        },
        "penalty": {
            "points": row["penalty"],
            "cap": rs.scoring.penalty_cap,
            "items": [entries[p.code] for p in rs.penalties],
        },
        "total": row["total"],
        "max_total": rs.scoring.max_total,
        "band": {"code": row["band_code"], "name": row["band"]} if row["band_code"] else None,
        "bands_defined": bool(rs.bands),
        "disqualified": row["disqualified"],
        "disqualifiers": hits,
        "ranking_group": row["ranking_group"],
        "rank_in_group": row["rank_in_group"],
        "rank_overall": row["rank_overall"],
        "award": {"code": row["award_code"], "name": row["award_tier"]}
        if row["award_code"]
        else None,
        "awards": [
            {"code": t.code, "name": t.name, "status": status, "status_message": message_of(status)}
            for t in rs.awards
            for status in (_tier_status(rs, result, row, t),)
        ],
        "tie_policy": result.tie_policy_text,
        "rounding": rounding_text(rs),
    }
    explanation["summary"] = summary_lines(explanation)
    return explanation


def _fmt(value) -> str:
    """A number the Vietnamese way (decimal comma), or a dash when there is none."""
    return "—" if value is None else f"{value:g}".replace(".", ",")


def _shown_value(ind: dict) -> str:
    if ind.get("weights"):
        weights, scales = ind["weights"], ind["scales"]
        parts = []
        for column, value in ind["inputs"].items():
            scale = f"/{_fmt(scales[column])}" if scales[column] != 1 else ""
            parts.append(f"{column}={_fmt(value)}{scale} × trọng số {_fmt(weights[column])}")
        total = sum(weights.values())
        return (
            "; ".join(parts) + f" (chỉ số = Σ giá trị × trọng số / {_fmt(total)}"
            f" = {_fmt(ind['raw'])})"
        )
    if ind.get("input_unit") == "%":
        (value,) = ind["inputs"].values()
        return "—" if value is None else f"{_fmt(value)} %"
    shown = ind["raw_text"] if ind["raw_text"] is not None else _fmt(ind["raw"])
    if ind["raw_text"] is not None and ind["raw_text"] in ind.get("labels", {}):
        shown = f"{ind['labels'][ind['raw_text']]} ({ind['raw_text']})"
    if len(ind["inputs"]) > 1:
        parts = ", ".join(f"{k}={_fmt(v)}" for k, v in ind["inputs"].items())
        shown = f"{parts} (giá trị {shown})"
    return shown


def _flag_lines(e: dict) -> list[str]:
    submitted = e["submitted_at"]
    if submitted:
        submitted = datetime.fromisoformat(submitted).strftime("%d/%m/%Y %H:%M:%S")
    else:
        submitted = "không rõ thời điểm nộp"
    if e["round"] is None:
        timing = "không xét hạn nộp (không chỉ định đợt)"
    else:
        deadline = datetime.fromisoformat(e["round"]["deadline"]).strftime("%d/%m/%Y %H:%M:%S")
        timing = "đúng hạn" if e["on_time"] else "QUÁ HẠN"
        timing += f" (hạn chót {deadline})"
    complete = "đầy đủ" if e["complete"] else "CHƯA ĐẦY ĐỦ (thiếu số liệu hoặc hồ sơ)"
    return [f"Nộp hồ sơ: {submitted} — {timing}", f"Hồ sơ và số liệu: {complete}"]


def _award_lines(e: dict) -> list[str]:
    if e["award"]:
        return [f"Đề nghị khen thưởng: {e['award']['name']}"]
    if not e["awards"]:
        return ["Đề nghị khen thưởng: không (quy tắc không có hình thức khen thưởng)"]
    lines = ["Đề nghị khen thưởng: không"]
    lines += [f"  {a['name']}: {a['status']}" for a in e["awards"]]
    return lines


def summary_lines(e: dict) -> list[str]:
    """The explanation as short Vietnamese sentences for people."""
    lines = [
        f"Đơn vị {e['unit_code']} – {e['unit_name']} ({e['cluster'] or 'không thuộc cụm'})",
        f"Quy tắc: {e['rules']['source']} (mã băm {e['rules']['content_hash'][:12]}…)",
        *_flag_lines(e),
    ]
    for group in e["groups"]:
        lines.append(f"Nhóm {group['code']} – {group['name']}: {_fmt(group['points'])}"
                     f"/{_fmt(group['max_points'])} điểm")  # fmt: skip
        for criterion in group["criteria"]:
            for ind in criterion["indicators"]:
                note = f" — {ind['note']}" if ind["note"] else ""
                lines.append(
                    f"  {ind['code']} {ind['name']}: số liệu {_shown_value(ind)}"
                    f" → {_fmt(ind['points'])}/{_fmt(ind['max_points'])} điểm"
                    f" ({ind['method']}){note}"
                )
    for key, word in (("bonus", "Điểm thưởng"), ("penalty", "Điểm trừ")):
        part = e[key]
        cap = f" (tối đa {_fmt(part['cap'])})" if part["cap"] is not None else ""
        lines.append(f"{word}: {_fmt(part['points'])}{cap}")
        for item in part["items"]:
            lines.append(f"  {item['code']} {item['name']}: {_fmt(item['points'])} điểm")
    lines.append(f"Tổng điểm: {_fmt(e['total'])}/{_fmt(e['max_total'])}")
    if e["disqualified"]:
        lines.append("Bị loại: " + "; ".join(d["reason"] for d in e["disqualifiers"]))
    else:
        if e["bands_defined"]:
            band = e["band"]["name"] if e["band"] else "không đạt mức xếp loại nào"
            lines.append(f"Xếp loại: {band}")
        group, overall = e["rank_in_group"], e["rank_overall"]
        lines.append(f"Hạng trong {e['ranking_group']}: {group}; hạng chung: {overall}")
    lines += _award_lines(e)
    lines.append(e["tie_policy"])
    lines.append(e["rounding"])
    return lines


def result_as_dict(result) -> dict:
    """The result table with rules identity, tie policy and rounding, ready for json.dumps."""
    rs = result.rules
    records = [
        {k: json_safe(v) for k, v in record.items()}
        for record in result.table.to_dict(orient="records")
    ]
    return {
        "rules": rules_info(rs),
        "round": _round_info(rs, result.round_code),
        "tie_policy": result.tie_policy_text,
        "rounding": rounding_text(rs),
        "groups": [{"code": g.code, "name": g.name, "max_points": g.max_points} for g in rs.groups],
        "results": records,
    }
