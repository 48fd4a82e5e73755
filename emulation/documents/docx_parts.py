"""DOCX in the state's format (Decree 30/2020/NĐ-CP, Appendix I): page, header, title, signature.

The building blocks of the decision, minutes, proposal letter and the summary report. python-docx
is loaded with this module, that is when the first document is made, not when the app starts.
"""

from io import BytesIO

import docx
from docx.document import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from .decree30 import (
    BODY,
    BODY_NAME_SIZE,
    CELL_MARGIN,
    FONT,
    HEADER_COLUMNS,
    HEADER_MARGIN,
    MOTTO,
    MOTTO_SIZE,
    NATION,
    NATION_SIZE,
    NUMBER_SIZE,
    PAGE,
    RECIPIENTS_ITEM,
    RECIPIENTS_TITLE,
    TEXT_WIDTH,
    balanced_lines,
    text_width_mm,
)


def _fonts(element, size: float | None = None) -> None:
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for key in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(key), FONT)


def new_document() -> Document:
    """An empty A4 document with the decree's margins, font, body size and page numbers."""
    doc = docx.Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(PAGE["width"]), Mm(PAGE["height"])
    section.top_margin, section.bottom_margin = Mm(PAGE["top"]), Mm(PAGE["bottom"])
    section.left_margin, section.right_margin = Mm(PAGE["left"]), Mm(PAGE["right"])
    section.header_distance = Mm(10)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(BODY)
    _fonts(normal.element)
    fmt = normal.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(0), Pt(6), 1.0
    page_numbers(section)
    return doc


def page_numbers(section) -> None:
    """Page numbers at the top, centred, from page 2 (page 1 has an empty first-page header)."""
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    run.font.size = Pt(13)
    for kind, text in (("begin", None), (None, " PAGE "), ("end", None)):
        if kind:
            node = OxmlElement("w:fldChar")
            node.set(qn("w:fldCharType"), kind)
        else:
            node = OxmlElement("w:instrText")
            node.set(qn("xml:space"), "preserve")
            node.text = text
        run._r.append(node)


def paragraph(container, text: str = "", *, size: float = BODY, bold=False, italic=False,
              align=None, indent: bool = False, after: float = 6):  # fmt: skip
    """Add a paragraph holding one run; `indent` gives the body's first-line indent."""
    p = container.add_paragraph()
    if align is not None:
        p.alignment = align
    p.paragraph_format.space_after = Pt(after)
    if indent:
        p.paragraph_format.first_line_indent = Mm(10)
    if text:
        run = p.add_run(text)
        run.font.size, run.bold, run.italic = Pt(size), bold, italic
    return p


def centred(container, text: str, *, size: float = BODY, bold=False, italic=False, after=0):
    """A centred paragraph."""
    return paragraph(container, text, size=size, bold=bold, italic=italic,
                     align=WD_ALIGN_PARAGRAPH.CENTER, after=after)  # fmt: skip


def rule_under(cell, length_mm: float, width_mm: float, margin: float = CELL_MARGIN) -> None:
    """A solid centred line of `length_mm` under the previous line, drawn as a border."""
    p = cell.add_paragraph()
    side = max((width_mm - 2 * margin - length_mm) / 2, 0)
    p.paragraph_format.left_indent = p.paragraph_format.right_indent = Mm(side)
    p.paragraph_format.space_after = Pt(0)
    p.paragraph_format.line_spacing = Pt(2)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "000000")):
        bottom.set(qn(f"w:{key}"), value)
    borders.append(bottom)
    # Schema order: pBdr comes before spacing and ind (Word refuses it after them).
    p._p.get_or_add_pPr().insert_element_before(
        borders, "w:shd", "w:tabs", "w:spacing", "w:ind", "w:jc", "w:rPr"
    )


def _cell_margins(table, mm: float) -> None:
    props = table._tbl.tblPr
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        node = OxmlElement(f"w:{side}")
        node.set(qn("w:w"), str(int(Mm(mm).twips)))
        node.set(qn("w:type"), "dxa")
        margins.append(node)
    # Schema order: tblCellMar comes before tblLook (LibreOffice ignores it after).
    look = props.find(qn("w:tblLook"))
    if look is not None:
        look.addprevious(margins)
    else:
        props.append(margins)


def _widths(table, widths_mm) -> None:
    table.autofit = False
    width = table._tbl.tblPr.find(qn("w:tblW"))
    width.set(qn("w:type"), "dxa")
    width.set(qn("w:w"), str(int(Mm(sum(widths_mm)).twips)))
    grid = table._tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths_mm, strict=True):
        col.set(qn("w:w"), str(int(Mm(width).twips)))
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)


