"""The demo's notifications: a dossier returned and resubmitted, reminders, a digest."""

from datetime import datetime, timedelta

from .dossiers.operations import submit_dossier
from .dossiers.supervision import return_for_supplement
from .extensions import db
from .models import Candidate, Dossier, Movement, Round, Unit, User
from .notify.council import send_digests
from .notify.operations import announce
from .notify.planning import plan_all
from .security.events import login_locked


def return_and_resubmit(round_: Round, unit: Unit, secretariat: User, editor: User) -> None:
    """The council returns the unit's interim dossier a day after the deadline; it comes back."""
    dossier = db.session.scalars(
        db.select(Dossier)
        .join(Candidate)
        .where(Dossier.round_id == round_.id, Candidate.unit_id == unit.id)
    ).one()
    returned = round_.deadline + timedelta(days=1)
    return_for_supplement(
        dossier,
        criteria=["TT1"],
        reason="Bổ sung văn bản quán triệt chỉ thị về chuyển đổi số (tài liệu kiểm chứng TT1).",
        due_at=returned + timedelta(days=3),
        user=secretariat,
        now=returned,
    )
    submit_dossier(dossier, user=editor, now=returned + timedelta(days=1, hours=3))


def seed_notifications(open_movement: Movement, secretariat: User, *, now: datetime) -> None:
    """Today's reminders and digest, an announcement to the open movement's units, and a
    sign-in blocked last night after wrong passwords (its owner and the administrator hear)."""
    member = db.session.scalars(db.select(User).filter_by(username="uyvien.le")).one()
    blocked = now - timedelta(hours=9)
    login_locked(member.username, "203.0.113.24", until=blocked + timedelta(minutes=15),
                 user=member, now=blocked)  # fmt: skip
    plan_all(now)
    send_digests(now)
    announce(
        open_movement,
        title="Hướng dẫn nộp hồ sơ sơ kết qua hệ thống",
        text="Các đơn vị nộp hồ sơ và tài liệu kiểm chứng trực tuyến, trước hạn ghi trên trang "
        "của đơn vị; không nhận hồ sơ giấy.",
        actor=secretariat,
        now=now,
    )
