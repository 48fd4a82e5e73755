"""Check a PDF's digital signatures or the system's seal: a page and `emulation verify FILE`."""

from .views import bp

__all__ = ["bp"]
