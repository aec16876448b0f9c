"""The trained tagger's words on the Doc: ``doc._.lac``, read by the components after it.

A thin component (as scispaCy's are): the algorithm is :mod:`kg.tagger`; this puts its
result where the rule components can see it, as a tuple of ``(start, end, tag)`` over
the article's characters, in order (LAC's tags: ``PER``, ``LOC``, ``ORG``, ``TIME`` and
parts of speech such as ``r`` pronoun, ``d`` adverb, ``v`` verb, ``u`` particle).
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..tagger import default_tagger, tag_text
from . import text_of

if not Doc.has_extension("lac"):
    Doc.set_extension("lac", default=())


@Language.factory("pakg_tagger")
def make_tagger(nlp: Language, name: str):
    return TagWords()


class TagWords:
    def __call__(self, doc: Doc) -> Doc:
        doc._.lac = tuple(tag_text(text_of(doc), default_tagger()))
        return doc
