"""A throw-away certificate authority and signer certificates, and PDFs signed with them."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from fpdf import FPDF


@dataclass
class Issued:
    """A certificate with its private key (cryptography objects)."""

    cert: x509.Certificate
    key: ec.EllipticCurvePrivateKey

    def pem(self) -> bytes:
        """The certificate as PEM."""
        return self.cert.public_bytes(serialization.Encoding.PEM)

    def key_pem(self) -> bytes:
        """The private key as unencrypted PKCS#8 PEM."""
        return self.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )


def _name(common: str, organisation: str | None) -> x509.Name:
    parts = [x509.NameAttribute(NameOID.COMMON_NAME, common)]
    if organisation:
        parts.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation))
    parts.append(x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"))
    return x509.Name(parts)


def make_ca(common: str = "Test Root CA", *, now: datetime | None = None) -> Issued:
    """A self-signed root valid ten years around `now`."""
    now = now or datetime.now(UTC)
    key = ec.generate_private_key(ec.SECP256R1())
    name = _name(common, "Test PKI")
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=3650))
        .not_valid_after(now + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True, content_commitment=False, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=True,
                crl_sign=True, encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .sign(key, hashes.SHA256())
    )
    return Issued(cert, key)


def make_signer(
    ca: Issued,
    common: str = "Nguyễn Văn An",
    organisation: str | None = "Sở Nội vụ tỉnh Thử nghiệm",
    *,
    not_before: datetime | None = None,
    not_after: datetime | None = None,
) -> Issued:
    """A signing certificate issued by `ca`, by default valid a year around now."""
    now = datetime.now(UTC)
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(common, organisation))
        .issuer_name(ca.cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before or now - timedelta(days=30))
        .not_valid_after(not_after or now + timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True, content_commitment=True, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=False,
                crl_sign=False, encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()), False
        )
        .sign(ca.key, hashes.SHA256())
    )
    return Issued(cert, key)


def plain_pdf(text: str = "Báo cáo thành tích năm 2026") -> bytes:
    """A one-page PDF without any signature."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=14)
    pdf.cell(0, 10, text.encode("ascii", "replace").decode())
    return bytes(pdf.output())


def sign_pdf(data: bytes, signer: Issued, ca: Issued) -> bytes:
    """`data` signed by `signer` (PAdES, the chain up to `ca` embedded)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    der = signer.key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    simple = signers.SimpleSigner(
        signing_cert=asn1_x509.Certificate.load(
            signer.cert.public_bytes(serialization.Encoding.DER)
        ),
        signing_key=asn1_keys.PrivateKeyInfo.load(der),
        cert_registry=SimpleCertificateStore.from_certs(
            [asn1_x509.Certificate.load(ca.cert.public_bytes(serialization.Encoding.DER))]
        ),
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    out = signers.sign_pdf(
        writer, signers.PdfSignatureMetadata(field_name="Signature1"), signer=simple
    )
    return out.getvalue()


def write_roots(folder: Path, *cas: Issued) -> Path:
    """Put the roots' certificates in `folder` as the deployment would; return the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for number, ca in enumerate(cas):
        (folder / f"root{number}.pem").write_bytes(ca.pem())
    return folder
