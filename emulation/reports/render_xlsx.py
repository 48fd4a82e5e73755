"""XLSX renderer (XlsxWriter, streaming): summary, ranking, points with explanations, charts.

Rows go to disk as they are written (constant memory), so the points sheet of a large round
(one row per candidate and indicator) costs neither the time nor the memory of a cell-object
workbook.
"""

import math
import struct
from io import BytesIO
from numbers import Number

import pandas as pd
import xlsxwriter

from ..exports.cells import FORMULA_STARTS, safe_cell
from . import fmt
from .charts import build_charts
from .data import Report
from .outline import KIND_TITLES
from .tables import (
    comparison_frame,
    indicators_frame,
    participation_frame,
    points_frame,
    ranking_frame,
)

HEAD_FILL = "#E8EEF7"
PERCENT_COLUMNS = {"Tỷ lệ nộp", "Tỷ lệ điểm bình quân", "Tỷ lệ đạt", "Tỷ lệ"}
# [$-42A] is the Vietnamese locale: a spreadsheet shows 0,877 and 1.234,5 whatever its own locale
VI = "[$-42A]"
POINTS_FORMAT = VI + "#,##0.00"
VALUE_FORMAT = VI + "General"
PERCENT_FORMAT = VI + "0.0%"
WIDE = 60
DEFAULT_WIDTH = 13  # a column's width when nothing wider is asked for
FROZEN = ("Xếp hạng", "Chỉ tiêu", "Điểm chỉ tiêu", "So sánh sơ kết – tổng kết")
CHART_WIDTH = 640  # pixels


def _facts(report: Report) -> list[tuple[str, object]]:
    frozen = report.snapshot_hash or "chưa chốt (số liệu tạm thời)"
    facts = [
        ("Cơ quan", report.organisation),
        ("Phong trào", report.movement),
        ("Đợt", f"{report.round_name} ({report.round_code})"),
        ("Hạn nộp hồ sơ", fmt.deadline(report.deadline)),
        ("Ngày khen thưởng", fmt.day(report.award_date)),
        ("Bộ quy tắc", report.rules_filename),
        ("Mã kiểm tra bộ quy tắc (SHA-256)", report.rules_hash),
        ("Kết quả xếp hạng đã chốt (SHA-256)", frozen),
        ("Thời điểm lập báo cáo", fmt.date_time(report.generated_at)),
        ("Cách xếp hạng", report.tie_policy),
        ("Số hồ sơ được chấm điểm", len(report.standings)),
        ("Số đề nghị khen thưởng", report.awarded),
    ]
    if report.is_final:
        facts.append(("So sánh với", report.interim_name or "không có đợt sơ kết"))
    return facts


def _groups_frame(report: Report) -> pd.DataFrame:
    means = report.group_means()
    return pd.DataFrame(
        {
            "Mã": [m[0] for m in means],
            "Nhóm tiêu chí": [m[1] for m in means],
            "Điểm tối đa": [m[2] for m in means],
            "Bình quân": [m[3] for m in means],
            "Tỷ lệ": [None if m[3] is None else m[3] / m[2] for m in means],
        }
    )


def _awards_frame(report: Report) -> pd.DataFrame:
    rows = [
        (tier, s.key, s.name, s.cluster, s.total, s.band)
        for tier, standings in report.awards()
        for s in standings
    ]
    return pd.DataFrame(
        rows, columns=["Hình thức", "Mã", "Tập thể, cá nhân", "Cụm, khối", "Tổng điểm", "Xếp loại"]
    )


class _Sheet:
    """One worksheet written top to bottom, remembering its widths and columns used."""

    def __init__(self, book, name: str, formats: dict):
        self.sheet = book.add_worksheet(name)
        self.name, self.formats = name, formats
        self.row, self.widths, self.columns = 0, {}, 0

    def frame(self, frame: pd.DataFrame, title: str = "") -> None:
        """Write a frame (under a bold title), leaving one blank row after it."""
        sheet, formats = self.sheet, self.formats
        if title:
            sheet.write_string(self.row, 0, safe_cell(title), formats["title"])
            self.row += 1
        names = list(frame.columns)
        self.columns = max(self.columns, len(names), 1 if title else 0)
        numbers = []
        for j, name in enumerate(names):
            sheet.write_string(self.row, j, str(name), formats["head"])
            sample = [len(str(safe_cell(v))) for v in frame[name].head(200)]
            width = min(max([len(str(name)) * 0.8, *sample], default=8) + 2, WIDE)
            self.widths[j] = max(width, self.widths.get(j, DEFAULT_WIDTH))
            if name in PERCENT_COLUMNS:
                numbers.append(formats["percent"])
            elif pd.api.types.is_float_dtype(frame[name]):
                numbers.append(formats["points"])
            else:
                numbers.append(formats["value"])
        columns = [frame[name].tolist() for name in names]
        first = self.row + 1
        for i, values in enumerate(zip(*columns, strict=True)):
            for j, value in enumerate(values):
                _cell(sheet, first + i, j, value, numbers[j])
        self.row = first + len(frame) + 1


