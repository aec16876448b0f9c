"""``kg cache``: how much the rebuild caches hold, and pruning what no build reads any more.

    kg cache [--prune DAYS] [--dir FOLDER]

Every edit of an article leaves its old extraction and provenance behind in the cache
(they are keyed by content, so nothing reads them again), and so does every pakg upgrade;
``--prune DAYS`` deletes what no build has used for that many days (``--prune 0``: all).
"""
from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console
from rich.table import Table

EXIT_OK, EXIT_USAGE = 0, 2
DAY = 86_400


def add_parser(sub) -> argparse.ArgumentParser:
    """The ``cache`` subcommand's arguments (called by kg/cli.py)."""
    p = sub.add_parser(
        "cache", help="show the size of the rebuild cache, or prune what builds no longer use",
        description="Show how many extractions and memoised results the cache of kg build holds "
                    "($PAKG_CACHE_DIR/extractions, by default ~/.cache/pakg/extractions) and their size; "
                    "with --prune DAYS, first delete those no build has used for DAYS days.")
    p.add_argument("--prune", type=float, metavar="DAYS", default=None,
                   help="delete entries unused for DAYS days (0 deletes them all; always safe)")
    p.add_argument("--dir", type=Path, default=None, dest="cache_dir", metavar="FOLDER",
                   help="the cache folder (default: $PAKG_CACHE_DIR/extractions)")
    return p


def run(args) -> int:
    from .speed.stored import ExtractionCache

    err, out = Console(stderr=True), Console()
    if args.prune is not None and args.prune < 0:
        err.print(f"[red]error:[/] --prune takes a number of days, 0 or more, not {args.prune:g}")
        return EXIT_USAGE
    cache = ExtractionCache(args.cache_dir)
    stores = cache.stores()
    if args.prune is not None:
        files = size = 0
        for store in stores.values():
            n, b = store.prune(args.prune * DAY)
            files, size = files + n, size + b
        out.print(f"deleted {files:,} entries ({_mb(size)}) unused for {args.prune:g} days")
    table = Table(title=f"kg build's cache: {cache.root}")
    for col in ("store", "entries", "size"):
        table.add_column(col, justify="left" if col == "store" else "right")
    for name, store in stores.items():
        entries = store.entries()
        table.add_row(name, f"{len(entries):,}", _mb(sum(_size(p) for p in entries)))
    out.print(table)
    return EXIT_OK


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _mb(size: int) -> str:
    return f"{size / 1e6:,.1f} MB"
