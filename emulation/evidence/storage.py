"""Content-addressed storage of evidence files: stream, check, then place atomically by sha256."""

from __future__ import annotations

import errno
import hashlib
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import BinaryIO

from .errors import ContentProblem, from_problem, refusal
from .sniff import CANONICAL_EXTENSION, EXTENSIONS, LABELS, inspect_file

CHUNK_BYTES = 64 * 1024
MAX_NAME_CHARS = 255
UNNAMED = "(không tên)"
TEMP_PREFIX = ".upload-"
TEMP_SUFFIX = ".part"
# A blob stored moments ago may not be referenced yet: its row commits after store_upload.
ORPHAN_MIN_AGE = timedelta(hours=1)

_SHA256 = re.compile(r"[0-9a-f]{64}")
_HEX2 = re.compile(r"[0-9a-f]{2}")
_SEPARATORS = re.compile(r"[/\\]")
_DROPPED_CATEGORIES = {"Cc", "Cf", "Cs", "Co"}


@dataclass(frozen=True)
class StoredFile:
    """An accepted upload: its blob's sha256, size, sniffed MIME type, display name and path."""

    sha256: str
    size_bytes: int
    content_type: str
    original_name: str
    path: Path | None  # None when the blob lives in an object store
    created: bool = True  # False when an identical blob was already stored


def sanitise_name(name: str) -> str:
    """Return a display name: NFC, no directory parts or control characters, at most 255 chars."""
    text = _SEPARATORS.split(unicodedata.normalize("NFC", str(name)))[-1]
    kept = []
    for char in text:
        if char.isspace():
            kept.append(" ")
        elif unicodedata.category(char) not in _DROPPED_CATEGORIES:
            kept.append(char)
    text = " ".join("".join(kept).split())
    if text in {"", ".", ".."}:
        return UNNAMED
    if len(text) > MAX_NAME_CHARS:
        stem, dot, extension = text.rpartition(".")
        if dot and stem and len(extension) <= 16:
            text = stem[: MAX_NAME_CHARS - len(extension) - 1].rstrip() + dot + extension
        else:
            text = text[:MAX_NAME_CHARS]
    return text


def _blob_path(upload_dir: Path, sha256: str) -> Path:
    return upload_dir / sha256[:2] / sha256[2:4] / sha256


def _copy_limited(stream: BinaryIO, fd: int, name: str, max_bytes: int) -> tuple[str, int]:
    hasher = hashlib.sha256()
    size = 0
    with os.fdopen(fd, "wb") as out:
        while chunk := stream.read(CHUNK_BYTES):
            size += len(chunk)
            if size > max_bytes:
                raise refusal("too_large", name, limit=max_bytes)
            hasher.update(chunk)
            out.write(chunk)
        out.flush()
        # The blob must be on disk before a database row can point at it.
        os.fsync(out.fileno())
    return hasher.hexdigest(), size


def _check_content(temp: Path, name: str) -> str:
    try:
        actual = inspect_file(temp)
    except ContentProblem as problem:
        raise from_problem(problem, name) from None
    stem, dot, tail = name.rpartition(".")
    extension = f".{tail.lower()}" if dot else ""
    if dot and not stem.strip(". "):
        # ".pdf" is a name that is all extension (Path() would read it as no extension at all).
        raise refusal("no_name", name, ext=extension)
    claimed = EXTENSIONS.get(extension)
    if actual is None:
        if claimed is None:
            raise refusal("type_not_allowed", name)
        raise refusal("disguised", name, ext=extension, claimed=LABELS[claimed])
    if claimed != actual:
        raise refusal(
            "wrong_extension", name, actual=LABELS[actual], expected=CANONICAL_EXTENSION[actual]
        )
    return actual


def _place(temp: Path, upload_dir: Path, sha256: str, size: int) -> tuple[Path, bool]:
    target = _blob_path(upload_dir, sha256)
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.is_file() and not target.is_symlink() and target.stat().st_size == size:
        temp.unlink()
        # Refresh the age so remove_orphans treats a re-uploaded blob as new.
        os.utime(target)
        return target, False
    os.replace(temp, target)
    return target, True


def store_upload(
    stream: BinaryIO, original_name: str, *, upload_dir: Path, max_bytes: int
) -> StoredFile:
    """Check an upload and store it once under upload_dir/ab/cd/<sha256>; raise UploadRefused."""
    if max_bytes < 1:
        raise ValueError("max_bytes must be positive")
    name = sanitise_name(original_name)
    upload_dir = Path(upload_dir)
    upload_dir.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX, dir=upload_dir)
    temp = Path(temp_name)
    try:
        sha256, size = _copy_limited(stream, fd, name, max_bytes)
        if size == 0:
            raise refusal("empty", name)
        content_type = _check_content(temp, name)
        path, created = _place(temp, upload_dir, sha256, size)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return StoredFile(sha256, size, content_type, name, path, created)


def open_blob(upload_dir: Path, sha256: str) -> Path:
    """Return the path of the blob named sha256; FileNotFoundError if malformed or missing."""
    if not isinstance(sha256, str) or not _SHA256.fullmatch(sha256):
        raise FileNotFoundError(errno.ENOENT, "malformed evidence blob name")
    path = _blob_path(Path(upload_dir), sha256)
    if path.is_symlink() or not path.is_file():
        raise FileNotFoundError(errno.ENOENT, "no such evidence blob", str(path))
    return path


def _blob_files(upload_dir: Path) -> Iterator[Path]:
    for first in os.scandir(upload_dir):
        if not (_HEX2.fullmatch(first.name) and first.is_dir(follow_symlinks=False)):
            continue
        for second in os.scandir(first.path):
            if not (_HEX2.fullmatch(second.name) and second.is_dir(follow_symlinks=False)):
                continue
            for blob in os.scandir(second.path):
                if (
                    _SHA256.fullmatch(blob.name)
                    and blob.name[:4] == first.name + second.name
                    and blob.is_file(follow_symlinks=False)
                ):
                    yield Path(blob.path)


def _temp_files(upload_dir: Path) -> Iterator[Path]:
    for entry in os.scandir(upload_dir):
        if (
            entry.name.startswith(TEMP_PREFIX)
            and entry.name.endswith(TEMP_SUFFIX)
            and entry.is_file(follow_symlinks=False)
        ):
            yield Path(entry.path)


def _remove_if_older(path: Path, cutoff: float) -> bool:
    try:
        if path.lstat().st_mtime >= cutoff:
            return False
        path.unlink()
    except FileNotFoundError:
        return False
    return True


def remove_orphans(
    upload_dir: Path,
    referenced: Iterable[str],
    *,
    min_age: timedelta = ORPHAN_MIN_AGE,
    now: datetime | None = None,
) -> int:
    """Delete unreferenced blobs and abandoned temp files older than min_age; return the count."""
    upload_dir = Path(upload_dir)
    if not upload_dir.is_dir():
        return 0
    cutoff = (now or datetime.now(UTC)).timestamp() - min_age.total_seconds()
    keep = {sha256.lower() for sha256 in referenced}
    removed = 0
    for blob in list(_blob_files(upload_dir)):
        if blob.name not in keep:
            removed += _remove_if_older(blob, cutoff)
    for temp in list(_temp_files(upload_dir)):
        removed += _remove_if_older(temp, cutoff)
    return removed
