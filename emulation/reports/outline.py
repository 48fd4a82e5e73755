"""The report as a list of blocks (headings, paragraphs, tables, charts) in Vietnamese.

The PDF and DOCX renderers only lay these blocks out, so both files say the same thing.
Official reports are written in Vietnamese whatever the interface language.
"""

from dataclasses import dataclass, field
from statistics import median

from . import fmt
from .data import Report
from .participation import DEFINITION as PARTICIPATION_DEFINITION

KIND_TITLES = {"interim": "SƠ KẾT", "final": "TỔNG KẾT"}
COUNCIL = "Hội đồng Thi đua – Khen thưởng"
NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập – Tự do – Hạnh phúc"
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"]


@dataclass(frozen=True)
class Heading:
    """A numbered section (level 1) or sub-section (level 2) title."""

    text: str
    level: int = 1


@dataclass(frozen=True)
class Para:
    """A paragraph."""

    text: str
    bold: bool = False
    italic: bool = False
    align: str = "justify"


@dataclass(frozen=True)
class Bullets:
    """A list of short lines."""

    items: list[str]


@dataclass(frozen=True)
class Table:
    """A table of text cells; widths are relative, align per column: L, C or R."""

    columns: list[str]
    rows: list[list[str]]
    widths: list[float]
    align: str
    bold_last: bool = False


@dataclass(frozen=True)
class Chart:
    """One of the report's charts, by name."""

    name: str


@dataclass(frozen=True)
class Letterhead:
    """Issuing body on the left, national motto and the place-date line on the right."""

    organisation: str
    body: str
    number: str
    place_date: str


@dataclass(frozen=True)
class Signature:
    """Recipients on the left, the signing block on the right."""

    closing: str
    recipients: list[str]
    lines: list[str] = field(default_factory=list)


def _n(value) -> str:
    return fmt.number(value)


def _rank(value) -> str:
    return "—" if value is None else str(value)


def general(r: Report) -> list:
    """Section I: what the report covers."""
    if r.late_policy == "accept_flagged" and r.closes_at > r.deadline:
        late = f"hồ sơ gửi muộn đến {fmt.date_time(r.closes_at)} vẫn được nhận và ghi nhận nộp muộn"
    else:
        late = "hồ sơ gửi sau thời hạn này không được xem xét"
    frozen = (
        f"đã được Hội đồng chốt (mã kiểm tra SHA-256 {r.snapshot_hash})"
        if r.snapshot_hash
        else "chưa được chốt; số liệu là kết quả tạm thời tại thời điểm lập báo cáo"
    )
    lines = [
        f"Phong trào: {r.movement}.",
        f"Đợt {KIND_TITLES[r.kind].lower()}: {r.round_name} (mã {r.round_code}).",
        f"Hạn nộp hồ sơ: {fmt.deadline(r.deadline)}; {late}.",
    ]
    if r.award_date:
        lines.append(f"Ngày trao khen thưởng: {fmt.day(r.award_date)}.")
    lines += [
        f"Bộ quy tắc chấm điểm: {r.rules_filename} (mã kiểm tra SHA-256 {r.rules_hash[:16]}…).",
        f"Kết quả xếp hạng {frozen}.",
        f"Thời điểm lập báo cáo: {fmt.date_time(r.generated_at)}.",
        f"Cách xếp hạng: {r.tie_policy}",
    ]
    return [Bullets(lines)]


def participation(r: Report) -> list:
    """Section II: who sent a dossier, per cluster."""
    t = r.total
    text = (
        f"Tổng số {t.expected} đơn vị thuộc diện tham gia; đã nhận {t.submitted} hồ sơ"
        f" ({fmt.percent(t.rate)}), trong đó {t.on_time} hồ sơ đúng hạn và {t.late} hồ sơ"
        f" nộp muộn trong thời gian gia hạn; {t.missing} đơn vị chưa nộp; {t.returned} hồ sơ"
        " đang được trả lại để bổ sung."
    )
    rows = [
        [p.cluster, str(p.expected), str(p.on_time), str(p.late), str(p.missing),
         str(p.returned), fmt.percent(p.rate)]
        for p in [*r.participation, t]
    ]  # fmt: skip
    table = Table(
        ["Cụm, khối thi đua", "Số đơn vị", "Đúng hạn", "Muộn", "Chưa nộp", "Trả lại bổ sung",
         "Tỷ lệ nộp"],
        rows, [34, 11, 11, 9, 11, 13, 11], "LRRRRRR", bold_last=True,
    )  # fmt: skip
    counting = Para(f"Cách đếm: {PARTICIPATION_DEFINITION}")
    return [Para(text), counting, table, Chart("participation")]


