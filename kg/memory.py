"""Handing freed memory back to the system.

glibc keeps the pages a process frees for its own reuse, so a build that lets go of a
large structure (jieba's dictionary, rudof's graph of one part) keeps its resident size
unless it asks; every writer forked afterwards would then carry those pages too.
"""
from __future__ import annotations

import ctypes


def trim_heap() -> None:
    """Return the free pages of the heap to the system (glibc's ``malloc_trim``); elsewhere,
    nothing to do."""
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):      # not glibc
        pass
