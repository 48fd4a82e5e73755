"""Check the digital signatures of a stored PDF against the deployment's trust roots."""

from __future__ import annotations

from flask import current_app

from ..signatures import PdfCheck, load_trust
from ..signatures import check_pdf as check_pdf_bytes
from .backends import evidence_store
from .sniff import PDF


def check_stored(sha256: str, content_type: str) -> PdfCheck | None:
    """The signature check of a stored evidence blob; None when it is not a PDF."""
    if content_type != PDF:
        return None
    with evidence_store().open(sha256) as stream:
        data = stream.read()
    trust = load_trust(current_app.config.get("SIGNATURE_TRUST_DIR"))
    return check_pdf_bytes(data, trust)
