"""Network analytics of a build: who is connected to whom, and which programs cross counties.

Plain functions over the networkx model of a build (:func:`kg.viz.to_networkx`), each
returning JSON-ready lists and dicts in a fixed order, so that ``kg stats --json`` is
byte-identical for the same build.  :func:`example_graph` is a six-node graph in the
model's shape that the examples below use.

>>> g = example_graph()
>>> summary(g)["entities"], summary(g)["relations"]
(7, 8)
"""
from __future__ import annotations

from collections import Counter

import networkx as nx

from .viz.style import CLASSES

__all__ = [
    "ACTOR_TYPES",
    "betweenness",
    "bridging_programs",
    "components",
    "counts_by_type",
    "example_graph",
    "most_connected",
    "summary",
]

#: Who acts: people, organisations and the local governments of counties, townships and
#: villages.  Programs are what they act on; provinces and prefectures are mostly background.
ACTOR_TYPES = ("County", "Township", "Village", "Cadre", "Resident", "Enterprise", "Cooperative", "GovernmentBody")

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
                      ("k", "c2", "servesIn"),                       ("e", "c2", "locatedIn"), ("c1", "p", "implements"), ("c2", "p", "implements"),
                      ("e", "p", "implements")):
        g.add_edge(u, v, key=rel, relation=rel)
    return g


def _type(graph: nx.MultiDiGraph, n) -> str:
    return str(graph.nodes[n].get("type") or "Other")


def _label(graph: nx.MultiDiGraph, n) -> str:
    return str(graph.nodes[n].get("label") or n)


def _type_order(t: str) -> tuple:
    return (CLASSES.index(t) if t in CLASSES else len(CLASSES), t)


def counts_by_type(graph: nx.MultiDiGraph) -> list[dict]:
    """Entities per class: all of them, those read in the articles, those from background knowledge.

    >>> counts_by_type(example_graph())[0]
    {'type': 'County', 'entities': 2, 'in_text': 2, 'background': 0}
    """
    total, background = Counter(), Counter()
    for n, a in graph.nodes(data=True):
        total[_type(graph, n)] += 1
        background[_type(graph, n)] += bool(a.get("background"))
    return [{"type": t, "entities": total[t], "in_text": total[t] - background[t], "background": background[t]}
            for t in sorted(total, key=_type_order)]


def most_connected(graph: nx.MultiDiGraph, k: int = 10, types: tuple[str, ...] | None = ACTOR_TYPES) -> list[dict]:
    """The ``k`` entities of ``types`` (None: any) with the most relations, in or out.

    Ties are broken by label, then IRI, so the list is stable.

    >>> [(x["label"], x["degree"]) for x in most_connected(example_graph(), k=3)]
    [('乙县', 3), ('丁村', 2), ('丙镇', 2)]
    """
    rows = [{"iri": str(n), "label": _label(graph, n), "type": _type(graph, n), "degree": graph.degree(n)}
            for n in graph if types is None or _type(graph, n) in types]
    rows.sort(key=lambda r: (-r["degree"], r["label"], r["iri"]))
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


def bridging_programs(graph: nx.MultiDiGraph, min_counties: int = 2) -> list[dict]:
    """Programs implemented in at least ``min_counties`` counties (by a county itself, or by a
    unit located in it), most counties first.

    >>> [(x["label"], x["counties"]) for x in bridging_programs(example_graph())]
    [('产业扶贫', ['乙县', '甲县'])]
    """
    rows = []
    for n, a in graph.nodes(data=True):
        if _type(graph, n) != "Program":
            continue
        counties = set(a.get("counties") or [])
        for u, _, rel in graph.in_edges(n, keys=True):  # also when the model has no 'counties'
            if rel == "implements":
                counties.update(c for c in graph.nodes[u].get("counties") or [] if c in graph)
        if len(counties) >= min_counties:
            named = sorted(counties, key=lambda c: (_label(graph, c) if c in graph else str(c), str(c)))
            rows.append({"iri": str(n), "label": _label(graph, n), "n_counties": len(counties),
                         "counties": [_label(graph, c) if c in graph else str(c) for c in named],
                         "county_iris": [str(c) for c in named]})
    rows.sort(key=lambda r: (-r["n_counties"], r["label"], r["iri"]))
    return rows


def betweenness(graph: nx.MultiDiGraph, types: tuple[str, ...] = ("Cadre", "Enterprise"), k: int | None = 10,
                digits: int = 6) -> dict[str, list[dict]]:
    """Betweenness centrality (normalised, on the undirected graph of all relations) of the
    entities of each of ``types``; the ``k`` highest per type (None: all), rounded to ``digits``.

    Brokers score high: a cadre serving in two villages links their worlds.  Exact up to
    :data:`EXACT_BETWEENNESS` nodes, estimated from a seeded sample of sources beyond.

    >>> b = betweenness(example_graph())
    >>> [(x["label"], x["betweenness"]) for x in b["Cadre"] + b["Enterprise"]]
    [('王书记', 0.2), ('戊公司', 0.0)]
    """
    simple = nx.Graph()
    simple.add_nodes_from(sorted(graph.nodes, key=str))
    simple.add_edges_from(sorted({tuple(sorted((u, v), key=str)) for u, v in graph.edges() if u != v}, key=str))
    n = simple.number_of_nodes()
    if n > EXACT_BETWEENNESS:
        scores = nx.betweenness_centrality(simple, k=BETWEENNESS_SAMPLE, seed=SEED, normalized=True)
    else:
        scores = nx.betweenness_centrality(simple, normalized=True)
    out = {}
    for t in types:
        rows = [{"iri": str(x), "label": _label(graph, x), "betweenness": round(float(scores[x]), digits),
                 "degree": graph.degree(x)} for x in graph if _type(graph, x) == t]
        rows.sort(key=lambda r: (-r["betweenness"], r["label"], r["iri"]))
        out[t] = rows if k is None else rows[:k]
    return out


def summary(graph: nx.MultiDiGraph, k: int = 10) -> dict:
    """All of the above in one JSON-ready dict (what ``kg stats`` prints and writes)."""
    return {
        "entities": graph.number_of_nodes(),
        "relations": graph.number_of_edges(),
        "relations_by_type": dict(sorted(Counter(r for _, _, r in graph.edges(keys=True)).items())),
        "counts_by_type": counts_by_type(graph),
        "most_connected": most_connected(graph, k=k),
        "components": components(graph),
        "bridging_programs": bridging_programs(graph),
        "betweenness": betweenness(graph, k=k),
    }
