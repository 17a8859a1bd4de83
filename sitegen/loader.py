"""The YAML dialect we read: a safe loader (libyaml's when installed) that composes text into a node tree.

Only standard tags, resolved by a fast copy of PyYAML's safe resolver; syntax errors,
forbidden characters, too-deep nesting and aliases become located problems.
"""

from __future__ import annotations

import re

import yaml
from yaml.nodes import Node, ScalarNode, SequenceNode

from sitegen.problems import Location, Problem, Severity

__all__ = [
    "MAX_DEPTH",
    "PLAIN_TAGS",
    "STR_TAG",
    "TIMESTAMP_TAG",
    "alias_problems",
    "compose",
    "loader_for",
    "read_problem",
]

MAX_DEPTH = 32
_FLOW_SAFE = 64  # above this many flow brackets, measure the nesting before composing with the C loader
STR_TAG = "tag:yaml.org,2002:str"
TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"

_IMPLICIT: dict[str, tuple[tuple[str, re.Pattern[str]], ...]] = {
    first: tuple(resolvers) for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items() if first is not None
}
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"


def _resolve(self: object, kind: type, value: str, implicit: tuple[bool, bool]) -> str:
    """PyYAML's ``Resolver.resolve`` for safe loading, without its per-call overhead.

    The same YAML 1.1 implicit resolvers, looked up by first character, in the same order;
    safe loaders have no wildcard and no path resolvers, so nothing else can apply.
    """
    if kind is ScalarNode:
        if implicit[0]:
            for tag, regexp in _IMPLICIT.get(value[:1], ()):
                if regexp.match(value):
                    return tag
        return STR_TAG
    return _SEQ_TAG if kind is SequenceNode else _MAP_TAG


class _PySafeLoader(yaml.SafeLoader):
    """The pure-Python safe loader with the fast resolver."""

    resolve = _resolve


_Loader: type = _PySafeLoader
if hasattr(yaml, "CSafeLoader"):

    class _CSafeLoader(yaml.CSafeLoader):
        """libyaml's parser and composer; only resolving tags calls back into Python.

        The composer also tells the resolver each step down and up the tree, which matters
        only for path resolvers, and safe loading has none: two C callables that accept those
        calls and do nothing stand in for two Python methods that return at once.
        """

        resolve = _resolve
        descend_resolver = slice  # type: ignore[assignment]  # slice(parent, index): made and dropped
        ascend_resolver = tuple  # type: ignore[assignment]  # tuple(): the empty tuple

    _Loader = _CSafeLoader
PLAIN_TAGS = {
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}


def read_problem(code: str, message: str, where: Location, hint: str | None = None) -> Problem:
    """An error found while reading a file."""
    return Problem(code, Severity.ERROR, message, where, hint)


def loader_for(text: str) -> type:
    """The C loader unless the document nests deeper than ``_FLOW_SAFE``; then the pure-Python one.

    libyaml rejects very deep nesting as a syntax error, where the pure-Python loader lets us
    report it as too deep (SG104). Few flow brackets cannot nest deeply; with more (a long
    source list with ``authors: [...]`` on every entry), one C pass over the events measures the
    real depth, which costs far less than composing with the pure-Python loader.
    """
    if _Loader is _PySafeLoader or text.count("[") + text.count("{") <= _FLOW_SAFE:
        return _Loader
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > _FLOW_SAFE:
                    return _PySafeLoader
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return _PySafeLoader
    return _Loader


def _first_too_deep(text: str, loader_class: type) -> tuple[int, int] | None:
    """Where the first value nested deeper than ``MAX_DEPTH`` starts, as composing would report it.

    So the position does not depend on whether the installed libyaml has a nesting limit.
    """
    depth = 0
    try:
        for event in yaml.parse(text, Loader=loader_class):
            mark = event.start_mark
            if isinstance(event, yaml.NodeEvent) and depth > MAX_DEPTH and mark is not None:
                return mark.line + 1, mark.column + 1
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return None
    return None


def _describe(character: object) -> str:
    return f"U+{character:04X}" if isinstance(character, int) else repr(character)


def compose(text: str, path: str, loader_class: type) -> tuple[Node | None, Problem | None]:
    """The document's node tree (``None`` for an empty one), or the problem that stops reading it."""
    try:
        return yaml.compose(text, Loader=loader_class), None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        col = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        return None, read_problem(
            "SG102", f"the file contains a character YAML does not allow ({_describe(exc.character)})", Location(path, line, col),
            "retype the text around here; copy-paste can carry hidden characters",
        )
    except yaml.MarkedYAMLError as exc:
        return None, _syntax_problem(exc, text, path, loader_class)
    except yaml.YAMLError as exc:
        return None, read_problem("SG102", f"YAML syntax error: {exc}", Location(path, 1, 1))
    except RecursionError:
        return None, read_problem(
            "SG104", "the document is nested too deeply", Location(path, 1, 1), "flatten the structure"
        )


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str, path: str, loader_class: type) -> Problem:
    """A YAML syntax error at its most useful mark, with a hint for the common mistakes."""
    is_unclosed = "quoted scalar" in (exc.context or "") and "end of stream" in (exc.problem or "")
    mark = (exc.context_mark if is_unclosed else None) or exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    message = " ".join(filter(None, [exc.context, exc.problem])) or "invalid YAML"
    if "maximum nesting depth" in message:  # libyaml's own limit, in recent PyYAML wheels only
        line, col = _first_too_deep(text, loader_class) or (line, col)
        return read_problem("SG104", f"nested deeper than {MAX_DEPTH} levels", Location(path, line, col), "flatten the structure")
    lines = text.splitlines()
    has_tab = mark is not None and mark.line < len(lines) and "\t" in lines[mark.line]
    hint = "indent with spaces, not tabs" if has_tab else "check the YAML syntax here"
    if is_unclosed:
        hint = "this quote is never closed: add the closing quotation mark"
    elif "mapping values are not allowed" in message:
        hint = "put text that contains ': ' in quotes"
    return read_problem("SG102", f"YAML syntax error: {message}", Location(path, line, col), hint)


def alias_problems(text: str, path: str, loader_class: type) -> list[Problem]:
    """One SG106 for each alias (``*name``) in the document."""
    if "&" not in text or "*" not in text:
        return []
    return [
        read_problem(
            "SG106",
            "aliases (*name) are not allowed",
            Location(path, event.start_mark.line + 1, event.start_mark.column + 1) if event.start_mark else Location(path),
            "write the value out in full",
        )
        for event in yaml.parse(text, Loader=loader_class)
        if isinstance(event, yaml.AliasEvent)
    ]
