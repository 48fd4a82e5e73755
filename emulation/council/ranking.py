"""The live ranking of a round: submitted dossiers and finished reviews in, engine result out."""

from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import pandas as pd

from ..dossiers.scoring import NO_CLUSTER, rules_of
from ..extensions import db
from ..models import (
    Adjustment,
    Candidate,
    Cluster,
    Dossier,
    DossierVersion,
    IndicatorValue,
    Review,
    Round,
    SupplementRequest,
    Unit,
    User,
)
from ..scoring import aggregate_reviews, score
from ..scoring.explain import json_safe, result_as_dict
from ..scoring.values import META_COLUMNS, validate_values, value_columns


@dataclass(frozen=True)
class Entry:
    """A submitted dossier as the ranking sees it."""

    key: str
    dossier_id: int
    unit_id: int
    name: str
    version: int
    receipt_no: str
    content_hash: str
    submitted_at: datetime

    def as_input(self) -> dict:
        """The entry as JSON data for a snapshot's inputs."""
        return {
            "key": self.key,
            "dossier_id": self.dossier_id,
            "version": self.version,
            "receipt_no": self.receipt_no,
            "content_hash": self.content_hash,
            "counted_submitted_at": self.submitted_at.isoformat(),
        }


@dataclass
class RoundRanking:
    """Everything the ranking of one round is computed from, and the engine's result."""

    round: Round
    rules: object
    entries: dict[str, Entry]
    result: object | None
    review_points: list[dict] = field(default_factory=list)
    council_points: list[dict] = field(default_factory=list)
    excluded: list[dict] = field(default_factory=list)

    @property
    def by_dossier(self) -> dict[int, Entry]:
        """Entries by dossier id."""
        return {e.dossier_id: e for e in self.entries.values()}

    def results(self) -> dict:
        """The engine's result as JSON data (rules identity, tie policy, one record per row)."""
        if self.result is None:
            return {"results": [], "tie_policy": "", "groups": []}
        return result_as_dict(self.result)

    def inputs(self) -> dict:
        """What the ranking was computed from, as JSON data in a stable order."""
        return {
            "candidates": [self.entries[k].as_input() for k in sorted(self.entries)],
            "review_points": self.review_points,
            "council_points": self.council_points,
            "excluded": self.excluded,
        }


def engine_round_code(rules, round_: Round) -> str | None:
    """The round's code if the rule file knows it (so deadlines and tier rounds apply)."""
    return round_.code if round_.code in {r.code for r in rules.rounds} else None


def counted_time(versions: list, resolved: set, deadline: datetime) -> datetime:
    """When the dossier counts as submitted, for the deadline and the 'earlier' tie-break.

    A version sent in answer to a council request for supplement keeps the time of the
    submission it supplements; one sent on time under an extension counts as at the deadline.
    """
    own = [v for v in versions if v.submitted_at not in resolved] or versions[:1]
    chosen = own[-1]
    if not chosen.late and chosen.submitted_at > deadline:
        return deadline
    return chosen.submitted_at


def _submitted(round_id: int):
    return db.select(Dossier.id).where(Dossier.round_id == round_id, Dossier.status == "submitted")


