"""A build loaded once into a pyoxigraph store on disk, which ``kg query`` and ``kg serve`` open at once.

``kg query --build`` and ``kg serve --build`` parse the build into memory at every start
(about 4 s a million triples, and as much memory again in each of the server's workers).
``kg load`` parses it once, into RocksDB files that any number of processes then open
read-only in a few milliseconds:

    kg load output --store store
    kg query --store store -f queries/first-secretaries.rq
    kg serve --store store

What the store holds is laid out as ``kg.trig`` lays it out: the graph (and the ontology,
as ``kg query`` loads it) in the default graph, and each article's provenance in a named
graph of its own, ``<article>#context``. A query reads the default graph, as ``kg query``
reads ``kg.ttl`` and ``ontology.ttl``; with ``--provenance`` it reads the union of every
graph (oxigraph's default graph as union), as ``kg query --provenance`` reads
``provenance.ttl`` too. The answers are the same (no triple of a build is in two of its
graphs, so none is counted twice); ``GRAPH ?g { … }`` finds an article's graph either way.

The store's folder holds RocksDB's files and ``pakg-store.json``, which marks the folder as
a pakg store and records the build it was loaded from (its folder, and the size and SHA-256
of each file read) and how many triples it holds. A load is written into a staging folder
beside the store and takes the store's place in one step (two folders exchanged by
``renameat2``): a running ``kg serve`` keeps reading the store it opened, a load that fails
or is killed leaves no half store behind, and a folder that is not a pakg store is never
replaced.

>>> import tempfile; d = Path(tempfile.mkdtemp())
>>> is_store(d / "store"), is_store(d)
(False, False)
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from . import __version__

EXIT_OK, EXIT_USAGE = 0, 2
MARKER = "pakg-store.json"
KIND = "pakg-store"
#: what a load reads of a build: the graph and the articles' provenance graphs, then the ontology
TRIG, ONTOLOGY = "kg.trig", "ontology.ttl"


class StoreError(Exception):
    """The store's folder is not a pakg store, cannot be opened, or cannot take a load."""


def is_store(folder: Path) -> bool:
    """Whether ``folder`` holds a store made by :func:`load` (its ``pakg-store.json``)."""
    try:
        return json.loads((Path(folder) / MARKER).read_text(encoding="utf-8")).get("kind") == KIND
    except (OSError, ValueError, AttributeError):
        return False


# --- loading


@dataclass(frozen=True)
class LoadReport:
    store: Path
    triples: int          # in all graphs
    graphs: int           # named graphs: one per article
    seconds: float


def load(build_dir: Path, store_dir: Path) -> LoadReport:
    """Load ``build_dir`` into a new store that takes the place of ``store_dir``.

    Raises :class:`kg.sparql.BuildError` naming the file when the build lacks one or a
    file does not parse, and :class:`StoreError` when ``store_dir`` is something else than
    a store, an empty folder or nothing.
    """
    from .sparql import BuildError

    start = time.perf_counter()
    build_dir, store_dir = Path(build_dir), Path(store_dir)
    files = [build_dir / TRIG, build_dir / ONTOLOGY]
    if not build_dir.is_dir():
        raise BuildError(f"{build_dir} does not exist or is not a folder")
    for path in files:
        if not path.is_file():
            hint = (" (kg load reads the graph and each article's provenance graph from kg.trig: build with "
                    "--format all or --format trig)") if path.name == TRIG else " (not a complete build folder)"
            raise BuildError(f"{path} does not exist{hint}")
    _check_target(store_dir)
    with _loading(store_dir) as stage:
        store = ox.Store(str(stage))
        for path, fmt, graph in zip(files, (ox.RdfFormat.TRIG, ox.RdfFormat.TURTLE), (None, ox.DefaultGraph())):
            try:
                store.bulk_load(path=str(path), format=fmt, to_graph=graph)
            except (SyntaxError, ValueError) as err:
                raise BuildError(f"{path}: {err}") from None
        store.flush()
        default = int(next(iter(store.query("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")))["n"].value)
        triples, graphs = len(store), sum(1 for _ in store.named_graphs())
        del store                                         # closes the files before the folder moves
        marker = {"kind": KIND, "pakg": __version__, "build": str(build_dir.resolve()),
                  "files": {p.name: {"bytes": p.stat().st_size, "sha256": _sha256(p)} for p in files},
                  "triples": triples, "default_graph_triples": default, "named_graphs": graphs}
        (stage / MARKER).write_text(json.dumps(marker, indent=1) + "\n", encoding="utf-8")
    return LoadReport(store_dir, triples, graphs, time.perf_counter() - start)


