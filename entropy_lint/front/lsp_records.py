"""Findings as LSP records: a diagnostic per finding, ranges of character spans, and workspace
edits, in the position encoding the client negotiated (``lsp_convert``)."""

from __future__ import annotations

from collections.abc import Sequence

from lsprotocol import types

from entropy_lint.findings import Finding
from entropy_lint.front.lsp_convert import Positions
from entropy_lint.front.lsp_text import help_link
from entropy_lint.rules import by_id

# A note is information, not a hint: editors hide hints almost entirely.
SEVERITY = {"error": types.DiagnosticSeverity.Error, "warning": types.DiagnosticSeverity.Warning,
            "note": types.DiagnosticSeverity.Information}


def diagnostic(finding: Finding, positions: Positions) -> types.Diagnostic:
    """The finding over the range of its call; ``data.scored`` tells the rules-only publication
    from the one with the model's numbers."""
    rule = by_id()[finding.rule_id]
    start = positions.client(finding.line, finding.column)
    end = positions.client(finding.end_line, finding.end_column)
    return types.Diagnostic(
        range=types.Range(types.Position(*start), types.Position(*end)),
        message=finding.message or rule.short,
        severity=SEVERITY[finding.level],
        code=finding.rule_id,
        code_description=types.CodeDescription(href=help_link(rule)),
        source="entropy-lint",
        data={"fingerprint": finding.fingerprint, "scored": finding.metrics is not None},
    )


def span_range(positions: Positions, start: int, end: int) -> types.Range:
    """The client range of the character offsets ``[start, end)``."""
    return types.Range(types.Position(*positions.client_at(start)), types.Position(*positions.client_at(end)))


def workspace_edit(uri: str, version: int | None, edits: Sequence[types.TextEdit],
                   document_changes: bool) -> types.WorkspaceEdit:
    """Versioned where the client takes document changes, so it refuses an edit to a newer text."""
    if document_changes:
        identifier = types.OptionalVersionedTextDocumentIdentifier(uri, version)
        return types.WorkspaceEdit(document_changes=[types.TextDocumentEdit(identifier, list(edits))])
    return types.WorkspaceEdit(changes={uri: list(edits)})
