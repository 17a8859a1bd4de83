"""The ``sitegen`` command: argument parsing, exit codes and output format. No rules here.

Exit codes: 0 clean, 1 content problems (warnings too under ``--strict``),
2 environment errors (missing folder, unreadable file, broken configuration).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from sitegen import __version__
from sitegen.catalog import LoadResult, load_catalog
from sitegen.errors import SitegenError
from sitegen.problems import format_github, format_json, format_summary_markdown, format_text

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

__all__ = ["main"]

EXIT_OK, EXIT_PROBLEMS, EXIT_ENVIRONMENT = 0, 1, 2


def _pick_format(requested: str) -> str:
    if requested != "auto":
        return requested
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


def report(result: LoadResult, *, output_format: str = "auto", strict: bool = False) -> int:
    """Print the problems in the chosen format and return the exit code."""
    chosen = _pick_format(output_format)
    problems = result.problems
    if chosen == "json":
        sys.stdout.write(format_json(problems))
    elif chosen == "github":
        sys.stdout.write(format_github(problems))
        summary = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary:
            with open(summary, "a", encoding="utf-8") as handle:
                handle.write(format_summary_markdown(problems))
    else:
        sys.stdout.write(format_text(problems))
    failed = result.error_count > 0 or (strict and result.warning_count > 0)
    if chosen == "text":
        verdict = "failed" if failed else "ok"
        counts = ", ".join(_plural(n, word) for n, word in ((len(result.files), "file"), (result.error_count, "error"), (result.warning_count, "warning")))
        print(f"sitegen: {counts}: {verdict}", file=sys.stderr)
    return EXIT_PROBLEMS if failed else EXIT_OK


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _claims_dir(args: argparse.Namespace) -> Path:
    return Path(args.claims_dir) if args.claims_dir else Path(args.root) / "claims"


def _load(args: argparse.Namespace) -> LoadResult:
    return load_catalog(_claims_dir(args), root=Path(args.root))


def _cmd_validate(args: argparse.Namespace) -> int:
    return report(_load(args), output_format=args.format, strict=args.strict)


def _cmd_render(args: argparse.Namespace) -> int:
    from sitegen.standalone import write_standalone

    result = _load(args)
    code = report(result, output_format=args.format, strict=args.strict)
    if code or result.catalog is None:
        return code or EXIT_PROBLEMS
    write_standalone(result.catalog, root=Path(args.root), out=Path(args.out), config_file=Path(args.config_file))
    print(f"sitegen: wrote {args.out}", file=sys.stderr)
    return EXIT_OK


def _cmd_build(args: argparse.Namespace) -> int:
    from sitegen.build import build_site

    result = _load(args)
    code = report(result, output_format=args.format, strict=args.strict)
    if code:
        print("sitegen: build skipped; the previous site is untouched", file=sys.stderr)
        return code
    site_dir = build_site(
        Path(args.config_file), site_dir=Path(args.site_dir) if args.site_dir else None, strict=args.strict,
        preloaded=(_claims_dir(args), result), on_warning=lambda message: print(f"sitegen: warning: {message}", file=sys.stderr),
    )
    print(f"sitegen: built {site_dir}", file=sys.stderr)
    return EXIT_OK


def _cmd_serve(args: argparse.Namespace) -> int:
    from sitegen.build import serve_site

    serve_site(Path(args.config_file), dev_addr=args.dev_addr)
    return EXIT_OK


def _cmd_schema(args: argparse.Namespace) -> int:
    from sitegen.schema import schema_text

    sys.stdout.write(schema_text(args.record))
    return EXIT_OK


def _cmd_new(args: argparse.Namespace) -> int:
    from sitegen.scaffold import ask_missing, write_claim

    topic, claim_id, kind = ask_missing(args.topic, args.id, args.kind, ask=input)
    path = write_claim(_claims_dir(args), topic=topic, claim_id=claim_id, kind=kind)
    print(f"sitegen: created {path}; fill in every field marked TODO, then run 'sitegen validate'", file=sys.stderr)
    return EXIT_OK


def _cmd_diff(args: argparse.Namespace) -> int:
    from sitegen.diff import diff_revisions

    text = diff_revisions(Path(args.root), args.base, args.head, output_format=args.output)
    sys.stdout.write(text)
    return EXIT_OK


def _cmd_check_site(args: argparse.Namespace) -> int:
    from sitegen.sitecheck import check_site

    problems = check_site(Path(args.site))
    chosen = _pick_format(args.format)
    formatter = {"json": format_json, "github": format_github}.get(chosen, format_text)
    sys.stdout.write(formatter(problems))
    if chosen == "text":
        print(f"sitegen: {_plural(len(problems), 'caution-contract violation')}: {'failed' if problems else 'ok'}", file=sys.stderr)
    return EXIT_PROBLEMS if problems else EXIT_OK


def _cmd_check_links(args: argparse.Namespace) -> int:
    from sitegen.links import check_links

    result = _load(args)
    if result.catalog is None:
        return report(result, output_format=args.format, strict=args.strict)
    failures = check_links(result.catalog, cache_file=Path(args.cache), delay=args.delay, timeout=args.timeout)
    for line in failures:
        print(line)
    return EXIT_PROBLEMS if failures else EXIT_OK


def _common(parser: argparse.ArgumentParser, *, formats: bool = True) -> None:
    parser.add_argument("--root", default=".", help="project root (default: current folder)")
    parser.add_argument("--claims-dir", help="claims folder (default: ROOT/claims)")
    if formats:
        parser.add_argument("--format", choices=["auto", "text", "json", "github"], default="auto",
                            help="problem output format; auto picks github inside GitHub Actions (default: auto)")
        parser.add_argument("--strict", action="store_true", help="treat warnings as failures")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sitegen", description="Validate claim records and build the evidence-review site.")
    parser.add_argument("--version", action="version", version=f"sitegen {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands: list[tuple[str, str, Callable[[argparse.Namespace], int]]] = [
        ("validate", "check every claim and source; print problems as path:line:col", _cmd_validate),
        ("build", "validate, then build the site; on failure the previous site is untouched", _cmd_build),
        ("serve", "preview the site locally, rebuilding when claims change", _cmd_serve),
        ("render", "write a standalone MkDocs project (plain Markdown, no plugin needed)", _cmd_render),
        ("schema", "print the JSON Schema (draft-07) of a record type", _cmd_schema),
        ("new", "create a claim file from the template", _cmd_new),
        ("diff", "list claims added, removed and changed between two revisions or folders", _cmd_diff),
        ("check-site", "check a built site (any engine): every efficacy claim shows both caution flags", _cmd_check_site),
        ("check-links", "resolve every DOI, PMID and URL over the network (not for CI)", _cmd_check_links),
    ]
    for name, help_text, handler in commands:
        command = sub.add_parser(name, help=help_text, description=help_text)
        command.set_defaults(handler=handler)
        if name == "check-site":
            command.add_argument("--format", choices=["auto", "text", "json", "github"], default="auto",
                                 help="problem output format; auto picks github inside GitHub Actions (default: auto)")
        else:
            _common(command, formats=name not in ("schema", "new", "diff", "serve"))
        _add_options(name, command)
    return parser


def _add_options(name: str, command: argparse.ArgumentParser) -> None:
    if name in ("build", "serve", "render"):
        command.add_argument("-f", "--config-file", default="mkdocs.yml", help="MkDocs configuration (default: mkdocs.yml)")
    if name == "build":
        command.add_argument("-d", "--site-dir", help="where to write the site (default: site_dir of mkdocs.yml)")
    elif name == "serve":
        command.add_argument("-a", "--dev-addr", default="127.0.0.1:8000", help="address to serve on (default: 127.0.0.1:8000)")
    elif name == "render":
        command.add_argument("-o", "--out", required=True, help="folder to write the standalone project into")
    elif name == "schema":
        command.add_argument("record", nargs="?", default="claim", choices=["claim", "sources", "topics", "site"],
                             help="which record type (default: claim)")
    elif name == "new":
        command.add_argument("--topic", help="topic id (the folder under claims/)")
        command.add_argument("--id", help="claim id (lower-case slug; the file name)")
        command.add_argument("--kind", help="claim kind, e.g. efficacy")
    elif name == "diff":
        command.add_argument("base", help="git revision or folder holding the old claims")
        command.add_argument("head", nargs="?", default=None, help="git revision or folder (default: the working tree)")
        command.add_argument("--output", choices=["markdown", "json"], default="markdown", help="output format (default: markdown)")
    elif name == "check-site":
        command.add_argument("site", help="the built site folder (holding claims.json and the HTML pages)")
    elif name == "check-links":
        command.add_argument("--cache", default=".sitegen-links.json", help="cache of checked links (default: .sitegen-links.json)")
        command.add_argument("--delay", type=float, default=1.0, help="seconds between requests to one host (default: 1)")
        command.add_argument("--timeout", type=float, default=15.0, help="seconds before a request gives up (default: 15)")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = _parser().parse_args(argv)
    try:
        return int(args.handler(args))
    except SitegenError as exc:
        print(f"sitegen: error: {exc}", file=sys.stderr)
        return EXIT_ENVIRONMENT
    except EOFError:
        print("sitegen: error: no answer given; pass --topic, --id and --kind", file=sys.stderr)
        return EXIT_ENVIRONMENT
    except KeyboardInterrupt:
        print("sitegen: interrupted; nothing was changed", file=sys.stderr)
        return 130
