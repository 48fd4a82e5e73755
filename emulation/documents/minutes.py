"""The minutes (Biên bản) of the council meeting that voted on the proposed awardees."""

from __future__ import annotations

from fractions import Fraction

from . import decree30 as d30
from . import docx_parts as parts
from .common import BLANK, awardees, counted, grant_verb, held_at, issuer_of, place_date

COUNCIL = "Hội đồng Thi đua – Khen thưởng"
RULE_WORDS = {"greater": "trên", "at_least": "từ"}


def _share(text: str) -> str:
    value = Fraction(text)
    return f"{value.numerator}/{value.denominator}"


def _percent(text: str) -> str:
    return d30.vn_number(float(Fraction(text)) * 100, 1) + "%"


def minutes(round_, payload: dict, rules, *, draft: bool = False) -> bytes:
    """Time, place, chair, secretary, attendance, quorum, each vote and its outcome."""
    movement = round_.movement
    issuer = issuer_of(rules, movement)
    votes = payload["votes"]
    meeting = votes["meeting"]
    held = held_at(payload)
    doc = parts.new_document()
    parts.header(
        doc,
        superior=issuer.name,
        body=COUNCIL,
        number=f"Số: {BLANK}/BB-HĐTĐKT",
        place_date=place_date(movement.place, held.date()),
    )
    if draft:
        parts.centred(doc, "DỰ THẢO – kết quả xếp hạng chưa được chốt", italic=True)
    parts.title(doc, "BIÊN BẢN", f"Họp {COUNCIL} xét khen thưởng {round_.name}")
    section = _sections(doc)
    section("Thời gian, địa điểm")
    parts.paragraph(
        doc,
        f"Vào hồi {held:%H} giờ {held:%M} phút, {d30.vn_date(held)}, tại"
        f" {meeting['place'] or BLANK}, {COUNCIL} {issuer.name} họp xét khen thưởng trong"
        f" {movement.name}.",
        indent=True,
    )
    section("Thành phần")
    present = meeting["present"]
    absent = max(meeting["members_total"] - len(present), 0)
    chair = meeting["chair"] or issuer.council_chair or BLANK
    parts.paragraph(doc, f"Chủ trì: {chair}, Chủ tịch Hội đồng.", indent=True, after=0)
    parts.paragraph(doc, f"Thư ký: {issuer.council_secretary or BLANK}.", indent=True, after=0)
    parts.paragraph(
        doc,
        f"Hội đồng có {meeting['members_total']} thành viên; có mặt {len(present)} thành viên,"
        f" vắng mặt {absent} thành viên. Số thành viên có mặt"
        f" {'đạt' if meeting['quorum_met'] else 'không đạt'} tỷ lệ tối thiểu"
        f" {_share(meeting['quorum'])} tổng số thành viên, phiên họp"
        f" {'hợp lệ' if meeting['quorum_met'] else 'không hợp lệ'}.",
        indent=True, after=0,
    )  # fmt: skip
    parts.paragraph(doc, "Thành viên có mặt:", indent=True, after=0)
    for name in present:
        parts.paragraph(doc, f"- {name};", indent=True, after=0)
    parts.paragraph(doc, after=0)
    section("Nội dung")
    results = payload["results"]["results"]
    parts.paragraph(
        doc,
        f"Hội đồng xem xét kết quả chấm điểm, xếp hạng {_candidates(results)} có hồ sơ đề nghị"
        f" khen thưởng trong {round_.name} và biểu quyết đối với từng đề nghị.",
        indent=True,
    )
    rule = RULE_WORDS.get(meeting["pass_rule"], "trên")
    own_rules = {
        (c.get("pass_threshold"), c.get("pass_rule"), c["award_tier"])
        for c in votes["candidates"]
        if c.get("pass_threshold") not in (None, meeting["pass_threshold"])
    }
    text = (
        f"Mỗi đề nghị được thông qua khi có {rule} {_percent(meeting['pass_threshold'])} số"
        " thành viên có mặt được biểu quyết tán thành"
    )
    for threshold, own_rule, tier in sorted(own_rules):
        text += f"; riêng {tier}: {RULE_WORDS.get(own_rule, 'trên')} {_percent(threshold)}"
    parts.paragraph(
        doc,
        text + ". Thành viên đã từ chối tham gia thẩm định hoặc thuộc đơn vị được đề nghị không"
        " biểu quyết đối với đề nghị đó.",
        indent=True,
    )
    _freeze_note(doc, payload.get("freeze") or {})
    section("Kết quả biểu quyết")
    _vote_table(doc, votes["candidates"], results, payload.get("people") or {}, draft=draft)
    _unmet(doc, votes["candidates"], payload.get("people") or {})
    section("Kết luận")
    _conclusion(doc, payload, rules, issuer)
    parts.paragraph(
        doc,
        "Biên bản được lập thành 02 bản, đã được đọc lại cho các thành viên dự họp cùng nghe và"
        " nhất trí thông qua./.",
        indent=True,
    )
    parts.two_signatures(
        doc,
        (["THƯ KÝ"], issuer.council_secretary),
        (["CHỦ TỌA"], meeting["chair"] or issuer.council_chair),
    )
    return parts.to_bytes(doc)


