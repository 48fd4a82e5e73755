"""The receipt as a PDF: place and date, receipt number, fingerprint and files; same access."""

import unicodedata
from datetime import UTC, datetime
from io import BytesIO

import pytest
from pypdf import PdfReader

from emulation.documents.receipt import receipt_pdf
from emulation.extensions import db
from emulation.models import DossierVersion

# 00:30 on 30/08/2024 in Vietnam, still the 29th in UTC: the receipt is dated as in Vietnam.
RECEIVED = datetime(2024, 8, 29, 17, 30, tzinfo=UTC)


def _text(data: bytes) -> str:
    reader = PdfReader(BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return unicodedata.normalize("NFC", text)


@pytest.fixture
def receipt_world(make):
    movement = make.movement(organisation="Viện kiểm sát nhân dân thành phố Đà Nẵng",
                             place="Đà Nẵng")  # fmt: skip
    unit, other = make.unit(code="HC", name="VKSND quận Hải Châu"), make.unit(code="TK")
    dossier = make.dossier(movement.rounds[0], make.candidate(movement, unit), status="submitted")
    editor = make.user("unit_editor", unit=unit, full_name="Nguyễn Văn An")
    version = DossierVersion(
        dossier=dossier, number=1, receipt_no="BN-2024-0007", submitted_at=RECEIVED,
        submitted_by_id=editor.id, late=False, content_hash="a" * 64,
        payload={"values": {"KYSO": 90}, "evidence": [
            {"name": "Báo cáo.pdf", "criterion": "TC1", "sha256": "b" * 64}]},
    )  # fmt: skip
    db.session.add(version)
    db.session.commit()
    return dict(dossier=dossier, version=version, editor=editor,
                other=make.user("unit_editor", unit=other))  # fmt: skip


def test_receipt_pdf_says_where_and_when_and_what(receipt_world):
    data = receipt_pdf(receipt_world["dossier"], receipt_world["version"])
    assert data.startswith(b"%PDF-")
    text = _text(data)
    assert "Đà Nẵng, ngày 30 tháng 8 năm 2024" in text
    assert "BN-2024-0007" in text
    assert "GIẤY BIÊN NHẬN" in text
    assert "VKSND quận Hải Châu" in text and "Nguyễn Văn An" in text
    assert "a" * 64 in text.replace("\n", "") and "b" * 64 in text.replace("\n", "")
    assert "Báo cáo.pdf" in text


def test_receipt_pdf_downloaded_by_whoever_may_see_the_receipt(client, auth, receipt_world):
    dossier, version = receipt_world["dossier"], receipt_world["version"]
    url = f"/dossiers/{dossier.id}/versions/{version.number}/receipt.pdf"
    auth.login(receipt_world["editor"])
    page = client.get(f"/dossiers/{dossier.id}/versions/1/receipt").get_data(as_text=True)
    assert "receipt.pdf" in page
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "bien-nhan-BN-2024-0007.pdf" in response.headers["Content-Disposition"]
    assert "Đà Nẵng, ngày 30 tháng 8 năm 2024" in _text(response.data)
    assert client.get(f"/dossiers/{dossier.id}/versions/9/receipt.pdf").status_code == 404
    auth.logout()
    auth.login(receipt_world["other"])
    assert client.get(url).status_code == 403
    assert client.get(f"/dossiers/{dossier.id}/versions/9/receipt.pdf").status_code == 403
