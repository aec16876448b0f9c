"""Queries run in worker processes, so that one past its time limit can be killed.

pyoxigraph evaluates a query in Rust and offers no way to interrupt it: a thread running
``SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }`` would
burn a core until the server stops. So each query goes to one of a few worker processes,
each holding its own copy of the build (or its own read-only handle on a store made by
``kg load``); when the deadline passes the server kills that worker (SIGKILL: the query
really stops), answers 503 and starts a fresh one.

Workers are started with ``spawn`` (never forked from a threaded server), ignore Ctrl-C
(the server shuts them down) and exit on their own if the server dies.
"""
from __future__ import annotations

import multiprocessing as mp
import os
import queue
import signal
import threading
import time

from .sparql_protocol import Request, Response, error
from .triplestore import Source


class WorkerStartError(Exception):
    """A worker could not load the build or open the store (the message says why)."""


def _worker_main(conn, source: Source, max_rows: int | None) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()
    from .sparql import BuildError
    from .sparql_protocol import answer
    from .triplestore import StoreError

    try:
        build = source.open()
    except (BuildError, StoreError) as e:
        conn.send(("error", f"{source.kind} {e}"))
        return
    conn.send(("ready", len(build)))
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        try:
            response = answer(build, request, max_rows)
        except Exception as e:  # noqa: BLE001 (an engine failure must not take the worker down silently)
            response = error(500, f"The query failed: {type(e).__name__}: {e}")
        conn.send(response)


def _exit_with_parent(ppid: int) -> None:
    """The engine releases the GIL while it evaluates, so this notices an orphaned worker."""
    while True:
        time.sleep(1.0)
        if os.getppid() != ppid:
            os._exit(0)


class _Worker:
    def __init__(self, process, conn):
        self.process, self.conn = process, conn

    @property
    def pid(self) -> int:
        return self.process.pid

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=10)
        self.conn.close()


class WorkerPool:
    """``size`` worker processes answering :class:`Request` objects within a time limit.

    >>> pool = WorkerPool(Source("output"), size=1, max_rows=100)            # doctest: +SKIP
    >>> pool.run(Request("ASK { ?v a pa:Village }"), timeout=5).status     # doctest: +SKIP
    200
    >>> pool.close()                                                       # doctest: +SKIP
    """

    def __init__(self, source: Source, size: int = 2, max_rows: int | None = None, start_timeout: float = 120.0):
        self._args = (source, max_rows)
        self._ctx = mp.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._workers: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        self.size, self.start_timeout = size, start_timeout
        self.triples = 0
        started = [self._spawn() for _ in range(size)]
        try:
            for w in started:
                self.triples = self._wait_ready(w)
                self._idle.put(w)
        except BaseException:
            self.close()
            raise

    def _spawn(self) -> _Worker:
        parent_end, child_end = self._ctx.Pipe()
        process = self._ctx.Process(target=_worker_main, args=(child_end, *self._args),
                                    name="kg-serve-worker", daemon=True)
        process.start()
        child_end.close()
        worker = _Worker(process, parent_end)
        with self._lock:
            self._workers.add(worker)
        return worker

    def _wait_ready(self, w: _Worker) -> int:
        if not w.conn.poll(self.start_timeout):
            self._discard(w)
            raise WorkerStartError(f"a query worker did not open the graph within {self.start_timeout:g} s")
        try:
            status, detail = w.conn.recv()
        except (EOFError, OSError):
            self._discard(w)
            raise WorkerStartError("a query worker exited while opening the graph") from None
        if status != "ready":
            self._discard(w)
            raise WorkerStartError(str(detail))
        return detail

    def _discard(self, w: _Worker) -> None:
        w.kill()
        with self._lock:
            self._workers.discard(w)

    def _replace(self, w: _Worker) -> None:
        """Kill ``w`` now; a new worker joins the idle queue once it has opened the graph."""
        self._discard(w)

        def start():
            if self._closed:
                return
            fresh = self._spawn()
            try:
                self._wait_ready(fresh)
            except WorkerStartError:
                return
            if self._closed:
                self._discard(fresh)
            else:
                self._idle.put(fresh)

        threading.Thread(target=start, name="kg-serve-respawn", daemon=True).start()

    def run(self, request: Request, timeout: float) -> Response:
        """The worker's response, or 503 when no worker is free or the query is still
        running ``timeout`` seconds after the request arrived (its worker is then killed)."""
        deadline = time.monotonic() + timeout
        try:
            w = self._idle.get(timeout=timeout)
        except queue.Empty:
            return error(503, f"All {self.size} query workers are busy; try again later.")
        try:
            w.conn.send(request)
            if w.conn.poll(max(deadline - time.monotonic(), 0)):
                response = w.conn.recv()
                self._idle.put(w)
                return response
        except (EOFError, OSError):
            self._replace(w)
            return error(500, "The query worker died while answering; it has been replaced.")
        self._replace(w)
        return error(503, f"The query ran longer than the time limit ({timeout:g} s) and was stopped. "
                          "Narrow it down (more specific patterns, LIMIT) and try again.")

    def pids(self) -> list[int]:
        with self._lock:
            return sorted(w.pid for w in self._workers)

    def close(self) -> None:
        self._closed = True
        with self._lock:
            workers = list(self._workers)
            self._workers.clear()
        for w in workers:
            w.kill()
