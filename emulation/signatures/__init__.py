"""Digital signatures in PDFs: checking those received, sealing those the system issues."""

from .trust import TrustStore, load_trust
from .verify import (
    BROKEN,
    EXPIRED,
    MODIFIED,
    NOT_SIGNED,
    REVOKED,
    UNREADABLE,
    UNTRUSTED,
    VALID,
    PdfCheck,
    SignatureResult,
    check_pdf,
    preload,
)

__all__ = [
    "BROKEN",
    "EXPIRED",
    "MODIFIED",
    "NOT_SIGNED",
    "REVOKED",
    "UNREADABLE",
    "UNTRUSTED",
    "VALID",
    "PdfCheck",
    "SignatureResult",
    "TrustStore",
    "check_pdf",
    "load_trust",
    "preload",
]