def _check_target(store_dir: Path) -> None:
    if store_dir.is_symlink() or (store_dir.exists() and not store_dir.is_dir()):
        raise StoreError(f"{store_dir} is not a folder: choose another --store")
    if store_dir.is_dir() and not is_store(store_dir) and any(store_dir.iterdir()):
        raise StoreError(f"{store_dir} holds other files and no pakg store ({MARKER}); a load replaces its "
                         "folder whole: choose a new or empty folder")


@contextmanager
def _loading(store_dir: Path):
    """A staging folder beside ``store_dir`` to load into; put in ``store_dir``'s place
    when the block ends, removed if it raises.

    A lock file (``.NAME.lock``) keeps two loads from writing the same store at once, and
    staging folders of loads that died (none can be alive while the lock is held) are
    removed first.
    """
    import fcntl

    from .files import umask

    store_dir.parent.mkdir(parents=True, exist_ok=True)
    with open(store_dir.parent / f".{store_dir.name}.lock", "a+") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StoreError(f"another kg load is writing {store_dir}; run this one when it is done") from None
        for left in store_dir.parent.glob(f".{store_dir.name}.loading-*"):
            shutil.rmtree(left, ignore_errors=True)
        stage = Path(tempfile.mkdtemp(prefix=f".{store_dir.name}.loading-", dir=store_dir.parent))
        stage.chmod(0o777 & ~umask())                     # mkdtemp makes it the owner's only
        try:
            yield stage
            _publish(stage, store_dir)
        finally:
            shutil.rmtree(stage, ignore_errors=True)       # the half store, or the replaced one
            fcntl.flock(lock, fcntl.LOCK_UN)


def _publish(stage: Path, store_dir: Path) -> None:
    """Put ``stage`` at ``store_dir`` in one step; the replaced store is left at ``stage``."""
    from .files import exchange

    if not store_dir.exists():
        os.rename(stage, store_dir)
    elif not exchange(stage, store_dir):        # where folders cannot be exchanged: a moment without
        old = stage.with_name(stage.name + "-old")      # a store, never one half made
        os.rename(store_dir, old)
        os.rename(stage, store_dir)
        os.rename(old, stage)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


# --- opening


