"""Dossiers: drafts, submission and immutable versions."""
