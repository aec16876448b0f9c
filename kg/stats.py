"""Network analytics of a build: who is connected to whom, who reaches where, which programs cross counties.

Plain functions over the networkx model of a build (:func:`kg.viz.to_networkx`), each
returning JSON-ready lists and dicts in a fixed order, so that ``kg stats --json`` is
byte-identical for the same build.  The measures are chosen to mean something on the
small graphs a few articles make, where most people and firms hang from a single unit:
degree per class rather than one ranking of counties, the villages and counties an actor
touches, the programs several counties share, and betweenness only where it is not zero.
:func:`example_graph` is the seven-node graph in the model's shape that the examples use.

>>> g = example_graph()
>>> summary(g)["entities"], summary(g)["relations"]
(7, 8)
"""
from __future__ import annotations

from collections import Counter

import networkx as nx

from .viz.programs import KINDS, is_minor, program_kind
from .viz.style import CLASSES
from .vocabulary import ORG_TYPES, PERSON_TYPES

__all__ = [
    "ACTOR_TYPES",
    "AGENT_TYPES",
    "bridging_programs",
    "brokers",
    "components",
    "degree_by_type",
    "example_graph",
    "most_connected",
    "program_kinds",
    "reach",
    "summary",
]

#: Who acts: people, organisations and the local governments of counties, townships and
#: villages.  Programs are what they act on; provinces and prefectures are mostly background.
ACTOR_TYPES = ("County", "Township", "Village", *PERSON_TYPES, *ORG_TYPES)
#: The actors that are no place: whose reach over villages and counties says something.
AGENT_TYPES = (*PERSON_TYPES, *ORG_TYPES)

#: Above this many nodes betweenness is estimated from a seeded sample of sources.
EXACT_BETWEENNESS = 2000
BETWEENNESS_SAMPLE = 500
SEED = 42


def example_graph() -> nx.MultiDiGraph:
    """Two counties, a township, a village, a cadre serving in a village of one county and in the other
    county, an enterprise, and a program both counties run."""
    g = nx.MultiDiGraph()
    for key, label, typ, counties in (("c1", "甲县", "County", ["c1"]), ("c2", "乙县", "County", ["c2"]),
                                      ("t", "丙镇", "Township", ["c1"]), ("v", "丁村", "Village", ["c1"]),
                                      ("k", "王书记", "Cadre", ["c1"]), ("e", "戊公司", "Enterprise", ["c2"]),
                                      ("p", "产业扶贫", "Program", ["c1", "c2"])):
        g.add_node(key, label=label, type=typ, counties=counties, background=False)
    for u, v, rel in (("t", "c1", "locatedIn"), ("v", "t", "locatedIn"), ("k", "v", "servesIn"),
                      ("k", "c2", "servesIn"), ("e", "c2", "locatedIn"), ("c1", "p", "implements"),
                      ("c2", "p", "implements"), ("e", "p", "implements")):
        g.add_edge(u, v, key=rel, relation=rel)
    return g


def _type(graph: nx.MultiDiGraph, n) -> str:
    return str(graph.nodes[n].get("type") or "Other")


def _label(graph: nx.MultiDiGraph, n) -> str:
    return str(graph.nodes[n].get("label") or n)


def _type_order(t: str) -> tuple:
    return (CLASSES.index(t) if t in CLASSES else len(CLASSES), t)


def _labels(graph: nx.MultiDiGraph, keys) -> list[str]:
    """The labels of ``keys`` in label order (keys not in the graph as they are)."""
    return [_label(graph, c) if c in graph else str(c)
            for c in sorted(keys, key=lambda c: (_label(graph, c) if c in graph else str(c), str(c)))]


def degree_by_type(graph: nx.MultiDiGraph) -> list[dict]:
    """Per class: how many entities, read in the articles or from background knowledge,
    how many have no relation at all, and their relations (in and out): on average, and
    the most any has, with who has it.

    >>> [(r["type"], r["entities"], r["mean_degree"], r["max_degree"], r["top"]) for r in degree_by_type(example_graph())][:2]
    [('County', 2, 2.5, 3, '乙县'), ('Township', 1, 2.0, 2, '丙镇')]
    """
    members: dict[str, list] = {}
    for n in graph:
        members.setdefault(_type(graph, n), []).append(n)
    rows = []
    for t in sorted(members, key=_type_order):
        ns = members[t]
        top = min(ns, key=lambda n: (-graph.degree(n), _label(graph, n), str(n)))
        background = sum(bool(graph.nodes[n].get("background")) for n in ns)
        rows.append({"type": t, "entities": len(ns), "in_text": len(ns) - background, "background": background,
                     "isolated": sum(graph.degree(n) == 0 for n in ns),
                     "mean_degree": round(sum(graph.degree(n) for n in ns) / len(ns), 2),
                     "max_degree": graph.degree(top), "top": _label(graph, top) if graph.degree(top) else ""})
    return rows


