"""The live ranking of a round: submitted dossiers and finished reviews in, engine result out."""

import threading
from collections import OrderedDict
from copy import deepcopy
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..extensions import db
from ..lifecycle.rules import rules_of
from ..models import Dossier, Round
from ..scoring import aggregate_reviews, score
from ..scoring.explain import json_safe, result_as_dict
from . import dossier_values
from .freshness import RankingKey, commit_mark, ranking_key
from .loading import _VALUES_CACHE, Entry, load_entries, reviews_of
from .records import table_records
from .scored import clear as clear_scored
from .scored import scored


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
    # shared with every ranking of the same inputs (standings.scored): records made once
    memo: dict = field(default_factory=dict, repr=False)

    @property
    def by_dossier(self) -> dict[int, Entry]:
        """Entries by dossier id."""
        return {e.dossier_id: e for e in self.entries.values()}

    def results(self) -> dict:
        """The engine's result as JSON data (rules identity, tie policy, one record per row)."""
        if self.result is None:
            return {"results": [], "tie_policy": "", "groups": []}
        # The engine's own conversion for everything but the rows, which are converted in bulk.
        if "results" not in self.memo:
            data = result_as_dict(self.result.with_table(self.result.table.iloc[:0]))
            data["results"] = table_records(self.result.table)
            self.memo["results"] = data
        data = self.memo["results"]
        # Copies: callers may change what they are given, never the shared records (whose
        # values are plain numbers and texts).
        head = deepcopy({k: v for k, v in data.items() if k != "results"})
        return {**head, "results": [dict(r) for r in data["results"]]}

    def inputs(self) -> dict:
        """What the ranking was computed from, as JSON data in a stable order."""
        return {
            "candidates": [self.entries[k].as_input() for k in sorted(self.entries)],
            # Copies: the lists are shared with every ranking of the same inputs.
            "review_points": [dict(r) for r in self.review_points],
            "council_points": [dict(r) for r in self.council_points],
            "excluded": [dict(r) for r in self.excluded],
        }


def engine_round_code(rules, round_: Round) -> str | None:
    """The round's code if the rule file knows it (so deadlines and tier rounds apply)."""
    return round_.code if round_.code in {r.code for r in rules.rounds} else None


def _review_points(rules, entries, reviews, latest, rule_points) -> list[dict]:
    """Each finished reviewer's points for every indicator some finished reviewer adjusted.

    A finished reviewer who left an adjusted indicator alone accepts the computed points;
    for a 'manual' indicator there are no computed points, so only given points count.
    """
    by_dossier = {e.dossier_id: e.key for e in entries.values()}
    done = [r for r in reviews if r[1] in by_dossier]
    manual_codes = {i.code for i in rules.scored_items if i.method == "manual"}
    dossier_of_review = {review_id: dossier_id for review_id, dossier_id, _r, _n in done}
    adjusted = sorted(
        {(dossier_of_review[rid], code) for rid, code in latest if rid in dossier_of_review}
    )
    done_of: dict[int, tuple] = {}
    for review in done:
        done_of[review[1]] = (*done_of.get(review[1], ()), review)
    rows = []
    for dossier_id, code in adjusted:
        key = by_dossier[dossier_id]
        manual = code in manual_codes
        for review_id, _dossier, reviewer_id, name in done_of[dossier_id]:
            given = latest.get((review_id, code))
            if given is None and manual:
                continue
            rows.append(
                {
                    "unit_code": key,
                    "indicator_code": code,
                    "reviewer_id": reviewer_id,
                    "reviewer": name,
                    "points": float(given[0]) if given else rule_points(key, code),
                    "reason": given[1] if given else None,
                }
            )
    return rows


def _rule_points_lookup(score_once):
    """Computed points by (candidate, item); scores the round only if a point is asked for."""
    cache = {}

    def lookup(key: str, code: str) -> float:
        """The computed points of one item of one candidate."""
        lookup.used = True
        if not cache:
            result = score_once()
            cache["keys"] = {
                k: i for i, k in enumerate(result.table["unit_code"].to_numpy(dtype=object))
            }
            cache["items"] = {item.code: j for j, item in enumerate(result.rules.scored_items)}
            cache["points"] = result.details["rule_points"].to_numpy(dtype=float)
        k = len(cache["items"])
        return float(cache["points"][cache["keys"][key] * k + cache["items"][code]])

    lookup.used = False
    return lookup


CACHE_SIZE = 4
_RANKINGS: OrderedDict[tuple, tuple] = OrderedDict()
_POINTS: OrderedDict[tuple, tuple] = OrderedDict()
_LOCK = threading.Lock()


