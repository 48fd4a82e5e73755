"""Long DOCX tables written as XML text give the same document as rows built as elements."""

import importlib
import zipfile
from copy import deepcopy
from io import BytesIO

import pytest
from docx.oxml.ns import qn

from emulation.reports.outline import Table

# The package exports the function under the module's name.
r = importlib.import_module("emulation.reports.render_docx")

TEXTS = ["  lề trái", "lề phải  ", "a\tb", "hai\ndòng", "<b>&amp; \"'", "", "=SUM(A1)", "Đà Nẵng"]


def _rows(n: int) -> list[list[str]]:
    return [[f"{i}", TEXTS[i % len(TEXTS)], TEXTS[(i * 3) % len(TEXTS)]] for i in range(n)]


def _elements_table(doc, block: Table) -> None:
    """The table with every row an element of the document (how rows were built before)."""
    scale = r.TEXT_WIDTH_MM / sum(block.widths)
    table = r._fixed_table(doc, 2, [r.Mm(w * scale) for w in block.widths])
    table.style = doc.styles["Table Grid"]
    table.alignment = r.WD_TABLE_ALIGNMENT.CENTER
    style_id = doc.styles["Report Table"].style_id
    r._fill(table.rows[0], block.columns, style_id, "CCC", True)
    r._fill(table.rows[1], block.rows[0], style_id, block.align, False)
    anchor = template = table.rows[1]._tr
    for values in block.rows[1:]:
        tr = deepcopy(template)
        for tc, text in zip(tr.iterchildren(qn("w:tc")), values, strict=True):
            next(tc.iterchildren(qn("w:p"))).find(qn("w:r")).text = text
        anchor.addnext(tr)
        anchor = tr
    r._repeat_header(table.rows[0])


def _body(doc) -> bytes:
    buffer = BytesIO()
    doc.save(buffer)
    with zipfile.ZipFile(buffer) as package:
        return package.read("word/document.xml")


@pytest.mark.parametrize("n", [1, 2, 40])
def test_rows_written_as_text_equal_rows_built_as_elements(n):
    block = Table(["Số", "Tên", "Ghi chú"], _rows(n), [10, 60, 30], "CLR")
    expected = r._document()
    _elements_table(expected, block)
    expected.add_paragraph().paragraph_format.space_after = r.Pt(0)

    doc = r._document()
    rows_text: dict[bytes, list[bytes]] = {}
    r._table(doc, block, rows_text)
    doc.part.__class__ = r._LongTablesPart
    doc.part.rows = rows_text
    assert len(rows_text) == (n > 1)
    assert _body(doc) == _body(expected)
