"""The receipt of a submitted dossier version as a PDF (A4, Decree 30 margins, Vietnamese)."""

from datetime import datetime

from fpdf.enums import XPos, YPos

from ..timefmt import to_local
from .common import place_date
from .decree30 import balanced_lines
from .pdf_page import letterhead, new_pdf

COUNCIL = "HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG"
LINE = 6.2


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
    pdf = new_pdf(f"Giấy biên nhận {version.receipt_no}")
    organisation = "\n".join(balanced_lines((movement.organisation or "").upper(), 12, 70))
    day = to_local(version.submitted_at).date()
    letterhead(pdf, organisation=organisation, body=COUNCIL, number=f"Số: {version.receipt_no}",
               place_date=place_date(movement.place, day), gap=8)  # fmt: skip
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
