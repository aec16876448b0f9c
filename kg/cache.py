"""The per-machine cache folder: tables pakg derives once and loads fast afterwards.

``$PAKG_CACHE_DIR`` or ``~/.cache/pakg``.  Every cached file's name carries what
invalidates it (a version or a digest of its sources), so a stale file is never read.
"""
from __future__ import annotations

import marshal
import os
from pathlib import Path
from typing import Callable


def cache_dir() -> Path:
    return Path(os.environ.get("PAKG_CACHE_DIR") or Path.home() / ".cache" / "pakg")


def marshalled(name: str, build: Callable[[], object]):
    """``build()``'s result, kept as ``cache_dir()/name`` in marshal format."""
    from .files import write_atomic

    path = cache_dir() / name
    try:
        return marshal.loads(path.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        value = build()
        try:
            write_atomic(path, marshal.dumps(value))
        except OSError:                    # a read-only home: work without the cache
            pass
        return value
