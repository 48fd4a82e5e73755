"""Whether a round's ranking is frozen, and the row lock that orders freezing and changes."""

from ..extensions import db
from ..models import RankingSnapshot, Round


def active_snapshot(round_: Round) -> RankingSnapshot | None:
    """The round's frozen ranking, unless it was reopened (the latest one counts)."""
    return db.session.execute(
        db.select(RankingSnapshot)
        .where(RankingSnapshot.round_id == round_.id, RankingSnapshot.reopened_at.is_(None))
        .order_by(RankingSnapshot.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def lock_round(round_: Round, *, shared: bool = False) -> None:
    """Lock the round's row until commit, so a freeze never interleaves with a change.

    Submissions and returns take a shared lock (they may run side by side, as in the last
    hour before a deadline); freezing takes the exclusive one and waits for them.
    """
    statement = db.select(Round.id).where(Round.id == round_.id)
    db.session.execute(statement.with_for_update(read=shared))


def is_frozen(round_: Round) -> bool:
    """Whether the ranking is frozen, holding a shared lock on the round until commit.

    A change that asks this first cannot land after a freeze it did not see.
    """
    lock_round(round_, shared=True)
    return active_snapshot(round_) is not None
