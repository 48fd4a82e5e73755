"""Sealing what the system issues: a sealed PDF verifies, and fails after one byte is changed."""

import pytest
from cryptography.hazmat.primitives.serialization import (
    BestAvailableEncryption,
    pkcs12,
)

from emulation.signatures import BROKEN, MODIFIED, UNREADABLE, UNTRUSTED, VALID
from emulation.signatures.seal import (
    SealError,
    make_self_signed_seal,
    seal_configured,
    seal_pdf,
    verify_file,
)
from tests.support.pki import make_signer, plain_pdf


@pytest.fixture
def pem_seal(tmp_path):
    cert, key = make_self_signed_seal(tmp_path / "seal", "Sở Nội vụ tỉnh Thử nghiệm")
    return {
        "SEAL_CERT_FILE": str(cert),
        "SEAL_KEY_FILE": str(key),
        "SIGNATURE_TRUST_DIR": str(tmp_path / "trust"),
    }


def test_a_sealed_pdf_verifies_with_the_deployment_as_signer(pem_seal):
    sealed = seal_pdf(plain_pdf(), pem_seal, reason="Biên nhận hồ sơ")
    result = verify_file(sealed, pem_seal)
    assert result.verdict == VALID
    assert result.signatures[0].organisation == "Sở Nội vụ tỉnh Thử nghiệm"


def test_one_changed_byte_anywhere_breaks_the_seal(pem_seal):
    sealed = seal_pdf(plain_pdf(), pem_seal)
    for where in (10, len(sealed) // 4, len(sealed) // 2, len(sealed) - 30):
        changed = bytearray(sealed)
        changed[where] ^= 0x01
        # In the content: modified; in the signature itself: broken; in the structure: unreadable.
        assert verify_file(bytes(changed), pem_seal).verdict in (MODIFIED, BROKEN, UNREADABLE)
    changed = bytearray(sealed)
    changed[sealed.index(b"/MediaBox") + 1] = ord("m")
    assert verify_file(bytes(changed), pem_seal).verdict == MODIFIED


def test_a_seal_from_another_deployment_is_untrusted(pem_seal, tmp_path):
    cert, key = make_self_signed_seal(tmp_path / "other", "Đơn vị khác")
    other = {"SEAL_CERT_FILE": str(cert), "SEAL_KEY_FILE": str(key)}
    assert verify_file(seal_pdf(plain_pdf(), other), pem_seal).verdict == UNTRUSTED


def test_a_pkcs12_seal_with_password_works(pki, tmp_path):
    holder = make_signer(pki.ca, "Hệ thống thi đua", "Ban Thi đua - Khen thưởng")
    blob = pkcs12.serialize_key_and_certificates(
        b"seal", holder.key, holder.cert, [pki.ca.cert], BestAvailableEncryption(b"bi-mat")
    )
    (tmp_path / "seal.p12").write_bytes(blob)
    config = {"SEAL_PKCS12_FILE": str(tmp_path / "seal.p12"), "SEAL_PASSWORD": "bi-mat",
              "SIGNATURE_TRUST_DIR": str(pki.trust_dir)}
    assert verify_file(seal_pdf(plain_pdf(), config), config).verdict == VALID
    with pytest.raises(SealError):
        seal_pdf(plain_pdf(), {**config, "SEAL_PASSWORD": "sai"})


def test_without_a_seal_the_pdf_is_issued_unchanged():
    data = plain_pdf()
    assert not seal_configured({})
    assert seal_pdf(data, {}) == data
