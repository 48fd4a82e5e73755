"""PDF renderer (fpdf2): A4 with the margins of Decree 30/2020, Liberation Serif embedded.

Liberation Serif has the metrics of Times New Roman and every Vietnamese diacritic; it ships
in the package (emulation/fonts, SIL Open Font License), so nothing is fetched at run time.
"""

from io import BytesIO

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from ..documents.pdf_page import centred_column, letterhead, new_pdf
from .charts import build_charts
from .data import Report
from .outline import (
    Bullets,
    Chart,
    Heading,
    Letterhead,
    Para,
    Signature,
    Table,
    outline,
)
from .pdf_table import draw_table

TEXT_ALIGN = {"justify": "J", "left": "L", "center": "C"}
BODY, SMALL, LINE = 13, 11, 6.4
HEAD_FILL = (232, 238, 247)


def _letterhead(pdf: FPDF, block: Letterhead) -> None:
    letterhead(pdf, organisation=block.organisation, body=block.body, number=block.number,
               place_date=block.place_date)  # fmt: skip


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
    draw_table(pdf, columns=block.columns, rows=block.rows, widths=block.widths,
               align=block.align, size=SMALL, head_fill=HEAD_FILL,
               bold_last=block.bold_last)  # fmt: skip
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
    pdf.set_font("Serif", "BI", 12)
    pdf.cell(0, 5, block.recipients[0], new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("Serif", "", 11)
    for line in block.recipients[1:]:
        pdf.cell(0, 4.5, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_y(top)
    authority, title, name = block.lines[:3]
    lines = [(authority, "B", 14), (title, "B", 14)] + [(" ", "", 14)] * 4
    lines.append((name or " ", "B", 14))
    centred_column(pdf, pdf.l_margin + 70, 95, lines)


def render_pdf(report: Report, charts: dict | None = None) -> bytes:
    """The report as an A4 PDF."""
    charts = build_charts(report) if charts is None else charts
    pdf = new_pdf(f"Báo cáo {report.round_name}")
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
