"""Every renderer's file, opened and read back: XLSX, DOCX, PDF and HTML, in Vietnamese."""

import unicodedata
from io import BytesIO

import openpyxl
import pytest
from docx import Document
from pypdf import PdfReader

from emulation.reports import RENDERERS, build_charts, build_report
from emulation.reports.outline import MOTTO, NATION

from .conftest import AFTER

PLACE_DATE = "Đà Nẵng, ngày 05 tháng 9 năm 2025"


@pytest.fixture
def final_report(movement, dossiers):
    """The final round's report."""
    return build_report(movement.final, now=AFTER)


def _rows(sheet) -> list[tuple]:
    return list(sheet.iter_rows(values_only=True))


def _pdf_text(data: bytes) -> str:
    reader = PdfReader(BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return unicodedata.normalize("NFC", text)


def test_xlsx_has_summary_ranking_points_with_explanations_comparison_and_charts(final_report):
    book = openpyxl.load_workbook(BytesIO(RENDERERS["xlsx"][0](final_report)))
    assert book.sheetnames == ["Tổng hợp", "Xếp hạng", "Chỉ tiêu", "Điểm chỉ tiêu",
                               "So sánh sơ kết – tổng kết", "Biểu đồ"]  # fmt: skip
    summary = _rows(book["Tổng hợp"])
    assert summary[0][0] == "BÁO CÁO TỔNG KẾT — Tổng kết năm 2025"
    assert ("Phong trào", "Phong trào thi đua chuyển đổi số (kiểm thử báo cáo)") in [
        r[:2] for r in summary
    ]
    assert ("Tổng cộng", 6, 6, 6, 0, 0, 0, 1) in summary
    header, *ranking = _rows(book["Xếp hạng"])
    row = dict(zip(header, ranking[0], strict=True))
    assert (row["Mã"], row["Tập thể, cá nhân"], row["Tổng điểm"], row["Xếp loại"]) == (
        "U2", "VKSND quận Thanh Khê", 80, "Xuất sắc",
    )  # fmt: skip
    assert row["Đề nghị khen thưởng"] == "Bằng khen của Viện trưởng" and row["Hạng chung"] == 1
    header, *points = _rows(book["Điểm chỉ tiêu"])
    assert len(points) == 6 * 5
    u4 = next(p for p in points if p[0] == "U4" and p[4] == "KYSO")
    kyso = dict(zip(header, u4, strict=True))
    assert kyso["Số liệu đầu vào"] == "KYSO_a=81; KYSO_b=100"
    assert kyso["Điểm được tính"] == 27 and kyso["Điểm tối đa"] == 30
    assert kyso["Giải thích"] == "số liệu 0,81 → 27/30 điểm"
    gopy = dict(zip(header, next(p for p in points if p[4] == "GOPY"), strict=True))
    assert gopy["Phương pháp"] == "Hội đồng chấm" and "chưa có điểm Hội đồng" in gopy["Ghi chú"]
    header, *changes = _rows(book["So sánh sơ kết – tổng kết"])
    u3 = dict(zip(header, next(c for c in changes if c[0] == "U3"), strict=True))
    assert (u3["Điểm sơ kết"], u3["Điểm tổng kết"], u3["Thay đổi điểm"]) == (27.5, 78, 50.5)
    assert u3["Thay đổi hạng (+ là tăng)"] == 2
    assert len(book["Biểu đồ"]._images) == 6


def test_docx_administrative_layout_sections_and_tables(final_report):
    doc = Document(BytesIO(RENDERERS["docx"][0](final_report)))
    letterhead = doc.tables[0]
    left, right = (cell.text for cell in letterhead.rows[0].cells)
    assert "VIỆN KIỂM SÁT NHÂN DÂN THÀNH PHỐ ĐÀ NẴNG" in left
    assert "HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG" in left
    assert NATION in right and MOTTO in right and PLACE_DATE in right
    paragraphs = [p.text for p in doc.paragraphs]
    assert "BÁO CÁO TỔNG KẾT" in paragraphs and "Tổng kết năm 2025" in paragraphs
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings == [
        "I. THÔNG TIN CHUNG",
        "II. TÌNH HÌNH THAM GIA",
        "III. KẾT QUẢ CHẤM ĐIỂM, XẾP HẠNG",
        "IV. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU",
        "V. SO SÁNH KẾT QUẢ SƠ KẾT VÀ TỔNG KẾT",
        "VI. ĐỀ NGHỊ KHEN THƯỞNG",
    ]
    rows = [[c.text for c in row.cells] for table in doc.tables for row in table.rows]
    assert ["VKSND quận Sơn Trà", "27,5", "78", "+50,5", "4", "2", "+2"] in rows
    assert ["Tổng cộng", "6", "6", "0", "0", "0", "100%"] in rows
    assert len(doc.inline_shapes) == 6
    assert any("Ký, ghi rõ họ tên" in c.text for c in doc.tables[-1].rows[0].cells)


def test_pdf_is_a4_with_embedded_fonts_and_vietnamese_text(final_report):
    data = RENDERERS["pdf"][0](final_report)
    reader = PdfReader(BytesIO(data))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    fonts = [f.get_object() for page in reader.pages for f in page["/Resources"]["/Font"].values()]
    for font in fonts:  # every font is an embedded subset of DejaVu
        assert "DejaVu" in font["/BaseFont"]
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor
    text = _pdf_text(data)
    for expected in (
        NATION, MOTTO, PLACE_DATE, "BÁO CÁO TỔNG KẾT", "VKSND quận Sơn Trà",
        "Phòng Thống kê tội phạm", "Xuất sắc: 1; Tốt: 4; Khá: 0; chưa đạt mức xếp loại: 1",
        "V. SO SÁNH KẾT QUẢ SƠ KẾT VÀ TỔNG KẾT", "+50,5", "Bằng khen của Viện trưởng",
    ):  # fmt: skip
        assert expected in text, expected
    assert "DỰ THẢO" in text  # not frozen


def test_html_file_is_standalone_with_inline_charts(final_report):
    page = RENDERERS["html"][0](final_report).decode()
    assert page.startswith("<!doctype html>") and NATION in page and PLACE_DATE in page
    assert page.count('src="data:image/png;base64,') == 6
    assert "VKSND quận Thanh Khê" in page and 'data-key="U3"' in page
    assert "/static/" not in page


def test_interim_files_have_no_comparison(movement, dossiers):
    report = build_report(movement.interim, now=AFTER)
    charts = build_charts(report)
    assert "comparison" not in charts and len(charts) == 5
    book = openpyxl.load_workbook(BytesIO(RENDERERS["xlsx"][0](report, charts)))
    assert "So sánh sơ kết – tổng kết" not in book.sheetnames
    doc = Document(BytesIO(RENDERERS["docx"][0](report, charts)))
    assert "BÁO CÁO SƠ KẾT" in [p.text for p in doc.paragraphs]
    assert not any("SO SÁNH" in p.text for p in doc.paragraphs)
    text = _pdf_text(RENDERERS["pdf"][0](report, charts))
    assert "V. ĐỀ NGHỊ KHEN THƯỞNG" in text and "Muộn" in text


@pytest.mark.parametrize("fmt", sorted(RENDERERS))
def test_every_format_renders_a_round_without_dossiers(movement, fmt):
    report = build_report(movement.final, now=AFTER)
    assert list(build_charts(report)) == ["participation"]
    assert len(RENDERERS[fmt][0](report)) > 1000


def test_xlsx_values_are_numeric_cells_and_choices_show_labels(final_report):
    book = openpyxl.load_workbook(BytesIO(RENDERERS["xlsx"][0](final_report)))
    sheet = book["Điểm chỉ tiêu"]
    header = [c.value for c in sheet[1]]
    column = header.index("Giá trị") + 1
    cell = next(
        sheet.cell(row=r, column=column)
        for r in range(2, sheet.max_row + 1)
        if sheet.cell(row=r, column=1).value == "U4" and sheet.cell(row=r, column=5).value == "KYSO"
    )
    assert cell.data_type == "n" and cell.value == 0.81
    assert cell.number_format.startswith("[$-42A]")
    facts = dict(r[:2] for r in _rows(book["Tổng hợp"]) if r[0])
    assert facts["Số hồ sơ được chấm điểm"] == 6


def test_points_table_shows_choice_labels():
    from types import SimpleNamespace

    import pandas as pd

    from emulation.reports.tables import points_frame
    from emulation.scoring import loads_rules, score
    from tests.scoring.helpers import indicator, rules_text

    params = '{ options = { dung_han = 1, cham = 0.5 }, labels = { dung_han = "Đúng hạn" } }'
    rules = loads_rules(rules_text(indicator("KH", "choice", 4, params)), source="t.toml")
    values = pd.DataFrame({"unit_code": ["A", "B"], "KH": ["dung_han", "cham"]})
    frame = points_frame(SimpleNamespace(result=score(rules, values)))
    assert list(frame["Giá trị"]) == ["Đúng hạn", "cham"]