def most_connected(graph: nx.MultiDiGraph, k: int = 10, types: tuple[str, ...] | None = ACTOR_TYPES) -> list[dict]:
    """The ``k`` entities of ``types`` (None: any) with the most relations, in or out; an
    entity with none is not listed.  Ties are broken by label, then IRI.

    >>> [(x["label"], x["degree"]) for x in most_connected(example_graph(), k=3)]
    [('乙县', 3), ('丁村', 2), ('丙镇', 2)]
    """
    rows = [{"iri": str(n), "label": _label(graph, n), "type": _type(graph, n), "degree": graph.degree(n)}
            for n in graph if (types is None or _type(graph, n) in types) and graph.degree(n)]
    rows.sort(key=lambda r: (-r["degree"], r["label"], r["iri"]))
    return rows[:k]


def _above(graph: nx.MultiDiGraph, place) -> set:
    """The place and every place it lies in, along pa:locatedIn."""
    seen, todo = {place}, [place]
    while todo:
        for _, up, rel in graph.out_edges(todo.pop(), keys=True):
            if rel == "locatedIn" and up not in seen:
                seen.add(up)
                todo.append(up)
    return seen


def reach(graph: nx.MultiDiGraph, k: int = 10, types: tuple[str, ...] = AGENT_TYPES) -> list[dict]:
    """The ``k`` people and organisations that touch the most counties, then villages: the
    places they are related to (serve in, live in, lie in …) and those these lie in.  Who
    touches no village or county is not listed.

    >>> [(x["label"], x["counties"], x["villages"]) for x in reach(example_graph())]
    [('王书记', ['乙县', '甲县'], ['丁村']), ('戊公司', ['乙县'], [])]
    """
    rows = []
    for n in graph:
        if _type(graph, n) not in types:
            continue
        places = set()
        for x in (*graph.successors(n), *graph.predecessors(n)):
            places |= _above(graph, x)
        counties = [p for p in places if _type(graph, p) == "County"]
        villages = [p for p in places if _type(graph, p) == "Village"]
        if counties or villages:
            rows.append({"iri": str(n), "label": _label(graph, n), "type": _type(graph, n),
                         "n_counties": len(counties), "n_villages": len(villages),
                         "counties": _labels(graph, counties), "villages": _labels(graph, villages)})
    rows.sort(key=lambda r: (-r["n_counties"], -r["n_villages"], r["label"], r["iri"]))
    return rows[:k]


def components(graph: nx.MultiDiGraph, k: int = 5) -> dict:
    """Weakly connected components: how many, their sizes, and the ``k`` largest with their hub.

    >>> c = components(example_graph())
    >>> c["count"], c["sizes"], c["largest"][0]["hub"]
    (1, [7], '乙县')
    """
    comps = sorted((sorted(c, key=str) for c in nx.weakly_connected_components(graph)),
                   key=lambda c: (-len(c), str(c[0])))
    largest = []
    for c in comps[:k]:
        hub = min(c, key=lambda n: (-graph.degree(n), _label(graph, n), str(n)))
        types = Counter(_type(graph, n) for n in c)
        largest.append({"size": len(c), "hub": _label(graph, hub), "hub_iri": str(hub),
                        "types": {t: types[t] for t in sorted(types, key=_type_order)}})
    return {"count": len(comps), "sizes": [len(c) for c in comps], "isolated": sum(1 for c in comps if len(c) == 1),
            "largest": largest}


def _program_counties(graph: nx.MultiDiGraph, n) -> set:
    """The counties of a program: its own (the model's ``counties``) and those of whoever implements it."""
    counties = set(graph.nodes[n].get("counties") or [])
    for u, _, rel in graph.in_edges(n, keys=True):  # also when the model has no 'counties'
        if rel == "implements":
            counties.update(c for c in graph.nodes[u].get("counties") or [] if c in graph)
    return counties


