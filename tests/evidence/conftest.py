"""Fixtures for evidence storage: an upload folder and small real files of every allowed type."""

import io
import zipfile

import pytest


def _pdf() -> bytes:
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _image(kind: str) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format=kind)
    return buffer.getvalue()


def _docx() -> bytes:
    from docx import Document

    document = Document()
    document.add_paragraph("Báo cáo thành tích năm 2024")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _xlsx() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active["A1"] = "Chỉ tiêu"
    workbook.active["B1"] = 42
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture(scope="session")
def samples() -> dict[str, bytes]:
    """One small, genuine file per allowed type, keyed pdf/png/jpeg/docx/xlsx."""
    return {
        "pdf": _pdf(),
        "png": _image("PNG"),
        "jpeg": _image("JPEG"),
        "docx": _docx(),
        "xlsx": _xlsx(),
    }


@pytest.fixture
def upload_dir(tmp_path):
    """An upload folder that does not exist yet, inside the test's own tmp_path."""
    return tmp_path / "uploads"


@pytest.fixture
def rezip():
    """Copy a ZIP's bytes, adding or replacing entries and optionally setting its comment."""

    def build(data: bytes, extra: dict[str, bytes], *, comment: bytes = b"") -> bytes:
        buffer = io.BytesIO()
        with (
            zipfile.ZipFile(io.BytesIO(data)) as source,
            zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target,
        ):
            for info in source.infolist():
                if info.filename not in extra:
                    target.writestr(info, source.read(info))
            for name, content in extra.items():
                target.writestr(name, content)
            target.comment = comment
        return buffer.getvalue()

    return build
