"""A round's standings: the values table, the live ranking, and the one read model every page,
the API, exports, reports and the vote use (the frozen snapshot when frozen, else live)."""
