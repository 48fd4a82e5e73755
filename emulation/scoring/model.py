"""The loaded rule set: plain frozen objects the engine and the app read."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from fractions import Fraction
from functools import cached_property
from typing import Any

from .formula import Expression


@dataclass(frozen=True)
class MovementSpec:
    """The emulation movement (phong trào thi đua) a rule file belongs to."""

    code: str
    name: str
    organisation: str
    place: str
    starts_on: date | None = None
    ends_on: date | None = None
    timezone: str = "Asia/Ho_Chi_Minh"
    description: str = ""


@dataclass(frozen=True)
class RoundSpec:
    """A review round (sơ kết / tổng kết) with its exact submission deadline."""

    code: str
    kind: str
    name: str
    opens_at: datetime
    deadline: datetime
    grace: timedelta = timedelta(0)
    late_policy: str = "reject"
    award_date: date | None = None
    # How long before the deadline units are reminded (empty: the configured default).
    reminders: tuple[timedelta, ...] = ()
    # The unit head must confirm the exact dossier before it is submitted.
    head_confirmation: bool = False

    @property
    def closes_at(self) -> datetime:
        """Last instant a submission is accepted at all: the deadline plus the grace window.

        Where an instant falls is decided by scoring.deadline.window_state; this is data.
        """
        try:
            return self.deadline + self.grace
        except OverflowError:  # a deadline at the calendar's end: nothing comes after it
            return datetime.max.replace(tzinfo=self.deadline.tzinfo)


@dataclass(frozen=True)
class Indicator:
    """A scored item: an indicator of a criterion, or a bonus / penalty item."""

    code: str
    name: str
    max_points: float
    method: str
    params: dict[str, Any]
    unit: str = ""
    evidence: list[str] = field(default_factory=list)
    group_code: str = ""
    criterion_code: str = ""
    section: str = "indicator"
    data_source: str = ""
    verified_by: str = ""
    description: str = ""
    columns: tuple[str, ...] = ()
    registrable: bool = False
    config: Any = field(default=None, repr=False, compare=False)
    expression: Expression | None = field(default=None, repr=False, compare=False)


@dataclass(frozen=True)
class Criterion:
    """A criterion (tiêu chí) holding indicators."""

    code: str
    name: str
    max_points: float
    group_code: str
    indicators: list[Indicator]


@dataclass(frozen=True)
class Group:
    """A criterion group; the result table has one points column per group."""

    code: str
    name: str
    max_points: float
    criteria: list[Criterion]

    @property
    def indicators(self) -> list[Indicator]:
        """Indicators of this group in file order."""
        return [i for c in self.criteria for i in c.indicators]


@dataclass(frozen=True)
class InputColumn:
    """An extra VALUES column used by formulas, bonus or disqualifier conditions."""

    code: str
    name: str
    type: str = "number"
    unit: str = ""
    required: bool = False


@dataclass(frozen=True)
class Disqualifier:
    """A condition that excludes a candidate from ranking and awards, with its reason."""

    code: str
    reason: str
    when: str
    expression: Expression = field(repr=False, compare=False, default=None)  # type: ignore[assignment]


@dataclass(frozen=True)
class Band:
    """A classification band (xếp loại) reached from `min_total` points."""

    code: str
    name: str
    min_total: float


@dataclass(frozen=True)
class Ranking:
    """How candidates are grouped and how ties are handled."""

    group_by: list[str]
    tie_policy: str = "shared"
    tie_break: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Quota:
    """How many candidates a tier may take: a count or a percent, per group or overall."""

    count: int | None = None
    percent: float | None = None
    per: str = "overall"
    ties: str = "exclude"


@dataclass(frozen=True)
class AwardTier:
    """An award tier (Bằng khen, Giấy khen, ...) with eligibility and quota."""

    code: str
    name: str
    min_band: str | None = None
    min_total: float | None = None
    kinds: list[str] = field(default_factory=lambda: ["collective", "individual"])
    rounds: list[str] = field(default_factory=list)
    require_complete: bool = True
    require_on_time: bool = True
    quota: Quota | None = None
    category: str = "form"
    authority: str = "own"
    proposed_to: str | None = None
    conditions: tuple = ()
    pass_threshold: Fraction | None = None
    pass_rule: str | None = None

    @property
    def is_own(self) -> bool:
        """True when this council's head grants the award (a decision is issued here)."""
        return self.authority == "own"


