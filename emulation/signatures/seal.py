"""Seal the PDFs the system issues with the deployment's certificate, and check them offline."""

from __future__ import annotations

import io
import os
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from .trust import TrustStore, load_trust
from .verify import PdfCheck, check_pdf

SEAL_FIELD = "Seal"


class SealError(Exception):
    """The configured sealing certificate or key cannot be used."""


def seal_configured(config: Mapping) -> bool:
    """Whether a sealing certificate and key are configured."""
    return bool(config.get("SEAL_PKCS12_FILE")) or bool(
        config.get("SEAL_CERT_FILE") and config.get("SEAL_KEY_FILE")
    )


def _password(config: Mapping) -> bytes | None:
    value = config.get("SEAL_PASSWORD") or ""
    return value.encode() if value else None


def _signer(config: Mapping):
    from pyhanko.sign import signers

    try:
        if config.get("SEAL_PKCS12_FILE"):
            signer = signers.SimpleSigner.load_pkcs12(
                config["SEAL_PKCS12_FILE"], passphrase=_password(config)
            )
        else:
            signer = signers.SimpleSigner.load(
                config["SEAL_KEY_FILE"], config["SEAL_CERT_FILE"], key_passphrase=_password(config)
            )
    except Exception as error:  # a missing or wrong file, a wrong password
        raise SealError(str(error)) from error
    if signer is None:
        raise SealError("the sealing certificate or key could not be read")
    return signer


def seal_certificates(config: Mapping) -> list:
    """The sealing certificate and its chain as stored with the key (empty when none)."""
    if not seal_configured(config):
        return []
    signer = _signer(config)
    return [signer.signing_cert, *signer.cert_registry]


def seal_pdf(pdf_bytes: bytes, app_config: Mapping, *, reason: str | None = None) -> bytes:
    """`pdf_bytes` certified with the deployment's seal; unchanged when no seal is configured."""
    if not seal_configured(app_config):
        return pdf_bytes
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    signer = _signer(app_config)
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
    # A certification signature that allows no change: anything written afterwards shows.
    meta = signers.PdfSignatureMetadata(
        field_name=SEAL_FIELD,
        reason=reason,
        certify=True,
        docmdp_permissions=fields.MDPPerm.NO_CHANGES,
        md_algorithm="sha256",
    )
    return signers.sign_pdf(writer, meta, signer=signer).getvalue()


def verification_trust(config: Mapping) -> TrustStore:
    """The configured trust roots plus the deployment's own sealing certificate and chain."""
    trust = load_trust(config.get("SIGNATURE_TRUST_DIR"))
    try:
        own = seal_certificates(config)
    except SealError:
        own = []
    return replace(trust, roots=(*trust.roots, *own))


def verify_file(data: bytes, config: Mapping, *, now: datetime | None = None) -> PdfCheck:
    """Check a PDF against the configured roots and this deployment's seal, offline."""
    return check_pdf(data, verification_trust(config), now=now)


def _fit(text: str, limit: int = 64) -> str:
    """`text` cut to fit a name attribute, which X.509 limits in UTF-8 bytes."""
    while len(text.encode()) > limit:
        text = text[:-1]
    return text


def make_self_signed_seal(
    folder: str | Path, organisation: str, *, now: datetime | None = None, years: int = 5
) -> tuple[Path, Path]:
    """Write seal.crt and seal.key (self-signed, for a demo or a trial) into folder."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = now or datetime.now(UTC)
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([
        x509.NameAttribute(NameOID.COMMON_NAME, "Con dấu hệ thống"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, _fit(organisation)),
        x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
    ])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365 * years))
        .add_extension(
            x509.KeyUsage(
                digital_signature=True, content_commitment=True, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=True,
                crl_sign=False, encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    cert_path, key_path = folder / "seal.crt", folder / "seal.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    write_private_key(key_path, key)
    return cert_path, key_path


def write_private_key(path: Path, key) -> None:
    """Write `key` as unencrypted PEM, readable by its owner only from the first byte."""
    from cryptography.hazmat.primitives import serialization

    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        out.write(key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ))
