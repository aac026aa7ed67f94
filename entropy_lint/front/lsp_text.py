"""What the language server says in words: the hover over a finding, and code-action titles.

The hover shows the model's view of the call: each callee token with its probability, the
entropy of the prediction there and the model's top alternatives, the whole call's surprisal,
and the best fix with the change in surprisal it brings. The wording stays honest: these numbers
say how expected the code was to the model, not whether it is vulnerable.

Token texts, callees and fixes come from the linted file, which may be hostile: they are shown
only inside code spans sized to their content, with whitespace and invisible characters made
visible and table pipes escaped, so no file can inject Markdown (links, images, HTML) into the
editor.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from entropy_lint.findings import Finding, Fix, TokenView
    from entropy_lint.rules.base import Rule

# Where the model's numbers stand for a document: scored; scoring under way; rules only by
# choice (--no-model); or the model could not be used (its error is shown once, elsewhere).
Status = Literal["scored", "pending", "no-model", "unavailable"]
CAVEAT = ("These numbers say how expected the code was to the model, given the code before it: "
          "context for review, not a verdict. Unexpected code is not necessarily vulnerable, "
          "and expected code is not necessarily safe.")
_BACKTICKS = re.compile(r"`+")
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~&])")


def help_link(rule: Rule) -> str:
    """The rule's help page: its first CWE's definition (as SARIF's helpUri)."""
    return f"https://cwe.mitre.org/data/definitions/{rule.cwe[0]}.html"


def visible(text: str) -> str:
    """``text`` as a reader can see it: as written when it is plain, else its Python literal
    (whitespace at the edges, line breaks, controls and invisible characters escaped)."""
    return text if text and text.isprintable() and text == text.strip() else repr(text)


def escape(text: str) -> str:
    """Plain text that Markdown shows as written (a refine note may quote the code)."""
    return _MARKDOWN.sub(r"\\\1", " ".join(visible(text).split()))


def code(text: str, in_table: bool = False) -> str:
    """A Markdown code span that shows ``text`` (made visible) literally, whatever it holds."""
    shown = visible(text)
    fence = "`" * (max((len(m) for m in _BACKTICKS.findall(shown)), default=0) + 1)
    pad = " " if shown.startswith("`") or shown.endswith("`") else ""
    span = f"{fence}{pad}{shown}{pad}{fence}"
    return span.replace("|", "\\|") if in_table else span


def fixes_of(finding: Finding) -> tuple[Fix, ...]:
    """The finding's verified fixes, best first (none without fix records)."""
    return tuple(finding.fixes or ())


def fix_title(fix: Fix) -> str:
    """A code action's title: what the fix does, marked when it changes behaviour."""
    review = " (review: changes behaviour)" if fix.safety == "review" else ""
    return f"entropy-lint: {fix.description}{review}"


def delta_words(delta: float | None) -> str:
    if delta is None:
        return "not ranked by the model (rules only)"
    if abs(delta) < 0.05:
        return f"Δ {delta:+.2f} nats: about as expected here as what was written"
    more = "more" if delta < 0 else "less"
    return f"Δ {delta:+.2f} nats: {abs(delta):.2f} nats {more} expected here than what was written"


def hover(finding: Finding, rule: Rule, status: Status, markdown: bool = True) -> str:
    """The hover over one finding's call."""
    return (_markdown if markdown else _plain)(finding, rule, status)


def _markdown(finding: Finding, rule: Rule, status: Status) -> str:
    cwes = ", ".join(f"[CWE-{n}](https://cwe.mitre.org/data/definitions/{n}.html)" for n in rule.cwe)
    parts = [f"**entropy-lint** {code(finding.rule_id)} ({finding.level}): {rule.short}. {cwes}"]
    if finding.note:
        parts[0] += f" ({escape(finding.note)})"
    m = finding.metrics
    if m is None:
        parts.append(_not_scored(status))
    else:
        rows = ["| callee token | probability | entropy (nats) | rank | the model's top alternatives |",
                "|---|--:|--:|--:|---|"]
        rows += [f"| {code(t.text, True)} | {t.prob:.3g} | {t.entropy:.2f} | {t.rank} | {_alternatives(t, True)} |"
                 for t in m.tokens]
        parts.append(f"**The model's view** ({code(m.model)}) of {code(finding.callee)}:")
        parts.append("\n".join(rows))
        if m.call_surprisal is not None:
            parts.append(f"The whole call: surprisal {m.call_surprisal:.2f} nats over {m.call_tokens} tokens"
                         + (f", mean entropy {m.call_entropy_mean:.2f} nats." if m.call_entropy_mean is not None else "."))
        parts.append(f"_{CAVEAT}_")
    fixes = fixes_of(finding)
    if fixes:
        best = fixes[0]
        preview = f" → {code(' '.join(best.preview.split()))}" if best.preview.strip() else ""
        safety = "safe" if best.safety == "safe" else "review: changes behaviour"
        parts.append(f"**Best fix** ({safety}): {escape(best.description)}{preview}; {delta_words(best.delta_nats)}. "
                     "The nats measure how expected, not how safe.")
    parts.append(f"**Instead:** {rule.suggestion}")
    return "\n\n".join(parts)


def _plain(finding: Finding, rule: Rule, status: Status) -> str:
    cwes = ", ".join(f"CWE-{n}" for n in rule.cwe)
    lines = [f"entropy-lint {finding.rule_id} ({finding.level}): {rule.short}. {cwes}"]
    m = finding.metrics
    if m is None:
        lines.append(_not_scored(status))
    else:
        lines.append(f"The model's view ({m.model}) of {visible(finding.callee)}:")
        lines += [f"  {visible(t.text)}: p={t.prob:.3g}, entropy {t.entropy:.2f} nats, rank {t.rank}; "
                  f"expected {_alternatives(t, False)}" for t in m.tokens]
        if m.call_surprisal is not None:
            lines.append(f"The whole call: surprisal {m.call_surprisal:.2f} nats over {m.call_tokens} tokens.")
        lines.append(CAVEAT)
    fixes = fixes_of(finding)
    if fixes:
        best = fixes[0]
        lines.append(f"Best fix ({best.safety}): {best.description}; {delta_words(best.delta_nats)}.")
    lines.append(f"Instead: {rule.suggestion}")
    return "\n".join(lines)


def _alternatives(token: TokenView, markdown: bool, limit: int = 5) -> str:
    shown: Sequence[tuple[str, float]] = token.alternatives[:limit]
    if not shown:
        return "none kept"
    return ", ".join(f"{code(text, True) if markdown else visible(text)} {prob:.3g}" for text, prob in shown)


def _not_scored(status: Status) -> str:
    if status == "pending":
        return "The model's numbers follow when scoring finishes."
    if status == "no-model":
        return "Rules only (--no-model): no model numbers."
    return "The model could not score this file (see the server's log); rules only."
