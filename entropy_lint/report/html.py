"""A self-contained HTML page that leads with the findings and shows the code around them.

The page opens on an index of every finding (level, rule, file:line, the call, what the model
thought of it, and the best fix when the finding has one), each linking to its line in the
source view below. The source view colours each scored token by what the model thought of it
(GLTR-style rank buckets, or entropy), with a tooltip per token. By default only the functions
around findings are scored, so only they are coloured; ``--full`` colours every token of every
file. Files without findings are listed, and shown only when they were scored.

No network at view time: styles and the few lines of script are inline. A pure function of the
files, their texts, token scores and findings.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass

from entropy_lint import __version__
from entropy_lint.findings import Finding, level_rank, model_words
from entropy_lint.lines import LineIndex
from entropy_lint.model.scoring import TokenScores

RANK_BUCKETS = ((10, "top 10"), (100, "top 100"), (1000, "top 1,000"), (math.inf, "beyond"))
ENTROPY_BINS = ((0.5, "< 0.5 nats"), (1.5, "0.5-1.5"), (3.0, "1.5-3"), (math.inf, ">= 3 nats"))


@dataclass(frozen=True)
class FileView:
    path: str
    text: str
    scores: TokenScores | None
    findings: Sequence[Finding]
    problem: str | None = None


STYLE = """
:root { --r0:#b8f0b0; --r1:#fff0a0; --r2:#ffc7a6; --r3:#e2c4ff; --e0:#f1f6ff; --e1:#cfe0ff; --e2:#9fc0fb; --e3:#6b9bf2; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: #1d1d1f; background: #fafafa; }
header { padding: 16px 24px; background: #fff; border-bottom: 1px solid #ddd; position: sticky; top: 0; z-index: 5; }
h1 { font-size: 18px; margin: 0 0 4px; } h2 { font-size: 15px; margin: 0 0 8px; }
section.file h2 { font-family: ui-monospace, monospace; }
[id] { scroll-margin-top: 140px; }
.meta { color: #555; margin: 0 0 8px; }
.legend { display: flex; gap: 14px; align-items: center; flex-wrap: wrap; }
.legend .sw { display: inline-block; width: 14px; height: 14px; border: 1px solid #999; vertical-align: -2px; margin-right: 4px; }
.legend .keys { display: none; gap: 12px; } body.by-rank .legend .rank, body.by-entropy .legend .entropy { display: flex; }
main { padding: 16px 24px; }
section.index, section.file, section.others { background: #fff; border: 1px solid #ddd; border-radius: 6px; padding: 12px 16px; margin-bottom: 18px; }
table.findings { border-collapse: collapse; width: 100%; }
table.findings th { text-align: left; font-weight: 600; color: #555; border-bottom: 1px solid #ddd; padding: 4px 8px; }
table.findings td { border-bottom: 1px solid #eee; padding: 4px 8px; vertical-align: top; }
table.findings td.call code { white-space: pre-wrap; word-break: break-all; }
.why { color: #555; }
ul.findings { margin: 0 0 10px; padding-left: 18px; } ul.findings li { margin: 2px 0; }
.lvl { font-weight: 600; text-transform: uppercase; font-size: 11px; padding: 1px 5px; border-radius: 3px; color: #fff; }
.lvl.error { background: #c62828; } .lvl.warning { background: #e08600; } .lvl.note { background: #3b73b9; }
.problem { color: #8a1c1c; } .muted { color: #777; }
.code { display: flex; border-top: 1px solid #eee; overflow-x: auto; }
pre { margin: 0; font: 13px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; tab-size: 4; }
pre.gutter { color: #999; text-align: right; padding: 6px 10px 6px 0; border-right: 1px solid #eee; user-select: none; }
pre.gutter span:target { background: #ffe08a; color: #000; font-weight: 600; }
pre.src { padding: 6px 10px; }
.t { position: relative; border-radius: 2px; }
body.by-rank .r0 { background: var(--r0); } body.by-rank .r1 { background: var(--r1); }
body.by-rank .r2 { background: var(--r2); } body.by-rank .r3 { background: var(--r3); }
body.by-entropy .e0 { background: var(--e0); } body.by-entropy .e1 { background: var(--e1); }
body.by-entropy .e2 { background: var(--e2); } body.by-entropy .e3 { background: var(--e3); }
.hit { outline: 2px solid #c62828; outline-offset: -1px; } .hit.warning { outline-color: #e08600; } .hit.note { outline-color: #3b73b9; }
mark.hit { background: none; }
.t:hover::after { content: attr(data-tip); position: absolute; left: 0; top: 1.6em; z-index: 10; white-space: pre;
  background: #222; color: #fff; padding: 6px 8px; border-radius: 4px; font-size: 12px; line-height: 1.35; }
footer { color: #777; padding: 0 24px 24px; font-size: 12px; }
"""

SCRIPT = """
for (const input of document.querySelectorAll('input[name=view]')) {
  input.addEventListener('change', () => { document.body.className = input.value; });
}
"""


def _bucket(value: float, edges: Sequence[tuple[float, str]]) -> int:
    return next(i for i, (edge, _) in enumerate(edges) if value < edge or edge == math.inf)


def _tip(scores: TokenScores, i: int) -> str:
    lines = [f"{scores.token_text(i)!r}", f"p = {math.exp(scores.logprob[i]):.4f}   rank {int(scores.rank[i])}",
             f"entropy {scores.entropy[i]:.3f} nats ({scores.entropy[i] / math.log(2):.2f} bits)"]
    alternatives = [f"  {str(t)!r} {p:.3f}" for t, p in zip(scores.top_tokens[i], scores.top_probs[i]) if str(t)]
    if alternatives:
        lines.append("expected:")
        lines.extend(alternatives)
    return "\n".join(lines)


def _hits(scores: TokenScores, findings: Sequence[Finding]) -> dict[int, str]:
    """Token index -> level of the most severe finding covering it."""
    out: dict[int, str] = {}
    for f in findings:
        for i in scores.overlapping(*f.span):
            if level_rank(f.level) >= level_rank(out.get(int(i), "note")):
                out[int(i)] = f.level
    return out


def _coloured(scores: TokenScores, findings: Sequence[Finding]) -> str:
    """The text with each scored token in a coloured span; runs of unscored tokens stay plain
    text (most of a file, by default), which keeps the page small."""
    hits = _hits(scores, findings)
    parts, plain = [], []
    for i in range(len(scores)):
        piece = html.escape(scores.token_text(i))
        if not scores.scored[i] or math.isnan(scores.entropy[i]):
            plain.append(piece)
            continue
        if plain:
            parts.append("".join(plain))
            plain = []
        classes = f"t r{_bucket(scores.rank[i], RANK_BUCKETS)} e{_bucket(scores.entropy[i], ENTROPY_BINS)}"
        if i in hits:
            classes += f" hit {hits[i]}"
        parts.append(f'<span class="{classes}" data-tip="{html.escape(_tip(scores, i), quote=True)}">{piece}</span>')
    parts.append("".join(plain))
    return "".join(parts)


def _marked(text: str, findings: Sequence[Finding]) -> str:
    """The text with each finding's call outlined (no scores to colour it)."""
    parts, at = [], 0
    for f in sorted(findings, key=lambda f: f.span):
        start, end = max(f.span[0], at), max(f.span[1], at)
        parts.append(html.escape(text[at:start]))
        parts.append(f'<mark class="hit {f.level}">{html.escape(text[start:end])}</mark>')
        at = end
    parts.append(html.escape(text[at:]))
    return "".join(parts)


def _source(view: FileView, anchor: str) -> str:
    count = max(1, len(LineIndex(view.text)))
    gutter = "\n".join(f'<span id="{anchor}-L{n}">{n}</span>' for n in range(1, count + 1))
    scores = view.scores
    scored = scores is not None and not scores.error and scores.text == view.text
    body = _coloured(scores, view.findings) if scored and scores is not None else _marked(view.text, view.findings)
    return f'<div class="code"><pre class="gutter">{gutter}</pre><pre class="src">{body}</pre></div>'


def model_view(f: Finding) -> str:
    """What the model measured at the callee, in words: its lowest probability and where, the
    entropy there, and what it expected instead when it preferred something else."""
    if f.metrics is None:
        return "not scored"
    view, expected = model_words(f.metrics)
    return view + (f"; expected {expected[0]} (p={expected[1]:.2f})" if expected else "")


def best_fix(f: Finding) -> str:
    """The finding's best fix as a table cell, empty when it has none.

    Hook for fix records: a ``Finding`` with a ``fixes`` attribute (best first, each with
    ``preview``, ``description``, ``safety`` and ``delta_nats``) shows its first safe fix, else its
    first fix marked for review. Findings without fix records show nothing."""
    fixes = tuple(getattr(f, "fixes", ()) or ())
    if not fixes:
        return ""
    fix = next((x for x in fixes if getattr(x, "safety", "") == "safe"), fixes[0])
    shown = " ".join(str(getattr(fix, "preview", "") or "").split()) or str(getattr(fix, "description", ""))
    cell = f"<code>{html.escape(shown)}</code>"
    if getattr(fix, "safety", "") != "safe":
        cell += ' <span class="why">(review: changes behaviour)</span>'
    delta = getattr(fix, "delta_nats", None)
    if isinstance(delta, (int, float)) and not math.isnan(delta):
        cell += f' <span class="why">{abs(delta):.1f} nats {"less" if delta > 0 else "more"} likely here</span>'
    return cell


def _index(files: Sequence[FileView], anchors: dict[str, str], rules_short: dict[str, str]) -> str:
    rows = [(f, anchors[view.path]) for view in files for f in view.findings]
    if not rows:
        return '<section class="index" id="findings"><h2>Findings</h2><p>No findings.</p></section>'
    rows.sort(key=lambda r: (-level_rank(r[0].level), r[0].sort_key()))
    any_fix = any(getattr(f, "fixes", ()) for f, _ in rows)
    out = ['<section class="index" id="findings"><h2>Findings</h2><table class="findings"><thead><tr>'
           "<th>level</th><th>rule</th><th>where</th><th>call</th><th>the model's view</th>"
           + ("<th>best fix</th>" if any_fix else "") + "</tr></thead><tbody>"]
    for f, anchor in rows:
        out.append(
            f'<tr><td><span class="lvl {f.level}">{f.level}</span></td>'
            f'<td><code>{html.escape(f.rule_id)}</code><br><span class="why">{html.escape(rules_short.get(f.rule_id, ""))}</span></td>'
            f'<td><a href="#{anchor}-L{f.line}">{html.escape(f.path)}:{f.line}:{f.column}</a></td>'
            f'<td class="call"><code>{html.escape(f.snippet)}</code></td><td>{html.escape(model_view(f))}</td>'
            + (f"<td>{best_fix(f)}</td>" if any_fix else "") + "</tr>")
    out.append("</tbody></table></section>")
    return "".join(out)


def render_html(files: Sequence[FileView], model: str | None, rules_short: dict[str, str]) -> str:
    findings = sum(len(f.findings) for f in files)
    shown = [v for v in files if v.findings or v.problem or (v.scores is not None and not v.scores.error)]
    others = [v for v in files if v not in shown]
    anchors = {view.path: f"f{number}" for number, view in enumerate(shown, start=1)}
    out = [
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>entropy-lint report</title><style>{STYLE}</style></head>",
        '<body class="by-rank"><header><h1>entropy-lint report</h1>',
        f'<p class="meta">model {html.escape(model or "none")} · {len(files)} file{"s" * (len(files) != 1)} · '
        f'<a href="#findings">{findings} finding{"s" * (findings != 1)}</a> · '
        "the colors show what the model expected, not whether code is vulnerable</p>",
        '<div class="legend"><label><input type="radio" name="view" value="by-rank" checked> rank of the actual token</label>'
        '<label><input type="radio" name="view" value="by-entropy"> entropy of the prediction</label>',
        '<span class="keys rank">' + "".join(f'<span><span class="sw" style="background:var(--r{i})"></span>{html.escape(label)}</span>'
                                             for i, (_, label) in enumerate(RANK_BUCKETS)) + "</span>",
        '<span class="keys entropy">' + "".join(f'<span><span class="sw" style="background:var(--e{i})"></span>{html.escape(label)}</span>'
                                                for i, (_, label) in enumerate(ENTROPY_BINS)) + "</span>",
        "</div></header><main>",
        _index(files, anchors, rules_short),
    ]
    for view in shown:
        anchor = anchors[view.path]
        out.append(f'<section class="file" id="{anchor}"><h2>{html.escape(view.path)}</h2>')
        if view.problem:
            out.append(f'<p class="problem">{html.escape(view.problem)}</p></section>')
            continue
        if view.findings:
            out.append('<ul class="findings">')
            for f in sorted(view.findings, key=Finding.sort_key):
                out.append(f'<li><span class="lvl {f.level}">{f.level}</span> <a href="#{anchor}-L{f.line}">{f.line}:{f.column}</a> '
                           f"{html.escape(f.message or rules_short.get(f.rule_id, ''))} <code>[{f.rule_id}]</code></li>")
            out.append("</ul>")
        out.append(_source(view, anchor))
        out.append("</section>")
    if others:
        out.append(f'<section class="others" id="others"><h2>Files without findings ({len(others)})</h2>'
                   '<p class="muted">Not scored: the report scores the functions around findings (--full colours every '
                   'token of every file).</p><ul>')
        out.extend(f"<li><code>{html.escape(v.path)}</code></li>" for v in others)
        out.append("</ul></section>")
    out.append(f"</main><footer>entropy-lint {__version__}. Colors: GLTR-style buckets of each token's rank under the model, "
               "or its predictive entropy. Hover a token for its probability, entropy and the model's alternatives.</footer>")
    out.append(f"<script>{SCRIPT}</script></body></html>\n")
    return "".join(out)
