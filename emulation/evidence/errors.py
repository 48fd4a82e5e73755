"""Refusals of evidence uploads, with messages in Vietnamese and English naming the file."""

from __future__ import annotations

MIB = 1024 * 1024

# Each template is (Vietnamese, English); fields are filled by `refusal`.
_TEMPLATES: dict[str, tuple[str, str]] = {
    "too_large": (
        "Tệp «{name}» vượt quá giới hạn {limit}.",
        "The file “{name}” exceeds the limit of {limit}.",
    ),
    "empty": (
        "Tệp «{name}» rỗng (0 byte).",
        "The file “{name}” is empty (0 bytes).",
    ),
    "type_not_allowed": (
        "Tệp «{name}» không thuộc loại được phép; chỉ nhận PDF, DOCX, XLSX, PNG, JPEG.",
        "The file “{name}” is not an allowed type; only PDF, DOCX, XLSX, PNG and JPEG "
        "are accepted.",
    ),
    "macros": (
        "Tệp «{name}» chứa macro (VBA), không được phép; hãy lưu lại thành {label} không có macro.",
        "The file “{name}” contains macros (VBA), which are not allowed; save it as a macro-free "
        "{label}.",
    ),
    "disguised": (
        "Tệp «{name}» mang đuôi {ext} nhưng nội dung không phải {claimed}.",
        "The file “{name}” is named {ext} but its content is not {claimed}.",
    ),
    "wrong_extension": (
        "Tệp «{name}» có nội dung {actual} nhưng tên tệp không có đuôi {expected}; "
        "hãy đặt lại tên tệp cho đúng.",
        "The file “{name}” contains {actual} but its name does not end in {expected}; "
        "rename it accordingly.",
    ),
    "no_name": (
        "Tệp «{name}» chỉ có đuôi, không có tên; hãy đặt tên cho tệp, ví dụ bao-cao{ext}.",
        "The file “{name}” has an extension but no name; rename it, e.g. report{ext}.",
    ),
    "zip_bomb": (
        "Tệp «{name}» bị từ chối vì cấu trúc nén bất thường: {reason}.",
        "The file “{name}” was refused because of an abnormal compressed structure: {reason}.",
    ),
    "corrupt": (
        "Tệp «{name}» bị hỏng hoặc không đầy đủ ({reason}); hãy lưu lại tệp và tải lên lần nữa.",
        "The file “{name}” is damaged or incomplete ({reason}); save it again and re-upload it.",
    ),
    "polyglot": (
        "Tệp «{name}» vừa là {label} vừa là tệp nén ZIP; tệp lai như vậy không được nhận.",
        "The file “{name}” is both {label} and a ZIP archive; such polyglot files "
        "are not accepted.",
    ),
}

# The code callers see; several templates share one code.
_CODES = {"macros": "type_not_allowed", "wrong_extension": "disguised", "no_name": "disguised"}

_REASONS: dict[str, tuple[str, str]] = {
    "too_many_entries": (
        "có {count} thành phần, vượt quá giới hạn {max_entries}",
        "{count} entries, over the limit of {max_entries}",
    ),
    "too_big_unpacked": (
        "khi giải nén sẽ chiếm {size}, vượt quá giới hạn {limit}",
        "it would expand to {size}, over the limit of {limit}",
    ),
    "ratio": (
        "thành phần «{entry}» có tỉ lệ nén {ratio}:1",
        "entry “{entry}” has a compression ratio of {ratio}:1",
    ),
    "overlap": (
        "các thành phần chồng lên nhau hoặc nằm ngoài tệp",
        "entries overlap each other or lie outside the file",
    ),
    "zip_unreadable": ("không đọc được cấu trúc ZIP", "the ZIP structure cannot be read"),
    "pdf_no_eof": (
        "thiếu dấu kết thúc %%EOF ở cuối tệp",
        "the %%EOF end marker is missing at the end",
    ),
    "png_header": ("phần đầu IHDR không hợp lệ", "the IHDR header is invalid"),
    "png_no_end": ("thiếu phần kết thúc IEND", "the IEND end chunk is missing"),
}


class UploadRefused(Exception):
    """An evidence upload was refused; `code` is stable, the messages name file and limit."""

    def __init__(
        self,
        code: str,
        message_vi: str,
        message_en: str,
        template: str = "",
        reason: str | None = None,
        params: dict | None = None,
    ):
        super().__init__(message_vi)
        self.code = code
        self.message_vi = message_vi
        self.message_en = message_en
        # the message's id and arguments, so the web app can word it from its catalogue
        self.template = template or code
        self.reason = reason
        self.params = params or {}

    def message(self, locale: str = "vi") -> str:
        """Return the message in English for an `en…` locale, otherwise in Vietnamese."""
        return self.message_en if str(locale).lower().startswith("en") else self.message_vi


class ContentProblem(Exception):
    """The content is broken or dangerous; `storage` turns it into an UploadRefused."""

    def __init__(self, template: str, reason: str | None = None, **params):
        super().__init__(template, reason, params)
        self.template = template
        self.reason = reason
        self.params = params


def format_size(size: int, locale: str = "vi") -> str:
    """Format a byte count as B/KB/MB (binary units), with a decimal comma in Vietnamese."""
    for unit, scale in (("MB", MIB), ("KB", 1024)):
        if size >= scale:
            value = f"{size / scale:.1f}".removesuffix(".0")
            if not locale.startswith("en"):
                value = value.replace(".", ",")
            return f"{value} {unit}"
    return f"{size} byte" if not locale.startswith("en") else f"{size} bytes"


def _fill(text: str, locale: str, params: dict) -> str:
    values = {
        key: format_size(value, locale)
        if key in {"limit", "size"} and isinstance(value, int)
        else value
        for key, value in params.items()
    }
    return text.format(**values)


def refusal(template: str, name: str, reason: str | None = None, **params) -> UploadRefused:
    """Build the UploadRefused for a template, filling in the file name, limits and reason."""
    vi, en = _TEMPLATES[template]
    fields_vi = {"name": name, **params}
    fields_en = {"name": name, **params}
    if reason is not None:
        reason_vi, reason_en = _REASONS[reason]
        fields_vi["reason"] = _fill(reason_vi, "vi", params)
        fields_en["reason"] = _fill(reason_en, "en", params)
    return UploadRefused(
        _CODES.get(template, template),
        _fill(vi, "vi", fields_vi),
        _fill(en, "en", fields_en),
        template,
        reason,
        {"name": name, **params},
    )


def from_problem(problem: ContentProblem, name: str) -> UploadRefused:
    """Turn a ContentProblem found while sniffing into the refusal shown to the user."""
    return refusal(problem.template, name, problem.reason, **problem.params)
