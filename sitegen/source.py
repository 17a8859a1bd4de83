"""Read YAML text into plain values plus the position of every key and value.

Reading is safe and bounded: only standard YAML tags, no aliases, a file-size limit, a
nesting-depth limit, and duplicate keys rejected (PyYAML would keep the last silently).
Problems are returned as data; nothing here knows what a claim is.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from sitegen.problems import Location, Problem, Severity

__all__ = ["MAX_BYTES", "MAX_DEPTH", "PathKey", "PositionMap", "ReadResult", "read_yaml"]

MAX_BYTES = 512 * 1024
MAX_DEPTH = 32
_FLOW_SAFE = 64  # above this many flow brackets, measure the nesting before composing with the C loader
_STR_TAG = "tag:yaml.org,2002:str"
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"

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
        return _STR_TAG
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
_PLAIN_TAGS = {
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}

PathKey = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class PositionMap:
    """Where each value (and each mapping key) starts, by path from the document root.

    Positions are looked up in the composed node tree only when asked for (``root``), so
    reading a file without problems never builds a table of them. A document with anchors
    keeps a table filled while reading (``values``, ``keys``): there an alias is placed where
    its first use was read, which only reading in order can tell.
    """

    path: str
    values: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    keys: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    root: Node | None = None
    _index: dict[int, dict[str, tuple[Node, Node]]] = field(default_factory=dict, compare=False, repr=False)

    def at(self, where: PathKey) -> Location:
        """The location of the value at ``where``, or of its nearest ancestor."""
        line, col = self.mark(where)
        return Location(self.path, line, col)

    def mark(self, where: PathKey) -> tuple[int, int]:
        """The 1-based line and column ``at`` gives."""
        if self.root is not None:
            node, _ = self._walk(where)
            return node.start_mark.line + 1, node.start_mark.column + 1
        probe = where
        while probe not in self.values and probe:
            probe = probe[:-1]
        return self.values.get(probe, (1, 1))

    def key_at(self, where: PathKey) -> Location:
        """The location of the key naming ``where`` (falls back to the value)."""
        if self.root is not None:
            _, key = self._walk(where)
            return Location(self.path, key.start_mark.line + 1, key.start_mark.column + 1) if key else self.at(where)
        if where in self.keys:
            line, col = self.keys[where]
            return Location(self.path, line, col)
        return self.at(where)

    def _walk(self, where: PathKey) -> tuple[Node, Node | None]:
        """The deepest node along ``where`` that reading records, and the key naming it if it is all of ``where``.

        Reading records a node's children only when it descends into it: a plain collection no
        deeper than ``MAX_DEPTH``; of a mapping's keys, the first plain one of each name.
        """
        assert self.root is not None
        node: Node = self.root
        key: Node | None = None
        for depth, step in enumerate(where):
            if depth > MAX_DEPTH or node.tag not in _PLAIN_TAGS:
                return node, None
            kind = node.__class__
            if kind is MappingNode and isinstance(step, str) and step.__class__ is str:
                pair = self._index.get(id(node)) or self._keys_of(node)
                found = pair.get(step)
                if found is None:
                    return node, None
                key, node = found
            elif kind is SequenceNode and isinstance(step, int) and step.__class__ is int and 0 <= step < len(node.value):
                key, node = None, node.value[step]
            else:
                return node, None
        return node, key

    def _keys_of(self, node: Node) -> dict[str, tuple[Node, Node]]:
        """A mapping's first plain key of each name, with its value (made once per mapping asked about)."""
        found = self._index.get(id(node))
        if found is None:
            found = self._index[id(node)] = {}
            for key, value in node.value:
                if isinstance(key, ScalarNode):
                    found.setdefault(key.value, (key, value))
        return found


@dataclass(frozen=True, slots=True)
class ReadResult:
    """A document's plain value (``None`` when unreadable), positions and read problems."""

    value: object
    positions: PositionMap
    problems: tuple[Problem, ...]


