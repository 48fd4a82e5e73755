"""The state's document format (Decree 30/2020/NĐ-CP, Appendix I): its measures and its words.

A4; margins top/bottom 20 mm, left 30 mm, right 15 mm; Times New Roman; national title 12 pt
bold capitals; motto 13 pt bold with a solid line as long as itself; the issuing body in bold
capitals under its superior with a short line under it; "Số: …" and an italic place and date;
the document type in bold capitals 14 pt; body 14 pt justified; page numbers at the top,
centred, from page 2. The DOCX that follows it is built in docx_parts; this module needs no
python-docx (dates, numbers and the bold names' line breaks serve the PDF pages and reports too).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

FONT = "Times New Roman"
FONTS = Path(__file__).resolve().parent.parent / "fonts"
NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
PAGE = {"width": 210, "height": 297, "top": 20, "bottom": 20, "left": 30, "right": 15}
TEXT_WIDTH = PAGE["width"] - PAGE["left"] - PAGE["right"]
# The header is 3.5 mm wider than the text (centred) and its cells have 1 mm side margins so
# that a superior body's name such as "VIỆN KIỂM SÁT NHÂN DÂN TỐI CAO" and the national title
# each stay on one line, in Word and in LibreOffice (which keeps wider cell margins).
HEADER_COLUMNS = (76, 92.5)
HEADER_MARGIN = 1.0
CELL_MARGIN = 1.9
BODY = 14
NATION_SIZE, MOTTO_SIZE, BODY_NAME_SIZE, NUMBER_SIZE = 12, 13, 12, 13
RECIPIENTS_TITLE, RECIPIENTS_ITEM = 12, 11


# Documents measure the same few names (the issuer, its superior) again and again; FreeType
# loads the font file at each measure, which was most of the time a receipt took.
@lru_cache(maxsize=4096)
def text_width_mm(text: str, size: float, *, bold: bool = False) -> float:
    """Printed width of `text` in Liberation Serif (metrics of Times New Roman), in mm."""
    # matplotlib only for its FreeType binding: loaded when a width is first measured.
    from matplotlib.ft2font import FT2Font

    face = FT2Font(str(FONTS / f"LiberationSerif-{'Bold' if bold else 'Regular'}.ttf"))
    face.set_size(size, 72)
    face.set_text(text)
    return face.get_width_height()[0] / 64 / 72 * 25.4


def balanced_lines(text: str, size: float, width_mm: float) -> list[str]:
    """Bold text in one line if it fits, else two lines of near equal width
    ("VIỆN KIỂM SÁT NHÂN DÂN" / "THÀNH PHỐ ĐÀ NẴNG")."""
    if text_width_mm(text, size, bold=True) <= width_mm:
        return [text]
    words = text.split()
    splits = [
        (" ".join(words[:i]), " ".join(words[i:]))
        for i in range(1, len(words))
        if words[i] not in ("-", "–")  # a line never starts with a dash
    ]
    if not splits:
        return [text]
    best = min(splits, key=lambda s: max(text_width_mm(p, size, bold=True) for p in s))
    return list(best)


def vn_number(value: float, decimals: int = 2) -> str:
    """A number as Vietnamese writes it: decimal comma, trailing zeros dropped (95,38; 90)."""
    text = f"{value:.{decimals}f}".rstrip("0").rstrip(".") if decimals else f"{value:.0f}"
    return text.replace(".", ",")


def vn_date(day) -> str:
    """'ngày 05 tháng 9 năm 2025': day below 10 and months 1, 2 with a leading zero."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def count_phrase(collectives: int, individuals: int) -> str:
    """'5 tập thể', '2 cá nhân' or '3 tập thể và 2 cá nhân'."""
    parts = [f"{collectives} tập thể"] * bool(collectives) + [f"{individuals} cá nhân"] * bool(
        individuals
    )
    return " và ".join(parts) or "0 tập thể, cá nhân"
