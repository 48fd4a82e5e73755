"""The `emulation` command: Flask's command line with the application's own commands."""

import click
from flask.cli import FlaskGroup


def _create_app():
    from . import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_version_option=False)
def main():
    """Emulation movements: dossiers, scoring, council review and reports."""
