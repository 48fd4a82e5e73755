"""`emulation notify run` (one pass, for cron or a systemd timer) and `notify worker`."""

import signal

import click
from flask import current_app
from flask.cli import with_appcontext

from ..access import now
from ..extensions import db
from .planning import plan_all
from .sender import run_pass, run_worker
from .transport import MailDirTransport, SmtpTransport


def make_transport(mail_dir: str | None):
    """The --mail-dir folder, else the configured SMTP server, else None (outbox only)."""
    if mail_dir:
        return MailDirTransport(mail_dir)
    if current_app.config.get("SMTP_HOST"):
        return SmtpTransport(current_app.config)
    return None


def _waiting() -> int:
    from .models import Notification

    return db.session.scalar(
        db.select(db.func.count(Notification.id)).where(Notification.status == "pending")
    )


@click.group("notify")
def notify_group():
    """Send notifications: reminders and the e-mail outbox."""


_mail_dir = click.option(
    "--mail-dir",
    type=click.Path(file_okay=False),
    help="Write messages as .eml files into this folder instead of sending them over SMTP.",
)


@notify_group.command("run")
@_mail_dir
@click.option("--limit", type=click.IntRange(1, 1_000_000), help="Send at most this many.")
@with_appcontext
def run_command(mail_dir, limit):
    """One pass: plan due reminders, then deliver every due message once."""
    planned = plan_all(now())
    db.session.commit()
    transport = make_transport(mail_dir)
    if transport is None:
        click.echo(
            f"Planned {planned} reminder(s). No SMTP server configured (EMULATION_SMTP_HOST): "
            f"{_waiting()} message(s) wait in the outbox; --mail-dir DIR writes them as files."
        )
        return
    result = run_pass(transport, now, limit=limit)
    click.echo(f"Planned {planned} reminder(s); to {transport.describe()}: {result.summary()}.")
    for line in result.errors:
        click.echo(f"  {line}", err=True)


@notify_group.command("worker")
@_mail_dir
@click.option("--interval", default=60, show_default=True, type=click.IntRange(1, 3600))
@with_appcontext
def worker_command(mail_dir, interval):
    """Keep planning and delivering every INTERVAL seconds until stopped (SIGTERM, Ctrl-C)."""
    transport = make_transport(mail_dir)
    if transport is None:
        raise click.UsageError("no SMTP server configured (EMULATION_SMTP_HOST) and no --mail-dir")
    stopping = []

    def stop(_signum, _frame):
        stopping.append(True)  # finish the message in hand, then leave

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    click.echo(f"Delivering to {transport.describe()} every {interval} s.")
    run_worker(
        transport,
        now,
        interval=interval,
        plan=plan_all,
        stop=lambda: bool(stopping),
        log=click.echo,
    )
