"""Hostile uploads through the dossier page: refused by name, nothing stored, the draft kept."""

import io
import re
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from emulation.extensions import db
from emulation.models import Dossier, EvidenceFile
from tests.signin import signed_in_token

from .conftest import _docx, _pdf, _xlsx

MIB = 1024 * 1024


def _bomb(ooxml: bytes, entries: int = 1, size: int = 300 * MIB) -> bytes:
    """A real DOCX/XLSX plus highly compressible padding: tiny on disk, huge unpacked."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(ooxml)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target,
    ):
        for info in source.infolist():
            target.writestr(info, source.read(info))
        for n in range(entries):
            with target.open(f"customXml/pad{n}.xml", "w", force_zip64=True) as part:
                chunk = b"\0" * MIB
                for _ in range(size // MIB):
                    part.write(chunk)
    return buffer.getvalue()


def _polyglot_pdf() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.exe", b"MZ\x90\x00" * 64)
    return _pdf() + buffer.getvalue()


HOSTILE = {
    "oversized": (lambda: _pdf() + b"%" * (2 * MIB), "bao-cao-lon.pdf", "vượt quá giới hạn"),
    "truncated_pdf": (lambda: _pdf()[:-40], "bao-cao-cut.pdf", "bị hỏng"),
    "truncated_docx": (lambda: _docx()[:-300], "bao-cao-cut.docx", "bị hỏng"),
    "exe_named_pdf": (lambda: b"MZ\x90\x00\x03" + b"\0" * 500, "bao-cao.pdf", "không phải PDF"),
    "pdf_polyglot": (_polyglot_pdf, "da-dang.pdf", "tệp nén ZIP"),
    "docx_bomb": (lambda: _bomb(_docx()), "bom.docx", "cấu trúc nén bất thường"),
    "xlsx_bomb": (lambda: _bomb(_xlsx()), "bom.xlsx", "cấu trúc nén bất thường"),
    "xlsx_many_parts": (lambda: _bomb(_xlsx(), 6000, 0), "nhieu.xlsx", "cấu trúc nén bất thường"),
}


@pytest.fixture
def draft(app, make, set_now, client):
    """Unit B's draft in an open round, its editor signed in; uploads limited to 1 MB."""
    from tests.security.authz._world import DEADLINE, build_world

    app.config["MAX_UPLOAD_MB"] = 1
    w = build_world(make, set_now)
    set_now(DEADLINE - timedelta(days=1))
    with client.session_transaction() as session:
        session["_user_id"] = signed_in_token(w.users["editor_b"])
    return w.dossier_b


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_hostile_upload_is_refused_by_name_and_the_draft_kept(app, client, draft, kind):
    build, name, message = HOSTILE[kind]
    uploads = Path(app.config["UPLOAD_DIR"])
    before = {p for p in uploads.rglob("*") if p.is_file()}
    page = client.get(f"/dossiers/{draft.id}/edit").get_data(as_text=True)
    lock = re.search(r'name="lock_version"[^>]*value="(\d+)"', page).group(1)
    data = {
        "lock_version": lock,
        "v_HOP": "3",
        "note_TC1": "Thuyết minh giữ lại",
        "ev_TC1": FileStorage(io.BytesIO(build()), filename=name),
    }
    # Encoded in memory: the test client would spool a big body to a file it never closes.
    boundary, body = encode_multipart(data)
    response = client.post(
        f"/dossiers/{draft.id}/edit",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert response.status_code in (302, 422), response.status_code
    body = client.get(f"/dossiers/{draft.id}/edit").get_data(as_text=True)
    assert name in body and message in body
    db.session.expire_all()
    assert db.session.execute(db.select(EvidenceFile).filter_by(original_name=name)).first() is None
    assert {p for p in uploads.rglob("*") if p.is_file()} == before
    dossier = db.session.get(Dossier, draft.id)
    assert {v.column: v.value for v in dossier.values}.get("HOP") == 3.0
    assert "Thuyết minh giữ lại" in body
