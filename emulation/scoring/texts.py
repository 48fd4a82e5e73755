"""Texts the engine writes into results: a stable id per message, rendered here in Vietnamese.

The engine stays free of any web framework: results carry Vietnamese text (the CLI's language),
and `identify` turns any such text back into its id and arguments, so the application can show
it in the reader's language from its own catalogue — also for results stored long ago.
"""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

VI: dict[str, str] = {
    "note.override": "điểm do Hội đồng quyết định",
    "note.missing": "không có số liệu, tính 0 điểm",
    "note.manual_pending": "chưa có điểm Hội đồng chấm, tính 0 điểm",
    "note.not_computable": "không tính được (thiếu số liệu hoặc chia cho 0), tính 0 điểm",
    "note.zero_denominator": "mẫu số bằng 0",
    "note.below_floor": "dưới ngưỡng tối thiểu, tính 0 điểm",
    "note.negative": "kết quả âm, tính 0 điểm",
    "note.capped": "vượt điểm tối đa, tính bằng điểm tối đa",
    "note.no_target": "đơn vị không đăng ký chỉ tiêu, tính 0 điểm",
    "late.refused": "Hồ sơ nộp quá hạn (hạn chót {deadline}, hết thời gian ân hạn {closes_at})",
    "late.refused_no_grace": "Hồ sơ nộp quá hạn (hạn chót {deadline})",
    "tier.other_round": "không xét trong đợt này",
    "tier.ineligible": "không đủ điều kiện: {reasons}",
    "tier.proposed": "được đề nghị",
    "tier.higher_tier": "đã được đề nghị hình thức cao hơn",
    "tier.outside_quota": "đủ điều kiện nhưng ngoài chỉ tiêu (số lượng) khen thưởng",
    "tier.not_for_kind": "không thuộc đối tượng của hình thức này",
    "tier.disqualified": "bị loại: {reasons}",
    "tier.band_below": "xếp loại chưa đạt '{band}'",
    "tier.total_below": "tổng điểm dưới {total}",
    "tier.incomplete": "hồ sơ hoặc số liệu chưa đầy đủ",
    "tier.late": "nộp hồ sơ quá hạn",
    "tie.shared": "Xếp hạng theo tổng điểm từ cao xuống thấp {where}; bằng tổng điểm thì đồng hạng,"
    " hạng kế tiếp bị bỏ qua (ví dụ 1, 2, 2, 4). Đối tượng bị loại (điểm liệt, nộp quá hạn)"
    " không được xếp hạng.",
    "tie.chain": "Xếp hạng theo tổng điểm từ cao xuống thấp {where}; nếu bằng tổng điểm thì xét"
    " lần lượt: {steps}; nếu vẫn bằng nhau thì đồng hạng (ví dụ 1, 2, 2, 4). Đối tượng bị loại"
    " (điểm liệt, nộp quá hạn) không được xếp hạng.",
    "tie.where_overall": "trên toàn bộ",
    "tie.where_groups": "trong từng {scope} và trên toàn bộ",
    "tie.scope_cluster": "cụm/khối thi đua",
    "tie.scope_kind": "loại đối tượng (tập thể, cá nhân)",
    "tie.by_group": "điểm nhóm '{name}' cao hơn",
    "tie.by_indicator": "điểm chỉ tiêu '{name}' cao hơn",
    "tie.by_bonus": "điểm thưởng cao hơn",
    "tie.by_penalty": "điểm trừ ít hơn",
    "tie.by_submitted_at": "nộp hồ sơ sớm hơn",
    "rounding.exact": "Điểm từng chỉ tiêu, điểm nhóm, điểm thưởng, điểm trừ và tổng điểm được hiển"
    " thị làm tròn {decimals} chữ số thập phân (từ 5 trở lên làm tròn lên); các tổng được cộng từ"
    " điểm chưa làm tròn. Giá trị chỉ số thành phần (index) làm tròn {index_decimals} chữ số.",
    "rounding.rounded_items": "Điểm từng chỉ tiêu được làm tròn {decimals} chữ số thập phân (từ 5"
    " trở lên làm tròn lên) rồi mới cộng thành điểm nhóm, điểm thưởng, điểm trừ và tổng điểm."
    " Giá trị chỉ số thành phần (index) làm tròn {index_decimals} chữ số.",
}
SEPARATOR = "; "
STEP_SEPARATOR = ", rồi "
SCOPE_SEPARATOR = " và "
# Arguments that are themselves engine messages joined by a separator: {id: {argument: joiner}}.
NESTED = {
    "tier.ineligible": {"reasons": SEPARATOR},
    "tier.disqualified": {"reasons": SEPARATOR},
    "tie.shared": {"where": None},
    "tie.chain": {"where": None, "steps": STEP_SEPARATOR},
    "tie.where_groups": {"scope": SCOPE_SEPARATOR},
}
LISTS = {"tier.ineligible", "tier.disqualified"}


def text(message_id: str, **args) -> str:
    """The Vietnamese text of one engine message."""
    return VI[message_id].format(**args)


def _pattern(template: str) -> re.Pattern:
    parts = re.split(r"\{(\w+)\}", template)
    regex = "".join(
        f"(?P<{part}>.+?)" if i % 2 else re.escape(part) for i, part in enumerate(parts)
    )
    return re.compile(f"^{regex}$", re.DOTALL)


_PATTERNS = [(message_id, _pattern(template)) for message_id, template in VI.items()]


def identify(message: str) -> tuple[str, dict] | None:
    """(id, arguments) of an engine text, or None when the text is not the engine's own."""
    for message_id, pattern in _PATTERNS:
        found = pattern.match(message)
        if found:
            return message_id, found.groupdict()
    return None


def local_instant(moment: datetime, timezone: str) -> str:
    """An instant as dd/mm/yyyy HH:MM:SS in the movement's time zone."""
    return moment.astimezone(ZoneInfo(timezone)).strftime("%d/%m/%Y %H:%M:%S")


def late_reason(round_spec, timezone: str) -> str:
    """Why a late dossier is refused, naming the deadline and the end of the grace window."""
    deadline = local_instant(round_spec.deadline, timezone)
    if round_spec.grace.total_seconds() <= 0:
        return text("late.refused_no_grace", deadline=deadline)
    return text(
        "late.refused", deadline=deadline, closes_at=local_instant(round_spec.closes_at, timezone)
    )
