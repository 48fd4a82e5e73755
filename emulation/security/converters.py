"""The URL converter every `<int:…>` route uses: ids beyond the database's range are 404."""

from werkzeug.routing import IntegerConverter

# Ids are 32-bit integers in PostgreSQL; a larger number can name no row.
MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """`<int:…>` limited to 0..MAX_ID, so 99999999999999999999999 does not match (404)."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)
