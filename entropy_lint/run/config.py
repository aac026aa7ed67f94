"""One frozen Config: defaults, then the project file, then command-line flags.

The project file is ``.entropy-lint.toml`` or the ``[tool.entropy-lint]`` table of
``pyproject.toml``, whichever is found first walking up from the working directory. Keys are
kebab-case. ``trust-remote-code`` is deliberately not a file key: a repository must not be able
to make the linter run a model's code on a developer's machine.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from entropy_lint.errors import ConfigError
from entropy_lint.model.loading import DEFAULT_MODEL, DEVICES, DTYPES

LEVELS = ("error", "warning", "note")
FILE_NAMES = (".entropy-lint.toml", "pyproject.toml")


@dataclass(frozen=True)
class Config:
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
    cache_dir: str | None = None
    sarif_category: str = "entropy-lint"
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
    return tuple(sorted((str(k), _choice(LEVELS)(v)) for k, v in value.items()))


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"expected true or false, got {value!r}")
    return value


# file key -> (Config field, validator)
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
    "min-level": ("min_level", _choice(LEVELS)),
    "max-prob": ("max_prob", _typed(float, 0, 1)),
    "min-entropy": ("min_entropy", _typed(float, 0, 1e6)),
    "fail-on": ("fail_on", _choice((*LEVELS, "none"))),
    "max-file-size": ("max_file_size", _typed(int, 1, 1 << 40)),
    "cache": ("cache", _flag),
    "cache-dir": ("cache_dir", _typed(str)),
    "sarif-category": ("sarif_category", _typed(str)),
}


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
    except OSError as exc:
        raise ConfigError(f"{path} cannot be read: {exc.strerror or exc}") from exc


def from_table(table: Mapping[str, Any], source: str, base: Config | None = None) -> Config:
    """Apply a project file's table over ``base``; unknown keys and bad values name key and file."""
    where = f"[tool.entropy-lint] of {source}" if source.endswith("pyproject.toml") else source
    if not isinstance(table, Mapping):
        raise ConfigError(f"{where} must be a table")
    values: dict[str, Any] = {}
    for key, value in table.items():
        if key == "trust-remote-code":
            raise ConfigError(f"'trust-remote-code' in {where} is not allowed: pass --trust-remote-code on the command line")
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
    """Defaults, overlaid with the project file found from ``cwd`` (or ``explicit``)."""
    if isolated:
        return Config()
    if explicit:
        path = Path(explicit)
        table = _read(path)
        if path.name == "pyproject.toml":
            table = table.get("tool", {}).get("entropy-lint", {})
        return _resolve_paths(from_table(table, str(path)))
    found = find_project_file((cwd or Path.cwd()).resolve())
    if found is None:
        return Config()
    path, table = found
    return _resolve_paths(from_table(table, str(path)))


def _resolve_paths(config: Config) -> Config:
    if config.cache_dir and not Path(config.cache_dir).expanduser().is_absolute():
        return replace(config, cache_dir=str(config.base / config.cache_dir))
    return config


def with_flags(config: Config, flags: Mapping[str, Any]) -> Config:
    """Command-line values (only those given) override the file."""
    names = {f.name for f in fields(Config)}
    given = {k: v for k, v in flags.items() if k in names}
    origins = dict(config.origins)
    origins.update({k: "command line" for k in given})
    return replace(config, **given, origins=origins)


def describe(config: Config) -> list[tuple[str, Any, str]]:
    """(key, value, origin) for ``entropy-lint config``."""
    rows = []
    for key, (name, _check) in KEYS.items():
        value = getattr(config, name)
        if name == "levels":
            value = dict(value)
        rows.append((key, value, config.origin(name)))
    return rows
