"""The `emulation` command: Flask's commands (db, run, shell) plus ours."""

import os
import shutil
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from .access import now
from .extensions import db
from .models import ROLES, Unit
from .operations import OperationError, create_user


def register_commands(app) -> None:
    """Attach our commands to the app's CLI (so `flask` and `emulation` both have them)."""
    from .backup.cli import backup_command, restore_command
    from .exports.cli import export_command
    from .imports.cli import import_group
    from .notify.cli import notify_group
    from .reports.cli import report_command

    app.cli.add_command(users)
    app.cli.add_command(demo_command)
    app.cli.add_command(serve_command)
    app.cli.add_command(evidence)
    app.cli.add_command(data)
    app.cli.add_command(report_command)
    from .history.cli import import_history_command, unit_change

    import_group.add_command(import_history_command)
    app.cli.add_command(unit_change)
    app.cli.add_command(import_group)
    app.cli.add_command(export_command)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(notify_group)
    app.cli.add_command(worker_command)
    from .verify.cli import verify_command

    app.cli.add_command(verify_command)


@click.group()
def users():
    """Manage user accounts."""


@users.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), required=True, help="The account's role.")
@click.option("--unit", "unit_code", help="Unit code (required for unit_editor and unit_head).")
@click.option("--name", "full_name", help="Full name shown in the interface.")
@click.option("--email")
@click.option(
    "--password",
    envvar="EMULATION_PASSWORD",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    help="Password (or EMULATION_PASSWORD); asked for when omitted.",
)
@with_appcontext
def users_create(username, role, unit_code, full_name, email, password):
    """Create a user account."""
    unit = None
    if unit_code:
        unit = db.session.execute(db.select(Unit).filter_by(code=unit_code)).scalar_one_or_none()
        if unit is None:
            raise click.UsageError(f"no unit with code {unit_code!r}")
    try:
        user = create_user(
            username=username,
            password=password,
            role=role,
            full_name=full_name or username,
            email=email,
            unit=unit,
            now=now(),
        )
    except OperationError as exc:
        messages = {"unit_needed": f"role {role} needs a unit (--unit CODE)"}
        raise click.UsageError(messages.get(exc.code, str(exc))) from exc
    db.session.commit()
    click.echo(f"Created {user.role} {user.username!r} (id {user.id}).")


@click.group()
def evidence():
    """Maintain stored evidence files."""


@evidence.command("cleanup")
@click.option("--min-age-hours", default=24, show_default=True, type=int)
@with_appcontext
def evidence_cleanup(min_age_hours):
    """Delete stored files that no dossier or submitted version refers to."""
    from datetime import timedelta

    from .evidence.backends import evidence_store

    referenced = referenced_blobs()
    removed = evidence_store().remove_orphans(referenced, min_age=timedelta(hours=min_age_hours))
    click.echo(f"Removed {removed} unreferenced file(s); {len(referenced)} referenced kept.")


def referenced_blobs() -> set[str]:
    """Every blob a row refers to: evidence, submitted versions, plan reports, job results."""
    from .models import DossierVersion, EvidenceFile, Job
    from .plan.queries import report_files

    referenced = set(db.session.execute(db.select(EvidenceFile.sha256)).scalars())
    for payload in db.session.execute(db.select(DossierVersion.payload)).scalars():
        referenced.update(item["sha256"] for item in payload.get("evidence", []))
    referenced.update(report_files())
    referenced.update(
        db.session.execute(db.select(Job.result_sha256).where(Job.result_sha256.is_not(None)))
        .scalars()
    )
    return referenced


@evidence.command("migrate")
@click.option("--to", "to", type=click.Choice(["s3", "local"]), required=True,
              help="Where the files go; they come from the other store.")  # fmt: skip
@click.option("--remove-source", is_flag=True,
              help="Delete each file from the source once its copy verified.")  # fmt: skip
@with_appcontext
def evidence_migrate(to, remove_source):
    """Copy every evidence file to the S3 bucket (or back) and verify each one's sha256."""
    from .evidence.backends import StorageError, store_from_config
    from .evidence.migrate import migrate_blobs

    try:
        source = store_from_config(current_app.config, "local" if to == "s3" else "s3")
        target = store_from_config(current_app.config, to)
        target.ping()
    except StorageError as exc:
        raise click.ClickException(str(exc)) from None
    result = migrate_blobs(source, target, remove_source=remove_source, echo=click.echo)
    click.echo(
        f"{result.copied} file(s) copied and verified, {result.present} already there "
        f"and verified, {len(result.failed)} failed."
    )
    if result.failed:
        raise SystemExit(1)
    click.echo(f"Now set EVIDENCE_STORAGE={to} (EMULATION_EVIDENCE_STORAGE) and restart.")


