"""Stage 6: write the build folder, every file whole or not at all.

Each file is written to a temporary name in the same folder and renamed into place, so
an interrupted build leaves the previous output intact rather than half a ``kg.ttl``.
"""
from __future__ import annotations

import ctypes
import os
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from .ontology import ONTOLOGY_FILE


def write_atomic(path: Path, data: str | bytes | Iterable[bytes]) -> None:
    """Write ``data`` (or its chunks, so that a large file is never whole in memory) to
    ``path`` through a temporary file renamed at the end: readers see the old file or the
    new one, never half of one."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            if isinstance(data, (str, bytes)):
                fh.write(data.encode("utf-8") if isinstance(data, str) else data)
            else:
                fh.writelines(data)
        os.chmod(tmp, 0o666 & ~_umask())          # mkstemp makes 0600; outputs are for sharing
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def swap_in(new: Path, target: Path) -> None:
    """Put the file ``new`` at ``target`` at once, as :func:`os.replace` does; the old
    ``target``, if any, is left at ``new`` (for the caller to delete).

    Why not :func:`os.replace`: ext4 (``auto_da_alloc``) starts writing a file's data out
    when it is renamed over another file, which cost a ``kg build --watch`` rebuild
    0.2-0.3 s for 240 MB of output.  Linux's ``renameat2(RENAME_EXCHANGE)`` swaps the two
    names in one step -- a reader finds the old file or the new one, never none -- and asks
    for no such write.  Elsewhere, or with no file at ``target``, it is a plain replace.

    >>> import tempfile; d = Path(tempfile.mkdtemp())
    >>> _ = (d / "new").write_text("2"), (d / "out").write_text("1")
    >>> swap_in(d / "new", d / "out")
    >>> (d / "out").read_text()
    '2'
    """
    if (_renameat2 is not None and not os.path.isdir(target)       # a folder is no file to replace
            and _renameat2(-100, os.fsencode(new), -100, os.fsencode(target), 2) == 0):
        return          # -100: AT_FDCWD; 2: RENAME_EXCHANGE
    os.replace(new, target)     # no target yet, a file system that cannot exchange, not Linux


def exchange(a: Path, b: Path) -> bool:
    """Swap two paths (folders too) in one step with ``renameat2(RENAME_EXCHANGE)``;
    False where the system cannot (then nothing has moved).

    >>> import tempfile; d = Path(tempfile.mkdtemp())
    >>> (d / "a").mkdir(); (d / "b").mkdir(); _ = (d / "a" / "x").write_text("a")
    >>> exchange(d / "a", d / "b") in (True, False)
    True
    """
    return _renameat2 is not None and _renameat2(-100, os.fsencode(a), -100, os.fsencode(b), 2) == 0


def _libc_renameat2():
    if not sys.platform.startswith("linux"):
        return None
    try:
        fn = ctypes.CDLL(None, use_errno=True).renameat2       # glibc 2.28 and later
    except (OSError, AttributeError):
        return None
    fn.argtypes = (ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint)
    return fn


_renameat2 = _libc_renameat2()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def copy_ontology(out_dir: Path) -> Path:
    target = Path(out_dir) / "ontology.ttl"
    write_atomic(target, ONTOLOGY_FILE.read_bytes())
    return target


def write_formats(out_dir: Path, lines: list[str], formats, pieces=None, extractions=()) -> list[Path]:
    """Write each export format asked for but Turtle and TriG (written with the provenance,
    see :mod:`kg.pipeline`) from the graph's sorted N-Triples ``lines``; returns the paths
    written.  ``pieces`` (a :class:`kg.pieces.Pieces`) reuses the last build's pieces;
    ``extractions`` give the graph files' edges their evidence
    (:func:`kg.property_graph.edge_evidence`)."""
    from functools import cache

    from . import formats as f
    from .property_graph import edge_evidence, project

    # for GraphML, GEXF and Neo4j: made once
    graph = cache(lambda: project(lines, pieces, edge_evidence(extractions, pieces)))
    writers = {"nt": ("kg.nt", lambda: f.ntriples(lines, pieces=pieces)),
               "jsonld": ("kg.jsonld", lambda: f.jsonld(lines, pieces)),
               "graphml": ("kg.graphml", lambda: f.graphml(graph(), pieces)),
               "gexf": ("kg.gexf", lambda: f.gexf(graph(), pieces))}
    written = []
    for fmt in formats:
        if fmt in writers:
            name, make = writers[fmt]
            write_atomic(Path(out_dir) / name, make())
            written.append(Path(out_dir) / name)
        if fmt == "jsonld":
            write_atomic(Path(out_dir) / "context.jsonld", f.context())
            written.append(Path(out_dir) / "context.jsonld")
        if fmt == "neo4j":
            files = f.neo4j(graph(), pieces)
            folder = Path(out_dir) / "neo4j"
            for name, data in sorted(files.items()):
                write_atomic(folder / name, data)
            written.append(folder)
    return written