def live_ranking(round_: Round) -> RoundRanking:
    """Rank the round now: the council's aggregated points where given, else the computed ones.

    A ranking built from the same inputs (standings.freshness: read from the database on every
    call, so a change committed by any server counts at once) is reused, not built again.
    """
    rules = rules_of(round_)
    mark = commit_mark()
    key = ranking_key(round_, rules)
    with _LOCK:
        parts = _RANKINGS.get(key)
        if parts is not None:
            _RANKINGS.move_to_end(key)
    if parts is None:
        ranking, points_key, points = _rank(round_, rules, key)
        parts = (ranking.entries, ranking.result, ranking.review_points,
                 ranking.council_points, ranking.excluded, ranking.memo)  # fmt: skip
        # Kept only if nothing changed while it was built (each query sees the latest
        # commit): else it would be kept under a key it does not match.
        unchanged = mark is not None and commit_mark() == mark
        if unchanged or ranking_key(round_, rules) == key:
            with _LOCK:
                _RANKINGS[key] = parts
                while len(_RANKINGS) > CACHE_SIZE:
                    _RANKINGS.popitem(last=False)
                if points_key is not None:
                    _POINTS[points_key] = points
                    while len(_POINTS) > CACHE_SIZE:
                        _POINTS.popitem(last=False)
    entries, result, review_points, council_points, excluded, memo = parts
    return RoundRanking(
        round_, rules, entries, result, review_points, council_points, excluded, memo
    )


def clear_cache() -> None:
    """Forget every reused ranking, engine result and values (tests, benchmarks, repairs)."""
    with _LOCK:
        _RANKINGS.clear()
        _POINTS.clear()
    clear_scored()
    _VALUES_CACHE.clear()
    dossier_values.clear()


def _rank(round_: Round, rules, key: RankingKey) -> tuple[RoundRanking, tuple | None, tuple]:
    """The round's ranking built from its dossiers and finished reviews, and the council's
    points with the key to keep them under (None when they may not be reused)."""
    entries, frame = load_entries(round_, rules)
    excluded = [
        {"dossier_id": d.id, "status": d.status}
        for d in db.session.execute(
            db.select(Dossier).where(Dossier.round_id == round_.id, Dossier.status == "returned")
        ).scalars()
    ]
    ranking = RoundRanking(round_, rules, entries, None, excluded=excluded)
    if not entries:
        return ranking, None, ()
    code = engine_round_code(rules, round_)
    # Rule points do not depend on council points, so one plain scoring serves the lookups.
    # Lateness was decided when each version arrived (extensions, supplements included).
    on_time = [entries[k].on_time for k in frame["unit_code"].to_numpy(dtype=object).tolist()]
    lookup = _rule_points_lookup(lambda: score(rules, frame, round_code=code, on_time=on_time))
    # The council's points depend on the finished reviews, their points and which dossier
    # each candidate key stands for; they are reused while those are unchanged, unless a
    # reviewer's silence had to be filled with computed points (those depend on the values).
    mapping = tuple((e.dossier_id, e.key) for e in entries.values())
    points_key = (key.settings, key.reviews, key.adjustments, mapping)
    with _LOCK:
        points = _POINTS.get(points_key)
    if points is None:
        points = _council_points(rules, round_, entries, lookup)
        if lookup.used:
            points_key = None
    rows, combined, ranking.council_points = points
    result, ranking.memo = scored(
        rules, round_.rules_hash or "", frame, manual_points=combined, round_code=code,
        on_time=on_time,
    )  # fmt: skip
    ranking.review_points = rows
    ranking.result = result
    return ranking, points_key, points


def _council_points(rules, round_: Round, entries, lookup) -> tuple:
    """(each finished reviewer's points, their combination, the combination as records)."""
    reviews, latest = reviews_of(round_.id)
    rows = _review_points(rules, entries, reviews, latest, lookup)
    if not rows:
        return rows, None, []
    # Built column by column: the combination reads these three only, and a frame made from
    # thousands of dicts costs more than the combination itself.
    combined = aggregate_reviews(
        rules,
        pd.DataFrame({c: [r[c] for r in rows] for c in ("unit_code", "indicator_code", "points")}),
    )
    # Whole columns as Python values: iterating text columns cell by cell is slow.
    columns = [
        combined[c].to_numpy(dtype=t).tolist()
        for c, t in (("unit_code", object), ("indicator_code", object), ("points", float))
    ]
    council_points = [
        {"unit_code": u, "indicator_code": i, "points": p, "reviewers": int(n)}
        for u, i, p, n in zip(*columns, combined["reviewers"].tolist(), strict=True)
    ]
    return rows, combined, council_points


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
