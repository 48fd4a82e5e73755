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
