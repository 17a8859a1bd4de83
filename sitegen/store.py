"""Pickling for the cache of checked files: fast to load, and safe to load from a planted file.

Loading builds only sitegen's own classes, dates, and the decoders registered here; anything
else in a file is an error, so a file written by someone else cannot run code. Frozen
dataclasses are stored as constructor calls (much faster to load than their default state
protocol); a type with a registered codec is stored as plain values and one decoder call.
"""

from __future__ import annotations

import copyreg
import dataclasses
import io
import pickle
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["CORRUPT", "codecs", "dumps", "loads", "register_codec"]

_ALLOWED_MODULES = ("sitegen.",)
_ALLOWED_GLOBALS = {("datetime", "date"), ("datetime", "datetime"), ("datetime", "timezone"), ("datetime", "timedelta")}
CORRUPT = (pickle.UnpicklingError, EOFError, AttributeError, ImportError, IndexError, KeyError, TypeError, ValueError)
"""What loading a damaged (or planted) file can raise."""

T = TypeVar("T")
Reducer = Callable[[Any], tuple[Callable[..., Any], tuple[Any, ...]]]
_CODECS: dict[type, Reducer] = {}
_DECODERS: set[object] = set()


def register_codec(cls: type[T], encode: Callable[[T], object], decode: Callable[[object], T]) -> None:
    """Store ``cls`` as ``decode(encode(obj))``: plain values are far faster to load than objects.

    ``decode`` must be a module-level function; it is the only function loading may call.
    """
    _CODECS[cls] = lambda obj: (decode, (encode(obj),))
    _DECODERS.add(decode)


def codecs() -> dict[type, Reducer]:
    """Each registered type and its reducer (for other picklers, such as the one sending results between processes)."""
    return dict(_CODECS)


def _by_fields(obj: object) -> tuple[type, tuple[object, ...]]:
    """Rebuild a dataclass through its constructor."""
    return type(obj), tuple(getattr(obj, f.name) for f in dataclasses.fields(obj))  # type: ignore[arg-type]


class _DispatchTable(dict[type, object]):
    """Registered codecs first; then sitegen dataclasses as constructor calls; the rest as usual."""

    def __missing__(self, cls: type) -> object:
        found: object = _CODECS.get(cls)
        is_ours = dataclasses.is_dataclass(cls) and cls.__module__.startswith("sitegen.")
        if found is None and is_ours and all(f.init for f in dataclasses.fields(cls)):
            found = _by_fields
        found = found or copyreg.dispatch_table.get(cls)
        if found is None:
            raise KeyError(cls)
        self[cls] = found
        return found


def dumps(obj: object) -> bytes:
    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _DispatchTable()  # type: ignore[assignment]
    pickler.dump(obj)
    return out.getvalue()


def loads(blob: bytes | memoryview) -> object:
    """Load what ``dumps`` wrote; raises one of ``CORRUPT`` for anything else."""
    return _RestrictedUnpickler(io.BytesIO(blob)).load()


class _RestrictedUnpickler(pickle.Unpickler):
    """Builds only sitegen's own classes, dates and registered decoders; anything else is a corrupt file."""

    def find_class(self, module: str, name: str) -> object:
        if module.startswith(_ALLOWED_MODULES) or (module, name) in _ALLOWED_GLOBALS:
            found = super().find_class(module, name)
            if (isinstance(found, type) and not name.startswith("_")) or found in _DECODERS:
                return found
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in the cache")
