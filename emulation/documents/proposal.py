"""The proposal letter (Tờ trình đề nghị khen thưởng) to the higher body that decides."""

from __future__ import annotations

from docx.shared import Pt

from . import decree30 as d30
from . import docx_parts as parts
from .common import (
    BLANK,
    awardees,
    counted,
    grant_verb,
    held_at,
    higher_bodies,
    issuer_of,
    place_date,
)


def proposal(round_, payload: dict, rules, *, draft: bool = False) -> bytes:
    """One letter per higher body: each candidate's achievements, vote, attached dossiers."""
    movement = round_.movement
    issuer = issuer_of(rules, movement)
    meeting = held_at(payload)
    higher = [(t, people) for t, people in awardees(payload, rules) if not t.is_own]
    doc = parts.new_document()
    for n, body in enumerate(higher_bodies(payload, rules)):
        if n:
            parts.page_break(doc)
        tiers = [(t, people) for t, people in higher if t.proposed_to == body]
        _letter(doc, round_, rules, issuer, meeting, body, tiers, draft)
    if not higher:
        _letter(doc, round_, rules, issuer, meeting, BLANK, [], draft)
    return parts.to_bytes(doc)


def _letter(doc, round_, rules, issuer, meeting, body, tiers, draft) -> None:
    movement = round_.movement
    parts.header(
        doc,
        superior=issuer.superior,
        body=issuer.name,
        number=f"Số: {BLANK}/TTr-{issuer.symbol}",
        place_date=place_date(movement.place, meeting.date()),
    )
    if draft:
        parts.centred(doc, "DỰ THẢO", italic=True)
    everyone = [a for _t, people in tiers for a in people]
    parts.title(doc, "TỜ TRÌNH", f"Về việc đề nghị khen thưởng trong {movement.name}")
    kinh_gui = parts.centred(doc, "", after=12)
    kinh_gui.add_run("Kính gửi: ").font.size = Pt(d30.BODY)
    kinh_gui.add_run(f"{issuer.head_title} {body}").font.size = Pt(d30.BODY)
    parts.paragraph(
        doc,
        f"Thực hiện {movement.name}, {issuer.name} đã tổ chức {round_.name.lower()}."
        f" {d30.vn_date(meeting).capitalize()}, Hội đồng Thi đua – Khen thưởng {issuer.name}"
        " đã họp, xét và biểu quyết đề nghị khen thưởng các tập thể, cá nhân có thành tích tiêu"
        " biểu, xuất sắc.",
        indent=True,
    )
    parts.paragraph(
        doc,
        f"{issuer.name} kính đề nghị {issuer.head_title} {body} xem xét, khen thưởng cho"
        f" {counted(everyone)}, cụ thể như sau:",
        indent=True,
    )
    max_total = rules.scoring.max_total
    for i, (tier, people) in enumerate(tiers, start=1):
        verb = grant_verb(tier).replace("Công nhận", "công nhận").replace("Tặng", "tặng")
        parts.paragraph(doc, f"{i}. Đề nghị {verb} cho {counted(people)}:", bold=True, indent=True)
        rows = [
            [str(j), a.name + (f" ({a.group})" if a.group else ""), a.summary(max_total),
             a.vote_text()]
            for j, a in enumerate(people, start=1)
        ]  # fmt: skip
        parts.grid(
            doc,
            ["STT", "Tập thể, cá nhân", "Tóm tắt thành tích", "Tán thành"],
            rows,
            [12, 55, 70, 28],
            numeric={0, 3},
        )
        parts.paragraph(doc, after=0)
    parts.paragraph(doc, "Hồ sơ kèm theo:", bold=True, indent=True)
    dossiers = [
        f"Biên bản họp Hội đồng Thi đua – Khen thưởng {d30.vn_date(meeting)} (kèm kết quả"
        " biểu quyết);"
    ] + [f"{name} của {counted(everyone)} được đề nghị;" for _c, name in rules.required_documents
         if "biên bản" not in name.lower() and "tờ trình" not in name.lower()]  # fmt: skip
    for line in dossiers:
        parts.paragraph(doc, f"- {line}", indent=True, after=0)
    parts.paragraph(
        doc,
        f"{issuer.name} kính trình {issuer.head_title} {body} xem xét, quyết định./.",
        indent=True,
    ).paragraph_format.space_before = Pt(6)
    lines = [issuer.signer_authority] + ([issuer.signer_position] if issuer.signer_position else [])
    parts.closing(
        doc,
        recipients=["Như trên;", "Lưu: VT, HĐTĐKT."],
        authority_lines=lines,
        signer=issuer.signer_name,
    )
