"""Where every fact comes from: mention- and sentence-level provenance, one graph per article.

``kg.ttl`` says *what* is known and keeps only the coarse link ``pa:mentionedIn``; a
researcher checking a claim needs the sentence and the characters.  This module builds,
for each article, a NIF 2.0 graph:

* the article's text as a ``nif:Context`` (``nif:isString`` is the file as read, so the
  offsets below index the original file, not the normalised text the extractor read);
* each sentence that carries a mention or a relation as a ``nif:Sentence``;
* each mention as a ``pa:Mention`` (a ``nif:Phrase``) with ``nif:beginIndex`` /
  ``nif:endIndex`` / ``nif:anchorOf``, the entity it denotes (``itsrdf:taIdentRef``,
  and ``pa:hasMention`` back from the entity), what found it (``pa:foundBy``) and
  ``pa:confidence``;
* each relation read in the article as a reified ``rdf:Statement`` that
  ``prov:wasDerivedFrom`` its sentence, with the rule that read it.

Node IRIs follow the NIF convention ``<article>#char=begin,end``, so they are stable
across builds of the same files.
"""
from __future__ import annotations

import hashlib
from collections import defaultdict

from rdflib import Graph, Literal, URIRef

from .export import fast_turtle
from .iris import article_iri
from .namespaces import NIF, PA, PAD, PREFIXES, PROV, RDF, XSD
from .records import ArticleExtraction, Entity, Relation

ITSRDF = "http://www.w3.org/2005/11/its/rdf#"
ITS_IDENT, ITS_CLASS = URIRef(ITSRDF + "taIdentRef"), URIRef(ITSRDF + "taClassRef")


def provenance_graphs(extractions: list[ArticleExtraction], entities: dict[str, Entity],
                      sources: dict[Relation, list[tuple[str, int, str]]]) -> dict[str, set[tuple]]:
    """The triples of each article's provenance, keyed by the article's context IRI.

    Plain sets of rdflib terms, not rdflib Graphs: a large corpus has millions of them, and
    :func:`to_graph` makes a Graph of any part where one is wanted.
    """
    by_file = {ex.article.source_file: ex for ex in extractions}
    graphs: dict[str, set[tuple]] = {}
    for src, ex in sorted(by_file.items()):
        graphs[context_iri(src)] = _article_graph(ex)
    for iri in sorted(entities):
        for src, m in entities[iri].mentions:
            g = graphs[context_iri(src)]
            ex = by_file[src]
            node = _string_node(g, ex, m.start, m.end, PA.Mention)
            g.add((node, ITS_IDENT, URIRef(iri)))
            g.add((node, ITS_CLASS, PA[entities[iri].type]))
            g.add((URIRef(iri), PA.hasMention, node))
            g.add((node, PA.foundBy, Literal(m.found_by)))
            g.add((node, PA.confidence, Literal(f"{m.confidence:.2f}", datatype=XSD.decimal)))
            if 0 <= m.sentence < len(ex.sentences):
                g.add((node, NIF.sentence, _sentence_node(g, ex, m.sentence)))
    for rel in sorted(sources):
        by_article = defaultdict(list)
        for src, sentence, how in sources[rel]:
            by_article[src].append((sentence, how))
        for src, found in sorted(by_article.items()):
            g = graphs[context_iri(src)]
            st = statement_iri(rel, src)
            g.add((st, RDF.type, RDF.Statement))
            g.add((st, RDF.subject, URIRef(rel.subject)))
            g.add((st, RDF.predicate, PA[rel.predicate]))
            g.add((st, RDF.object, URIRef(rel.object)))
            for sentence, how in sorted(set(found)):
                g.add((st, PA.foundBy, Literal(how)))
                ex = by_file[src]
                if 0 <= sentence < len(ex.sentences):
                    g.add((st, PROV.wasDerivedFrom, _sentence_node(g, ex, sentence)))
                else:                              # background knowledge: the gazetteer
                    g.add((st, PROV.wasDerivedFrom, PA.Gazetteer))
    return graphs


def union(graphs: dict[str, set[tuple]]) -> set[tuple]:
    """All articles' provenance in one set of triples (for ``provenance.ttl``)."""
    return set().union(*graphs.values())


def to_turtle(triples: set[tuple]) -> bytes:
    """``provenance.ttl``: sorted Turtle with the project's prefixes, written by pyoxigraph."""
    used = ("nif", "itsrdf", "pa", "prov", "rdf", "xsd")      # pad: IRIs with #char=1,2 read better in full
    return fast_turtle(triples, {k: str(v) for k, v in {**PREFIXES, "itsrdf": ITSRDF}.items() if k in used})


def to_graph(triples) -> Graph:
    """An rdflib Graph of some provenance triples, with the project's prefixes bound."""
    g = _new_graph()
    for t in triples:
        g.add(t)
    return g


def context_iri(source_file: str) -> str:
    return article_iri(source_file) + "#context"


def statement_iri(rel: Relation, source_file: str) -> URIRef:
    key = "\t".join((rel.subject, rel.predicate, rel.object, source_file))
    return PAD["statement/" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]]


def _article_graph(ex: ArticleExtraction) -> set[tuple]:
    g: set[tuple] = set()
    ctx = URIRef(context_iri(ex.article.source_file))
    g.add((ctx, RDF.type, NIF.Context))
    g.add((ctx, NIF.isString, Literal(ex.article.raw)))
    g.add((ctx, NIF.beginIndex, Literal(0, datatype=XSD.nonNegativeInteger)))
    g.add((ctx, NIF.endIndex, Literal(len(ex.article.raw), datatype=XSD.nonNegativeInteger)))
    g.add((ctx, NIF.sourceUrl, URIRef(article_iri(ex.article.source_file))))
    g.add((ctx, PA.sourceFile, Literal(ex.article.source_file)))
    return g


def _sentence_node(g: set, ex: ArticleExtraction, index: int) -> URIRef:
    start, end = ex.sentences[index]
    text = ex.article.text
    while end > start and text[end - 1] in "\n ":  # sentence spans keep their line break
        end -= 1
    return _string_node(g, ex, start, end, NIF.Sentence)


def _string_node(g: set, ex: ArticleExtraction, start: int, end: int, type_) -> URIRef:
    """A NIF string over ``text[start:end]``, addressed by its offsets in the original file."""
    begin, stop = ex.article.original_span(start, end)
    node = URIRef(f"{article_iri(ex.article.source_file)}#char={begin},{stop}")
    g.add((node, RDF.type, type_))
    g.add((node, NIF.referenceContext, URIRef(context_iri(ex.article.source_file))))
    g.add((node, NIF.beginIndex, Literal(begin, datatype=XSD.nonNegativeInteger)))
    g.add((node, NIF.endIndex, Literal(stop, datatype=XSD.nonNegativeInteger)))
    g.add((node, NIF.anchorOf, Literal(ex.article.raw[begin:stop])))
    return node


def _new_graph() -> Graph:
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True)
    g.bind("itsrdf", ITSRDF)
    return g
