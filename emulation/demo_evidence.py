"""Narratives and small generated evidence files for the demo's final-round dossiers."""

import random
import textwrap
from datetime import datetime
from functools import cache
from io import BytesIO
from pathlib import Path

import matplotlib
from flask import current_app
from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFont

from .demo_signing import checked, signed_report
from .dossiers.fields import criteria_forms
from .dossiers.operations import set_values, submit_dossier
from .evidence import store_upload
from .extensions import db
from .models import Candidate, CriterionNote, Dossier, EvidenceFile, Round, User

FONTS = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
OPENINGS = (
    "Thực hiện Kế hoạch của VKSND thành phố, {unit} đã chủ động triển khai nội dung «{name}».",
    "Lãnh đạo {unit} trực tiếp chỉ đạo, phân công công chức phụ trách nội dung «{name}».",
    "Trong kỳ đánh giá, {unit} tập trung thực hiện nội dung «{name}» gắn với nhiệm vụ chuyên môn.",
)
CLOSINGS = (
    "Số liệu được tổng hợp từ sổ theo dõi và hệ thống quản lý văn bản của đơn vị; tài liệu "
    "kiểm chứng gửi kèm hồ sơ.",
    "Kết quả được thủ trưởng đơn vị kiểm tra, xác nhận; chi tiết tại báo cáo kèm theo.",
    "Đơn vị tiếp tục duy trì, khắc phục hạn chế đã chỉ ra tại kỳ sơ kết và nâng cao chất lượng "
    "trong thời gian tới.",
)
REQUEST = (
    "Kính gửi: Hội đồng Thi đua – Khen thưởng {rules.movement.organisation}. Đơn vị đề nghị "
    "Hội đồng xem xét, khen thưởng theo kết quả thực hiện phong trào thi đua."
)


def _shown(field, raw) -> str | None:
    if raw is None:
        return None
    if field.choices:
        return dict(field.choices).get(raw, str(raw))
    if field.input == "boolean":
        return "có" if raw else "không"
    if isinstance(raw, str):
        return raw
    # Documents are Vietnamese whatever the interface language: decimal comma.
    number = f"{float(raw):.2f}".rstrip("0").rstrip(".").replace(".", ",")
    return number + (f" {field.unit}" if field.unit else "")


def _facts(criterion, values: dict) -> list[str]:
    facts = []
    for indicator in criterion.indicators:
        shown = [
            (field, text)
            for field in indicator.fields
            if (text := _shown(field, values.get(field.column))) is not None
        ]
        if not shown:
            continue
        if len(shown) == 2 and {f.part for f, _t in shown} == {"a", "b"}:
            achieved, total = (t for _f, t in sorted(shown, key=lambda item: item[0].part))
            facts.append(f"{indicator.name}: {achieved} trên tổng số {total}.")
        elif len(shown) == 1:
            facts.append(f"{indicator.name}: {shown[0][1]}.")
        else:
            parts = "; ".join(f"{field.label}: {text}" for field, text in shown)
            facts.append(f"{indicator.name}: {parts}.")
    return facts


def narrative(criterion, values: dict, unit_name: str, rng: random.Random) -> str:
    """A unit's narrative for one criterion, built from its own figures."""
    opening = rng.choice(OPENINGS).format(unit=unit_name, name=criterion.name)
    return "\n".join([opening, *_facts(criterion, values), rng.choice(CLOSINGS)])


# Latin with Vietnamese, combining marks, and the punctuation, currency and math signs.
LEAN_RANGES = ((0x20, 0x24F), (0x300, 0x36F), (0x1E00, 0x1EFF), (0x2000, 0x206F),
               (0x20A0, 0x20CF), (0x2100, 0x215F), (0x2190, 0x21FF), (0x2200, 0x22FF))  # fmt: skip


@cache
def lean_font(folder: str, name: str) -> str:
    """DejaVu `name` cut down to LEAN_RANGES, without hinting or layout tables (made once).

    The full font is 700 KB; fpdf2 parses it and fontTools subsets it again for every PDF,
    which was most of the time the demo took to make its dozens of reports.
    """
    from fontTools import subset
    from fontTools.ttLib import TTFont

    path = Path(folder) / name
    if not path.is_file():
        font = TTFont(FONTS / name)
        options = subset.Options(notdef_outline=True, layout_features=[], hinting=False)
        options.drop_tables += ["FFTM"]  # FontForge's timestamps, which fontTools cannot cut
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=[c for low, high in LEAN_RANGES for c in range(low, high + 1)])
        subsetter.subset(font)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".part")
        font.save(partial)
        partial.replace(path)
    return str(path)


