"""Individuals (cá nhân) a unit nominates for individual titles and awards."""
