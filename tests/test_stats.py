"""``kg stats`` and kg.stats: analytics of a build, checked against SPARQL and networkx directly."""
from __future__ import annotations

import doctest
import json

import networkx as nx

from kg import stats, viz
from kg.cli import main

PREFIX = """PREFIX pa: <https://w3id.org/pakg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""


def test_docstring_examples():
    result = doctest.testmod(stats)
    assert result.attempted >= 8 and result.failed == 0


def test_betweenness_of_a_broker():
    g = nx.MultiDiGraph()
    for n, t in (("k", "Cadre"), ("a", "Village"), ("b", "Village"), ("c", "Village"), ("e", "Enterprise")):
        g.add_node(n, label=n, type=t)
    for v in ("a", "b", "c"):
        g.add_edge("k", v, key="servesIn", relation="servesIn")
    g.add_edge("e", "a", key="locatedIn", relation="locatedIn")
    b = stats.betweenness(g)
    # k lies on every path between a, b, c and e: 5 of the 6 pairs among the other four
    assert b["Cadre"] == [{"iri": "k", "label": "k", "betweenness": round(5 / 6, 6), "degree": 3}]
    assert b["Enterprise"][0]["betweenness"] == 0.0


def test_seeds_report_against_sparql(seeds_build, seeds_graph, tmp_path, capsys):
    out = tmp_path / "stats.json"
    assert main(["stats", str(seeds_build), "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    for title in ("Entities by type", "Most connected actors", "Connected components", "Programs that bridge counties",
                  "Betweenness centrality: Cadre", "Betweenness centrality: Enterprise"):
        assert title in printed
    report = json.loads(out.read_text(encoding="utf-8"))
    # counts by type == SPARQL counts per class
    for row in report["counts_by_type"]:
        n = seeds_graph.query(PREFIX + f"SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ ?e a pa:{row['type']} }}")
        assert row["entities"] == int(next(iter(n))[0]), row
        bg = seeds_graph.query(PREFIX + f"SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ ?e a pa:{row['type']} "
                                        "FILTER NOT EXISTS { ?e pa:mentionedIn ?a } }")
        assert row["background"] == int(next(iter(bg))[0]), row
    # programs that bridge counties == programs implemented by >= 2 counties, directly or by their units
    rows = seeds_graph.query(PREFIX + """
        SELECT ?p (COUNT(DISTINCT ?c) AS ?n) WHERE {
          ?p a pa:Program . ?c a pa:County .
          { ?c pa:implements ?p } UNION { ?u pa:implements ?p ; pa:locatedIn+ ?c }
          UNION { ?u pa:implements ?p ; (pa:servesIn|pa:residentOf)/pa:locatedIn* ?c }
        } GROUP BY ?p HAVING (COUNT(DISTINCT ?c) >= 2)""")
    expected = {str(p): int(n) for p, n in rows}
    assert {r["iri"]: r["n_counties"] for r in report["bridging_programs"]} == expected
    assert len(expected) >= 5 and any(r["label"] == "易地扶贫搬迁" for r in report["bridging_programs"])
    # the most connected actor has the highest degree of all actors
    g = viz.to_networkx(seeds_graph)
    top = report["most_connected"][0]
    assert top["degree"] == max(g.degree(n) for n, d in g.nodes(data=True) if d["type"] in stats.ACTOR_TYPES)
    assert report["components"]["count"] == nx.number_weakly_connected_components(g)
    assert sum(report["components"]["sizes"]) == g.number_of_nodes() == report["entities"]
    assert {r["label"] for r in report["betweenness"]["Cadre"]} >= {"刘清锋"}
    # deterministic: the same bytes again
    again = tmp_path / "again.json"
    assert main(["stats", str(seeds_build), "--json", str(again), "-q"]) == 0
    assert again.read_bytes() == out.read_bytes()


def test_large_graph_betweenness_is_sampled_but_stable():
    from synthetic import realistic_graph

    g = viz.to_networkx(realistic_graph(2500, seed=2))
    a = stats.betweenness(g, k=5)
    assert a == stats.betweenness(g, k=5) and len(a["Cadre"]) == 5
    scores = [r["betweenness"] for r in a["Enterprise"]]
    assert scores == sorted(scores, reverse=True) and scores[-1] > 0  # firms that run programs broker
    assert all(r["betweenness"] == 0 for r in a["Cadre"])  # each serves in one unit: a leaf


def test_stats_errors(tmp_path, capsys):
    assert main(["stats", str(tmp_path)]) == 2
    assert "not a build folder" in capsys.readouterr().err
    assert main(["stats", str(tmp_path), "--top", "0"]) == 2
