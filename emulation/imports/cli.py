"""`emulation import units|users|values`: dry run or one all-or-nothing transaction."""

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import force_locale
from sqlalchemy.exc import SQLAlchemyError

from ..access import now
from ..extensions import db
from ..queries import find_round
from .report import ImportReport
from .units import import_units
from .users import import_users
from .values import import_values

DRY_RUN_HELP = "Check the file and show what would change; write nothing."


def _read(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise click.UsageError(f"cannot read {path}: {exc.strerror}") from None


def _finish(report: ImportReport) -> None:
    """Print the report in Vietnamese; commit unless it was a dry run or had problems."""
    with force_locale(current_app.config.get("CLI_LOCALE", "vi")):
        if report.problems:
            db.session.rollback()
            click.echo(
                f"LỖI: {len(report.problems)} lỗi, không ghi gì vào cơ sở dữ liệu.", err=True
            )
            for problem in report.problems:
                click.echo(f"  - {problem.text()}", err=True)
            sys.exit(1)
        if report.dry_run:
            db.session.rollback()
            click.echo(f"Chạy thử ({report.rows} dòng, mã hóa {report.encoding}): chưa ghi gì.")
        else:
            db.session.commit()
            click.echo(f"Đã nhập {report.rows} dòng từ {report.source} (mã hóa {report.encoding}).")
        for line in report.summary():
            click.echo(f"  {line}")
    if report.passwords:
        click.echo("")
        click.echo("Mật khẩu dùng một lần của các tài khoản mới (chỉ hiện lần này;")
        click.echo("gửi riêng cho từng người và đề nghị đổi sau lần đăng nhập đầu):")
        click.echo("username,password")
        for username, password in report.passwords:
            click.echo(f"{username},{password}")


@click.group("import")
def import_group():
    """Import units, accounts or indicator values from CSV or XLSX."""


@import_group.command("units")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--dry-run", is_flag=True, help=DRY_RUN_HELP)
@with_appcontext
def import_units_command(file, dry_run):
    """Units and clusters (Mã đơn vị, Tên đơn vị, Cụm thi đua [, Mã cụm]); upsert by code."""
    data = _read(file)
    report = _guarded(lambda: import_units(data, Path(file).name, now=now(), dry_run=dry_run))
    _finish(report)


@import_group.command("users")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--dry-run", is_flag=True, help=DRY_RUN_HELP)
@with_appcontext
def import_users_command(file, dry_run):
    """Accounts (Tên đăng nhập, Họ và tên, Email, Vai trò, Mã đơn vị [, Mật khẩu]).

    Upsert by username; existing accounts keep their password. A new account without a
    Mật khẩu cell gets a one-time password, printed once at the end.
    """
    data, progress = _read(file), Progress(Path(file).name)
    try:
        report = _guarded(
            lambda: import_users(data, Path(file).name, now=now(), dry_run=dry_run,
                                 progress=progress)
        )  # fmt: skip
    finally:
        progress.close()
    _finish(report)


@import_group.command("values")
@click.argument("round_ref", metavar="ROUND")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--dry-run", is_flag=True, help=DRY_RUN_HELP)
@with_appcontext
def import_values_command(round_ref, file, dry_run):
    """Indicator values into the units' draft dossiers; ROUND is the round's id or code.

    Wide format as for `emulation score`: Mã đơn vị/unit_code, then one column per VALUES
    column of the round's rules. Blank cells leave stored values unchanged.
    """
    round_ = find_round(round_ref)
    data, progress = _read(file), Progress(Path(file).name)
    try:
        report = _guarded(
            lambda: import_values(round_, data, Path(file).name, now=now(), dry_run=dry_run,
                                  progress=progress)
        )  # fmt: skip
    finally:
        progress.close()
    _finish(report)


def _guarded(run):
    """Run an import; a database refusal midway rolls everything back with a clear message."""
    try:
        return run()
    except SQLAlchemyError as exc:
        db.session.rollback()
        reason = str(exc.orig if getattr(exc, "orig", None) else exc).splitlines()[0]
        raise click.ClickException(
            f"cơ sở dữ liệu từ chối việc nhập ({reason}); không ghi gì, hãy thử lại"
        ) from None


class Progress:
    """A progress bar on stderr, opened when the import knows how many rows it writes."""

    def __init__(self, label: str):
        self.label = label
        self.bar = None

    def __call__(self, done: int, total: int) -> None:
        """Show `done` of `total` rows written."""
        if self.bar is None:
            self.bar = click.progressbar(length=total, label=self.label, file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.bar.pos)

    def close(self) -> None:
        """Finish the bar's line."""
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
