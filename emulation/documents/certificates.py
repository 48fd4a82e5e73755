"""Certificates (Giấy khen, titles' certificates): one page per awardee, on the agency's blanks.

Each text is printed where [issuer.certificate] says (mm from the top-left corner of the
blank, A4), so the secretariat can align the output on pre-printed blanks (phôi); the test
page draws a 10 mm grid and every field's box with a sample text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..scoring.schema import CertificateModel
from .decree30 import FONTS, vn_date

if TYPE_CHECKING:
    from fpdf import FPDF

SAMPLE = {
    "award": "GIẤY KHEN",
    "name": "Nguyễn Văn Mẫu",
    "unit": "Phòng Thống kê tội phạm và Công nghệ thông tin",
    "achievement": "Đã có thành tích xuất sắc trong phong trào thi đua",
    "decision": "Quyết định số 125/QĐ-VKSĐN ngày 10 tháng 10 năm 2025",
    "place_date": "Đà Nẵng, ngày 10 tháng 10 năm 2025",
}


def _pdf(layout: CertificateModel) -> FPDF:
    from fpdf import FPDF  # here, not at the top: keeps start-up fast

    pdf = FPDF(orientation="L" if layout.orientation == "landscape" else "P", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    for style, stem in (("", "Regular"), ("B", "Bold"), ("I", "Italic"), ("BI", "BoldItalic")):
        pdf.add_font("Serif", style, FONTS / f"LiberationSerif-{stem}.ttf")
    pdf.set_creator("emulation")
    return pdf


def _place(pdf: FPDF, spec, text: str, *, frame: bool = False) -> None:
    pdf.set_font("Serif", "B" if spec.bold else "", spec.size)
    pdf.set_xy(spec.x, spec.y)
    pdf.multi_cell(spec.width, spec.size * 0.45, text, align="C", border=1 if frame else 0)


def certificates(people: list[dict], layout: CertificateModel) -> bytes:
    """One page per awardee: dicts with award, name, unit, achievement, decision, place_date."""
    pdf = _pdf(layout)
    for person in people:
        pdf.add_page()
        for key in SAMPLE:
            if person.get(key):
                _place(pdf, getattr(layout, key), person[key])
    return bytes(pdf.output())


def test_page(layout: CertificateModel) -> bytes:
    """A page with a 10 mm grid and each field's box and sample text, to align the blanks."""
    pdf = _pdf(layout)
    pdf.add_page()
    pdf.set_draw_color(190, 190, 190)
    pdf.set_font("Serif", "", 7)
    for x in range(0, int(pdf.w) + 1, 10):
        pdf.line(x, 0, x, pdf.h)
        pdf.text(x + 0.5, 3, str(x))
    for y in range(0, int(pdf.h) + 1, 10):
        pdf.line(0, y, pdf.w, y)
        pdf.text(0.5, y - 0.5, str(y))
    pdf.set_draw_color(200, 0, 0)
    for key, text in SAMPLE.items():
        _place(pdf, getattr(layout, key), text, frame=True)
    return bytes(pdf.output())


def certificate_rows(records, issuer, place: str) -> list[dict]:
    """The certificates' texts of award records (from the decision register)."""
    rows = []
    for r in records:
        name = r.person_name or r.unit.name
        rows.append({
            "award": r.award_name.upper(),
            "name": name,
            "unit": r.unit.name if r.person_name else "",
            "achievement": "Đã có thành tích xuất sắc trong phong trào thi đua",
            "decision": f"Quyết định số {r.decision_no}"
            + (f" {vn_date(r.decision_date)}" if r.decision_date else ""),
            "place_date": f"{place}, {vn_date(r.decision_date)}" if r.decision_date else "",
        })  # fmt: skip
    return rows
