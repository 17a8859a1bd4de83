"""One function per ``sitegen`` subcommand: read the arguments, call the core, print, return the exit code."""

from __future__ import annotations

import gc
import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from sitegen.catalog import CACHE_DIR, LoadResult, load_catalog
from sitegen.cli.report import EXIT_OK, EXIT_PROBLEMS, fails, pick_format, plural, print_problems, report
from sitegen.config import default_claims_dir, read_layout
from sitegen.errors import CautionContractError, SitegenError
from sitegen.handwritten import with_page_problems
from sitegen.outdir import check_output_dir
from sitegen.problems import sort_problems

if TYPE_CHECKING:
    import argparse
    from collections.abc import Sequence

    from sitegen.config import ProjectLayout
    from sitegen.problems import Problem

__all__ = [
    "cmd_build",
    "cmd_check_links",
    "cmd_check_site",
    "cmd_diff",
    "cmd_init",
    "cmd_new",
    "cmd_render",
    "cmd_schema",
    "cmd_serve",
    "cmd_validate",
]


def _claims_dir(args: argparse.Namespace) -> Path:
    return Path(args.claims_dir) if args.claims_dir else default_claims_dir(Path(args.root))


def _load(args: argparse.Namespace, claims_dir: Path | None = None, *, check_only: bool = False) -> LoadResult:
    cache_dir = None if args.no_cache else Path(args.cache_dir) if args.cache_dir else Path(args.root) / CACHE_DIR
    return load_catalog(claims_dir or _claims_dir(args), root=Path(args.root), cache_dir=cache_dir, check_only=check_only)


def _layout(args: argparse.Namespace) -> ProjectLayout:
    """The project's folders; ``--claims-dir`` overrides the plugin's ``claims_dir`` for every command."""
    config_file = Path(args.config_file) if args.config_file else Path(args.root) / "mkdocs.yml"
    return read_layout(config_file, claims_dir=Path(args.claims_dir) if args.claims_dir else None)


def cmd_validate(args: argparse.Namespace) -> int:
    """Check every claim, source and page marker; print the problems."""
    gc.disable()  # a short run that makes many objects and few cycles: collecting would only cost time
    result = with_page_problems(_load(args, check_only=True), Path(args.root) / "mkdocs.yml")
    return report(result, output_format=args.format, strict=args.strict)


def cmd_render(args: argparse.Namespace) -> int:
    """Write a standalone MkDocs project, after a clean validation."""
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


def cmd_build(args: argparse.Namespace) -> int:
    """Validate, then build the site; on failure the previous site is untouched."""
    from sitegen.build import build_site

    layout, root = _layout(args), Path(args.root)
    target = Path(args.site_dir) if args.site_dir else layout.site_dir
    check_output_dir(target, layout.inputs(root), force=args.force)  # refuse before reading anything
    layout.require_docs_dir()
    result = with_page_problems(_load(args, layout.claims_dir), layout.config_file)
    if fails(result, strict=args.strict):
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



def cmd_serve(args: argparse.Namespace) -> int:
    """Preview the site locally, with MkDocs logging to stderr."""
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


def cmd_schema(args: argparse.Namespace) -> int:
    """Print a record type's JSON Schema."""
    from sitegen.schema import schema_text

    sys.stdout.write(schema_text(args.record))
    return EXIT_OK


def cmd_new(args: argparse.Namespace) -> int:
    """Create a claim file from the template, asking for what the options leave out."""
    from sitegen.scaffold import ask_missing, write_claim

    topic, claim_id, kind = ask_missing(args.topic, args.id, args.kind, ask=input)
    path = write_claim(_claims_dir(args), topic=topic, claim_id=claim_id, kind=kind)
    print(f"sitegen: created {path}; fill in every field marked TODO, then run 'sitegen validate'", file=sys.stderr)
    return EXIT_OK


def cmd_init(args: argparse.Namespace) -> int:
    """Create a new review site in a folder."""
    from sitegen.scaffold import InitOptions, init_site

    names = ("title", "description", "reviewed_kind", "reviewed_title", "reviewed_description", "site_url")
    given = {name: getattr(args, name) for name in names}
    target = Path(args.folder)
    written = init_site(target, InitOptions(**{k: v for k, v in given.items() if v is not None}))
    print(f"sitegen: created {len(written)} files in {target}; next: cd {target} && sitegen build --strict", file=sys.stderr)
    return EXIT_OK


def cmd_diff(args: argparse.Namespace) -> int:
    """Print what changed between two revisions or folders."""
    from sitegen.diff import diff_revisions

    text = diff_revisions(Path(args.root), args.base, args.head, claims_dir=_claims_dir(args), output_format=args.output)
    sys.stdout.write(text)
    return EXIT_OK


def cmd_check_site(args: argparse.Namespace) -> int:
    """Check a built site for the caution contract."""
    from sitegen.sitecheck import check_site

    problems = check_site(Path(args.site))
    print_problems(problems, args.format)
    if pick_format(args.format) == "text":
        print(f"sitegen: {plural(len(problems), 'caution-contract violation')}: {'failed' if problems else 'ok'}", file=sys.stderr)
    return EXIT_PROBLEMS if problems else EXIT_OK


def cmd_check_links(args: argparse.Namespace) -> int:
    """Resolve every DOI, PMID and URL over the network."""
    from sitegen.links import check_links

    result = _load(args)
    if result.catalog is None:
        return report(result, output_format=args.format, strict=args.strict)
    failures = check_links(result.catalog, cache_file=Path(args.cache) if args.cache else Path(args.root) / ".sitegen-links.json", delay=args.delay, timeout=args.timeout)
    for line in failures:
        print(line)
    return EXIT_PROBLEMS if failures else EXIT_OK
