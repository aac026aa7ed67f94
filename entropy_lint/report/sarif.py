"""SARIF 2.1.0 for GitHub code scanning: deterministic, schema-valid, within GitHub's limits.

Columns are 1-based Unicode code points (``run.columnKind = unicodeCodePoints``); ``endColumn``
is exclusive. Paths are relative to the repository root under ``%SRCROOT%``.
"""

from __future__ import annotations

import gzip
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import quote

from entropy_lint import __version__
from entropy_lint.findings import Finding, Fix, expectation, level_rank
from entropy_lint.rules.base import Rule

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/entropy-lint/entropy-lint"
MAX_RESULTS = 25_000  # GitHub code scanning's limit per run
MAX_GZIP_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class Notice:
    path: str
    message: str
    level: str = "warning"  # SARIF notification level


@dataclass(frozen=True)
class SarifContext:
    root: str  # absolute: URIs are relative to it
    cwd: str  # absolute: finding paths are relative to it
    category: str = "entropy-lint"
    model: str | None = None
    timestamps: tuple[str, str] | None = None  # (start, end) in UTC, only when asked
    notices: Sequence[Notice] = field(default_factory=tuple)
    successful: bool = True  # False when a file that should have been analysed was not


def uri(path: str, ctx: SarifContext) -> tuple[str, str | None]:
    """(uri, uriBaseId): relative under %SRCROOT% when inside the root, else an absolute file URI."""
    absolute = os.path.normpath(os.path.join(ctx.cwd, path))
    rel = os.path.relpath(absolute, ctx.root)
    if rel == ".." or rel.startswith(".." + os.sep):
        return "file://" + quote(absolute.replace(os.sep, "/")), None
    return quote(rel.replace(os.sep, "/")), "%SRCROOT%"


def _location(path: str, ctx: SarifContext) -> dict[str, object]:
    u, base = uri(path, ctx)
    artifact: dict[str, object] = {"uri": u}
    if base:
        artifact["uriBaseId"] = base
    return {"physicalLocation": {"artifactLocation": artifact}}


def _rule(rule: Rule) -> dict[str, object]:
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.short},
        "fullDescription": {"text": rule.full},
        "help": {"text": rule.help_text(), "markdown": rule.help_markdown()},
        "helpUri": f"https://cwe.mitre.org/data/definitions/{rule.cwe[0]}.html",
        "defaultConfiguration": {"level": rule.level},
        "properties": {
            "tags": ["security", *rule.cwe_tags],
            "precision": rule.precision,
            "security-severity": f"{rule.security_severity:.1f}",
        },
    }


def _properties(f: Finding, details: bool) -> dict[str, object]:
    m = f.metrics
    if m is None:
        return {}
    props: dict[str, object] = {
        "model": m.model,
        "calleeEntropyMean": round(m.callee_entropy_mean, 4),
        "calleeEntropyMax": round(m.callee_entropy_max, 4),
        "calleeMinProbability": round(m.callee_min_prob, 6),
        "callEntropyMean": round(m.call_entropy_mean or 0.0, 4),
        "callEntropyMax": round(m.call_entropy_max or 0.0, 4),
        "callMinProbability": round(m.call_min_prob or 0.0, 6),
        "callSurprisal": round(m.call_surprisal or 0.0, 4),
        "entropyUnit": "nats",
    }
    guess = expectation(m.tokens)
    if guess is not None:
        props["modelExpected"] = {"atToken": m.tokens[guess[0]].text, "token": guess[1], "probability": round(guess[2], 4)}
    if details:
        props["calleeTokens"] = [
            {"text": t.text, "probability": round(t.prob, 6), "entropy": round(t.entropy, 4), "rank": t.rank,
             "alternatives": [{"token": a, "probability": round(p, 4)} for a, p in t.alternatives]}
            for t in m.tokens
        ]
    return props


