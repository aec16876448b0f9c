"""A user's own names and token patterns (``kg build --patterns FILE``), as candidates.

A thin component in the manner of spaCy's ``SpanRuler``: the patterns are data
(:mod:`kg.patterns`, spaCy's EntityRuler format), ``__call__`` matches and annotates.
A phrase is matched on the article's characters, not on jieba's tokens, because jieba
may cut a name differently in different sentences; a list of token attributes is
matched with spaCy's ``Matcher`` over jieba's tokens. The candidates then compete with
the rules' in ``pakg_spans`` like any other (the longer span wins).

>>> from kg.nlp import build_pipeline                                  # doctest: +SKIP
>>> patterns.use([Path("my_patterns.jsonl")])                          # doctest: +SKIP
"""
from __future__ import annotations

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc

from .. import patterns
from . import add, occurrences, text_of

FOUND_BY = "patterns.user"


@Language.factory("pakg_user_patterns")
def make_user_patterns(nlp: Language, name: str):
    return UserPatterns(nlp)


class UserPatterns:
    """Matches the patterns :func:`kg.patterns.use` set last (a process may build again
    with other patterns: the pipeline is built once per process)."""

    def __init__(self, nlp: Language):
        self.vocab, self.rows = nlp.vocab, None

    def _compile(self, rows: list[dict]) -> None:
        self.rows = rows
        self.phrases = [(r["pattern"], r["label"], r.get("id") or r["pattern"]) for r in rows if isinstance(r["pattern"], str)]
        self.token_rows = [r for r in rows if isinstance(r["pattern"], list)]
        self.matcher = Matcher(self.vocab)
        for i, r in enumerate(self.token_rows):
            self.matcher.add(str(i), [r["pattern"]])

    def __call__(self, doc: Doc) -> Doc:
        rows = patterns.entity_patterns()
        if not rows:
            return doc
        if rows is not self.rows:
            self._compile(rows)
        text = text_of(doc)
        for phrase, label, name in self.phrases:
            for start in occurrences(text, phrase):
                add(doc, start, start + len(phrase), label, name, FOUND_BY)
        for match_id, s, e in self.matcher(doc) if self.token_rows else ():
            row = self.token_rows[int(doc.vocab.strings[match_id])]
            span = doc[s:e]
            add(doc, span.start_char, span.end_char, row["label"], row.get("id") or span.text, FOUND_BY)
        return doc
