"""The property graph of a build: the nodes and edges graph tools (Neo4j, Gephi, yEd,
networkx) draw, and the properties each carries.

Nodes are the actors (the instances of :data:`ACTOR_CLASSES`), the key figures
(``pa:Observation``) and the articles; posts and their intervals are left out (a
cadre's posts become its ``positionTitles``).  Edges are the relations between actors,
each figure's ``refArea`` (what it is about) and ``mentionedIn`` from every actor and
figure to the articles that name it (:data:`RELATIONS`).

An edge carries what the build knows of where it was read (:class:`Evidence`): the first
sentence that states it and its file, the rules that read it and, for ``mentionedIn``,
the highest confidence of the mentions.  ``kg.ttl`` holds none of that -- it lives in the
provenance graph -- so :func:`edge_evidence` works it out from the extractions as
:mod:`kg.provenance` records it, and :func:`project` joins it to the edges.

A node's labels are its class and the ontology's pa: classes above it (:func:`labels`:
``Village;Place``, ``Cadre;Person``, ``Program``); the last is its group, which Neo4j's
files use as the ID space and graph files as a coarse partition.

The graph is read in one pass over the build's N-Triples lines, keeping only the
predicates it needs, rather than asking a triple store one question per node and
property (that took seconds on a 10 MB corpus).  Its order is fixed, so that every file
made from it is byte-identical from run to run: nodes sorted by IRI, edges by source,
target and relation.

>>> lines = ['<http://x/t> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/pakg/ontology#Township> .',
...          '<http://x/t> <http://www.w3.org/2000/01/rdf-schema#label> "伏口镇"@zh .',
...          '<http://x/v> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/pakg/ontology#Village> .',
...          '<http://x/v> <http://www.w3.org/2000/01/rdf-schema#label> "胡家坪村"@zh .',
...          '<http://x/v> <https://w3id.org/pakg/ontology#locatedIn> <http://x/t> .']
>>> graph = project(lines)
>>> [(n.id, n.label, n.cls, labels(n.cls)) for n in graph.nodes]
[('http://x/t', '伏口镇', 'Township', ('Township', 'Place')), ('http://x/v', '胡家坪村', 'Village', ('Village', 'Place'))]
>>> graph.edges[0][:3]
('http://x/v', 'http://x/t', 'locatedIn')
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from functools import cache
from typing import NamedTuple

from .iris import article_iri
from .namespaces import DCTERMS, PA, RDF, RDFS, SKOS
from .ntriples import triples
from .remember import by_runs, kept
from .records import ENTITY_TYPES, ArticleExtraction
from .vocabulary import RELATIONS as ACTOR_RELATIONS

#: Classes whose instances are the actors of the graph.
ACTOR_CLASSES = ENTITY_TYPES
#: Every class whose instances are nodes.
NODE_CLASSES = (*ACTOR_CLASSES, "Observation", "Article")
#: The predicates that are edges: between actors, a figure's area, and the articles that name a node.
RELATIONS = (*ACTOR_RELATIONS, "refArea", "mentionedIn")
#: How list properties (alternative labels, titles, rules, files) are joined into one string.
ARRAY_DELIMITER = ";"

#: Each property of a node (the fields of :class:`Node` after ``id`` and ``cls``) and its
#: type, as Neo4j's importer names types: ``string[]`` is a list joined by :data:`ARRAY_DELIMITER`.
NODE_PROPERTIES = {"label": "string", "altLabels": "string[]", "adminCode": "string", "positionTitles": "string[]",
                   "articles": "int", "indicator": "string", "value": "double", "unit": "string", "year": "int",
                   "periodStart": "int", "periodEnd": "int", "foundBy": "string", "sourceFiles": "string[]"}
#: The properties a node of each kind can have (actors: any class but these two).
KIND_PROPERTIES = {"actor": ("label", "altLabels", "adminCode", "positionTitles", "articles"),
                   "Observation": ("label", "indicator", "value", "unit", "year", "periodStart", "periodEnd",
                                   "foundBy"),
                   "Article": ("label", "sourceFiles")}
#: Each property of an edge (the fields of :class:`Edge` after the first three) and its type.
EDGE_PROPERTIES = {"evidence": "string", "sourceFile": "string", "foundBy": "string[]", "confidence": "double"}


class Node(NamedTuple):
    """One node: its IRI, its class, then its properties (:data:`NODE_PROPERTIES`), each
    as its text in the files ("" where a node has none); ``articles`` counts an actor's."""
    id: str
    cls: str
    label: str = ""
    altLabels: str = ""
    adminCode: str = ""
    positionTitles: str = ""
    articles: int | None = None
    indicator: str = ""
    value: str = ""
    unit: str = ""
    year: str = ""
    periodStart: str = ""
    periodEnd: str = ""
    foundBy: str = ""
    sourceFiles: str = ""


