"""What is kept on disk between builds, so that a rebuild redoes only what changed.

Two stores, both keyed by digests of their inputs and of the code, so a stale entry is
never read and deleting them is always safe (``kg cache`` reports and prunes them):

* :class:`ExtractionCache`: each article's extraction, keyed by the file's name and bytes
  and by the pipeline's version (:func:`kg.version.pipeline_version`). Extraction is by
  far the costliest stage, and a pure function of the file and of the pipeline.
* :class:`Memo`: the output stages' results by their inputs -- each article's provenance,
  each part's SHACL check -- which :func:`kg.remember.stored` asks for when the pipeline
  installs this store around the writers.

Both live under ``$PAKG_CACHE_DIR`` (default ``~/.cache/pakg``) in ``extractions/``.

>>> import tempfile
>>> memo = Memo(Path(tempfile.mkdtemp()))
>>> key = memo.key("article.txt", "<http://x/a>")
>>> memo.get(key) is None
True
>>> memo.put(key, b"turtle")
>>> memo.get(key)
b'turtle'
"""
from __future__ import annotations

import hashlib
import os
import pickle
import time
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from ..cache import cache_dir
from ..files import write_atomic
from ..records import ArticleExtraction
from ..version import pipeline_version
from .incremental import Kept, Resident

PACKAGE = Path(__file__).resolve().parents[1]


@lru_cache(maxsize=1)
def code_version() -> str:
    """A digest of every module, word list and ontology file of the package and of the
    libraries that write or check RDF: any change to them makes every memo stale."""
    from importlib.metadata import version

    from ..ontology import ONTOLOGY_DIR

    h = hashlib.sha256()
    for p in sorted([*PACKAGE.rglob("*.py"), *PACKAGE.rglob("*.txt"), *ONTOLOGY_DIR.glob("*")]):
        if p.is_file():
            h.update(p.name.encode() + b"\0" + p.read_bytes() + b"\0")
    for dist in ("pyoxigraph", "pyrudof", "jieba", "spacy", "jionlp", "opencc", "cn2an"):
        h.update(f"{dist}={version(dist)}\0".encode())
    return h.hexdigest()[:16]