def bridging_programs(graph: nx.MultiDiGraph, min_counties: int = 2) -> list[dict]:
    """Programs implemented in at least ``min_counties`` counties (by a county itself, or by a
    unit located in it), most counties first.

    >>> [(x["label"], x["counties"]) for x in bridging_programs(example_graph())]
    [('产业扶贫', ['乙县', '甲县'])]
    """
    rows = []
    for n in graph:
        if _type(graph, n) != "Program":
            continue
        counties = _program_counties(graph, n)
        if len(counties) >= min_counties:
            named = sorted(counties, key=lambda c: (_label(graph, c) if c in graph else str(c), str(c)))
            rows.append({"iri": str(n), "label": _label(graph, n), "n_counties": len(counties),
                         "counties": _labels(graph, counties), "county_iris": [str(c) for c in named]})
    rows.sort(key=lambda r: (-r["n_counties"], r["label"], r["iri"]))
    return rows


def program_kinds(graph: nx.MultiDiGraph) -> list[dict]:
    """Programs per kind (:mod:`kg.viz.programs`), in the kinds' order: how many, how many
    are minor (one article, one county), how many two or more counties share, and the
    counties that run any of them.

    >>> program_kinds(example_graph())
    [{'kind': '产业扶贫', 'programs': 1, 'minor': 0, 'shared': 1, 'counties': 2}]
    """
    found: dict[str, list] = {}
    for n, a in graph.nodes(data=True):
        if _type(graph, n) == "Program":
            found.setdefault(program_kind(_label(graph, n), a.get("aliases") or ()), []).append(n)
    rows = []
    for kind in (k for k in KINDS if k in found):
        counties = [_program_counties(graph, n) for n in found[kind]]
        rows.append({"kind": kind, "programs": len(found[kind]),
                     "minor": sum(is_minor({**graph.nodes[n], "counties": c})
                                  for n, c in zip(found[kind], counties)),
                     "shared": sum(len(c) >= 2 for c in counties), "counties": len(set().union(*counties))})
    return rows


def brokers(graph: nx.MultiDiGraph, k: int | None = 10, types: tuple[str, ...] = ACTOR_TYPES,
            digits: int = 6) -> list[dict]:
    """The ``k`` entities of ``types`` (None: all) with the highest betweenness centrality
    (normalised, on the undirected graph of all relations), rounded to ``digits``; those on
    no shortest path between two others (betweenness 0) are not listed.

    Brokers score high: a cadre serving in two villages links their worlds.  Exact up to
    :data:`EXACT_BETWEENNESS` nodes, estimated from a seeded sample of sources beyond.

    >>> [(x["label"], x["type"], x["betweenness"]) for x in brokers(example_graph())][:3]
    [('乙县', 'County', 0.266667), ('王书记', 'Cadre', 0.2), ('甲县', 'County', 0.2)]
    """
    simple = nx.Graph()
    simple.add_nodes_from(sorted(graph.nodes, key=str))
    simple.add_edges_from(sorted({tuple(sorted((u, v), key=str)) for u, v in graph.edges() if u != v}, key=str))
    if simple.number_of_nodes() > EXACT_BETWEENNESS:
        scores = nx.betweenness_centrality(simple, k=BETWEENNESS_SAMPLE, seed=SEED, normalized=True)
    else:
        scores = nx.betweenness_centrality(simple, normalized=True)
    rows = [{"iri": str(x), "label": _label(graph, x), "type": _type(graph, x),
             "betweenness": round(float(scores[x]), digits), "degree": graph.degree(x)}
            for x in graph if _type(graph, x) in types and round(float(scores[x]), digits) > 0]
    rows.sort(key=lambda r: (-r["betweenness"], r["label"], r["iri"]))
    return rows if k is None else rows[:k]


def summary(graph: nx.MultiDiGraph, k: int = 10) -> dict:
    """All of the above in one JSON-ready dict (what ``kg stats`` prints and writes)."""
    return {
        "entities": graph.number_of_nodes(),
        "relations": graph.number_of_edges(),
        "relations_by_type": dict(sorted(Counter(r for _, _, r in graph.edges(keys=True)).items())),
        "degree_by_type": degree_by_type(graph),
        "most_connected": most_connected(graph, k=k),
        "reach": reach(graph, k=k),
        "components": components(graph),
        "bridging_programs": bridging_programs(graph),
        "program_kinds": program_kinds(graph),
        "brokers": brokers(graph, k=k),
    }
