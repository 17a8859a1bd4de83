"""Where each value and key of a read document starts: ``PositionMap``, by path from the root.

Positions are looked up in the composed node tree only when a problem asks for one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from sitegen.loader import MAX_DEPTH, PLAIN_TAGS
from sitegen.problems import Location

__all__ = ["PathKey", "PositionMap"]

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
            if depth > MAX_DEPTH or node.tag not in PLAIN_TAGS:
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
