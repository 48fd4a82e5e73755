"""Expected status of every route for every role, one module per area (see README.md)."""
