"""The demo's digitally signed reports: a trial agency CA, trusted by the demo instance."""

from __future__ import annotations

import zlib
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

from flask import current_app

from .signatures import PdfCheck, check_pdf, load_trust
from .signatures.seal import seal_pdf, write_private_key

ORGANISATION = "Tổ chức chứng thực thử nghiệm"


def _certificate(subject, issuer, public_key, signing_key, *, ca: bool, now):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    usage = x509.KeyUsage(
        digital_signature=True, content_commitment=not ca, key_encipherment=False,
        data_encipherment=False, key_agreement=False, key_cert_sign=ca, crl_sign=ca,
        encipher_only=False, decipher_only=False,
    )
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=3650))
        .not_valid_after(now + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(usage, critical=True)
        .sign(signing_key, hashes.SHA256())
    )


def _name(common: str):
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    return x509.Name([
        x509.NameAttribute(NameOID.COMMON_NAME, common),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANISATION),
        x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
    ])


@cache
def _signer_files(instance: str, trust_dir: str) -> tuple[str, str]:
    """A trial CA (its root copied into the trust folder) and one signer; made once."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    folder = Path(instance) / "demo-pki"
    cert_path, key_path = folder / "signer.crt", folder / "signer.key"
    if not (cert_path.is_file() and key_path.is_file()):
        folder.mkdir(parents=True, exist_ok=True)
        now = datetime.now(UTC)
        ca_key = ec.generate_private_key(ec.SECP256R1())
        key = ec.generate_private_key(ec.SECP256R1())
        root_name = _name("CA thử nghiệm (chỉ dùng cho bản chạy thử)")
        root = _certificate(root_name, root_name, ca_key.public_key(), ca_key, ca=True, now=now)
        signer = _certificate(_name("Lãnh đạo đơn vị (chữ ký thử nghiệm)"), root_name,
                              key.public_key(), ca_key, ca=False, now=now)
        (folder / "ca.crt").write_bytes(root.public_bytes(serialization.Encoding.PEM))
        cert_path.write_bytes(signer.public_bytes(serialization.Encoding.PEM))
        write_private_key(key_path, key)
    trust = Path(trust_dir)
    trust.mkdir(parents=True, exist_ok=True)
    (trust / "demo-ca.crt").write_bytes((folder / "ca.crt").read_bytes())
    return str(cert_path), str(key_path)


def signed_report(data: bytes, unit_code: str) -> bytes:
    """The unit's report signed with the trial certificate (about one unit in seven: unsigned)."""
    if zlib.crc32(unit_code.encode()) % 7 == 0:
        return data
    cert, key = _signer_files(current_app.instance_path, current_app.config["SIGNATURE_TRUST_DIR"])
    return seal_pdf(data, {"SEAL_CERT_FILE": cert, "SEAL_KEY_FILE": key},
                    reason="Báo cáo thành tích")


def checked(data: bytes) -> PdfCheck:
    """The demo file's signature check, as an upload would get it."""
    return check_pdf(data, load_trust(current_app.config.get("SIGNATURE_TRUST_DIR")))
