"""The one exception type users see: its message is the whole story."""

from __future__ import annotations


class EntropyLintError(Exception):
    """An error whose message is one clear sentence for the user (no traceback)."""


class ModelError(EntropyLintError):
    """The model could not be resolved, fetched or loaded."""


class ConfigError(EntropyLintError):
    """A configuration file or option has a bad key or value."""
