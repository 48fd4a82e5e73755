"""Setting up a movement and its rounds from a rule file (shipped or uploaded)."""

from datetime import datetime
from pathlib import Path

from ..audit import record
from ..extensions import db
from ..models import Cluster, Movement, Round, Unit, User
from ..operations import (
    OperationError,
    create_movement_from_rules,
    enrol_unit,
    round_from_spec,
)
from ..resources import resource_dir
from ..scoring import RuleError, RuleSet, loads_rules

MAX_RULES_BYTES = 512 * 1024


def shipped_rule_files() -> list[Path]:
    """The rule files that ship in scoring_rules/, by name."""
    return sorted(resource_dir("scoring_rules").glob("*.toml"))


def read_rules_upload(data: bytes, filename: str) -> str:
    """The text of an uploaded rule file, or RuleError saying why it cannot be one."""
    if not filename.lower().endswith(".toml"):
        raise RuleError("tệp quy tắc phải có phần mở rộng .toml", source=filename)
    if len(data) > MAX_RULES_BYTES:
        raise RuleError(
            f"tệp quy tắc lớn hơn {MAX_RULES_BYTES // 1024} KB; tệp quy tắc là văn bản ngắn",
            source=filename,
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RuleError(
            "tệp quy tắc không phải văn bản UTF-8; hãy lưu lại với bảng mã UTF-8",
            source=filename,
        ) from None


def check_rules(text: str, filename: str) -> RuleSet:
    """Validate a rule file's text with the engine (RuleError lists every problem)."""
    return loads_rules(text, source=filename)


def new_round_specs(rules: RuleSet) -> list:
    """The file's rounds that its movement does not have yet (all of them for a new movement)."""
    movement = _movement(rules.movement.code)
    if movement is None:
        return list(rules.rounds)
    known = {r.code for r in movement.rounds}
    return [spec for spec in rules.rounds if spec.code not in known]


def _movement(code: str) -> Movement | None:
    return db.session.execute(db.select(Movement).filter_by(code=code)).scalar_one_or_none()


def units_to_enrol(cluster_ids: list[int] | None) -> list[Unit]:
    """Units in the chosen clusters, or every unit when none is chosen."""
    statement = db.select(Unit).order_by(Unit.code)
    if cluster_ids:
        statement = statement.where(Unit.cluster_id.in_(cluster_ids))
    units = list(db.session.execute(statement).scalars())
    # Units the administrators deactivated do not take part in new movements.
    return [u for u in units if getattr(u, "active", True)]


def set_up_movement(
    rules: RuleSet,
    *,
    filename: str,
    text: str,
    units: list[Unit],
    user: User,
    now: datetime,
) -> tuple[Movement, list[Round]]:
    """Create the movement with its rounds, or add the file's new rounds to it; enrol units."""
    movement = _movement(rules.movement.code)
    if movement is None:
        movement = create_movement_from_rules(
            rules, filename=filename, text=text, now=now, actor=user
        )
        added = list(movement.rounds)
    else:
        added = [
            round_from_spec(spec, rules, filename=filename, text=text)
            for spec in new_round_specs(rules)
        ]
        if not added:
            raise OperationError("no_new_rounds")
        movement.rounds.extend(added)
        db.session.flush()
        record(
            "rounds_added",
            now=now,
            actor=user,
            obj=movement,
            details={"rounds": [r.code for r in added], "rules_hash": rules.content_hash},
        )
    for unit in units:
        enrol_unit(movement, unit)
    record(
        "units_enrolled",
        now=now,
        actor=user,
        obj=movement,
        details={"units": [u.code for u in units]},
    )
    return movement, added


def clusters() -> list[Cluster]:
    """Every cluster, by name."""
    return list(db.session.execute(db.select(Cluster).order_by(Cluster.name)).scalars())