def _result(f: Finding, rule: Rule, index: int, ctx: SarifContext, details: bool) -> dict[str, object]:
    location = _location(f.path, ctx)
    location["physicalLocation"]["region"] = {  # type: ignore[index]
        "startLine": f.line, "startColumn": f.column, "endLine": f.end_line, "endColumn": f.end_column,
    }
    result: dict[str, object] = {
        "ruleId": rule.id,
        "ruleIndex": index,
        "level": f.level,
        "message": {"text": f.message or rule.short},
        "locations": [location],
        "partialFingerprints": {"primaryLocationLineHash": f.fingerprint},
        "rank": round(rule.security_severity * 10, 1),
    }
    props = _properties(f, details)
    if props:
        result["properties"] = props
    if f.fixes:
        result["fixes"] = [_fix(x, f.path, ctx) for x in f.fixes]
    return result


def _fix(fix: Fix, path: str, ctx: SarifContext) -> dict[str, object]:
    """A SARIF fix: replacements of the finding's file (a deletion has empty inserted text; an
    insertion an empty region); safety and the model's delta in properties."""
    artifact = _location(path, ctx)["physicalLocation"]["artifactLocation"]  # type: ignore[index]
    out: dict[str, object] = {
        "description": {"text": fix.description},
        "artifactChanges": [{"artifactLocation": artifact, "replacements": [
            {"deletedRegion": {"startLine": r.start_line, "startColumn": r.start_column, "endLine": r.end_line,
                               "endColumn": r.end_column},
             "insertedContent": {"text": r.text}}
            for r in fix.replacements]}],
    }
    props: dict[str, object] = {"safety": fix.safety}
    if fix.delta_nats is not None:
        props["deltaNats"] = round(fix.delta_nats, 4)
    out["properties"] = props
    return out


def render_sarif(findings: Sequence[Finding], rules: Mapping[str, Rule], ctx: SarifContext) -> str:
    """The SARIF log as a string. Keeps GitHub's limits: at most 25,000 results (the most severe
    first) and 10 MB gzipped (per-token details are dropped first if needed)."""
    ordered = sorted(findings, key=lambda f: (-level_rank(f.level), -rules[f.rule_id].security_severity, f.sort_key()))
    notices = list(ctx.notices)
    if len(ordered) > MAX_RESULTS:
        notices.append(Notice("", f"{len(ordered) - MAX_RESULTS} results were left out: GitHub accepts at most {MAX_RESULTS:,} per run", "warning"))
        ordered = ordered[:MAX_RESULTS]
    text = _render(ordered, rules, ctx, notices, details=True)
    if len(gzip.compress(text.encode())) > MAX_GZIP_BYTES:
        notices.append(Notice("", "per-token details were left out to keep the log under GitHub's 10 MB limit", "note"))
        text = _render(ordered, rules, ctx, notices, details=False)
    return text


def _render(findings: Sequence[Finding], rules: Mapping[str, Rule], ctx: SarifContext, notices: Sequence[Notice],
            details: bool) -> str:
    fired = sorted({f.rule_id for f in findings})
    index = {rule_id: i for i, rule_id in enumerate(fired)}
    results = [_result(f, rules[f.rule_id], index[f.rule_id], ctx, details) for f in sorted(findings, key=Finding.sort_key)]
    invocation: dict[str, object] = {
        "executionSuccessful": ctx.successful,
        "toolExecutionNotifications": [
            {"level": n.level, "message": {"text": n.message}, **({"locations": [_location(n.path, ctx)]} if n.path else {})}
            for n in sorted(notices, key=lambda n: (n.path, n.message))
        ],
    }
    if ctx.timestamps:
        invocation["startTimeUtc"], invocation["endTimeUtc"] = ctx.timestamps
    run: dict[str, object] = {
        "tool": {"driver": {
            "name": "entropy-lint", "version": __version__, "semanticVersion": __version__,
            "informationUri": INFORMATION_URI, "rules": [_rule(rules[r]) for r in fired],
        }},
        "automationDetails": {"id": f"{ctx.category}/"},
        "originalUriBaseIds": {"%SRCROOT%": {"uri": "file://" + quote(ctx.root.replace(os.sep, "/").rstrip("/") + "/")}},
        "invocations": [invocation],
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    if ctx.model:
        run["properties"] = {"model": ctx.model}
    return json.dumps({"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}, ensure_ascii=False, indent=2) + "\n"
