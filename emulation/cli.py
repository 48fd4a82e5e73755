"""The `emulation` command: Flask's command line with the application's own commands."""

import click
from flask.cli import FlaskGroup


def _create_app():
    from . import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_version_option=False)
def main():
    """Emulation movements: dossiers, scoring, council review and reports."""


def _add_offline_commands() -> None:
    from .scoring.cli import rules, score_command

    # Offline commands hang on the group itself: running them builds no app, so they
    # never create an instance folder or its secret key where they are run.
    main.add_command(rules)
    main.add_command(score_command)


_add_offline_commands()
