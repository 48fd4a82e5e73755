"""DOCX renderer in the Vietnamese administrative layout (python-docx), A4, Times New Roman."""

from copy import deepcopy
from io import BytesIO

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.oxml import serialize_part_xml
from docx.oxml import OxmlElement
from docx.oxml.ns import nsdecls, qn
from docx.parts.document import DocumentPart
from docx.shared import Mm, Pt, RGBColor
from lxml import etree

from ..documents import docx_parts as parts
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

FONT = "Times New Roman"
ALIGN = {
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "L": WD_ALIGN_PARAGRAPH.LEFT,
    "C": WD_ALIGN_PARAGRAPH.CENTER,
    "R": WD_ALIGN_PARAGRAPH.RIGHT,
}
TEXT_WIDTH_MM = 165
# How a row copied out of the document opens once written: it declares the namespace itself.
ROW_OPENING = f"<w:tr {nsdecls('w')}>".encode()


class _LongTablesPart(DocumentPart):
    """The document's body, whose long tables keep their rows as XML text until it is saved.

    A thousand rows as XML elements take some 30 MB; as the text they are written as, 2 MB.
    Each table's rows stand in the tree as a marker that their text replaces when the file
    is written.
    """

    rows: dict[bytes, list[bytes]]

    @property
    def blob(self) -> bytes:
        """The part's XML with every long table's rows in place."""
        xml = serialize_part_xml(self._element)
        for marker, rows in self.rows.items():
            xml = xml.replace(marker, b"".join(rows), 1)
        return xml


def _set_font(style, size: float, *, bold: bool | None = None) -> None:
    """Times New Roman everywhere, also where the template used theme fonts."""
    style.font.name = FONT
    style.font.size = Pt(size)
    style.font.color.rgb = RGBColor(0, 0, 0)
    if bold is not None:
        style.font.bold = bold
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:eastAsia"), FONT)
    fonts.set(qn("w:cs"), FONT)


def _document() -> Document:
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    _set_font(doc.styles["Normal"], 13)
    doc.styles["Normal"].paragraph_format.space_after = Pt(4)
    _set_font(doc.styles["Heading 1"], 13, bold=True)
    _set_font(doc.styles["Heading 2"], 13, bold=True)
    doc.styles["Heading 2"].font.italic = True
    for name in ("Heading 1", "Heading 2"):
        doc.styles[name].paragraph_format.space_before = Pt(8)
        doc.styles[name].paragraph_format.space_after = Pt(4)
    cell_style = doc.styles.add_style("Report Table", 1)
    cell_style.base_style = doc.styles["Normal"]
    _set_font(cell_style, 10.5)
    cell_style.paragraph_format.space_after = Pt(0)
    parts.page_numbers(section)
    return doc


def _fixed_table(doc: Document, rows: int, widths: list):
    """A table whose columns keep the given widths in Word and LibreOffice alike."""
    table = doc.add_table(rows=rows, cols=len(widths))
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
    return table


def _letterhead(doc: Document, block: Letterhead) -> None:
    parts.header(doc, superior=block.organisation, body=block.body, number=block.number,
                 place_date=block.place_date)  # fmt: skip
    doc.add_paragraph()


def _para(doc: Document, block: Para) -> None:
    paragraph = doc.add_paragraph()
    paragraph.alignment = ALIGN[block.align]
    run = paragraph.add_run(block.text)
    run.bold, run.italic = block.bold, block.italic
    paragraph.paragraph_format.keep_with_next = block.bold and block.align == "left"


def _repeat_header(row) -> None:
    mark = OxmlElement("w:tblHeader")
    mark.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(mark)


def _fill(row, values: list[str], style_id: str, align: str, bold: bool) -> None:
    """Write one row's texts cell by cell through python-docx."""
    for j, (cell, text) in enumerate(zip(row.cells, values, strict=True)):
        paragraph = cell.paragraphs[0]
        paragraph._p.get_or_add_pPr().style = style_id
        paragraph.alignment = ALIGN[align[j]]
        paragraph.add_run(text).bold = bold


