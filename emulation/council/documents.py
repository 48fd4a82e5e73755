"""DOCX drafts: the council meeting minutes and the award decision.

Official documents are always written in Vietnamese, whatever the interface language, so
their text is not translated.
"""

from datetime import datetime
from fractions import Fraction
from io import BytesIO

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from ..models import Round
from ..timefmt import to_local

NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập – Tự do – Hạnh phúc"
CHOICE_WORDS = {"agree": "Tán thành", "disagree": "Không tán thành", "abstain": "Không biểu quyết"}


def _document() -> Document:
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    return doc


def _header(doc: Document, organisation: str, unit_line: str, place_date: str) -> None:
    table = doc.add_table(rows=2, cols=2)
    left, right = table.rows[0].cells
    left.paragraphs[0].add_run(organisation.upper()).bold = False
    left.add_paragraph().add_run(unit_line.upper()).bold = True
    right.paragraphs[0].add_run(NATION).bold = True
    right.add_paragraph().add_run(MOTTO).bold = True
    for cell in (left, right):
        for paragraph in cell.paragraphs:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    table.rows[1].cells[1].paragraphs[0].add_run(place_date).italic = True


def _place_date(place: str, when) -> str:
    return f"{place or '……'}, ngày {when.day:02d} tháng {when.month:02d} năm {when.year}"


def _title(doc: Document, *lines: str) -> None:
    for i, line in enumerate(lines):
        paragraph = doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(line)
        run.bold = i == 0 or len(lines) == 1
        if i == 0:
            run.font.size = Pt(14)


def _bytes(doc: Document) -> bytes:
    buffer = BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _share(text: str) -> str:
    value = Fraction(text)
    return f"{value.numerator}/{value.denominator}"


def _signatures(doc: Document, left: str, right: str) -> None:
    table = doc.add_table(rows=1, cols=2)
    for cell, title in zip(table.rows[0].cells, (left, right), strict=True):
        cell.paragraphs[0].add_run(title).bold = True
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        cell.add_paragraph("(Ký, ghi rõ họ tên)").alignment = WD_ALIGN_PARAGRAPH.CENTER


def minutes(round_: Round, payload: dict, *, frozen_hash: str | None) -> bytes:
    """The minutes (biên bản họp Hội đồng Thi đua – Khen thưởng) with the vote on each awardee."""
    votes = payload["votes"]
    meeting = votes["meeting"]
    held = to_local(datetime.fromisoformat(meeting["held_at"]))
    movement = round_.movement
    doc = _document()
    _header(
        doc,
        movement.organisation,
        "Hội đồng Thi đua – Khen thưởng",
        _place_date(movement.place, held),
    )
    if frozen_hash is None:
        _title(doc, "DỰ THẢO — kết quả xếp hạng chưa được chốt, số liệu có thể thay đổi")
    _title(
        doc,
        "BIÊN BẢN",
        "Họp Hội đồng Thi đua – Khen thưởng",
        f"Xét đề nghị khen thưởng: {round_.name}",
        movement.name,
    )
    doc.add_heading("I. Thời gian, địa điểm", level=2)
    doc.add_paragraph(
        f"Vào lúc {held:%H} giờ {held:%M} ngày {held:%d/%m/%Y}, tại {meeting['place'] or '……'}."
    )
    doc.add_heading("II. Thành phần", level=2)
    present = meeting["present"]
    doc.add_paragraph(
        f"Hội đồng có {meeting['members_total']} thành viên; có mặt {len(present)} thành viên"
        f" ({'đạt' if meeting['quorum_met'] else 'không đạt'} tỷ lệ tối thiểu"
        f" {_share(meeting['quorum'])} số thành viên để phiên họp hợp lệ)."
    )
    doc.add_paragraph(f"Chủ trì: {meeting['chair'] or '……'}.")
    for name in present:
        doc.add_paragraph(name, style="List Bullet")
    doc.add_heading("III. Nội dung", level=2)
    results = payload["results"]
    doc.add_paragraph(
        f"Hội đồng xem xét kết quả chấm điểm, xếp hạng {len(results['results'])} hồ sơ theo"
        f" quy tắc {payload['rules']['filename']} (mã băm {payload['rules']['hash'][:16]}…)."
        f" {results['tie_policy']}"
    )
    note = payload.get("freeze") or {}
    if note.get("reason"):
        left = note.get("unfinished", {})
        doc.add_paragraph(
            "Kết quả xếp hạng được chốt khi còn"
            f" {left.get('reviews_open', 0)} lượt thẩm định chưa hoàn thành,"
            f" {left.get('never_reviewed', 0)} hồ sơ chưa được thẩm định,"
            f" {left.get('supplements_open', 0)} hồ sơ đang bổ sung và"
            f" {left.get('votes_pending', 0)} phiếu chưa biểu quyết. Lý do: {note['reason']}"
        )
    rule = "quá" if meeting["pass_rule"] == "greater" else "từ"
    doc.add_paragraph(
        f"Mỗi đề nghị được thông qua khi có {rule} {_share(meeting['pass_threshold'])} số thành"
        " viên có mặt được biểu quyết tán thành; thành viên đã từ chối tham gia thẩm định hoặc"
        " thuộc đơn vị được đề nghị không biểu quyết đối với đề nghị đó."
    )
    doc.add_heading("IV. Kết quả biểu quyết", level=2)
    headers = [
        "STT",
        "Tập thể, cá nhân",
        "Hình thức đề nghị",
        "Tán thành",
        "Không tán thành",
        "Không biểu quyết",
        "Chưa biểu quyết",
        "Kết quả",
    ]
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.paragraphs[0].add_run(text).bold = True
    for i, c in enumerate(votes["candidates"], start=1):
        name = c["name"] + (
            f" (không biểu quyết: {', '.join(c['recused'])})" if c["recused"] else ""
        )
        cells = [
            str(i),
            name,
            c["award_tier"],
            str(c["agree"]),
            str(c["disagree"]),
            str(c["abstain"]),
            str(c["not_voted"]),
            "Thông qua"
            if c["passed"]
            else (
                "Đang biểu quyết"
                if frozen_hash is None and c.get("undecided")
                else "Không thông qua"
            ),
        ]
        for cell, text in zip(table.add_row().cells, cells, strict=True):
            cell.text = text
    if not votes["candidates"]:
        doc.add_paragraph("Không có tập thể, cá nhân nào được đề nghị khen thưởng.")
    if frozen_hash:
        doc.add_paragraph(f"Kết quả xếp hạng đã được chốt; mã băm SHA-256: {frozen_hash}.")
    doc.add_paragraph("Biên bản được lập thành 02 bản, đã đọc lại cho các thành viên cùng nghe.")
    _signatures(doc, "THƯ KÝ", "CHỦ TỊCH HỘI ĐỒNG")
    return _bytes(doc)


