"""The Finding record, what the model thought of it, suppression comments, fingerprints."""

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


def message(rule_short: str, finding: Finding) -> str:
    """The one-line message: what the rule says, then what the model measured."""
    head = f"{finding.callee}: {rule_short}"
    if finding.note:
        head += f" ({finding.note})"
    m = finding.metrics
    if m is None:
        return head
    tokens = m.tokens
    i = min(range(len(tokens)), key=lambda j: tokens[j].prob) if tokens else 0
    where = f" at {tokens[i].text.strip() or tokens[i].text!r}" if len(tokens) > 1 else ""
    model = f"model: p={m.callee_min_prob:.2g}{where}, entropy {m.callee_entropy_max:.2f} nats"
    guess = expectation(tokens)
    if guess is not None:
        j, text, prob = guess
        written = "".join(t.text for t in tokens[:j]).lstrip()
        model += f"; it expected {(written + text).strip()!r}… (p={prob:.2f})"
    return f"{head}; {model}"


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
    return Finding(**{**data, "span": tuple(data["span"]), "name_span": tuple(data["name_span"]), "metrics": metrics,
                      "path": path})
