"""Where evidence blobs live: the local folder (default) or an S3-compatible object store.

Both keep a blob under its sha256 and are chosen by EVIDENCE_STORAGE; views, backup and the
job runner only see the `EvidenceStore` interface. Objects in the bucket are private: every
download streams through the application, after its access checks.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import BinaryIO

from .errors import refusal
from .storage import (
    _SHA256,
    CHUNK_BYTES,
    ORPHAN_MIN_AGE,
    TEMP_PREFIX,
    TEMP_SUFFIX,
    StoredFile,
    _blob_files,
    _check_content,
    _copy_limited,
    open_blob,
    remove_orphans,
    sanitise_name,
    store_upload,
)


class StorageError(Exception):
    """The object store refused or damaged a blob; nothing refers to it."""


@dataclass(frozen=True)
class BlobInfo:
    """One stored blob: its sha256, size and last change."""

    sha256: str
    size: int
    modified: datetime


def _check_name(sha256: str) -> None:
    if not isinstance(sha256, str) or not _SHA256.fullmatch(sha256):
        raise FileNotFoundError("malformed evidence blob name")


class LocalStore:
    """Blobs in a folder on this machine: upload_dir/ab/cd/<sha256>."""

    kind = "local"

    def __init__(self, upload_dir: Path):
        self.upload_dir = Path(upload_dir)

    def store(self, stream: BinaryIO, original_name: str, *, max_bytes: int) -> StoredFile:
        """Check an upload and keep it under its sha256; raise UploadRefused."""
        return store_upload(
            stream, original_name, upload_dir=self.upload_dir, max_bytes=max_bytes
        )

    def path(self, sha256: str) -> Path:
        """The blob's file (local only: lets downloads use the OS's sendfile)."""
        return open_blob(self.upload_dir, sha256)

    def open(self, sha256: str) -> BinaryIO:
        """A reader of the blob; FileNotFoundError when missing."""
        return self.path(sha256).open("rb")

    def size(self, sha256: str) -> int:
        """The blob's size in bytes; FileNotFoundError when missing."""
        return self.path(sha256).stat().st_size

    def exists(self, sha256: str) -> bool:
        """Whether the blob is stored."""
        try:
            self.path(sha256)
        except FileNotFoundError:
            return False
        return True

    def delete(self, sha256: str) -> None:
        """Remove the blob if present."""
        with contextlib.suppress(FileNotFoundError):
            self.path(sha256).unlink(missing_ok=True)

    def blobs(self) -> Iterator[BlobInfo]:
        """Every stored blob."""
        if not self.upload_dir.is_dir():
            return
        for path in _blob_files(self.upload_dir):
            stat = path.stat()
            yield BlobInfo(path.name, stat.st_size, datetime.fromtimestamp(stat.st_mtime, UTC))

    def put_verified(self, sha256: str, stream: BinaryIO) -> None:
        """Store bytes already known by their sha256, refusing them if the hash differs."""
        _check_name(sha256)
        self.upload_dir.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX, dir=self.upload_dir)
        try:
            digest, _size = _copy_limited(stream, fd, sha256, 1 << 62)
            if digest != sha256:
                raise StorageError(f"{sha256}: the copy's sha256 is {digest}")
            target = self.upload_dir / sha256[:2] / sha256[2:4] / sha256
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(temp, target)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise

    def remove_orphans(self, referenced: Iterable[str], *, min_age: timedelta = ORPHAN_MIN_AGE,
                       now: datetime | None = None) -> int:  # fmt: skip
        """Delete unreferenced blobs older than min_age; return the count."""
        return remove_orphans(self.upload_dir, referenced, min_age=min_age, now=now)

    def ping(self) -> None:
        """Raise unless the folder can be written."""
        self.upload_dir.mkdir(parents=True, exist_ok=True)
        if not os.access(self.upload_dir, os.W_OK):
            raise OSError(f"{self.upload_dir} is not writable")


