"""``python -m entropy_lint``: the same as the ``entropy-lint`` command."""

from __future__ import annotations

import sys

from entropy_lint.front.cli import main

sys.exit(main())
