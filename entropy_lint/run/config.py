"""One frozen Config: defaults, then the project file, then command-line flags; validated once.

The project file is ``.entropy-lint.toml`` or the ``[tool.entropy-lint]`` table of
``pyproject.toml``, whichever is found first walking up from the working directory. Keys are
kebab-case. The linted repository may be hostile, so a project file cannot turn on
``trust-remote-code`` (a model's own code would run) nor choose ``cache-dir`` (a committed cache
would supply its own results); only the command line or the user's environment can.

``validate`` owns every rule that spans settings (context below window, the model gates need a
model, rule ids exist); its errors name the key and where its value came from.
``run_settings`` is the one place the scoring and lint settings are derived.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from entropy_lint.errors import ConfigError
from entropy_lint.findings import LEVELS
from entropy_lint.model.loading import DEFAULT_MODEL, DEVICES, DTYPES

if TYPE_CHECKING:
    from entropy_lint.model.scoring import ScoringSettings
    from entropy_lint.run.pipeline import LintSettings

FILE_NAMES = (".entropy-lint.toml", "pyproject.toml")
LEVEL_NAMES = tuple(reversed(LEVELS))  # error, warning, note: as options list them
FORBIDDEN_IN_FILES = {
    "trust-remote-code": "pass --trust-remote-code on the command line",
    "cache-dir": "pass --cache-dir or set ENTROPY_LINT_CACHE_DIR: a repository must not supply its own results",
    "follow-symlinks": "pass --follow-symlinks on the command line: links out of the tree are the user's call",
}


@dataclass(frozen=True)
class Config:
    # settings a project file may hold (see KEYS)
    model: str = DEFAULT_MODEL
    device: str = "auto"
    dtype: str = "auto"
    window: int = 4096
    context: int = 1024
    top_k: int = 5
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    levels: tuple[tuple[str, str], ...] = ()
    min_level: str = "note"
    max_prob: float | None = None
    min_entropy: float | None = None
    fail_on: str = "warning"
    max_file_size: int = 1_000_000
    cache: bool = True
    sarif_category: str = "entropy-lint"
    allow_unanalysed: bool = False  # files of a known language that could not be analysed do not fail the run
    # settings only the command line (or the caller) gives
    cache_dir: str | None = None
    use_model: bool = True
    full: bool = False  # score every token of every file
    fim: bool = False  # also offer fixes the model writes (fill-in-the-middle models only)
    server: str | None = None  # score on this entropy-lint server
    trust_remote_code: bool = False
    root: str | None = None  # SARIF and baseline paths are relative to this
    baseline: str | None = None
    diff: str | None = None
    follow_symlinks: bool = False  # out of the scanned tree, too
    jobs: int = 1  # processes that analyse files (the command line's default: one per CPU core)
    # where values came from
    origins: Mapping[str, str] = field(default_factory=dict, compare=False)
    path: str | None = None  # the project file, if one was found

    @property
    def base(self) -> Path:
        """The folder that relative paths and globs in the project file are relative to."""
        return Path(self.path).parent if self.path else Path.cwd()

    def origin(self, name: str) -> str:
        return self.origins.get(name, "default")


def _choice(options: tuple[str, ...]) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        if value not in options:
            raise ValueError(f"expected one of {', '.join(options)}, got {value!r}")
        return value

    return check


def _typed(kind: type, low: Any = None, high: Any = None) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, (kind, int) if kind is float else kind):
            raise ValueError(f"expected {kind.__name__}, got {value!r}")
        if (low is not None and value < low) or (high is not None and value > high):
            raise ValueError(f"expected a value between {low} and {high}, got {value!r}")
        return float(value) if kind is float else value  # type: ignore[arg-type]

    return check


def _strings(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"expected a list of strings, got {value!r}")
    return tuple(value)


def _levels(value: Any) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, dict):
        raise ValueError(f"expected a table of rule id = level, got {value!r}")
    return tuple(sorted((str(k), _choice(LEVEL_NAMES)(v)) for k, v in value.items()))


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"expected true or false, got {value!r}")
    return value


# project-file key -> (Config field, validator)
KEYS: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "model": ("model", _typed(str)),
    "device": ("device", _choice(DEVICES)),
    "dtype": ("dtype", _choice(DTYPES)),
    "window": ("window", _typed(int, 2, 1 << 20)),
    "context": ("context", _typed(int, 1, 1 << 20)),
    "top-k": ("top_k", _typed(int, 0, 100)),
    "include": ("include", _strings),
    "exclude": ("exclude", _strings),
    "select": ("select", _strings),
    "ignore": ("ignore", _strings),
    "levels": ("levels", _levels),
    "min-level": ("min_level", _choice(LEVEL_NAMES)),
    "max-prob": ("max_prob", _typed(float, 0, 1)),
    "min-entropy": ("min_entropy", _typed(float, 0, 1e6)),
    "fail-on": ("fail_on", _choice((*LEVEL_NAMES, "none"))),
    "max-file-size": ("max_file_size", _typed(int, 1, 1 << 40)),
    "cache": ("cache", _flag),
    "sarif-category": ("sarif_category", _typed(str)),
    "allow-unanalysed": ("allow_unanalysed", _flag),
}
_KEY_OF = {name: key for key, (name, _check) in KEYS.items()}


def find_project_file(start: Path) -> tuple[Path, dict[str, Any]] | None:
    """The nearest ``.entropy-lint.toml``, or ``pyproject.toml`` with a [tool.entropy-lint] table."""
    for folder in (start, *start.parents):
        for name in FILE_NAMES:
            candidate = folder / name
            if not candidate.is_file():
                continue
            table = _read(candidate)
            if name == "pyproject.toml":
                tool = table.get("tool", {})
                if not isinstance(tool, dict) or "entropy-lint" not in tool:
                    continue
                table = tool["entropy-lint"]
            return candidate, table
    return None


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path} is not UTF-8 text (byte 0x{exc.object[exc.start]:02x} at offset {exc.start})") from exc
    except OSError as exc:
        raise ConfigError(f"{path} cannot be read: {exc.strerror or exc}") from exc


def _where(source: str) -> str:
    return f"[tool.entropy-lint] of {source}" if source.endswith("pyproject.toml") else source


def from_table(table: Mapping[str, Any], source: str, base: Config | None = None) -> Config:
    """Apply a project file's table over ``base``; unknown keys and bad values name key and file."""
    where = _where(source)
    if not isinstance(table, Mapping):
        raise ConfigError(f"{where} must be a table")
    values: dict[str, Any] = {}
    for key, value in table.items():
        if key in FORBIDDEN_IN_FILES:
            raise ConfigError(f"{key!r} in {where} is not allowed: {FORBIDDEN_IN_FILES[key]}")
        if key not in KEYS:
            close = [k for k in KEYS if k.replace("-", "") == key.replace("-", "").replace("_", "")]
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ConfigError(f"unknown key {key!r} in {where}{hint}")
        name, check = KEYS[key]
        try:
            values[name] = check(value)
        except ValueError as exc:
            raise ConfigError(f"bad value for {key!r} in {where}: {exc}") from exc
    config = replace(base or Config(), **values)
    origins = dict(config.origins)
    origins.update({name: source for name in values})
    return replace(config, origins=origins, path=source)


