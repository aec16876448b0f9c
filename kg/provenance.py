"""Where every fact comes from: mention- and sentence-level provenance, one graph per article.

``kg.ttl`` says *what* is known and keeps only the coarse link ``pa:mentionedIn``; a
researcher checking a claim needs the sentence and the characters.  This module builds,
for each article, a NIF 2.0 graph:

* the article's text as a ``nif:Context`` (``nif:isString`` is the file as read, so the
  offsets below index the original file, not the normalised text the extractor read; for
  a web page, a PDF or a DOCX, the text extracted from it, whose form feeds and lines say
  on which page or in which paragraph a span is: see :mod:`kg.documents`);
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
from collections.abc import Iterator
from functools import lru_cache

from .iris import article_iri
from .namespaces import NIF, PA, PAD, PROV, RDF, XSD
from .ntriples import ITSRDF, literal, literal_forms, prefix_header, prefixes, turtle_name
from .records import ArticleExtraction, Entity, Mention, Relation
from .remember import stored
from .version import pipeline_version

# Triples are (subject, predicate, object, the object in Turtle): N-Triples terms (see
# kg.ntriples), which sort as N-Triples lines do, and the object as provenance.ttl writes it,
# made with it while its kind is known (see _turtle).
PREFIX_NAMES = ("nif", "itsrdf", "pa", "prov", "rdf", "xsd")   # pad: IRIs with #char=1,2 read better in full
_NAMESPACES = tuple(prefixes(*PREFIX_NAMES).values())
_SUBJECT_SPACES = tuple(f"<{ns}" for ns in _NAMESPACES)


def _vocabulary(iri) -> tuple[str, str]:
    """(N-Triples, Turtle) of a term of the vocabularies."""
    return f"<{iri}>", turtle_name(str(iri), PREFIX_NAMES)


_A, _TYPE_CONTEXT, _TYPE_SENTENCE, _TYPE_MENTION, _STATEMENT, _GAZETTEER = (
    _vocabulary(t)[0] for t in (RDF.type, NIF.Context, NIF.Sentence, PA.Mention, RDF.Statement, PA.Gazetteer))
_P = {name: f"<{uri}>" for name, uri in {
    "isString": NIF.isString, "beginIndex": NIF.beginIndex, "endIndex": NIF.endIndex, "sourceUrl": NIF.sourceUrl,
    "referenceContext": NIF.referenceContext, "anchorOf": NIF.anchorOf, "sentence": NIF.sentence,
    "sourceFile": PA.sourceFile, "hasMention": PA.hasMention, "foundBy": PA.foundBy, "confidence": PA.confidence,
    "taIdentRef": ITSRDF + "taIdentRef", "taClassRef": ITSRDF + "taClassRef", "subject": RDF.subject,
    "predicate": RDF.predicate, "object": RDF.object, "wasDerivedFrom": PROV.wasDerivedFrom}.items()}
#: Turtle of the predicates and classes above (rdf:type is ``a``).
_TURTLE = {nt: ("a" if nt == _A else _vocabulary(nt[1:-1])[1]) for nt in
           (_A, _TYPE_CONTEXT, _TYPE_SENTENCE, _TYPE_MENTION, _STATEMENT, _GAZETTEER, *_P.values())}


_COUNT, _COUNT_TURTLE, _DECIMAL = f"^^<{XSD.nonNegativeInteger}>", "^^xsd:nonNegativeInteger", str(XSD.decimal)
_BARE_DECIMAL = re.compile(r"[+-]?[0-9]*\.[0-9]+")
_CLASS_REF: dict[str, tuple[str, str]] = {}      # entity type -> pa:Type
_PREDICATE: dict[str, tuple[str, str]] = {}     # relation -> pa:relation


def _count(n: int) -> tuple[str, str]:
    return f'"{n}"{_COUNT}', f'"{n}"{_COUNT_TURTLE}'


_literal = literal_forms


#: The literal of a rule's name: few names, each on tens of thousands of mentions.
_rule = lru_cache(maxsize=4096)(_literal)


@lru_cache(maxsize=4096)
def _confidence(value: float) -> tuple[str, str]:
    lexical = f"{value:.2f}"
    nt = literal(lexical, _DECIMAL)
    return nt, lexical if _BARE_DECIMAL.fullmatch(lexical) else f'"{lexical}"^^xsd:decimal'


def _instance(iri: str) -> tuple[str, str]:
    """(N-Triples, Turtle) of an IRI of the graph: pad: IRIs, which Turtle writes whole."""
    term = f"<{iri}>"
    return term, (turtle_name(iri, PREFIX_NAMES) if iri.startswith(_NAMESPACES) else term)


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
    return [f"{s} {p} {o} ." for s, p, o, _ in _article_triples(ex, mentions, statements, with_text)]


def _article_triples(ex: ArticleExtraction, mentions: list[tuple[Entity, Mention]],
                     statements: list[tuple[Relation, int, str]], with_text: bool) -> list[tuple[str, str, str, str]]:
    P, src = _P, ex.article.source_file
    g = _article_graph(ex, with_text)
    strings = _Strings(ex, g)
    for ent, m in mentions:
        node, entity = strings.node(m.start, m.end, _TYPE_MENTION), _instance(ent.iri)
        cls = _CLASS_REF.get(ent.type) or _CLASS_REF.setdefault(ent.type, _vocabulary(PA[ent.type]))
        g.update(((node, P["taIdentRef"], *entity), (node, P["taClassRef"], *cls),
                  (entity[0], P["hasMention"], node, node), (node, P["foundBy"], *_rule(m.found_by)),
                  (node, P["confidence"], *_confidence(m.confidence))))
        if 0 <= m.sentence < len(ex.sentences):
            sentence = strings.sentence(m.sentence)
            g.add((node, P["sentence"], sentence, sentence))
    for rel, index, how in statements:
        st = f"<{statement_iri(rel, src)}>"
        pred = _PREDICATE.get(rel.predicate) or _PREDICATE.setdefault(rel.predicate, _vocabulary(PA[rel.predicate]))
        g.update(((st, _A, _STATEMENT, _TURTLE[_STATEMENT]), (st, P["subject"], *_instance(rel.subject)),
                  (st, P["predicate"], *pred), (st, P["object"], *_instance(rel.object)),
                  (st, P["foundBy"], *_rule(how))))
        if 0 <= index < len(ex.sentences):
            sentence = strings.sentence(index)
            g.add((st, P["wasDerivedFrom"], sentence, sentence))
        else:                                  # background knowledge: the gazetteer
            g.add((st, P["wasDerivedFrom"], _GAZETTEER, _TURTLE[_GAZETTEER]))
    return sorted(g)


def _turtle(triples: list[tuple[str, str, str, str]]) -> str:
    """Turtle of sorted triples, as pyoxigraph writes them (one block per subject, ``;``
    between properties, ``,`` between values), with the Turtle the triples carry.

    pyoxigraph itself would first parse each triple back into Python objects: for the
    10 MB corpus's million triples of provenance, that was most of this writer's 7 s.
    tests/test_provenance.py checks that both write the same bytes.
    """
    out: list[str] = []
    subject = predicate = None
    turtle = _TURTLE
    for s, p, _, o in triples:
        if s != subject:
            if subject is not None:
                out.append(" .\n")
            name = turtle_name(s[1:-1], PREFIX_NAMES) if s.startswith(_SUBJECT_SPACES) else s
            out.append(f"{name} {turtle[p]} {o}")
            subject, predicate = s, p
        elif p != predicate:
            out.append(f" ;\n\t{turtle[p]} {o}")
            predicate = p
        else:
            out.append(f" , {o}")
    if subject is not None:
        out.append(" .\n")
    return "".join(out)


#: What ``provenance.ttl`` starts with; :func:`turtle_chunks` follow it.
HEADER = prefix_header(PREFIX_NAMES)


def turtle_chunks(extractions: list[ArticleExtraction], entities: dict[str, Entity]) -> Iterator[tuple[str, bytes]]:
    """(context IRI, Turtle without prefixes) of each article's provenance;
    ``provenance.ttl`` is :data:`HEADER` and these, in order.

    An article's provenance depends on its extraction and on its share of the resolution
    (what its mentions and relations resolved to, :func:`kg.resolve.resolve_article`),
    which depends on the extraction only, and on the type of each entity, which is the
    first article's where articles disagree (a person who is a 村民 in one and a cadre in
    another): so with a store of results (:mod:`kg.remember`) it is made once per text of
    the article, version of the pipeline and such disagreement, and a rebuild after one
    article changed redoes that article's alone.
    """
    from .resolve import resolve_article

    for ex in sorted(extractions, key=lambda ex: ex.article.source_file):
        src = ex.article.source_file
        part = ex.resolution or resolve_article(ex)
        typed = [(ep.iri, entities[ep.iri].type) for ep in part.entities if entities[ep.iri].type != ep.type]

        def made(ex=ex, part=part) -> bytes:
            found = [(entities[ep.iri], m) for ep in part.entities for m in ep.mentions]
            return ("\n" + _turtle(_article_triples(ex, found, part.relations, True))).encode("utf-8")

        body = stored("provenance", (src, ex.article.digest, pipeline_version(), repr(typed)), made) \
            if ex.article.digest else made()
        yield context_iri(src), body


def context_iri(source_file: str) -> str:
    return article_iri(source_file) + "#context"


def statement_iri(rel: Relation, source_file: str) -> str:
    key = "\t".join((rel.subject, rel.predicate, rel.object, source_file))
    return _STATEMENT_IRIS + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


_STATEMENT_IRIS = f"{PAD}statement/"


def _article_graph(ex: ArticleExtraction, with_text: bool = True) -> set[tuple[str, str, str, str]]:
    ctx, src = f"<{context_iri(ex.article.source_file)}>", ex.article.source_file
    g = {(ctx, _A, _TYPE_CONTEXT, _TURTLE[_TYPE_CONTEXT]), (ctx, _P["beginIndex"], *_count(0)),
         (ctx, _P["endIndex"], *_count(len(ex.article.raw))), (ctx, _P["sourceUrl"], *_instance(article_iri(src))),
         (ctx, _P["sourceFile"], *_literal(src))}
    if with_text:
        g.add((ctx, _P["isString"], *_literal(ex.article.raw)))
    return g


def sentence_span(ex: ArticleExtraction, index: int) -> tuple[int, int]:
    """Sentence ``index`` of ``ex`` as its ``nif:Sentence`` has it: the span in the text,
    without the line break sentence spans keep (:meth:`Article.original_span` maps it to the file)."""
    start, end = ex.sentences[index]
    text = ex.article.text
    while end > start and text[end - 1] in "\n ":
        end -= 1
    return start, end


def sentence_text(ex: ArticleExtraction, index: int) -> str:
    """Sentence ``index`` of ``ex`` as its ``nif:Sentence``'s ``nif:anchorOf`` has it: the
    text of the file on disk over :func:`sentence_span`."""
    begin, stop = ex.article.original_span(*sentence_span(ex, index))
    return ex.article.raw[begin:stop]


class _Strings:
    """The NIF strings of one article (mentions and sentences), each made once.  Their
    IRIs are the article's (pad:), which Turtle writes as N-Triples does."""

    def __init__(self, ex: ArticleExtraction, g: set[tuple[str, str, str, str]]):
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
        node, P = f"<{self.base}#char={begin},{stop}>", _P
        self.g.update(((node, _A, type_, _TURTLE[type_]), (node, P["referenceContext"], self.context, self.context),
                       (node, P["beginIndex"], *_count(begin)), (node, P["endIndex"], *_count(stop)),
                       (node, P["anchorOf"], *_literal(self.ex.article.raw[begin:stop]))))
        return node
