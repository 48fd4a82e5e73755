"""PDF renderer: A4, DejaVu fonts embedded (every Vietnamese diacritic), fpdf2."""

from io import BytesIO
from pathlib import Path

import matplotlib
from fpdf import FPDF, FontFace
from fpdf.enums import XPos, YPos

from .charts import build_charts
from .data import Report
from .outline import (
    MOTTO,
    NATION,
    Bullets,
    Chart,
    Heading,
    Letterhead,
    Para,
    Signature,
    Table,
    outline,
)

FONTS = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
ALIGN = {"L": "LEFT", "C": "CENTER", "R": "RIGHT"}
TEXT_ALIGN = {"justify": "J", "left": "L", "center": "C"}
BODY, SMALL, LINE = 11, 8.5, 5.6
HEAD_FILL = (232, 238, 247)


class _Document(FPDF):
    def footer(self):
        """'Trang 3/9' at the foot of every page."""
        self.set_y(-12)
        self.set_font("Sans", size=8)
        self.cell(0, 5, f"Trang {self.page_no()}/{{nb}}", align="C")


def _document(title: str) -> _Document:
    pdf = _Document(format="A4")
    pdf.set_margins(25, 18, 15)
    pdf.set_auto_page_break(True, margin=18)
    for family, stem in (("Serif", "DejaVuSerif"), ("Sans", "DejaVuSans")):
        pdf.add_font(family, "", FONTS / f"{stem}.ttf")
        pdf.add_font(family, "B", FONTS / f"{stem}-Bold.ttf")
        oblique = "Italic" if family == "Serif" else "Oblique"
        pdf.add_font(family, "I", FONTS / f"{stem}-{oblique}.ttf")
        pdf.add_font(family, "BI", FONTS / f"{stem}-Bold{oblique}.ttf")
    pdf.set_title(title)
    pdf.set_creator("emulation")
    pdf.add_page()
    return pdf


