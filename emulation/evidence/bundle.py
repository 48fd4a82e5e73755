"""A dossier's evidence as one ZIP file, with a manifest of names, sizes and SHA-256 hashes."""

import csv
import hashlib
import io
import zipfile
from tempfile import SpooledTemporaryFile
from typing import BinaryIO

from .backends import CHUNK_BYTES, evidence_store
from .storage import sanitise_name

MANIFEST = "manifest.csv"
MANIFEST_HEADER = ("path", "original_name", "criterion", "content_type", "size_bytes", "sha256",
                   "hash_verified")  # fmt: skip
SPOOL_BYTES = 32 * 1024 * 1024


def _unique(path: str, taken: set[str]) -> str:
    stem, dot, ext = path.rpartition(".")
    if not dot:
        stem, ext = path, ""
    candidate, n = path, 1
    while candidate in taken:
        n += 1
        candidate = f"{stem}-{n}.{ext}" if ext else f"{stem}-{n}"
    taken.add(candidate)
    return candidate


def write_bundle(files, out: BinaryIO) -> list[dict]:
    """Write `files` (EvidenceFile rows) and their manifest as a ZIP to `out`; the manifest rows."""
    # The hashes are those of the bytes written, compared with the recorded ones; a file gone
    # from the store is listed with an empty hash rather than failing the whole download.
    store = evidence_store()
    rows, taken = [], {MANIFEST}
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
        for item in files:
            folder = sanitise_name(item.criterion_code or item.document_code or "khac")
            path = _unique(f"{folder}/{sanitise_name(item.original_name)}", taken)
            digest, size = hashlib.sha256(), 0
            try:
                body = store.open(item.sha256)
            except FileNotFoundError:
                body = None
            if body is not None:
                try:
                    with archive.open(path, "w", force_zip64=True) as entry:
                        while chunk := body.read(CHUNK_BYTES):
                            digest.update(chunk)
                            size += len(chunk)
                            entry.write(chunk)
                finally:
                    body.close()
            found = digest.hexdigest() if body is not None else ""
            rows.append({
                "path": path if body is not None else "",
                "original_name": item.original_name,
                "criterion": item.criterion_code or item.document_code or "",
                "content_type": item.content_type,
                "size_bytes": size if body is not None else item.size_bytes,
                "sha256": found,
                "hash_verified": "yes" if found == item.sha256 else "no",
            })  # fmt: skip
        text = io.StringIO()
        writer = csv.DictWriter(text, fieldnames=MANIFEST_HEADER)
        writer.writeheader()
        writer.writerows(rows)
        archive.writestr(MANIFEST, text.getvalue().encode("utf-8"))
    return rows


def bundle_file(files) -> SpooledTemporaryFile:
    """The ZIP of `files` in a temporary file (in memory while small), rewound."""
    # Closed by the response that sends it.
    spool = SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115
    write_bundle(files, spool)
    spool.seek(0)
    return spool
