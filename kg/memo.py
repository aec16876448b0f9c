"""Pieces of the reduce stage kept on disk between builds, so a rebuild redoes only what changed.

Extraction is cached per article (:mod:`kg.batch`); after it, the costliest pieces of a
rebuild are each article's provenance and the SHACL check of each part of the graph.
Both are pure functions of small inputs that one changed article leaves untouched almost
everywhere: an article's provenance depends on its extraction and on what its mentions
resolved to, a part's check on that part's triples.  A :class:`Memo` stores such a
piece's result under a digest of its inputs and of the code that made it, so a stale
result is never read and a rebuild after one edit recomputes a handful of pieces.

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
from functools import lru_cache
from pathlib import Path

from .files import write_atomic

PACKAGE = Path(__file__).resolve().parent


@lru_cache(maxsize=1)
def code_version() -> str:
    """A digest of every module, word list and ontology file of the package and of the
    libraries that write or check RDF: any change to them makes every memo stale."""
    from importlib.metadata import version

    from .ontology import ONTOLOGY_DIR

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


class Kept:
    """Results held in memory from one build to the next: those of this build, and those
    of the build before until :meth:`sweep` (so what the next build does not ask for is
    let go).

    >>> kept = Kept()
    >>> kept.put("k", 1); kept.sweep(); kept.get("k")
    1
    >>> kept.sweep(); kept.sweep(); kept.get("k") is None
    True
    """

    def __init__(self):
        self.items: dict = {}
        self.used: set[int] = set()     # the ids of the values this build got or put

    def get(self, key):
        """The result under ``key``, or None."""
        value = self.items.get(key)
        if value is not None:
            self.used.add(id(value))    # not the key: a run of lines as a key takes long to hash
        return value

    def put(self, key, value) -> None:
        self.items[key] = value
        self.used.add(id(value))

    def sweep(self) -> None:
        # (an id is that of a value still held, or of one put over, whose id another may
        # have taken since: that value is kept one build longer)
        for key in [k for k, v in self.items.items() if id(v) not in self.used]:
            del self.items[key]
        self.used = set()
