"""Numbers at a glance for the secretariat: per round, returns, reviews per member, days left."""

import math
from dataclasses import dataclass, field
from datetime import datetime

from ..extensions import db
from ..models import Dossier, Review, User
from ..queries import RoundProgress

BAR_WIDTH = 240


@dataclass
class Glance:
    """One round's figures beyond participation, and its bar's segments."""

    progress: RoundProgress
    returned: int
    days_left: int  # negative once the deadline has passed
    members: list[tuple[str, int, int]] = field(default_factory=list)  # name, done, assigned
    bar: list[tuple[str, int, float, float]] = field(default_factory=list)  # kind, n, x, width


def days_left(deadline: datetime, now: datetime) -> int:
    """Whole days until the deadline (1 while under a day is left), negative once it passed."""
    seconds = (deadline - now).total_seconds()
    return math.ceil(seconds / 86400) if seconds > 0 else -math.floor(-seconds / 86400)


def _bar(p: RoundProgress) -> list[tuple[str, int, float, float]]:
    parts = [("on_time", p.submitted - p.late), ("late", p.late), ("missing", p.missing)]
    total = max(p.expected, sum(n for _k, n in parts), 1)
    segments, x = [], 0.0
    for kind, n in parts:
        width = BAR_WIDTH * max(n, 0) / total
        segments.append((kind, n, round(x, 1), round(width, 1)))
        x += width
    return segments


def glance(progress: list[RoundProgress], now: datetime) -> list[Glance]:
    """The figures of each round in `progress`."""
    ids = [p.round.id for p in progress]
    returned = dict(
        db.session.execute(
            db.select(Dossier.round_id, db.func.count())
            .where(Dossier.round_id.in_(ids), Dossier.status == "returned")
            .group_by(Dossier.round_id)
        ).all()
    )
    done = db.func.sum(db.case((Review.status == "done", 1), else_=0))
    members: dict[int, list] = {}
    rows = db.session.execute(
        db.select(Dossier.round_id, User.full_name, done, db.func.count(Review.id))
        .join(Review, Review.dossier_id == Dossier.id)
        .join(User, User.id == Review.reviewer_id)
        .where(Dossier.round_id.in_(ids), Review.status != "recused")
        .group_by(Dossier.round_id, User.id, User.full_name)
        .order_by(User.full_name)
    ).all()
    for round_id, name, finished, assigned in rows:
        members.setdefault(round_id, []).append((name, int(finished or 0), int(assigned)))
    return [
        Glance(
            progress=p,
            returned=returned.get(p.round.id, 0),
            days_left=days_left(p.round.deadline, now),
            members=members.get(p.round.id, []),
            bar=_bar(p),
        )
        for p in progress
    ]
