"""The `emulation` command line: accounts and the demo."""

import re

import pytest

from emulation.demo import DEMO_LOGINS
from emulation.extensions import db
from emulation.models import AuditEvent, Movement, User


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


def test_demo_loads_once_and_prints_working_logins(runner, app, client):
    result = runner.invoke(args=["demo", "--no-serve"])
    assert result.exit_code == 0, result.output
    assert "Demo data loaded." in result.output
    movements = db.session.execute(db.select(Movement).order_by(Movement.id)).scalars().all()
    assert len(movements) == 2
    seed, open_now = movements
    assert [r.kind for r in seed.rounds] == ["interim", "final"]
    from emulation.access import now

    assert all(r.state(now()) == "closed" for r in seed.rounds)
    assert open_now.rounds[0].state(now()) == "open"
    _assert_demo_council_work(seed)
    _assert_final_dossiers_have_narratives_and_evidence(seed, client)
    logins = re.findall(r"^  (\S+) +(\S+) +.+$", result.output, re.MULTILINE)
    assert logins[1:] == [(u, p) for u, p, _d in DEMO_LOGINS]
    logins = logins[1:]
    roles = {
        db.session.execute(db.select(User.role).filter_by(username=u)).scalar_one()
        for u, _p in logins
    }
    assert roles == {"admin", "secretariat", "reviewer", "unit_editor", "unit_head"}
    for username, password in logins:
        response = client.post("/login", data={"username": username, "password": password})
        assert response.status_code == 302, username
        assert client.get("/").status_code == 200
        client.post("/logout")
    again = runner.invoke(args=["demo", "--no-serve"])
    assert "present" in again.output
    assert db.session.execute(db.select(Movement)).scalars().all() == movements


def _assert_final_dossiers_have_narratives_and_evidence(movement, client) -> None:
    """A reviewer of the final round has narratives to read and files to open."""
    from emulation.models import Dossier

    final = movement.rounds[-1]
    dossiers = (
        db.session.execute(db.select(Dossier).filter_by(round_id=final.id, status="submitted"))
        .scalars()
        .all()
    )
    assert dossiers
    for dossier in dossiers:
        payload = dossier.latest_version.payload
        assert len(payload["notes"]) >= 10 and all(len(t) > 80 for t in payload["notes"].values())
        kinds = {f["name"].rsplit(".", 1)[1] for f in payload["evidence"]}
        assert len(payload["evidence"]) >= 10 and kinds == {"png", "pdf"}
    evidence = dossiers[0].evidence[0]
    client.post("/login", data={"username": "thuky", "password": DEMO_LOGINS[0][1]})
    response = client.get(f"/evidence/{evidence.id}")
    assert response.status_code == 200 and len(response.data) == evidence.size_bytes
    response.close()
    client.post("/logout")


def _assert_demo_council_work(movement) -> None:
    """The interim round is reviewed, voted on and frozen; the final one is under review."""
    from emulation.council.snapshots import matches_live
    from emulation.council.state import active_snapshot
    from emulation.models import Review

    interim, final = movement.rounds
    snapshot = active_snapshot(interim)
    assert snapshot is not None and snapshot.payload["votes"]["meeting"]["quorum_met"]
    assert any(c["passed"] for c in snapshot.payload["votes"]["candidates"])
    assert matches_live(snapshot)  # nothing in the demo drifted from what was frozen
    statuses = {
        r.status
        for r in db.session.execute(
            db.select(Review).where(Review.dossier.has(round_id=final.id))
        ).scalars()
    }
    assert statuses == {"assigned", "done"}
    for review in db.session.execute(db.select(Review)).scalars():
        assert review.reviewer.unit_id != review.dossier.candidate.unit_id


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
