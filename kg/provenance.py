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
from collections.abc import Iterator

from .iris import article_iri
from .memo import Memo
from .namespaces import NIF, PA, PAD, PROV, RDF, XSD
from .ntriples import ITSRDF, literal, prefix_header, turtle_body
from .records import ArticleExtraction, Entity, Mention, Relation

# Triples are N-Triples lines, not rdflib terms (see kg.ntriples).
_A, _TYPE_CONTEXT, _TYPE_SENTENCE, _TYPE_MENTION = f"<{RDF.type}>", f"<{NIF.Context}>", f"<{NIF.Sentence}>", \
    f"<{PA.Mention}>"
_P = {name: f"<{uri}>" for name, uri in {
    "isString": NIF.isString, "beginIndex": NIF.beginIndex, "endIndex": NIF.endIndex, "sourceUrl": NIF.sourceUrl,
    "referenceContext": NIF.referenceContext, "anchorOf": NIF.anchorOf, "sentence": NIF.sentence,
    "sourceFile": PA.sourceFile, "hasMention": PA.hasMention, "foundBy": PA.foundBy, "confidence": PA.confidence,
    "taIdentRef": ITSRDF + "taIdentRef", "taClassRef": ITSRDF + "taClassRef", "subject": RDF.subject,
    "predicate": RDF.predicate, "object": RDF.object, "wasDerivedFrom": PROV.wasDerivedFrom}.items()}
_STATEMENT, _GAZETTEER = f"<{RDF.Statement}>", f"<{PA.Gazetteer}>"


_COUNT, _DECIMAL = f"^^<{XSD.nonNegativeInteger}>", str(XSD.decimal)
_CLASS_REF: dict[str, str] = {}      # entity type -> <pa:Type>
_PREDICATE: dict[str, str] = {}      # relation -> <pa:relation>


def _count(n: int) -> str:
    return f'"{n}"{_COUNT}'


def article_provenance(extractions: list[ArticleExtraction], entities: dict[str, Entity],
                       sources: dict[Relation, list[tuple[str, int, str]]],
                       with_text: bool = True) -> Iterator[tuple[str, list[str]]]:
    """(context IRI, sorted N-Triples lines) of each article's provenance, in file order.

    One article at a time, so that a corpus's provenance (ten lines per mention) is never
    held whole.  ``entities`` and ``sources`` may be a part of the corpus's (the explorer
    asks for the nodes it shows); ``with_text=False`` leaves out the articles' full text.
    """
    for ex, found, read in _by_article(extractions, entities, sources):
        yield context_iri(ex.article.source_file), _article_lines(ex, found, read, with_text)


def _by_article(extractions, entities, sources) -> Iterator[tuple[ArticleExtraction, list, list]]:
    """Each extraction (in file order) with the (entity, mention) pairs and the
    (relation, sentence, rule) statements read in it: all its provenance depends on."""
    mentions: dict[str, list[tuple[Entity, Mention]]] = defaultdict(list)
    for ent in entities.values():
        for src, m in ent.mentions:
            mentions[src].append((ent, m))
    statements: dict[str, list[tuple[Relation, int, str]]] = defaultdict(list)
    for rel, found in sources.items():
        for src, sentence, how in found:
            statements[src].append((rel, sentence, how))
    for ex in sorted(extractions, key=lambda ex: ex.article.source_file):
        src = ex.article.source_file
        yield ex, mentions.get(src, []), statements.get(src, [])


def _article_lines(ex: ArticleExtraction, mentions: list[tuple[Entity, Mention]],
                   statements: list[tuple[Relation, int, str]], with_text: bool) -> list[str]:
    P, src = _P, ex.article.source_file
    g = _article_graph(ex, with_text)
    strings = _Strings(ex, g)
    for ent, m in mentions:
        node, entity = strings.node(m.start, m.end, _TYPE_MENTION), f"<{ent.iri}>"
        cls = _CLASS_REF.get(ent.type) or _CLASS_REF.setdefault(ent.type, f"<{PA[ent.type]}>")
        g.update((f"{node} {P['taIdentRef']} {entity} .", f"{node} {P['taClassRef']} {cls} .",
                  f"{entity} {P['hasMention']} {node} .", f"{node} {P['foundBy']} {literal(m.found_by)} .",
                  f"{node} {P['confidence']} {literal(f'{m.confidence:.2f}', _DECIMAL)} ."))
        if 0 <= m.sentence < len(ex.sentences):
            g.add(f"{node} {P['sentence']} {strings.sentence(m.sentence)} .")
    for rel, sentence, how in statements:
        st = f"<{statement_iri(rel, src)}>"
        pred = _PREDICATE.get(rel.predicate) or _PREDICATE.setdefault(rel.predicate, f"<{PA[rel.predicate]}>")
        g.update((f"{st} {_A} {_STATEMENT} .", f"{st} {P['subject']} <{rel.subject}> .",
                  f"{st} {P['predicate']} {pred} .", f"{st} {P['object']} <{rel.object}> .",
                  f"{st} {P['foundBy']} {literal(how)} ."))
        if 0 <= sentence < len(ex.sentences):
            g.add(f"{st} {P['wasDerivedFrom']} {strings.sentence(sentence)} .")
        else:                                  # background knowledge: the gazetteer
            g.add(f"{st} {P['wasDerivedFrom']} {_GAZETTEER} .")
    return sorted(g)


