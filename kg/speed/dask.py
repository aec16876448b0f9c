"""A build's extraction on a Dask cluster: ``kg build INPUT --dask SCHEDULER``.

Extraction is a pure function of one file (see :mod:`kg.speed.stored`), so it distributes
without coordination: the build sends the files its cache does not hold, in chunks, to
the cluster's workers, and gets their extractions back in order; the merge and every
output file are then made here, as with ``--jobs``, so the build is byte for byte that
of ``kg build -j 1``.  Needs the ``dask`` extra (``pip install "pakg[dask]"``).

A chunk holds consecutive files of about :data:`CHUNK_CHARS` characters (a few seconds
of a worker's time against the milliseconds a task costs), fewer when the files to
extract are too few to give each worker thread :data:`SPREAD` chunks.  Each worker
process builds the pipeline once (``kg.nlp.build_pipeline`` is cached per process) and
must run the same pakg: every worker's :func:`kg.version.pipeline_version` is checked
before a file is sent, and again by every chunk (a worker may join later).

>>> from dask.distributed import Client                            # doctest: +SKIP
>>> with Client("tcp://10.0.0.1:8786") as client:                  # doctest: +SKIP
...     report = kg.pipeline.build("corpus", "out", extractor=on_dask(client))
"""
from __future__ import annotations

import logging
from collections import deque
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from functools import partial
from itertools import islice

from .parallel import ExtractionFailure, Extractor, SourceFile, _extract_one, chars
from .. import patterns
from ..version import pipeline_version
from ..ingest import source_name
from ..memory import collector_paused
from ..records import Article, ArticleExtraction

#: Characters of articles per task: about 6 s of a worker's time at the tagger's 17,000
#: characters a second, against the few milliseconds a task costs the scheduler.
CHUNK_CHARS = 100_000
#: Chunks per worker thread the files are cut into at least, so that the last ones
#: spread over the workers.
SPREAD = 4
#: Chunks per worker thread sent ahead at most: the results come back in order, and the
#: scheduler holds a few chunks' bytes per thread, not the corpus.
AHEAD = 8


class DaskError(Exception):
    """The cluster cannot extract the build: dask is not installed, the scheduler cannot be
    reached, it has no workers, a worker runs another pakg, or a chunk's worker died."""


@contextmanager
def connect(scheduler: str, workers: int = 1) -> Iterator:
    """A ``dask.distributed.Client`` of the scheduler at ``scheduler`` (``tcp://host:port``),
    or, for ``local``, of a cluster of ``workers`` processes of one thread each on this
    machine, started here and closed on leaving.  How long connecting may take is dask's
    ``distributed.comm.timeouts.connect`` (30 s)."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise DaskError('a Dask cluster needs the dask extra: pip install "pakg[dask]"') from None
    with ExitStack() as stack:
        address = scheduler
        if scheduler == "local":
            # no fixed port (two builds may run at once), and no warnings of its workers' comings and goings
            address = stack.enter_context(LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                                       dashboard_address=":0", scheduler_kwargs={"dashboard": False},
                                                       silence_logs=logging.ERROR))
        try:
            client = stack.enter_context(Client(address, set_as_default=False))
        except (OSError, ValueError) as exc:       # refused, timed out, not an address
            raise DaskError(f"cannot reach the dask scheduler at {scheduler}: {_first_line(exc)}") from None
        yield client


def on_dask(client) -> Extractor:
    """Extraction on the workers of ``client``'s cluster (see :func:`kg.speed.parallel.extract_all`)."""
    return partial(_extract_on, client=client)


