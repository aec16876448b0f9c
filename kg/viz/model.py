"""The knowledge graph as a networkx graph: what the explorer draws and ``kg stats`` measures.

``to_networkx`` turns a build (the contract in ``shared/spec/CONTRACT.md``) into a
:class:`networkx.MultiDiGraph` of entities and the relations between them.  Given the
build's provenance graph (``provenance.ttl``: ``pa:hasMention`` → ``nif:sentence`` →
``nif:anchorOf``, and reified statements ``prov:wasDerivedFrom`` a sentence) every node
and edge also carries the sentences it was read from, so a reader can check a fact
against its source without leaving the page.

Each node also knows where it sits: its administrative path (村 → 镇 → 县 → 市 → 省
along ``pa:locatedIn``; for people, from the unit they serve in or live in) and its
counties, which the explorer's county filter and ``kg stats`` use.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import networkx as nx
import rdflib
from rdflib import Literal, URIRef
from rdflib.exceptions import ParserError

from ..namespaces import DCTERMS, NIF, PA, PROV, RDF, RDFS, SKOS, TIME
from .style import CLASSES, PLACE_LEVELS, TYPE_ALIASES

__all__ = ["BuildFilesError", "assemble", "entity_nodes", "load_build", "local_name", "to_networkx"]

_CLASS_IRIS = {PA[c]: c for c in CLASSES}
_LEVEL = {c: i for i, c in enumerate(PLACE_LEVELS)}
_ANCHORS = {"Cadre": "servesIn", "Resident": "residentOf"}


class BuildFilesError(Exception):
    """A build folder that cannot be read; the message names the file and the problem."""


def local_name(term: Any) -> str:
    """The last segment of an IRI, percent-decoded.

    >>> local_name("https://w3id.org/pakg/ontology#servesIn"), local_name("https://w3id.org/pakg/id/county/x")
    ('servesIn', 'x')
    """
    s = str(term)
    for sep in ("#", "/", ":"):
        if sep in s.rstrip(sep):
            s = s.rstrip(sep).rsplit(sep, 1)[1]
            break
    return unquote(s)


def _number(value: Any) -> str:
    """A number as written the same way however the graph was made (``0.0`` and ``0`` alike).

    >>> from rdflib.namespace import XSD
    >>> _number(Literal("18.30", datatype=XSD.decimal)), _number(Literal("0.0", datatype=XSD.decimal))
    ('18.3', '0')
    """
    try:
        d = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    text = format(d.normalize(), "f") if d.is_finite() else str(value)
    return "0" if text in ("-0", "0") else text


def _lang_rank(lit: Literal) -> int:
    lang = (lit.language or "").lower()
    return 0 if lang == "zh" else 1 if lang.startswith("zh") else 2 if not lang else 3


def _best_literal(values: Iterable[Any]) -> str | None:
    lits = [v for v in values if isinstance(v, Literal) and str(v).strip()]
    if not lits:
        return None
    return str(min(lits, key=lambda v: (_lang_rank(v), str(v))))


class _TypeResolver:
    """Maps an rdf:type to one of the eleven classes (walking rdfs:subClassOf in the graph)."""

    def __init__(self, g: rdflib.Graph):
        self.g = g
        self.cache: dict[Any, tuple[str | None, int]] = {}

    def resolve(self, t: Any) -> tuple[str | None, int]:
        """-> (class local name or None, how sure: 0 direct, 1 via subClassOf, 2 by name)."""
        if t not in self.cache:
            self.cache[t] = self._resolve(t)
        return self.cache[t]

    def _resolve(self, t: Any) -> tuple[str | None, int]:
        if t in _CLASS_IRIS:
            return _CLASS_IRIS[t], 0
        seen = {t}
        frontier = [t]
        while frontier:  # breadth first: the nearest of the eleven wins
            nxt, hits = [], []
            for c in frontier:
                for sup in sorted(self.g.objects(c, RDFS.subClassOf), key=str):
                    if sup in seen:
                        continue
                    seen.add(sup)
                    if sup in _CLASS_IRIS:
                        hits.append(_CLASS_IRIS[sup])
                    nxt.append(sup)
            if hits:
                return min(hits, key=CLASSES.index), 1
            frontier = nxt
        name = local_name(t)
        if name in TYPE_ALIASES:
            return TYPE_ALIASES[name], 2
        for c in CLASSES:  # e.g. pa:AutonomousCounty
            if name.endswith(c) and isinstance(t, URIRef) and str(t).startswith(str(PA)):
                return c, 2
        return None, 3


# --------------------------------------------------------------------------------------
# provenance: the sentences behind entities and relations

class Sentences:
    """The sentences behind entities and relations, as :func:`to_networkx` attaches them.

    :class:`_Sentences` reads them from a provenance graph; the build's page gets the same
    from its extractions (:class:`kg.viz.evidence.ExtractionSentences`) without making the
    graph.
    """

    def of_entity(self, entity: Any) -> tuple[int, list[dict]]:
        """(number of mentions, the sentences they are in with the mentions' spans as ``marks``)."""
        raise NotImplementedError

    def of_statements(self) -> dict[tuple[str, str, str], tuple[list[dict], bool]]:
        """(subject, relation, object) -> (sentences it was derived from, whether the gazetteer says so)."""
        raise NotImplementedError


class _Sentences(Sentences):
    """Reads sentences out of a provenance graph (NIF), one record per sentence node.

    Each property is read for every node at once (one query per property, not one per
    node): a build's page asks for the sentences of a thousand entities and ten thousand
    relations, and per-node lookups cost more than the rest of the page together.
    """

    def __init__(self, prov: rdflib.Graph):
        self.anchor, self.begin, self.end, self.context, self.in_sentence = (
            _one_object(prov, p) for p in (NIF.anchorOf, NIF.beginIndex, NIF.endIndex,
                                              NIF.referenceContext, NIF.sentence))
        self.source_files = _all_objects(prov, PA.sourceFile)
        self.mentions = _all_objects(prov, PA.hasMention)
        self.prov = prov
        self.cache: dict[Any, dict | None] = {}
        self.files: dict[Any, str] = {}

    def file_of(self, ctx: Any) -> str:
        if ctx not in self.files:
            f = _best_literal(self.source_files.get(ctx, ()))
            if f is None:  # <.../article/000_x#context>: fall back to the article's local name
                f = local_name(str(ctx).split("#", 1)[0])
            self.files[ctx] = f
        return self.files[ctx]

    def sentence(self, node: Any) -> dict | None:
        """{file, begin, end, text} of a nif:String, or None when it says too little."""
        if node not in self.cache:
            text, begin, ctx = self.anchor.get(node), self.begin.get(node), self.context.get(node)
            if text is None or begin is None or ctx is None:
                self.cache[node] = None
            else:
                b = int(begin.toPython())
                self.cache[node] = {"file": self.file_of(ctx), "begin": b, "end": b + len(str(text)),
                                    "text": str(text)}
        return self.cache[node]

    def of_entity(self, entity: Any) -> tuple[int, list[dict]]:
        """(number of mentions, the sentences they are in with the mentions' spans as ``marks``)."""
        mentions = self.mentions.get(entity, ())
        by_sentence: dict[tuple, dict] = {}
        for m in mentions:
            node = self.in_sentence.get(m)
            s = self.sentence(node) if node is not None else None
            if s is None:
                continue
            key = (s["file"], s["begin"], s["end"])
            rec = by_sentence.setdefault(key, dict(s, marks=set()))
            mb, me = self.begin.get(m), self.end.get(m)
            if mb is not None and me is not None:
                lo, hi = int(mb.toPython()) - s["begin"], int(me.toPython()) - s["begin"]
                if 0 <= lo < hi <= len(s["text"]):
                    rec["marks"].add((lo, hi))
        out = []
        for key in sorted(by_sentence):
            rec = by_sentence[key]
            out.append(dict(rec, marks=[list(x) for x in sorted(rec["marks"])]))
        return len(mentions), out

    def of_statements(self) -> dict[tuple[str, str, str], tuple[list[dict], bool]]:
        """(subject, relation, object) -> (sentences it was derived from, whether the gazetteer says so)."""
        p = self.prov
        subjects, predicates, objects = (_one_object(p, x) for x in (RDF.subject, RDF.predicate, RDF.object))
        derived = _all_objects(p, PROV.wasDerivedFrom)
        found: dict[tuple[str, str, str], tuple[dict, list]] = {}
        gazetteer = PA.Gazetteer
        for st in p.subjects(RDF.type, RDF.Statement):
            s, pr, o = subjects.get(st), predicates.get(st), objects.get(st)
            if s is None or pr is None or o is None:
                continue
            sentences, flags = found.setdefault((str(s), local_name(pr), str(o)), ({}, []))
            for d in derived.get(st, ()):
                if d == gazetteer:
                    flags.append(True)
                    continue
                rec = self.sentence(d)
                if rec is not None:
                    sentences[(rec["file"], rec["begin"], rec["end"])] = rec
        return {k: ([v[0][x] for x in sorted(v[0])], bool(v[1])) for k, v in found.items()}


def _all_objects(g: rdflib.Graph, predicate: Any) -> dict[Any, list]:
    """subject -> its objects of ``predicate``, for every subject at once."""
    out: dict[Any, list] = {}
    for s, o in g.subject_objects(predicate):
        out.setdefault(s, []).append(o)
    return out


def _one_object(g: rdflib.Graph, predicate: Any) -> dict[Any, Any]:
    """subject -> one of its objects of ``predicate`` (as ``g.value(subject, predicate)``), for every subject."""
    return dict(g.subject_objects(predicate))


# --------------------------------------------------------------------------------------
# RDF -> networkx

def to_networkx(g: rdflib.Graph, provenance: rdflib.Graph | Sentences | None = None) -> nx.MultiDiGraph:
    """Entities as nodes (key: the IRI string), relations as edges (key: relation local name).

    Node attributes: ``label``, ``type`` (one of the eleven class local names; for a type that
    neither is one of them nor reaches one through ``rdfs:subClassOf`` in ``g``, its local
    name), ``aliases`` (sorted list), ``articles`` (sorted list of ``pa:sourceFile`` names),
    ``article_titles`` ({file: dcterms:title}), ``titles`` (sorted ``pa:positionTitle`` list),
    ``background`` (bool: no ``pa:mentionedIn``), ``observations`` (sorted list of
    ``{"indicator", "year", "value"}`` dicts for the ``pa:Observation`` s about that area),
    ``path`` (the administrative path upwards, node keys, nearest first), ``counties`` (sorted
    node keys), ``mentions`` (number of ``pa:hasMention`` in ``provenance``) and ``sentences``
    (sorted ``{"file", "begin", "end", "text", "marks"}`` dicts; ``marks`` are the mentions'
    ``[start, end)`` inside ``text``).

    Edge attributes: ``relation`` ("locatedIn" ...), ``sentences`` (as for nodes, without
    ``marks``) and ``gazetteer`` (the relation comes from the administrative-division table):
    every triple between two entities other than ``rdf:type``.  Deterministic: nodes and
    edges are added in sorted order.

    ``provenance`` is the provenance graph, or :class:`Sentences` that answer for it.
    """
    sentences = provenance if isinstance(provenance, Sentences) else \
        _Sentences(provenance) if provenance is not None else None
    nodes, links = entity_nodes(g, sentences)
    return assemble(nodes, links, sentences.of_statements() if sentences else {})


def entity_nodes(g: rdflib.Graph, sentences: Sentences | None = None) -> tuple[dict[str, dict], list[tuple]]:
    """The node attributes :func:`to_networkx` gives each entity of ``g`` (but ``path`` and
    ``counties``, which :func:`assemble` fills), and the links out of them: (subject key,
    object term, predicate term) of every triple but ``rdf:type`` whose object is no literal.

    An entity's attributes depend only on its own triples, those of the articles it is
    mentioned in and of the observations about it, and its sentences: a process that
    builds again makes them for the entities an edit touched (:mod:`kg.viz.incremental`).
    """
    resolver = _TypeResolver(g)

    # 1. which subjects are entities, and of which class
    candidates: dict[Any, list[tuple[int, int, str]]] = {}
    for s, t in g.subject_objects(RDF.type):
        if isinstance(s, Literal):
            continue
        cls, how = resolver.resolve(t)
        if cls is not None:
            candidates.setdefault(s, []).append((how, CLASSES.index(cls), cls))
        elif (isinstance(t, URIRef) and str(t).startswith(str(PA))
              and t not in (PA.Article, PA.Observation) and (s, PA.mentionedIn, None) in g):
            # an unknown pa: class: an entity only if it was found in text
            candidates.setdefault(s, []).append((how, len(CLASSES), local_name(t)))
    entity_type = {s: min(v)[2] for s, v in candidates.items()}

    # 2. articles
    source_files, article_titles = _all_objects(g, PA.sourceFile), _all_objects(g, DCTERMS.title)
    article_cache: dict[Any, tuple[str, str | None]] = {}

    def article(a: Any) -> tuple[str, str | None]:
        if a not in article_cache:
            f = _best_literal(source_files.get(a, ())) or local_name(a)
            article_cache[a] = (f, _best_literal(article_titles.get(a, ())))
        return article_cache[a]

    # 3. observations by area
    observations: dict[Any, list[dict[str, str | None]]] = {}
    areas = [(obs, area) for obs, area in g.subject_objects(PA.refArea) if area in entity_type]
    if areas:
        values, indicators, years = (_one_object(g, p) for p in (PA.value, PA.indicator, PA.refYear))
    for obs, area in areas:
        value = values.get(obs)
        if value is None:
            continue
        ind, year = indicators.get(obs), years.get(obs)
        observations.setdefault(area, []).append({
            "indicator": local_name(ind) if ind is not None else "",
            "year": (str(year).strip() or None) if year is not None else None,
            "value": _number(value),
        })

    nodes: dict[str, dict] = {}
    links: list[tuple] = []
    a_type = RDF.type
    for s in sorted(entity_type, key=str):
        key = str(s)
        props: dict[Any, list] = {}
        for p, o in g.predicate_objects(s):
            props.setdefault(p, []).append(o)
            if p != a_type and not isinstance(o, Literal):
                links.append((key, o, p))
        label = _best_literal(props.get(RDFS.label, ())) or local_name(s)
        aliases = sorted({str(a) for a in props.get(SKOS.altLabel, ()) if str(a).strip()} - {label})
        arts = [article(a) for a in props.get(PA.mentionedIn, ())]
        files = sorted({f for f, _ in arts})
        art_titles = {f: t for f, t in sorted(arts, key=lambda x: (x[0], x[1] or "")) if t}
        titles = sorted({str(t) for t in props.get(PA.positionTitle, ()) if str(t).strip()})
        tenures = sorted({t for post in props.get(PA.holds, ()) if (t := _tenure(g, post))})
        obs = sorted({json.dumps(o, sort_keys=True) for o in observations.get(s, [])},
                     key=lambda o: (json.loads(o)["indicator"], json.loads(o)["year"] or "", o))
        mentions, sents = sentences.of_entity(s) if sentences else (0, [])
        nodes[key] = dict(label=label, type=entity_type[s], aliases=aliases, articles=files,
                          article_titles=art_titles, titles=titles, background=not arts,
                          **({"tenures": tenures} if tenures else {}),
                          observations=[json.loads(o) for o in obs], iri=key,
                          mentions=mentions, sentences=sents, path=[], counties=[], term=s)
    return nodes, links


def _tenure(g, post) -> str | None:
    """A dated post as one line for the explorer: 第一书记 · 胡家坪村 · 2018-03 至今, or None
    when no article dates it (a post left has an end: 2015-07 至 2018-01)."""
    interval = g.value(post, PA.heldDuring)
    if interval is None:
        return None

    def date(instant) -> str | None:
        value = instant is not None and (g.value(instant, TIME.inXSDgYearMonth) or g.value(instant, TIME.inXSDgYear))
        return str(value) if value else None

    start, end = date(g.value(interval, TIME.hasBeginning)), date(g.value(interval, TIME.hasEnd))
    if start is None:
        return None
    unit = g.value(post, PA.postIn)
    unit_label = _best_literal(g.objects(unit, RDFS.label)) if unit is not None else None
    title = _best_literal(g.objects(post, RDFS.label))
    span = f"{start} 至 {end}" if end else f"{start} 起"
    return " · ".join(x for x in (title, unit_label, span) if x)


def assemble(nodes: dict[str, dict], links: list[tuple],
             evidence: dict[tuple[str, str, str], tuple[list[dict], bool]]) -> nx.MultiDiGraph:
    """The graph of :func:`entity_nodes`' nodes (copies of their attributes), the links
    between two of them as edges, with their sentences from ``evidence``
    (:meth:`Sentences.of_statements`), and the nodes' places."""
    out = nx.MultiDiGraph()
    terms = {a["term"] for a in nodes.values()}
    for key in sorted(nodes):
        out.add_node(key, **node_attributes(nodes[key]))
    names: dict[Any, str] = {}         # of the few predicates, once each
    for u, v, rel in sorted({(u, str(o), names.get(p) or names.setdefault(p, local_name(p)))
                             for u, o, p in links if o in terms}):
        sents, gazetteer = evidence.get((u, rel, v), ([], False))
        out.add_edge(u, v, key=rel, relation=rel, sentences=sents, gazetteer=gazetteer)
    _place(out)
    return out


def node_attributes(made: dict) -> dict:
    """A node's attributes in the graph: what :func:`entity_nodes` made of it but its term."""
    return {k: v for k, v in made.items() if k != "term"}


# --------------------------------------------------------------------------------------
# where each node sits

def _parent(graph: nx.MultiDiGraph, node: str) -> str | None:
    """The nearest place above ``node`` along pa:locatedIn (the most specific one, then by key)."""
    level = _LEVEL.get(graph.nodes[node]["type"], len(PLACE_LEVELS))
    best = None
    for _, v, rel in graph.out_edges(node, keys=True):
        lv = _LEVEL.get(graph.nodes[v]["type"])
        if rel != "locatedIn" or lv is None or lv >= level:
            continue
        if best is None or (-lv, v) < best:
            best = (-lv, v)
    return best[1] if best else None


def _upwards(parent: dict[str, str | None], node: str) -> list[str]:
    path, seen, cur = [], {node}, parent[node]
    while cur is not None and cur not in seen:
        path.append(cur)
        seen.add(cur)
        cur = parent[cur]
    return path


def _place(graph: nx.MultiDiGraph) -> None:
    """Fill ``path`` and ``counties``: people hang from the unit they serve in or live in;
    programs belong to the counties of whoever implements them."""
    parent = {n: _parent(graph, n) for n in graph}
    up = {n: _upwards(parent, n) for n in graph}
    for n, a in graph.nodes(data=True):
        rel = _ANCHORS.get(a["type"])
        if rel is None:
            a["path"] = up[n]
            continue
        units = sorted(v for _, v, k in graph.out_edges(n, keys=True) if k == rel)
        if units:  # the unit with the longest way up (the most specific), then by key
            unit = min(units, key=lambda u: (-len(up[u]), u))
            a["path"] = [unit] + up[unit]
    for n, a in graph.nodes(data=True):
        own = [x for x in [n] + a["path"] if graph.nodes[x]["type"] == "County"]
        a["counties"] = own[:1]
    for n, a in graph.nodes(data=True):
        if a["type"] == "Program":
            a["counties"] = sorted({c for u, _, k in graph.in_edges(n, keys=True) if k == "implements"
                                    for c in graph.nodes[u]["counties"]})


# --------------------------------------------------------------------------------------
# reading a build folder

def load_build(build_dir: Path) -> tuple[rdflib.Graph, rdflib.Graph | None]:
    """(kg.ttl with ontology.ttl, provenance.ttl or None) of a ``kg build`` output folder.

    Raises :class:`BuildFilesError` naming the file when kg.ttl is missing or a file does
    not parse; provenance.ttl and ontology.ttl are optional.
    """
    build_dir = Path(build_dir)
    kg_path = build_dir / "kg.ttl"
    if not kg_path.is_file():
        raise BuildFilesError(f"{kg_path} does not exist: not a build folder (run kg build first)")
    g = rdflib.Graph()
    _parse(g, kg_path)
    if (build_dir / "ontology.ttl").is_file():
        _parse(g, build_dir / "ontology.ttl")
    prov = None
    if (build_dir / "provenance.ttl").is_file():
        prov = _parse(rdflib.Graph(), build_dir / "provenance.ttl")
    return g, prov


def _parse(g: rdflib.Graph, path: Path) -> rdflib.Graph:
    try:
        return g.parse(path, format="turtle")
    except (SyntaxError, ValueError, OSError, ParserError) as exc:  # BadSyntax is a SyntaxError
        why = getattr(exc, "_why", None)  # rdflib's BadSyntax: the reason and the line, without the dump
        if why is not None:
            detail = f"line {getattr(exc, 'lines', 0) + 1}: {why}"
        else:
            detail = next((x for x in str(exc).splitlines() if x.strip()), type(exc).__name__)
        raise BuildFilesError(f"{path} is not valid Turtle: {detail}") from None
