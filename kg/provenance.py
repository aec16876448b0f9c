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
import re
from collections import defaultdict

from rdflib import Graph

from .iris import article_iri
from .namespaces import NIF, PA, PAD, PREFIXES, PROV, RDF, XSD
from .records import ArticleExtraction, Entity, Relation

ITSRDF = "http://www.w3.org/2005/11/its/rdf#"

# Triples are N-Triples lines, not rdflib terms: a 10 MB corpus has over a million of
# them, and rdflib objects cost ~10x the time and memory of the strings.
_A, _TYPE_CONTEXT, _TYPE_SENTENCE, _TYPE_MENTION = f"<{RDF.type}>", f"<{NIF.Context}>", f"<{NIF.Sentence}>", \
    f"<{PA.Mention}>"
_P = {name: f"<{uri}>" for name, uri in {
    "isString": NIF.isString, "beginIndex": NIF.beginIndex, "endIndex": NIF.endIndex, "sourceUrl": NIF.sourceUrl,
    "referenceContext": NIF.referenceContext, "anchorOf": NIF.anchorOf, "sentence": NIF.sentence,
    "sourceFile": PA.sourceFile, "hasMention": PA.hasMention, "foundBy": PA.foundBy, "confidence": PA.confidence,
    "taIdentRef": ITSRDF + "taIdentRef", "taClassRef": ITSRDF + "taClassRef", "subject": RDF.subject,
    "predicate": RDF.predicate, "object": RDF.object, "wasDerivedFrom": PROV.wasDerivedFrom}.items()}
_STATEMENT, _GAZETTEER = f"<{RDF.Statement}>", f"<{PA.Gazetteer}>"
_ESCAPE = re.compile(r'[\\"\x00-\x1f\x7f]')


def nt_literal(text: str, datatype: str | None = None) -> str:
    r"""A literal in N-Triples syntax.

    >>> print(nt_literal('他说:"好"\n'))
    "他说:\"好\"\n"
    """
    body = _ESCAPE.sub(lambda m: {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"}.get(
        m.group(), f"\\u{ord(m.group()):04X}"), text)
    return f'"{body}"^^<{datatype}>' if datatype else f'"{body}"'


def _count(n: int) -> str:
    return f'"{n}"^^<{XSD.nonNegativeInteger}>'


def provenance_graphs(extractions: list[ArticleExtraction], entities: dict[str, Entity],
                      sources: dict[Relation, list[tuple[str, int, str]]]) -> dict[str, set[str]]:
    """Each article's provenance as a set of N-Triples lines, keyed by its context IRI."""
    by_file = {ex.article.source_file: ex for ex in extractions}
    graphs: dict[str, set[str]] = {}
    for src, ex in sorted(by_file.items()):
        graphs[context_iri(src)] = _article_graph(ex)
    for iri in sorted(entities):
        ent = entities[iri]
        for src, m in ent.mentions:
            g, ex = graphs[context_iri(src)], by_file[src]
            node = _string_node(g, ex, m.start, m.end, _TYPE_MENTION)
            g.add(f"{node} {_P['taIdentRef']} <{iri}> .")
            g.add(f"{node} {_P['taClassRef']} <{PA[ent.type]}> .")
            g.add(f"<{iri}> {_P['hasMention']} {node} .")
            g.add(f"{node} {_P['foundBy']} {nt_literal(m.found_by)} .")
            g.add(f"{node} {_P['confidence']} {nt_literal(f'{m.confidence:.2f}', str(XSD.decimal))} .")
            if 0 <= m.sentence < len(ex.sentences):
                g.add(f"{node} {_P['sentence']} {_sentence_node(g, ex, m.sentence)} .")
    for rel in sorted(sources):
        by_article = defaultdict(list)
        for src, sentence, how in sources[rel]:
            by_article[src].append((sentence, how))
        for src, found in sorted(by_article.items()):
            g, ex = graphs[context_iri(src)], by_file[src]
            st = f"<{statement_iri(rel, src)}>"
            g.update((f"{st} {_A} {_STATEMENT} .", f"{st} {_P['subject']} <{rel.subject}> .",
                      f"{st} {_P['predicate']} <{PA[rel.predicate]}> .", f"{st} {_P['object']} <{rel.object}> ."))
            for sentence, how in sorted(set(found)):
                g.add(f"{st} {_P['foundBy']} {nt_literal(how)} .")
                if 0 <= sentence < len(ex.sentences):
                    g.add(f"{st} {_P['wasDerivedFrom']} {_sentence_node(g, ex, sentence)} .")
                else:                              # background knowledge: the gazetteer
                    g.add(f"{st} {_P['wasDerivedFrom']} {_GAZETTEER} .")
    return graphs


