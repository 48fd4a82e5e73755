"""The `emulation` command line: accounts and the demo."""

import pytest

from emulation.extensions import db
from emulation.models import AuditEvent, User


def _create(runner, *args, password="Mat-khau-dai-1"):
    return runner.invoke(args=["users", "create", *args, "--password", password])


def test_create_user(runner, make):
    make.unit(code="VKS-HC")
    db.session.commit()
    result = _create(
        runner, "canbo", "--role", "unit_editor", "--unit", "VKS-HC", "--name", "Phạm Văn Nam"
    )
    assert result.exit_code == 0, result.output
    user = db.session.execute(db.select(User).filter_by(username="canbo")).scalar_one()
    assert user.unit.code == "VKS-HC" and user.full_name == "Phạm Văn Nam"
    assert user.check_password("Mat-khau-dai-1") and user.password_hash != "Mat-khau-dai-1"
    assert db.session.execute(db.select(AuditEvent.action)).scalars().all() == ["user_created"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["x", "--role", "unit_editor"], "needs a unit"),
        (["x", "--role", "reviewer", "--unit", "NOPE"], "no unit with code 'NOPE'"),
        (["x", "--role", "king"], "Invalid value for '--role'"),
    ],
)
def test_create_user_errors(runner, app, args, message):
    result = _create(runner, *args)
    assert result.exit_code == 2
    assert message in result.output
    assert db.session.execute(db.select(User)).first() is None


def test_short_password_and_duplicate_refused(runner, app):
    assert "at least 10" in _create(runner, "a", "--role", "admin", password="short").output
    assert _create(runner, "a", "--role", "admin").exit_code == 0
    assert "already taken" in _create(runner, "a", "--role", "admin").output


def test_evidence_cleanup_keeps_files_versions_still_refer_to(runner, app, make):
    import hashlib
    import io
    from datetime import UTC, datetime

    from emulation.dossiers import operations as ops
    from emulation.evidence import store_upload
    from emulation.models import EvidenceFile

    upload_dir = app.config["UPLOAD_DIR"]
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    stored = [
        store_upload(io.BytesIO(pdf + tag), "a.pdf", upload_dir=upload_dir, max_bytes=10**6)
        for tag in (b"%kept", b"%in-version", b"%orphan")
    ]
    movement = make.movement()
    editor = make.user("unit_editor")
    dossier = make.dossier(movement.rounds[0], make.candidate(movement, editor.unit))
    when = datetime(2024, 8, 1, tzinfo=UTC)
    for item in stored[:2]:
        ops.attach_evidence(
            dossier, item, criterion_code="TC1", document_code=None, user=editor, now=when
        )
    ops.submit_dossier(dossier, user=editor, now=when)
    ops.withdraw_dossier(dossier, user=editor, now=when)
    in_version = db.session.execute(
        db.select(EvidenceFile).filter_by(sha256=stored[1].sha256)
    ).scalar_one()
    ops.remove_evidence(in_version, user=editor, now=when)
    db.session.commit()
    result = runner.invoke(args=["evidence", "cleanup", "--min-age-hours", "0"])
    assert result.exit_code == 0, result.output
    assert "Removed 1" in result.output
    assert [s.path.exists() for s in stored] == [True, True, False]
    assert hashlib.sha256(stored[0].path.read_bytes()).hexdigest() == stored[0].sha256
