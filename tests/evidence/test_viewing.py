"""Evidence for reviewers: PDFs and images open sandboxed in the browser; a dossier's files
download as one ZIP whose manifest hashes are those of the stored files."""

import csv
import hashlib
import io
import zipfile
from datetime import UTC, datetime

import pytest

from emulation.dossiers.operations import attach_evidence
from emulation.evidence.backends import evidence_store
from emulation.extensions import db
from emulation.models import EvidenceFile

AT = datetime(2024, 8, 20, 3, 0, tzinfo=UTC)


@pytest.fixture
def dossier_world(make, samples):
    """Unit A's dossier with a PDF, a PNG, a JPEG, a DOCX and an XLSX; people who look at it."""
    movement = make.movement()
    unit_a, unit_b = make.unit(code="HC", name="Hải Châu"), make.unit(code="TK")
    dossier = make.dossier(movement.rounds[0], make.candidate(movement, unit_a))
    editor = make.user("unit_editor", unit=unit_a)
    files = {}
    named = (
        ("pdf", "Báo cáo tổng kết.pdf", "TC1"),
        ("png", "anh.png", "TC1"),
        ("jpeg", "ảnh hội nghị.jpg", "TC2"),
        ("docx", "to-trinh.docx", "TC2"),
        ("xlsx", "so-lieu.xlsx", None),
    )
    for kind, name, criterion in named:
        stored = evidence_store().store(io.BytesIO(samples[kind]), name, max_bytes=1 << 22)
        files[kind] = attach_evidence(dossier, stored, criterion_code=criterion,
                                      document_code=None if criterion else "BC", user=editor,
                                      now=AT)  # fmt: skip
    db.session.commit()
    people = {
        "reviewer": make.user("reviewer"),
        "other_unit": make.user("unit_editor", unit=unit_b),
    }
    db.session.commit()
    return dict(dossier=dossier, files=files, editor=editor, **people)


@pytest.mark.parametrize("kind", ["pdf", "png", "jpeg"])
def test_pdf_and_images_open_inline_in_a_sandbox(client, auth, dossier_world, samples, kind):
    auth.login(dossier_world["reviewer"])
    item = dossier_world["files"][kind]
    response = client.get(f"/evidence/{item.id}", query_string={"inline": "1"})
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("inline")
    assert response.headers["Content-Security-Policy"] == "sandbox"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.mimetype == item.content_type
    assert response.data == samples[kind]
    response.close()


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_other_types_stay_attachments(client, auth, dossier_world, kind):
    auth.login(dossier_world["reviewer"])
    item = dossier_world["files"][kind]
    response = client.get(f"/evidence/{item.id}", query_string={"inline": "1"})
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    response.close()


def test_a_file_recorded_as_html_is_never_shown_inline(client, auth, dossier_world):
    pdf = dossier_world["files"]["pdf"]
    forged = EvidenceFile(dossier_id=pdf.dossier_id, criterion_code="TC1", original_name="x.html",
                          content_type="text/html", size_bytes=pdf.size_bytes, sha256=pdf.sha256,
                          uploaded_by_id=pdf.uploaded_by_id, uploaded_at=AT)  # fmt: skip
    db.session.add(forged)
    db.session.commit()
    auth.login(dossier_world["reviewer"])
    response = client.get(f"/evidence/{forged.id}", query_string={"inline": "1"})
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers.get("Content-Security-Policy") != "sandbox"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    response.close()


def test_plain_download_is_still_an_attachment(client, auth, dossier_world):
    auth.login(dossier_world["editor"])
    response = client.get(f"/evidence/{dossier_world['files']['pdf'].id}")
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert "filename*=UTF-8''B%C3%A1o" in response.headers["Content-Disposition"]
    response.close()


def test_inline_respects_who_may_see_the_dossier(client, auth, dossier_world):
    auth.login(dossier_world["other_unit"])
    pdf = dossier_world["files"]["pdf"]
    assert client.get(f"/evidence/{pdf.id}", query_string={"inline": "1"}).status_code == 403
    assert client.get(f"/dossiers/{pdf.dossier_id}/files.zip").status_code == 403


@pytest.mark.parametrize("who", ["reviewer", "editor"])
def test_zip_holds_every_file_and_a_manifest_of_true_hashes(client, auth, dossier_world, who):
    auth.login(dossier_world[who])
    dossier = dossier_world["dossier"]
    response = client.get(f"/dossiers/{dossier.id}/files.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert response.headers["Content-Disposition"].startswith("attachment")
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    response.close()
    manifest = list(csv.DictReader(io.StringIO(archive.read("manifest.csv").decode("utf-8"))))
    assert len(manifest) == 5
    store = evidence_store()
    by_name = {f.original_name: f for f in dossier_world["files"].values()}
    for row in manifest:
        item = by_name[row["original_name"]]
        with store.open(item.sha256) as stored:
            stored_bytes = stored.read()
        packed = archive.read(row["path"])
        assert packed == stored_bytes
        assert row["sha256"] == hashlib.sha256(stored_bytes).hexdigest() == item.sha256
        assert int(row["size_bytes"]) == len(stored_bytes) == item.size_bytes
        assert row["hash_verified"] == "yes"
    assert sorted(archive.namelist()) == sorted([r["path"] for r in manifest] + ["manifest.csv"])
    assert "TC2/ảnh hội nghị.jpg" in archive.namelist()


def test_zip_names_never_collide_and_a_missing_blob_is_reported(client, auth, dossier_world):
    pdf = dossier_world["files"]["pdf"]

    def copy(sha256, size):
        return EvidenceFile(dossier_id=pdf.dossier_id, criterion_code="TC1",
                            original_name=pdf.original_name, content_type=pdf.content_type,
                            size_bytes=size, sha256=sha256, uploaded_by_id=pdf.uploaded_by_id,
                            uploaded_at=AT)  # fmt: skip

    db.session.add_all([copy(pdf.sha256, pdf.size_bytes), copy("f" * 64, 10)])
    db.session.commit()
    auth.login(dossier_world["reviewer"])
    response = client.get(f"/dossiers/{pdf.dossier_id}/files.zip")
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    response.close()
    manifest = list(csv.DictReader(io.StringIO(archive.read("manifest.csv").decode("utf-8"))))
    assert len(manifest) == 7
    paths = [r["path"] for r in manifest if r["path"]]
    assert len(paths) == len(set(paths)) == 6
    assert {"TC1/Báo cáo tổng kết.pdf", "TC1/Báo cáo tổng kết-2.pdf"} <= set(paths)
    missing = [r for r in manifest if r["hash_verified"] == "no"]
    assert len(missing) == 1 and missing[0]["sha256"] == "" and missing[0]["path"] == ""
