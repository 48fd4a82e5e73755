"""The award decision (Quyết định) of the council's head: only the awards it may grant itself."""

from __future__ import annotations

from docx.shared import Pt

from . import decree30 as d30
from . import docx_parts as parts
from .common import BLANK, awardees, counted, grant_verb, held_at, issuer_of, place_date


def decision(round_, payload: dict, rules, *, draft: bool = False) -> bytes:
    """The decision granting the `own` awards the council passed, awardees listed by award."""
    movement = round_.movement
    issuer = issuer_of(rules, movement)
    meeting = held_at(payload)
    when = round_.award_date or meeting.date()
    own = [(tier, people) for tier, people in awardees(payload, rules) if tier.is_own]
    doc = parts.new_document()
    parts.header(
        doc,
        superior=issuer.superior,
        body=issuer.name,
        number=f"Số: {BLANK}/QĐ-{issuer.symbol}",
        place_date=place_date(movement.place, when),
    )
    if draft:
        parts.centred(doc, "DỰ THẢO", italic=True).paragraph_format.space_before = Pt(6)
    everyone = [a for _t, people in own for a in people]
    parts.title(
        doc,
        "QUYẾT ĐỊNH",
        f"Về việc khen thưởng {_whom(everyone)} có thành tích trong {movement.name}",
    )
    parts.centred(doc, f"{issuer.head_title} {issuer.name}".upper(), bold=True, after=6)
    for basis in issuer.legal_bases:
        parts.paragraph(doc, basis, italic=True, indent=True)
    parts.paragraph(
        doc,
        f"Căn cứ Biên bản họp Hội đồng Thi đua – Khen thưởng {d30.vn_date(meeting)};",
        italic=True, indent=True,
    )  # fmt: skip
    parts.paragraph(
        doc, "Xét đề nghị của Thường trực Hội đồng Thi đua – Khen thưởng,", italic=True, indent=True
    )
    parts.centred(doc, "QUYẾT ĐỊNH:", bold=True, after=6).paragraph_format.space_before = Pt(6)
    attached = []
    if not own:
        parts.article(doc, 1, "Không có tập thể, cá nhân nào được đề nghị khen thưởng.")
    elif len(own) == 1:
        tier, people = own[0]
        _award_lines(doc, 1, tier, people, issuer, attached, numbered=False)
    else:
        parts.article(doc, 1, f"Khen thưởng {counted(everyone)} có thành tích trong {round_.name}:")
        for i, (tier, people) in enumerate(own, start=1):
            _award_lines(doc, i, tier, people, issuer, attached, numbered=True)
    parts.article(
        doc,
        2,
        "Các tập thể, cá nhân có tên tại Điều 1 được hưởng chế độ khen thưởng theo quy định"
        " hiện hành. Quyết định này có hiệu lực kể từ ngày ký.",
    )
    parts.article(
        doc,
        3,
        "Chánh Văn phòng, Thường trực Hội đồng Thi đua – Khen thưởng, Thủ trưởng các đơn vị có"
        " liên quan và các tập thể, cá nhân có tên tại Điều 1 chịu trách nhiệm thi hành Quyết"
        " định này./.",
    )
    parts.closing(
        doc,
        recipients=list(issuer.recipients) or ["Như Điều 3;", "Lưu: VT, HĐTĐKT."],
        authority_lines=_authority(issuer),
        signer=issuer.signer_name,
    )
    for tier, people in attached:
        _attached_list(doc, tier, people, issuer, rules, when)
    return parts.to_bytes(doc)


def _whom(people) -> str:
    kinds = {a.kind for a in people}
    return {
        frozenset({"collective"}): "các tập thể",
        frozenset({"individual"}): "các cá nhân",
    }.get(frozenset(kinds), "các tập thể, cá nhân")


def _authority(issuer) -> list[str]:
    lines = [issuer.signer_authority]
    if issuer.signer_position:
        lines.append(issuer.signer_position)
    return lines


def _award_lines(doc, number, tier, people, issuer, attached, *, numbered) -> None:
    long = len(people) > issuer.long_list
    tail = " (có danh sách kèm theo)." if long else ":"
    text = f"{grant_verb(tier)} cho {counted(people)}{tail}"
    if numbered:
        parts.paragraph(doc, f"{number}. {text}", indent=True)
    else:
        parts.article(doc, 1, text)
    if long:
        attached.append((tier, people))
        return
    for i, a in enumerate(people, start=1):
        where = f" – {a.group}" if a.group and a.kind == "collective" else ""
        parts.paragraph(doc, f"{'-' if numbered else str(i) + '.'} {a.name}{where};", indent=True,
                        after=0)  # fmt: skip
    parts.paragraph(doc, after=0)


def _attached_list(doc, tier, people, issuer, rules, when) -> None:
    parts.page_break(doc)
    parts.centred(doc, "DANH SÁCH", bold=True)
    parts.centred(doc, f"{grant_verb(tier)}", bold=True)
    parts.centred(
        doc,
        f"(Kèm theo Quyết định số {BLANK}/QĐ-{issuer.symbol} {d30.vn_date(when)}"
        f" của {issuer.head_title} {issuer.name})",
        italic=True, after=12,
    )  # fmt: skip
    rows = [
        [str(i), a.name, a.group, d30.vn_number(a.total) if a.total is not None else "", a.band]
        for i, a in enumerate(people, start=1)
    ]
    parts.grid(
        doc,
        ["STT", "Tập thể, cá nhân", "Cụm, khối", "Tổng điểm", "Xếp loại"],
        rows,
        [12, 68, 45, 20, 20],
        numeric={0, 3},
    )
    parts.paragraph(
        doc, f"Danh sách có {counted(people)}./.", italic=True
    ).paragraph_format.space_before = Pt(6)
