"""What the output stages may remember between builds, without knowing who remembers it.

The writers (Turtle, N-Triples, JSON-LD, the actor graph and its files) and the SHACL
check are plain functions of the graph's sorted N-Triples lines, and so is each article's
provenance of its extraction. They make their output a piece at a time: the writers by
runs of whole subjects (:func:`by_runs`, :func:`by_item_runs`), provenance by article and
the check by part (:func:`stored`). In a clean build each piece is simply made. A process
that builds again (``kg build --watch``) or a build with a cache installs, with
:func:`remembering`, a memory of the pieces (:class:`kg.speed.incremental.Pieces`) and a store of
results (:class:`kg.speed.stored.Memo`): then a piece whose inputs did not change is taken as it
was. The bytes are the same either way (tests/test_watch.py), and no stage imports the
machinery that remembers (``.importlinter``): it wraps them.

>>> lines = ["<a> <p> 1 .", "<a> <q> 2 .", "<b> <p> 3 ."]
>>> [len(part) for part in by_runs("nt", lines, list, size=1)]        # a clean build: parts of about 1 line
[2, 1]
>>> stored("shacl", ("<a> <p> 1 .",), lambda: "checked")             # nothing remembers: made
'checked'
"""
from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Protocol, TypeVar

T = TypeVar("T")


class Memory(Protocol):
    """Pieces of the files of the last build, by what they were made of (kg.speed.incremental.Pieces);
    ``kept`` holds other results by key (``get``, ``put``)."""

    kept: Any

    def runs(self, lines: list[str]) -> list[tuple[str, ...]]: ...

    def each(self, kind, lines: list[str], make: Callable[[tuple[str, ...]], T]) -> Iterator[T]: ...

    def each_run(self, kind, items: Sequence[tuple], make: Callable[[tuple], T]) -> Iterator[T]: ...

    def made(self, kind, key, make: Callable[[], T]) -> T: ...


class Store(Protocol):
    """Results stored under a digest of their inputs (kg.speed.stored.Memo)."""

    def key(self, *inputs: str | bytes) -> str: ...

    def get(self, key: str): ...

    def put(self, key: str, value) -> None: ...


_memory: Memory | None = None
_store: Store | None = None


@contextmanager
def remembering(memory: Memory | None = None, store: Store | None = None):
    """Within the block, the stages' pieces are remembered in ``memory`` and their results
    stored in ``store`` (module state, not a context variable: the writers may run in
    threads of this process or in processes forked from it, and both see it)."""
    global _memory, _store
    before = _memory, _store
    _memory, _store = memory, store
    try:
        yield
    finally:
        _memory, _store = before


def memory() -> Memory | None:
    """The memory of pieces installed, if any (the SHACL check keeps more than bytes in it)."""
    return _memory


def by_runs(kind, lines: list[str], make: Callable[[Sequence[str]], T], size: int = 10_000) -> Iterator[T]:
    """``make`` of each piece of sorted ``lines``, every piece a run of whole subjects: parts
    of about ``size`` lines in a clean build, runs remembered by ``kind`` with a memory."""
    if _memory is not None:
        return _memory.each(kind, lines, make)
    return map(make, subject_parts(lines, size))


def by_item_runs(kind, items: Sequence[tuple], make: Callable[[tuple], T], size: int = 2_000) -> Iterator[T]:
    """``make`` of runs of ``items`` (the nodes or edges of a graph, as tuples): of ``size``
    items in a clean build, remembered by ``kind`` with a memory."""
    if _memory is not None:
        return _memory.each_run(kind, items, make)
    return (make(tuple(items[i:i + size])) for i in range(0, len(items), size))


def kept(kind, key, make: Callable[[], T]) -> T:
    """``make()``, or what it gave in this process's last build for the same ``kind`` and
    ``key`` when a memory is installed (in memory only: for results cheaper to make again
    than to read from disk)."""
    if _memory is None:
        return make()
    return _memory.made(kind, key, make)


def stored(kind: str, inputs: tuple[str | bytes, ...], make: Callable[[], T]) -> T:
    """``make()``, or what it gave before for the same ``kind`` and ``inputs`` when a store
    is installed (its key also digests the code, so a stale result is never read)."""
    if _store is None:
        return make()
    key = _store.key(kind, *inputs)
    found = _store.get(key)
    if found is None:
        found = make()
        _store.put(key, found)
    return found


def subject_parts(lines: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    """Sorted ``lines`` in parts of about ``size`` lines, each a run of whole subjects (a
    clean build's pieces: larger, and kept by no one).

    >>> [len(p) for p in subject_parts(["<a> <p> 1 .", "<a> <q> 2 .", "<b> <p> 3 ."], 1)]
    [2, 1]
    """
    start = 0
    while start < len(lines):
        end = min(start + size, len(lines))
        subject = lines[end - 1].split(" ", 1)[0]
        while end < len(lines) and lines[end].split(" ", 1)[0] == subject:
            end += 1
        yield lines[start:end]
        start = end
