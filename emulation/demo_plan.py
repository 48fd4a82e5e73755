"""Demo registrations and activity plans, modelled on the seed plans (lead units, due dates)."""

import hashlib
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from .extensions import db
from .models import Movement, Unit, User
from .plan.operations import ActivityInput, add_activity, end_of_day, report_progress
from .registration import operations as reg

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
OPEN_MOVEMENT_CODE = "vksnd-danang-cds-2026"

# (number, activity, lead, coordinating, start, due, expected output, completed days after due)
# Completion: None = still open; a negative number = days before the due date.
SEED_PLAN = [
    ("1", "Quán triệt, tuyên truyền Kế hoạch phát động phong trào thi đua chuyển đổi số đến "
     "toàn thể công chức, người lao động", "VKS-VP", ["VKS-TKCNTT"], None, date(2023, 11, 15),
     "Báo cáo kết quả quán triệt; tin bài trên Trang thông tin điện tử", -3),
    ("2", "Xây dựng chuyên mục «Chuyển đổi số trong Ngành Kiểm sát Đà Nẵng» trên Trang thông "
     "tin điện tử; viết tin, bài về gương điển hình", "VKS-VP", ["VKS-TKCNTT"], None,
     date(2024, 3, 31), "Chuyên mục và ít nhất 10 tin, bài", -10),
    ("3", "Tập huấn sử dụng chữ ký số và phần mềm quản lý văn bản cho công chức",
     "VKS-TKCNTT", ["VKS-TCCB"], date(2024, 3, 1), date(2024, 4, 30),
     "Tài liệu và danh sách học viên", -5),
    ("4", "Kiểm tra tiến độ, chất lượng chuyển đổi số tại các VKSND quận, huyện", "VKS-TTR",
     ["VKS-TKCNTT", "VKS-HC", "VKS-TK"], None, date(2024, 6, 30), "Kết luận kiểm tra", 10),
    ("5", "Đề xuất sáng kiến, giải pháp ứng dụng công nghệ thông tin giải quyết vướng mắc "
     "trong nghiệp vụ", "VKS-P1", ["VKS-P2", "VKS-P3"], None, date(2024, 7, 31),
     "Danh mục sáng kiến được công nhận", -2),
    ("6", "Rà soát an toàn thông tin, bảo đảm vận hành liên tục hệ thống mạng và thiết bị",
     "VKS-TKCNTT", [], None, date(2024, 8, 15), "Báo cáo rà soát an toàn thông tin", -1),
    ("7", "Sơ kết phong trào năm 2024: tổng hợp hồ sơ, đề xuất khen thưởng tập thể, cá nhân "
     "có thành tích xuất sắc", "VKS-TCCB", ["VKS-VP"], None, date(2024, 9, 30),
     "Tờ trình khen thưởng", -4),
    ("8", "Tọa đàm «Chuyển đổi số – từ chủ trương đến thực tiễn» nhân Ngày Chuyển đổi số quốc "
     "gia 10/10", "VKS-HC", ["VKS-TK", "VKS-ST"], None, date(2024, 10, 10),
     "Kỷ yếu tọa đàm", 0),
    ("9", "Vận hành phần mềm quản lý án hình sự tại toàn bộ VKSND quận, huyện", "VKS-TKCNTT",
     ["VKS-HC", "VKS-TK", "VKS-LC"], None, date(2025, 3, 31), "Báo cáo vận hành", -7),
    ("10", "Số hóa hồ sơ vụ án đã kết thúc năm 2023", "VKS-HC", ["VKS-TKCNTT"], None,
     date(2025, 6, 30), "Kho hồ sơ số hóa", None),
    ("11", "Tổ chức Lễ tổng kết phong trào và khen thưởng nhân Ngày Chuyển đổi số quốc gia "
     "10/10/2025", "VKS-VP", ["VKS-TCCB"], None, date(2025, 10, 10), "Quyết định khen thưởng",
     -1),
]  # fmt: skip

NOT_REGISTERED = "VKS-HV"
DRAFT_ONLY = "VKS-P11"
NOT_DECIDED = "VKS-CL"


def load_plan_demo(movement: Movement, units: dict[str, Unit], users: dict[str, User], *, now):
    """Registrations of the seed movement's units, its plan, and two activities in 2026."""
    _registrations(movement, units, users)
    _plan(movement, units, users, now)
    open_movement = db.session.execute(
        db.select(Movement).filter_by(code=OPEN_MOVEMENT_CODE)
    ).scalar_one_or_none()
    if open_movement is not None:
        _open_registration(open_movement, units, now)
        _open_plan(open_movement, units, now)