PREFIX_NAMES = ("nif", "itsrdf", "pa", "prov", "rdf", "xsd")   # pad: IRIs with #char=1,2 read better in full
#: What ``provenance.ttl`` starts with; :func:`turtle_chunks` follow it.
HEADER = prefix_header(PREFIX_NAMES)


def turtle_chunks(extractions: list[ArticleExtraction], entities: dict[str, Entity],
                  sources: dict[Relation, list[tuple[str, int, str]]],
                  memo: Memo | None = None) -> Iterator[tuple[str, bytes]]:
    """(context IRI, Turtle without prefixes) of each article's provenance, written by
    pyoxigraph; ``provenance.ttl`` is :data:`HEADER` and these, in order.

    With a ``memo`` an article's Turtle is made once for what it depends on (its file,
    the pipeline, and the entities and relations read in it), so a rebuild after one
    article changed redoes that article's and those of articles naming the same entities.
    """
    for ex, found, read in _by_article(extractions, entities, sources):
        key = memo.key(ex.article.source_file, ex.article.digest, repr([(e.iri, e.type, m) for e, m in found]),
                       repr(read)) if memo and ex.article.digest else None
        body = memo.get(key) if key else None
        if body is None:
            body = b"\n" + turtle_body(_article_lines(ex, found, read, True), PREFIX_NAMES)
            if key:
                memo.put(key, body)
        yield context_iri(ex.article.source_file), body


def context_iri(source_file: str) -> str:
    return article_iri(source_file) + "#context"


def statement_iri(rel: Relation, source_file: str) -> str:
    key = "\t".join((rel.subject, rel.predicate, rel.object, source_file))
    return str(PAD["statement/" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]])


def _article_graph(ex: ArticleExtraction, with_text: bool = True) -> set[str]:
    ctx, src = f"<{context_iri(ex.article.source_file)}>", ex.article.source_file
    g = {f"{ctx} {_A} {_TYPE_CONTEXT} .", f"{ctx} {_P['beginIndex']} {_count(0)} .",
         f"{ctx} {_P['endIndex']} {_count(len(ex.article.raw))} .", f"{ctx} {_P['sourceUrl']} <{article_iri(src)}> .",
         f"{ctx} {_P['sourceFile']} {literal(src)} ."}
    if with_text:
        g.add(f"{ctx} {_P['isString']} {literal(ex.article.raw)} .")
    return g


def sentence_span(ex: ArticleExtraction, index: int) -> tuple[int, int]:
    """Sentence ``index`` of ``ex`` as its ``nif:Sentence`` has it: the span in the text,
    without the line break sentence spans keep (:meth:`Article.original_span` maps it to the file)."""
    start, end = ex.sentences[index]
    text = ex.article.text
    while end > start and text[end - 1] in "\n ":
        end -= 1
    return start, end


class _Strings:
    """The NIF strings of one article (mentions and sentences), each made once."""

    def __init__(self, ex: ArticleExtraction, g: set[str]):
        self.ex, self.g = ex, g
        self.base = article_iri(ex.article.source_file)
        self.context = f"<{self.base}#context>"
        self.sentences: dict[int, str] = {}

    def sentence(self, index: int) -> str:
        if index not in self.sentences:
            self.sentences[index] = self.node(*sentence_span(self.ex, index), _TYPE_SENTENCE)
        return self.sentences[index]

    def node(self, start: int, end: int, type_: str) -> str:
        """A NIF string over ``text[start:end]``, addressed by its offsets in the original file."""
        begin, stop = self.ex.article.original_span(start, end)
        node = f"<{self.base}#char={begin},{stop}>"
        P = _P
        self.g.update((f"{node} {_A} {type_} .", f"{node} {P['referenceContext']} {self.context} .",
                       f"{node} {P['beginIndex']} {_count(begin)} .", f"{node} {P['endIndex']} {_count(stop)} .",
                       f"{node} {P['anchorOf']} {literal(self.ex.article.raw[begin:stop])} ."))
        return node