class Evidence(NamedTuple):
    """Where the build read an edge: the first sentence that states it (by file, then by
    place in the file; "" when only background knowledge does), that sentence's file, the
    rules that read it (joined by :data:`ARRAY_DELIMITER`) and, for ``mentionedIn``, the
    highest confidence of the node's mentions in the article (``1.00``, as provenance has it)."""
    evidence: str = ""
    sourceFile: str = ""
    foundBy: str = ""
    confidence: str = ""


class Edge(NamedTuple):
    """One edge: its ends and relation, then the fields of its :class:`Evidence`."""
    source: str
    target: str
    relation: str
    evidence: str = ""
    sourceFile: str = ""
    foundBy: str = ""
    confidence: str = ""


class PropertyGraph(NamedTuple):
    nodes: list[Node]     # sorted by id
    edges: list[Edge]     # sorted by source, target, relation


def kind(cls: str) -> str:
    """The kind of node of a class, the key of :data:`KIND_PROPERTIES`.

    >>> kind("Village"), kind("Observation")
    ('actor', 'Observation')
    """
    return cls if cls in KIND_PROPERTIES else "actor"


@cache
def labels(cls: str) -> tuple[str, ...]:
    """A class and the ontology's pa: classes above it, nearest first (``ontology/pakg.ttl``).

    >>> labels("Cadre"), labels("GovernmentBody"), labels("Program"), labels("Article")
    (('Cadre', 'Person'), ('GovernmentBody', 'Organization'), ('Program',), ('Article',))
    """
    parents = _ontology()[0]
    chain = [cls]
    while chain[-1] in parents and parents[chain[-1]] not in chain:
        chain.append(parents[chain[-1]])
    return tuple(chain)


def group(cls: str) -> str:
    """The last of a class's :func:`labels`: Place, Person, Organization, Program, Observation, Article."""
    return labels(cls)[-1]


@cache
def _ontology() -> tuple[dict[str, str], dict[str, str]]:
    """(pa: class -> the pa: class it is a subclass of, pa: term -> its Chinese skos:prefLabel)."""
    from .ontology import ONTOLOGY_FILE, read_turtle

    parents, names = {}, {}
    for t in read_turtle(ONTOLOGY_FILE):
        s, p, o = t.subject.value, t.predicate.value, t.object
        if not s.startswith(_PA):
            continue
        if p == _SUBCLASS and o.value.startswith(_PA):
            parents[s[len(_PA):]] = o.value[len(_PA):]
        elif p == _PREF_LABEL and getattr(o, "language", None) == "zh":
            names[s] = o.value
    return parents, names


def figure_label(indicator: str, value: str, unit: str, year: str, start: str, end: str) -> str:
    """How a key figure reads in a graph tool: what it measures, when, how much.

    >>> figure_label("PovertyIncidence", "3.1", "%", "2015", "", "")
    '贫困发生率 2015: 3.1%'
    >>> figure_label("PeopleLiftedOutOfPoverty", "7854", "人", "", "2015", "")
    '脱贫人口 2015-: 7854人'
    """
    when = year or (f"{start}-{end}" if start else "")
    name = _ontology()[1].get(_PA + indicator, indicator)
    return f"{name}{' ' + when if when else ''}: {value}{unit}"