def check_workers(client, version: str) -> int:
    """How many threads the workers of ``client``'s cluster have, once each is found to run
    the pakg whose :func:`~kg.version.pipeline_version` is ``version``."""
    try:
        theirs = client.run(_version_with, patterns.installed())
    except Exception as exc:           # noqa: BLE001  (the workers cannot import kg, or its dependencies)
        raise DaskError(f"the dask workers cannot run pakg ({type(exc).__name__}: {_first_line(exc)}): "
                        "install the same pakg on every worker") from None
    if not theirs:
        raise DaskError(f"no dask worker is connected to the scheduler at {client.scheduler.address}")
    other = sorted(worker for worker, v in theirs.items() if v != version)
    if other:
        raise DaskError(_other_pakg(", ".join(other), theirs[other[0]], version))
    return sum(client.nthreads().values())


def _extract_on(items: list[Article | SourceFile], client) -> Iterator[ArticleExtraction | ExtractionFailure]:
    version = pipeline_version()
    threads = check_workers(client, version)
    chunks = iter(_chunks(items, threads))
    sent: deque = deque()          # (chunk, its future), in order

    def send() -> None:
        for chunk in islice(chunks, AHEAD * threads - len(sent)):
            sent.append((chunk, client.submit(_extract_chunk, chunk, version, patterns.installed(), pure=False)))

    try:
        with collector_paused():        # here, results are only unpickled
            send()
            while sent:
                chunk, future = sent.popleft()
                results = _results(chunk, future)
                send()
                yield from results
    finally:                            # stopped early (an error, Ctrl-C): the rest are not wanted
        client.cancel([future for _, future in sent])


def _chunks(items: list[Article | SourceFile], threads: int) -> list[list[Article | SourceFile]]:
    """``items`` cut into runs of about :data:`CHUNK_CHARS` characters, or fewer, to make
    :data:`SPREAD` runs per thread.

    >>> [len(c) for c in _chunks([Article("a", "", "字" * 600, None)] * 10, threads=1)]
    [3, 3, 3, 1]
    """
    size = min(CHUNK_CHARS, sum(map(chars, items)) // (threads * SPREAD))
    out, run, held = [], [], 0
    for item in items:
        run.append(item)
        held += chars(item)
        if held >= size:
            out.append(run)
            run, held = [], 0
    return out + [run] if run else out


def _version_with(user_patterns: tuple[tuple[str, str], ...]) -> str:
    """On a worker: its pipeline's version once it has the build's patterns (``--patterns``)."""
    if patterns.installed() != user_patterns:
        patterns.install(user_patterns)
    return pipeline_version()


def _extract_chunk(items: list[Article | SourceFile], version: str,
                   user_patterns: tuple[tuple[str, str], ...] = ()) -> list[ArticleExtraction | ExtractionFailure]:
    """On a worker: the extractions of ``items``, if this worker runs the build's pipeline
    (``version``, with the build's patterns); one that joined after the build checked the
    cluster may not."""
    here = _version_with(user_patterns)
    if here != version:
        from dask.distributed import get_worker

        raise DaskError(_other_pakg(get_worker().address, here, version))
    return [_extract_one(item) for item in items]


def _results(chunk: list[Article | SourceFile], future) -> list[ArticleExtraction | ExtractionFailure]:
    """The chunk's extractions.  An article that fails is an :class:`ExtractionFailure`,
    reported like a local one; a chunk that fails (its workers died) fails the build."""
    try:
        return future.result()
    except DaskError:
        raise
    except Exception as exc:           # noqa: BLE001  (whatever a task raises, the chunk is lost)
        first, last = (i.source_file if isinstance(i, Article) else source_name(i.path, i.root)
                       for i in (chunk[0], chunk[-1]))
        files = first if len(chunk) == 1 else f"{len(chunk)} files, {first} to {last}"
        raise DaskError(f"the dask cluster failed to extract {files} ({type(exc).__name__}: "
                        f"{_first_line(exc)})") from None


def _other_pakg(workers: str, theirs: str, version: str) -> str:
    return (f"dask worker {workers} runs another pakg (pipeline version {theirs}, this one {version}): "
            "install the same pakg, with the same dependencies, on every worker")


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
