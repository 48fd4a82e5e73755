"""Emulation movements: online dossiers, rule-based scoring, council review and reports."""
