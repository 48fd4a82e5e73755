"""Shared council state: the error type and whether a round's ranking is frozen."""

from ..extensions import db
from ..models import RankingSnapshot, Round, User


class CouncilError(ValueError):
    """A council action that cannot be carried out; `code` names the reason for the page."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


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


def ensure_not_frozen(round_: Round) -> None:
    """Refuse a change to a round whose ranking is frozen (reopen it first, with a reason)."""
    if active_snapshot(round_) is not None:
        raise CouncilError("frozen")


def council_members() -> list[User]:
    """Active council members (reviewer accounts), by name."""
    return list(
        db.session.execute(
            db.select(User)
            .where(User.role == "reviewer", User.active.is_(True))
            .order_by(User.full_name, User.id)
        ).scalars()
    )
