"""The one place that decides when a unit may submit: round, extension or supplement."""

from dataclasses import dataclass
from datetime import datetime

from ..extensions import db
from ..models import DeadlineExtension, Dossier, Round, Unit


@dataclass(frozen=True)
class SubmissionWindow:
    """The submission window of one unit in one round."""

    round: Round
    extended_until: datetime | None = None
    supplement_due: datetime | None = None

    @classmethod
    def for_unit(cls, round_: Round, unit: Unit, dossier: Dossier | None = None):
        """The window for `unit`, taking its extension and any open supplement into account."""
        extension = db.session.execute(
            db.select(DeadlineExtension).filter_by(round_id=round_.id, unit_id=unit.id)
        ).scalar_one_or_none()
        supplement = dossier.open_supplement if dossier is not None else None
        return cls(
            round_,
            extension.until if extension else None,
            supplement.due_at if supplement else None,
        )

    @classmethod
    def for_dossier(cls, dossier: Dossier):
        """The window that applies to a dossier."""
        return cls.for_unit(dossier.round, dossier.candidate.unit, dossier)

    @property
    def deadline(self) -> datetime:
        """The last on-time instant: the supplement's due time, the extension, or the round's."""
        if self.supplement_due is not None:
            return self.supplement_due
        if self.extended_until is not None:
            return max(self.round.deadline, self.extended_until)
        return self.round.deadline

    def state(self, now: datetime) -> str:
        """not_started, open, grace (accepted, flagged late) or closed."""
        if self.supplement_due is not None:
            # A supplement has its own due time and no grace window.
            return "open" if now.replace(microsecond=0) <= self.supplement_due else "closed"
        return self.round.state(now, extended_until=self.extended_until)

    def is_open(self, now: datetime) -> bool:
        """Whether a submission at `now` is accepted."""
        return self.state(now) in ("open", "grace")
