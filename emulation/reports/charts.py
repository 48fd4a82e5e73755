"""The report's charts as PNG images, drawn with matplotlib's object API (never pyplot).

Labels come in a dict so the page can show them in the user's language and the files in
Vietnamese; DejaVu Sans (bundled with matplotlib) has every Vietnamese glyph.
"""

from __future__ import annotations

import hashlib
import textwrap
import threading
from collections import OrderedDict
from collections.abc import Callable
from io import BytesIO
from typing import TYPE_CHECKING

from .comparison import biggest_moves
from .fmt import number

# matplotlib is imported where a chart is drawn: that keeps start-up fast.
if TYPE_CHECKING:
    from matplotlib.figure import Figure

NAVY, RED, GREEN, AMBER, GREY = "#0b3a6f", "#b3141f", "#1d7a3a", "#d08a00", "#b8c0cc"
GOLD = "#fdf3cf"
DPI = 150
STYLE = {
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titleweight": "bold",
    "axes.titlesize": 10,
}

# Every label the charts use; the files use these, the page passes translated ones.
VIETNAMESE = {
    "participation": "Tình hình nộp hồ sơ theo cụm",
    "on_time": "Đúng hạn",
    "late": "Muộn (trong thời gian gia hạn)",
    "missing": "Chưa nộp",
    "units": "Số đơn vị",
    "distribution": "Phân bố tổng điểm",
    "points": "Tổng điểm",
    "groups": "Điểm bình quân theo nhóm tiêu chí",
    "share_of_max": "% điểm tối đa",
    "top": "Các đơn vị dẫn đầu",
    "compliance": "Tỷ lệ đơn vị đạt mức tối đa theo chỉ tiêu",
    "share_units": "% đơn vị đạt",
    "comparison": "Thay đổi tổng điểm từ sơ kết đến tổng kết",
    "interim": "Sơ kết",
    "final": "Tổng kết",
}


def _png(figure: Figure) -> bytes:
    buffer = BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    # A figure's artists refer to each other in cycles, so without this they (and what they
    # drew) would wait for the next full garbage collection; the next chart reuses the memory.
    figure.clear()
    return buffer.getvalue()


def _wrap(text: str, width: int = 38) -> str:
    """The whole text over as many lines as it needs (never shortened with '…')."""
    return "\n".join(textwrap.wrap(text, width)) or text


def _label_rows(labels: list[str]) -> float:
    """How many bar rows the labels need: a row per bar, more for labels of several lines."""
    return sum(max(1.0, 0.55 * (label.count("\n") + 1)) for label in labels)


def _legend(figure: Figure, ncols: int) -> None:
    figure.legend(loc="outside lower center", ncols=ncols, frameon=False)


def _figure(rows: float, base: float = 1.2, per_row: float = 0.32) -> Figure:
    from matplotlib.figure import Figure

    height = min(base + per_row * max(rows, 1), 11.0)
    return Figure(figsize=(7.2, height), layout="constrained")


def participation_chart(report, t: dict, fmt: Callable) -> bytes:
    """Stacked bars per cluster: on time, late, missing."""
    rows = list(reversed(report.participation))
    names = [_wrap(r.cluster, 30) for r in rows]
    figure = _figure(_label_rows(names), base=1.6)
    ax = figure.add_subplot()
    left = [0] * len(rows)
    for attr, colour, label in (
        ("on_time", GREEN, t["on_time"]),
        ("late", AMBER, t["late"]),
        ("missing", GREY, t["missing"]),
    ):
        values = [getattr(r, attr) for r in rows]
        ax.barh(names, values, left=left, color=colour, label=label)
        left = [a + b for a, b in zip(left, values, strict=True)]
    ax.set_xlabel(t["units"])
    ax.set_title(t["participation"])
    _legend(figure, 3)
    return _png(figure)


def distribution_chart(report, t: dict, fmt: Callable) -> bytes:
    """Histogram of the ranked candidates' totals, with the band thresholds marked."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7.2, 3.2), layout="constrained")
    ax = figure.add_subplot()
    top = report.max_total
    bins = [top * i / 20 for i in range(21)]
    ax.hist(report.totals, bins=bins, color=NAVY, edgecolor="white")
    # Each band is a shaded stretch of the axis, named above the plot.
    floors = sorted(report.bands, key=lambda b: b[1])
    for i, (name, floor) in enumerate(floors):
        upper = floors[i + 1][1] if i + 1 < len(floors) else top
        ax.axvspan(floor, upper, color=GOLD if i % 2 else "#e8eef7", zorder=0, linewidth=0)
        ax.text(
            (floor + upper) / 2, 1.01, f"{name}\n≥ {fmt(floor)}", ha="center", va="bottom",
            transform=ax.get_xaxis_transform(), fontsize=7, color=NAVY,
        )  # fmt: skip
    ax.set_xlim(0, top)
    ax.set_xlabel(t["points"])
    ax.set_ylabel(t["units"])
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.set_title(t["distribution"], pad=26)
    return _png(figure)


def groups_chart(report, t: dict, fmt: Callable) -> bytes:
    """Average points per criterion group, as a share of the group's maximum."""
    means = [m for m in report.group_means() if m[3] is not None][::-1]
    shares = [100 * mean / top for _c, _n, top, mean in means]
    labels = [_wrap(name, 44) for _code, name, _t, _m in means]
    figure = _figure(_label_rows(labels), base=1.2, per_row=0.5)
    ax = figure.add_subplot()
    bars = ax.barh(labels, shares, color=NAVY)
    ax.bar_label(
        bars, labels=[f"{fmt(m)}/{fmt(top)}" for _c, _n, top, m in means], padding=3, fontsize=8
    )
    ax.set_xlim(0, 115)
    ax.set_xlabel(t["share_of_max"])
    ax.set_title(t["groups"])
    return _png(figure)


