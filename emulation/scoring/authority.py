"""Award authority in a rule file: who grants each award, its conditions, the issuing body.

An award is either granted by this council's head (`authority = "own"`: the decision is issued
here) or only proposed to a named higher body (`authority = "higher"`: a proposal letter goes up).
Conditions are data: an unbroken run of a title in past years, recognised initiatives, or (for a
collective) a share of its members holding a title. `unmet_conditions` evaluates them against a
candidate's facts; it is pure, so the app gives it the history and initiatives it has recorded.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .messages import suggest
from .schema import HistoryCondition, InitiativeCondition, IssuerModel, parse_fraction

AUTHORITIES = ("own", "higher")
CATEGORIES = ("title", "form")
# Levels of the decision that recognised an initiative, lowest first.
INITIATIVE_LEVELS = ("unit", "provincial", "sector", "national")
INITIATIVE_LEVEL_NAMES = {
    "unit": "cấp cơ sở",
    "provincial": "cấp tỉnh",
    "sector": "cấp Ngành",
    "national": "cấp toàn quốc",
}


@dataclass(frozen=True)
class Issuer:
    """The issuing body, its symbol, signer, legal bases and recipients of its decisions."""

    name: str
    symbol: str
    superior: str = ""
    head_title: str = "Viện trưởng"
    signer_authority: str = "VIỆN TRƯỞNG"
    signer_position: str = ""
    signer_name: str = ""
    council_chair: str = ""
    council_secretary: str = ""
    legal_bases: tuple[str, ...] = ()
    recipients: tuple[str, ...] = ()
    long_list: int = 10
    certificate: object = None


@dataclass(frozen=True)
class AwardCondition:
    """One condition of an award, as loaded."""

    type: str
    award: str = ""
    years: int = 0
    count: int = 0
    min_level: str = "unit"
    share: object = None
    rule: str = "at_least"


@dataclass
class CandidateFacts:
    """What the app knows of a candidate for the conditions: history, initiatives, members."""

    year: int
    history: dict[int, set[str]] = field(default_factory=dict)
    initiative_levels: list[str] = field(default_factory=list)
    members: int = 0
    members_with: dict[str, int] = field(default_factory=dict)


def build_issuer(model: IssuerModel | None) -> Issuer | None:
    """The loaded [issuer] table."""
    if model is None:
        return None
    s = model.signer
    return Issuer(
        model.name, model.symbol, model.superior, model.head_title, s.authority, s.position,
        s.name, model.council_chair, model.council_secretary, tuple(model.legal_bases),
        tuple(model.recipients), model.long_list, model.certificate,
    )  # fmt: skip


def build_conditions(models) -> tuple[AwardCondition, ...]:
    """Loaded conditions of one award."""
    out = []
    for c in models:
        if isinstance(c, HistoryCondition):
            out.append(AwardCondition("history", award=c.award, years=c.years))
        elif isinstance(c, InitiativeCondition):
            out.append(AwardCondition("initiative", count=c.count, min_level=c.min_level))
        else:
            share = parse_fraction(c.share)
            out.append(AwardCondition("members", award=c.award, share=share, rule=c.rule))
    return tuple(out)


def describe_condition(condition: AwardCondition, names: dict[str, str]) -> str:
    """The condition in one Vietnamese phrase, for pages and documents."""
    title = names.get(condition.award, condition.award)
    if condition.type == "history":
        return f"đạt danh hiệu “{title}” {condition.years} năm liên tục liền trước"
    if condition.type == "initiative":
        level = INITIATIVE_LEVEL_NAMES[condition.min_level]
        return f"có ít nhất {condition.count} sáng kiến được công nhận từ {level} trở lên"
    share = condition.share
    if condition.rule == "greater":
        return f"có trên {share.numerator}/{share.denominator} số thành viên đạt “{title}”"
    return f"có từ {share.numerator}/{share.denominator} số thành viên đạt “{title}” trở lên"


def unmet_conditions(tier, facts: CandidateFacts, names: dict[str, str]) -> list[str]:
    """The conditions of `tier` this candidate does not meet, each in one phrase."""
    unmet = []
    for condition in tier.conditions:
        if condition.type == "history":
            held = all(
                condition.award in facts.history.get(facts.year - k, set())
                for k in range(1, condition.years + 1)
            )
            ok = held
        elif condition.type == "initiative":
            floor = INITIATIVE_LEVELS.index(condition.min_level)
            found = [lv for lv in facts.initiative_levels if INITIATIVE_LEVELS.index(lv) >= floor]
            ok = len(found) >= condition.count
        else:
            have = facts.members_with.get(condition.award, 0)
            need = condition.share * facts.members
            enough = have > need if condition.rule == "greater" else have >= need
            ok = facts.members > 0 and enough
        if not ok:
            unmet.append(describe_condition(condition, names))
    return unmet


def check_authority(checker) -> None:
    """Check each award's authority, the body it goes to, its conditions and vote threshold."""
    raw = checker.raw
    awards = raw.get("awards") if isinstance(raw.get("awards"), list) else []
    codes = [a.get("code") for a in awards if isinstance(a, dict)]
    registration = raw.get("registration")
    titles = registration.get("titles", []) if isinstance(registration, dict) else []
    titles = titles if isinstance(titles, list) else []  # its type is reported by the schema
    known = [c for c in codes if isinstance(c, str)] + [
        t["code"] for t in titles if isinstance(t, dict) and isinstance(t.get("code"), str)
    ]
    for i, award in enumerate(awards):
        if not isinstance(award, dict):
            continue
        authority = award.get("authority", "own")
        body = award.get("proposed_to")
        if authority == "higher" and not (isinstance(body, str) and body.strip()):
            checker.result.add(
                ("awards", i, "authority"),
                "khen thưởng thuộc thẩm quyền cấp trên (authority = \"higher\") cần ghi cơ quan"
                ' nhận đề nghị, ví dụ proposed_to = "Viện kiểm sát nhân dân tối cao"',
            )
        if authority == "own" and body is not None:
            checker.result.add(
                ("awards", i, "proposed_to"),
                "proposed_to chỉ dùng cho khen thưởng đề nghị cấp trên; thêm"
                ' authority = "higher" hoặc bỏ proposed_to',
            )
        _check_conditions(checker, i, award, known)
        threshold = award.get("pass_threshold")
        if isinstance(threshold, str | int | float) and not isinstance(threshold, bool):
            try:
                parse_fraction(str(threshold))
            except ValueError as exc:
                checker.result.add(("awards", i, "pass_threshold"), str(exc))


