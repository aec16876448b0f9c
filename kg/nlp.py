"""Stage 2: the spaCy pipeline.

A ``blank("zh")`` pipeline whose tokenizer is jieba, taught the gazetteer's county
and township names (a jieba user dictionary is not saved with a spaCy pipeline, so it is
loaded here, where the pipeline is built), followed by our components in order:
subject → places → people → organizations → programs → spans.
"""
from __future__ import annotations

from functools import lru_cache

import jieba
import spacy
from spacy.language import Language

from . import components  # noqa: F401  (registers the Doc extensions)
from .components import organizations, people, places, programs, qualify, spans, subject  # noqa: F401
from .gazetteer import load_gazetteer

PIPES = ("pakg_subject", "pakg_places", "pakg_people", "pakg_organizations", "pakg_qualify", "pakg_programs",
         "pakg_spans")


@lru_cache(maxsize=1)
def build_pipeline() -> Language:
    """The pipeline, built once per process (loading the gazetteer is the costly part)."""
    jieba.setLogLevel(60)
    _teach_jieba()
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    for pipe in PIPES:
        nlp.add_pipe(pipe)
    return nlp


def _teach_jieba() -> None:
    gz = load_gazetteer()
    for level in ("prefecture", "county", "township"):
        for name in sorted(gz.names(level)):
            jieba.add_word(name, freq=10000)
