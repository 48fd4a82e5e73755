"""Setting up movements and their rounds from rule files."""
