"""Backup and restore: the database (SQLite online backup or pg_dump) plus evidence files.

An archive is a gzipped tar holding manifest.json, the database dump and uploads/ab/cd/<sha256>.
The manifest lists every other member with its size and sha256; restore checks all of them
before it touches anything and refuses an archive with a changed, missing or extra member.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from flask import Flask
from sqlalchemy import inspect, make_url, text

from ..evidence.backends import StorageError, store_from_config
from ..extensions import db

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database.sqlite3"
PG_MEMBER = "database.pgdump"
UPLOADS = "uploads/"
CHUNK = 1024 * 1024
# Tables whose row counts the manifest and the restore summary show.
SUMMARY_TABLES = (
    "users",
    "units",
    "dossiers",
    "dossier_versions",
    "evidence_files",
    "audit_events",
)


class BackupError(Exception):
    """A backup or restore that cannot go ahead, with a message for the operator."""


@dataclass
class Manifest:
    """What an archive holds: format, time, database kind and revision, members, row counts."""

    data: dict

    @property
    def members(self) -> dict[str, dict]:
        """Member name → {"size", "sha256"} for every member but the manifest."""
        return self.data["members"]


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _pg_env(url) -> tuple[list[str], dict]:
    """libpq connection arguments and environment for pg_dump/pg_restore."""
    args = ["--host", url.host or "localhost", "--port", str(url.port or 5432)]
    if url.username:
        args += ["--username", url.username]
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = url.password
    return [*args, "--dbname", url.database], env


def _run(command: list[str], env: dict) -> None:
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=3600)
    except FileNotFoundError:
        raise BackupError(
            f"{command[0]} is not installed (apt-get install postgresql-client)"
        ) from None
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[-2000:]}")


def _dump_database(app: Flask, workdir: Path) -> tuple[str, Path]:
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "sqlite":
        target = workdir / SQLITE_MEMBER
        source = sqlite3.connect(url.database)
        copy = sqlite3.connect(target)
        try:
            # The online backup API copies a consistent snapshot while others keep writing.
            source.backup(copy)
        finally:
            copy.close()
            source.close()
        return SQLITE_MEMBER, target
    if url.get_backend_name() == "postgresql":
        target = workdir / PG_MEMBER
        args, env = _pg_env(url)
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
              "--file", str(target), *args], env)  # fmt: skip
        return PG_MEMBER, target
    raise BackupError(f"cannot back up a {url.get_backend_name()} database")


def _counts() -> dict[str, int]:
    present = set(inspect(db.engine).get_table_names())
    return {
        table: db.session.execute(text(f'SELECT COUNT(*) FROM "{table}"')).scalar_one()
        for table in SUMMARY_TABLES
        if table in present
    }


def _revision() -> str | None:
    try:
        return db.session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except Exception:  # no alembic_version table: a database made without migrations
        db.session.rollback()
        return None


def _upload_files(upload_dir: Path) -> list[Path]:
    if not upload_dir.is_dir():
        return []
    return sorted(
        p for p in upload_dir.rglob("*")
        if p.is_file() and not p.is_symlink() and not p.name.startswith(".upload-")
    )  # fmt: skip


class _HashingReader:
    """Reads an object-store body and hashes what passed, so the copy can be checked."""

    def __init__(self, body):
        self.body, self.digest = body, hashlib.sha256()

    def read(self, size=-1):
        chunk = self.body.read(size)
        self.digest.update(chunk)
        return chunk


def _blob_member(sha256: str) -> str:
    return f"{UPLOADS}{sha256[:2]}/{sha256[2:4]}/{sha256}"


def create_backup(app: Flask, out: Path, *, now: datetime) -> Manifest:
    """Write the database and every evidence file to `out` (tar.gz) with a sha256 manifest."""
    out = Path(out)
    upload_dir = Path(app.config["UPLOAD_DIR"])
    store = store_from_config(app.config)
    with tempfile.TemporaryDirectory(prefix="emulation-backup-") as temp:
        member, dump = _dump_database(app, Path(temp))
        members = {member: {"size": dump.stat().st_size, "sha256": _sha256_file(dump)}}
        files = _upload_files(upload_dir) if store.kind == "local" else []
        for path in files:
            name = UPLOADS + path.relative_to(upload_dir).as_posix()
            members[name] = {"size": path.stat().st_size, "sha256": _sha256_file(path)}
        # In an object store a blob's name is its sha256; each is re-hashed while it is copied.
        objects = [] if store.kind == "local" else list(store.blobs())
        for blob in objects:
            members[_blob_member(blob.sha256)] = {"size": blob.size, "sha256": blob.sha256}
        manifest = Manifest(
            {
                "format": FORMAT,
                "created_at": now.isoformat(),
                "database": {
                    "backend": make_url(app.config["SQLALCHEMY_DATABASE_URI"]).get_backend_name(),
                    "member": member,
                    "revision": _revision(),
                },
                "counts": _counts(),
                "members": members,
            }
        )
        partial = out.with_name(out.name + ".part")
        with tarfile.open(partial, "w:gz") as archive:
            blob = json.dumps(manifest.data, indent=2, ensure_ascii=False).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime = len(blob), int(now.timestamp())
            archive.addfile(info, io.BytesIO(blob))
            archive.add(dump, arcname=member)
            for path in files:
                archive.add(path, arcname=UPLOADS + path.relative_to(upload_dir).as_posix())
            for blob in objects:
                _add_object(archive, store, blob, partial, int(now.timestamp()))
        os.replace(partial, out)
    return manifest


def _add_object(archive, store, blob, partial: Path, mtime: int) -> None:
    info = tarfile.TarInfo(_blob_member(blob.sha256))
    info.size, info.mtime = blob.size, mtime
    with store.open(blob.sha256) as body:
        reader = _HashingReader(body)
        archive.addfile(info, reader)
    if reader.digest.hexdigest() != blob.sha256:
        partial.unlink(missing_ok=True)
        raise BackupError(f"the stored object {blob.sha256} is damaged: its content differs")


def archive_sha256(path: Path) -> str:
    """The sha256 of the archive file itself (print it; check it before restoring)."""
    return _sha256_file(Path(path))


def read_verified(archive_path: Path, workdir: Path) -> Manifest:
    """Extract the archive into `workdir`, refusing any member the manifest does not vouch for."""
    try:
        archive = tarfile.open(archive_path, "r:gz")  # noqa: SIM115 (closed by the with below)
    except (OSError, tarfile.TarError) as exc:
        raise BackupError(f"not a backup archive: {exc}") from None
    with archive:
        try:
            manifest = Manifest(json.load(archive.extractfile(MANIFEST)))
            expected = dict(manifest.members)
        except (KeyError, TypeError, AttributeError, ValueError):
            raise BackupError("the archive has no readable manifest.json") from None
        if manifest.data.get("format") != FORMAT:
            raise BackupError(f"unknown backup format {manifest.data.get('format')!r}")
        try:
            for info in archive:
                if info.name == MANIFEST:
                    continue
                _extract_checked(archive, info, expected, workdir)
        except (OSError, tarfile.TarError, EOFError, ValueError) as exc:
            raise BackupError(f"the archive is damaged: {exc}") from None
    if expected:
        raise BackupError(f"the archive lacks {len(expected)} member(s), e.g. {min(expected)}")
    return manifest


def _extract_checked(archive, info, expected: dict, workdir: Path) -> None:
    entry = expected.pop(info.name, None)
    if entry is None:
        raise BackupError(f"the archive holds {info.name!r}, which its manifest does not list")
    if not info.isfile() or ".." in Path(info.name).parts or info.name.startswith("/"):
        raise BackupError(f"refusing the archive member {info.name!r}")
    target = workdir / info.name
    target.parent.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    with archive.extractfile(info) as source, target.open("wb") as out:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    if digest.hexdigest() != entry["sha256"] or size != entry["size"]:
        raise BackupError(f"{info.name} differs from the manifest: the archive was altered")


def describe_current(app: Flask) -> dict:
    """What a restore would overwrite: database, its row counts, the upload folder."""
    upload_dir = Path(app.config["UPLOAD_DIR"])
    store = store_from_config(app.config)
    if store.kind == "local":
        where, files = str(upload_dir), len(_upload_files(upload_dir))
    else:
        where, files = f"s3://{store.bucket}/{store.prefix}", sum(1 for _ in store.blobs())
    return {
        "database": make_url(app.config["SQLALCHEMY_DATABASE_URI"]).render_as_string(
            hide_password=True
        ),
        "counts": _counts(),
        "upload_dir": where,
        "files": files,
    }


def restore_backup(app: Flask, manifest: Manifest, workdir: Path) -> None:
    """Replace the database and the upload folder with a verified, extracted backup."""
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    backend = manifest.data["database"]["backend"]
    if backend != url.get_backend_name():
        raise BackupError(
            f"this is a {backend} backup; the configured database is {url.get_backend_name()}"
        )
    dump = workdir / manifest.data["database"]["member"]
    db.session.remove()
    db.engine.dispose()
    if backend == "sqlite":
        source, target = sqlite3.connect(dump), sqlite3.connect(url.database, timeout=30)
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
    else:
        args, env = _pg_env(url)
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
              "--single-transaction", *args, str(dump)], env)  # fmt: skip
    store = store_from_config(app.config)
    if store.kind == "local":
        _replace_uploads(Path(app.config["UPLOAD_DIR"]), workdir / UPLOADS.rstrip("/"))
    else:
        _replace_objects(store, manifest, workdir)


def _replace_objects(store, manifest: Manifest, workdir: Path) -> None:
    """Put every archived blob into the bucket (each verified), then drop the ones not archived."""
    kept = set()
    for name in manifest.members:
        if not name.startswith(UPLOADS):
            continue
        sha256 = name.rsplit("/", 1)[-1]
        if name != _blob_member(sha256):
            continue  # not a blob (a stray file the local folder held)
        kept.add(sha256)
        with (workdir / name).open("rb") as body:
            try:
                store.put_verified(sha256, body)
            except (StorageError, OSError) as exc:
                raise BackupError(str(exc)) from None
    for blob in list(store.blobs()):
        if blob.sha256 not in kept:
            store.delete(blob.sha256)


def _replace_uploads(upload_dir: Path, restored: Path) -> None:
    upload_dir.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=".restore-", dir=upload_dir.parent))
    if restored.is_dir():
        shutil.copytree(restored, fresh, dirs_exist_ok=True)
    old = upload_dir.with_name(upload_dir.name + ".before-restore")
    if upload_dir.exists():
        shutil.rmtree(old, ignore_errors=True)
        os.replace(upload_dir, old)
    os.replace(fresh, upload_dir)
    shutil.rmtree(old, ignore_errors=True)
