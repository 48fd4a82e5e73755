"""The movement's activity plan: activities, progress reports, overdue flags, calendar."""