def passed_by_tier(payload: dict) -> list[tuple[str, list[dict]]]:
    """Awardees the council passed, grouped by tier in the rule file's order (best first)."""
    rows = {r["unit_code"]: r for r in payload["results"]["results"]}
    tiers: dict[str, list[dict]] = {}
    for c in payload["votes"]["candidates"]:
        if c["passed"]:
            tiers.setdefault(c["award_tier"], []).append({**rows[c["key"]], **c})
    order = [r["award_tier"] for r in payload["results"]["results"] if r.get("award_tier")]
    rank = {tier: order.index(tier) for tier in tiers}
    return sorted(tiers.items(), key=lambda item: rank[item[0]])


def decision(round_: Round, payload: dict, *, frozen_hash: str) -> bytes:
    """The award decision draft (quyết định khen thưởng) listing the awardees by tier."""
    movement = round_.movement
    when = round_.award_date or to_local(
        datetime.fromisoformat(payload["votes"]["meeting"]["held_at"])
    )
    doc = _document()
    _header(doc, movement.organisation, "Số: ……/QĐ-……", _place_date(movement.place, when))
    _title(
        doc,
        "DỰ THẢO QUYẾT ĐỊNH",
        f"Về việc khen thưởng các tập thể, cá nhân có thành tích trong {movement.name}",
        round_.name,
    )
    _title(doc, f"THỦ TRƯỞNG {movement.organisation.upper()}")
    for basis in (
        "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
        "Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ quy định"
        " chi tiết thi hành một số điều của Luật Thi đua, khen thưởng;",
        "Căn cứ Biên bản họp Hội đồng Thi đua – Khen thưởng ngày "
        f"{to_local(datetime.fromisoformat(payload['votes']['meeting']['held_at'])):%d/%m/%Y};",
        "Xét đề nghị của Thường trực Hội đồng Thi đua – Khen thưởng,",
    ):
        doc.add_paragraph(basis).runs[0].italic = True
    _title(doc, "QUYẾT ĐỊNH:")
    tiers = passed_by_tier(payload)
    for number, (tier, awardees) in enumerate(tiers, start=1):
        doc.add_paragraph().add_run(
            f"Điều 1.{number}. Tặng {tier} cho {len(awardees)} tập thể, cá nhân sau đây:"
        ).bold = True
        for i, a in enumerate(awardees, start=1):
            band = f", xếp loại {a['band']}" if a.get("band") else ""
            doc.add_paragraph(
                f"{i}. {a['unit_name']} ({a['ranking_group']}; tổng điểm {a['total']:g}{band})."
            )
    if not tiers:
        doc.add_paragraph("Điều 1. (Không có đề nghị nào được Hội đồng thông qua.)")
    doc.add_paragraph(
        "Điều 2. Các tập thể, cá nhân có tên tại Điều 1 được hưởng chế độ khen thưởng theo"
        " quy định hiện hành."
    )
    doc.add_paragraph(
        "Điều 3. Thường trực Hội đồng Thi đua – Khen thưởng, thủ trưởng các đơn vị có liên quan"
        " và các tập thể, cá nhân có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này."
    )
    doc.add_paragraph("Nơi nhận: Như Điều 3; Lưu: VT, HĐTĐKT.").runs[0].italic = True
    doc.add_paragraph(f"Theo kết quả xếp hạng đã chốt, mã băm SHA-256: {frozen_hash}.")
    _signatures(doc, "", "THỦ TRƯỞNG ĐƠN VỊ")
    return _bytes(doc)
