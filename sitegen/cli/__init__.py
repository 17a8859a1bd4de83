"""The ``sitegen`` command: a thin adapter over the core. No rules here, and the only code that prints.

``run`` holds ``main``, the one error boundary; ``arguments`` builds the parser; ``commands``
holds one function per subcommand; ``report`` prints problems and picks the exit code.

Exit codes: 0 clean, 1 content problems (warnings too under ``--strict``),
2 environment errors (missing folder, unreadable file, broken configuration).
"""

from __future__ import annotations

from sitegen.cli.run import main

__all__ = ["main"]
