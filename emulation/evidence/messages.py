"""Evidence refusals in the reader's language, from the Babel catalogue (web app only)."""

from __future__ import annotations

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from .errors import UploadRefused, format_size

TEMPLATES = {
    "too_large": _l("The file “%(name)s” exceeds the limit of %(limit)s."),
    "empty": _l("The file “%(name)s” is empty (0 bytes)."),
    "type_not_allowed": _l(
        "The file “%(name)s” is not an allowed type; only PDF, DOCX, XLSX, PNG and JPEG are"
        " accepted."
    ),
    "macros": _l(
        "The file “%(name)s” contains macros (VBA), which are not allowed; save it as a"
        " macro-free %(label)s."
    ),
    "disguised": _l("The file “%(name)s” is named %(ext)s but its content is not %(claimed)s."),
    "wrong_extension": _l(
        "The file “%(name)s” contains %(actual)s but its name does not end in %(expected)s;"
        " rename it accordingly."
    ),
    "zip_bomb": _l(
        "The file “%(name)s” was refused because of an abnormal compressed structure:"
        " %(reason)s."
    ),
    "corrupt": _l(
        "The file “%(name)s” is damaged or incomplete (%(reason)s); save it again and re-upload"
        " it."
    ),
    "polyglot": _l(
        "The file “%(name)s” is both %(label)s and a ZIP archive; such polyglot files are not"
        " accepted."
    ),
}
REASONS = {
    "too_many_entries": _l("%(count)s entries, over the limit of %(max_entries)s"),
    "too_big_unpacked": _l("it would expand to %(size)s, over the limit of %(limit)s"),
    "ratio": _l("entry “%(entry)s” has a compression ratio of %(ratio)s:1"),
    "overlap": _l("entries overlap each other or lie outside the file"),
    "zip_unreadable": _l("the ZIP structure cannot be read"),
    "pdf_no_eof": _l("the %(marker)s end marker is missing at the end"),
    "png_header": _l("the IHDR header is invalid"),
    "png_no_end": _l("the IEND end chunk is missing"),
}


def refusal_text(exc: UploadRefused) -> str:
    """Why an upload was refused, in the current request's language."""
    template = TEMPLATES.get(exc.template)
    if template is None:
        return exc.message(str(get_locale()))
    locale = str(get_locale())
    values = {
        key: format_size(value, locale) if key in {"limit", "size"} and isinstance(value, int)
        else value
        for key, value in exc.params.items()
    }  # fmt: skip
    values["marker"] = "%%EOF"
    if exc.reason in REASONS:
        values["reason"] = str(REASONS[exc.reason]) % values
    return str(template) % values
