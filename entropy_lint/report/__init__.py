"""Reporters: pure functions from records to text."""

from __future__ import annotations

import math


def rounded(x: float | None, digits: int = 6) -> float | None:
    """A number for JSON: rounded; None for a missing or NaN value (JSON has no NaN)."""
    return None if x is None or math.isnan(x) else round(float(x), digits)
