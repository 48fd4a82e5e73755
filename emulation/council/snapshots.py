"""Freezing a round's ranking into an immutable snapshot, verifying it, reopening it."""

import hashlib
import json
from datetime import UTC, datetime

from ..audit import record
from ..extensions import db
from ..models import Dossier, RankingSnapshot, Round, SupplementRequest, User
from ..standings.live import live_ranking
from ..standings.records import table_columns
from .state import CouncilError, active_snapshot, lock_round
from .votes import tally

# 2: the snapshot also keeps the rule file's text and every candidate's points per item (in
# `details`, hashed into the payload), so a frozen round is shown from the snapshot alone.
FORMAT = 2


def canonical_json(data) -> str:
    """JSON with sorted keys and no spaces: the same data always gives the same text."""
    return json.dumps(
        data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    )


def digest(data) -> str:
    """sha256 over the canonical JSON of `data`."""
    return hashlib.sha256(canonical_json(data).encode()).hexdigest()


def live_snapshot(round_: Round) -> tuple[dict, dict]:
    """What freezing now would store: the payload (round, rule file, inputs, results, vote and
    the details' sha256) and the details (every candidate's points per item, column-wise)."""
    ranking = live_ranking(round_)
    results = ranking.results()
    dossier_of = {e.key: e.dossier_id for e in ranking.entries.values()}
    result = ranking.result
    details = json.loads(canonical_json(table_columns(result.details) if result else {}))
    payload = {
        "format": FORMAT,
        "round": {
            "id": round_.id,
            "code": round_.code,
            "name": round_.name,
            "kind": round_.kind,
            "deadline": round_.deadline.astimezone(UTC).isoformat(),
        },
        "rules": {
            "filename": round_.rules_filename,
            "hash": round_.rules_hash,
            "text": round_.rules_text,
        },
        "inputs": ranking.inputs(),
        "results": results,
        "votes": tally(round_, results["results"], dossier_of),
        "details_sha256": digest(details),
    }
    return payload, details


def live_payload(round_: Round) -> dict:
    """What freezing now would store as the payload (see live_snapshot)."""
    return live_snapshot(round_)[0]


def freeze(round_: Round, *, user: User, now: datetime) -> RankingSnapshot:
    """Store the round's ranking, with everything it came from and a hash over all of it."""
    lock_round(round_)
    if active_snapshot(round_) is not None:
        raise CouncilError("frozen")
    # A dossier out for supplement may still come back changed: freezing now would be stale.
    if db.session.scalar(
        db.select(SupplementRequest.id)
        .join(Dossier, SupplementRequest.dossier_id == Dossier.id)
        .where(
            Dossier.round_id == round_.id,
            Dossier.status == "returned",
            SupplementRequest.resolved_at.is_(None),
            SupplementRequest.due_at > now,
        )
        .limit(1)
    ):
        raise CouncilError("returned_open")
    payload, details = live_snapshot(round_)
    if not payload["results"]["results"]:
        raise CouncilError("empty")
    # Stored as the canonical text parsed back, so what is hashed is exactly what is kept.
    payload = json.loads(canonical_json(payload))
    snapshot = RankingSnapshot(
        round_id=round_.id,
        created_at=now,
        created_by_id=user.id,
        rules_hash=round_.rules_hash,
        payload=payload,
        payload_hash=digest(payload),
        details=details,
    )
    db.session.add(snapshot)
    db.session.flush()
    record(
        "ranking_frozen",
        now=now,
        actor=user,
        obj=snapshot,
        details={
            "round": round_.id,
            "payload_hash": snapshot.payload_hash,
            "candidates": len(payload["results"]["results"]),
        },
    )
    return snapshot


def reopen(snapshot: RankingSnapshot, *, reason: str, user: User, now: datetime) -> None:
    """Reopen a frozen ranking so it can change; the snapshot itself stays as it was."""
    if snapshot.reopened_at is not None:
        raise CouncilError("not_frozen")
    if not reason.strip():
        raise CouncilError("reason")
    snapshot.reopened_at = now
    snapshot.reopen_reason = reason.strip()
    db.session.flush()
    record(
        "ranking_reopened",
        now=now,
        actor=user,
        obj=snapshot,
        details={"round": snapshot.round_id, "reason": snapshot.reopen_reason},
    )


def verify(snapshot: RankingSnapshot, *, details: bool = True) -> bool:
    """Whether the stored payload (and, with `details`, the per-item points) still hash to
    what was stored: nothing was altered."""
    if digest(snapshot.payload) != snapshot.payload_hash:
        return False
    if not details or snapshot.details is None:
        return True
    return digest(snapshot.details) == snapshot.payload.get("details_sha256")


def matches_live(snapshot: RankingSnapshot) -> bool:
    """Whether the live data would freeze into exactly this snapshot again."""
    return digest(json.loads(canonical_json(live_payload(snapshot.round)))) == snapshot.payload_hash


def snapshots_of(round_: Round) -> list[RankingSnapshot]:
    """Every snapshot of the round, newest first."""
    return list(
        db.session.execute(
            db.select(RankingSnapshot)
            .filter_by(round_id=round_.id)
            .order_by(RankingSnapshot.id.desc())
        ).scalars()
    )
