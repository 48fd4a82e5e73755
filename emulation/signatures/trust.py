"""The deployment's trust roots and revocation lists, read from a folder once per check."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

# asn1crypto is imported where a file is read: that keeps start-up fast.
if TYPE_CHECKING:
    from asn1crypto import crl as asn1_crl
    from asn1crypto import x509 as asn1_x509

log = logging.getLogger(__name__)

CERT_SUFFIXES = {".pem", ".crt", ".cer", ".der"}
CRL_SUFFIXES = {".crl"}
MAX_FILE_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class TrustStore:
    """Root certificates a signature must chain to, and revocation lists supplied as files."""

    roots: tuple[asn1_x509.Certificate, ...] = ()
    crls: tuple[asn1_crl.CertificateList, ...] = ()
    skipped: tuple[str, ...] = field(default=())  # files that could not be read


def _blocks(data: bytes) -> list[bytes]:
    from asn1crypto import pem

    if pem.detect(data):
        return [der for _kind, _headers, der in pem.unarmor(data, multiple=True)]
    return [data]


def load_trust(folder: str | Path | None) -> TrustStore:
    """Certificates (.pem .crt .cer .der) and CRLs (.crl) in `folder`; unreadable files skipped."""
    if not folder:
        return TrustStore()
    root = Path(folder)
    if not root.is_dir():
        return TrustStore()
    from asn1crypto import crl as asn1_crl
    from asn1crypto import x509 as asn1_x509

    roots, crls, skipped = [], [], []
    for path in sorted(root.iterdir()):
        suffix = path.suffix.lower()
        if suffix not in CERT_SUFFIXES | CRL_SUFFIXES or not path.is_file():
            continue
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                raise ValueError("file too large")
            for der in _blocks(path.read_bytes()):
                if suffix in CRL_SUFFIXES:
                    item = asn1_crl.CertificateList.load(der)
                    _ = item.native  # parse now, so a broken file is skipped here
                    crls.append(item)
                else:
                    item = asn1_x509.Certificate.load(der)
                    _ = item.native
                    roots.append(item)
        except Exception as error:  # a bad file must not stop the others
            log.warning("trust file %s skipped: %s", path.name, error)
            skipped.append(path.name)
    return TrustStore(tuple(roots), tuple(crls), tuple(skipped))
