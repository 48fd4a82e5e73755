"""Filters of a member's queue (state, conflict) and of the ranking (group, band, award)."""

from dataclasses import dataclass, field, replace

from ..extensions import db
from ..folding import matches
from ..models import Adjustment, EvidenceFlag, Review, User

QUEUE_STATES = ("assigned", "progress", "finished", "conflict")


def queue_state(review: Review, started: set[int], member: User) -> set[str]:
    """The queue filters a review answers to (recused, or of the member's own unit: conflict)."""
    states = set()
    if review.status == "done":
        states.add("finished")
    elif review.status == "assigned":
        states.add("progress" if review.id in started else "assigned")
    unit_id = review.dossier.candidate.unit_id
    if review.status == "recused" or (member.unit_id is not None and member.unit_id == unit_id):
        states.add("conflict")
    return states


def filter_queue(reviews: list[Review], member: User, state: str, text: str) -> list[Review]:
    """The reviews in `state` (any when empty or unknown) whose unit matches `text`."""
    ids = [r.id for r in reviews]
    started = set(
        db.session.scalars(db.select(Adjustment.review_id).where(Adjustment.review_id.in_(ids)))
    ) | set(
        db.session.scalars(db.select(EvidenceFlag.review_id).where(EvidenceFlag.review_id.in_(ids)))
    )
    kept = []
    for review in reviews:
        candidate = review.dossier.candidate
        if not matches(text, candidate.unit.code, candidate.unit.name, candidate.display_name):
            continue
        if state in QUEUE_STATES and state not in queue_state(review, started, member):
            continue
        kept.append(review)
    return kept


@dataclass
class RankFilter:
    """The ranking rows a person asked to see: group (cluster), band, award, excluded, text."""

    q: str = ""
    group: str = ""
    band: str = ""
    award: str = ""  # "yes", "no" or "" for both
    disqualified: str = ""  # likewise
    groups: list[str] = field(default_factory=list)
    bands: list[str] = field(default_factory=list)
    total: int = 0

    @classmethod
    def from_args(cls, args) -> "RankFilter":
        """Read the filter from request arguments; unknown yes/no values mean both."""

        def yes_no(name):
            return value if (value := args.get(name, "")) in ("yes", "no") else ""

        return cls(
            q=args.get("q", "").strip()[:100],
            group=args.get("group", "")[:100],
            band=args.get("band", "")[:100],
            award=yes_no("award"),
            disqualified=yes_no("disqualified"),
        )

    def args(self) -> dict[str, str]:
        """The filter as request arguments (for links to other pages of the same rows)."""
        return {
            "q": self.q, "group": self.group, "band": self.band, "award": self.award,
            "disqualified": self.disqualified,
        }  # fmt: skip

    @property
    def active(self) -> bool:
        """Whether any filter is set."""
        return bool(self.q or self.group or self.band or self.award or self.disqualified)

    def keeps(self, row: dict) -> bool:
        """Whether a ranking row stays on the page."""
        if self.group and (row.get("ranking_group") or "") != self.group:
            return False
        if self.band and (row.get("band") or "") != self.band:
            return False
        if self.award and bool(row.get("award_code")) != (self.award == "yes"):
            return False
        if self.disqualified and bool(row.get("disqualified")) != (self.disqualified == "yes"):
            return False
        return matches(self.q, row.get("unit_code"), row.get("unit_name"))


def filter_board(board, chosen: RankFilter):
    """The board with only the rows `chosen` keeps (its counts stay those of the whole round)."""
    chosen.groups = [label for label, _rows in board.groups]
    chosen.bands = sorted({r["band"] for r in board.overall if r.get("band")})
    chosen.total = len(board.overall)
    if not chosen.active:
        return board
    groups = [(label, [r for r in rows if chosen.keeps(r)]) for label, rows in board.groups]
    return replace(
        board,
        groups=[(label, rows) for label, rows in groups if rows],
        overall=[r for r in board.overall if chosen.keeps(r)],
    )


PAGE_SIZE = 100


@dataclass
class RankPage:
    """Which slice of the ranking rows a page shows, and the links to every other slice."""

    number: int = 1
    count: int = 1
    first: int = 0  # 1-based number of the first row shown (0 when none)
    last: int = 0
    total: int = 0
    # (page number, first row, last row) for every page: any row is one click away
    pages: list[tuple[int, int, int]] = field(default_factory=list)


def page_number(args) -> int:
    """The page asked for; anything not a small positive whole number means the first."""
    text = args.get("page", "")
    return int(text) if text.isdigit() and 0 < len(text) <= 6 else 1


def page_board(board, view: str, number: int, size: int | None = None):
    """The board cut to one page of `size` rows (groups in order, then rows in each group).

    Numbers past the last page show the last page. Counts and filters stay those of the
    whole board.
    """
    size = size or PAGE_SIZE
    total = len(board.overall)
    count = max(1, -(-total // size))
    number = min(max(1, number), count)
    start, stop = (number - 1) * size, min(number * size, total)
    page = RankPage(
        number=number,
        count=count,
        first=start + 1 if total else 0,
        last=stop,
        total=total,
        pages=[(n + 1, n * size + 1, min((n + 1) * size, total)) for n in range(count)],
    )
    if count == 1:
        return board, page
    if view == "overall":
        return replace(board, overall=board.overall[start:stop]), page
    groups, seen = [], 0
    for label, rows in board.groups:
        cut = rows[max(0, start - seen) : max(0, stop - seen)]
        if cut:
            groups.append((label, cut))
        seen += len(rows)
    return replace(board, groups=groups, overall=board.overall[start:stop]), page
