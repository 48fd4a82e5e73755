"""Backup and restore: the round trip brings everything back; a tampered archive is refused."""

import io
import tarfile
from pathlib import Path

import pytest

from emulation.extensions import db
from emulation.models import AuditEvent, DossierVersion, EvidenceFile, Unit

from .authz._world import build_world

# Backup and restore read and replace the database through their own connections.
pytestmark = pytest.mark.commits


def _state(app) -> dict:
    """Everything the round trip must bring back, as plain values."""
    db.session.expire_all()
    rows = {}
    for model in (DossierVersion, EvidenceFile, AuditEvent, Unit):
        table = model.__table__
        rows[table.name] = [
            tuple(row) for row in db.session.execute(table.select().order_by(table.c.id))
        ]
    uploads = Path(app.config["UPLOAD_DIR"])
    rows["files"] = {
        p.relative_to(uploads).as_posix(): p.read_bytes()
        for p in sorted(uploads.rglob("*"))
        if p.is_file()
    }
    return rows


@pytest.fixture
def world(make, set_now):
    return build_world(make, set_now)


@pytest.fixture
def archive(app, world, runner, tmp_path):
    """A backup of the world, and the state it holds."""
    path = tmp_path / "sao-luu.tar.gz"
    result = runner.invoke(args=["backup", "-o", str(path)])
    assert result.exit_code == 0, result.output
    assert "sha256" in result.output
    return path


def _damage(app, world):
    """Changes made after the backup, which the restore must undo."""
    world.units["A"].name = "Đã đổi tên"
    db.session.add(
        AuditEvent(at=world.review.assigned_at, action="after_backup", object_type="", details={})
    )
    db.session.commit()
    uploads = Path(app.config["UPLOAD_DIR"])
    next(p for p in uploads.rglob("*") if p.is_file()).unlink()
    (uploads / "extra.bin").write_bytes(b"added after the backup")


def test_round_trip_gives_back_every_version_file_and_audit_event(app, world, archive, runner):
    before = _state(app)
    assert before["dossier_versions"] and before["evidence_files"] and before["files"]
    assert len(before["audit_events"]) >= 5
    _damage(app, world)
    assert _state(app) != before
    result = runner.invoke(args=["restore", str(archive), "--yes"])
    assert result.exit_code == 0, result.output
    assert "OVERWRITE" in result.output and "audit_events" in result.output
    assert _state(app) == before


def test_restore_needs_yes_when_not_interactive(app, world, archive, runner):
    _damage(app, world)
    damaged = _state(app)
    result = runner.invoke(args=["restore", str(archive)])
    assert result.exit_code != 0 and "--yes" in result.output
    assert _state(app) == damaged


def _rewrite(archive: Path, change) -> None:
    """Rebuild the archive, letting `change(name, data)` alter members (None drops one)."""
    with tarfile.open(archive, "r:gz") as source:
        members = [(i, source.extractfile(i).read()) for i in source if i.isfile()]
    with tarfile.open(archive, "w:gz") as target:
        for info, data in members:
            data = change(info.name, data)
            if data is not None:
                info.size = len(data)
                target.addfile(info, io.BytesIO(data))
        extra = change("uploads/evil.sh", None)
        if extra is not None:
            info = tarfile.TarInfo("uploads/evil.sh")
            info.size = len(extra)
            target.addfile(info, io.BytesIO(extra))


TAMPERING = {
    "changed evidence": lambda name, data: (
        data + b"x" if name.startswith("uploads/") and data else data
    ),
    "changed database": lambda name, data: (
        data[:-1] + bytes([data[-1] ^ 1]) if name.startswith("database") else data
    ),
    "missing file": lambda name, data: None if name.startswith("uploads/") else data,
    "extra file": lambda name, data: (
        b"#!/bin/sh\nrm -rf /\n" if name == "uploads/evil.sh" else data
    ),
}


@pytest.mark.parametrize("how", sorted(TAMPERING))
def test_a_tampered_archive_is_refused_and_nothing_changes(app, world, archive, runner, how):
    _rewrite(archive, TAMPERING[how])
    _damage(app, world)
    damaged = _state(app)
    result = runner.invoke(args=["restore", str(archive), "--yes"])
    assert result.exit_code != 0 and "refusing" in result.output, result.output
    assert _state(app) == damaged


def test_not_an_archive_and_wrong_checksum_are_refused(app, world, archive, runner, tmp_path):
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"not a backup")
    result = runner.invoke(args=["restore", str(junk), "--yes"])
    assert result.exit_code != 0 and "not a backup archive" in result.output
    result = runner.invoke(args=["restore", str(archive), "--yes", "--sha256", "0" * 64])
    assert result.exit_code != 0 and "sha256" in result.output
