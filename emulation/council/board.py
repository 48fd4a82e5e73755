"""The ranking as the page shows it, built from result records (live or frozen alike)."""

from dataclasses import dataclass, field

from markupsafe import escape

from ..standings.comparison import change_of
from ..standings.model import grouped, ordered


@dataclass
class Board:
    """Rows per ranking group and overall, with what the page states about them."""

    groups: list[tuple[str, list[dict]]] = field(default_factory=list)
    overall: list[dict] = field(default_factory=list)
    group_defs: list[dict] = field(default_factory=list)
    tie_policy: str = ""
    rounding: str = ""
    rules: dict = field(default_factory=dict)
    awarded: int = 0
    disqualified: int = 0


def interim_change(row: dict, before: dict | None) -> dict | None:
    """The interim standing of a candidate and how the final one differs from it.

    Ranks and their changes come both in the candidate's group and overall, from the same
    comparison the final report uses; each view shows its own.
    """
    if before is None:
        return None
    change = change_of(row["unit_code"], before, row)
    return {
        "total": before["total"],
        "band": before.get("band"),
        "rank_in_group": before["rank_in_group"],
        "rank_overall": before["rank_overall"],
        "total_change": change.points_change,
        # A positive rank change is an improvement (a smaller rank number).
        "rank_in_group_change": change.rank_in_group_change,
        "rank_overall_change": change.rank_change,
    }


def _shown(row: dict, group_codes: list[str], fmt) -> None:
    """Add the row's numbers as display text (keys `shown_*`), formatted once here.

    Plain values only (str, numbers), no containers: a round may hold a thousand rows and
    the garbage collector stops tracking dicts that hold nothing else.
    """
    # HTML cells as a plain str (marked safe in the template; each number is escaped here)
    row["shown_group_cells"] = "".join(
        f'<td class="num">{escape(fmt(row[code]))}</td>' for code in group_codes
    )
    for name in ("bonus", "penalty", "total"):
        row[f"shown_{name}"] = fmt(row[name])
    before = row.get("interim")
    if before:
        change = before["total_change"]
        row["shown_interim_total"] = fmt(before["total"])
        row["shown_change"] = "" if change is None else ("+" if change > 0 else "") + fmt(change)


def _remembered(fmt):
    """`fmt` with its answers kept per value (equal numbers give equal text)."""
    texts: dict = {}

    def remembered(value):
        """The value as text."""
        key = (type(value), value)
        text = texts.get(key)
        if text is None:
            text = texts[key] = fmt(value)
        return text

    return remembered


def show_rows(board: Board, view: str, fmt) -> None:
    """Give the rows the `view` shows ("overall" or by group) their numbers as text."""
    codes = [g["code"] for g in board.group_defs]
    fmt = _remembered(fmt)
    if view == "overall":
        rows = board.overall
    else:
        rows = [row for _label, members in board.groups for row in members]
    for row in rows:
        _shown(row, codes, fmt)


def build_board(
    results: dict, inputs: dict, interim: dict[str, dict] | None = None, fmt=None
) -> Board:
    """Group and order result records; attach dossier ids, council items and interim figures.

    `interim` holds the earlier review's result records by candidate key.

    With `fmt` (a number formatter) every row also gets its numbers as text (`shown_*`).
    """
    dossier_of = {c["key"]: c["dossier_id"] for c in inputs.get("candidates", [])}
    council: dict[str, int] = {}
    for point in inputs.get("council_points", []):
        council[point["unit_code"]] = council.get(point["unit_code"], 0) + 1
    codes = [g["code"] for g in results.get("groups", [])]
    if fmt is not None:
        # Points repeat a lot across a thousand rows (full marks, zero): each text made once.
        fmt = _remembered(fmt)
    rows = []
    for record in results.get("results", []):
        row = dict(record)
        row["dossier_id"] = dossier_of.get(row["unit_code"])
        row["council_items"] = council.get(row["unit_code"], 0)
        if interim is not None:
            row["interim"] = interim_change(row, interim.get(row["unit_code"]))
        if fmt is not None:
            _shown(row, codes, fmt)
        rows.append(row)
    return Board(
        groups=grouped(rows),
        overall=ordered(rows, "rank_overall"),
        group_defs=results.get("groups", []),
        tie_policy=results.get("tie_policy", ""),
        rounding=results.get("rounding", ""),
        rules=results.get("rules") or {},
        awarded=sum(1 for r in rows if r.get("award_code")),
        disqualified=sum(1 for r in rows if r["disqualified"]),
    )
