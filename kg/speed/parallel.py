"""Extraction spread over processes, and the output stages' writers in forked processes.

Articles are independent until resolution, so they can be extracted anywhere:
:func:`in_processes` extracts them here or in worker processes forked from this one,
:func:`kg.speed.dask.on_dask` on a Dask cluster; either gives the same list, in the same
order, as one process. An extraction found in the :class:`~kg.speed.stored.ExtractionCache`
is not made again. :class:`Tasks` runs the writers of a build side by side.
"""
from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import TypeVar

from ..memory import collector_paused
from ..records import Article, ArticleExtraction
from .stored import ExtractionCache

T = TypeVar("T")


@dataclass(frozen=True)
class ExtractionFailure:
    """A file that could not be decoded, or an article the extractor failed on: reported
    and left out, the build goes on."""
    source_file: str
    reason: str


@dataclass(frozen=True)
class SourceFile:
    """A file not yet decoded: the workers decode and normalise it, so that this runs in
    parallel too."""
    path: Path
    root: Path
    data: bytes


def _extract_one(item: Article | SourceFile) -> ArticleExtraction | ExtractionFailure:
    """An article's extraction, with its share of the resolution (which depends on the
    article and the gazetteer only, so it is made in parallel and cached with it)."""
    from ..extract import extract
    from ..ingest import ArticleError, read_article, source_name
    from ..nlp import build_pipeline
    from ..resolve import resolve_article

    if isinstance(item, SourceFile):
        try:
            item = read_article(item.path, item.root, item.data)
        except ArticleError as exc:
            return ExtractionFailure(source_name(item.path, item.root), str(exc).splitlines()[0])
    try:
        ex = extract(item, build_pipeline())
        return replace(ex, resolution=resolve_article(ex))
    except ImportError:               # a module that cannot be loaded is no article's fault: the build stops
        raise
    except Exception as exc:          # a bug one article meets must not cost the others their build
        first = str(exc).splitlines()[0] if str(exc) else ""
        return ExtractionFailure(item.source_file, f"extraction failed ({type(exc).__name__}: {first}); "
                                                      "this is a bug in pakg, please report it with the file")


def chars(item: Article | SourceFile) -> int:
    """About how many characters ``item`` holds (a file not yet decoded: a third of its bytes)."""
    return len(item.data) // 3 if isinstance(item, SourceFile) else len(item.text)


#: What extracts articles: given them (or files), it yields each one's extraction (or
#: failure) in the order given.  :func:`in_processes` and :func:`kg.speed.dask.on_dask`.
Extractor = Callable[[list[Article | SourceFile]], Iterable[ArticleExtraction | ExtractionFailure]]


def extract_all(articles: list[Article | SourceFile], extractor: Extractor | None = None,
                cache: ExtractionCache | None = None, progress: Callable[[Iterable, int, str], Iterable] | None = None,
                known: list[ArticleExtraction | None] | None = None) -> list[ArticleExtraction | ExtractionFailure]:
    """The extraction of every article (or file, decoded first), in the order given (an
    :class:`ExtractionFailure` for a file that does not decode or that the extractor failed on).

    ``known`` holds, where not None, an article's extraction found earlier (in ``cache``,
    when the file was read); only the rest go to ``extractor`` (by default, this process)
    and are stored in ``cache``.  ``progress(iterable, total, description)`` wraps the loop.
    """
    from ..segment import about_to_cut

    wrap = progress or (lambda it, total, desc: it)
    results = list(known) if known is not None else [None] * len(articles)
    todo = [i for i, r in enumerate(results) if r is None]
    pending = [articles[i] for i in todo]
    with about_to_cut(sum(map(chars, pending))):     # a handful of articles is cut without loading jieba-rs
        for i, ex in zip(todo, wrap((extractor or in_processes())(pending), len(todo), "extracting")):
            results[i] = ex
            if cache and isinstance(ex, ArticleExtraction):
                cache.put(ex)
    return results  # type: ignore[return-value]


def in_processes(jobs: int = 1) -> Extractor:
    """Extraction on this machine: in this process, or with ``jobs`` > 1 in as many
    processes forked from it."""
    return partial(_run, jobs=jobs)


