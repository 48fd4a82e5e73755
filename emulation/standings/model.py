"""The round's standings as of now: one read model for every page, the API, exports and reports.

A frozen round is shown from its snapshot (records, details, rule set and hash), never scored
again; an open one is ranked live. Row order, the tie policy statement and the comparison with
an earlier review are decided here once.
"""

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from ..extensions import db
from ..lifecycle.freeze import active_snapshot
from ..lifecycle.rules import rules_from_text, rules_of
from ..models import DossierVersion, RankingSnapshot, Round
from ..scoring import ScoreResult
from .live import RoundRanking, engine_round_code, interim_round, live_ranking
from .records import column_records, table_records

UNRANKED = 10**9


def display_order(row: dict, rank_key: str = "rank_overall") -> tuple:
    """How rows are listed: ranked before disqualified, by rank, then higher total, then key."""
    rank = row[rank_key]
    return (
        bool(row["disqualified"]),
        rank if rank is not None else UNRANKED,
        -float(row["total"] or 0),
        row["unit_code"],
    )


def ordered(rows: list, rank_key: str = "rank_overall") -> list:
    """`rows` (result records) in display order by `rank_key`."""
    return sorted(rows, key=lambda r: display_order(r, rank_key))


def grouped(rows: list) -> list[tuple[str, list]]:
    """Rows per ranking group, groups by label, each group in display order by its rank."""
    groups: dict[str, list] = {}
    for row in rows:
        groups.setdefault(row["ranking_group"] or "", []).append(row)
    return [(label, ordered(members, "rank_in_group")) for label, members in sorted(groups.items())]


@dataclass
class Standings:
    """A round's ranking as shown: the frozen snapshot when frozen, else the live ranking."""

    round: Round
    results: dict
    inputs: dict
    snapshot: RankingSnapshot | None = None
    live: RoundRanking | None = field(default=None, repr=False)

    @property
    def frozen(self) -> bool:
        """Whether these are the frozen figures."""
        return self.snapshot is not None

    @property
    def snapshot_hash(self) -> str | None:
        """The frozen snapshot's sha256, or None when live."""
        return self.snapshot.payload_hash if self.snapshot is not None else None

    @property
    def records(self) -> list[dict]:
        """One result record per candidate, in the engine's order."""
        return self.results["results"]

    @property
    def tie_policy(self) -> str:
        """The tie policy statement the ranking was made under."""
        return self.results.get("tie_policy") or ""

    @property
    def empty(self) -> bool:
        """Whether nothing is ranked (no dossier counted yet)."""
        return not self.records

    def ordered(self, rank_key: str = "rank_overall") -> list[dict]:
        """The records in display order."""
        return ordered(self.records, rank_key)

    def grouped(self) -> list[tuple[str, list[dict]]]:
        """The records per ranking group, each in display order."""
        return grouped(self.records)

    def by_key(self) -> dict[str, dict]:
        """The records by candidate key."""
        return {r["unit_code"]: r for r in self.records}

    def dossier_of(self) -> dict[str, int]:
        """Dossier id by candidate key."""
        return {c["key"]: c["dossier_id"] for c in self.inputs.get("candidates", [])}

    @property
    def rules_file(self) -> tuple[str, str]:
        """(file name, sha256) of the rule file the figures were made under."""
        if self.snapshot is not None:
            rules = self.snapshot.payload.get("rules", {})
            return rules.get("filename", ""), rules.get("hash", "")
        return self.round.rules_filename, self.round.rules_hash

    @cached_property
    def rules(self):
        """The rule set the figures were made under (the snapshot's own copy when frozen)."""
        rules = self.snapshot.payload.get("rules", {}) if self.snapshot is not None else {}
        if "text" in rules:
            return rules_from_text(rules["text"], rules["filename"], rules["hash"])
        return rules_of(self.round)

    @cached_property
    def result(self) -> ScoreResult | None:
        """The engine's result: live, or rebuilt from the snapshot's records and details."""
        if self.snapshot is None:
            return self.live.result if self.live is not None else None
        details = self.snapshot.details
        if details is None or not self.records:
            return None  # a snapshot frozen before details were kept: nothing more to show
        rules = self.rules
        table = pd.DataFrame(self.records)
        frame = pd.DataFrame(details)
        for name in ("raw", "points", "rule_points", "max_points"):
            frame[name] = pd.to_numeric(frame[name], errors="coerce").astype(float)
        return ScoreResult(
            rules,
            table,
            frame,
            self.tie_policy,
            engine_round_code(rules, self.round),
            frozen_values(rules, self.inputs, list(table["unit_code"])),
        )

    def detail_records(self) -> list[dict]:
        """One record per candidate and scored item (the snapshot's when frozen)."""
        if self.snapshot is not None:
            return column_records(self.snapshot.details or {})
        result = self.result
        return table_records(result.details) if result is not None else []


def frozen_values(rules, inputs: dict, keys: list[str]) -> pd.DataFrame:
    """The values each frozen candidate was ranked by, read back from its immutable version."""
    columns = list(dict.fromkeys(c for item in rules.scored_items for c in item.columns))
    wanted = {(c["dossier_id"], c["version"]): c["key"] for c in inputs.get("candidates", [])}
    values: dict[str, dict] = {}
    if wanted:
        versions = db.session.execute(
            db.select(DossierVersion.dossier_id, DossierVersion.number, DossierVersion.payload)
            .where(DossierVersion.dossier_id.in_({d for d, _n in wanted}))
        )
        for dossier_id, number, payload in versions:
            key = wanted.get((dossier_id, number))
            if key is not None:
                values[key] = payload.get("values", {})
    rows = [
        {"unit_code": key, **{c: values.get(key, {}).get(c, np.nan) for c in columns}}
        for key in keys
    ]
    return pd.DataFrame(rows, columns=["unit_code", *columns])


def standings_of(round_: Round) -> Standings:
    """The round's standings as of now (RuleError when its live data cannot be ranked)."""
    snapshot = active_snapshot(round_)
    if snapshot is not None:
        payload = snapshot.payload
        return Standings(round_, payload["results"], payload["inputs"], snapshot)
    ranking = live_ranking(round_)
    return Standings(round_, ranking.results(), ranking.inputs(), None, ranking)


def earlier_standings(round_: Round) -> Standings | None:
    """For a final round, the standings of its interim review (frozen ones if frozen)."""
    previous = interim_round(round_)
    return standings_of(previous) if previous is not None else None
