"""Unit pages and read-only dossier views."""
