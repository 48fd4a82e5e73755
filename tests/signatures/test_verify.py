"""Checking signatures in received PDFs: valid, changed, untrusted, expired, unsigned, broken."""

import io
from datetime import UTC, datetime, timedelta

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from emulation.signatures import (
    EXPIRED,
    MODIFIED,
    NOT_SIGNED,
    UNREADABLE,
    UNTRUSTED,
    VALID,
    PdfCheck,
    check_pdf,
    load_trust,
)
from tests.support.pki import make_ca, make_signer, plain_pdf, sign_pdf


def test_a_validly_signed_pdf_names_its_signer_time_and_trust(pki):
    before = datetime.now(UTC) - timedelta(seconds=2)
    result = check_pdf(sign_pdf(plain_pdf(), pki.signer, pki.ca), pki.trust)
    assert result.verdict == VALID
    (signature,) = result.signatures
    assert signature.signer == "Nguyễn Văn An"
    assert signature.organisation == "Sở Nội vụ tỉnh Thử nghiệm"
    assert before <= signature.signed_at_datetime <= datetime.now(UTC)
    assert signature.trusted and signature.valid_at_signing and signature.intact
    assert not signature.modified_after


def test_one_byte_changed_after_signing_is_reported_as_modified(pki):
    signed = bytearray(sign_pdf(plain_pdf(), pki.signer, pki.ca))
    where = signed.index(b"/MediaBox")
    signed[where + 1] = ord("m")  # inside the signed range, the file still parses
    result = check_pdf(bytes(signed), pki.trust)
    assert result.verdict == MODIFIED
    assert result.signatures[0].modified_after and not result.signatures[0].intact


def test_content_appended_after_signing_is_reported_as_modified(pki):
    signed = sign_pdf(plain_pdf(), pki.signer, pki.ca)
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    stream = generic.StreamObject(stream_data=b"BT /F1 30 Tf 100 100 Td (ALTERED) Tj ET")
    writer.add_stream_to_page(0, writer.add_object(stream))
    out = io.BytesIO()
    writer.write(out)
    result = check_pdf(out.getvalue(), pki.trust)
    assert result.verdict == MODIFIED
    assert result.signatures[0].intact  # the signed revision itself is untouched...
    assert result.signatures[0].modified_after  # ...but the document shown is not it


def test_a_signature_from_an_unknown_root_is_untrusted(pki):
    stranger = make_ca("Stranger CA")
    signed = sign_pdf(plain_pdf(), make_signer(stranger), stranger)
    result = check_pdf(signed, pki.trust)
    assert result.verdict == UNTRUSTED
    assert result.signatures[0].intact and not result.signatures[0].trusted


def test_without_configured_roots_nothing_is_trusted(pki, tmp_path):
    signed = sign_pdf(plain_pdf(), pki.signer, pki.ca)
    assert check_pdf(signed, load_trust(tmp_path / "missing")).verdict == UNTRUSTED
    assert check_pdf(signed, load_trust(None)).verdict == UNTRUSTED


def test_a_certificate_expired_when_signing_is_reported_as_expired(pki):
    now = datetime.now(UTC)
    old = make_signer(pki.ca, not_before=now - timedelta(days=400),
                      not_after=now - timedelta(days=10))
    result = check_pdf(sign_pdf(plain_pdf(), old, pki.ca), pki.trust)
    assert result.verdict == EXPIRED
    (signature,) = result.signatures
    assert signature.trusted and not signature.valid_at_signing


def test_a_pdf_without_signature_is_not_signed(pki):
    result = check_pdf(plain_pdf(), pki.trust)
    assert result.verdict == NOT_SIGNED and result.signatures == ()


@pytest.mark.parametrize(
    "data",
    [b"", b"not a pdf at all", b"%PDF-1.7\n%%EOF", b"%PDF-1.4\n1 0 obj << /Type /Catalog"],
)
def test_malformed_files_are_unreadable_never_an_error(pki, data):
    assert check_pdf(data, pki.trust).verdict == UNREADABLE


def test_a_truncated_signed_pdf_never_raises(pki):
    signed = sign_pdf(plain_pdf(), pki.signer, pki.ca)
    for cut in (len(signed) // 3, len(signed) // 2, len(signed) - 40):
        assert check_pdf(signed[:cut], pki.trust).verdict in (UNREADABLE, MODIFIED, NOT_SIGNED)


def test_a_result_survives_storage_as_json(pki):
    result = check_pdf(sign_pdf(plain_pdf(), pki.signer, pki.ca), pki.trust)
    assert PdfCheck.from_json(result.to_json()) == result
    assert PdfCheck.from_json({"verdict": "nonsense"}) is None
    assert PdfCheck.from_json(None) is None


def test_unreadable_trust_files_are_skipped_and_named(pki, tmp_path):
    broken = b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"
    (tmp_path / "broken.pem").write_bytes(broken)
    (tmp_path / "root.crt").write_bytes(pki.ca.pem())
    (tmp_path / "notes.txt").write_text("ignored")
    trust = load_trust(tmp_path)
    assert len(trust.roots) == 1 and trust.skipped == ("broken.pem",)
    signed = sign_pdf(plain_pdf(), pki.signer, pki.ca)
    assert check_pdf(signed, trust).verdict == VALID


def test_a_serving_process_loads_the_pdf_checker_before_its_first_upload():
    # In a fresh interpreter: here the tests above have already imported pyhanko.
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import sys; from emulation.signatures import preload; "
        "assert 'pyhanko.pdf_utils.reader' not in sys.modules; preload(); "
        "assert {'pyhanko.pdf_utils.reader', 'pyhanko.sign.validation'} <= set(sys.modules)"
    )
    root = Path(__file__).resolve().parents[2]
    subprocess.run([sys.executable, "-c", code], check=True, cwd=root, timeout=120)
    assert "\npreload()" in (root / "emulation" / "wsgi.py").read_text(encoding="utf-8")