def _cell(sheet, row: int, col: int, value, number_format) -> None:
    """One cell as pandas would hand it to a spreadsheet: blanks stay empty, text stays text."""
    kind = type(value)
    if kind is str:
        if not value:  # an empty text is an empty cell
            return
        # Names and reasons typed by users must not run as formulas when the file is opened.
        sheet.write_string(row, col, "'" + value if value.startswith(FORMULA_STARTS) else value)
    elif kind is float or kind is int:
        if value != value:  # NaN: an empty cell
            return
        if math.isinf(value):
            sheet.write_string(row, col, "inf" if value > 0 else "-inf")
            return
        sheet.write_number(row, col, value, number_format)
    elif value is None or value is pd.NA:
        return
    elif isinstance(value, bool):
        sheet.write_boolean(row, col, value)
    elif isinstance(value, Number):
        _cell(sheet, row, col, value.item() if hasattr(value, "item") else float(value),
              number_format)  # fmt: skip
    else:
        _cell(sheet, row, col, str(value), number_format)


def _summary(book, formats: dict, report: Report) -> _Sheet:
    sheet = _Sheet(book, "Tổng hợp", formats)
    title = f"BÁO CÁO {KIND_TITLES[report.kind]} — {report.round_name}"
    sheet.frame(pd.DataFrame(_facts(report), columns=["Nội dung", "Thông tin"]), title)
    sheet.frame(participation_frame(report), "Tình hình tham gia")
    sheet.frame(_groups_frame(report), "Điểm bình quân theo nhóm tiêu chí")
    sheet.frame(_awards_frame(report), "Đề nghị khen thưởng")
    sheet.widths[1] = WIDE
    return sheet


def _png_size(png: bytes) -> tuple[int, int, float]:
    """Width and height in pixels and the horizontal resolution (dots per inch) of a PNG."""
    width, height = struct.unpack(">II", png[16:24])
    dpi, at = 96.0, png.find(b"pHYs")
    if at > 0:
        per_unit, _y, unit = struct.unpack(">IIB", png[at + 4 : at + 13])
        if unit == 1 and per_unit:
            dpi = per_unit * 0.0254
    return width, height, dpi


def _charts(book, formats: dict, charts: dict) -> _Sheet:
    sheet = _Sheet(book, "Biểu đồ", formats)
    sheet.columns = 1
    row = 0
    for png in charts.values():
        width, height, dpi = _png_size(png)
        # The picture is shown 640 pixels wide whatever resolution it was drawn at.
        scale = CHART_WIDTH / width * dpi / 96
        options = {"image_data": BytesIO(png), "x_scale": scale, "y_scale": scale}
        sheet.sheet.insert_image(row, 0, "chart.png", options)
        row += int(int(height * CHART_WIDTH / width) / 20) + 2
    return sheet


def render_xlsx(report: Report, charts: dict | None = None) -> bytes:
    """The report as an Excel workbook."""
    charts = build_charts(report) if charts is None else charts
    buffer = BytesIO()
    book = xlsxwriter.Workbook(buffer, {"constant_memory": True})
    formats = {
        "title": book.add_format({"bold": True, "font_size": 12}),
        "head": book.add_format(
            {
                "bold": True,
                "bg_color": HEAD_FILL,
                "pattern": 1,
                "border": 1,
                "text_wrap": True,
                "valign": "vcenter",
            }
        ),  # fmt: skip
        "points": book.add_format({"num_format": POINTS_FORMAT}),
        "value": book.add_format({"num_format": VALUE_FORMAT}),
        "percent": book.add_format({"num_format": PERCENT_FORMAT}),
    }
    sheets = [_summary(book, formats, report)]
    tables = [("Xếp hạng", ranking_frame), ("Chỉ tiêu", indicators_frame),
              ("Điểm chỉ tiêu", points_frame)]  # fmt: skip
    if report.is_final:
        tables.append(("So sánh sơ kết – tổng kết", comparison_frame))
    for name, build in tables:
        sheet = _Sheet(book, name, formats)
        sheet.frame(build(report))
        sheets.append(sheet)
    sheets.append(_charts(book, formats, charts))
    for sheet in sheets:
        for j, width in sheet.widths.items():
            sheet.sheet.set_column(j, j, width)
        _print_settings(sheet)
    book.close()
    return buffer.getvalue()


def _print_settings(sheet: _Sheet) -> None:
    """A4, every column on one page width (rows run on), header row repeated, page numbers."""
    page = sheet.sheet
    page.set_paper(9)  # A4
    if sheet.columns > 5:
        page.set_landscape()
    else:
        page.set_portrait()
    page.fit_to_pages(1, 0)
    page.set_margins(left=30 / 25.4, right=15 / 25.4, top=20 / 25.4, bottom=20 / 25.4)
    page.center_horizontally()
    if sheet.name in FROZEN:  # the ranking-like sheets: header row kept in view and on every page
        page.freeze_panes(1, 2)
        page.repeat_rows(0)
    page.set_footer("&C&P/&N")