def _problem(code: str, message: str, where: Location, hint: str | None = None) -> Problem:
    return Problem(code, Severity.ERROR, message, where, hint)


def _decode(data: bytes, path: str) -> tuple[str | None, Problem | None]:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", errors="replace")) + 1
        return None, _problem(
            "SG103",
            f"the file is not valid UTF-8 (byte 0x{data[exc.start]:02x})",
            Location(path, line, col),
            "save the file as UTF-8",
        )


def _loader_for(text: str) -> type:
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


def _compose(text: str, path: str, loader_class: type) -> tuple[Node | None, Problem | None]:
    try:
        return yaml.compose(text, Loader=loader_class), None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        col = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        return None, _problem(
            "SG102", f"the file contains a character YAML does not allow ({_describe(exc.character)})", Location(path, line, col),
            "retype the text around here; copy-paste can carry hidden characters",
        )
    except yaml.MarkedYAMLError as exc:
        is_unclosed = "quoted scalar" in (exc.context or "") and "end of stream" in (exc.problem or "")
        mark = (exc.context_mark if is_unclosed else None) or exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = " ".join(filter(None, [exc.context, exc.problem])) or "invalid YAML"
        if "maximum nesting depth" in message:  # libyaml's own limit, in recent PyYAML wheels only
            line, col = _first_too_deep(text, loader_class) or (line, col)
            return None, _problem("SG104", f"nested deeper than {MAX_DEPTH} levels", Location(path, line, col), "flatten the structure")
        lines = text.splitlines()
        has_tab = mark is not None and mark.line < len(lines) and "\t" in lines[mark.line]
        hint = "indent with spaces, not tabs" if has_tab else "check the YAML syntax here"
        if is_unclosed:
            hint = "this quote is never closed: add the closing quotation mark"
        elif "mapping values are not allowed" in message:
            hint = "put text that contains ': ' in quotes"
        return None, _problem("SG102", f"YAML syntax error: {message}", Location(path, line, col), hint)
    except yaml.YAMLError as exc:
        return None, _problem("SG102", f"YAML syntax error: {exc}", Location(path, 1, 1))
    except RecursionError:
        return None, _problem(
            "SG104", "the document is nested too deeply", Location(path, 1, 1), "flatten the structure"
        )


