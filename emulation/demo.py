"""The demo: the Đà Nẵng procuracy's digital-transformation movement, plus a round open today."""

import contextlib
import math
import random
import re
import unicodedata
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from .demo_council import seed_council
from .demo_evidence import submit_with_evidence
from .demo_notify import return_and_resubmit, seed_notifications
from .demo_plan import load_plan_demo
from .dossiers.operations import DeadlinePassed, fill_and_submit
from .extensions import db
from .models import Movement, Round, Unit
from .operations import create_movement_from_rules, create_user, enrol_unit, upsert_unit
from .resources import resource_dir

SEED_RULES = "vksnd_danang_cds_2023_2025.toml"
OPEN_MOVEMENT_CODE = "vksnd-danang-cds-2026"
PASSWORD = "ThiDua@2026"
DEMO_UNIT = "VKS-HC"
REVIEWER_UNIT = "VKS-TK"

# (username, role, full name, unit code, description for the printed table)
DEMO_USERS = [
    ("admin", "admin", "Quản trị hệ thống", None, "Administrator"),
    ("thuky", "secretariat", "Nguyễn Thị Thu", None, "Council secretariat (thường trực)"),
    ("uyvien.tran", "reviewer", "Trần Văn Minh", None, "Council member (thành viên HĐ)"),
    ("uyvien.le", "reviewer", "Lê Thị Hoa", REVIEWER_UNIT, "Council member from VKSND Thanh Khê"),
    ("canbo.haichau", "unit_editor", "Phạm Văn Nam", DEMO_UNIT, "Unit editor, VKSND Hải Châu"),
    ("truong.haichau", "unit_head", "Đỗ Thị Lan", DEMO_UNIT, "Unit head, VKSND Hải Châu"),
]
DEMO_LOGINS = [(u, PASSWORD, d) for u, _r, _n, _c, d in DEMO_USERS]


def load_demo(*, now: datetime) -> bool:
    """Load the demo unless it is there already; returns whether anything was created."""
    from .scoring import load_rules, read_values

    path = resource_dir("scoring_rules") / SEED_RULES
    rules = load_rules(path)
    if db.session.execute(db.select(Movement).filter_by(code=rules.movement.code)).first():
        return False
    text = path.read_text(encoding="utf-8")
    movement = create_movement_from_rules(rules, filename=path.name, text=text, now=now)
    frames = {}
    for spec in rules.rounds:
        values_path = path.with_name(f"{path.stem}.{spec.code}.csv")
        frames[spec.code] = read_values(values_path, rules)
    units = _units_from(next(iter(frames.values())))
    for unit in units.values():
        enrol_unit(movement, unit)
    users = {}
    for username, role, full_name, unit_code, _d in DEMO_USERS:
        users[username] = create_user(
            username=username,
            password=PASSWORD,
            role=role,
            full_name=full_name,
            email=f"{username}@thidua.example",
            unit=units.get(unit_code) if unit_code else None,
            now=now,
            # The demo's shared password is printed for everyone: strength protects nothing.
            check_strength=False,
        )
    editor = users["canbo.haichau"]
    for round_ in movement.rounds:
        _submit_round(round_, frames[round_.code], rules, units, editor)
    _nominate_individuals(movement.rounds[-1], frames[movement.rounds[-1].code], rules, units,
                          now=now)  # fmt: skip
    return_and_resubmit(movement.rounds[0], units[DEMO_UNIT], users["thuky"], editor)
    seed_council(movement.rounds, users["thuky"], password=PASSWORD, now=now)
    open_movement = _open_movement(rules, text, path.name, frames, units, editor, now)
    load_plan_demo(movement, units, users, now=now)
    seed_notifications(open_movement, users["thuky"], now=now)
    return True


def _slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text.replace("Đ", "D").replace("đ", "d"))
    plain = plain.encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "-", plain).strip("-").upper()[:40]


def _units_from(frame) -> dict[str, Unit]:
    units = {}
    for row in frame.itertuples(index=False):
        cluster = getattr(row, "cluster", None) or None
        units[row.unit_code] = upsert_unit(
            code=row.unit_code,
            name=getattr(row, "unit_name", row.unit_code),
            cluster_code=_slug(cluster) if cluster else None,
            cluster_name=cluster,
        )
        # A staff count, so the collective titles' share of members can be judged.
        units[row.unit_code].headcount = 8 + len(units) % 7
    return units


def _values_of(row: dict, rules) -> dict[str, float | str | None]:
    from .scoring.values import value_columns

    values = {}
    for column in value_columns(rules):
        raw = row.get(column.name)
        number = _num(raw)
        values[column.name] = number if number is not None else _str(raw)
    return values


def _num(raw):
    if isinstance(raw, bool):
        return float(raw)
    if isinstance(raw, int | float) and not (isinstance(raw, float) and math.isnan(raw)):
        return float(raw)
    return None


def _str(raw):
    if raw is None or (isinstance(raw, float) and math.isnan(raw)):
        return None
    return str(raw)


def _submitted_at(row: dict, round_: Round, rng: random.Random) -> datetime:
    stamp = row.get("submitted_at")
    if isinstance(stamp, datetime) and stamp.tzinfo is not None:
        return stamp
    return round_.deadline - timedelta(days=rng.randint(1, 20), minutes=rng.randint(0, 600))


