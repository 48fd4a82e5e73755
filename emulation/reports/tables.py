"""The report's tables as pandas frames with Vietnamese headers (numbers stay numbers)."""

import numpy as np
import pandas as pd

from . import fmt
from .data import Report

METHOD_NAMES = {
    "ratio": "tỷ lệ",
    "steps": "bậc thang",
    "choice": "lựa chọn",
    "relative": "so với đơn vị cao nhất",
    "count": "đếm số lượng",
    "boolean": "có/không",
    "manual": "Hội đồng chấm",
    "index": "chỉ số tổng hợp",
    "formula": "công thức",
}
SECTION_NAMES = {"bonus": "Điểm thưởng", "penalty": "Điểm trừ"}


def participation_frame(report: Report) -> pd.DataFrame:
    """Participation per cluster, with the total last."""
    rows = [*report.participation, report.total]
    return pd.DataFrame(
        {
            "Cụm, khối thi đua": [p.cluster for p in rows],
            "Số đơn vị": [p.expected for p in rows],
            "Đã nộp": [p.submitted for p in rows],
            "Đúng hạn": [p.on_time for p in rows],
            "Muộn (gia hạn)": [p.late for p in rows],
            "Chưa nộp": [p.missing for p in rows],
            "Trả lại bổ sung": [p.returned for p in rows],
            "Tỷ lệ nộp": [p.rate for p in rows],
        }
    )


def ranking_frame(report: Report) -> pd.DataFrame:
    """Every candidate: group points, total, band, ranks, proposed award, exclusion."""
    s = report.standings
    data = {
        "Mã": [x.key for x in s],
        "Tập thể, cá nhân": [x.name for x in s],
        "Cụm, khối": [x.cluster for x in s],
    }
    for code, name, _top in report.groups:
        data[f"{code}. {name}"] = [x.groups.get(code) for x in s]
    data |= {
        "Điểm thưởng": [x.bonus for x in s],
        "Điểm trừ": [x.penalty for x in s],
        "Tổng điểm": [x.total for x in s],
        "Xếp loại": [x.band for x in s],
        "Hạng trong cụm": pd.array([x.rank_in_group for x in s], dtype="Int64"),
        "Hạng chung": pd.array([x.rank_overall for x in s], dtype="Int64"),
        "Đề nghị khen thưởng": [x.award for x in s],
        "Nộp đúng hạn": ["có" if x.on_time else "không" for x in s],
        "Lý do bị loại": [x.reason for x in s],
    }
    return pd.DataFrame(data)


def indicators_frame(report: Report) -> pd.DataFrame:
    """Per indicator: maximum, average, requirement, compliance."""
    i = report.indicators
    return pd.DataFrame(
        {
            "Mã chỉ tiêu": [x.code for x in i],
            "Chỉ tiêu": [x.name for x in i],
            "Nhóm": [x.group for x in i],
            "Điểm tối đa": [x.max_points for x in i],
            "Điểm bình quân": [x.mean_points for x in i],
            "Tỷ lệ điểm bình quân": [x.share for x in i],
            "Mức yêu cầu": [x.target for x in i],
            "Số đơn vị đạt": [x.reached for x in i],
            "Số đơn vị": [x.counted for x in i],
            "Tỷ lệ đạt": [x.compliance for x in i],
        }
    )


def comparison_frame(report: Report) -> pd.DataFrame:
    """Interim and final totals and overall ranks per candidate, with the changes."""
    c = report.comparison or []
    return pd.DataFrame(
        {
            "Mã": [x.key for x in c],
            "Tập thể, cá nhân": [x.name for x in c],
            "Điểm sơ kết": [x.interim_total for x in c],
            "Điểm tổng kết": [x.final_total for x in c],
            "Thay đổi điểm": [x.points_change for x in c],
            "Hạng chung sơ kết": pd.array([x.interim_rank for x in c], dtype="Int64"),
            "Hạng chung tổng kết": pd.array([x.final_rank for x in c], dtype="Int64"),
            "Thay đổi hạng (+ là tăng)": pd.array([x.rank_change for x in c], dtype="Int64"),
        }
    )


def _inputs_text(columns: tuple, values: pd.DataFrame, n: int) -> list[str]:
    if len(columns) < 2:
        return [""] * n
    parts = [
        [f"{col}={fmt.number(v, 4) if isinstance(v, int | float) else v}" for v in values[col]]
        for col in columns
    ]
    return ["; ".join(cells) for cells in zip(*parts, strict=True)]


def points_frame(report: Report) -> pd.DataFrame:
    """One row per candidate and scored item, with the value and why it earned its points."""
    result = report.result
    if result is None or result.table.empty:
        return pd.DataFrame(columns=["Mã", "Tập thể, cá nhân", "Mã chỉ tiêu", "Điểm"])
    items = result.rules.scored_items
    table, details = result.table, result.details
    n, k = len(table), len(items)
    unit = np.repeat(np.arange(n), k)
    inputs = np.array(
        [_inputs_text(item.columns, result.values, n) for item in items], dtype=object
    ).T.ravel()
    raw = details["raw"].to_numpy(dtype=float)
    raw_text = details["raw_text"].astype(object).to_numpy()
    points = details["points"].to_numpy(dtype=float)
    rule_points = details["rule_points"].to_numpy(dtype=float)
    maxima = details["max_points"].to_numpy(dtype=float)
    notes = details["note"].astype(str).to_numpy()
    labels = [getattr(i.config, "labels", None) or {} for i in items]
    position = np.tile(np.arange(k), n)
    # the value stays a number (a numeric cell); a choice shows the label the form showed
    values = [
        labels[j].get(t, t) if isinstance(t, str) else (None if np.isnan(v) else float(v))
        for j, t, v in zip(position, raw_text, raw, strict=True)
    ]
    shown = [
        v if isinstance(v, str) else fmt.number(v, 4) if v is not None else "—" for v in values
    ]
    explanation = []
    for value, got, rule, top, note in zip(shown, points, rule_points, maxima, notes, strict=True):
        text = f"số liệu {value} → {fmt.number(got)}/{fmt.number(top)} điểm"
        if got != rule:
            text += f" (theo quy tắc {fmt.number(rule)} điểm)"
        explanation.append(text + (f"; {note}" if note else ""))
    return pd.DataFrame(
        {
            "Mã": table["unit_code"].to_numpy(dtype=object)[unit],
            "Tập thể, cá nhân": table["unit_name"].to_numpy(dtype=object)[unit],
            "Cụm, khối": table["cluster"].to_numpy(dtype=object)[unit],
            "Nhóm": np.array(
                [SECTION_NAMES.get(i.section, i.group_code) for i in items], dtype=object
            )[position],
            "Mã chỉ tiêu": np.array([i.code for i in items], dtype=object)[position],
            "Chỉ tiêu": np.array([i.name for i in items], dtype=object)[position],
            "Phương pháp": np.array(
                [METHOD_NAMES.get(i.method, i.method) for i in items], dtype=object
            )[position],
            "Số liệu đầu vào": inputs,
            "Giá trị": pd.Series(values, dtype=object),
            "Điểm theo quy tắc": rule_points,
            "Điểm được tính": points,
            "Điểm tối đa": maxima,
            "Ghi chú": notes,
            "Giải thích": explanation,
        }
    )
