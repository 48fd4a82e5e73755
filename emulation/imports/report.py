"""What an import did or would do: changes by kind, and every problem with row and column."""

from collections import Counter
from dataclasses import dataclass, field

from flask_babel import gettext as _

ACTIONS = ("created", "updated", "unchanged")


@dataclass(frozen=True)
class RowProblem:
    """One reason the file cannot be imported; `row` is the spreadsheet row (header = 1)."""

    message: str
    row: int | None = None
    column: str | None = None

    def text(self) -> str:
        """The problem in the user's language, led by where it is."""
        if self.row is not None and self.column:
            where = _("Row %(row)s, column '%(column)s'", row=self.row, column=self.column)
        elif self.row is not None:
            where = _("Row %(row)s", row=self.row)
        elif self.column:
            where = _("Column '%(column)s'", column=self.column)
        else:
            return str(self.message)
        return f"{where}: {self.message}"

    def as_dict(self) -> dict:
        """JSON data for the API and tests."""
        return {"row": self.row, "column": self.column, "message": str(self.message)}


@dataclass(frozen=True)
class Change:
    """One record the import creates, updates or leaves as it is."""

    kind: str
    key: str
    action: str
    fields: tuple[str, ...] = ()

    def text(self) -> str:
        """The change in the user's language, e.g. 'Unit VKS-HC: changed (name, cluster)'."""
        kinds = {
            "cluster": _("Cluster"), "unit": _("Unit"), "user": _("Account"),
            "dossier": _("Dossier"), "candidate": _("Unit enrolled in the movement"),
        }  # fmt: skip
        actions = {
            "created": _("to be created"), "updated": _("to be changed"),
            "unchanged": _("unchanged"),
        }  # fmt: skip
        names = {
            "name": _("Name"), "cluster": _("Cluster"), "full_name": _("Full name"),
            "email": _("E-mail"), "role": _("Role"), "unit": _("Unit"),
        }  # fmt: skip
        line = (
            f"{kinds.get(self.kind, self.kind)} {self.key}: {actions.get(self.action, self.action)}"
        )
        if self.fields:
            line += " (" + ", ".join(names.get(f, f) for f in self.fields) + ")"
        return line


@dataclass
class ImportReport:
    """The outcome of an import or of its dry run."""

    kind: str
    source: str
    dry_run: bool
    rows: int = 0
    encoding: str = ""
    changes: list[Change] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    # (username, one-time password) for accounts created without a password column.
    passwords: list[tuple[str, str]] = field(default_factory=list)
    applied: bool = False

    @property
    def ok(self) -> bool:
        """Whether the file has no problem (so a real run imports it whole)."""
        return not self.problems

    def counts(self) -> dict[str, dict[str, int]]:
        """created/updated/unchanged per kind of record, e.g. {'unit': {'created': 3, ...}}."""
        tally = Counter((c.kind, c.action) for c in self.changes)
        kinds = list(dict.fromkeys(c.kind for c in self.changes))
        return {k: {a: tally[(k, a)] for a in ACTIONS} for k in kinds}

    def summary(self) -> list[str]:
        """One line per kind of record, in the user's language."""
        names = {
            "cluster": _("Clusters"),
            "unit": _("Units"),
            "user": _("Accounts"),
            "dossier": _("Dossiers"),
            "candidate": _("Units enrolled in the movement"),
        }
        lines = []
        for kind, count in self.counts().items():
            if kind == "candidate":
                lines.append(f"{names[kind]}: {count['created']}")
                continue
            lines.append(
                _(
                    "%(what)s: %(created)s created, %(updated)s updated, %(unchanged)s unchanged",
                    what=names.get(kind, kind),
                    **count,
                )
            )
        return lines

    def as_dict(self) -> dict:
        """JSON data: counts, changes and problems."""
        return {
            "kind": self.kind,
            "source": self.source,
            "dry_run": self.dry_run,
            "applied": self.applied,
            "rows": self.rows,
            "encoding": self.encoding,
            "counts": self.counts(),
            "problems": [p.as_dict() for p in self.problems],
        }
