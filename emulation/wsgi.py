"""WSGI entry point for gunicorn: `gunicorn emulation.wsgi:app`."""

from . import create_app
from .runtime import settle_heap
from .signatures import preload

app = create_app()
preload()  # before the first upload, not during it
settle_heap()  # measured in bench/ranking.py, which prepares its process the same way