def load_config(cwd: Path | None = None, explicit: str | None = None, isolated: bool = False) -> Config:
    """Defaults, overlaid with the project file found from ``cwd`` (or ``explicit``). Not yet
    validated: flags may still change it (see ``resolve``)."""
    if isolated:
        return Config()
    if explicit:
        path = Path(explicit)
        table = _read(path)
        if path.name == "pyproject.toml":
            table = table.get("tool", {}).get("entropy-lint", {})
        return from_table(table, str(path))
    found = find_project_file((cwd or Path.cwd()).resolve())
    if found is None:
        return Config()
    path, table = found
    return from_table(table, str(path))


def with_flags(config: Config, flags: Mapping[str, Any]) -> Config:
    """Command-line values (only those given) override the file."""
    names = {f.name for f in fields(Config)} - {"origins", "path"}
    given = {k: v for k, v in flags.items() if k in names}
    origins = dict(config.origins)
    origins.update({k: "command line" for k in given})
    return replace(config, **given, origins=origins)


def resolve(flags: Mapping[str, Any], *, explicit: str | None = None, isolated: bool = False,
            cwd: Path | None = None) -> Config:
    """The effective configuration of one command: defaults < project file < flags, validated."""
    return validate(with_flags(load_config(cwd, explicit, isolated), flags))


def _named(config: Config, name: str) -> str:
    """How an error names a setting: its key (or flag) and where its value came from."""
    key = _KEY_OF.get(name, name.replace("_", "-"))
    origin = config.origin(name)
    return f"{key!r} ({_where(origin) if origin not in ('default', 'command line') else origin})"


def validate(config: Config) -> Config:
    """Check every rule that spans settings; return ``config`` unchanged or raise ConfigError."""
    if config.context >= config.window:
        raise ConfigError(f"{_named(config, 'context')} = {config.context} must be below "
                          f"{_named(config, 'window')} = {config.window}")
    if not config.use_model:
        for name in ("max_prob", "min_entropy"):
            if getattr(config, name) is not None:
                raise ConfigError(f"{_named(config, name)} needs the model; drop --no-model")
    from entropy_lint.rules import by_id

    known = by_id()
    for name, ids in (("select", config.select), ("ignore", config.ignore), ("levels", [r for r, _ in config.levels])):
        unknown = sorted(set(ids) - set(known))
        if unknown:
            raise ConfigError(f"unknown rule id{'s' * (len(unknown) > 1)} {', '.join(unknown)} in "
                              f"{_named(config, name)} (see entropy-lint rules)")
    return config


def run_settings(config: Config) -> tuple[ScoringSettings, LintSettings]:
    """The scoring and the lint settings a validated ``config`` asks for."""
    from entropy_lint.model.scoring import ScoringSettings
    from entropy_lint.run.pipeline import LintSettings

    scoring = ScoringSettings(window=config.window, context=config.context, top_k=config.top_k)
    lint = LintSettings(
        min_level=config.min_level, max_prob=config.max_prob, min_entropy=config.min_entropy,  # type: ignore[arg-type]
        full=config.full, select=frozenset(config.select), ignore=frozenset(config.ignore),
        levels=config.levels, use_model=config.use_model, fim=config.fim,  # type: ignore[arg-type]
    )
    return scoring, lint


def explain(config: Config) -> list[tuple[str, Any, str]]:
    """(key, value, origin) of every project-file setting, for ``entropy-lint config``."""
    rows = []
    for key, (name, _check) in KEYS.items():
        value = getattr(config, name)
        if name == "levels":
            value = dict(value)
        rows.append((key, value, config.origin(name)))
    return rows