class S3Store:
    """Blobs in a private S3-compatible bucket (AWS S3, MinIO, Ceph RGW): prefix/ab/cd/<sha256>."""

    kind = "s3"

    def __init__(self, client, bucket: str, prefix: str = "evidence/", spool_dir=None):
        self.client, self.bucket = client, bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self.spool_dir = spool_dir

    def key(self, sha256: str) -> str:
        """The object key of a blob."""
        _check_name(sha256)
        return f"{self.prefix}{sha256[:2]}/{sha256[2:4]}/{sha256}"

    def store(self, stream: BinaryIO, original_name: str, *, max_bytes: int) -> StoredFile:
        """Check an upload on local disk first, then put it once under its sha256."""
        if max_bytes < 1:
            raise ValueError("max_bytes must be positive")
        name = sanitise_name(original_name)
        fd, temp_name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX, dir=self.spool_dir)
        temp = Path(temp_name)
        try:
            sha256, size = _copy_limited(stream, fd, name, max_bytes)
            if size == 0:
                raise refusal("empty", name)
            content_type = _check_content(temp, name)
            created = not self._same_size(sha256, size)
            if created:
                with temp.open("rb") as body:
                    self._put(sha256, body, content_type)
        finally:
            temp.unlink(missing_ok=True)
        return StoredFile(sha256, size, content_type, name, None, created)

    def _same_size(self, sha256: str, size: int) -> bool:
        try:
            head = self.client.head_object(Bucket=self.bucket, Key=self.key(sha256))
        except self.client.exceptions.ClientError as exc:
            if _status(exc) == 404:
                return False
            raise
        return head["ContentLength"] == size

    def _put(self, sha256: str, body: BinaryIO, content_type: str = "application/octet-stream"):
        md5, sha = hashlib.md5(usedforsecurity=False), hashlib.sha256()
        while chunk := body.read(CHUNK_BYTES):
            md5.update(chunk)
            sha.update(chunk)
        if sha.hexdigest() != sha256:
            raise StorageError(f"{sha256}: the local copy's sha256 is {sha.hexdigest()}")
        body.seek(0)
        answer = self.client.put_object(
            Bucket=self.bucket,
            Key=self.key(sha256),
            Body=body,
            ContentType=content_type,
            # Servers that check these refuse a damaged transfer; the ETag check covers the rest.
            ContentMD5=base64.b64encode(md5.digest()).decode(),
            ChecksumSHA256=base64.b64encode(sha.digest()).decode(),
            Metadata={"sha256": sha256},
        )
        if answer.get("ETag", "").strip('"') != md5.hexdigest():
            self.delete(sha256)
            raise StorageError(f"{sha256}: the object store kept different bytes")

    def open(self, sha256: str) -> BinaryIO:
        """A streaming reader of the object; FileNotFoundError when missing."""
        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=self.key(sha256))
        except self.client.exceptions.ClientError as exc:
            if _status(exc) == 404:
                raise FileNotFoundError(sha256) from None
            raise
        return answer["Body"]

    def size(self, sha256: str) -> int:
        """The object's size; FileNotFoundError when missing."""
        try:
            head = self.client.head_object(Bucket=self.bucket, Key=self.key(sha256))
        except self.client.exceptions.ClientError as exc:
            if _status(exc) == 404:
                raise FileNotFoundError(sha256) from None
            raise
        return head["ContentLength"]

    def exists(self, sha256: str) -> bool:
        """Whether the object is stored."""
        try:
            self.size(sha256)
        except FileNotFoundError:
            return False
        return True

    def delete(self, sha256: str) -> None:
        """Remove the object if present."""
        self.client.delete_object(Bucket=self.bucket, Key=self.key(sha256))

    def blobs(self) -> Iterator[BlobInfo]:
        """Every object under the prefix whose key is a well-formed blob name."""
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=self.prefix
        )
        for page in pages:
            for item in page.get("Contents", []):
                name = item["Key"].rsplit("/", 1)[-1]
                if _SHA256.fullmatch(name) and item["Key"] == self.key(name):
                    yield BlobInfo(name, item["Size"], item["LastModified"])

    def put_verified(self, sha256: str, stream: BinaryIO) -> None:
        """Store bytes known by their sha256 (spooled locally to hash them before sending)."""
        with tempfile.TemporaryFile(dir=self.spool_dir) as spool:
            while chunk := stream.read(CHUNK_BYTES):
                spool.write(chunk)
            spool.seek(0)
            self._put(sha256, spool)

    def remove_orphans(self, referenced: Iterable[str], *, min_age: timedelta = ORPHAN_MIN_AGE,
                       now: datetime | None = None) -> int:  # fmt: skip
        """Delete unreferenced objects older than min_age; return the count."""
        cutoff = (now or datetime.now(UTC)) - min_age
        keep = {sha256.lower() for sha256 in referenced}
        removed = 0
        for blob in list(self.blobs()):
            if blob.sha256 not in keep and blob.modified < cutoff:
                self.delete(blob.sha256)
                removed += 1
        return removed

    def ping(self) -> None:
        """Raise unless the bucket answers."""
        self.client.head_bucket(Bucket=self.bucket)


def _status(exc) -> int | None:
    code = exc.response.get("Error", {}).get("Code")
    if code in ("404", "NoSuchKey", "NotFound"):
        return 404
    return exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")


def s3_store_from_config(config) -> S3Store:
    """An S3Store from S3_* settings (credentials may also come from boto3's usual sources)."""
    import boto3
    from botocore.config import Config

    if not config.get("S3_BUCKET"):
        raise StorageError("S3_BUCKET is not set (EMULATION_S3_BUCKET)")
    client = boto3.client(
        "s3",
        endpoint_url=config.get("S3_ENDPOINT_URL") or None,
        region_name=config.get("S3_REGION") or "us-east-1",
        aws_access_key_id=config.get("S3_ACCESS_KEY_ID") or None,
        aws_secret_access_key=config.get("S3_SECRET_ACCESS_KEY") or None,
        config=Config(
            retries={"max_attempts": 3, "mode": "standard"},
            connect_timeout=5,
            read_timeout=60,
            # Checksums only where the caller asks: some S3-compatible servers reject the rest.
            request_checksum_calculation="when_required",
            response_checksum_validation="when_required",
        ),
    )
    return S3Store(client, config["S3_BUCKET"], config.get("S3_PREFIX", "evidence/"))


def store_from_config(config, kind: str | None = None):
    """The store EVIDENCE_STORAGE names (or `kind`): LocalStore or S3Store."""
    kind = kind or config.get("EVIDENCE_STORAGE", "local")
    if kind == "local":
        return LocalStore(Path(config["UPLOAD_DIR"]))
    if kind == "s3":
        return s3_store_from_config(config)
    raise StorageError(f"EVIDENCE_STORAGE must be 'local' or 's3', not {kind!r}")


def evidence_store():
    """The running app's evidence store, built once per process."""
    from flask import current_app

    config = current_app.config
    # Keyed by the settings it is built from, so a changed configuration never reuses a stale one.
    key = tuple(
        config.get(name)
        for name in ("EVIDENCE_STORAGE", "UPLOAD_DIR", "S3_BUCKET", "S3_ENDPOINT_URL", "S3_PREFIX")
    )
    cached = current_app.extensions.get("evidence_store")
    if cached is None or cached[0] != key:
        cached = (key, store_from_config(config))
        current_app.extensions["evidence_store"] = cached
    return cached[1]