def load_entries(round_: Round, rules) -> tuple[dict[str, Entry], pd.DataFrame]:
    """The round's submitted dossiers and their VALUES frame (a few set-based queries)."""
    ids = _submitted(round_.id)
    heads = db.session.execute(
        db.select(Dossier.id, Candidate.id, Candidate.kind, Candidate.person_name, Unit.id)
        .add_columns(Unit.code, Unit.name, Cluster.name)
        .join(Candidate, Dossier.candidate_id == Candidate.id)
        .join(Unit, Candidate.unit_id == Unit.id)
        .outerjoin(Cluster, Unit.cluster_id == Cluster.id)
        .where(Dossier.id.in_(ids))
    ).all()
    versions: dict[int, list] = {}
    for v in db.session.execute(
        db.select(
            DossierVersion.dossier_id,
            DossierVersion.number,
            DossierVersion.submitted_at,
            DossierVersion.late,
            DossierVersion.receipt_no,
            DossierVersion.content_hash,
        )
        .where(DossierVersion.dossier_id.in_(ids))
        .order_by(DossierVersion.dossier_id, DossierVersion.number)
    ):
        versions.setdefault(v.dossier_id, []).append(v)
    resolved: dict[int, set] = {}
    for dossier_id, at in db.session.execute(
        db.select(SupplementRequest.dossier_id, SupplementRequest.resolved_at).where(
            SupplementRequest.dossier_id.in_(ids), SupplementRequest.resolved_at.is_not(None)
        )
    ):
        resolved.setdefault(dossier_id, set()).add(at)
    entries, rows, key_of = {}, [], {}
    for dossier_id, cand_id, kind, person, unit_id, code, unit_name, cluster in heads:
        key = code if kind == "collective" else f"{code}/{cand_id}"
        mine = versions.get(dossier_id)
        if not mine:
            continue
        at = counted_time(mine, resolved.get(dossier_id, set()), round_.deadline)
        latest = mine[-1]
        name = unit_name if kind == "collective" else person
        entries[key] = Entry(
            key, dossier_id, unit_id, name, latest.number, latest.receipt_no,
            latest.content_hash, at,
        )  # fmt: skip
        key_of[dossier_id] = key
        rows.append(
            {
                "unit_code": key,
                "unit_name": name,
                "cluster": cluster or NO_CLUSTER,
                "kind": kind,
                "submitted_at": at,
            }
        )
    columns = [c for c in META_COLUMNS if c != "complete"]
    frame = pd.DataFrame(rows, columns=columns)
    names = [c.name for c in value_columns(rules)]
    wide = _values_frame(ids, key_of, names)
    frame = frame.merge(wide, how="left", left_on="unit_code", right_index=True)
    frame = frame.sort_values("unit_code", kind="stable").reset_index(drop=True)
    frame["submitted_at"] = pd.to_datetime(frame["submitted_at"], utc=True)
    return entries, validate_values(frame, rules, source="dossiers")


def _values_frame(ids, key_of: dict[int, str], names: list[str]) -> pd.DataFrame:
    records = db.session.execute(
        db.select(
            IndicatorValue.dossier_id,
            IndicatorValue.column,
            IndicatorValue.value,
            IndicatorValue.text_value,
        ).where(IndicatorValue.dossier_id.in_(ids))
    ).all()
    data = pd.DataFrame(records, columns=["dossier_id", "column", "value", "text"])
    data = data[data["column"].isin(names) & data["dossier_id"].isin(list(key_of))]
    data["key"] = data["dossier_id"].map(key_of)
    data["cell"] = data["text"].astype(object).where(data["text"].notna(), data["value"])
    wide = data.pivot(index="key", columns="column", values="cell")
    return wide.reindex(columns=names).astype(object)


def _reviews(round_id: int):
    reviews = db.session.execute(
        db.select(Review.id, Review.dossier_id, Review.reviewer_id, Review.status, User.full_name)
        .join(User, Review.reviewer_id == User.id)
        .join(Dossier, Review.dossier_id == Dossier.id)
        .where(Dossier.round_id == round_id)
        .order_by(Review.id)
    ).all()
    latest: dict[tuple[int, str], tuple] = {}
    for review_id, code, points, reason in db.session.execute(
        db.select(Adjustment.review_id, Adjustment.indicator_code, Adjustment.points)
        .add_columns(Adjustment.reason)
        .join(Review, Adjustment.review_id == Review.id)
        .join(Dossier, Review.dossier_id == Dossier.id)
        .where(Dossier.round_id == round_id)
        .order_by(Adjustment.id)
    ):
        latest[(review_id, code)] = (points, reason)
    return reviews, latest


