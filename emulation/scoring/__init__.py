"""Scoring engine: rule files in, points, ranks and explanations out (no Flask, no database)."""
