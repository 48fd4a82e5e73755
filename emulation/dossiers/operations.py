"""Write operations on dossiers; each takes `now`, flushes and never commits."""

from datetime import datetime

from ..audit import record
from ..extensions import db
from ..lifecycle import SubmissionWindow, dossier_window_state, is_frozen
from ..models import (
    Candidate,
    CriterionNote,
    Dossier,
    DossierVersion,
    EvidenceFile,
    IndicatorValue,
    Round,
    SelfAssessment,
    User,
)
from ..notify import events as notify_events
from .payload import content_hash, dossier_payload
from .signoff import for_submission
from .versions import diff_files

__all__ = ["content_hash", "dossier_payload"]  # kept importable from here


class DeadlinePassed(Exception):
    """A submission arrived after the round (and any grace) had closed."""

    def __init__(self, deadline: datetime, now: datetime):
        super().__init__(f"deadline {deadline.isoformat()} passed at {now.isoformat()}")
        self.deadline = deadline
        self.now = now


class StaleDossier(Exception):
    """The dossier changed since the form was opened (another tab or person saved it)."""


class NotEditable(Exception):
    """The dossier cannot be changed now; `reason` says why (submitted, closed, frozen...)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


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


def effective_deadline(dossier: Dossier) -> datetime:
    """The deadline that applies to this dossier (see SubmissionWindow)."""
    return SubmissionWindow.for_dossier(dossier).deadline


def editable_criteria(dossier: Dossier, now: datetime) -> set[str] | None:
    """None when the whole dossier may be edited, else the criteria the council reopened."""
    if dossier_window_state(dossier, now) not in ("open", "grace"):
        raise NotEditable("closed")
    if dossier.status == "submitted":
        raise NotEditable("submitted")
    supplement = dossier.open_supplement
    return set(supplement.criteria) if supplement is not None else None


def get_or_create_dossier(round_: Round, candidate: Candidate, *, user: User, now: datetime):
    """The candidate's live dossier in the round, created as an empty draft if needed."""
    dossier = db.session.execute(
        db.select(Dossier).filter_by(round_id=round_.id, candidate_id=candidate.id)
    ).scalar_one_or_none()
    if dossier is None:
        dossier = Dossier(round=round_, candidate=candidate, created_at=now, updated_at=now)
        db.session.add(dossier)
        db.session.flush()
        record("dossier_created", now=now, actor=user, obj=dossier)
    return dossier


def fill_and_submit(
    round_: Round, candidate: Candidate, values: dict, *, user: User | None, now: datetime
) -> Dossier:
    """A new dossier with these values, submitted at `now` (imports, demo, tests).

    If the submission is refused (DeadlinePassed), the draft with its values stays.
    """
    dossier = Dossier(round=round_, candidate=candidate, created_at=now, updated_at=now)
    db.session.add(dossier)
    db.session.flush()
    set_values(dossier, values)
    submit_dossier(dossier, user=user, now=now)
    return dossier


def ranking_frozen(round_: Round) -> bool:
    """Whether the council froze the round's ranking (the round's row stays locked until commit)."""
    return is_frozen(round_)


def check_lock(dossier: Dossier, lock_version: str | int | None) -> None:
    """Refuse a save based on an older copy of the dossier than the one stored."""
    if str(lock_version) != str(dossier.lock_version):
        raise StaleDossier()


def save_draft(
    dossier: Dossier,
    *,
    values: dict[str, float | str | None],
    self_points: dict[str, float | None],
    notes: dict[str, str],
    owners: dict[str, str],
    user: User,
    now: datetime,
) -> list[str]:
    """Save the editable part of a draft; `owners` maps columns/indicators to criteria."""
    allowed = editable_criteria(dossier, now)

    def permitted(key: str) -> bool:
        return allowed is None or owners.get(key) in allowed

    before = dossier_payload(dossier)
    set_values(dossier, {c: v for c, v in values.items() if permitted(c)})
    _set_self_points(dossier, {c: p for c, p in self_points.items() if permitted(c)})
    _set_notes(dossier, {c: t for c, t in notes.items() if allowed is None or c in allowed})
    after = dossier_payload(dossier)
    changed = sorted(
        key
        for part in ("values", "self_points", "notes")
        for key in set(before[part]) | set(after[part])
        if before[part].get(key) != after[part].get(key)
    )
    if changed:
        if dossier.status == "withdrawn":
            dossier.status = "draft"
        dossier.touch(now)
        db.session.flush()
        record("dossier_saved", now=now, actor=user, obj=dossier, details={"changed": changed})
    return changed


def _set_self_points(dossier: Dossier, points: dict[str, float | None]) -> None:
    existing = {s.indicator_code: s for s in dossier.self_points}
    for code, value in points.items():
        row = existing.get(code)
        if value is None:
            if row is not None:
                dossier.self_points.remove(row)
        elif row is None:
            dossier.self_points.append(SelfAssessment(indicator_code=code, points=value))
        else:
            row.points = value