class StoredGraph:
    """A store opened read-only, answering queries as a loaded build does.

    :func:`kg.sparql.run_query` takes it where it takes a store: it has ``query`` (which
    reads the default graph, or the union of every graph with ``provenance``) and
    ``store``, the pyoxigraph store itself. ``len`` is the number of triples a query
    reads, from the store's record (counting RocksDB's keys would read them all).
    """

    def __init__(self, folder: Path, provenance: bool = False):
        self.folder, self.provenance = Path(folder), provenance
        try:
            self.marker = json.loads((self.folder / MARKER).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.marker = None
        if not self.folder.is_dir() or not isinstance(self.marker, dict) or self.marker.get("kind") != KIND:
            raise StoreError(f"{self.folder} is not a pakg store (no {MARKER}): make one with "
                             f"kg load BUILD --store {self.folder}")
        try:
            self.store = ox.Store.read_only(str(self.folder))
        except OSError as err:
            raise StoreError(f"{self.folder} cannot be opened: {err}") from None

    def query(self, text: str, prefixes: dict[str, str] | None = None):
        return self.store.query(text, prefixes=prefixes, use_default_graph_as_union=self.provenance)

    def __len__(self) -> int:
        return self.marker["triples" if self.provenance else "default_graph_triples"]


@dataclass(frozen=True)
class Source:
    """What ``kg query`` and ``kg serve`` read: a build folder, loaded into memory, or a
    store made by ``kg load``, opened. Small and picklable, so that each of the server's
    workers opens its own."""
    path: Path
    stored: bool = False
    provenance: bool = False

    @property
    def kind(self) -> str:
        return "store" if self.stored else "build folder"

    def open(self):
        """A :class:`StoredGraph` or a :class:`kg.sparql.LoadedBuild`; raises
        :class:`StoreError` or :class:`kg.sparql.BuildError` saying what is wrong."""
        from .sparql import load_build

        return StoredGraph(self.path, self.provenance) if self.stored else load_build(self.path, self.provenance)


def add_source_arguments(parser: argparse.ArgumentParser, verb: str) -> None:
    """``--build DIR`` or ``--store DIR`` (not both), and ``--provenance``, for ``kg query`` and ``kg serve``."""
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--build", "-b", type=Path, default=Path("output"), dest="build_dir",
                       help=f"build folder to {verb}, loaded into memory (default: output)")
    where.add_argument("--store", "-s", type=Path, default=None, dest="store_dir",
                       help=f"a store made by kg load to {verb} (opened at once, however large)")
    parser.add_argument("--provenance", action="store_true",
                        help="also read provenance.ttl (with --store: every article's provenance graph)")


def source_of(args) -> Source:
    if args.store_dir is not None:
        return Source(args.store_dir, stored=True, provenance=args.provenance)
    return Source(args.build_dir, provenance=args.provenance)


# --- kg load


def add_parser(sub) -> argparse.ArgumentParser:
    """The ``load`` subcommand's arguments (called by kg/cli.py)."""
    p = sub.add_parser(
        "load", help="load a build into a store on disk, for kg query --store and kg serve --store",
        description="Load BUILD (kg.trig: the graph and each article's provenance graph; ontology.ttl) into "
                    "a pyoxigraph store on disk at --store DIR, which kg query and kg serve then open at once "
                    "instead of loading the build at every start. The new store replaces DIR in one step "
                    "(an earlier store, or an empty folder; a folder of other files is refused).",
        epilog="Example: kg load output --store store && kg serve --store store")
    p.add_argument("build_dir", nargs="?", default=Path("output"), type=Path, metavar="BUILD",
                   help="build folder (default: output)")
    p.add_argument("--store", "-s", type=Path, required=True, dest="store_dir", metavar="DIR",
                   help="the store's folder (made, or replaced if it holds a store)")
    return p


def run(args) -> int:
    from rich.console import Console
    from rich.markup import escape

    from .sparql import BuildError

    err = Console(stderr=True, highlight=False)
    try:
        report = load(args.build_dir, args.store_dir)
    except (BuildError, StoreError) as e:
        what = "" if isinstance(e, StoreError) else "build folder "
        err.print(f"[red]error:[/] {what}{escape(str(e))}", soft_wrap=True)
        return EXIT_USAGE
    except OSError as e:                  # a full disk, a folder that cannot be written …
        where = f" ({e.filename})" if e.filename else ""
        err.print(f"[red]error:[/] cannot load into {escape(str(args.store_dir))}: "
                  f"{escape(e.strerror or str(e))}{escape(where)}; the last store is left as it was", soft_wrap=True)
        return EXIT_USAGE
    print(f"loaded {args.build_dir} into {report.store}: {report.triples:,} triples "
          f"({report.graphs:,} provenance graphs) in {report.seconds:.1f} s")
    return EXIT_OK
