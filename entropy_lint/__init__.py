"""entropy-lint: a security linter that reads code the way a code language model does."""

from __future__ import annotations

__version__ = "0.1.0"
