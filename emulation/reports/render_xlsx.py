"""XLSX renderer (pandas + openpyxl): summary, ranking, points with explanations, charts."""

from io import BytesIO

import pandas as pd
from openpyxl.drawing.image import Image
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ..exports.cells import safe_cell
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

HEAD_FILL = PatternFill("solid", fgColor="E8EEF7")
BOLD = Font(bold=True)
PERCENT_COLUMNS = {"Tỷ lệ nộp", "Tỷ lệ điểm bình quân", "Tỷ lệ đạt", "Tỷ lệ"}
# [$-42A] is the Vietnamese locale: a spreadsheet shows 0,877 and 1.234,5 whatever its own locale
VI = "[$-42A]"
POINTS_FORMAT = VI + "#,##0.00"
VALUE_FORMAT = VI + "General"
PERCENT_FORMAT = VI + "0.0%"
WIDE = 60


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
    return buffer.getvalue()