def _set_notes(dossier: Dossier, notes: dict[str, str]) -> None:
    existing = {n.criterion_code: n for n in dossier.notes}
    for code, text in notes.items():
        row = existing.get(code)
        if not text.strip():
            if row is not None:
                dossier.notes.remove(row)
        elif row is None:
            dossier.notes.append(CriterionNote(criterion_code=code, text=text))
        else:
            row.text = text


def attach_evidence(
    dossier: Dossier,
    stored,
    *,
    criterion_code: str | None,
    document_code: str | None,
    user: User,
    now: datetime,
    signature: dict | None = None,
) -> EvidenceFile:
    """Record an uploaded (already stored) file as evidence of a criterion or a document.

    `signature` is the file's signature check (PdfCheck.to_json()), for PDFs.
    """
    evidence = EvidenceFile(
        dossier=dossier,
        criterion_code=criterion_code,
        document_code=document_code,
        original_name=stored.original_name,
        content_type=stored.content_type,
        size_bytes=stored.size_bytes,
        sha256=stored.sha256,
        uploaded_by_id=user.id,
        uploaded_at=now,
        signature_verdict=signature["verdict"] if signature else None,
        signature_check=signature,
    )
    db.session.add(evidence)
    dossier.touch(now)
    db.session.flush()
    record(
        "evidence_added",
        now=now,
        actor=user,
        obj=dossier,
        details={
            "file": stored.original_name,
            "sha256": stored.sha256,
            "criterion": criterion_code,
            "document": document_code,
            "signature": signature["verdict"] if signature else None,
        },
    )
    return evidence


def remove_evidence(evidence: EvidenceFile, *, user: User, now: datetime) -> None:
    """Detach an evidence file from a draft (the blob stays while any version refers to it)."""
    dossier = evidence.dossier
    db.session.delete(evidence)
    dossier.touch(now)
    db.session.flush()
    record(
        "evidence_removed",
        now=now,
        actor=user,
        obj=dossier,
        details={"file": evidence.original_name, "sha256": evidence.sha256},
    )


def submit_dossier(dossier: Dossier, *, user: User | None, now: datetime) -> DossierVersion:
    """Freeze the dossier into a new immutable version, refusing it outside its window."""
    state = dossier_window_state(dossier, now)
    if state == "not_started":
        raise RoundNotOpen(dossier.round.opens_at, now)
    if state == "closed":
        raise DeadlinePassed(effective_deadline(dossier), now)
    if dossier.status == "submitted":
        raise NotEditable("submitted")
    if ranking_frozen(dossier.round):
        raise NotEditable("frozen")
    signoff = for_submission(dossier)
    payload = dossier_payload(dossier)
    if signoff is not None:
        payload["head_confirmation"] = signoff
    number = len(dossier.versions) + 1
    version = DossierVersion(
        dossier=dossier,
        number=number,
        receipt_no=f"{dossier.round.code.upper()}-{dossier.id:05d}-{number}",
        submitted_at=now,
        submitted_by_id=user.id if user else None,
        late=state == "grace",
        content_hash=content_hash(payload),
        payload=payload,
    )
    supplement = dossier.open_supplement
    if supplement is not None:
        supplement.resolved_at = now
    dossier.status = "submitted"
    dossier.touch(now)
    db.session.add(version)
    db.session.flush()
    record(
        "dossier_submitted",
        now=now,
        actor=user,
        obj=dossier,
        details={
            "version": number,
            "receipt": version.receipt_no,
            "late": version.late,
            "content_hash": version.content_hash,
            "head_confirmation": signoff,
        },
    )
    notify_events.dossier_received(version, now=now)
    return version


def withdraw_dossier(dossier: Dossier, *, user: User, now: datetime) -> None:
    """Take a submitted dossier back to edit it, while its window is still open."""
    if dossier.status != "submitted":
        raise NotEditable("not_submitted")
    if dossier_window_state(dossier, now) not in ("open", "grace"):
        raise DeadlinePassed(effective_deadline(dossier), now)
    dossier.status = "withdrawn"
    dossier.touch(now)
    db.session.flush()
    record(
        "dossier_withdrawn",
        now=now,
        actor=user,
        obj=dossier,
        details={"version": len(dossier.versions)},
    )


def diff_payloads(before: dict, after: dict) -> list[dict]:
    """What changed between two version payloads: values, points, notes and files."""
    changes = []
    for part in ("values", "self_points", "notes"):
        old, new = before.get(part, {}), after.get(part, {})
        for key in sorted(set(old) | set(new)):
            if old.get(key) != new.get(key):
                change = {"key": key, "before": old.get(key), "after": new.get(key)}
                if part != "values":  # a criterion's narrative or self-assessed points
                    change["part"] = part
                changes.append(change)
    return changes + diff_files(before, after)
