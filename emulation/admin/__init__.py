"""Administration: clusters, units and accounts by hand, and imports from files."""

from . import (
    views_changes,  # noqa: F401  registers the unit-change page on the blueprint
    views_import,  # noqa: F401  registers the import routes on the blueprint
)
from .views import bp

__all__ = ["bp"]
