"""Read-only data built from files, built once and reused while the files' bytes are the same.

Every start of the bot (hundreds per test run, one per /recargar) parsed the places list and the
knowledge base again, a tenth of a second each time. The key is the files' contents, not their
modification time, so an edit is always seen, however quickly it follows the last load. What is
returned is shared: callers treat it as read-only, and a reload swaps in a new object instead of
changing the old one. A build that raises is not remembered: the next call tries again.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
KEEP = 8  # a few versions of each file at most: a process rarely holds more than one

_built: OrderedDict[tuple, Any] = OrderedDict()


def _contents(path: Path) -> tuple:
    """A file's bytes; a directory's files by name (not recursive); None when missing."""
    try:
        if path.is_dir():
            return tuple(
                (p.name, p.read_bytes()) for p in sorted(path.iterdir()) if p.is_file()
            )
        return (path.read_bytes(),)
    except OSError:
        return (None,)


def built_from(kind: str, paths: Iterable[Path], build: Callable[[], T]) -> T:
    """`build()`'s result for these files as they are now, reused if they have not changed."""
    key = (kind, *((str(p), _contents(Path(p))) for p in paths))
    if key in _built:
        _built.move_to_end(key)
        return _built[key]
    value = build()
    _built[key] = value
    while len(_built) > KEEP:
        _built.popitem(last=False)
    return value
