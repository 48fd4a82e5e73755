"""The receipt of a submitted dossier version as a PDF (A4, Decree 30 margins, Vietnamese)."""

from datetime import datetime

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from ..timefmt import to_local
from .common import place_date
from .decree30 import FONTS, MOTTO, NATION, PAGE, balanced_lines

COUNCIL = "HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG"
LINE = 6.2


def _document(title: str) -> FPDF:
    pdf = FPDF(format="A4")
    pdf.set_margins(PAGE["left"], PAGE["top"], PAGE["right"])
    pdf.set_auto_page_break(True, margin=PAGE["bottom"])
    for style, stem in (("", "Regular"), ("B", "Bold"), ("I", "Italic")):
        pdf.add_font("Serif", style, FONTS / f"LiberationSerif-{stem}.ttf")
    pdf.set_title(title)
    pdf.set_creator("emulation")
    pdf.add_page()
    return pdf


def _column(pdf: FPDF, x: float, width: float, lines: list[tuple[str, str, float]]) -> float:
    """Centred lines (text, style, size) from x; "—rule:<share>" underlines the line before."""
    previous = ""
    for text, style, size in lines:
        pdf.set_x(x)
        if text.startswith("—rule:"):
            half = min(pdf.get_string_width(previous), width) * float(text[6:]) / 2
            middle = x + width / 2
            pdf.line(middle - half, pdf.get_y() + 0.4, middle + half, pdf.get_y() + 0.4)
            pdf.ln(2)
            continue
        pdf.set_font("Serif", style, size)
        pdf.multi_cell(width, 5.5, text, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        previous = max(text.split("\n"), key=len)
    return pdf.get_y()


def receipt_lines(dossier, version) -> list[tuple[str, str]]:
    """The receipt's (label, value) rows, as the printable page shows them."""
    round_ = dossier.round
    received = to_local(version.submitted_at)
    deadline = to_local(round_.deadline)
    late = " (nộp muộn, trong thời gian gia hạn)" if version.late else ""
    return [
        ("Phong trào", round_.movement.name),
        ("Đợt", round_.name),
        ("Đối tượng", f"{dossier.candidate.display_name} ({dossier.candidate.unit.code})"),
        ("Phiên bản", f"{version.number}{late}"),
        ("Máy chủ nhận lúc", received.strftime("%H:%M:%S ngày %d/%m/%Y")),
        ("Hạn nộp", deadline.strftime("%H:%M:%S ngày %d/%m/%Y")),
        ("Người nộp", version.submitted_by.full_name if version.submitted_by else "—"),
        ("Nội dung", f"{len(version.payload.get('values', {}))} số liệu, "
                     f"{len(version.payload.get('evidence', []))} tệp"),  # fmt: skip
        *_signoff_line(version),
        ("Dấu vân tay (SHA-256)", version.content_hash),
    ]


def _signoff_line(version) -> list[tuple[str, str]]:
    """The unit head's confirmation recorded with the version, if any."""
    signoff = version.payload.get("head_confirmation")
    if not signoff:
        return []
    at = signoff.get("at")
    when = to_local(datetime.fromisoformat(at)).strftime("%H:%M ngày %d/%m/%Y") if at else ""
    return [("Thủ trưởng xác nhận", f"{signoff.get('by') or '—'}, lúc {when}; "
                                      f"mã băm nội dung {signoff.get('hash')}")]


def receipt_pdf(dossier, version) -> bytes:
    """The receipt of `version` of `dossier` as PDF bytes, with the place and date line."""
    round_ = dossier.round
    movement = round_.movement
    pdf = _document(f"Giấy biên nhận {version.receipt_no}")
    top = pdf.get_y()
    organisation = "\n".join(balanced_lines((movement.organisation or "").upper(), 12, 70))
    council = "\n".join(balanced_lines(COUNCIL, 12, 70))
    left = _column(pdf, pdf.l_margin - 1.75, 76, [
        (organisation, "", 12), (council, "B", 12), ("—rule:0.4", "", 12),
        (f"Số: {version.receipt_no}", "", 13),
    ])  # fmt: skip
    pdf.set_y(top)
    day = to_local(version.submitted_at).date()
    right = _column(pdf, pdf.l_margin + 74.25, 92.5, [
        (NATION, "B", 12), (MOTTO, "B", 13), ("—rule:1", "", 13),
        (place_date(movement.place, day), "I", 14),
    ])  # fmt: skip
    pdf.set_y(max(left, right) + 8)
    pdf.set_font("Serif", "B", 14)
    pdf.multi_cell(0, 7, "GIẤY BIÊN NHẬN HỒ SƠ THI ĐUA, KHEN THƯỞNG", align="C",
                   new_x=XPos.LMARGIN, new_y=YPos.NEXT)  # fmt: skip
    pdf.ln(4)
    label_width = 52
    for label, value in receipt_lines(dossier, version):
        y = pdf.get_y()
        pdf.set_font("Serif", "B", 12)
        pdf.multi_cell(label_width, LINE, label, new_x=XPos.RIGHT, new_y=YPos.TOP)
        pdf.set_font("Serif", "", 12 if "SHA" not in label else 10)
        pdf.multi_cell(0, LINE, value, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_y(max(pdf.get_y(), y + LINE) + 1)
    files = version.payload.get("evidence", [])
    if files:
        pdf.ln(3)
        pdf.set_font("Serif", "B", 13)
        pdf.cell(0, 7, "Các tệp đã nhận", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        for n, item in enumerate(files, 1):
            where = item.get("criterion") or item.get("document") or ""
            pdf.set_font("Serif", "", 11)
            text = f"{n}. {item['name']}" + (f" ({where})" if where else "")
            pdf.multi_cell(0, 5.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.set_font("Serif", "", 9)
            pdf.multi_cell(0, 4.5, f"SHA-256: {item['sha256']}", new_x=XPos.LMARGIN,
                           new_y=YPos.NEXT)  # fmt: skip
    pdf.ln(4)
    pdf.set_font("Serif", "I", 11)
    pdf.multi_cell(0, 5.5, "Dấu vân tay xác định chính xác các số liệu và tệp đã nhận. Mọi thay "
                   "đổi sau đó tạo phiên bản mới với biên nhận mới; phiên bản này được giữ "
                   "nguyên.", new_x=XPos.LMARGIN, new_y=YPos.NEXT)  # fmt: skip
    return bytes(pdf.output())
