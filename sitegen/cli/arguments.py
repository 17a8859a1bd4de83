"""The ``sitegen`` argument parser: one subcommand per command function, with its options."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from sitegen import __version__
from sitegen.catalog import CACHE_DIR
from sitegen.cli import commands

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["build_parser"]

_FORMAT_HELP = "problem output format; auto picks github inside GitHub Actions (default: auto)"


def build_parser() -> argparse.ArgumentParser:
    """The parser; each subcommand's ``handler`` default is its command function."""
    parser = argparse.ArgumentParser(prog="sitegen", description="Validate claim records and build the evidence-review site.")
    parser.add_argument("--version", action="version", version=f"sitegen {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, help_text, handler in _commands():
        command = sub.add_parser(name, help=help_text, description=help_text)
        command.set_defaults(handler=handler)
        if name == "check-site":
            command.add_argument("--format", choices=["auto", "text", "json", "github"], default="auto", help=_FORMAT_HELP)
        elif name not in ("init", "schema"):  # they read no project: --root and --claims-dir would be ignored, so they are refused
            _common(command, formats=name not in ("new", "diff", "serve"))
        _add_options(name, command)
    return parser


def _commands() -> list[tuple[str, str, Callable[[argparse.Namespace], int]]]:
    return [
        ("validate", "check every claim, source and page marker; print problems as path:line:col", commands.cmd_validate),
        ("build", "validate, then build the site; on failure the previous site is untouched", commands.cmd_build),
        ("serve", "preview the site locally, rebuilding when claims change", commands.cmd_serve),
        ("render", "write a standalone MkDocs project (plain Markdown, no plugin needed)", commands.cmd_render),
        ("schema", "print the JSON Schema (draft-07) of a record type", commands.cmd_schema),
        ("new", "create a claim file from the template", commands.cmd_new),
        ("init", "create a new review site (settings, topics, example claims, pages, CI) in a folder", commands.cmd_init),
        ("diff", "list claims added, removed and changed between two revisions or folders", commands.cmd_diff),
        ("check-site", "check a built site (any engine): every efficacy claim shows both caution flags", commands.cmd_check_site),
        ("check-links", "resolve every DOI, PMID and URL over the network (not for CI)", commands.cmd_check_links),
    ]


def _common(parser: argparse.ArgumentParser, *, formats: bool = True) -> None:
    parser.add_argument("--root", default=".", help="project root (default: current folder)")
    parser.add_argument("--claims-dir", help="claims folder (default: the sitegen plugin's claims_dir in ROOT/mkdocs.yml, else ROOT/claims)")
    if formats:
        parser.add_argument("--format", choices=["auto", "text", "json", "github"], default="auto", help=_FORMAT_HELP)
        parser.add_argument("--strict", action="store_true", help="treat warnings as failures")
        parser.add_argument("--cache-dir", help=f"where checked files are remembered between runs (default: ROOT/{CACHE_DIR})")
        parser.add_argument("--no-cache", action="store_true", help="check every file again; read and write no cache")


def _add_options(name: str, command: argparse.ArgumentParser) -> None:
    if name in ("build", "serve", "render"):
        command.add_argument("-f", "--config-file", help="MkDocs configuration (default: ROOT/mkdocs.yml)")
    if name in ("build", "render"):
        command.add_argument("--force", action="store_true",
                             help="replace the output folder even if it holds files sitegen did not write (never an input folder)")
    if name in _OPTIONS:
        _OPTIONS[name](command)


def _build_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("-d", "--site-dir", help="where to write the site (default: site_dir of mkdocs.yml)")


def _serve_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("-a", "--dev-addr", default="127.0.0.1:8000", help="address to serve on (default: 127.0.0.1:8000)")


def _render_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("-o", "--out", required=True, help="folder to write the standalone project into")


def _schema_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("record", nargs="?", default="claim", choices=["claim", "sources", "topics", "site"],
                         help="which record type (default: claim)")


def _new_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--topic", help="topic id (the folder under claims/)")
    command.add_argument("--id", help="claim id (lower-case slug; the file name)")
    command.add_argument("--kind", help="claim kind, e.g. efficacy")


def _init_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("folder", nargs="?", default=".", help="where to create the site (default: current folder)")
    command.add_argument("--title", help="the site's name")
    command.add_argument("--description", help="one sentence saying what the site is")
    command.add_argument("--reviewed-kind", help="what is reviewed, as in 'What the KIND says' (default: article)")
    command.add_argument("--reviewed-title", help="the title of the work under review")
    command.add_argument("--reviewed-description", help="what the work under review is")
    command.add_argument("--site-url", help="the published address (default: the local preview address; SITE_URL overrides it)")


def _diff_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("base", help="git revision or folder holding the old claims")
    command.add_argument("head", nargs="?", default=None, help="git revision or folder (default: the working tree)")
    command.add_argument("--output", choices=["markdown", "json"], default="markdown", help="output format (default: markdown)")


def _check_site_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("site", help="the built site folder (holding claims.json and the HTML pages)")


def _check_links_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--cache", help="cache of checked links (default: ROOT/.sitegen-links.json)")
    command.add_argument("--delay", type=float, default=1.0, help="seconds between requests to one host (default: 1)")
    command.add_argument("--timeout", type=float, default=15.0, help="seconds before a request gives up (default: 15)")


_OPTIONS: dict[str, Callable[[argparse.ArgumentParser], None]] = {
    "build": _build_options,
    "serve": _serve_options,
    "render": _render_options,
    "schema": _schema_options,
    "new": _new_options,
    "init": _init_options,
    "diff": _diff_options,
    "check-site": _check_site_options,
    "check-links": _check_links_options,
}
"""Each command's own options, after the shared ones."""