def evidence_pdf(title: str, unit_name: str, lines: list[str]) -> bytes:
    """A one-page A4 PDF: the unit, a title and a few lines (Vietnamese, DejaVu font)."""
    folder = str(Path(current_app.instance_path) / "demo-fonts")
    pdf = FPDF(format="A4")
    pdf.add_font("Sans", "", lean_font(folder, "DejaVuSans.ttf"))
    pdf.add_font("Sans", "B", lean_font(folder, "DejaVuSans-Bold.ttf"))
    pdf.set_creator("emulation demo")
    pdf.add_page()
    pdf.set_font("Sans", "B", 11)
    pdf.multi_cell(0, 6, unit_name.upper())
    pdf.ln(4)
    pdf.set_font("Sans", "B", 13)
    pdf.multi_cell(0, 7, title, align="C")
    pdf.ln(4)
    pdf.set_font("Sans", "", 10.5)
    for line in lines:
        pdf.multi_cell(0, 5.5, line)
        pdf.ln(1)
    return bytes(pdf.output())


@cache
def _font(bold: bool, size: int):
    return ImageFont.truetype(
        str(FONTS / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")), size
    )


def evidence_png(title: str, unit_name: str, lines: list[str]) -> bytes:
    """A small greyscale image of a page (as a photographed record would be)."""
    wrapped = [part for line in lines for part in textwrap.wrap(line, 78) or [""]]
    image = Image.new("L", (1100, 150 + 30 * len(wrapped)), 255)
    draw = ImageDraw.Draw(image)
    draw.text((40, 30), unit_name.upper(), font=_font(True, 22), fill=0)
    draw.text((40, 75), textwrap.shorten(title, 80), font=_font(True, 24), fill=0)
    for row, text in enumerate(wrapped):
        draw.text((40, 130 + 30 * row), text, font=_font(False, 19), fill=40)
    buffer = BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _attach(dossier, data: bytes, name: str, *, criterion=None, document=None, now) -> None:
    check = checked(data).to_json() if name.endswith(".pdf") else None
    stored = store_upload(
        BytesIO(data),
        name,
        upload_dir=Path(current_app.config["UPLOAD_DIR"]),
        max_bytes=max(len(data), 1),
    )
    db.session.add(
        EvidenceFile(
            dossier=dossier,
            criterion_code=criterion,
            document_code=document,
            original_name=stored.original_name,
            content_type=stored.content_type,
            size_bytes=stored.size_bytes,
            sha256=stored.sha256,
            uploaded_at=now,
            signature_verdict=check["verdict"] if check else None,
            signature_check=check,
        )
    )


def add_narratives_and_evidence(
    dossier: Dossier, rules, values: dict, *, now: datetime, rng: random.Random
) -> None:
    """Per criterion a narrative and an image of a record; a request and the report (PDF)."""
    unit_name = dossier.candidate.unit.name
    report = []
    for criterion in criteria_forms(rules):
        text = narrative(criterion, values, unit_name, rng)
        db.session.add(CriterionNote(dossier=dossier, criterion_code=criterion.code, text=text))
        report += [f"{criterion.code}. {criterion.name}", *text.split("\n"), ""]
        image = evidence_png(f"Tài liệu kiểm chứng: {criterion.name}", unit_name, text.split("\n"))
        _attach(
            dossier, image, f"kiem-chung-{criterion.code}.png", criterion=criterion.code, now=now
        )
    names = {code: name for code, name, _required in rules.documents}
    if "to-trinh" in names:
        request = evidence_png(names["to-trinh"], unit_name, [REQUEST.format(rules=rules)])
        _attach(dossier, request, "to-trinh-de-nghi-khen-thuong.png", document="to-trinh", now=now)
    if "bao-cao-thanh-tich" in names:
        data = evidence_pdf(names["bao-cao-thanh-tich"], unit_name, report)
        data = signed_report(data, dossier.candidate.unit.code)
        _attach(dossier, data, "bao-cao-thanh-tich.pdf", document="bao-cao-thanh-tich", now=now)
    db.session.flush()


def submit_with_evidence(
    round_: Round, candidate: Candidate, values: dict, rules, *, user: User | None, now, rng
) -> Dossier:
    """A dossier with values, narratives and evidence, submitted at `now` (the demo)."""
    dossier = Dossier(round=round_, candidate=candidate, created_at=now, updated_at=now)
    db.session.add(dossier)
    db.session.flush()
    set_values(dossier, values)
    add_narratives_and_evidence(dossier, rules, values, now=now, rng=rng)
    db.session.refresh(dossier)
    submit_dossier(dossier, user=user, now=now)
    return dossier
