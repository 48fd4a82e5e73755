"""A view's action commits once when it succeeds and leaves nothing behind when refused."""

import pytest
from flask import get_flashed_messages

from emulation.actions import committed
from emulation.extensions import db
from emulation.models import Cluster


class Refused(ValueError):
    pass


def _clusters() -> list[str]:
    return list(db.session.scalars(db.select(Cluster.code)))


def test_a_successful_action_is_committed_and_said(app):
    with app.test_request_context():
        with committed("Đã lưu.", refused=Refused) as outcome:
            db.session.add(Cluster(code="C9", name="Cụm 9"))
        db.session.rollback()  # nothing left to undo: the action was committed
        assert outcome.ok and _clusters() == ["C9"]
        assert get_flashed_messages(with_categories=True) == [("success", "Đã lưu.")]


def test_a_refused_action_leaves_nothing_and_says_why(app):
    with app.test_request_context():
        with committed("Đã lưu.", refused=Refused, explain=lambda e: f"Không được: {e}") as outcome:
            db.session.add(Cluster(code="C9", name="Cụm 9"))
            db.session.flush()
            raise Refused("đã khóa")
        assert not outcome.ok and isinstance(outcome.error, Refused) and _clusters() == []
        assert get_flashed_messages(with_categories=True) == [("error", "Không được: đã khóa")]


def test_an_unexpected_error_rolls_back_and_reaches_the_error_page(app):
    with app.test_request_context():
        with pytest.raises(KeyError), committed("Đã lưu.", refused=Refused):
            db.session.add(Cluster(code="C9", name="Cụm 9"))
            db.session.flush()
            raise KeyError("x")
        assert _clusters() == [] and get_flashed_messages() == []


def test_a_message_known_only_after_the_action_is_the_one_shown(app):
    with app.test_request_context():
        with committed() as outcome:
            outcome.message = f"{len(_clusters())} cụm."
        assert get_flashed_messages() == ["0 cụm."]


def test_a_conflict_found_at_commit_is_refused_like_any_other(app):
    from sqlalchemy.exc import IntegrityError

    db.session.add(Cluster(code="C9", name="Cụm 9"))
    db.session.commit()
    with app.test_request_context():
        with committed("Đã lưu.", refused=IntegrityError, explain=lambda e: "Mã đã có.") as outcome:
            db.session.add(Cluster(code="C9", name="Cụm 9 lần nữa"))
        assert not outcome.ok and _clusters() == ["C9"]
        assert get_flashed_messages(with_categories=True) == [("error", "Mã đã có.")]
