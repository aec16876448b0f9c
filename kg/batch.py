"""Extraction over many articles: cached by content, and spread over processes.

Extraction is a pure function of an article's file (its name and bytes) and of the
pipeline (code, word lists, ontology, gazetteer), and it is by far the costliest stage.
So its results are kept on disk, keyed by both, and a rebuild after adding or editing
one article extracts only that article.  Articles are independent until resolution, so
``jobs > 1`` extracts them in worker processes; the result is the same list, in the
same order, as with one process.

The cache lives under ``$PAKG_CACHE_DIR`` (default ``~/.cache/pakg``) in
``extractions/``; deleting it is always safe.
"""
from __future__ import annotations

import hashlib
import multiprocessing
import pickle
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from pathlib import Path

from .cache import cache_dir
from .export import write_atomic
from .records import Article, ArticleExtraction

PACKAGE = Path(__file__).resolve().parent


#: What extraction reads besides the article, relative to the package: a change to any of
#: these invalidates cached extractions (a change to resolution, RDF or the HTML does not).
#: tests/test_batch.py checks that extraction imports nothing else from the package.
EXTRACTION_SOURCES = ("extract.py", "figures.py", "nlp.py", "ingest.py", "decode.py", "html_text.py", "lexicon.py",
                      "gazetteer.py",
                      "ontology.py", "records.py", "simplify.py", "namespaces.py", "cache.py", "export.py",
                      "__init__.py", "components/*.py", "data/*.txt")


@lru_cache(maxsize=1)
def pipeline_version() -> str:
    """A digest of everything extraction depends on besides the article: the modules and
    word lists of :data:`EXTRACTION_SOURCES`, the ontology (its program-kind lexicon) and
    the versions of jieba, spaCy, jionlp (the gazetteer), OpenCC and cn2an."""
    from importlib.metadata import version

    from .ontology import ONTOLOGY_FILE

    h = hashlib.sha256()
    files = sorted({p for pattern in EXTRACTION_SOURCES for p in PACKAGE.glob(pattern) if p.is_file()})
    for p in [*files, ONTOLOGY_FILE]:
        h.update(p.name.encode() + b"\0" + p.read_bytes() + b"\0")
    for dist in ("jieba", "spacy", "jionlp", "opencc", "cn2an"):
        h.update(f"{dist}={version(dist)}\0".encode())
    return h.hexdigest()[:16]


def _key(article: Article) -> str:
    h = hashlib.sha256(f"{pipeline_version()}\0{article.source_file}\0".encode() + article.raw.encode("utf-8"))
    return h.hexdigest()


class ExtractionCache:
    """Pickled :class:`ArticleExtraction` per article, keyed by content and pipeline."""

    def __init__(self, root: Path | None = None):
        self.root = Path(root) if root else cache_dir() / "extractions"
        self.hits = 0                 # articles whose extraction was reused

    def _path(self, article: Article) -> Path:
        key = _key(article)
        return self.root / key[:2] / f"{key}.pickle"

    def get(self, article: Article) -> ArticleExtraction | None:
        try:
            ex = pickle.loads(self._path(article).read_bytes())
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return None
        return ex if isinstance(ex, ArticleExtraction) and ex.article == article else None

    def put(self, ex: ArticleExtraction) -> None:
        try:
            write_atomic(self._path(ex.article), pickle.dumps(ex, protocol=pickle.HIGHEST_PROTOCOL))
        except OSError:
            pass                      # a read-only or full cache folder only costs speed


def _extract_one(article: Article) -> ArticleExtraction:
    from .extract import extract
    from .nlp import build_pipeline
    return extract(article, build_pipeline())


def extract_all(articles: list[Article], jobs: int = 1, cache: ExtractionCache | None = None,
                progress: Callable[[Iterable, int, str], Iterable] | None = None) -> list[ArticleExtraction]:
    """The extraction of every article, in the order given.

    Cached results are used as they are; the rest are extracted (in ``jobs`` processes)
    and stored.  ``progress(iterable, total, description)`` wraps the loop.
    """
    wrap = progress or (lambda it, total, desc: it)
    results: list[ArticleExtraction | None] = [cache.get(a) if cache else None for a in articles]
    if cache:
        cache.hits += sum(r is not None for r in results)
    todo = [i for i, r in enumerate(results) if r is None]
    for i, ex in zip(todo, wrap(_run([articles[i] for i in todo], jobs), len(todo), "extracting")):
        results[i] = ex
        if cache:
            cache.put(ex)
    return results  # type: ignore[return-value]


def _run(articles: list[Article], jobs: int) -> Iterator[ArticleExtraction]:
    if jobs <= 1 or len(articles) < 2:
        yield from map(_extract_one, articles)
        return
    from .nlp import build_pipeline
    build_pipeline()              # loaded once here; forked workers share it copy-on-write
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)
    chunk = max(1, min(16, len(articles) // (jobs * 8)))
    with context.Pool(min(jobs, len(articles))) as pool:
        yield from pool.imap(_extract_one, articles, chunksize=chunk)