def _run(articles: list[Article | SourceFile], jobs: int) -> Iterator[ArticleExtraction | ExtractionFailure]:
    if jobs <= 1 or len(articles) < 2:
        yield from map(_extract_one, articles)
        return
    # Each worker loads the pipeline itself, side by side (~2.5 s), not this process before
    # forking them: this process then never holds spaCy, the tagger and jieba, and every
    # writer forked from it after extraction would carry them (+210 MB at 10 MB).
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)
    chunk = max(1, min(16, len(articles) // (jobs * 8)))
    with context.Pool(min(jobs, len(articles))) as pool, collector_paused():   # here, results are only unpickled
        yield from pool.imap(_extract_one, articles, chunksize=chunk)


class Tasks:
    """Independent tasks (``name -> function``) run ``jobs`` at a time, with their results
    and seconds.

    Each task runs in a forked process of its own: children inherit everything the parent
    has built (copy-on-write), so the tasks need no arguments and only their (small)
    results travel back, and what a task allocates goes back to the system when it ends
    instead of piling up in the parent (a writer's peak, not the sum of all of them, is
    what a build adds to its memory).  Tasks start in the order given, so put the longest
    first; an exception in one is raised by :meth:`results`, and leaving the ``with``
    block stops the children still running.  Without ``fork`` (asked for, or on Windows)
    each runs here when it is started.

    The parent can work too: within :meth:`alongside` it takes one of the ``jobs``, and a
    task that does not need that work runs beside it (with ``jobs`` 1, after it).
    Children are forked from this (the main) thread; a ``multiprocessing.Pool`` would fork
    replacements from a helper thread, which native libraries holding locks in other
    threads do not survive.

    >>> with Tasks(jobs=2) as tasks:
    ...     with tasks.alongside("one", lambda: 1):
    ...         two = 2
    ...     tasks.start("two", lambda: two)
    ...     done, seconds = tasks.results()
    >>> done
    {'one': 1, 'two': 2}
    """

    def __init__(self, jobs: int = 1, fork: bool = True):
        self.jobs = max(1, jobs)
        self.fork = fork and "fork" in multiprocessing.get_all_start_methods()
        self.busy = 0                   # 1 within alongside()
        self.order: list[str] = []
        self.pending: list[tuple[str, Callable[[], T]]] = []
        self.running: dict = {}         # the pipe a child answers on -> (name, child)
        self.out: dict[str, tuple[T, float]] = {}

    def __enter__(self) -> Tasks:
        return self

    def __exit__(self, *exc) -> None:
        for _, child in self.running.values():     # left running by an error: not wanted now
            child.terminate()
            child.join()

    def start(self, name: str, task: Callable[[], T]) -> None:
        """Run ``task`` as soon as one of the ``jobs`` is free."""
        self.order.append(name)
        if not self.fork:
            self.out[name] = _timed(task)
            return
        self.pending.append((name, task))
        self._fill()

    @contextmanager
    def alongside(self, name: str, task: Callable[[], T]) -> Iterator[None]:
        """Start ``task`` to run beside this process's own work, the ``with`` block: the
        block takes one of the ``jobs``, so with one the task waits for it."""
        self.busy = 1
        try:
            self.start(name, task)
            yield
        finally:
            self.busy = 0
        self._fill()

    def results(self) -> tuple[dict[str, T], dict[str, float]]:
        """Wait for every task: their results and seconds by name, in the order started."""
        from multiprocessing.connection import wait

        while self.pending or self.running:
            for receive in wait(list(self.running)):
                name, child = self.running.pop(receive)
                try:
                    ok, value = receive.recv()
                except EOFError:
                    ok, value = False, RuntimeError(f"the {name} task died (exit code {child.exitcode})")
                child.join()
                if not ok:
                    raise value         # (the others are stopped on leaving the with block)
                self.out[name] = value
            self._fill()
        return {k: self.out[k][0] for k in self.order}, {k: self.out[k][1] for k in self.order}

    def _fill(self) -> None:
        context = multiprocessing.get_context("fork")
        while self.pending and len(self.running) + self.busy < self.jobs:
            name, task = self.pending.pop(0)
            receive, send = context.Pipe(duplex=False)
            child = context.Process(target=_child, args=(task, send), name=f"pakg-{name}", daemon=True)
            child.start()
            send.close()
            self.running[receive] = (name, child)


def _child(task: Callable[[], T], send) -> None:
    try:
        send.send((True, _timed(task)))
    except BaseException as exc:       # noqa: BLE001  (handed to the parent, which raises it)
        send.send((False, exc))
    finally:
        send.close()


def _timed(task: Callable[[], T]) -> tuple[T, float]:
    start = time.perf_counter()
    result = task()
    return result, time.perf_counter() - start