def _band_counts(r: Report) -> str:
    parts = [f"{name}: {sum(1 for s in r.ranked if s.band == name)}" for name, _ in r.bands]
    parts.append(f"chưa đạt mức xếp loại: {sum(1 for s in r.ranked if not s.band)}")
    return "; ".join(parts)


def _ranking_table(rows) -> Table:
    body = [
        [
            _rank(s.rank_in_group),
            s.name,
            _n(s.total),
            f"Bị loại: {s.reason}" if s.disqualified else s.band or "—",
            s.award or "—",
        ]
        for s in rows
    ]
    return Table(
        ["Hạng", "Đơn vị", "Tổng điểm", "Xếp loại", "Đề nghị khen thưởng"],
        body, [8, 34, 11, 21, 26], "CLRLL",
    )  # fmt: skip


def scores(r: Report) -> list:
    """Section III: distribution, group averages, leaders and the ranking per cluster."""
    if not r.standings:
        return [Para("Chưa có hồ sơ nào được chấm điểm trong đợt này.")]
    totals = r.totals
    disqualified = len(r.standings) - len(totals)
    summary = f"Có {len(r.standings)} hồ sơ được chấm điểm; {len(totals)} hồ sơ được xếp hạng"
    summary += f", {disqualified} hồ sơ bị loại." if disqualified else "."
    if totals:
        summary += (
            f" Tổng điểm bình quân {_n(sum(totals) / len(totals))}, trung vị {_n(median(totals))},"
            f" cao nhất {_n(max(totals))}, thấp nhất {_n(min(totals))}"
            f" (thang điểm {_n(r.max_total)})."
        )
    blocks = [Heading("1. Phân bố tổng điểm và xếp loại", 2), Para(summary),
              Para(f"Xếp loại — {_band_counts(r)}."), Chart("distribution")]  # fmt: skip
    means = [
        [code, name, _n(top), _n(mean), fmt.percent(None if mean is None else mean / top)]
        for code, name, top, mean in r.group_means()
    ]
    blocks += [
        Heading("2. Điểm bình quân theo nhóm tiêu chí", 2),
        Table(["Mã", "Nhóm tiêu chí", "Điểm tối đa", "Bình quân", "Tỷ lệ"], means,
              [8, 56, 12, 12, 12], "LLRRR"),
        Chart("groups"),
    ]  # fmt: skip
    if r.ranked:
        blocks += [Heading("3. Các đơn vị dẫn đầu", 2), Chart("top")]
    blocks.append(Heading("4. Kết quả xếp hạng theo cụm, khối thi đua", 2))
    for label, rows in r.by_group():
        blocks += [Para(f"{label} ({len(rows)} đơn vị)", bold=True, align="left"),
                   _ranking_table(rows)]  # fmt: skip
    return blocks


def indicators(r: Report) -> list:
    """Section IV: how many candidates reached each indicator, and the weakest ones."""
    if not any(i.counted for i in r.indicators):
        return [Para("Chưa có số liệu chỉ tiêu.")]
    rows = [
        [i.code, i.name, _n(i.max_points), _n(i.mean_points), i.target, fmt.percent(i.compliance)]
        for i in r.indicators
    ]
    weakest = [
        f"{i.code} – {i.name}: {fmt.percent(i.compliance)} đơn vị đạt; điểm bình quân"
        f" {_n(i.mean_points)}/{_n(i.max_points)}."
        for i in r.weakest()
    ]
    return [
        Para(
            "Tỷ lệ đạt là tỷ lệ đơn vị đạt mức yêu cầu của chỉ tiêu, tức được điểm tối đa của"
            " chỉ tiêu (với chỉ tiêu tỷ lệ có mức mục tiêu: tỷ lệ từ mức mục tiêu trở lên)."
        ),
        Table(["Mã", "Chỉ tiêu", "Tối đa", "Bình quân", "Mức yêu cầu", "Tỷ lệ đạt"], rows,
              [22, 38, 8, 10, 12, 10], "LLRRLR"),
        Chart("compliance"),
        Para("Các chỉ tiêu có tỷ lệ đạt thấp nhất:", bold=True, align="left"),
        Bullets(weakest),
    ]  # fmt: skip


