"""What every council document needs: the issuer, the awardees by award, summaries, dates.

Official documents are always written in Vietnamese, whatever the interface language, so
their text is not translated.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from ..scoring.authority import Issuer
from ..timefmt import to_local
from .decree30 import count_phrase, vn_date, vn_number

BLANK = "……"


def issuer_of(rules, movement) -> Issuer:
    """The rule file's [issuer], or one made from the movement's organisation with blanks."""
    if rules.issuer is not None:
        return rules.issuer
    return Issuer(name=movement.organisation, symbol=BLANK, signer_authority="THỦ TRƯỞNG")


def place_date(place: str, day: date) -> str:
    """'Đà Nẵng, ngày 10 tháng 10 năm 2025'."""
    return f"{place or BLANK}, {vn_date(day)}"


def held_at(payload: dict) -> datetime:
    """When the council met, in local time."""
    return to_local(datetime.fromisoformat(payload["votes"]["meeting"]["held_at"]))


@dataclass
class Awardee:
    """A candidate the council voted on, with what the documents say of them."""

    key: str
    name: str
    kind: str
    group: str
    total: float | None
    band: str
    rank: int | None
    agree: int
    eligible: int
    passed: bool
    award_code: str
    award_name: str

    def summary(self, max_total: float) -> str:
        """Achievements in one sentence: points, band and rank in its group."""
        parts = []
        if self.total is not None:
            parts.append(f"tổng điểm {vn_number(self.total)}/{vn_number(max_total)}")
        if self.band:
            parts.append(f"xếp loại {self.band}")
        if self.rank:
            parts.append(f"xếp thứ {self.rank} trong {self.group}")
        text = ", ".join(parts)
        return text[:1].upper() + text[1:] + "." if parts else ""

    def vote_text(self) -> str:
        """'4/5 (80%)' of the members who could vote agreed."""
        share = round(100 * self.agree / self.eligible) if self.eligible else 0
        return f"{self.agree}/{self.eligible} ({share}%)"


def awardees(
    payload: dict, rules, *, passed_only: bool = True, people: dict[str, str] | None = None
) -> list[tuple[object, list]]:
    """(award tier, awardees) in the rule file's order; collectives before individuals.

    `people` names individuals in full by their key ('Nguyễn Thị Lan, Kiểm sát viên, VKSND …').
    """
    people = people or payload.get("people") or {}
    rows = {r["unit_code"]: r for r in payload["results"]["results"]}
    by_code: dict[str, list[Awardee]] = {}
    for c in (payload.get("votes") or {}).get("candidates", []):
        if passed_only and not c["passed"]:
            continue
        row = rows.get(c["key"], {})
        by_code.setdefault(c["award_code"], []).append(
            Awardee(
                key=c["key"], name=people.get(c["key"], c["name"]),
                kind=row.get("kind", "collective"),
                group=row.get("ranking_group") or "", total=row.get("total"),
                band=row.get("band") or "", rank=row.get("rank_in_group"),
                agree=c["agree"], eligible=c["eligible"], passed=c["passed"],
                award_code=c["award_code"], award_name=c["award_tier"],
            )
        )  # fmt: skip
    out = []
    for tier in rules.awards:
        chosen = by_code.pop(tier.code, [])
        if chosen:
            chosen.sort(key=lambda a: (a.kind != "collective", a.group, a.rank or 0, a.name))
            out.append((tier, chosen))
    return out


def counted(people: list[Awardee]) -> str:
    """'5 tập thể', '2 cá nhân', '3 tập thể và 2 cá nhân'."""
    collectives = sum(1 for a in people if a.kind == "collective")
    return count_phrase(collectives, len(people) - collectives)


def grant_verb(tier) -> str:
    """'Công nhận danh hiệu “…”' for a title, 'Tặng …' for a form of award."""
    return f"Công nhận danh hiệu “{tier.name}”" if tier.category == "title" else f"Tặng {tier.name}"


def higher_bodies(payload: dict, rules) -> list[str]:
    """The bodies awards the council passed are to be proposed to, in rule-file order."""
    seen: list[str] = []
    for tier, _people in awardees(payload, rules):
        if not tier.is_own and tier.proposed_to not in seen:
            seen.append(tier.proposed_to)
    return seen