def _registrations(movement, units, users) -> None:
    secretariat = users["thuky"]
    editor, head = users["canbo.haichau"], users["truong.haichau"]
    for index, (code, unit) in enumerate(sorted(units.items())):
        if code == NOT_REGISTERED:
            continue
        at = datetime(2023, 11, 1, 8, tzinfo=ZONE) + timedelta(days=index, hours=index % 5)
        own = code == editor.unit.code
        registration = reg.save_draft(
            movement,
            unit,
            targets={"UD_KY_SO": 1.0 if index % 3 else 0.95, "UD_GUI_DIEN_TU": 0.9},
            titles=["tt-ldxs", "bang-khen-vkstc"] if index % 4 == 0 else ["tt-ldxs"],
            note="Phấn đấu hoàn thành 100% nhiệm vụ chuyển đổi số được giao đúng hạn.",
            user=editor if own else None,
            now=at,
        )
        if code == DRAFT_ONLY:
            continue
        reg.confirm(registration, user=head if own else None, now=at + timedelta(hours=2))
        if code != NOT_DECIDED:
            reg.accept(registration, user=secretariat, now=at + timedelta(days=2))


def _plan(movement, units, users, now) -> None:
    editor = users["canbo.haichau"]
    for number, title, lead, helpers, starts, due, output, done_after in SEED_PLAN:
        data = ActivityInput(
            number, title, units[lead], [units[c] for c in helpers], starts, due, output
        )
        created = datetime(2023, 10, 20, 9, tzinfo=ZONE)
        activity = add_activity(movement, data, user=users["thuky"], now=created)
        due_at = end_of_day(due)
        if done_after is None:
            midway = min(due_at - timedelta(days=30), now)
            report_progress(
                activity, progress=60, done=False, note="Đã số hóa khoảng 60% hồ sơ.",
                user=editor if lead == editor.unit.code else None, now=midway,
            )  # fmt: skip
            continue
        finished = due_at + timedelta(days=done_after) - timedelta(hours=6)
        report_progress(
            activity, progress=100, done=True, note="Đã hoàn thành.",
            user=editor if lead == editor.unit.code else None, now=min(finished, now),
        )  # fmt: skip


def _open_registration(movement, units, now) -> None:
    """The 2026 copy opens registration around today: visitors can register and confirm."""
    round_ = movement.rounds[0]
    opens = (now - timedelta(days=10)).astimezone(ZONE).replace(microsecond=0)
    closes = datetime.combine((now + timedelta(days=7)).astimezone(ZONE).date(), time(23, 59, 59))
    seed = "opens_at = 2023-10-01T00:00:00+07:00\ndeadline = 2023-11-30T23:59:59+07:00"
    text = round_.rules_text.replace(
        seed, f"opens_at = {opens.isoformat()}\ndeadline = {closes.isoformat()}+07:00"
    )
    if text == round_.rules_text:
        return
    round_.rules_text = text
    round_.rules_hash = hashlib.sha256(text.encode("utf-8")).hexdigest()
    db.session.flush()
    for index, code in enumerate(("VKS-TK", "VKS-ST", "VKS-LC", "VKS-CL")):
        at = now - timedelta(days=8 - index)
        registration = reg.save_draft(
            movement, units[code], targets={"UD_KY_SO": 1.0, "UD_GUI_DIEN_TU": 0.95},
            titles=["tt-ldxs"], note="", user=None, now=at,
        )  # fmt: skip
        if index < 3:
            reg.confirm(registration, user=None, now=at + timedelta(hours=3))


def _open_plan(movement, units, now) -> None:
    today = now.astimezone(ZONE).date()
    for number, title, lead, due in (
        ("1", "Đăng ký chỉ tiêu chữ ký số năm 2026 với Thường trực Hội đồng", "VKS-TK",
         today - timedelta(days=3)),
        ("2", "Báo cáo kết quả số hóa hồ sơ quý I", "VKS-HC", today + timedelta(days=5)),
    ):  # fmt: skip
        add_activity(
            movement,
            ActivityInput(number, title, units[lead], [units["VKS-TKCNTT"]], None, due),
            user=None,
            now=now - timedelta(days=30),
        )
