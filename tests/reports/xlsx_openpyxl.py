"""The workbook as the former openpyxl writer made it, cell by cell.

Kept as the reference the streaming writer is compared with, value for value.
"""

from io import BytesIO

import pandas as pd
from openpyxl.drawing.image import Image
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from emulation.exports.cells import safe_cell
from emulation.reports.charts import build_charts
from emulation.reports.data import Report
from emulation.reports.outline import KIND_TITLES
from emulation.reports.render_xlsx import _awards_frame, _facts, _groups_frame
from emulation.reports.tables import (
    comparison_frame,
    indicators_frame,
    participation_frame,
    points_frame,
    ranking_frame,
)

HEAD_FILL = PatternFill("solid", fgColor="E8EEF7")
BOLD = Font(bold=True)
PERCENT_COLUMNS = {"Tỷ lệ nộp", "Tỷ lệ điểm bình quân", "Tỷ lệ đạt", "Tỷ lệ"}
# [$-42A] is the Vietnamese locale: a spreadsheet shows 0,877 and 1.234,5 whatever its own locale
VI = "[$-42A]"
POINTS_FORMAT = VI + "#,##0.00"
VALUE_FORMAT = VI + "General"
PERCENT_FORMAT = VI + "0.0%"
WIDE = 60


def _style(sheet, frame: pd.DataFrame, header_row: int) -> None:
    """Bold shaded header, widths from content, number formats by column name."""
    for j, name in enumerate(frame.columns, start=1):
        cell = sheet.cell(row=header_row, column=j)
        cell.font, cell.fill = BOLD, HEAD_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sample = [len(str(v)) for v in frame[name].head(200)]
        width = min(max([len(str(name)) * 0.8, *sample], default=8) + 2, WIDE)
        letter = get_column_letter(j)
        sheet.column_dimensions[letter].width = max(
            width, sheet.column_dimensions[letter].width or 0
        )
        number_format = VALUE_FORMAT
        if name in PERCENT_COLUMNS:
            number_format = PERCENT_FORMAT
        elif pd.api.types.is_float_dtype(frame[name]):
            number_format = POINTS_FORMAT
        for row in range(header_row + 1, header_row + len(frame) + 1):
            cell = sheet.cell(row=row, column=j)
            if isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
                cell.number_format = number_format


def _write(writer, frame: pd.DataFrame, sheet: str, startrow: int = 0, title: str = "") -> int:
    """Write a frame (under a bold title) and return the next free row (0-based)."""
    # Names and reasons typed by users must not run as formulas when the file is opened.
    frame = frame.map(safe_cell)
    if title:
        pd.DataFrame([[safe_cell(title)]]).to_excel(writer, sheet_name=sheet, startrow=startrow,
                                         index=False, header=False)  # fmt: skip
        writer.sheets[sheet].cell(row=startrow + 1, column=1).font = Font(bold=True, size=12)
        startrow += 1
    frame.to_excel(writer, sheet_name=sheet, startrow=startrow, index=False)
    _style(writer.sheets[sheet], frame, startrow + 1)
    return startrow + len(frame) + 2


def _summary(writer, report: Report) -> None:
    sheet = "Tổng hợp"
    title = f"BÁO CÁO {KIND_TITLES[report.kind]} — {report.round_name}"
    facts = pd.DataFrame(_facts(report), columns=["Nội dung", "Thông tin"])
    row = _write(writer, facts, sheet, title=title)
    row = _write(writer, participation_frame(report), sheet, row, "Tình hình tham gia")
    row = _write(writer, _groups_frame(report), sheet, row, "Điểm bình quân theo nhóm tiêu chí")
    _write(writer, _awards_frame(report), sheet, row, "Đề nghị khen thưởng")
    writer.sheets[sheet].column_dimensions["B"].width = WIDE


def _charts(writer, charts: dict) -> None:
    sheet = writer.book.create_sheet("Biểu đồ")
    row = 1
    for png in charts.values():
        image = Image(BytesIO(png))
        scale = 640 / image.width
        image.width, image.height = 640, int(image.height * scale)
        sheet.add_image(image, f"A{row}")
        row += int(image.height / 20) + 2


def render_xlsx(report: Report, charts: dict | None = None) -> bytes:
    """The report as an Excel workbook."""
    charts = build_charts(report) if charts is None else charts
    buffer = BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        _summary(writer, report)
        _write(writer, ranking_frame(report), "Xếp hạng")
        _write(writer, indicators_frame(report), "Chỉ tiêu")
        _write(writer, points_frame(report), "Điểm chỉ tiêu")
        if report.is_final:
            _write(writer, comparison_frame(report), "So sánh sơ kết – tổng kết")
        for name in ("Xếp hạng", "Chỉ tiêu", "Điểm chỉ tiêu", "So sánh sơ kết – tổng kết"):
            if name in writer.sheets:
                writer.sheets[name].freeze_panes = "C2"
        _charts(writer, charts)
        for sheet in writer.book.worksheets:
            _print_settings(sheet)
    return buffer.getvalue()


def _print_settings(sheet) -> None:
    """A4, every column on one page width (rows run on), header row repeated, page numbers."""
    setup = sheet.page_setup
    setup.paperSize = sheet.PAPERSIZE_A4
    setup.orientation = "landscape" if sheet.max_column > 5 else "portrait"
    setup.fitToWidth, setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins.left, sheet.page_margins.right = 30 / 25.4, 15 / 25.4
    sheet.page_margins.top = sheet.page_margins.bottom = 20 / 25.4
    sheet.print_options.horizontalCentered = True
    if sheet.freeze_panes:  # the ranking-like sheets: their header row on every page
        sheet.print_title_rows = "1:1"
    sheet.oddFooter.center.text = "&P/&N"
