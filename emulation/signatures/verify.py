"""Check the digital signatures in a PDF offline: who signed, when, trusted, changed since."""

from __future__ import annotations

import io
import logging
from dataclasses import asdict, dataclass
from datetime import UTC, datetime

from .trust import TrustStore

log = logging.getLogger(__name__)

# Overall verdicts, worst first: a document's verdict is its worst signature's.
MODIFIED = "modified"
BROKEN = "broken"
REVOKED = "revoked"
EXPIRED = "expired"
UNTRUSTED = "untrusted"
VALID = "valid"
NOT_SIGNED = "not_signed"
UNREADABLE = "unreadable"
_ORDER = (MODIFIED, BROKEN, REVOKED, EXPIRED, UNTRUSTED, VALID)
VERDICTS = (*_ORDER, NOT_SIGNED, UNREADABLE)


@dataclass(frozen=True)
class SignatureResult:
    """One signature: signer, organisation, claimed or timestamped time and the findings."""

    signer: str | None
    organisation: str | None
    signed_at: str | None  # ISO 8601 UTC
    timestamped: bool  # signed_at comes from a trusted timestamp, not the signer's clock
    intact: bool  # the signed bytes are unchanged and the signature matches them
    modified_after: bool  # the file was changed after signing (beyond adding signatures)
    trusted: bool  # the certificate chains to a configured root
    valid_at_signing: bool  # ... and was within its validity, not revoked, at signing time
    verdict: str

    @property
    def signed_at_datetime(self) -> datetime | None:
        """The signing time as an aware UTC datetime."""
        return datetime.fromisoformat(self.signed_at) if self.signed_at else None


@dataclass(frozen=True)
class PdfCheck:
    """The result of checking one PDF: its verdict and each signature's result."""

    verdict: str
    signatures: tuple[SignatureResult, ...] = ()

    @property
    def valid(self) -> bool:
        """Whether every signature is valid and there is at least one."""
        return self.verdict == VALID

    def to_json(self) -> dict:
        """A JSON-ready dict (stored with the file)."""
        return {"verdict": self.verdict, "signatures": [asdict(s) for s in self.signatures]}

    @classmethod
    def from_json(cls, data: dict | None) -> PdfCheck | None:
        """Read back what to_json stored; None for nothing or an unknown shape."""
        if not isinstance(data, dict) or data.get("verdict") not in VERDICTS:
            return None
        try:
            signatures = tuple(SignatureResult(**s) for s in data.get("signatures") or ())
        except TypeError:
            return None
        return cls(data["verdict"], signatures)


def _name_part(cert, key: str) -> str | None:
    try:
        value = cert.subject.native.get(key)
    except Exception:  # an odd subject is shown as unknown
        return None
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    return str(value) if value else None


def _modified(status) -> bool:
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    if not status.intact or not status.valid:
        return True
    if status.coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return False
    if status.coverage != SignatureCoverageLevel.ENTIRE_REVISION:
        return True
    return not status.docmdp_ok or status.modification_level == ModificationLevel.OTHER


def _trust_findings(status) -> tuple[bool, bool, str | None]:
    """(trusted, valid_at_signing, verdict or None) from pyHanko's trust problem."""
    problem = status.trust_problem_indic
    if problem is None and status.trusted:
        return True, True, None
    name = getattr(problem, "name", "")
    if name == "REVOKED" or status.revoked:
        return True, False, REVOKED
    if name in ("NOT_YET_VALID", "OUT_OF_BOUNDS_NO_POE", "OUT_OF_BOUNDS_NOT_REVOKED",
                "EXPIRED", "NO_POE"):
        return True, False, EXPIRED
    return False, False, UNTRUSTED


def _signing_time(embedded) -> datetime | None:
    try:
        moment = embedded.self_reported_timestamp
    except Exception:  # a malformed attribute means no claimed time
        return None
    if moment is not None and moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment


def _check_one(embedded, trust: TrustStore, now: datetime) -> SignatureResult:
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    claimed = _signing_time(embedded)
    # Validity is judged at the moment of signing (a timestamp's, else the signer's claim,
    # never later than now); nothing is fetched: revocation comes only from supplied files.
    moment = min(claimed, now) if claimed else now
    context = ValidationContext(
        trust_roots=list(trust.roots),
        crls=list(trust.crls),
        allow_fetching=False,
        moment=moment,
        revocation_mode="soft-fail",
    )
    status = validate_pdf_signature(embedded, context)
    signed_at, timestamped = claimed, False
    stamp = getattr(status, "timestamp_validity", None)
    if stamp is not None and stamp.valid and stamp.trusted:
        signed_at, timestamped = stamp.timestamp, True
    cert = embedded.signer_cert
    modified = _modified(status)
    trusted, in_time, trust_verdict = _trust_findings(status)
    if modified:
        verdict = MODIFIED
    elif trust_verdict:
        verdict = trust_verdict
    elif not status.bottom_line:
        verdict = BROKEN
    else:
        verdict = VALID
    return SignatureResult(
        signer=_name_part(cert, "common_name"),
        organisation=_name_part(cert, "organization_name"),
        signed_at=signed_at.astimezone(UTC).isoformat() if signed_at else None,
        timestamped=timestamped,
        intact=bool(status.intact and status.valid),
        modified_after=modified,
        trusted=trusted,
        valid_at_signing=in_time,
        verdict=verdict,
    )


def _broken(embedded) -> SignatureResult:
    try:
        cert = embedded.signer_cert
        signer = _name_part(cert, "common_name")
        organisation = _name_part(cert, "organization_name")
    except Exception:  # a signature too broken to name its signer
        signer = organisation = None
    return SignatureResult(signer, organisation, None, False, False, False, False, False, BROKEN)


def preload() -> None:
    """Import the PDF reader and validator now (a serving process's start), not at an upload.

    They take ~0.25 s of CPU to import: paid by the first upload of each worker, that is a
    request of the deadline rush waiting for it.
    """
    import pyhanko.pdf_utils.reader  # noqa: F401
    import pyhanko.sign.diff_analysis  # noqa: F401
    import pyhanko.sign.validation  # noqa: F401
    import pyhanko_certvalidator  # noqa: F401


def check_pdf(data: bytes, trust: TrustStore, *, now: datetime | None = None) -> PdfCheck:
    """Check every signature in `data`; an unsigned PDF is NOT_SIGNED, a broken one UNREADABLE."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    now = now or datetime.now(UTC)
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        embedded = list(reader.embedded_regular_signatures)
    except Exception as error:  # any malformed file is "unreadable", never a crash
        log.info("PDF unreadable for signature check: %s", error)
        return PdfCheck(UNREADABLE)
    if not embedded:
        return PdfCheck(NOT_SIGNED)
    results = []
    for signature in embedded:
        try:
            results.append(_check_one(signature, trust, now))
        except Exception as error:  # one bad signature must not hide the others
            log.info("signature check failed: %s", error)
            results.append(_broken(signature))
    verdict = min((r.verdict for r in results), key=_ORDER.index)
    return PdfCheck(verdict, tuple(results))
