"""The trained tagger's words on the Doc: ``doc._.lac``, read by the components after it.

A thin component (as scispaCy's are): the algorithm is :mod:`kg.tagger`; this puts its
result where the rule components can see it, as a tuple of ``(start, end, tag)`` over
the article's characters, in order (LAC's tags: ``PER``, ``LOC``, ``ORG``, ``TIME`` and
parts of speech such as ``r`` pronoun, ``d`` adverb, ``v`` verb, ``u`` particle).

The components ask the words a few questions each (the word starting at an offset, the
word around one, the words of one tag, those overlapping a span); :func:`words_of`
answers them from one index per doc instead of each component looping over all the
article's words (about 1,300 a 6,000-character article) for a handful of answers.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from operator import itemgetter

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


class TaggedWords:
    """The tagger's words ``(start, end, tag)``, in order and not overlapping (a tagger
    cuts each sentence into words), looked up by offset (a binary search over their
    starts, the one list made for every doc) and by tag.

    >>> w = TaggedWords(((0, 2, "PER"), (2, 3, "p"), (3, 6, "LOC")))
    >>> w.starting(2), w.ending(6), w.around(4), w.around(3), w.tagged("LOC")
    ((2, 3, 'p'), (3, 6, 'LOC'), (3, 6, 'LOC'), None, [(3, 6, 'LOC')])
    >>> w.overlapping(1, 4)
    [(0, 2, 'PER'), (2, 3, 'p'), (3, 6, 'LOC')]
    """

    def __init__(self, words: tuple[tuple[int, int, str], ...]):
        self.words = words
        self.starts = list(map(itemgetter(0), words))
        self._by_tag: dict[str, list[tuple[int, int, str]]] = {}

    def tagged(self, tag: str) -> list[tuple[int, int, str]]:
        """The words of this tag, in order."""
        found = self._by_tag.get(tag)
        if found is None:
            found = self._by_tag[tag] = [w for w in self.words if w[2] == tag]
        return found

    def starting(self, i: int) -> tuple[int, int, str] | None:
        """The word that starts at offset ``i``."""
        k = bisect_left(self.starts, i)
        return self.words[k] if k < len(self.starts) and self.starts[k] == i else None

    def ending(self, i: int) -> tuple[int, int, str] | None:
        """The word that ends at offset ``i``."""
        k = bisect_left(self.starts, i) - 1
        return self.words[k] if k >= 0 and self.words[k][1] == i else None

    def around(self, i: int) -> tuple[int, int, str] | None:
        """The word that holds offset ``i`` strictly inside it (``start < i < end``)."""
        k = bisect_left(self.starts, i) - 1
        return self.words[k] if k >= 0 and i < self.words[k][1] else None

    def overlapping(self, start: int, end: int) -> list[tuple[int, int, str]]:
        """The words that share a character with ``start:end``, in order."""
        first = max(0, bisect_right(self.starts, start) - 1)
        last = bisect_left(self.starts, end, first)
        return [w for w in self.words[first:last] if w[0] < end and start < w[1]]


def words_of(doc: Doc) -> TaggedWords:
    """``doc._.lac`` indexed (see :class:`TaggedWords`), made once per doc."""
    words = doc._.lac
    cached = doc.user_data.get("pakg_words")
    if cached is None or cached.words is not words:
        cached = doc.user_data["pakg_words"] = TaggedWords(words)
    return cached
