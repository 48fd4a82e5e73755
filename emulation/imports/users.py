"""Import user accounts: upsert by username; new accounts get a one-time password if none given."""

import secrets
from datetime import datetime

from flask_babel import lazy_gettext as _l

from ..audit import record
from ..extensions import db
from ..models import ROLES, UNIT_ROLES, Unit, User
from ..operations import create_user
from ..security.passwords import check_password_policy
from .report import Change, ImportReport, RowProblem
from .tables import Table, fold, map_headers, open_import
from .units import audit_import, header_problems

USER_HEADERS = {
    "username": ("username", "login", "tên đăng nhập", "tài khoản", "tên tài khoản"),
    "full_name": ("full_name", "name", "họ và tên", "họ tên", "tên người dùng"),
    "email": ("email", "e-mail", "thư điện tử", "địa chỉ email"),
    "role": ("role", "vai trò", "quyền", "chức năng"),
    "unit_code": ("unit_code", "unit", "mã đơn vị", "đơn vị"),
    "password": ("password", "mật khẩu"),
}
ROLE_NAMES = {
    "unit_editor": ("unit editor", "editor", "cán bộ nhập hồ sơ", "cán bộ đơn vị", "cán bộ",
                    "chuyên viên", "nhập liệu"),
    "unit_head": ("unit head", "head", "thủ trưởng đơn vị", "thủ trưởng", "lãnh đạo đơn vị",
                  "trưởng đơn vị"),
    "reviewer": ("council member", "thành viên hội đồng", "ủy viên hội đồng", "uỷ viên hội đồng",
                 "thành viên", "ủy viên", "uỷ viên", "thẩm định viên"),
    "secretariat": ("council secretariat", "thường trực hội đồng", "thư ký hội đồng", "thư ký",
                    "thường trực"),
    "admin": ("administrator", "quản trị hệ thống", "quản trị viên", "quản trị"),
}  # fmt: skip
ROLE_LOOKUP = {fold(code): code for code in ROLES} | {
    fold(name): code for code, names in ROLE_NAMES.items() for name in names
}
# No 0/O, 1/l/I: the password is read off a printed list.
PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def one_time_password() -> str:
    """A random 12-character password (about 70 bits) with letters and digits."""
    while True:
        password = "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(12))
        if any(c.isdigit() for c in password) and any(c.isupper() for c in password):
            return password


def role_code(value: str) -> str | None:
    """The role a cell names, as a code ('Thủ trưởng đơn vị' → 'unit_head'), or None."""
    return ROLE_LOOKUP.get(fold(value))


def _check_row(cells, found, column, row, units, actor, existing):
    """Problems of one row, and the account data it asks for."""
    problems = []

    def problem(field, message):
        """Record a problem of this row in `field`'s column."""
        problems.append(RowProblem(message, row, column[field]))

    username = cells[found["username"]]
    full_name = cells[found["full_name"]] if "full_name" in found else ""
    email = cells[found["email"]] if "email" in found else ""
    role_text = cells[found["role"]]
    unit_code = cells[found["unit_code"]] if "unit_code" in found else ""
    password = cells[found["password"]] if "password" in found else ""
    user = existing.get(username)
    if not username:
        problem("username", _l("the username is empty"))
    elif len(username) > 80 or any(c.isspace() for c in username):
        problem("username", _l("at most 80 characters, without spaces"))
    if not full_name and user is None:
        if "full_name" in found:
            problem("full_name", _l("the full name is empty"))
        else:
            full_name = username
    if len(full_name) > 200:
        problem("full_name", _l("at most %(n)s characters", n=200))
    if email and ("@" not in email or len(email) > 200):
        problem("email", _l("'%(value)s' is not an e-mail address", value=email))
    role = role_code(role_text)
    if role is None:
        problem(
            "role",
            _l("unknown role '%(value)s'; use one of: %(roles)s", value=role_text,
               roles="unit_editor, unit_head, reviewer, secretariat, admin"),
        )  # fmt: skip
    unit = None
    if unit_code:
        unit = units.get(unit_code)
        if unit is None:
            problem("unit_code", _l("no unit with code %(code)s", code=unit_code))
        elif not unit.active:
            problem("unit_code", _l("unit %(code)s is deactivated", code=unit_code))
    elif role in UNIT_ROLES:
        where = "unit_code" if "unit_code" in found else "role"
        problem(where, _l("a unit officer or unit head needs a unit code"))
    if password and user is None:
        for message in check_password_policy(password, username):
            problem("password", message)
    touches_admin = role == "admin" or (user is not None and user.role == "admin")
    if touches_admin and actor is not None and actor.role != "admin":
        problem("role", _l("only an administrator may create or change administrator accounts"))
    data = {
        "username": username,
        "full_name": full_name or (user.full_name if user else username),
        "email": email or None,
        "role": role,
        "unit": unit if role in UNIT_ROLES else None,
        "password": password,
    }
    return problems, data