def _submit_round(round_, frame, rules, units, editor) -> None:
    rng = random.Random(round_.code)
    for row in frame.to_dict("records"):
        unit = units[row["unit_code"]]
        candidate = enrol_unit(round_.movement, unit)
        at = _submitted_at(row, round_, rng)
        who = editor if unit.id == editor.unit_id else None
        # A late row is refused as the server would: the dossier stays a draft.
        values = _values_of(row, rules)
        _record_initiatives(round_, candidate, values, rules, unit.name)
        with contextlib.suppress(DeadlinePassed):
            if round_.kind == "final":  # the round a visitor reviews: narratives and files
                submit_with_evidence(round_, candidate, values, rules, user=who, now=at, rng=rng)
            else:
                fill_and_submit(round_, candidate, values, user=who, now=at)


# People the demo's units nominate, each with the figures of a unit row of the final round.
DEMO_INDIVIDUALS = [
    ("VKS-HC", "Nguyễn Thị Lan", "Kiểm sát viên trung cấp", "xuat-sac"),
    ("VKS-HC", "Trần Văn Minh", "Chuyên viên", "tot"),
    ("VKS-P1", "Lê Quang Huy", "Phó Trưởng phòng", "xuat-sac"),
    ("VKS-P2", "Phạm Thị Thu", "Kiểm sát viên", "tot"),
]


def _nominate_individuals(round_, frame, rules, units, *, now) -> None:
    from .nominees.operations import NomineeInput, nominate

    rows = sorted(frame.to_dict("records"), key=lambda r: str(r["unit_code"]))
    rng = random.Random(f"{round_.code}-individuals")
    for i, (code, name, position, rating) in enumerate(DEMO_INDIVIDUALS):
        if code not in units:
            continue
        person = nominate(round_.movement, units[code], NomineeInput(
            name, position, rating, "Tích cực ứng dụng công nghệ thông tin trong công tác."
        ), user=None, now=round_.deadline - timedelta(days=30))  # fmt: skip
        at = round_.deadline - timedelta(days=2, minutes=i)
        # A reviewer opening a nominee's dossier finds narratives and files as for a unit.
        values = _values_of(rows[i], rules)
        _record_initiatives(round_, person, values, rules, name)
        submit_with_evidence(round_, person, values, rules, user=None, now=at, rng=rng)


def _record_initiatives(round_, candidate, values, rules, author: str) -> None:
    """The initiatives behind a row's count, in the register and counted for the candidate.

    The rules fill the initiatives indicator from the register, so the demo records as many
    recognised initiatives as the row counts, decided within the round.
    """
    from .models import Initiative, InitiativeClaim

    code = rules.initiatives.indicator if rules.initiatives else None
    count = int(values.get(code) or 0) if code else 0
    decided = (round_.deadline - timedelta(days=60)).date()
    for k in range(count):
        initiative = Initiative(
            unit=candidate.unit, title=f"Ứng dụng số hóa hồ sơ nghiệp vụ {round_.code}-{k + 1}",
            authors=author, field="Chuyển đổi số", decision_no=f"{20 + k}/QĐ-HĐSK",
            decision_date=decided, level="unit", scope="Áp dụng trong đơn vị",
            created_at=round_.deadline - timedelta(days=60),
        )  # fmt: skip
        claimed = InitiativeClaim(
            initiative=initiative,
            movement_id=round_.movement_id,
            candidate=candidate,
            claimed_at=initiative.created_at,
        )
        db.session.add(claimed)


def _open_movement(rules, text, filename, frames, units, editor, now) -> Movement:
    """A copy of the movement for 2026 whose round closes in ten days, half submitted."""
    zone = ZoneInfo("Asia/Ho_Chi_Minh")
    today = now.astimezone(zone).date()
    deadline = datetime.combine(today + timedelta(days=10), time(23, 59, 59), zone)
    movement = Movement(
        code=OPEN_MOVEMENT_CODE,
        name="Phong trào thi đua chuyển đổi số năm 2026",
        organisation=rules.movement.organisation,
        place=rules.movement.place,
        created_at=now,
    )
    spec = rules.rounds[0]
    round_ = Round(
        code=f"so-ket-{today.year}",
        kind="interim",
        name=f"Sơ kết phong trào thi đua chuyển đổi số năm {today.year}",
        opens_at=now - timedelta(days=20),
        deadline=deadline,
        grace_seconds=int(spec.grace.total_seconds()),
        late_policy=spec.late_policy,
        award_date=spec.award_date.replace(year=today.year + 1) if spec.award_date else None,
        rules_filename=filename,
        rules_text=text,
        rules_hash=rules.content_hash,
    )
    movement.rounds.append(round_)
    db.session.add(movement)
    db.session.flush()
    latest = frames[rules.rounds[-1].code].to_dict("records")
    rng = random.Random(2026)
    for index, row in enumerate(latest):
        unit = units[row["unit_code"]]
        candidate = enrol_unit(movement, unit)
        if unit.code == DEMO_UNIT or index % 2:
            continue  # left for the visitor, and some units still missing
        at = now - timedelta(days=rng.randint(1, 15))
        fill_and_submit(round_, candidate, _values_of(row, rules), user=None, now=at)
    return movement
