"""WSGI entry point for gunicorn: `gunicorn emulation.wsgi:app`."""

from . import create_app
from .runtime import settle_heap

app = create_app()
settle_heap()  # measured in bench/ranking.py, which prepares its process the same way
