"""Memory housekeeping the build does itself.

glibc keeps the pages a process frees for its own reuse, so a build that lets go of a
large structure (jieba's dictionary, rudof's graph of one part) keeps its resident size
unless it asks; every writer forked afterwards would then carry those pages too.  And
Python's cyclic garbage collector scans every container object it tracks, again and
again as they pile up, while a build reads its extractions back.
"""
from __future__ import annotations

import ctypes
import gc
from collections.abc import Iterator
from contextlib import contextmanager


def trim_heap() -> None:
    """Return the free pages of the heap to the system (glibc's ``malloc_trim``); elsewhere,
    nothing to do."""
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):      # not glibc
        pass


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection in this block: for work that makes millions of
    containers and no cycles (reading the gazetteer or pickled records back, resolution),
    so the collections it would set off rescan the growing heap and find nothing.  At
    100 MB they took a third of reading the 15,000 cached extractions.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
