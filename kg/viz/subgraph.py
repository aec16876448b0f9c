"""Parts of the graph worth a page of their own: a node's neighbourhood, or a SPARQL CONSTRUCT.

A county's whole story is a few hundred nodes inside a graph of thousands; ``kg viz``
renders just that part.  Either way the nodes keep everything the full graph knows about
them (type, aliases, sentences, administrative path), and the places on their paths that
fall outside the part are remembered in ``graph.graph["context"]`` so the page can still
name them.
"""
from __future__ import annotations

import difflib

import networkx as nx
import rdflib
from pyparsing import ParseException
from rdflib.plugins.sparql.parser import parseQuery

from ..namespaces import PREFIXES, RDF
from ..sparql import RemoteAccessRefused, refuse_remote_access
from .model import local_name

__all__ = ["SubgraphError", "construct", "find_node", "neighbourhood"]


class SubgraphError(Exception):
    """The focus or the query does not select anything drawable; the message says why."""


def find_node(graph: nx.MultiDiGraph, focus: str) -> str:
    """The node called ``focus``: an IRI, a ``pad:`` / ``pa:`` short IRI, a label or an alias.

    Raises :class:`SubgraphError` listing the candidates when the name is ambiguous and
    suggesting near names when there is no match.

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("https://w3id.org/pakg/id/county/a", label="涟源市", aliases=["涟源"])
    >>> find_node(g, "涟源"), find_node(g, "pad:county/a") == find_node(g, "涟源市")
    ('https://w3id.org/pakg/id/county/a', True)
    """
    key = focus.strip()
    if ":" in key and not key.startswith(("http:", "https:", "urn:")):
        prefix, rest = key.split(":", 1)
        if prefix in PREFIXES:
            key = str(PREFIXES[prefix]) + rest
    if key in graph:
        return key
    for attr in ("label", "aliases"):
        hits = sorted(n for n, a in graph.nodes(data=True)
                      if (a.get(attr) == key if attr == "label" else key in (a.get(attr) or [])))
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            listed = "; ".join(f"{graph.nodes[h].get('label')} ({graph.nodes[h].get('type')}) {h}" for h in hits[:10])
            raise SubgraphError(f"{focus!r} names {len(hits)} entities: {listed}. Give the IRI instead.")
    names = sorted({a.get("label") for _, a in graph.nodes(data=True) if a.get("label")}
                   | {x for _, a in graph.nodes(data=True) for x in a.get("aliases") or []})
    close = difflib.get_close_matches(focus, names, n=5, cutoff=0.5)
    hint = f" Did you mean: {', '.join(close)}?" if close else ""
    raise SubgraphError(f"no entity is called {focus!r} (label, alias or IRI).{hint}")


def _with_context(full: nx.MultiDiGraph, part: nx.MultiDiGraph) -> nx.MultiDiGraph:
    context = {}
    for _, a in part.nodes(data=True):
        for p in list(a.get("path") or []) + list(a.get("counties") or []):
            if p not in part and p in full:
                context[p] = (full.nodes[p].get("label") or p, full.nodes[p].get("type") or "Other")
    part.graph["context"] = dict(sorted(context.items()))
    return part


def neighbourhood(graph: nx.MultiDiGraph, focus: str, depth: int = 2) -> nx.MultiDiGraph:
    """Everything within ``depth`` relations of ``focus`` (either direction), with the relations among it.

    >>> g = nx.MultiDiGraph()
    >>> for n in "abcd": g.add_node(n, label=n)
    >>> g.add_edge("a", "b", key="locatedIn", relation="locatedIn"); g.add_edge("c", "b", key="servesIn", relation="servesIn")
    'locatedIn'
    'servesIn'
    >>> sorted(neighbourhood(g, "a", 1)), sorted(neighbourhood(g, "a", 2))
    (['a', 'b'], ['a', 'b', 'c'])
    """
    if depth < 0:
        raise SubgraphError(f"depth must be 0 or more, not {depth}")
    node = find_node(graph, focus)
    keep = nx.single_source_shortest_path_length(graph.to_undirected(as_view=True), node, cutoff=depth)
    part = graph.subgraph(sorted(keep)).copy()
    part.graph["focus"] = node
    return _with_context(graph, part)


def check_construct(query: str, source: str = "query") -> None:
    """Raise :class:`SubgraphError` unless ``query`` is a CONSTRUCT (or DESCRIBE) query that
    reads nothing from elsewhere (rdflib would fetch SERVICE and FROM URLs); it needs no
    graph, so ``kg viz`` says so before it reads a build."""
    try:
        refuse_remote_access(query, also=("FROM",))
    except RemoteAccessRefused as exc:
        raise SubgraphError(f"{source}: {exc}") from None
    try:
        parsed = parseQuery(query)
    except ParseException as exc:
        raise SubgraphError(f"{source}: not valid SPARQL: {str(exc).splitlines()[0] if str(exc) else exc}") from None
    kind = parsed[1].name if len(parsed) > 1 else ""
    if kind not in ("ConstructQuery", "DescribeQuery"):
        raise SubgraphError(f"{source}: a {kind.replace('Query', '') or 'non'} query; kg viz needs a CONSTRUCT query")


def construct(kg: rdflib.Graph, graph: nx.MultiDiGraph, query: str, source: str = "query") -> nx.MultiDiGraph:
    """The entities and relations a SPARQL CONSTRUCT query over ``kg`` produces.

    Nodes are the query's subjects and objects that are entities of ``graph`` (the full
    networkx model of ``kg``), with all their attributes; edges are the constructed triples
    between them, named by their predicate's local name (a constructed predicate the
    ontology does not have is drawn all the same).  ``source`` names the query in errors.
    """
    check_construct(query, source)
    try:
        result = kg.query(query, initNs={p: ns for p, ns in PREFIXES.items()})
    except Exception as exc:  # noqa: BLE001 -- rdflib reports e.g. an unknown prefix as a bare Exception
        raise SubgraphError(f"{source}: the query failed: {exc}") from None
    triples = sorted(result.graph if result.graph is not None else [], key=lambda t: tuple(map(str, t)))
    keep = {str(t) for s, _p, o in triples for t in (s, o) if str(t) in graph}
    if not keep:
        raise SubgraphError(f"{source}: the query constructed {len(triples)} triples, none about an entity of the graph")
    part = nx.MultiDiGraph()
    for n in sorted(keep):
        part.add_node(n, **graph.nodes[n])
    for s, p, o in triples:
        u, v, rel = str(s), str(o), local_name(p)
        if p == RDF.type or u not in keep or v not in keep or part.has_edge(u, v, key=rel):
            continue
        data = dict(graph.edges[u, v, rel]) if graph.has_edge(u, v, key=rel) else {"relation": rel}
        part.add_edge(u, v, key=rel, **data)
    ordered = nx.MultiDiGraph()  # nodes and edges in sorted order, as everywhere else
    ordered.add_nodes_from(sorted(part.nodes(data=True)))
    ordered.add_edges_from(sorted(part.edges(keys=True, data=True), key=lambda e: e[:3]))
    return _with_context(graph, ordered)
