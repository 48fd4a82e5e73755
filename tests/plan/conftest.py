"""Reuse the registration world: a movement, two units and a user of every role."""

import io

from openpyxl import Workbook

from tests.registration.conftest import world  # noqa: F401  (fixture)

HEADER = ["STT", "Nội dung", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời hạn", "Sản phẩm"]


def workbook(*rows, header=HEADER) -> bytes:
    """An XLSX file with a header row and `rows`."""
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