def _table(doc: Document, block: Table, rows_text: dict[bytes, list[bytes]]) -> None:
    scale = TEXT_WIDTH_MM / sum(block.widths)
    widths = [Mm(w * scale) for w in block.widths]
    rows = block.rows
    # The heading, the first row and a bold last row are built by python-docx; every other row
    # is the first with its texts replaced (python-docx cell by cell is far too slow for a
    # ranking of a thousand units), written out as XML text at once rather than kept as
    # elements (see _LongTablesPart).
    bold_tail = block.bold_last and len(rows) > 1
    table = _fixed_table(doc, 1 + min(len(rows), 1) + bold_tail, widths)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    # The style is set by id: python-docx's by-object lookup scans every style per cell.
    style_id = doc.styles["Report Table"].style_id
    _fill(table.rows[0], block.columns, style_id, "C" * len(block.columns), True)
    if rows:
        _fill(table.rows[1], rows[0], style_id, block.align, block.bold_last and len(rows) == 1)
    if bold_tail:
        _fill(table.rows[2], rows[-1], style_id, block.align, True)
    middle = rows[1 : len(rows) - bold_tail]
    if middle:
        marker = f"rows {len(rows_text)}"
        table.rows[1]._tr.addnext(etree.Comment(marker))
        rows_text[f"<!--{marker}-->".encode()] = _rows_xml(table.rows[1]._tr, middle)
    _repeat_header(table.rows[0])
    doc.add_paragraph().paragraph_format.space_after = Pt(0)


def _rows_xml(template, rows: list[list[str]]) -> list[bytes]:
    """Each row as the XML text of a copy of `template` holding its texts."""
    tr = deepcopy(template)
    runs = [next(tc.iterchildren(qn("w:p"))).find(qn("w:r")) for tc in tr.iterchildren(qn("w:tc"))]
    out = []
    for values in rows:
        for run, text in zip(runs, values, strict=True):
            run.text = text
        xml = etree.tostring(tr, encoding="UTF-8")
        if not xml.startswith(ROW_OPENING):
            raise ValueError("a table row uses a namespace besides WordprocessingML's")
        out.append(b"<w:tr>" + xml[len(ROW_OPENING) :])
    return out


def _chart(doc: Document, block: Chart, charts: dict) -> None:
    png = charts.get(block.name)
    if png is None:
        return
    doc.add_picture(BytesIO(png), width=Mm(150))
    doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER


def _signature(doc: Document, block: Signature) -> None:
    _para(doc, Para(block.closing))
    items = [line.removeprefix("- ") for line in block.recipients[1:]]
    parts.closing(doc, recipients=items, authority_lines=block.lines[:2], signer=block.lines[2])


def render_docx(report: Report, charts: dict | None = None) -> bytes:
    """The report as a Word document."""
    charts = build_charts(report) if charts is None else charts
    doc = _document()
    doc.core_properties.title = f"Báo cáo {report.round_name}"
    doc.core_properties.author = report.organisation
    rows_text: dict[bytes, list[bytes]] = {}
    for block in outline(report):
        if isinstance(block, Letterhead):
            _letterhead(doc, block)
        elif isinstance(block, Heading):
            doc.add_paragraph(block.text, style=f"Heading {block.level}")
        elif isinstance(block, Para):
            _para(doc, block)
        elif isinstance(block, Bullets):
            for item in block.items:
                doc.add_paragraph(item, style="List Bullet")
        elif isinstance(block, Table):
            _table(doc, block, rows_text)
        elif isinstance(block, Chart):
            _chart(doc, block, charts)
        elif isinstance(block, Signature):
            _signature(doc, block)
    part = doc.part
    part.__class__ = _LongTablesPart
    part.rows = rows_text
    buffer = BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
