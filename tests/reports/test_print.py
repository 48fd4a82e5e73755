"""The report workbook prints on A4 at one page width; chart labels are never cut."""

import os
import shutil
import subprocess
from io import BytesIO

import openpyxl
import pytest
from pypdf import PdfReader

from emulation.reports import RENDERERS, build_report
from emulation.reports.charts import _wrap

from .conftest import AFTER


def test_every_sheet_has_a4_fit_to_width_print_settings(movement, dossiers):
    book = openpyxl.load_workbook(
        BytesIO(RENDERERS["xlsx"][0](build_report(movement.final, now=AFTER)))
    )
    for sheet in book.worksheets:
        setup = sheet.page_setup
        assert int(setup.paperSize) == 9, sheet.title  # A4
        # an absent fitToWidth means 1, the file format's default
        assert (setup.fitToWidth or 1, setup.fitToHeight) == (1, 0), sheet.title
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
        assert sheet.oddFooter.center.text == "&P/&N"
    assert book["Xếp hạng"].print_title_rows == "$1:$1"
    assert book["Điểm chỉ tiêu"].page_setup.orientation == "landscape"


def test_the_workbook_prints_on_few_pages_with_libreoffice(movement, dossiers, tmp_path):
    office = shutil.which("soffice")
    if office is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (libreoffice-calc-nogui) is needed in CI")
        pytest.skip("LibreOffice is not installed")
    (tmp_path / "report.xlsx").write_bytes(
        RENDERERS["xlsx"][0](build_report(movement.final, now=AFTER))
    )
    subprocess.run(
        [office, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(tmp_path / "report.xlsx")],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    pages = PdfReader(tmp_path / "report.pdf").pages
    # 6 sheets, every one a page wide (the charts' sheet two pages high)
    assert len(pages) <= 10, len(pages)
    box = pages[0].mediabox
    assert {round(float(box.width)), round(float(box.height))} == {595, 842}  # A4


def test_chart_labels_keep_their_whole_text():
    name = (
        "Tỷ lệ văn bản đi được ký số (văn bản ký số / tổng văn bản đi) trong kỳ đánh giá của đơn vị"
    )
    wrapped = _wrap(name, 38)
    assert "…" not in wrapped and wrapped.replace("\n", " ") == name
