"""A view's write operation: committed once when it succeeds, rolled back and explained when
the domain refuses it, so views keep to load → check access → act."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from flask import flash

from .extensions import db


@dataclass
class Outcome:
    """What came of an action: whether it was committed, the refusal, the message shown."""

    ok: bool = True
    error: Exception | None = None
    message: str | None = None


@contextmanager
def committed(
    message: str | None = None,
    *,
    refused: type[Exception] | tuple[type[Exception], ...] = (),
    explain: Callable[[Exception], str] = str,
    show: Callable[[str, Exception], None] | None = None,
) -> Iterator[Outcome]:
    """Run the block; commit and flash `message` (or `outcome.message` set in the block), or,
    when it raises one of `refused`, roll back and flash `explain(error)` instead (or hand it
    to `show`, e.g. to put it under the form field it concerns).

    Any other exception rolls back and propagates (the error page says the rest).
    """
    outcome = Outcome(message=message)
    try:
        yield outcome
        # Inside the guard: a conflict found only at commit (a unique key taken by a request
        # a moment earlier) is a refusal like any other.
        db.session.commit()
    except refused as exc:
        db.session.rollback()
        outcome.ok, outcome.error = False, exc
        if show is None:
            flash(explain(exc), "error")
        else:
            show(explain(exc), exc)
        return
    except BaseException:
        db.session.rollback()
        raise
    if outcome.message:
        flash(outcome.message, "success")


def under(field_of: Callable[[Exception], object] | object) -> Callable[[str, Exception], None]:
    """A `show` that puts the refusal under a form field (or the field the error names)."""

    def show(message: str, error: Exception) -> None:
        # A form field is itself callable (it renders), so tell them apart by its errors.
        field = field_of if hasattr(field_of, "errors") else field_of(error)
        field.errors = [*field.errors, message]

    return show
