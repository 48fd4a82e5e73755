"""Spreadsheet cells that cannot run as formulas when a file is opened in Excel or Calc."""

# A cell starting with one of these is read as a formula (CSV injection, OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """The value, with a leading apostrophe if it is text a spreadsheet would run as a formula.

    Numbers, booleans and None pass unchanged (so -3 stays a number); only text is guarded.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
