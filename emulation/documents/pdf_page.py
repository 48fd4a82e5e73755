"""PDF pages in the state's format (Decree 30/2020): A4, its margins, Liberation Serif (the
metrics of Times New Roman), the page number at the top from page 2, and the letterhead."""

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.output import OutputProducer

from .decree30 import FONTS, MOTTO, NATION, PAGE, balanced_lines


class _Writer(OutputProducer):
    """fpdf2's writer, letting go of the document once it is written.

    The writer and its cross-reference table refer to each other, so without this the
    document it holds (fonts, images, every page) would stay in memory until the next full
    garbage collection, and the next file made would not reuse that memory.
    """

    def bufferize(self) -> bytearray:
        """The file's bytes."""
        try:
            return super().bufferize()
        finally:
            self.pdf_objs = []
            self.fpdf = None


class StateDocument(FPDF):
    """An A4 document whose pages after the first carry their number at the top, centred."""

    def output(self, *args, **kwargs):
        """The file's bytes, written by a writer that does not keep the document alive."""
        kwargs.setdefault("output_producer_class", _Writer)
        return super().output(*args, **kwargs)

    def header(self):
        """The page number at the top, centred, from page 2."""
        if self.page_no() > 1:
            self.set_y(10)
            self.set_font("Serif", size=13)
            self.cell(0, 6, str(self.page_no()), align="C")
            self.set_y(PAGE["top"])


def new_pdf(title: str) -> StateDocument:
    """An empty document with the fonts and margins of the decree, on its first page."""
    pdf = StateDocument(format="A4")
    pdf.set_margins(PAGE["left"], PAGE["top"], PAGE["right"])
    pdf.set_auto_page_break(True, margin=PAGE["bottom"])
    for style, stem in (("", "Regular"), ("B", "Bold"), ("I", "Italic"), ("BI", "BoldItalic")):
        pdf.add_font("Serif", style, FONTS / f"LiberationSerif-{stem}.ttf")
    pdf.set_title(title)
    pdf.set_creator("emulation")
    pdf.add_page()
    return pdf


def centred_column(pdf: FPDF, x: float, width: float, lines: list[tuple[str, str, float]]) -> float:
    """Centred lines (text, style, size) in a column starting at x; returns the bottom.

    A line "—rule:<share>" draws a solid line under the previous text, `share` of its width.
    """
    previous = ""
    for text, style, size in lines:
        pdf.set_x(x)
        pdf.set_font("Serif", style, size)
        if text.startswith("—rule:"):
            pdf.set_font("Serif", "B", size)
            half = min(pdf.get_string_width(previous), width) * float(text[6:]) / 2
            middle = x + width / 2
            pdf.line(middle - half, pdf.get_y() + 0.4, middle + half, pdf.get_y() + 0.4)
            pdf.ln(2)
            continue
        pdf.multi_cell(width, 5.5, text, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        previous = max(text.split("\n"), key=len)
    return pdf.get_y()


def letterhead(
    pdf: FPDF, *, organisation: str, body: str, number: str, place_date: str, gap: float = 6
) -> None:
    """The issuing body and number on the left, the nation, motto and place-date on the right
    (the body's name is balanced over lines; the organisation is set as given)."""
    top = pdf.get_y()
    left = centred_column(pdf, pdf.l_margin - 1.75, 76, [
        (organisation.upper(), "", 12),
        ("\n".join(balanced_lines(body.upper(), 12, 70)), "B", 12), ("—rule:0.4", "", 12),
        (number, "", 13),
    ])  # fmt: skip
    pdf.set_y(top)
    right = centred_column(pdf, pdf.l_margin + 74.25, 92.5, [
        (NATION, "B", 12), (MOTTO, "B", 13), ("—rule:1", "", 13), (place_date, "I", 14),
    ])  # fmt: skip
    pdf.set_y(max(left, right) + gap)