def plan_users(table: Table, report: ImportReport, actor: User | None) -> list[dict]:
    """Check every row and fill the report; returns the account data of each row."""
    found = map_headers(table.frame, USER_HEADERS)
    required = {"username": "Tên đăng nhập", "role": "Vai trò"}
    report.problems += header_problems(table, found, required)
    if report.problems:
        return []
    column = {field: str(found[field]) for field in found}
    units = {u.code: u for u in db.session.execute(db.select(Unit)).scalars()}
    existing = {u.username: u for u in db.session.execute(db.select(User)).scalars()}
    seen: dict[str, int] = {}
    planned = []
    frame = table.frame
    for position, values in enumerate(frame.itertuples(index=False)):
        cells = dict(zip(frame.columns, values, strict=True))
        row = table.rows[position]
        problems, data = _check_row(cells, found, column, row, units, actor, existing)
        name = data["username"]
        if name in seen:
            message = _l("username %(name)s already appears in row %(other)s", name=name,
                         other=seen[name])  # fmt: skip
            problems.append(RowProblem(message, row, column["username"]))
        elif name:
            seen[name] = row
        if problems:
            report.problems += problems
            continue
        user = existing.get(name)
        data["user"] = user
        if user is None:
            report.changes.append(Change("user", name, "created"))
        else:
            changed = _changed_fields(user, data)
            data["changed"] = changed
            action = "updated" if changed else "unchanged"
            report.changes.append(Change("user", name, action, tuple(changed)))
        planned.append(data)
    report.rows = len(frame)
    return planned


def _changed_fields(user: User, data: dict) -> list[str]:
    changed = [f for f in ("full_name", "email", "role") if getattr(user, f) != data[f]]
    if user.unit_id != (data["unit"].id if data["unit"] else None):
        changed.append("unit")
    return changed


def apply_users(
    planned, report: ImportReport, *, now: datetime, actor: User | None, progress=None
) -> None:
    """Create and update the planned accounts (flushes; the caller commits or rolls back).

    Hashing a password takes tens of milliseconds, so `progress(done, total)` is called
    as accounts are written (the CLI's progress bar).
    """
    for done, data in enumerate(planned, start=1):
        if progress is not None and (done % 10 == 0 or done == len(planned)):
            progress(done, len(planned))
        user = data["user"]
        if user is None:
            password = data["password"] or one_time_password()
            if not data["password"]:
                report.passwords.append((data["username"], password))
            create_user(
                username=data["username"],
                password=password,
                role=data["role"],
                full_name=data["full_name"],
                email=data["email"],
                unit=data["unit"],
                now=now,
                actor=actor,
                must_change_password=not data["password"],
            )
        elif data["changed"]:
            before = {f: str(getattr(user, f)) for f in ("full_name", "email", "role", "unit_id")}
            user.full_name, user.email, user.role = data["full_name"], data["email"], data["role"]
            user.unit = data["unit"]
            db.session.flush()
            record(
                "user_updated", now=now, actor=actor, obj=user,
                details={"changed": data["changed"], "before": before, "via": "import"},
            )  # fmt: skip
    audit_import(report, "users_imported", now=now, actor=actor)


def import_users(
    data: bytes,
    source: str,
    *,
    now: datetime,
    actor: User | None = None,
    dry_run: bool = False,
    progress=None,
) -> ImportReport:
    """Import (or, with dry_run, only check) an accounts file; nothing is written on any problem.

    Existing accounts keep their password; a new account takes the file's password column
    or, without one, a generated one-time password listed in `report.passwords`.
    """
    report, table = open_import("users", data, source, dry_run)
    if table is None:
        return report
    planned = plan_users(table, report, actor)
    if report.ok and not dry_run:
        apply_users(planned, report, now=now, actor=actor, progress=progress)
    return report
