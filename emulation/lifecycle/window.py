"""Submission and registration windows: the one place that decides when a unit may act."""

from dataclasses import dataclass
from datetime import datetime

from ..extensions import db
from ..models import DeadlineExtension, Dossier, Movement, Registration, Round, Unit
from ..scoring.deadline import window_state
from .rules import rules_of

__all__ = ["RegistrationWindow", "SubmissionWindow", "dossier_window_state", "window_state"]


@dataclass(frozen=True)
class SubmissionWindow:
    """The submission window of one unit in one round: round, extension or supplement."""

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
            return window_state(now, opens_at=None, deadline=self.supplement_due)
        return self.round.state(now, extended_until=self.extended_until)

    def is_open(self, now: datetime) -> bool:
        """Whether a submission at `now` is accepted."""
        return self.state(now) in ("open", "grace")


def dossier_window_state(dossier: Dossier, now: datetime) -> str:
    """The submission state of this dossier at `now` (see SubmissionWindow)."""
    return SubmissionWindow.for_dossier(dossier).state(now)


@dataclass(frozen=True)
class RegistrationWindow:
    """When units may register in a movement: the [registration] table of its rule file."""

    opens_at: datetime | None
    deadline: datetime

    @classmethod
    def for_movement(cls, movement: Movement):
        """The movement's window, or None when its rule file asks for no registration."""
        rules = movement_rules(movement)
        spec = rules.registration if rules is not None else None
        return None if spec is None else cls(spec.opens_at, spec.deadline)

    @classmethod
    def for_unit(cls, movement: Movement, registration: Registration | None):
        """The window of one unit: later when the secretariat returned it with a due time."""
        window = cls.for_movement(movement)
        if window is None or registration is None or registration.reopened_until is None:
            return window
        return cls(window.opens_at, max(window.deadline, registration.reopened_until))

    def state(self, now: datetime) -> str:
        """not_started, open or closed (no grace: late registrations are refused)."""
        return window_state(now, opens_at=self.opens_at, deadline=self.deadline)

    def is_open(self, now: datetime) -> bool:
        """Whether a unit may save or confirm at `now`."""
        return self.state(now) == "open"


def movement_rules(movement: Movement):
    """The rule set registration follows: the one frozen on the movement's first round."""
    return rules_of(movement.rounds[0]) if movement.rounds else None
