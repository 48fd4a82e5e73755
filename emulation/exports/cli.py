"""`emulation export ROUND --format csv|xlsx|json [--table ranking|detail] [-o FILE]`."""

import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from ..queries import find_round
from ..scoring import RuleError
from ..scoring.cli import write_atomically
from .ranking import FORMATS, TABLES, ExportError, export_round


@click.command("export")
@click.argument("round_ref", metavar="ROUND")
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)), default="csv",
              show_default=True, help="File format.")  # fmt: skip
@click.option("--table", type=click.Choice(TABLES), default="ranking", show_default=True,
              help="CSV only: the ranking, or one row per unit and indicator with the "
                   "explanation (XLSX and JSON hold both).")  # fmt: skip
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="The file to write (default: standard output; required for xlsx).")  # fmt: skip
@with_appcontext
def export_command(round_ref, fmt, table, output):
    """Export a round's ranking and score detail; ROUND is the round's id or code."""
    round_ = find_round(round_ref)
    if fmt == "xlsx" and output is None:
        raise click.UsageError("xlsx needs an output file (-o FILE)")
    try:
        data = export_round(round_, fmt, table)
    except ExportError:
        raise click.ClickException(f"round {round_.code} has no submitted dossier yet") from None
    except RuleError as exc:
        raise click.ClickException(str(exc)) from exc
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    if not output.parent.is_dir():
        raise click.UsageError(f"folder {output.parent} does not exist")
    write_atomically(output, data)
    click.echo(f"Wrote {output} ({len(data):,} bytes, {fmt}).", err=True)