class _Builder:
    """Turns a composed node graph into plain values, recording problems (and positions, with anchors).

    Plain strings, by far the most common values, are taken straight from the node inside
    the loop over their parent; everything else goes through ``build``. Without anchors the
    positions are left in the node tree (``PositionMap.root``) and no path is built.
    """

    def __init__(self, path: str, *, has_anchors: bool) -> None:
        self.positions = PositionMap(path)
        self.problems: list[Problem] = []
        # only a document with anchors can hold aliases, which compose to an already seen node
        self._seen: set[int] | None = set() if has_anchors else None
        self._constructor = SafeConstructor()

    def _where(self, node: Node) -> Location:
        return Location(self.positions.path, node.start_mark.line + 1, node.start_mark.column + 1)

    def build(self, node: Node, where: PathKey, depth: int) -> object:
        if self._seen is not None:
            mark = node.start_mark
            self.positions.values[where] = (mark.line + 1, mark.column + 1)
            if id(node) in self._seen:  # an alias: already reported with its own position
                return None
            self._seen.add(id(node))
        if depth > MAX_DEPTH:
            self.problems.append(
                _problem("SG104", f"nested deeper than {MAX_DEPTH} levels", self._where(node), "flatten the structure")
            )
            return None
        if node.tag not in _PLAIN_TAGS:
            self.problems.append(
                _problem(
                    "SG105",
                    f"unsupported YAML tag '{node.tag}'",
                    self._where(node),
                    "remove the tag; only plain text, numbers, lists and mappings are allowed",
                )
            )
            return None
        if isinstance(node, MappingNode):
            return self._mapping(node, where, depth)
        if isinstance(node, SequenceNode):
            return self._sequence(node, where, depth)
        return self._scalar(node)

    def _is_plain_text(self, node: Node, depth: int) -> bool:
        """Whether ``build`` would simply return the node's text (no alias, depth or tag problem)."""
        return node.__class__ is ScalarNode and node.tag == _STR_TAG and self._seen is None and depth <= MAX_DEPTH

    def _sequence(self, node: SequenceNode, where: PathKey, depth: int) -> list[object]:
        if self._seen is None:  # no positions to record: no paths to build
            return [item.value if self._is_plain_text(item, depth + 1) else self.build(item, (), depth + 1) for item in node.value]
        return [self.build(item, (*where, i), depth + 1) for i, item in enumerate(node.value)]

    def _mapping(self, node: MappingNode, where: PathKey, depth: int) -> dict[str, object]:
        record = self._seen is not None
        result: dict[str, object] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                self.problems.append(
                    _problem("SG110", "a key must be a plain name", self._where(key_node), "write the field name followed by ': '")
                )
                continue
            key = key_node.value
            if key in result:
                first = next(k for k, _ in node.value if isinstance(k, ScalarNode) and k.value == key).start_mark.line + 1
                self.problems.append(
                    _problem(
                        "SG109",
                        f"duplicate key '{key}' (first defined on line {first})",
                        self._where(key_node),
                        "keep one of the two entries; YAML would silently use the last",
                    )
                )
                continue
            if not record:
                result[key] = value_node.value if self._is_plain_text(value_node, depth + 1) else self.build(value_node, (), depth + 1)
                continue
            path = (*where, key)
            self.positions.keys[path] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[key] = self.build(value_node, path, depth + 1)
        return result

    def _scalar(self, node: Node) -> object:
        tag, text = node.tag, node.value
        if tag == _STR_TAG:  # what the constructor would return, without its overhead
            return text
        if tag == _TIMESTAMP_TAG and len(text) == 10:  # YYYY-MM-DD: the resolver matched, so these are digits
            try:
                return dt.date.fromisoformat(text)
            except ValueError:
                return text
        try:
            return self._constructor.construct_object(node, deep=True)
        except (ConstructorError, ValueError, OverflowError):
            return str(node.value)


def _alias_problems(text: str, path: str, loader_class: type) -> list[Problem]:
    if "&" not in text or "*" not in text:
        return []
    return [
        _problem(
            "SG106",
            "aliases (*name) are not allowed",
            Location(path, event.start_mark.line + 1, event.start_mark.column + 1) if event.start_mark else Location(path),
            "write the value out in full",
        )
        for event in yaml.parse(text, Loader=loader_class)
        if isinstance(event, yaml.AliasEvent)
    ]


def read_yaml(data: bytes, path: str) -> ReadResult:
    """Parse one YAML document safely.

    Args:
        data: the raw bytes of the file (a UTF-8 BOM is accepted).
        path: the path to report in problems, relative to the project root.

    Returns:
        The plain value (mappings, lists, str, int, float, bool, None, dates), the
        position of every value and key, and any problems found while reading.
    """
    empty = PositionMap(path)
    if len(data) > MAX_BYTES:
        problem = _problem(
            "SG101", f"the file is larger than {MAX_BYTES // 1024} KiB", Location(path, 1, 1), "split it into smaller records"
        )
        return ReadResult(None, empty, (problem,))
    text, decode_problem = _decode(data, path)
    if text is None:
        return ReadResult(None, empty, (decode_problem,) if decode_problem else ())
    loader_class = _loader_for(text)
    node, compose_problem = _compose(text, path, loader_class)
    if compose_problem:
        return ReadResult(None, empty, (compose_problem,))
    if node is None:
        problem = _problem("SG107", "the file is empty", Location(path, 1, 1), "start from 'sitegen new' or delete the file")
        return ReadResult(None, empty, (problem,))
    builder = _Builder(path, has_anchors="&" in text)
    builder.problems.extend(_alias_problems(text, path, loader_class))
    value = builder.build(node, (), 0)
    positions = builder.positions if "&" in text else PositionMap(path, root=node)
    return ReadResult(value, positions, tuple(builder.problems))