def union(graphs: dict[str, set[str]]) -> list[str]:
    """All articles' provenance, sorted (for ``provenance.ttl``)."""
    return sorted(set().union(*graphs.values()))


def to_ntriples(lines) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8")


def to_turtle(lines) -> bytes:
    """``provenance.ttl``: Turtle with the project's prefixes, written by pyoxigraph in the
    order of the sorted lines, so deterministic."""
    import pyoxigraph as ox

    used = ("nif", "itsrdf", "pa", "prov", "rdf", "xsd")      # pad: IRIs with #char=1,2 read better in full
    prefixes = {k: str(v) for k, v in {**PREFIXES, "itsrdf": ITSRDF}.items() if k in used}
    triples = ox.parse(to_ntriples(lines), format=ox.RdfFormat.N_TRIPLES)
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes)


def to_graph(lines) -> Graph:
    """An rdflib Graph of some provenance lines, with the project's prefixes bound."""
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True)
    g.bind("itsrdf", ITSRDF)
    return g.parse(data=to_ntriples(lines).decode("utf-8"), format="nt")


def context_iri(source_file: str) -> str:
    return article_iri(source_file) + "#context"


def statement_iri(rel: Relation, source_file: str) -> str:
    key = "\t".join((rel.subject, rel.predicate, rel.object, source_file))
    return str(PAD["statement/" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]])


def _article_graph(ex: ArticleExtraction) -> set[str]:
    ctx, src = f"<{context_iri(ex.article.source_file)}>", ex.article.source_file
    return {f"{ctx} {_A} {_TYPE_CONTEXT} .", f"{ctx} {_P['isString']} {nt_literal(ex.article.raw)} .",
            f"{ctx} {_P['beginIndex']} {_count(0)} .", f"{ctx} {_P['endIndex']} {_count(len(ex.article.raw))} .",
            f"{ctx} {_P['sourceUrl']} <{article_iri(src)}> .", f"{ctx} {_P['sourceFile']} {nt_literal(src)} ."}


def _sentence_node(g: set, ex: ArticleExtraction, index: int) -> str:
    start, end = ex.sentences[index]
    text = ex.article.text
    while end > start and text[end - 1] in "\n ":  # sentence spans keep their line break
        end -= 1
    return _string_node(g, ex, start, end, _TYPE_SENTENCE)


def _string_node(g: set, ex: ArticleExtraction, start: int, end: int, type_: str) -> str:
    """A NIF string over ``text[start:end]``, addressed by its offsets in the original file."""
    begin, stop = ex.article.original_span(start, end)
    node = f"<{article_iri(ex.article.source_file)}#char={begin},{stop}>"
    g.update((f"{node} {_A} {type_} .", f"{node} {_P['referenceContext']} <{context_iri(ex.article.source_file)}> .",
              f"{node} {_P['beginIndex']} {_count(begin)} .", f"{node} {_P['endIndex']} {_count(stop)} .",
              f"{node} {_P['anchorOf']} {nt_literal(ex.article.raw[begin:stop])} ."))
    return node