def _column(pdf: FPDF, x: float, width: float, lines: list[tuple[str, str, float]]) -> float:
    """Centred lines (text, style, size) in a column starting at x; returns the bottom."""
    for text, style, size in lines:
        pdf.set_x(x)
        pdf.set_font("Serif", style, size)
        if text == "—rule—":
            middle = x + width / 2
            pdf.line(middle - 18, pdf.get_y() + 0.6, middle + 18, pdf.get_y() + 0.6)
            pdf.ln(2.5)
            continue
        pdf.multi_cell(width, 5, text, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return pdf.get_y()


def _letterhead(pdf: FPDF, block: Letterhead) -> None:
    top = pdf.get_y()
    left = _column(pdf, pdf.l_margin - 12, 88, [
        (block.organisation.upper(), "", 9.5), (block.body.upper(), "B", 10), ("—rule—", "", 10),
        (block.number, "", 10),
    ])  # fmt: skip
    pdf.set_y(top)
    right = _column(pdf, pdf.l_margin + 76, 96, [
        (NATION, "B", 10), (MOTTO, "B", 11), ("—rule—", "", 10), (block.place_date, "I", 11),
    ])  # fmt: skip
    pdf.set_y(max(left, right) + 6)


def _para(pdf: FPDF, block: Para) -> None:
    style = ("B" if block.bold else "") + ("I" if block.italic else "")
    pdf.set_font("Serif", style, BODY)
    pdf.multi_cell(0, LINE, block.text, align=TEXT_ALIGN[block.align],
                   new_x=XPos.LMARGIN, new_y=YPos.NEXT)  # fmt: skip
    pdf.ln(1.2)


def _is_title(block) -> bool:
    return isinstance(block, Heading) or (
        isinstance(block, Para) and block.bold and block.align == "left"
    )


def _height(block) -> float:
    """Roughly how much of the block (mm) must follow its titles on the same page."""
    if isinstance(block, Table):
        return 9 * (min(len(block.rows), 15) + 1)
    if isinstance(block, Chart):
        return 70
    return 15


def _keep_titles_with_next(pdf: FPDF, blocks: list, i: int) -> None:
    """Start a new page rather than leave titles (and a short table) apart from what follows."""
    if i and _is_title(blocks[i - 1]):
        return
    j = i
    while j < len(blocks) and _is_title(blocks[j]):
        j += 1
    if j == i or j == len(blocks):
        return
    needed = 10 * (j - i) + _height(blocks[j])
    if pdf.get_y() + needed > pdf.page_break_trigger:
        pdf.add_page()


def _heading(pdf: FPDF, block: Heading) -> None:
    pdf.ln(2.5 if block.level == 1 else 1)
    pdf.set_font(
        "Serif", "B" if block.level == 1 else "BI", BODY + (0.5 if block.level == 1 else 0)
    )
    pdf.multi_cell(0, LINE + 0.4, block.text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1)


def _bullets(pdf: FPDF, block: Bullets) -> None:
    pdf.set_font("Serif", "", BODY)
    for item in block.items:
        pdf.set_x(pdf.l_margin + 3)
        pdf.cell(4, LINE, "–")
        pdf.multi_cell(0, LINE, item, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1.2)


def _table(pdf: FPDF, block: Table) -> None:
    # A short table is not split over two pages (rows of about two lines each).
    if len(block.rows) <= 15 and pdf.get_y() + _height(block) > pdf.page_break_trigger:
        pdf.add_page()
    pdf.set_font("Sans", "", SMALL)
    heading = FontFace(emphasis="BOLD", fill_color=HEAD_FILL)
    bold = FontFace(emphasis="BOLD")
    last = len(block.rows) - 1
    with pdf.table(
        col_widths=block.widths, text_align=[ALIGN[a] for a in block.align],
        line_height=4.2, headings_style=heading, padding=(0.8, 1.2),
    ) as table:  # fmt: skip
        header = table.row()
        for name in block.columns:
            header.cell(name, align="CENTER")
        for i, values in enumerate(block.rows):
            row = table.row()
            style = bold if block.bold_last and i == last else None
            for value in values:
                row.cell(value, style=style)
    pdf.ln(2.5)


def _chart(pdf: FPDF, block: Chart, charts: dict) -> None:
    png = charts.get(block.name)
    if png is None:
        return
    width = pdf.epw * 0.92
    pdf.image(BytesIO(png), x=pdf.l_margin + (pdf.epw - width) / 2, w=width)
    pdf.ln(3)


def _signature(pdf: FPDF, block: Signature) -> None:
    # The closing sentence and the signature stay together on one page.
    if pdf.get_y() > pdf.page_break_trigger - 50:
        pdf.add_page()
    _para(pdf, Para(block.closing))
    pdf.ln(3)
    top = pdf.get_y()
    pdf.set_font("Serif", "BI", 10)
    pdf.cell(0, 5, block.recipients[0], new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("Serif", "", 9)
    for line in block.recipients[1:]:
        pdf.cell(0, 4.5, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_y(top)
    lines = [(block.lines[0], "B", 10.5), (block.lines[1], "B", 10.5), (block.lines[2], "I", 10)]
    _column(pdf, pdf.l_margin + 72, 100, lines)


def render_pdf(report: Report, charts: dict | None = None) -> bytes:
    """The report as an A4 PDF."""
    charts = build_charts(report) if charts is None else charts
    pdf = _document(f"Báo cáo {report.round_name}")
    blocks = outline(report)
    for i, block in enumerate(blocks):
        _keep_titles_with_next(pdf, blocks, i)
        if isinstance(block, Letterhead):
            _letterhead(pdf, block)
        elif isinstance(block, Heading):
            _heading(pdf, block)
        elif isinstance(block, Para):
            _para(pdf, block)
        elif isinstance(block, Bullets):
            _bullets(pdf, block)
        elif isinstance(block, Table):
            _table(pdf, block)
        elif isinstance(block, Chart):
            _chart(pdf, block, charts)
        elif isinstance(block, Signature):
            _signature(pdf, block)
    return bytes(pdf.output())