def comparison(r: Report) -> list:
    """Section V (final report): interim → final per candidate, the most improved."""
    if r.comparison is None:
        return [Para("Phong trào không có đợt sơ kết trước đợt này để so sánh.")]
    both = [c for c in r.comparison if c.points_change is not None]
    up = sum(1 for c in both if c.points_change > 0)
    down = sum(1 for c in both if c.points_change < 0)
    blocks = [
        Para(
            f"So sánh với {r.interim_name}: {len(both)} đơn vị tham gia cả hai đợt, trong đó"
            f" {up} đơn vị tăng điểm, {down} đơn vị giảm điểm. Hạng so sánh là hạng chung"
            " toàn phong trào; đơn vị bị loại không có hạng."
        ),
    ]
    if both:
        blocks.append(Chart("comparison"))
    improved = [
        f"{c.name}: {_n(c.interim_total)} → {_n(c.final_total)} điểm"
        f" ({fmt.signed(c.points_change)}); hạng {_rank(c.interim_rank)} → {_rank(c.final_rank)}."
        for c in r.most_improved()
    ]
    if improved:
        blocks += [Para("Các đơn vị tiến bộ nhất:", bold=True, align="left"), Bullets(improved)]
    rows = [
        [c.name, _n(c.interim_total), _n(c.final_total), fmt.signed(c.points_change),
         _rank(c.interim_rank), _rank(c.final_rank), fmt.signed(c.rank_change, 0)]
        for c in r.comparison
    ]  # fmt: skip
    blocks.append(
        Table(["Đơn vị", "Điểm sơ kết", "Điểm tổng kết", "Thay đổi", "Hạng sơ kết",
               "Hạng tổng kết", "Thay đổi hạng"], rows, [34, 11, 11, 11, 11, 11, 11], "LRRRRRR")
    )  # fmt: skip
    return blocks


def awards(r: Report) -> list:
    """The proposed awards, tier by tier."""
    blocks = [Para(f"Tổng số {r.awarded} tập thể, cá nhân được đề nghị khen thưởng.")]
    for name, rows in r.awards():
        blocks.append(Para(f"{name} ({len(rows)})", bold=True, align="left"))
        if not rows:
            blocks.append(Para("Không có đề nghị.", italic=True))
            continue
        body = [
            [str(i), s.name, s.cluster, _n(s.total), s.band or "—"]
            for i, s in enumerate(rows, start=1)
        ]
        blocks.append(
            Table(["STT", "Tập thể, cá nhân", "Cụm, khối", "Tổng điểm", "Xếp loại"], body,
                  [7, 40, 27, 12, 14], "CLLRL")
        )  # fmt: skip
    return blocks


def outline(r: Report) -> list:
    """Every block of the report, in order."""
    word = KIND_TITLES[r.kind]
    blocks: list = [
        Letterhead(r.organisation, COUNCIL, "Số:      /BC-HĐTĐKT",
                   fmt.place_date(r.place, r.generated_at)),
        Para(f"BÁO CÁO {word}", bold=True, align="center"),
        Para(r.round_name, bold=True, align="center"),
        Para(r.movement, italic=True, align="center"),
    ]  # fmt: skip
    if not r.snapshot_hash:
        blocks.append(
            Para("DỰ THẢO — kết quả xếp hạng chưa được chốt, số liệu có thể thay đổi.",
                 bold=True, align="center")
        )  # fmt: skip
    sections = [
        ("THÔNG TIN CHUNG", general(r)),
        ("TÌNH HÌNH THAM GIA", participation(r)),
        ("KẾT QUẢ CHẤM ĐIỂM, XẾP HẠNG", scores(r)),
        ("KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU", indicators(r)),
    ]
    if r.is_final:
        sections.append(("SO SÁNH KẾT QUẢ SƠ KẾT VÀ TỔNG KẾT", comparison(r)))
    sections.append(("ĐỀ NGHỊ KHEN THƯỞNG", awards(r)))
    for number, (title, body) in zip(ROMAN, sections, strict=False):
        blocks.append(Heading(f"{number}. {title}"))
        blocks += body
    blocks.append(
        Signature(
            f"Trên đây là báo cáo {word.lower()} phong trào thi đua của {COUNCIL}"
            f" {r.organisation}.",
            ["Nơi nhận:", "- Thường trực Hội đồng;", "- Các đơn vị tham gia phong trào;",
             "- Lưu: VT, HĐTĐKT."],
            [f"TM. {COUNCIL.upper()}", "CHỦ TỊCH", "(Ký, ghi rõ họ tên)"],
        )
    )  # fmt: skip
    return blocks
