"""Bulk import of units, clusters, accounts and indicator values (CSV or XLSX)."""

from .report import ImportReport, RowProblem
from .units import import_units
from .users import import_users
from .values import import_values

__all__ = ["ImportReport", "RowProblem", "import_units", "import_users", "import_values"]