class Memo:
    """Results stored as files named by the digest of their inputs.

    With ``keep``, the results are also kept in memory, for a process that builds again
    and again (``kg build --watch``): reading a corpus's stored extractions back costs about a
    second per 10 MB, which is most of what a rebuild after one edit would spend.  What a
    build neither reads nor writes is let go at :meth:`sweep`, so memory holds one build's
    results, not every version of every edited article.

    >>> import tempfile
    >>> memo = Memo(Path(tempfile.mkdtemp()), keep=True)
    >>> memo.put("k", [1]); memo.sweep(); memo.get("k") is memo.get("k")
    True
    """

    def __init__(self, root: Path, keep: bool = False):
        self.root = Path(root)
        self.kept = Kept() if keep else None

    def key(self, *inputs: str | bytes) -> str:
        """The digest of ``inputs`` (in order) and of :func:`code_version`."""
        h = hashlib.sha256(code_version().encode())
        for part in inputs:
            data = part.encode("utf-8") if isinstance(part, str) else part
            h.update(len(data).to_bytes(8, "little") + data)
        return h.hexdigest()

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / key

    def get(self, key: str):
        """The result stored under ``key`` (None if there is none), marked as used now, so
        that :meth:`prune` keeps what builds still read."""
        if self.kept is not None and (value := self.kept.get(key)) is not None:
            return value
        path = self._path(key)
        try:
            value = pickle.loads(path.read_bytes())
            os.utime(path)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
            return None
        if self.kept is not None:
            self.kept.put(key, value)
        return value

    def put(self, key: str, value) -> None:
        if self.kept is not None:
            self.kept.put(key, value)
        try:
            write_atomic(self._path(key), pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        except OSError:                   # a full or read-only disk: work without the memo
            pass

    def sweep(self) -> None:
        """Let go of the kept results that no build read or wrote since the last sweep."""
        if self.kept is not None:
            self.kept.sweep()

    def entries(self) -> list[Path]:
        """The stored results (``root/xx/<key>``; folders of other names are not this store's)."""
        return sorted(p for d in self.root.glob("??") if d.is_dir() for p in d.iterdir() if p.is_file())

    def prune(self, older_than: float, now: float | None = None) -> tuple[int, int]:
        """Delete the results no build has read or written for ``older_than`` seconds:
        every edit leaves the results of the old text behind, which nothing reads again.
        Returns how many files and bytes were deleted.

        >>> import tempfile
        >>> memo = Memo(Path(tempfile.mkdtemp()))
        >>> memo.put(memo.key("a"), 1)
        >>> memo.prune(older_than=3600)
        (0, 0)
        >>> memo.prune(older_than=3600, now=time.time() + 7200)[0]
        1
        """
        now = time.time() if now is None else now
        files = size = 0
        for path in self.entries():
            try:
                stat = path.stat()
                if now - stat.st_mtime > older_than:
                    path.unlink()
                    files, size = files + 1, size + stat.st_size
            except OSError:                # gone already (another build pruning)
                continue
        return files, size


def _key(source_file: str, digest: str) -> str:
    return hashlib.sha256(f"{pipeline_version()}\0{source_file}\0{digest}".encode()).hexdigest()


class ExtractionCache:
    """Pickled :class:`ArticleExtraction` per file, keyed by the file's name and bytes and
    by the pipeline.  Keyed by bytes, not by decoded text, so that a rebuild finds an
    unchanged file's extraction -- and its decoded, normalised article -- without decoding
    it again.

    ``keep`` also keeps them, and the reduce stage's pieces, in memory, for a process that
    builds again and again (see :class:`kg.speed.stored.Memo`); :meth:`sweep` after each build.
    """

    def __init__(self, root: Path | None = None, keep: bool = False):
        self.root = Path(root) if root else cache_dir() / "extractions"
        self.store = Memo(self.root, keep=keep)
        self._memo = Memo(self.root / "memo", keep=keep)
        self.resident = Resident() if keep else None      # the stages' own state (kg.speed.incremental)
        self.seen: dict[str, tuple[tuple, str]] = {}       # file -> (its stat, its key), see unchanged()

    def get(self, source_file: str, data: bytes, stat: os.stat_result | None = None) -> ArticleExtraction | None:
        """The extraction of the file ``source_file`` holding ``data``, if one is stored.
        ``stat``, the file's before it was read, lets :meth:`unchanged` find it next time."""
        from ..ingest import file_digest

        key = _key(source_file, file_digest(data))
        ex = self.store.get(key)
        if not (isinstance(ex, ArticleExtraction) and ex.article.source_file == source_file):
            return None
        # a file changed within the last second could change again within the same tick of
        # the file system's clock, leaving its times as they were: it is read again next time
        if stat is not None and self.resident and max(stat.st_mtime_ns, stat.st_ctime_ns) < time.time_ns() - 10**9:
            self.seen[source_file] = (_signature(stat), key)
        return ex

    def unchanged(self, path: Path, source_file: str) -> ArticleExtraction | None:
        """For a process that builds again (``kg build --watch``): the extraction of a file
        that has not changed since :meth:`get` found it -- the same inode, size and times
        (any write sets the change time) -- without reading it.  Reading and hashing a
        10 MB corpus's files took 0.05 s of a rebuild after one edit, as make and git
        take a file's times for its content."""
        seen = self.seen.get(source_file)
        if seen is None:
            return None
        try:
            if _signature(os.stat(path)) != seen[0]:
                return None
        except OSError:
            return None
        ex = self.store.get(seen[1])
        return ex if isinstance(ex, ArticleExtraction) else None

    def memo(self) -> Memo:
        """Where the reduce stage keeps its per-article and per-part results (:mod:`kg.speed.stored`)."""
        return self._memo

    def put(self, ex: ArticleExtraction) -> None:
        if ex.article.duplicates:           # which other files repeat it is no part of it
            ex = replace(ex, article=replace(ex.article, duplicates=()))
        self.store.put(_key(ex.article.source_file, ex.article.digest), ex)

    def stores(self) -> dict[str, Memo]:
        """The extractions and the reduce stage's memo, by name (``kg cache`` reports and prunes them)."""
        return {"extractions": self.store, "memo": self.memo()}

    def sweep(self) -> None:
        """Let go of what the last build did not use (with ``keep``)."""
        for store in self.stores().values():
            store.sweep()
        if self.resident:
            self.resident.sweep()


def _signature(st: os.stat_result) -> tuple:
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns
