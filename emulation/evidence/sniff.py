"""Decide what an uploaded file is from its bytes, and refuse broken or dangerous content."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from .errors import MIB, ContentProblem

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

LABELS = {PDF: "PDF", PNG: "PNG", JPEG: "JPEG", DOCX: "DOCX", XLSX: "XLSX"}
EXTENSIONS = {
    ".pdf": PDF,
    ".png": PNG,
    ".jpg": JPEG,
    ".jpeg": JPEG,
    ".jpe": JPEG,
    ".jfif": JPEG,
    ".docx": DOCX,
    ".xlsx": XLSX,
}
CANONICAL_EXTENSION = {PDF: ".pdf", PNG: ".png", JPEG: ".jpg", DOCX: ".docx", XLSX: ".xlsx"}

PDF_MAGIC = b"%PDF-"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
PNG_IHDR = b"\x00\x00\x00\x0dIHDR"
PNG_IEND = b"IEND\xaeB`\x82"
JPEG_MAGIC = b"\xff\xd8\xff"
ZIP_MAGIC = b"PK\x03\x04"

# PDF readers look for %%EOF only in the last 1024 bytes; so do we.
TAIL_BYTES = 1024
MAX_ZIP_ENTRIES = 5000
MAX_UNPACKED_BYTES = 200 * MIB
MAX_UNPACKED_RATIO = 100
# Tiny files may expand this much whatever their ratio; it harms nobody.
UNPACKED_FLOOR_BYTES = 10 * MIB
# Deflate tops out near 1032:1; XML rarely passes 100:1, so a big entry above 200:1 is a bomb.
MAX_ENTRY_RATIO = 200
ENTRY_RATIO_FLOOR_BYTES = MIB

_OOXML_PARTS = {DOCX: "word/document.xml", XLSX: "xl/workbook.xml"}


def _ooxml_type(names: set[str]) -> str | None:
    if "[Content_Types].xml" not in names:
        return None
    found = [mime for mime, part in _OOXML_PARTS.items() if part in names]
    return found[0] if len(found) == 1 else None


def sniff_type(head: bytes) -> str | None:
    """Return the canonical MIME type of allowed content judged by its magic bytes, or None."""
    if head.startswith(PDF_MAGIC):
        return PDF
    if head.startswith(PNG_MAGIC):
        return PNG
    if head.startswith(JPEG_MAGIC):
        return JPEG
    if head.startswith(ZIP_MAGIC):
        # OOXML is only recognisable from the central directory, so this needs the whole file.
        try:
            with zipfile.ZipFile(io.BytesIO(head)) as archive:
                return _ooxml_type(set(archive.namelist()))
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
            return None
    return None


def unpacked_limit(size: int) -> int:
    """Largest total uncompressed size allowed for a ZIP-based upload of `size` bytes."""
    return min(MAX_UNPACKED_BYTES, max(MAX_UNPACKED_RATIO * size, UNPACKED_FLOOR_BYTES))


def _check_zip_directory(infos: list[zipfile.ZipInfo], size: int) -> None:
    if len(infos) > MAX_ZIP_ENTRIES:
        raise ContentProblem(
            "zip_bomb", "too_many_entries", count=len(infos), max_entries=MAX_ZIP_ENTRIES
        )
    total = sum(info.file_size for info in infos)
    if total > unpacked_limit(size):
        raise ContentProblem("zip_bomb", "too_big_unpacked", size=total, limit=unpacked_limit(size))
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > ENTRY_RATIO_FLOOR_BYTES and ratio > MAX_ENTRY_RATIO:
            raise ContentProblem("zip_bomb", "ratio", entry=info.filename, ratio=int(ratio))
    # Overlapping entries are how non-recursive bombs reuse one compressed run many times.
    spans = sorted((info.header_offset, info.compress_size) for info in infos)
    if spans and spans[0][0] != 0:
        raise ContentProblem("corrupt", "zip_unreadable")
    for (start, length), (next_start, _) in zip(spans, [*spans[1:], (size, 0)], strict=True):
        if start >= next_start or start + length > next_start:
            raise ContentProblem("zip_bomb", "overlap")


def _inspect_zip(path: Path, size: int) -> str | None:
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as error:
        raise ContentProblem("corrupt", "zip_unreadable") from error
    _check_zip_directory(infos, size)
    mime = _ooxml_type({info.filename for info in infos})
    if mime is not None and any(info.filename.lower().endswith("vbaproject.bin") for info in infos):
        raise ContentProblem("macros", label=LABELS[mime])
    return mime


def inspect_file(path: Path) -> str | None:
    """Return the MIME type of a whole file on disk, None if not allowed; raise ContentProblem."""
    size = path.stat().st_size
    with path.open("rb") as file:
        head = file.read(16)
        file.seek(max(0, size - TAIL_BYTES))
        tail = file.read()
    if head.startswith(ZIP_MAGIC):
        return _inspect_zip(path, size)
    mime = sniff_type(head)
    if mime is None:
        return None
    # A second format hidden behind an allowed one is how polyglot attacks get past checks.
    if zipfile.is_zipfile(path):
        raise ContentProblem("polyglot", label=LABELS[mime])
    if mime == PDF and b"%%EOF" not in tail:
        raise ContentProblem("corrupt", "pdf_no_eof")
    if mime == PNG:
        if head[8:16] != PNG_IHDR:
            raise ContentProblem("corrupt", "png_header")
        if PNG_IEND not in tail:
            raise ContentProblem("corrupt", "png_no_end")
    return mime