_PA, _SUBCLASS, _PREF_LABEL = str(PA), str(RDFS.subClassOf), str(SKOS.prefLabel)
_TYPE, _MENTIONED = str(RDF.type), str(PA.mentionedIn)
_CLASSES = {str(PA[c]): c for c in NODE_CLASSES}
_EDGE_PREDICATES = {str(PA[r]): r for r in RELATIONS}
#: Predicates of which a node shows one value (the smallest) and of which it shows all.
_ONE = {str(RDFS.label): "label", str(DCTERMS.title): "label", str(PA.adminCode): "adminCode",
        str(PA.indicator): "indicator", str(PA.value): "value", str(PA.unit): "unit", str(PA.refYear): "year",
        str(PA.refPeriodStart): "periodStart", str(PA.refPeriodEnd): "periodEnd", str(PA.foundBy): "foundBy"}
_ALL = {str(SKOS.altLabel): "altLabels", str(PA.positionTitle): "positionTitles", str(PA.sourceFile): "sourceFiles"}
_PREDICATES = frozenset((_TYPE, *_EDGE_PREDICATES, *_ONE, *_ALL))
_NO_EVIDENCE = Evidence()


def project(lines: Iterable[str], evidence: Mapping[tuple[str, str, str], Evidence] | None = None) -> PropertyGraph:
    """The property graph of a graph's N-Triples lines (any order; a process that builds
    again, whose lines are sorted, keeps the nodes of each run of subjects for the next
    build, see :mod:`kg.remember`),
    its edges with their ``evidence`` (:func:`edge_evidence`) where given.

    A node with two labels (or admin codes, values ...), which the build never writes,
    shows the smallest.  The lines are those of a graph, each triple once (an actor's
    articles are counted).
    """
    lines = lines if isinstance(lines, list) else list(lines)
    nodes, pairs = [], {rel: [] for rel in RELATIONS}
    for run_nodes, run_pairs in by_runs("graph", lines, _nodes, size=max(1, len(lines))):
        nodes += run_nodes
        for rel in RELATIONS:
            pairs[rel] += run_pairs[rel]
    # by id (N-Triples lines sort "<a/b>" before "<a>"): runs of subjects, each sorted,
    # come nearly in order, which sorting merges in one pass (0.04 s against 0.004 at 10 MB)
    nodes.sort()
    known = {n.id for n in nodes}
    found = evidence or {}
    edges = sorted(Edge(s, o, rel, *found.get((s, rel, o), _NO_EVIDENCE))
                   for rel in RELATIONS for s, o in pairs[rel] if s in known and o in known)
    return PropertyGraph(nodes, edges)


def _nodes(lines: Iterable[str]) -> tuple[list[Node], dict[str, list[tuple[str, str]]]]:
    """The nodes the lines tell of, sorted by id, and the (subject, object) pairs of each
    relation of :data:`RELATIONS` (whose objects may be nodes of other lines)."""
    # one dict per property rather than one per node: a large graph has hundreds of
    # thousands of nodes, and a dict per node took more memory than the graph's lines
    classes: dict[str, str] = {}
    one: dict[str, dict[str, str]] = {name: {} for name in set(_ONE.values())}
    every: dict[str, dict[str, list[str]]] = {name: defaultdict(list) for name in _ALL.values()}
    pairs: dict[str, list[tuple[str, str]]] = {rel: [] for rel in RELATIONS}
    same: dict[str, str] = {}       # one string per IRI: each line's is a copy of its own, and the
    #                                 100 MB corpus's million edges held two each (~200 MB)
    for s, p, o in triples(lines, _PREDICATES):     # o: an IRI as a string, else a pyoxigraph term
        o = o if type(o) is str else o.value
        s = same.setdefault(s, s)
        if p == _TYPE:
            if o in _CLASSES:
                classes[s] = min(classes.get(s, o), o)
        elif p in _EDGE_PREDICATES:
            pairs[_EDGE_PREDICATES[p]].append((s, same.setdefault(o, o)))
        elif p in _ONE:
            values = one[_ONE[p]]
            values[s] = min(values.get(s, o), o)
        else:
            every[_ALL[p]][s].append(o)
    mentioned = Counter(s for s, _ in pairs["mentionedIn"])     # the lines of a graph are distinct triples

    def value(name: str, node: str) -> str:
        if name in one:
            return one[name].get(node, "")
        return ARRAY_DELIMITER.join(sorted(every[name].get(node, ())))

    nodes = []
    for node in sorted(classes):
        cls = _CLASSES[classes[node]]
        fields = {name: value(name, node) for name in KIND_PROPERTIES[kind(cls)] if name != "articles"}
        if cls == "Observation":
            fields["indicator"] = fields["indicator"].rsplit("#", 1)[-1]
            fields["label"] = figure_label(*(fields[k] for k in ("indicator", "value", "unit", "year", "periodStart",
                                                                  "periodEnd")))
        elif kind(cls) == "actor":
            fields["articles"] = mentioned[node]
        nodes.append(Node(node, cls, **fields))
    return nodes, {rel: sorted(set(found)) for rel, found in pairs.items()}


