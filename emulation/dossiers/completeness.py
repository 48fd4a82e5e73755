"""What a dossier still lacks before it can be submitted as complete."""

from dataclasses import dataclass, field

from ..scoring.values import value_columns
from .fields import all_value_fields, criteria_forms


@dataclass
class Completeness:
    """Missing values, documents and evidence, by what the user sees."""

    missing_values: list = field(default_factory=list)  # ValueField of each missing input
    missing_documents: list[str] = field(default_factory=list)
    missing_evidence: list[tuple[str, str]] = field(default_factory=list)
    # Documents the rule file wants digitally signed whose files carry no valid signature.
    unsigned_documents: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """Nothing required is missing."""
        return not self.count

    @property
    def count(self) -> int:
        """How many items are missing."""
        return (
            len(self.missing_values)
            + len(self.missing_documents)
            + len(self.missing_evidence)
            + len(self.unsigned_documents)
        )


def completeness(dossier, rules) -> Completeness:
    """Check every required value, required document and required evidence of `dossier`."""
    values = {v.column for v in dossier.values}
    documents = {e.document_code for e in dossier.evidence if e.document_code}
    evidence = {e.criterion_code for e in dossier.evidence if e.criterion_code}
    fields = {f.column: f for f in all_value_fields(rules)}
    result = Completeness()
    for column in value_columns(rules):
        if column.required and column.name not in values and column.name in fields:
            result.missing_values.append(fields[column.name])
    for criterion in criteria_forms(rules):
        if criterion.needs_evidence and criterion.code not in evidence:
            result.missing_evidence.append((criterion.code, criterion.name))
    for code, name in rules.required_documents:
        if code not in documents:
            result.missing_documents.append(name)
    signed = {e.document_code for e in dossier.evidence if e.signature_verdict == "valid"}
    for code, name, _required in rules.documents:
        if code in rules.signed_documents and code in documents and code not in signed:
            result.unsigned_documents.append(name)
    return result