def _sections(doc):
    numerals = iter(("I", "II", "III", "IV", "V", "VI", "VII"))

    def section(text: str) -> None:
        parts.paragraph(doc, f"{next(numerals)}. {text.upper()}", bold=True, after=6)

    return section


def _candidates(results: list[dict]) -> str:
    collectives = sum(1 for r in results if r.get("kind", "collective") == "collective")
    return d30.count_phrase(collectives, len(results) - collectives)


def _freeze_note(doc, note: dict) -> None:
    # A ranking frozen with work left undone says so, with the reason typed at the freeze.
    if not note.get("reason"):
        return
    left = note.get("unfinished", {})
    parts.paragraph(
        doc,
        "Kết quả xếp hạng được chốt khi còn"
        f" {left.get('reviews_open', 0)} lượt thẩm định chưa hoàn thành,"
        f" {left.get('never_reviewed', 0)} hồ sơ chưa được thẩm định,"
        f" {left.get('supplements_open', 0)} hồ sơ đang bổ sung và"
        f" {left.get('votes_pending', 0)} phiếu chưa biểu quyết. Lý do: {note['reason']}",
        indent=True,
    )


def _outcome(c: dict, draft: bool) -> str:
    if c["passed"]:
        return "Thông qua"
    # While the vote is open, a proposal members yet to vote could still carry is not lost.
    return "Đang biểu quyết" if draft and c.get("undecided") else "Không thông qua"


def _vote_table(
    doc, candidates: list[dict], results: list[dict], people: dict, *, draft: bool = False
) -> None:
    if not candidates:
        parts.paragraph(doc, "Không có tập thể, cá nhân nào được đề nghị khen thưởng.", indent=True)
        return
    kinds = {r["unit_code"]: r.get("kind", "collective") for r in results}
    ordered = sorted(candidates, key=lambda c: kinds.get(c["key"]) != "collective")
    rows = []
    for i, c in enumerate(ordered, start=1):
        name = people.get(c["key"], c["name"]) + (
            f" (không biểu quyết: {', '.join(c['recused'])})" if c["recused"] else ""
        )
        rows.append([
            str(i), name, c["award_tier"], str(c["agree"]), str(c["disagree"]),
            str(c["abstain"]), str(c["not_voted"]),
            _outcome(c, draft),
        ])  # fmt: skip
    parts.grid(
        doc,
        ["STT", "Tập thể, cá nhân", "Hình thức đề nghị", "Tán thành", "Không tán thành",
         "Không biểu quyết", "Chưa biểu quyết", "Kết quả"],
        rows,
        [13, 38, 34, 15, 16, 16, 15, 18],
        numeric={0, 3, 4, 5, 6},
        size=11,
    )  # fmt: skip
    parts.paragraph(doc, after=0)


def _unmet(doc, candidates: list[dict], people: dict) -> None:
    short = [c for c in candidates if c.get("unmet")]
    if not short:
        return
    parts.paragraph(doc, "Không đủ điều kiện khen thưởng:", indent=True, after=0)
    for c in short:
        name = people.get(c["key"], c["name"])
        parts.paragraph(doc, f"- {name} ({c['award_tier']}): chưa {'; chưa '.join(c['unmet'])};",
                        indent=True, after=0)  # fmt: skip
    parts.paragraph(doc, after=0)


def _conclusion(doc, payload, rules, issuer) -> None:
    passed = awardees(payload, rules)
    if not passed:
        parts.paragraph(doc, "Không có đề nghị nào được Hội đồng thông qua.", indent=True)
        return
    parts.paragraph(doc, "Hội đồng thống nhất:", indent=True, after=0)
    for tier, people in passed:
        verb = grant_verb(tier).replace("Công nhận", "công nhận").replace("Tặng", "tặng")
        who = (
            f"{issuer.head_title} {issuer.name} quyết định"
            if tier.is_own
            else f"{issuer.head_title} {issuer.name} trình {tier.proposed_to} xem xét"
        )
        parts.paragraph(doc, f"- Đề nghị {who} {verb} cho {counted(people)};", indent=True, after=0)
    parts.paragraph(doc, after=0)
