"""The demo's council work: interim round reviewed, voted on and frozen; final one in review."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from .council.assignment import auto_assign
from .council.reviewing import adjust, finish
from .council.snapshots import freeze, live_payload
from .council.state import council_members
from .council.votes import cast_votes, proposals, recusals, save_meeting
from .extensions import db
from .models import Review, Round, User
from .operations import create_user

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
# Further council members, so the meeting can reach the rule file's quorum (2/3 of 9).
MEMBERS = [
    ("uyvien.pham", "Phạm Quốc Huy"),
    ("uyvien.hoang", "Hoàng Thị Mai"),
    ("uyvien.vo", "Võ Đức Thắng"),
    ("uyvien.dang", "Đặng Minh Châu"),
    ("uyvien.bui", "Bùi Thanh Tùng"),
]
ADJUSTED = "TT_TIN_BAI"


def seed_council(rounds: list[Round], secretariat: User, *, password: str, now: datetime) -> None:
    """Review, vote on and freeze the interim round; leave the final round half reviewed."""
    for username, name in MEMBERS:
        create_user(username=username, password=password, role="reviewer", full_name=name, now=now,
                    check_strength=False)  # fmt: skip
    interim, final = rounds[0], rounds[-1]
    award_day = interim.award_date or (interim.deadline + timedelta(days=40)).date()
    _review_all(interim, secretariat, at=interim.deadline + timedelta(days=5))
    _vote(interim, secretariat, at=_local(award_day, days=-15, hour=8))
    freeze(interim, user=secretariat, now=_local(award_day, days=-14, hour=9))
    _review_all(final, secretariat, at=final.deadline + timedelta(days=3), finished_share=2)


def _local(day, *, days: int, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=ZONE) + timedelta(days=days)


def _review_all(round_: Round, secretariat: User, *, at: datetime, finished_share=1) -> None:
    """Two members per dossier; every `finished_share`-th review finished, one adjusted."""
    auto_assign(round_, per_dossier=2, user=secretariat, now=at)
    reviews = db.session.execute(
        db.select(Review)
        .join(Review.dossier)
        .where(Review.dossier.has(round_id=round_.id))
        .order_by(Review.id)
    ).scalars()
    for index, review in enumerate(reviews):
        if index % finished_share:
            continue
        when = at + timedelta(days=2, minutes=index)
        if index == 0:
            adjust(
                review,
                indicator_code=ADJUSTED,
                points=2,
                reason=(
                    "Minh chứng chỉ có 8 tin bài đăng trên Cổng thông tin, "
                    "chưa đủ 12 tin/năm như kế hoạch."
                ),
                user=review.reviewer,
                now=when,
            )
        finish(review, user=review.reviewer, now=when)


def _vote(round_: Round, secretariat: User, *, at: datetime) -> None:
    """A meeting with seven of nine members present; everyone present agrees but one abstains."""
    members = council_members()[:7]
    meeting = save_meeting(
        round_,
        held_at=at,
        place="Phòng họp số 1, Viện kiểm sát nhân dân thành phố Đà Nẵng",
        members_total=9,
        present_ids=[m.id for m in members],
        chair_id=members[0].id,
        user=secretariat,
        now=at,
    )
    payload = live_payload(round_)
    dossier_of = {c["key"]: c["dossier_id"] for c in payload["inputs"]["candidates"]}
    proposed = proposals(payload["results"]["results"], dossier_of)
    barred = recusals(round_)
    for position, member in enumerate(members):
        choices = {
            dossier_id: "abstain" if position == len(members) - 1 else "agree"
            for dossier_id in proposed
            if member.id not in barred.get(dossier_id, set())
        }
        cast_votes(meeting, member, choices, proposed, now=at + timedelta(minutes=30))