@dataclass(frozen=True)
class Council:
    """Council settings kept as data for the app: aggregation, quorum, pass threshold."""

    aggregation: str = "median"
    members: int | None = None
    quorum: Fraction = Fraction(2, 3)
    pass_threshold: Fraction = Fraction(1, 2)
    pass_rule: str = "greater"
    publish_results: bool = False


@dataclass(frozen=True)
class ScoringSettings:
    """Rounding and caps that apply to the whole rule set."""

    max_total: float
    points_decimals: int = 2
    index_decimals: int = 4
    # "exact": sums add the exact points and only shown figures are rounded;
    # "rounded_items": sums add the rounded item points, as a hand-kept score sheet does
    sums: str = "exact"
    # bonus may take a total above max_total unless the rule file caps it
    cap_total: bool = False
    bonus_cap: float | None = None
    penalty_cap: float | None = None


@dataclass(frozen=True)
class Registration:
    """Emulation registration (đăng ký thi đua): its window, titles and penalty."""

    deadline: datetime
    opens_at: datetime | None = None
    titles: list[tuple[str, str]] = field(default_factory=list)
    penalty: float = 0.0
    penalty_name: str = "Không đăng ký thi đua"
    reminders: tuple[timedelta, ...] = ()


@dataclass(frozen=True)
class RuleSet:
    """A validated rule file: movement, rounds, criteria tree, ranking and awards."""

    source: str
    content_hash: str
    movement: MovementSpec
    rounds: list[RoundSpec]
    documents: list[tuple[str, str, bool]]
    council: Council
    scoring: ScoringSettings
    inputs: list[InputColumn]
    groups: list[Group]
    bonus: list[Indicator]
    penalties: list[Indicator]
    disqualifiers: list[Disqualifier]
    bands: list[Band]
    ranking: Ranking
    awards: list[AwardTier]
    registration: Registration | None = None
    issuer: Any = None
    # [initiatives]: indicator filled from the register, its level floor, shared counting.
    initiatives: Any = None
    # Codes of documents whose PDF must carry a valid digital signature.
    signed_documents: tuple[str, ...] = ()

    def award(self, code: str) -> AwardTier:
        """Return the award tier with this code (KeyError if none)."""
        for tier in self.awards:
            if tier.code == code:
                return tier
        raise KeyError(code)

    def pass_rule_of(self, code: str | None) -> tuple[Fraction, str]:
        """The vote threshold and rule for an award: its own, else the council's."""
        tier = next((a for a in self.awards if a.code == code), None)
        threshold = tier.pass_threshold if tier and tier.pass_threshold else None
        rule = tier.pass_rule if tier and tier.pass_rule else None
        return (
            threshold or self.council.pass_threshold,
            rule or self.council.pass_rule,
        )

    @property
    def registrable(self) -> list[Indicator]:
        """Indicators for which units register their own target."""
        return [i for i in self.indicators if i.registrable]

    @property
    def indicators(self) -> list[Indicator]:
        """All indicators of the criteria tree, in file order."""
        return [i for g in self.groups for i in g.indicators]

    @property
    def scored_items(self) -> list[Indicator]:
        """Indicators, then bonus items, then penalty items."""
        return self.indicators + self.bonus + self.penalties

    @property
    def required_documents(self) -> list[tuple[str, str]]:
        """(code, name) of the documents every dossier must include."""
        return [(code, name) for code, name, required in self.documents if required]

    @property
    def aggregation(self) -> str:
        """How several reviewers' points are combined: 'mean' or 'median'."""
        return self.council.aggregation

    @cached_property
    def _items_by_code(self) -> dict[str, Indicator]:
        # Looked up tens of thousands of times per ranking (once per council point).
        return {item.code: item for item in self.scored_items}

    def indicator(self, code: str) -> Indicator:
        """Return the indicator, bonus or penalty item with this code (KeyError if none)."""
        try:
            return self._items_by_code[code]
        except KeyError:
            raise KeyError(code) from None

    def round(self, code: str) -> RoundSpec:
        """Return the round with this code (KeyError if none)."""
        for spec in self.rounds:
            if spec.code == code:
                return spec
        raise KeyError(code)

    def group(self, code: str) -> Group:
        """Return the group with this code (KeyError if none)."""
        for g in self.groups:
            if g.code == code:
                return g
        raise KeyError(code)
