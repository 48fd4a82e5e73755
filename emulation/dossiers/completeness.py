"""What a dossier still lacks before it can be submitted as complete."""

from dataclasses import dataclass, field

from .fields import criteria_forms


@dataclass
class Completeness:
    """Missing values, documents and evidence, by what the user sees."""

    missing_values: list[tuple[str, str]] = field(default_factory=list)
    missing_documents: list[str] = field(default_factory=list)
    missing_evidence: list[tuple[str, str]] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """Nothing required is missing."""
        return not (self.missing_values or self.missing_documents or self.missing_evidence)

    @property
    def count(self) -> int:
        """How many items are missing."""
        return len(self.missing_values) + len(self.missing_documents) + len(self.missing_evidence)


def completeness(dossier, rules) -> Completeness:
    """Check every indicator value, required document and required evidence of `dossier`."""
    values = {v.column for v in dossier.values}
    documents = {e.document_code for e in dossier.evidence if e.document_code}
    evidence = {e.criterion_code for e in dossier.evidence if e.criterion_code}
    result = Completeness()
    for criterion in criteria_forms(rules):
        for indicator in criterion.indicators:
            for spec in indicator.fields:
                if spec.column not in values:
                    result.missing_values.append((spec.column, indicator.name))
        if criterion.needs_evidence and criterion.code not in evidence:
            result.missing_evidence.append((criterion.code, criterion.name))
    for _code, name in rules.required_documents:
        if _code not in documents:
            result.missing_documents.append(name)
    return result
