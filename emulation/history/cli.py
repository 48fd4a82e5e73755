"""`emulation import history FILE`: past years' titles and awards of units and people."""

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import force_locale

from ..access import now
from ..extensions import db
from .operations import import_history


@click.command("history")
@click.argument("file", type=click.Path(dir_okay=False, exists=True))
@with_appcontext
def import_history_command(file):
    """Award history (Mã đơn vị, Họ và tên, Năm, Mã danh hiệu, Danh hiệu, hình thức
    [, Số quyết định, Ngày quyết định, Cơ quan ban hành]); all rows or none."""
    path = Path(file)
    result = import_history(path.read_bytes(), path.name, user=None, now=now())
    with force_locale(current_app.config.get("CLI_LOCALE", "vi")):
        if result.problems:
            db.session.rollback()
            click.echo(f"LỖI: {len(result.problems)} lỗi, không ghi gì.", err=True)
            for row, text in result.problems:
                click.echo(f"  - {'dòng ' + str(row) + ': ' if row else ''}{text}", err=True)
            sys.exit(1)
    db.session.commit()
    click.echo(f"Đã nhập {len(result.added)} dòng lịch sử khen thưởng từ {path.name}.")


def _unit(code: str):
    from ..models import Unit

    found = db.session.execute(db.select(Unit).filter_by(code=code.strip())).scalar_one_or_none()
    if found is None:
        raise click.UsageError(f"no unit with code {code!r}")
    return found


def _done(action) -> None:
    from .succession import SuccessionError

    try:
        action()
    except SuccessionError as exc:
        db.session.rollback()
        with force_locale(current_app.config.get("CLI_LOCALE", "vi")):
            raise click.ClickException(str(exc.message)) from None
    db.session.commit()


@click.group("unit-change")
def unit_change():
    """Rename, merge or split units from a date; successors carry dossiers and history."""


ON = click.option("--on", "effective_on", required=True, type=click.DateTime(["%Y-%m-%d"]),
                  help="Effective date, YYYY-MM-DD.")  # fmt: skip


@unit_change.command("rename")
@click.argument("code")
@click.argument("new_name")
@ON
@with_appcontext
def rename_command(code, new_name, effective_on):
    """Rename unit CODE to NEW_NAME; the former name stays known."""
    from .succession import rename_unit

    unit = _unit(code)
    _done(lambda: rename_unit(unit, new_name, effective_on=effective_on.date(), user=None,
                              now=now()))  # fmt: skip
    click.echo(f"{code}: {unit.name}")


@unit_change.command("merge")
@click.argument("codes")
@click.option("--into", "into", required=True, help="The successor's unit code.")
@ON
@with_appcontext
def merge_command(codes, into, effective_on):
    """Merge units CODES (comma-separated) into the successor --into."""
    from .succession import merge_units

    units = [_unit(c) for c in codes.split(",") if c.strip()]
    successor = _unit(into)
    _done(lambda: merge_units(units, successor, effective_on=effective_on.date(), user=None,
                              now=now()))  # fmt: skip
    click.echo(f"{', '.join(u.code for u in units)} -> {successor.code}")


@unit_change.command("split")
@click.argument("code")
@click.option("--into", "into", required=True, help="Successor unit codes, comma-separated.")
@ON
@with_appcontext
def split_command(code, into, effective_on):
    """Split unit CODE into the successors --into."""
    from .succession import split_unit

    unit = _unit(code)
    successors = [_unit(c) for c in into.split(",") if c.strip()]
    _done(lambda: split_unit(unit, successors, effective_on=effective_on.date(), user=None,
                             now=now()))  # fmt: skip
    click.echo(f"{code} -> {', '.join(s.code for s in successors)}")
