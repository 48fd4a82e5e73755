"""Setting up a movement and its rounds from a rule file (shipped or uploaded)."""

import hashlib
import re
import time
from datetime import datetime
from pathlib import Path

from ..audit import record
from ..extensions import db
from ..models import Candidate, Cluster, Movement, Round, Unit, User
from ..operations import (
    OperationError,
    create_movement_from_rules,
    enrol_unit,
    round_from_spec,
)
from ..resources import resource_dir
from ..scoring import RuleError, RuleSet, loads_rules

MAX_RULES_BYTES = 512 * 1024
_SAFE_NAME = re.compile(r"^[\w][\w .()+-]{0,150}\.toml$", re.IGNORECASE)


def shipped_rule_files() -> list[Path]:
    """The rule files that ship in scoring_rules/, by name."""
    return sorted(resource_dir("scoring_rules").glob("*.toml"))


def clean_filename(filename: str) -> str:
    """The file's own name (no folders), or RuleError if it is not a plausible .toml name."""
    name = Path(filename.replace("\\", "/")).name
    if not name.lower().endswith(".toml"):
        raise RuleError("tệp quy tắc phải có phần mở rộng .toml", source=name or filename)
    if not _SAFE_NAME.match(name):
        raise RuleError(
            "tên tệp quá dài hoặc có ký tự không dùng được; hãy đặt tên ngắn bằng chữ, số, "
            "dấu gạch ngang",
            source=name[:60],
        )
    return name


def read_rules_upload(data: bytes, filename: str) -> str:
    """The text of an uploaded rule file, or RuleError saying why it cannot be one."""
    filename = clean_filename(filename)
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


def stash(folder: Path, text: str) -> str:
    """Keep a checked rule text on the server until it is confirmed; returns its sha256.

    The page then carries only the hash: what is created is byte for byte what was checked
    (a browser would turn the text's newlines into CRLF in a form field).
    """
    data = text.encode("utf-8")
    digest = hashlib.sha256(data).hexdigest()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{digest}.toml").write_bytes(data)
    stale = time.time() - 24 * 3600  # a check not confirmed within a day is dropped
    for old in folder.glob("*.toml"):
        if old.stat().st_mtime < stale:
            old.unlink(missing_ok=True)
    return digest


def unstash(folder: Path, digest: str) -> str:
    """The checked text with this sha256, or RuleError if it is not (or no longer) there."""
    if not re.fullmatch(r"[0-9a-f]{64}", digest or ""):
        raise RuleError("mã kiểm tra không hợp lệ; hãy kiểm tra lại tệp quy tắc")
    path = folder / f"{digest}.toml"
    data = path.read_bytes() if path.is_file() else b""
    if hashlib.sha256(data).hexdigest() != digest:
        raise RuleError("không còn bản đã kiểm tra của tệp quy tắc; hãy kiểm tra lại tệp")
    return data.decode("utf-8")


def new_round_specs(rules: RuleSet) -> list:
    """The file's rounds that its movement does not have yet (all of them for a new movement)."""
    movement = _movement(rules.movement.code)
    if movement is None:
        return list(rules.rounds)
    known = {r.code for r in movement.rounds}
    return [spec for spec in rules.rounds if spec.code not in known]


def _movement(code: str) -> Movement | None:
    return db.session.execute(db.select(Movement).filter_by(code=code)).scalar_one_or_none()


def units_to_enrol(rules: RuleSet, cluster_ids: list[int] | None) -> list[Unit]:
    """Active units of the chosen clusters not yet in the movement.

    With no cluster chosen: every active unit for a new movement, none for one that exists
    (adding a round must not silently enrol units the secretariat left out).
    """
    movement = _movement(rules.movement.code)
    if not cluster_ids and movement is not None:
        return []
    statement = db.select(Unit).where(Unit.active.is_(True)).order_by(Unit.code)
    if cluster_ids:
        statement = statement.where(Unit.cluster_id.in_(cluster_ids))
    units = list(db.session.execute(statement).scalars())
    if movement is None:
        return units
    enrolled = set(
        db.session.execute(
            db.select(Candidate.unit_id).where(Candidate.movement_id == movement.id)
        ).scalars()
    )
    return [u for u in units if u.id not in enrolled]


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
    if units:
        details = {"units": [u.code for u in units]}
        record("units_enrolled", now=now, actor=user, obj=movement, details=details)
    return movement, added


def clusters() -> list[Cluster]:
    """Clusters in use, by name."""
    return list(
        db.session.execute(
            db.select(Cluster).where(Cluster.active.is_(True)).order_by(Cluster.name)
        ).scalars()
    )