def _review_points(rules, entries, reviews, latest, rule_points) -> list[dict]:
    """Each finished reviewer's points for every indicator some finished reviewer adjusted.

    A finished reviewer who left an adjusted indicator alone accepts the computed points;
    for a 'manual' indicator there are no computed points, so only given points count.
    """
    by_dossier = {e.dossier_id: e.key for e in entries.values()}
    done = [r for r in reviews if r.status == "done" and r.dossier_id in by_dossier]
    codes_of: dict[int, set] = {}
    for review_id, code in latest:
        codes_of.setdefault(review_id, set()).add(code)
    adjusted = sorted({(r.dossier_id, c) for r in done for c in codes_of.get(r.id, ())})
    done_of: dict[int, list] = {}
    for review in done:
        done_of.setdefault(review.dossier_id, []).append(review)
    rows = []
    for dossier_id, code in adjusted:
        key = by_dossier[dossier_id]
        manual = rules.indicator(code).method == "manual"
        for review in done_of[dossier_id]:
            given = latest.get((review.id, code))
            if given is None and manual:
                continue
            rows.append(
                {
                    "unit_code": key,
                    "indicator_code": code,
                    "reviewer_id": review.reviewer_id,
                    "reviewer": review.full_name,
                    "points": float(given[0]) if given else rule_points(key, code),
                    "reason": given[1] if given else None,
                }
            )
    return rows


def _rule_points_lookup(result):
    keys = {k: i for i, k in enumerate(result.table["unit_code"].to_numpy(dtype=object))}
    items = {item.code: j for j, item in enumerate(result.rules.scored_items)}
    points = result.details["rule_points"].to_numpy(dtype=float)
    k = len(items)

    def lookup(key: str, code: str) -> float:
        return float(points[keys[key] * k + items[code]])

    return lookup


def live_ranking(round_: Round) -> RoundRanking:
    """Rank the round now: the council's aggregated points where given, else the computed ones."""
    rules = rules_of(round_)
    entries, frame = load_entries(round_, rules)
    excluded = [
        {"dossier_id": d.id, "status": d.status}
        for d in db.session.execute(
            db.select(Dossier).where(Dossier.round_id == round_.id, Dossier.status == "returned")
        ).scalars()
    ]
    ranking = RoundRanking(round_, rules, entries, None, excluded=excluded)
    if not entries:
        return ranking
    code = engine_round_code(rules, round_)
    result = score(rules, frame, round_code=code)
    reviews, latest = _reviews(round_.id)
    rows = _review_points(rules, entries, reviews, latest, _rule_points_lookup(result))
    if rows:
        combined = aggregate_reviews(rules, pd.DataFrame(rows))
        result = score(rules, frame, manual_points=combined, round_code=code)
        ranking.council_points = [
            {
                "unit_code": r.unit_code,
                "indicator_code": r.indicator_code,
                "points": float(r.points),
                "reviewers": int(r.reviewers),
            }
            for r in combined.itertuples(index=False)
        ]
    ranking.review_points = rows
    ranking.result = result
    return ranking


def interim_round(round_: Round) -> Round | None:
    """For a final round, the latest interim round of the same movement before it."""
    if round_.kind != "final":
        return None
    earlier = [
        r
        for r in round_.movement.rounds
        if r.kind == "interim" and r.deadline < round_.deadline and r.id != round_.id
    ]
    return max(earlier, key=lambda r: r.deadline) if earlier else None


def standing(records: list[dict]) -> dict[str, dict]:
    """Total, band and ranks by candidate key, for comparing two rounds."""
    return {
        r["unit_code"]: {
            "total": r["total"],
            "rank_in_group": r["rank_in_group"],
            "rank_overall": r["rank_overall"],
            "band": r["band"],
        }
        for r in records
    }


def explanation(ranking: RoundRanking, key: str) -> dict:
    """The engine's full explanation of one candidate's points."""
    return json_safe(ranking.result.explain(key))


def rule_points_of(ranking: RoundRanking, key: str) -> dict[str, dict]:
    """Per item of one candidate: computed points, counted points, max and note."""
    details = ranking.result.details
    mask = details["unit_code"].to_numpy(dtype=object) == key
    block = details[mask]
    return {
        str(d["indicator_code"]): {
            "rule_points": float(d["rule_points"]),
            "points": float(d["points"]),
            "max_points": float(d["max_points"]),
            "note": str(d["note"]),
            "raw": None if np.isnan(d["raw"]) else float(d["raw"]),
            "raw_text": d["raw_text"] if isinstance(d["raw_text"], str) else None,
        }
        for d in block.to_dict("records")
    }
