"""``main``: parse the arguments, run the command, and the one error boundary."""

from __future__ import annotations

import json
import sys
import zlib
from typing import TYPE_CHECKING

import yaml

from sitegen.cli.arguments import build_parser
from sitegen.cli.report import EXIT_ENVIRONMENT
from sitegen.errors import SitegenError

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["main"]


def _describe(exc: BaseException) -> str:
    """One line for an error from the environment (a file, the configuration, a compressed file)."""
    if isinstance(exc, SitegenError):
        return str(exc)
    if isinstance(exc, OSError) and exc.strerror:
        names = [str(name) for name in (exc.filename, exc.filename2) if name is not None]
        return f"{' -> '.join(names)}: {exc.strerror}" if names else exc.strerror
    if isinstance(exc, UnicodeDecodeError):
        return f"a file is not valid UTF-8 text ({exc.reason} at byte {exc.start})"
    if isinstance(exc, yaml.YAMLError):
        return f"invalid YAML: {exc}"
    if isinstance(exc, zlib.error):
        return f"a compressed file is damaged: {exc}"
    return f"{type(exc).__name__}: {exc}"


# Everything a user's files or surroundings can raise; anything else is a bug and keeps its traceback.
_ENVIRONMENT_ERRORS = (SitegenError, OSError, UnicodeDecodeError, yaml.YAMLError, zlib.error, json.JSONDecodeError)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code.

    The one error boundary: an environment error becomes a single ``sitegen: error:`` line and exit 2.
    """
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args))
    except _ENVIRONMENT_ERRORS as exc:
        print(f"sitegen: error: {_describe(exc)}", file=sys.stderr)
        return EXIT_ENVIRONMENT
    except EOFError:
        print("sitegen: error: no answer given; pass --topic, --id and --kind", file=sys.stderr)
        return EXIT_ENVIRONMENT
    except KeyboardInterrupt:
        print("sitegen: interrupted; nothing was changed", file=sys.stderr)
        return 130
