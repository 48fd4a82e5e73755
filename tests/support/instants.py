"""Named instants the tests share, in UTC (the comment gives the time in Vietnam, UTC+7)."""

from datetime import UTC, datetime

# 23:59:59 on 30/08/2024: the factory round's deadline, and every interim round's.
DEADLINE = datetime(2024, 8, 30, 16, 59, 59, tzinfo=UTC)
INTERIM_DEADLINE = DEADLINE
# 23:59:59 on 30/08/2025: the final round's deadline.
FINAL_DEADLINE = datetime(2025, 8, 30, 16, 59, 59, tzinfo=UTC)
# 09:00 on 05/09/2025: after both deadlines, when the council works.
COUNCIL_AT = datetime(2025, 9, 5, 2, 0, tzinfo=UTC)
