"""The minutes and the award decision as sealed PDFs beside the DOCX, verifiable offline."""

import io

import pytest
from pypdf import PdfReader

from emulation.council.snapshots import freeze
from emulation.extensions import db
from emulation.signatures.seal import make_self_signed_seal, verify_file

from .conftest import AFTER, hold_meeting, vote_as


@pytest.fixture
def sealed(app, tmp_path, monkeypatch):
    """The app with a self-signed seal."""
    cert, key = make_self_signed_seal(tmp_path / "seal", "Hội đồng Thi đua - Khen thưởng")
    monkeypatch.setitem(app.config, "SEAL_CERT_FILE", str(cert))
    monkeypatch.setitem(app.config, "SEAL_KEY_FILE", str(key))
    return app


def _text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_minutes_and_decision_pdfs_are_sealed(sealed, members, interim_dossiers, auth, client):
    c = members
    hold_meeting(c, c.r1, c.r2, c.r4, c.r5)
    for m in (c.r1, c.r2, c.r4):
        vote_as(client, auth, m, c.interim, [interim_dossiers["U2"]], "agree")
    auth.logout()
    auth.login(c.secretariat)
    assert client.get(f"/council/rounds/{c.interim.id}/decision.pdf").status_code == 302
    freeze(c.interim, user=c.secretariat, now=AFTER)
    db.session.commit()
    for name, words in (("minutes", "BIÊN BẢN"), ("decision", "VKSND U2")):
        response = client.get(f"/council/rounds/{c.interim.id}/{name}.pdf")
        assert response.status_code == 200 and response.mimetype == "application/pdf", name
        assert words in _text(response.data)
        assert verify_file(response.data, sealed.config).verdict == "valid"


def test_without_libreoffice_the_page_says_to_use_the_docx(
    sealed, members, interim_dossiers, auth, client, monkeypatch
):
    c = members
    hold_meeting(c, c.r1, c.r2, c.r4, c.r5)
    monkeypatch.setitem(sealed.config, "SOFFICE", "/nonexistent/soffice")
    auth.login(c.secretariat)
    response = client.get(f"/council/rounds/{c.interim.id}/minutes.pdf")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Không tạo được tệp PDF trên máy chủ này" in page
