"""The Finding record, what the model thought of it, the fixes offered for it, suppression
comments, fingerprints."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

if TYPE_CHECKING:
    from entropy_lint.lines import LineIndex

Level = Literal["error", "warning", "note"]
LEVELS: tuple[Level, ...] = ("note", "warning", "error")  # ascending severity
# safe: behaviour-preserving for valid input; review: changes behaviour (a hash's output, a shell's globbing)
Safety = Literal["safe", "review"]


def level_rank(level: str) -> int:
    return LEVELS.index(level)  # type: ignore[arg-type]


class TokenView(NamedTuple):
    """One model token of a callee name: what was written and what the model expected."""

    text: str
    prob: float
    entropy: float
    rank: int
    alternatives: tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class Metrics:
    """What the model thought of one call: over the callee's name tokens, and over the whole call.

    The call-level numbers are absent where only the name was scored (findings in generated
    code carry the generation's own numbers for the name)."""

    model: str
    callee_entropy_mean: float
    callee_entropy_max: float
    callee_min_prob: float
    tokens: tuple[TokenView, ...]
    call_entropy_mean: float | None = None
    call_entropy_max: float | None = None
    call_min_prob: float | None = None
    call_surprisal: float | None = None
    call_tokens: int | None = None


@dataclass(frozen=True)
class Replacement:
    """Replace the file's text ``[start, end)`` (character offsets) by ``text``; an insertion when
    ``start == end``. Lines and columns are those of the finding: 1-based, columns in code points,
    the end exclusive."""

    start: int
    end: int
    start_line: int
    start_column: int
    end_line: int
    end_column: int
    text: str


@dataclass(frozen=True)
class Fix:
    """A verified rewrite of a finding's call: the file with these replacements parses as well as
    before, the rule no longer fires at the call, and no other finding appears. ``delta_nats`` is
    the change in the model's total surprisal over the rewritten text and what follows it
    (negative: the model finds the fix more natural here); None without a model."""

    description: str
    safety: Safety
    delta_nats: float | None
    replacements: tuple[Replacement, ...]
    preview: str = ""  # the call as the fix rewrites it, for messages


@dataclass(frozen=True)
class Finding:
    """One risky call. ``metrics`` is None with --no-model, or before scoring."""

    rule_id: str
    level: Level
    path: str
    line: int  # 1-based
    column: int  # 1-based, in Unicode code points
    end_line: int
    end_column: int  # exclusive
    span: tuple[int, int]  # the call, as character offsets into the file's text
    name_span: tuple[int, int]  # the callee's name, likewise
    callee: str
    snippet: str
    fingerprint: str
    note: str = ""
    message: str = ""
    metrics: Metrics | None = None
    fixes: tuple[Fix, ...] = ()  # best first: safe ones first, each group by the model's ranking

    @property
    def scored(self) -> bool:
        return self.metrics is not None

    @property
    def model(self) -> str | None:
        return self.metrics.model if self.metrics else None

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.column, self.rule_id)


def expectation(tokens: Sequence[TokenView]) -> tuple[int, str, float] | None:
    """Where the model was most surprised within the callee name, and what it expected there:
    (token index, expected text, its probability), or None when it expected what was written."""
    if not tokens:
        return None
    i = min(range(len(tokens)), key=lambda j: tokens[j].prob)
    for text, prob in tokens[i].alternatives:
        if text != tokens[i].text:
            if prob <= tokens[i].prob:
                return None
            return i, text, prob
    return None


def default_fix(finding: Finding, unsafe: bool = False) -> Fix | None:
    """The fix ``entropy-lint fix`` applies: the best safe one (with ``unsafe``, the best of all)."""
    return next((f for f in finding.fixes if unsafe or f.safety == "safe"), None)


def fix_summary(fix: Fix, limit: int = 60) -> str:
    """The fix for a message: the call as it would read, on one line, and how natural the model
    found it compared with what was written. The nats say nothing about safety."""
    shown = " ".join(fix.preview.split()) or fix.description
    if len(shown) > limit:
        shown = shown[: limit - 1] + "…"
    label = "fix" if fix.safety == "safe" else "fix (review)"
    head = f"{label}: `{shown}`"
    if fix.delta_nats is None:
        return head
    d = fix.delta_nats
    if abs(d) < 0.05:
        return f"{head}, as likely here as what was written"
    return f"{head}, {abs(d):.1f} nats {'less' if d > 0 else 'more'} likely here than what was written"


