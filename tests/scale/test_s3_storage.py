"""Evidence in an S3-compatible bucket: the same behaviour as the local folder, through the app."""

import hashlib
import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from werkzeug.datastructures import FileStorage

from emulation.evidence import UploadRefused
from emulation.evidence.backends import LocalStore, StorageError, evidence_store
from emulation.extensions import db
from emulation.models import EvidenceFile
from tests.evidence.conftest import _pdf, _xlsx
from tests.security.authz._world import DEADLINE, build_world
from tests.signin import signed_in_token


@pytest.fixture
def app_config(app_config, s3_settings):
    """The test app keeps its evidence in a fresh bucket."""
    app_config.update(s3_settings)
    return app_config


@pytest.fixture
def store(app):
    return evidence_store()


def _keys(store) -> set[str]:
    return {b.sha256 for b in store.blobs()}


def _login(client, user):
    with client.session_transaction() as session:
        session["_user_id"] = signed_in_token(user)


def test_upload_is_kept_under_its_sha256_once(store):
    data = _pdf()
    first = store.store(io.BytesIO(data), "bao-cao.pdf", max_bytes=1 << 20)
    second = store.store(io.BytesIO(data), "ban-sao.pdf", max_bytes=1 << 20)
    sha256 = hashlib.sha256(data).hexdigest()
    assert first.sha256 == sha256 and first.created and not second.created
    assert store.key(sha256) == f"evidence/{sha256[:2]}/{sha256[2:4]}/{sha256}"
    assert _keys(store) == {sha256}
    assert store.open(sha256).read() == data


def test_refused_upload_leaves_no_object(store):
    with pytest.raises(UploadRefused):
        store.store(io.BytesIO(b"MZ\x90\x00" + b"\0" * 200), "bao-cao.pdf", max_bytes=1 << 20)
    with pytest.raises(UploadRefused):
        store.store(io.BytesIO(_pdf() + b"%" * 4096), "lon.pdf", max_bytes=1024)
    assert _keys(store) == set()


def test_bytes_damaged_on_the_way_are_refused_and_removed(store, monkeypatch):
    real_put = store.client.put_object

    def damaging_put(**kwargs):
        kwargs["Body"] = io.BytesIO(kwargs["Body"].read()[:-1] + b"X")
        return real_put(**kwargs)

    monkeypatch.setattr(store.client, "put_object", damaging_put)
    with pytest.raises(StorageError):
        store.store(io.BytesIO(_pdf()), "bao-cao.pdf", max_bytes=1 << 20)
    assert _keys(store) == set()


