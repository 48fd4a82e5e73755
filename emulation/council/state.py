"""Shared council state: the error type and whether a round's ranking is frozen."""

from ..extensions import db
from ..lifecycle.freeze import active_snapshot, lock_round
from ..models import Round, User

__all__ = ["CouncilError", "active_snapshot", "council_members", "ensure_not_frozen", "lock_round"]


class CouncilError(ValueError):
    """A council action that cannot be carried out; `code` names the reason for the page."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


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