def top_chart(report, t: dict, fmt: Callable) -> bytes:
    """The best-ranked candidates' totals."""
    rows = report.top()[::-1]
    labels = [_wrap(f"{s.rank_overall}. {s.name}", 40) for s in rows]
    figure = _figure(_label_rows(labels))
    ax = figure.add_subplot()
    bars = ax.barh(labels, [s.total for s in rows], color=NAVY)
    ax.bar_label(bars, labels=[fmt(s.total) for s in rows], padding=3, fontsize=8)
    ax.set_xlim(0, report.max_total * 1.1)
    ax.set_xlabel(t["points"])
    ax.set_title(t["top"])
    return _png(figure)


def compliance_chart(report, t: dict, fmt: Callable) -> bytes:
    """Share of candidates at full points, per indicator; the weakest in red."""
    stats = [i for i in report.indicators if i.counted]
    stats.sort(key=lambda i: (i.compliance, i.code), reverse=True)
    weakest = {i.code for i in report.weakest()}
    labels = [_wrap(i.name, 50) for i in stats]
    figure = _figure(_label_rows(labels))
    ax = figure.add_subplot()
    values = [100 * i.compliance for i in stats]
    colours = [RED if i.code in weakest else NAVY for i in stats]
    bars = ax.barh(labels, values, color=colours)
    ax.bar_label(bars, labels=[f"{fmt(v)}%" for v in values], padding=3, fontsize=8)
    for label, colour in zip(ax.get_yticklabels(), colours, strict=True):
        label.set_color(colour)
    ax.set_xlim(0, 112)
    ax.set_xlabel(t["share_units"])
    ax.set_title(t["compliance"])
    return _png(figure)


def comparison_chart(report, t: dict, fmt: Callable) -> bytes:
    """Dumbbell chart: interim and final totals of the candidates that changed most."""
    moves = biggest_moves(report.comparison)
    moves.sort(key=lambda c: c.points_change)
    labels = [_wrap(c.name, 34) for c in moves]
    figure = _figure(_label_rows(labels), base=1.6)
    ax = figure.add_subplot()
    for y, c in enumerate(moves):
        colour = GREEN if c.points_change >= 0 else RED
        ax.plot([c.interim_total, c.final_total], [y, y], color=colour, linewidth=2, zorder=1)
    ys = range(len(moves))
    ax.scatter([c.interim_total for c in moves], ys, color=GREY, label=t["interim"], zorder=2)
    ax.scatter([c.final_total for c in moves], ys, color=NAVY, label=t["final"], zorder=3)
    ax.set_yticks(list(ys), labels)
    lowest = min(min(c.interim_total, c.final_total) for c in moves)
    ax.set_xlim(max(0.0, lowest - report.max_total * 0.05), report.max_total * 1.02)
    ax.set_xlabel(t["points"])
    ax.set_title(t["comparison"])
    _legend(figure, 2)
    return _png(figure)


# Charts drawn lately, by what they show: a secretariat downloading the report in several
# formats, or opening the page again, gets the same PNGs without matplotlib drawing them anew.
CACHED_REPORTS = 8
_drawn: OrderedDict[str, dict] = OrderedDict()
_drawn_lock = threading.Lock()


def _chart_key(report, texts: dict, fmt: Callable) -> str:
    """What the charts depend on: the report's figures, the labels and the number format."""
    shown = (
        report.max_total, report.bands, report.groups, report.participation, report.standings,
        report.indicators, report.comparison, sorted(texts.items()), fmt(-1234567.891),
    )  # fmt: skip
    return hashlib.sha256(repr(shown).encode()).hexdigest()


def _draw(report, t: dict, fmt: Callable) -> dict:
    import matplotlib

    wanted = [
        ("participation", participation_chart, bool(report.participation)),
        ("distribution", distribution_chart, bool(report.totals)),
        ("groups", groups_chart, bool(report.standings)),
        ("top", top_chart, bool(report.ranked)),
        ("compliance", compliance_chart, any(i.counted for i in report.indicators)),
        ("comparison", comparison_chart, bool(biggest_moves(report.comparison or []))),
    ]
    with matplotlib.rc_context(STYLE):
        return {name: draw(report, t, fmt) for name, draw, has_data in wanted if has_data}


def build_charts(report, texts: dict | None = None, fmt: Callable | None = None) -> dict:
    """Every chart the report has data for, by name, as PNG bytes."""
    t = texts or VIETNAMESE
    fmt = fmt or number
    key = _chart_key(report, t, fmt)
    with _drawn_lock:
        if key in _drawn:
            _drawn.move_to_end(key)
            return dict(_drawn[key])
    charts = _draw(report, t, fmt)
    with _drawn_lock:
        _drawn[key] = charts
        while len(_drawn) > CACHED_REPORTS:
            _drawn.popitem(last=False)
    return dict(charts)