def header(doc, *, superior: str, body: str, number: str, place_date: str) -> None:
    """Issuing body under its superior with its number (left); title, motto, date (right)."""
    table = doc.add_table(rows=2, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(table, HEADER_COLUMNS)
    _cell_margins(table, HEADER_MARGIN)
    left, right = table.rows[0].cells
    left.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    inner = HEADER_COLUMNS[0] - 2 * HEADER_MARGIN - 2
    if superior:
        run = left.paragraphs[0].add_run(superior.upper())
        run.font.size = Pt(BODY_NAME_SIZE)
        name = centred(left, "")
    else:
        name = left.paragraphs[0]
    lines = balanced_lines(body.upper(), BODY_NAME_SIZE, inner)
    for i, line in enumerate(lines):
        run = name.add_run(line)
        run.font.size, run.bold = Pt(BODY_NAME_SIZE), True
        if i < len(lines) - 1:
            run.add_break()
    longest = max(text_width_mm(line, BODY_NAME_SIZE, bold=True) for line in lines)
    rule_under(left, longest * 0.4, HEADER_COLUMNS[0], HEADER_MARGIN)
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = right.paragraphs[0].add_run(NATION)
    run.font.size, run.bold = Pt(NATION_SIZE), True
    motto = centred(right, "", after=0)
    run = motto.add_run(MOTTO)
    run.font.size, run.bold, run.underline = Pt(MOTTO_SIZE), True, True
    left2, right2 = table.rows[1].cells
    left2.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    left2.paragraphs[0].add_run(number).font.size = Pt(NUMBER_SIZE)
    right2.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = right2.paragraphs[0].add_run(place_date)
    run.font.size, run.italic = Pt(BODY), True
    for cell in (*table.rows[0].cells, *table.rows[1].cells):
        for p in cell.paragraphs:
            p.paragraph_format.space_after = Pt(0)
    table.rows[1].cells[0].paragraphs[0].paragraph_format.space_before = Pt(6)
    table.rows[1].cells[1].paragraphs[0].paragraph_format.space_before = Pt(6)


def title(doc, kind: str, summary: str = "") -> None:
    """Document type in bold capitals and its summary in bold, with a short line under."""
    centred(doc, kind, size=BODY, bold=True).paragraph_format.space_before = Pt(18)
    if summary:
        centred(doc, summary, bold=True)
        table = doc.add_table(rows=1, cols=1)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        _widths(table, (TEXT_WIDTH,))
        width = min(text_width_mm(summary, BODY, bold=True), TEXT_WIDTH)
        cell = table.rows[0].cells[0]
        cell.paragraphs[0].paragraph_format.space_after = Pt(0)
        cell.paragraphs[0].paragraph_format.line_spacing = Pt(2)
        rule_under(cell, max(width / 3, 25), TEXT_WIDTH)
    paragraph(doc, after=6)


def article(doc, number: int, text: str):
    """'Điều N.' in bold followed by the article's text, justified."""
    p = paragraph(doc, indent=True)
    label = p.add_run(f"Điều {number}. ")
    label.bold, label.font.size = True, Pt(BODY)
    p.add_run(text).font.size = Pt(BODY)
    return p


def closing(doc, *, recipients: list[str], authority_lines: list[str], signer: str) -> None:
    """'Nơi nhận:' at bottom left; the signing authority and the signer's name at the right."""
    table = doc.add_table(rows=1, cols=2)
    _widths(table, (75, TEXT_WIDTH - 75))
    left, right = table.rows[0].cells
    p = left.paragraphs[0]
    run = p.add_run("Nơi nhận:")
    run.bold, run.italic, run.font.size = True, True, Pt(RECIPIENTS_TITLE)
    p.paragraph_format.space_after = Pt(0)
    for item in recipients:
        paragraph(left, f"- {item}", size=RECIPIENTS_ITEM, after=0,
                  align=WD_ALIGN_PARAGRAPH.LEFT)  # fmt: skip
    signature(right, authority_lines, signer)


def signature(cell, authority_lines: list[str], signer: str) -> None:
    """Authority lines in bold capitals, room to sign, the full name in bold."""
    first = cell.paragraphs[0]
    first.alignment = WD_ALIGN_PARAGRAPH.CENTER
    first.paragraph_format.space_after = Pt(0)
    for i, line in enumerate(authority_lines):
        p = first if i == 0 else centred(cell, "")
        run = p.add_run(line)
        run.bold, run.font.size = True, Pt(BODY)
    for _ in range(4):
        centred(cell, "")
    centred(cell, signer or "", bold=True)


def two_signatures(doc, left: tuple[list[str], str], right: tuple[list[str], str]) -> None:
    """Two signature blocks side by side (e.g. the secretary and the chair of a meeting)."""
    table = doc.add_table(rows=1, cols=2)
    _widths(table, (TEXT_WIDTH / 2, TEXT_WIDTH / 2))
    for cell, (lines, name) in zip(table.rows[0].cells, (left, right), strict=True):
        signature(cell, lines, name)


def grid(doc, headers: list[str], rows: list[list[str]], widths_mm: list[float], *,
         numeric: set[int] = frozenset(), size: float = 12):  # fmt: skip
    """A bordered table: header row repeated on every page, rows never split across pages."""
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(table, widths_mm)
    _row_flags(table.rows[0], header=True)
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        p = cell.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.space_after = Pt(0)
        run = p.add_run(text)
        run.bold, run.font.size = True, Pt(size)
    for values in rows:
        row = table.add_row()
        _row_flags(row)
        for i, (cell, text) in enumerate(zip(row.cells, values, strict=True)):
            cell.width = Mm(widths_mm[i])
            p = cell.paragraphs[0]
            p.paragraph_format.space_after = Pt(0)
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER if i in numeric else WD_ALIGN_PARAGRAPH.LEFT
            p.add_run(text).font.size = Pt(size)
    return table


def _row_flags(row, *, header: bool = False) -> None:
    props = row._tr.get_or_add_trPr()
    props.append(OxmlElement("w:cantSplit"))
    if header:
        props.append(OxmlElement("w:tblHeader"))


def page_break(doc) -> None:
    """Start a new page (e.g. for a list attached to a decision)."""
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def to_bytes(doc) -> bytes:
    """The document as DOCX bytes."""
    buffer = BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
