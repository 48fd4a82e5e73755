"""Exports of a round's ranking and score detail as CSV, XLSX or JSON."""

from .cells import safe_cell
from .ranking import FORMATS, ExportError, export_round

__all__ = ["FORMATS", "ExportError", "export_round", "safe_cell"]
