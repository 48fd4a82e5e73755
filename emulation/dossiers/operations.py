"""Write operations on dossiers; each takes `now`, flushes and never commits."""

import hashlib
import json
from datetime import datetime

from ..audit import record
from ..extensions import db
from ..models import Dossier, DossierVersion, IndicatorValue, User


class DeadlinePassed(Exception):
    """A submission arrived after the round (and any grace) had closed."""

    def __init__(self, deadline: datetime, now: datetime):
        super().__init__(f"deadline {deadline.isoformat()} passed at {now.isoformat()}")
        self.deadline = deadline
        self.now = now


class RoundNotOpen(Exception):
    """A submission arrived before the round opened."""

    def __init__(self, opens_at: datetime, now: datetime):
        super().__init__(f"round opens at {opens_at.isoformat()}, now {now.isoformat()}")
        self.opens_at = opens_at
        self.now = now


def set_values(dossier: Dossier, values: dict[str, float | str | None]) -> None:
    """Set the dossier's VALUES columns: a number, or a text for choices; None clears one."""
    existing = {v.column: v for v in dossier.values}
    for column, raw in values.items():
        row = existing.get(column)
        if raw is None:
            if row is not None:
                dossier.values.remove(row)
            continue
        if row is None:
            row = IndicatorValue(column=column)
            dossier.values.append(row)
        row.value, row.text_value = (None, raw) if isinstance(raw, str) else (float(raw), None)
    db.session.flush()


def dossier_payload(dossier: Dossier) -> dict:
    """Everything a submitted version freezes: values, self-assessed points, evidence."""
    return {
        "round": dossier.round.code,
        "candidate": dossier.candidate_id,
        "values": {
            v.column: v.text_value if v.text_value is not None else v.value
            for v in sorted(dossier.values, key=lambda v: v.column)
        },
        "self_points": {
            s.indicator_code: s.points
            for s in sorted(dossier.self_points, key=lambda s: s.indicator_code)
        },
        "evidence": [
            {
                "name": f.original_name,
                "sha256": f.sha256,
                "size": f.size_bytes,
                "criterion": f.criterion_code,
                "document": f.document_code,
            }
            for f in dossier.evidence
        ],
    }


def content_hash(payload: dict) -> str:
    """sha256 over the canonical JSON of a payload."""
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def submit_dossier(dossier: Dossier, *, user: User | None, now: datetime) -> DossierVersion:
    """Freeze the dossier into a new immutable version, refusing it outside the round's window."""
    round_ = dossier.round
    state = round_.state(now)
    if state == "not_started":
        raise RoundNotOpen(round_.opens_at, now)
    if state == "closed":
        raise DeadlinePassed(round_.deadline, now)
    payload = dossier_payload(dossier)
    number = len(dossier.versions) + 1
    version = DossierVersion(
        dossier=dossier,
        number=number,
        receipt_no=f"{round_.code.upper()}-{dossier.id:05d}-{number}",
        submitted_at=now,
        submitted_by_id=user.id if user else None,
        late=state == "grace",
        content_hash=content_hash(payload),
        payload=payload,
    )
    dossier.status = "submitted"
    dossier.updated_at = now
    db.session.add(version)
    db.session.flush()
    record(
        "dossier_submitted",
        now=now,
        actor=user,
        obj=dossier,
        details={"version": number, "receipt": version.receipt_no, "late": version.late},
    )
    return version