def message(rule_short: str, finding: Finding) -> str:
    """The one-line message: what the rule says, what the model measured, then the default fix
    (the best safe one, else the best to review)."""
    head = f"{finding.callee}: {rule_short}"
    if finding.note:
        head += f" ({finding.note})"
    best = default_fix(finding) or default_fix(finding, unsafe=True)
    fixed = f"; {fix_summary(best)}" if best is not None else ""
    m = finding.metrics
    if m is None:
        return head + fixed
    view, expected = model_words(m)
    model = f"model: {view}" + (f"; it expected {expected[0]}… (p={expected[1]:.2f})" if expected else "")
    return f"{head}; {model}{fixed}"


def model_words(m: Metrics) -> tuple[str, tuple[str, float] | None]:
    """What the model measured at the callee, in words (its lowest probability and where, the
    entropy there), and what it expected instead, quoted, with its probability, when it preferred
    something else."""
    tokens = m.tokens
    i = min(range(len(tokens)), key=lambda j: tokens[j].prob) if tokens else 0
    where = f" at {tokens[i].text.strip() or tokens[i].text!r}" if len(tokens) > 1 else ""
    view = f"p={m.callee_min_prob:.2g}{where}, entropy {m.callee_entropy_max:.2f} nats"
    guess = expectation(tokens)
    if guess is None:
        return view, None
    j, text, prob = guess
    written = "".join(t.text for t in tokens[:j]).lstrip()
    return view, (repr((written + text).strip()), prob)


# --- suppression ---------------------------------------------------------------------------

_IGNORE = re.compile(r"entropy-lint:\s*ignore(?:\[([^\]]*)\])?")
_NOSEC = re.compile(r"#\s*nosec\b(?::?\s*([A-Z0-9, ]+))?")


def suppressed(finding_rule: str, external: Iterable[str], lines: LineIndex, line: int,
               comments: Sequence[str], python: bool) -> bool:
    """True when the finding's line or the line before carries an ignore comment for it.

    ``entropy-lint: ignore`` (all rules) or ``entropy-lint: ignore[EL-X, EL-Y]`` after one of the
    language's comment openers; for Python also Bandit's ``# nosec`` (bare, or naming B-ids).
    """
    bandit_ids = {e.split()[-1] for e in external if e.startswith("Bandit ")}
    for number in (line, line - 1):
        text = lines.line(number) if number >= 1 else None
        if text is None:
            continue
        for match in _IGNORE.finditer(text):
            if not any(opener in text[: match.start()] for opener in comments):
                continue
            if match.group(1) is None or finding_rule in {r.strip() for r in match.group(1).split(",")}:
                return True
        if python and number == line:
            nosec = _NOSEC.search(text)
            if nosec:
                named = {b.strip() for b in (nosec.group(1) or "").split(",") if b.strip()}
                if not named or named & bandit_ids:
                    return True
    return False


# --- fingerprints ----------------------------------------------------------------------------

def fingerprint(rule_id: str, call_text: str, occurrence: int) -> str:
    """Stable across lines moving: the rule, the call's text with whitespace collapsed, and which
    occurrence of that same text in the file this is."""
    normal = " ".join(call_text.split())
    digest = hashlib.sha256(f"{rule_id}\0{normal}".encode()).hexdigest()[:16]
    return f"{digest}:{occurrence}"


def with_message(finding: Finding, rule_short: str) -> Finding:
    return replace(finding, message=message(rule_short, finding))


def to_dict(finding: Finding) -> dict[str, Any]:
    """A JSON-ready form (for the results cache); ``from_dict`` inverts it."""
    out = asdict(finding)
    if finding.metrics is not None:
        out["metrics"]["tokens"] = [[t.text, t.prob, t.entropy, t.rank, [list(a) for a in t.alternatives]]
                                    for t in finding.metrics.tokens]
    return out


def from_dict(data: dict[str, Any], path: str) -> Finding:
    metrics = data.get("metrics")
    if metrics is not None:
        tokens = tuple(TokenView(t[0], t[1], t[2], t[3], tuple((a, p) for a, p in t[4])) for t in metrics["tokens"])
        metrics = Metrics(**{**metrics, "tokens": tokens})
    fixes = tuple(Fix(**{**f, "replacements": tuple(Replacement(**r) for r in f["replacements"])})
                  for f in data.get("fixes", ()))
    return Finding(**{**data, "span": tuple(data["span"]), "name_span": tuple(data["name_span"]), "metrics": metrics,
                      "fixes": fixes, "path": path})
