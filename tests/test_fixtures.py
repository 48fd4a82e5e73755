"""The fixtures plugin: each test's writes are rolled back, a view's commit is seen at once,
a failed write rolls back only to its savepoint, the shared app's config is put back, and a
test marked `commits` really commits."""

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from emulation.extensions import db
from emulation.models import Unit

MARK = "FIXTURE-PLUGIN"


def _count(code: str) -> int:
    return db.session.execute(db.select(db.func.count()).where(Unit.code == code)).scalar()


def test_a_write_committed_by_one_test(make):
    make.unit(code=MARK)
    db.session.commit()
    assert _count(MARK) == 1


def test_is_gone_in_the_next(app):
    # Runs after the test above (file order) and on the same shared app.
    assert _count(MARK) == 0


def test_a_failed_write_rolls_back_to_its_savepoint_only(make):
    make.unit(code="KEPT")
    db.session.commit()
    with pytest.raises(IntegrityError):
        make.unit(code="KEPT")
    db.session.rollback()
    assert _count("KEPT") == 1
    make.unit(code="AFTER-ROLLBACK")
    db.session.commit()
    assert _count("AFTER-ROLLBACK") == 1


def test_a_view_commit_is_seen_by_the_test(make, client, auth):
    admin = make.user("admin", username="quantri")
    db.session.commit()
    assert admin.locale != "en"
    auth.login(admin)
    client.post("/lang", data={"lang": "en"})
    db.session.expire_all()
    assert admin.locale == "en"


def test_a_config_change_by_one_test(app, set_now):
    from datetime import UTC, datetime

    set_now(datetime(2030, 1, 1, tzinfo=UTC))
    app.config["FIXTURE_PLUGIN"] = True


def test_is_not_seen_by_the_next(app):
    assert "FIXTURE_PLUGIN" not in app.config
    assert "NOW" not in app.config or app.config["NOW"]().year != 2030


@pytest.mark.commits
def test_a_test_marked_commits_is_seen_by_another_connection(make, app):
    unit = make.unit(code="COMMITTED")
    db.session.commit()
    with db.engine.connect() as other:
        found = other.execute(text("SELECT code FROM units WHERE id = :id"), {"id": unit.id})
        assert found.scalar() == "COMMITTED"
