"""Read YAML text into plain values plus the position of every key and value.

Reading is safe and bounded: only standard YAML tags, no aliases, a file-size limit, a
nesting-depth limit, and duplicate keys rejected (PyYAML would keep the last silently).
Problems are returned as data; nothing here knows what a claim is. The YAML dialect and
its syntax problems are ``sitegen.loader``'s; positions are ``sitegen.positions``'.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from sitegen.loader import MAX_DEPTH, PLAIN_TAGS, STR_TAG, TIMESTAMP_TAG, alias_problems, compose, loader_for, read_problem
from sitegen.positions import PathKey, PositionMap
from sitegen.problems import Location, Problem

__all__ = ["MAX_BYTES", "MAX_DEPTH", "PathKey", "PositionMap", "ReadResult", "read_yaml"]

MAX_BYTES = 512 * 1024


@dataclass(frozen=True, slots=True)
class ReadResult:
    """A document's plain value (``None`` when unreadable), positions and read problems."""

    value: object
    positions: PositionMap
    problems: tuple[Problem, ...]


def _decode(data: bytes, path: str) -> tuple[str | None, Problem | None]:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", errors="replace")) + 1
        return None, read_problem(
            "SG103",
            f"the file is not valid UTF-8 (byte 0x{data[exc.start]:02x})",
            Location(path, line, col),
            "save the file as UTF-8",
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
                read_problem("SG104", f"nested deeper than {MAX_DEPTH} levels", self._where(node), "flatten the structure")
            )
            return None
        if node.tag not in PLAIN_TAGS:
            self.problems.append(
                read_problem(
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
        return node.__class__ is ScalarNode and node.tag == STR_TAG and self._seen is None and depth <= MAX_DEPTH

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
                    read_problem("SG110", "a key must be a plain name", self._where(key_node), "write the field name followed by ': '")
                )
                continue
            key = key_node.value
            if key in result:
                first = next(k for k, _ in node.value if isinstance(k, ScalarNode) and k.value == key).start_mark.line + 1
                self.problems.append(
                    read_problem(
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
        if tag == STR_TAG:  # what the constructor would return, without its overhead
            return text
        if tag == TIMESTAMP_TAG and len(text) == 10:  # YYYY-MM-DD: the resolver matched, so these are digits
            try:
                return dt.date.fromisoformat(text)
            except ValueError:
                return text
        try:
            return self._constructor.construct_object(node, deep=True)
        except (ConstructorError, ValueError, OverflowError):
            return str(node.value)


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
        problem = read_problem(
            "SG101", f"the file is larger than {MAX_BYTES // 1024} KiB", Location(path, 1, 1), "split it into smaller records"
        )
        return ReadResult(None, empty, (problem,))
    text, decode_problem = _decode(data, path)
    if text is None:
        return ReadResult(None, empty, (decode_problem,) if decode_problem else ())
    loader_class = loader_for(text)
    node, compose_problem = compose(text, path, loader_class)
    if compose_problem:
        return ReadResult(None, empty, (compose_problem,))
    if node is None:
        problem = read_problem("SG107", "the file is empty", Location(path, 1, 1), "start from 'sitegen new' or delete the file")
        return ReadResult(None, empty, (problem,))
    builder = _Builder(path, has_anchors="&" in text)
    builder.problems.extend(alias_problems(text, path, loader_class))
    value = builder.build(node, (), 0)
    positions = builder.positions if "&" in text else PositionMap(path, root=node)
    return ReadResult(value, positions, tuple(builder.problems))
