"""The sentences behind the build page's nodes and edges, straight from the extractions.

:func:`kg.viz.to_networkx` reads them from a provenance graph (``provenance.ttl``:
``pa:hasMention`` → ``nif:sentence`` → ``nif:anchorOf``, and reified statements
``prov:wasDerivedFrom`` a sentence).  The build's page would make that graph -- ten
triples per mention, hundreds of thousands at 10 MB -- only to read it back; this gives
what reading it gives, from the offsets :mod:`kg.provenance` writes
(``tests/test_viz_evidence.py`` checks the two against each other on a build).
"""
from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import Any

from ..namespaces import PA
from ..provenance import sentence_span
from ..records import ArticleExtraction, Entity, Mention, Relation
from .model import Sentences, local_name


#: The most mentions of one entity, and sources of one relation, whose sentences the build's
#: page carries: a county named in a thousand articles would otherwise fill it alone.
PAGE_EVIDENCE = 25


class ExtractionSentences(Sentences):
    """:class:`kg.viz.model.Sentences` of ``entities`` (of the first ``mentions`` of their
    mentions, or all) and of the relations in ``sources``, as
    :func:`kg.provenance.article_provenance` of the same arguments would record them."""

    def __init__(self, extractions: list[ArticleExtraction], entities: dict[str, Entity],
                 sources: dict[Relation, list[tuple[str, int, str]]], mentions: int | None = None):
        self.articles = {ex.article.source_file: ex for ex in extractions}
        self.entities, self.sources, self.mentions = entities, sources, mentions
        self.cache: dict[tuple[str, int], dict] = {}
        # each mention node (its IRI is its span) and the sentence it is in, whoever it denotes
        self.mention_sentence: dict[tuple[str, int, int], dict] = {}
        for ent in entities.values():
            for node, ex, m in self._mentions(ent):
                if 0 <= m.sentence < len(ex.sentences):
                    self.mention_sentence.setdefault(node, self.sentence(ex, m.sentence))

    def sentence(self, ex: ArticleExtraction, index: int) -> dict:
        """{file, begin, end, text} of sentence ``index``: its nif:Sentence's offsets and anchor."""
        key = (ex.article.source_file, index)
        if key not in self.cache:
            begin, stop = ex.article.original_span(*sentence_span(ex, index))
            text = ex.article.raw[begin:stop]
            self.cache[key] = {"file": ex.article.source_file, "begin": begin, "end": begin + len(text),
                               "text": text}
        return self.cache[key]

    def of_entity(self, entity: Any) -> tuple[int, list[dict]]:
        ent = self.entities.get(str(entity))
        nodes = dict.fromkeys(node for node, _, _ in self._mentions(ent)) if ent is not None else {}
        by_sentence: dict[tuple, dict] = {}
        for node in nodes:
            s = self.mention_sentence.get(node)
            if s is None:
                continue
            rec = by_sentence.setdefault((s["file"], s["begin"], s["end"]), dict(s, marks=set()))
            lo, hi = node[1] - s["begin"], node[2] - s["begin"]
            if 0 <= lo < hi <= len(s["text"]):
                rec["marks"].add((lo, hi))
        return len(nodes), [dict(rec, marks=[list(x) for x in sorted(rec["marks"])])
                            for _, rec in sorted(by_sentence.items())]

    def of_statements(self) -> dict[tuple[str, str, str], tuple[list[dict], bool]]:
        found: dict[tuple[str, str, str], tuple[dict, list]] = {}
        for rel, evidence in self.sources.items():
            key = statement(rel)
            for src, index, _how in evidence:
                ex = self.articles.get(src)
                if ex is None:
                    continue
                sentences, flags = found.setdefault(key, ({}, []))
                if 0 <= index < len(ex.sentences):
                    rec = self.sentence(ex, index)
                    sentences[(rec["file"], rec["begin"], rec["end"])] = rec
                else:                                  # background knowledge: the gazetteer
                    flags.append(True)
        return {k: ([v[0][x] for x in sorted(v[0])], bool(v[1])) for k, v in found.items()}

    def _mentions(self, ent: Entity) -> Iterator[tuple[tuple[str, int, int], ArticleExtraction, Mention]]:
        """(mention node, its article, the mention) of each of ``ent``'s mentions in the articles given."""
        for src, m in ent.mentions[:self.mentions]:
            ex = self.articles.get(src)
            if ex is not None:
                yield (src, *ex.article.original_span(m.start, m.end)), ex, m


def statement(rel: Relation) -> tuple[str, str, str]:
    """(subject, relation's local name, object): how :meth:`ExtractionSentences.of_statements`
    and the page's edges name a relation."""
    return rel.subject, _predicate_name(rel.predicate), rel.object


@cache
def _predicate_name(predicate: str) -> str:
    return local_name(PA[predicate])