def check_initiatives(checker) -> None:
    """[initiatives] indicator names a count indicator or bonus the register can fill."""
    table = checker.raw.get("initiatives")
    code = table.get("indicator") if isinstance(table, dict) else None
    if not isinstance(code, str):
        return
    methods = {
        item.code: item.data.get("method") for item in checker.items if isinstance(item.code, str)
    }
    if code not in methods:
        checker.result.add(
            ("initiatives", "indicator"),
            f"chỉ tiêu '{code}' chưa được định nghĩa" + suggest(code, list(methods)),
        )
    elif methods[code] != "count":
        checker.result.add(
            ("initiatives", "indicator"),
            f"chỉ tiêu '{code}' phải dùng method = \"count\" (đếm số sáng kiến được công nhận)",
        )


def _check_conditions(checker, i: int, award: dict, known: list[str]) -> None:
    conditions = award.get("conditions")
    kinds = award.get("kinds", ["collective", "individual"])
    for j, c in enumerate(conditions if isinstance(conditions, list) else []):
        if not isinstance(c, dict):
            continue
        ref = c.get("award")
        if isinstance(ref, str) and ref not in known:
            checker.result.add(
                ("awards", i, "conditions", j, "award"),
                f"danh hiệu '{ref}' chưa được định nghĩa trong [[awards]] hay"
                " [registration] titles" + suggest(ref, known),
            )
        if ref == award.get("code") and c.get("type") == "members":
            checker.result.add(
                ("awards", i, "conditions", j, "award"),
                "điều kiện tỷ lệ thành viên phải nói về một danh hiệu khác của cá nhân"
                " (ví dụ 'ldtt'), không phải chính danh hiệu này",
            )
        if c.get("type") == "members" and isinstance(kinds, list) and "individual" in kinds:
            checker.result.add(
                ("awards", i, "conditions", j, "type"),
                "điều kiện 'members' (tỷ lệ thành viên) chỉ dùng cho tập thể: ghi"
                ' kinds = ["collective"]',
            )


