"""WSGI entry point for gunicorn: `gunicorn emulation.wsgi:app`."""

from . import create_app

app = create_app()
