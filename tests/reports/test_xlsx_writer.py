"""The streaming workbook holds what the former cell-by-cell openpyxl workbook held."""

from datetime import UTC, datetime
from io import BytesIO

import openpyxl
from sqlalchemy import select

from emulation.demo import load_demo
from emulation.extensions import db
from emulation.models import Movement
from emulation.reports import RENDERERS, build_charts, build_report

from .xlsx_openpyxl import render_xlsx as reference_xlsx

NOW = datetime(2025, 12, 20, 3, 0, tzinfo=UTC)


def _cells(sheet) -> list[tuple]:
    """Every cell's value and, for numbers, the format a spreadsheet shows it in."""
    return [
        tuple((c.value, c.number_format if isinstance(c.value, int | float) else None) for c in row)
        for row in sheet.iter_rows()
    ]


def _layout(sheet) -> tuple:
    setup = sheet.page_setup
    return (
        str(sheet.freeze_panes), sheet.print_title_rows, setup.orientation, int(setup.paperSize),
        # an absent fitToWidth means 1, the file format's default
        (setup.fitToWidth or 1, setup.fitToHeight), sheet.oddFooter.center.text,
        [(round(i.width), round(i.height)) for i in sheet._images],
        [c.font.b for c in next(sheet.iter_rows(max_row=1))],
    )  # fmt: skip


def test_demo_report_workbooks_equal_the_cell_by_cell_ones_value_for_value(app):
    load_demo(now=NOW)
    db.session.flush()
    movement = db.session.execute(select(Movement).order_by(Movement.id)).scalars().first()
    compared = 0
    for round_ in movement.rounds:
        report = build_report(round_, now=NOW)
        charts = build_charts(report)
        new = openpyxl.load_workbook(BytesIO(RENDERERS["xlsx"][0](report, charts)))
        old = openpyxl.load_workbook(BytesIO(reference_xlsx(report, charts)))
        assert new.sheetnames == old.sheetnames
        for name in old.sheetnames:
            assert _cells(new[name]) == _cells(old[name]), name
            assert _layout(new[name]) == _layout(old[name]), name
            compared += sum(1 for row in old[name].iter_rows() for c in row if c.value is not None)
    # both rounds, every candidate's points per indicator among them
    assert compared > 5000
