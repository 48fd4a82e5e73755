"""A frozen ranking snapshot as a printable PDF carrying its hash, sealed by the deployment."""

from __future__ import annotations

from ..documents.decree30 import FONTS
from ..models import RankingSnapshot
from ..timefmt import format_datetime, format_number

COLUMNS = (("#", 12), ("Đơn vị", 88), ("Tổng điểm", 24), ("Xếp loại / khen thưởng", 56))


def _rank(row: dict):
    return row.get("rank_overall") or row.get("rank_in_group") or ""


def render_snapshot_pdf(snapshot: RankingSnapshot) -> bytes:
    """The snapshot's round, freezing time, sha256 and ranked rows on A4 pages."""
    from fpdf import FPDF  # here, not at the top: keeps start-up fast

    payload = snapshot.payload
    round_info = payload.get("round", {})
    rows = list(payload.get("results", {}).get("results", []))
    rows.sort(key=lambda r: (r.get("rank_overall") is None, r.get("rank_overall") or 0))
    pdf = FPDF(format="A4")
    pdf.set_margins(20, 15, 15)
    pdf.set_auto_page_break(True, margin=15)
    for style, stem in (("", "Regular"), ("B", "Bold"), ("I", "Italic")):
        pdf.add_font("Serif", style, FONTS / f"LiberationSerif-{stem}.ttf")
    pdf.set_title(f"Kết quả xếp hạng đã chốt - {round_info.get('name', '')}")
    pdf.set_creator("emulation")
    pdf.add_page()
    pdf.set_font("Serif", "B", 14)
    pdf.multi_cell(0, 7, "KẾT QUẢ XẾP HẠNG ĐÃ CHỐT", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Serif", "", 12)
    pdf.multi_cell(0, 6, str(round_info.get("name", "")), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("Serif", "", 10)
    lines = [
        f"Chốt lúc: {format_datetime(snapshot.created_at)} (giờ Việt Nam)",
        f"Mã băm SHA-256 của bản chốt: {snapshot.payload_hash}",
        f"Tệp quy tắc: {payload.get('rules', {}).get('filename', '')} "
        f"(SHA-256 {snapshot.rules_hash})",
    ]
    if snapshot.reopened_at:
        lines.append(f"Đã mở lại lúc {format_datetime(snapshot.reopened_at)}: "
                     f"{snapshot.reopen_reason}")
    for line in lines:
        pdf.multi_cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("Serif", "B", 10)
    for title, width in COLUMNS:
        pdf.cell(width, 7, title, border=1, align="C")
    pdf.ln()
    pdf.set_font("Serif", "", 10)
    for row in rows:
        award = row.get("award_tier") or row.get("band") or ""
        if row.get("disqualified"):
            award = f"Không xét: {row.get('disqualifier_reason') or ''}"
        total = row.get("total")
        cells = (
            str(_rank(row)),
            str(row.get("unit_name") or row.get("unit_code") or "")[:60],
            format_number(total) if isinstance(total, int | float) else "",
            str(award)[:40],
        )
        for (_title, width), text in zip(COLUMNS, cells, strict=True):
            pdf.cell(width, 6, text, border=1, align="L" if width > 30 else "C")
        pdf.ln()
    pdf.ln(4)
    pdf.set_font("Serif", "I", 9)
    pdf.multi_cell(
        0, 5,
        "Tệp này được ký số bằng chứng thư của hệ thống; mọi thay đổi sau khi ký đều bị phát "
        "hiện khi kiểm tra (lệnh «emulation verify» hoặc trang «Kiểm tra chữ ký số»).",
        new_x="LMARGIN", new_y="NEXT",
    )
    return bytes(pdf.output())
