"""`emulation backup -o FILE` and `emulation restore FILE [--yes]`."""

import sys
import tempfile
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from ..access import now
from .archive import (
    BackupError,
    archive_sha256,
    create_backup,
    describe_current,
    read_verified,
    restore_backup,
)


@click.command("backup")
@click.option("-o", "--output", type=click.Path(dir_okay=False), required=True,
              help="Archive to write (.tar.gz).")  # fmt: skip
@with_appcontext
def backup_command(output):
    """Back up the database and every evidence file into one verified archive."""
    try:
        manifest = create_backup(current_app, Path(output), now=now())
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    counts = ", ".join(f"{k} {v}" for k, v in manifest.data["counts"].items())
    click.echo(
        f"Backup written to {output}: {len(manifest.members) - 1} evidence file(s); {counts}."
    )
    click.echo(f"sha256 {archive_sha256(Path(output))}  (check it with restore --sha256)")


@click.command("restore")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False))
@click.option("--yes", is_flag=True, help="Overwrite without asking (needed when not interactive).")
@click.option("--sha256", "expected", help="Refuse the archive unless its sha256 is this.")
@with_appcontext
def restore_command(archive, yes, expected):
    """Replace the database and evidence files with a backup, after checking every file in it."""
    if expected and archive_sha256(Path(archive)) != expected.strip().lower():
        raise click.ClickException("the archive's sha256 differs from --sha256: refusing it")
    with tempfile.TemporaryDirectory(prefix="emulation-restore-") as temp:
        try:
            manifest = read_verified(Path(archive), Path(temp))
        except BackupError as exc:
            raise click.ClickException(f"refusing {archive}: {exc}") from None
        current = describe_current(current_app)
        click.echo(f"Backup of {manifest.data['created_at']} "
                   f"({manifest.data['database']['backend']}, every file verified):")  # fmt: skip
        click.echo("  " + _counts(manifest.data["counts"]))
        click.echo("This will OVERWRITE:")
        click.echo(f"  database {current['database']}: {_counts(current['counts'])}")
        click.echo(f"  upload folder {current['upload_dir']}: {current['files']} file(s)")
        if not yes:
            if not sys.stdin.isatty():
                raise click.ClickException("not interactive: add --yes to overwrite")
            click.confirm("Overwrite them?", abort=True)
        try:
            restore_backup(current_app, manifest, Path(temp))
        except BackupError as exc:
            raise click.ClickException(str(exc)) from None
    click.echo("Restored.")


def _counts(counts: dict) -> str:
    return ", ".join(f"{table} {n}" for table, n in counts.items()) or "empty"
