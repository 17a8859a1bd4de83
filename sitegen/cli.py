"""The ``sitegen`` command: argument parsing, exit codes and output format. No rules here.

Exit codes: 0 clean, 1 content problems (warnings too under ``--strict``),
2 environment errors (missing folder, unreadable file, broken configuration).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import zlib
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from sitegen import __version__
from sitegen.catalog import CACHE_DIR, LoadResult, load_catalog
from sitegen.config import default_claims_dir, read_layout
from sitegen.errors import CautionContractError, SitegenError
from sitegen.handwritten import with_page_problems
from sitegen.outdir import check_output_dir
from sitegen.problems import format_github, format_json, format_summary_markdown, format_text, sort_problems

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from sitegen.config import ProjectLayout
    from sitegen.problems import Problem

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
    failed = _fails(result, strict=strict)
    if chosen == "text":
        verdict = "failed" if failed else "ok"
        counts = ", ".join(_plural(n, word) for n, word in ((len(result.file_names), "file"), (result.error_count, "error"), (result.warning_count, "warning")))
        print(f"sitegen: {counts}: {verdict}", file=sys.stderr)
    return EXIT_PROBLEMS if failed else EXIT_OK


def _fails(result: LoadResult, *, strict: bool) -> bool:
    return result.error_count > 0 or (strict and result.warning_count > 0)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _claims_dir(args: argparse.Namespace) -> Path:
    return Path(args.claims_dir) if args.claims_dir else default_claims_dir(Path(args.root))


def _load(args: argparse.Namespace, claims_dir: Path | None = None, *, check_only: bool = False) -> LoadResult:
    cache_dir = None if args.no_cache else Path(args.cache_dir) if args.cache_dir else Path(args.root) / CACHE_DIR
    return load_catalog(claims_dir or _claims_dir(args), root=Path(args.root), cache_dir=cache_dir, check_only=check_only)


def _layout(args: argparse.Namespace) -> ProjectLayout:
    """The project's folders; ``--claims-dir`` overrides the plugin's ``claims_dir`` for every command."""
    config_file = Path(args.config_file) if args.config_file else Path(args.root) / "mkdocs.yml"
    return read_layout(config_file, claims_dir=Path(args.claims_dir) if args.claims_dir else None)


def _cmd_validate(args: argparse.Namespace) -> int:
    gc.disable()  # a short run that makes many objects and few cycles: collecting would only cost time
    result = with_page_problems(_load(args, check_only=True), Path(args.root) / "mkdocs.yml")
    return report(result, output_format=args.format, strict=args.strict)


def _cmd_render(args: argparse.Namespace) -> int:
    from sitegen.standalone import write_standalone

    layout, root = _layout(args), Path(args.root)
    check_output_dir(Path(args.out), layout.inputs(root), force=args.force)  # refuse before reading anything
    layout.require_docs_dir()
    result = with_page_problems(_load(args, layout.claims_dir), layout.config_file)
    code = report(result, output_format=args.format, strict=args.strict)
    if code or result.catalog is None:
        return code or EXIT_PROBLEMS
    out = write_standalone(result.catalog, layout=layout, out=Path(args.out), root=root, force=args.force)
    print(f"sitegen: wrote {out}", file=sys.stderr)
    return EXIT_OK


def _cmd_build(args: argparse.Namespace) -> int:
    from sitegen.build import build_site

    layout, root = _layout(args), Path(args.root)
    target = Path(args.site_dir) if args.site_dir else layout.site_dir
    check_output_dir(target, layout.inputs(root), force=args.force)  # refuse before reading anything
    layout.require_docs_dir()
    result = with_page_problems(_load(args, layout.claims_dir), layout.config_file)
    if _fails(result, strict=args.strict):
        code = report(result, output_format=args.format, strict=args.strict)
        print("sitegen: build skipped; the previous site is untouched", file=sys.stderr)
        return code
    try:
        site_dir = build_site(layout, target=target, root=root, strict=args.strict, force=args.force, preloaded=result,
                              on_warning=lambda message: print(f"sitegen: warning: {message.removeprefix('sitegen: ')}", file=sys.stderr))
    except CautionContractError as exc:  # content problems found on the built pages: exit 1, reported with the others
        built = replace(result, problems=sort_problems([*result.problems, *_under(exc.problems, target, root)]))
        report(built, output_format=args.format, strict=args.strict)
        print("sitegen: build failed: an efficacy claim is shown without its flags; the previous site is untouched", file=sys.stderr)
        return EXIT_PROBLEMS
    except SitegenError:
        report(result, output_format=args.format, strict=args.strict)  # the content's warnings, then the error line
        raise
    report(result, output_format=args.format, strict=args.strict)
    print(f"sitegen: built {site_dir}", file=sys.stderr)
    return EXIT_OK


def _under(problems: Sequence[Problem], folder: Path, root: Path) -> list[Problem]:
    """Problems with paths relative to a built site, named as under ``folder`` (relative to ``root`` when inside it)."""
    full, base = Path(os.path.abspath(folder)), Path(os.path.abspath(root))
    name = full.relative_to(base).as_posix() if full.is_relative_to(base) and full != base else folder.as_posix().rstrip("/")
    return [replace(p, where=replace(p.where, path=f"{name}/{p.where.path}")) for p in problems]


def _print_problems(problems: Sequence[Problem], output_format: str) -> None:
    chosen = _pick_format(output_format)
    formatter = {"json": format_json, "github": format_github}.get(chosen, format_text)
    sys.stdout.write(formatter(problems))


def _cmd_serve(args: argparse.Namespace) -> int:
    import logging

    from sitegen.build import serve_site

    # MkDocs says where it serves and when it rebuilds; the plugin lists content problems in the validate format
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    mkdocs_log = logging.getLogger("mkdocs")
    mkdocs_log.addHandler(handler)
    mkdocs_log.setLevel(logging.INFO)

    serve_site(_layout(args), root=Path(args.root), dev_addr=args.dev_addr)
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


def _cmd_init(args: argparse.Namespace) -> int:
    from sitegen.scaffold import InitOptions, init_site

    names = ("title", "description", "reviewed_kind", "reviewed_title", "reviewed_description", "site_url")
    given = {name: getattr(args, name) for name in names}
    target = Path(args.folder)
    written = init_site(target, InitOptions(**{k: v for k, v in given.items() if v is not None}))
    print(f"sitegen: created {len(written)} files in {target}; next: cd {target} && sitegen build --strict", file=sys.stderr)
    return EXIT_OK


def _cmd_diff(args: argparse.Namespace) -> int:
    from sitegen.diff import diff_revisions

    text = diff_revisions(Path(args.root), args.base, args.head, claims_dir=_claims_dir(args), output_format=args.output)
    sys.stdout.write(text)
    return EXIT_OK


def _cmd_check_site(args: argparse.Namespace) -> int:
    from sitegen.sitecheck import check_site

    problems = check_site(Path(args.site))
    _print_problems(problems, args.format)
    if _pick_format(args.format) == "text":
        print(f"sitegen: {_plural(len(problems), 'caution-contract violation')}: {'failed' if problems else 'ok'}", file=sys.stderr)
    return EXIT_PROBLEMS if problems else EXIT_OK


def _cmd_check_links(args: argparse.Namespace) -> int:
    from sitegen.links import check_links

    result = _load(args)
    if result.catalog is None:
        return report(result, output_format=args.format, strict=args.strict)
    failures = check_links(result.catalog, cache_file=Path(args.cache) if args.cache else Path(args.root) / ".sitegen-links.json", delay=args.delay, timeout=args.timeout)
    for line in failures:
        print(line)
    return EXIT_PROBLEMS if failures else EXIT_OK


def _common(parser: argparse.ArgumentParser, *, formats: bool = True) -> None:
    parser.add_argument("--root", default=".", help="project root (default: current folder)")
    parser.add_argument("--claims-dir", help="claims folder (default: the sitegen plugin's claims_dir in ROOT/mkdocs.yml, else ROOT/claims)")
    if formats:
        parser.add_argument("--format", choices=["auto", "text", "json", "github"], default="auto",
                            help="problem output format; auto picks github inside GitHub Actions (default: auto)")
        parser.add_argument("--strict", action="store_true", help="treat warnings as failures")
        parser.add_argument("--cache-dir", help=f"where checked files are remembered between runs (default: ROOT/{CACHE_DIR})")
        parser.add_argument("--no-cache", action="store_true", help="check every file again; read and write no cache")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sitegen", description="Validate claim records and build the evidence-review site.")
    parser.add_argument("--version", action="version", version=f"sitegen {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands: list[tuple[str, str, Callable[[argparse.Namespace], int]]] = [
        ("validate", "check every claim, source and page marker; print problems as path:line:col", _cmd_validate),
        ("build", "validate, then build the site; on failure the previous site is untouched", _cmd_build),
        ("serve", "preview the site locally, rebuilding when claims change", _cmd_serve),
        ("render", "write a standalone MkDocs project (plain Markdown, no plugin needed)", _cmd_render),
        ("schema", "print the JSON Schema (draft-07) of a record type", _cmd_schema),
        ("new", "create a claim file from the template", _cmd_new),
        ("init", "create a new review site (settings, topics, example claims, pages, CI) in a folder", _cmd_init),
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
        elif name not in ("init", "schema"):  # they read no project: --root and --claims-dir would be ignored, so they are refused
            _common(command, formats=name not in ("new", "diff", "serve"))
        _add_options(name, command)
    return parser


def _add_options(name: str, command: argparse.ArgumentParser) -> None:
    if name in ("build", "serve", "render"):
        command.add_argument("-f", "--config-file", help="MkDocs configuration (default: ROOT/mkdocs.yml)")
    if name in ("build", "render"):
        command.add_argument("--force", action="store_true",
                             help="replace the output folder even if it holds files sitegen did not write (never an input folder)")
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
    elif name == "init":
        command.add_argument("folder", nargs="?", default=".", help="where to create the site (default: current folder)")
        command.add_argument("--title", help="the site's name")
        command.add_argument("--description", help="one sentence saying what the site is")
        command.add_argument("--reviewed-kind", help="what is reviewed, as in 'What the KIND says' (default: article)")
        command.add_argument("--reviewed-title", help="the title of the work under review")
        command.add_argument("--reviewed-description", help="what the work under review is")
        command.add_argument("--site-url", help="the published address (default: the local preview address; SITE_URL overrides it)")
    elif name == "diff":
        command.add_argument("base", help="git revision or folder holding the old claims")
        command.add_argument("head", nargs="?", default=None, help="git revision or folder (default: the working tree)")
        command.add_argument("--output", choices=["markdown", "json"], default="markdown", help="output format (default: markdown)")
    elif name == "check-site":
        command.add_argument("site", help="the built site folder (holding claims.json and the HTML pages)")
    elif name == "check-links":
        command.add_argument("--cache", help="cache of checked links (default: ROOT/.sitegen-links.json)")
        command.add_argument("--delay", type=float, default=1.0, help="seconds between requests to one host (default: 1)")
        command.add_argument("--timeout", type=float, default=15.0, help="seconds before a request gives up (default: 15)")


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
    args = _parser().parse_args(argv)
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
