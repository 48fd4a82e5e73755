"""A ruled PDF table laid out in one pass: words wrapped with cached widths, text placed directly.

fpdf2's own table lays every cell out twice through its full text engine (once to measure the
row, once to draw it), which made a ranking of a thousand units take seconds. Tables here
are plain text in a grid, so the layout is simple enough to do once.
"""

from fpdf import FPDF

LINE_HEIGHT = 5.0
PAD_Y, PAD_X = 0.8, 1.2


class _Measure:
    """Text widths (mm) in the current size, per style, remembered per word."""

    def __init__(self, pdf: FPDF, size: float):
        self.pdf, self.size, self.cache = pdf, size, {}

    def width(self, style: str, text: str) -> float:
        key = (style, text)
        width = self.cache.get(key)
        if width is None:
            self.pdf.set_font("Serif", style, self.size)
            width = self.cache[key] = self.pdf.get_string_width(text)
        return width

    def lines(self, style: str, text: str, room: float) -> list[str]:
        """The text broken into lines no wider than room: at spaces, inside a word if needed."""
        out = []
        space = self.width(style, " ")
        for paragraph in str(text).split("\n"):
            line, used = "", 0.0
            for word in paragraph.split(" "):
                width = self.width(style, word)
                if line and used + space + width <= room:
                    line, used = f"{line} {word}", used + space + width
                    continue
                if line:
                    out.append(line)
                line, used = word, width
                while used > room and len(line) > 1:
                    # a word wider than the column is cut where it fills the line
                    cut = len(line) - 1
                    while cut > 1 and self.width(style, line[:cut]) > room:
                        cut -= 1
                    out.append(line[:cut])
                    line = line[cut:]
                    used = self.width(style, line)
            out.append(line)
        return out


def draw_table(pdf: FPDF, *, columns, rows, widths, align, size, head_fill, bold_last) -> None:
    """Columns (bold, shaded, repeated on every page) over rows, the last row bold if asked."""
    total = sum(widths)
    widths = [pdf.epw * w / total for w in widths]
    measure = _Measure(pdf, size)
    font_mm = size / pdf.k
    last = len(rows) - 1

    def layout(values, style, aligns):
        cells = [
            measure.lines(style, text, width - 2 * PAD_X)
            for text, width in zip(values, widths, strict=True)
        ]
        height = max(len(c) for c in cells) * LINE_HEIGHT + 2 * PAD_Y
        return cells, height, style, aligns

    def draw(cells, height, style, aligns, fill):
        top, x = pdf.get_y(), pdf.l_margin
        pdf.set_font("Serif", style, size)
        for lines, width, where in zip(cells, widths, aligns, strict=True):
            pdf.rect(x, top, width, height, style="DF" if fill else "D")
            y = top + (height - len(lines) * LINE_HEIGHT) / 2 + LINE_HEIGHT / 2 + 0.3 * font_mm
            for line in lines:
                if where == "L":
                    left = x + PAD_X
                else:
                    room = measure.width(style, line)
                    left = (x + width - PAD_X - room if where == "R"
                            else x + (width - room) / 2)  # fmt: skip
                pdf.text(left, y, line)
                y += LINE_HEIGHT
            x += width
        pdf.set_xy(pdf.l_margin, top + height)

    head = layout(columns, "B", "C" * len(columns))
    pdf.set_fill_color(*head_fill)
    if pdf.get_y() + head[1] > pdf.page_break_trigger:
        pdf.add_page()
    draw(*head, fill=True)
    for i, values in enumerate(rows):
        row = layout(values, "B" if bold_last and i == last else "", align)
        if pdf.get_y() + row[1] > pdf.page_break_trigger:
            pdf.add_page()
            draw(*head, fill=True)
        draw(*row, fill=False)