def test_dossier_upload_and_download_go_through_the_bucket_and_the_access_checks(
    app, make, set_now, client
):
    w = build_world(make, set_now)
    set_now(DEADLINE - timedelta(days=1))
    assert not Path(app.config["UPLOAD_DIR"]).exists()  # nothing on local disk
    _login(client, w.users["editor_b"])
    page = client.get(f"/dossiers/{w.dossier_b.id}/edit").get_data(as_text=True)
    lock = re.search(r'name="lock_version"[^>]*value="(\d+)"', page).group(1)
    data = _xlsx()
    response = client.post(
        f"/dossiers/{w.dossier_b.id}/edit",
        data={"lock_version": lock, "ev_TC1": FileStorage(io.BytesIO(data), "so-lieu.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    item = db.session.execute(
        db.select(EvidenceFile).filter_by(original_name="so-lieu.xlsx")
    ).scalar_one()
    assert item.sha256 in _keys(evidence_store())
    download = client.get(f"/evidence/{item.id}")
    assert download.status_code == 200
    assert download.get_data() == data
    assert "so-lieu.xlsx" in download.headers["Content-Disposition"]
    download.close()
    _login(client, w.users["editor_a"])  # another unit
    assert client.get(f"/evidence/{item.id}").status_code == 403
    client.get("/logout")
    with client.session_transaction() as session:
        session.clear()
    assert client.get(f"/evidence/{item.id}").status_code in (302, 401)


def test_submitted_version_file_downloads_from_the_bucket(app, make, set_now, client):
    w = build_world(make, set_now)
    _login(client, w.users["reviewer"])
    sha256 = w.evidence_a.sha256
    response = client.get(f"/dossiers/{w.dossier_a.id}/versions/1/files/{sha256}")
    assert response.status_code == 200
    assert hashlib.sha256(response.get_data()).hexdigest() == sha256
    response.close()


def test_object_missing_from_the_bucket_is_404_not_500(app, make, set_now, client):
    w = build_world(make, set_now)
    evidence_store().delete(w.evidence_a.sha256)
    _login(client, w.users["secretariat"])
    assert client.get(f"/evidence/{w.evidence_a.id}").status_code == 404


def test_cleanup_removes_only_unreferenced_objects(app, make, set_now, runner):
    w = build_world(make, set_now)
    store = evidence_store()
    orphan = store.store(io.BytesIO(_xlsx()), "mo-coi.xlsx", max_bytes=1 << 20)
    result = runner.invoke(args=["evidence", "cleanup", "--min-age-hours", "0"])
    assert result.exit_code == 0, result.output
    assert _keys(store) == {w.evidence_a.sha256, w.evidence_b.sha256}
    assert orphan.sha256 not in _keys(store)


def test_migrate_to_s3_copies_and_verifies_every_file(app, runner, tmp_path):
    local = LocalStore(Path(app.config["UPLOAD_DIR"]))
    good = local.store(io.BytesIO(_pdf()), "a.pdf", max_bytes=1 << 20)
    other = local.store(io.BytesIO(_xlsx()), "b.xlsx", max_bytes=1 << 20)
    result = runner.invoke(args=["evidence", "migrate", "--to", "s3"])
    assert result.exit_code == 0, result.output
    assert "2 file(s) copied and verified" in result.output
    assert _keys(evidence_store()) == {good.sha256, other.sha256}
    assert evidence_store().open(good.sha256).read() == _pdf()
    again = runner.invoke(args=["evidence", "migrate", "--to", "s3"])
    assert "0 file(s) copied and verified, 2 already there" in again.output


def test_migrate_refuses_a_damaged_local_file(app, runner):
    local = LocalStore(Path(app.config["UPLOAD_DIR"]))
    good = local.store(io.BytesIO(_pdf()), "a.pdf", max_bytes=1 << 20)
    bad = local.store(io.BytesIO(_xlsx()), "b.xlsx", max_bytes=1 << 20)
    local.path(bad.sha256).write_bytes(b"bit rot")
    result = runner.invoke(args=["evidence", "migrate", "--to", "s3", "--remove-source"])
    assert result.exit_code == 1
    assert f"FAILED {bad.sha256}" in result.output
    assert _keys(evidence_store()) == {good.sha256}
    assert local.exists(bad.sha256) and not local.exists(good.sha256)


def test_backup_holds_the_objects_and_restore_puts_them_back(app, make, set_now, runner, tmp_path):
    w = build_world(make, set_now)
    a, b = w.evidence_a.sha256, w.evidence_b.sha256
    store = evidence_store()
    archive = tmp_path / "sao-luu.tar.gz"
    result = runner.invoke(args=["backup", "-o", str(archive)])
    assert result.exit_code == 0, result.output
    assert "2 evidence file(s)" in result.output
    store.delete(a)
    stray = store.store(io.BytesIO(_xlsx()), "sau-sao-luu.xlsx", max_bytes=1 << 20)
    db.session.remove()
    result = runner.invoke(args=["restore", str(archive), "--yes"])
    assert result.exit_code == 0, result.output
    assert _keys(store) == {a, b}
    assert stray.sha256 not in _keys(store)
    assert hashlib.sha256(store.open(a).read()).hexdigest() == a


def test_backup_refuses_an_object_damaged_in_the_bucket(app, make, set_now, runner, tmp_path):
    w = build_world(make, set_now)
    store = evidence_store()
    store.client.put_object(Bucket=store.bucket, Key=store.key(w.evidence_a.sha256), Body=b"x" * 10)
    result = runner.invoke(args=["backup", "-o", str(tmp_path / "b.tar.gz")])
    assert result.exit_code != 0
    assert "damaged" in result.output
    assert not (tmp_path / "b.tar.gz").exists()
