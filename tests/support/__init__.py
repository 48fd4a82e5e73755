"""The test suite's fixtures plugin (loaded by tests/conftest.py).

- `database`: one app per session and a transaction per test, rolled back at its end; the
  `commits` marker for tests whose writes other connections must see; world layers shared
  by many tests (the authorisation matrix builds one world per area).
- `instants`: the named instants (deadlines, the council's working day) shared by the areas.
- `worlds`: the world factory of a movement made from a rule file, its units and accounts.
"""