def edge_evidence(extractions: Iterable[ArticleExtraction]) -> dict[tuple[str, str, str], Evidence]:
    """The :class:`Evidence` of each edge the extractions state, by (source, relation, target),
    as :mod:`kg.provenance` records it: a relation's sentences are its statements'
    ``prov:wasDerivedFrom``, an entity's in an article those of its ``pa:Mention``\\ s there
    (with their ``pa:foundBy`` and ``pa:confidence``).  A process that builds again keeps
    each article's share, by the file's name and digest (:func:`kg.remember.kept`): a
    rebuild then takes 0.06 s a megabyte of corpus, against 0.16 s to make every share."""
    said: dict[tuple[str, str, str], list] = {}     # edge -> [sentence, file, rules, confidence]
    shared: dict = {}       # one object for each of the few distinct rule sets and confidences
    for ex in sorted(extractions, key=lambda ex: ex.article.source_file):
        src, digest = ex.article.source_file, ex.article.digest
        share = kept("evidence", (src, digest), lambda: _article_evidence(ex)) if digest else _article_evidence(ex)
        for key, sentence, found, most in share:
            found = shared.setdefault(found, found)
            most = shared.setdefault(most, most)
            known = said.get(key)
            if known is None:
                said[key] = [sentence, src if sentence else "", found, most]
                continue
            if not found <= known[2]:
                known[2] = shared.setdefault(known[2] | found, known[2] | found)
            if sentence and not known[0]:
                known[0], known[1] = sentence, src
            if most:
                known[3] = most
    joined = {found: ARRAY_DELIMITER.join(sorted(found)) for found in {e[2] for e in said.values()}}
    return {key: Evidence(sentence, src, joined[found], most) for key, (sentence, src, found, most) in said.items()}


def _article_evidence(ex: ArticleExtraction) -> list[tuple[tuple[str, str, str], str, frozenset[str], str]]:
    """(edge, its first sentence in the article or "", the rules that read it there, the
    highest confidence of its mentions or "") of each edge one article states."""
    from .provenance import sentence_text
    from .resolve import resolve_article

    count = len(ex.sentences)
    texts: dict[int, str] = {}

    def text(i: int) -> str:
        """Sentence ``i``'s text, one string however many edges it states."""
        if i not in texts:
            texts[i] = sentence_text(ex, i)
        return texts[i]

    part = ex.resolution or resolve_article(ex)
    article = article_iri(ex.article.source_file)
    out = []
    for ep in part.entities:
        if ep.mentions:
            placed = [m for m in ep.mentions if 0 <= m.sentence < count]
            sentence = text(min(placed, key=lambda m: m.start).sentence) if placed else ""
            out.append(((ep.iri, "mentionedIn", article), sentence, frozenset(m.found_by for m in ep.mentions),
                        f"{max(m.confidence for m in ep.mentions):.2f}"))
    said: dict[tuple[str, str, str], tuple[int, set[str]]] = {}     # edge -> (its first sentence, rules)
    for rel, index, rule in part.relations:
        key = (rel.subject, rel.predicate, rel.object)
        at, found = said.setdefault(key, (-1, set()))
        found.add(rule)
        if 0 <= index < count and (at < 0 or index < at):
            said[key] = (index, found)
    out += [(key, text(at) if at >= 0 else "", frozenset(found), "") for key, (at, found) in said.items()]
    return out