@click.group()
def data():
    """Check the stored data."""


@data.command("check")
@with_appcontext
def data_check():
    """Report stored numbers and dates no entry check would accept today (exit 1 if any)."""
    from .integrity import bad_values, round_names

    found = bad_values()
    names = round_names()
    for bad in found:
        dossier = f"dossier {bad.dossier_id}" if bad.dossier_id else "no dossier"
        click.echo(
            f"{names.get(bad.round_id, bad.round_id)}: {dossier} of {bad.unit_code} "
            f"({bad.unit_name}): {bad.place} = {bad.value}"
        )
    if found:
        click.echo(f"{len(found)} unusable stored value(s); correct them before ranking.", err=True)
        raise SystemExit(1)
    click.echo("No unusable stored values.")


@click.command("demo")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--reset", is_flag=True, help="Delete the instance database and start again.")
@click.option("--no-serve", is_flag=True, help="Load the demo data and exit.")
@with_appcontext
def demo_command(host, port, reset, no_serve):
    """Create (or reuse) the instance database, load the demo and serve it."""
    from flask_migrate import upgrade

    from .demo import DEMO_LOGINS, load_demo

    if reset:
        reset_database()
    upgrade(directory=current_app.extensions["migrate"].directory)
    created = load_demo(now=now())
    db.session.commit()
    _demo_seal()
    click.echo(
        "Demo data " + ("loaded." if created else "already present (use --reset to reload).")
    )
    click.echo(f"Database: {db.engine.url.render_as_string(hide_password=True)}")
    click.echo("")
    click.echo(f"Open http://{host}:{port}/ and sign in with one of these demo accounts:")
    click.echo(f"  {'Username':<16} {'Password':<14} Role")
    for username, password, description in DEMO_LOGINS:
        click.echo(f"  {username:<16} {password:<14} {description}")
    sys.stdout.flush()
    if not no_serve:
        from werkzeug.serving import run_simple

        from .security import allow_plain_http

        # The demo is served over plain http://: Secure cookies would never come back.
        allow_plain_http(current_app)
        # app.run() refuses to start inside a CLI command; the demo serves on purpose.
        run_simple(host, port, current_app._get_current_object(), threaded=True)


def _demo_seal() -> None:
    """Give the demo a self-signed sealing certificate in the instance, unless one is set."""
    from .signatures.seal import make_self_signed_seal, seal_configured

    if seal_configured(current_app.config):
        return
    cert, key = make_self_signed_seal(
        Path(current_app.instance_path) / "seal", "Hội đồng Thi đua - Khen thưởng (chạy thử)"
    )
    current_app.config.update(SEAL_CERT_FILE=str(cert), SEAL_KEY_FILE=str(key))
    click.echo(f"Sealing certificate (self-signed, for the demo): {cert}")


def reset_database() -> None:
    """Drop every table (and the uploads) so the demo starts from nothing."""
    db.drop_all()
    with db.engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    uploads = Path(current_app.config["UPLOAD_DIR"])
    if uploads.exists():
        shutil.rmtree(uploads)


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop once the queue is empty.")
@with_appcontext
def worker_command(burst):
    """Run background jobs from the Redis queue (reports, exports, imports, what-if runs)."""
    from .jobs.worker import run_worker

    try:
        run_worker(current_app._get_current_object(), burst=burst)
    except RuntimeError as exc:
        raise click.ClickException(str(exc)) from None


@click.command("serve", context_settings={"ignore_unknown_options": True})
@click.option("--bind", default="127.0.0.1:8000", show_default=True)
@click.option("--workers", default=4, show_default=True, type=int)
@click.argument("gunicorn_args", nargs=-1, type=click.UNPROCESSED)
def serve_command(bind, workers, gunicorn_args):
    """Serve with gunicorn (production); extra arguments go to gunicorn."""
    argv = [sys.executable, "-m", "gunicorn", "--bind", bind, "--workers", str(workers)]
    os.execv(sys.executable, [*argv, *gunicorn_args, "emulation.wsgi:app"])
