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


def row_count(graph, cls: str) -> int:
    rows = graph.query(PREFIX + f"SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ ?e a pa:{cls} }}")
    return int(next(iter(rows))[0])


def test_docstring_examples():
    result = doctest.testmod(stats)
    assert result.attempted >= 8 and result.failed == 0


def hand_graph() -> nx.MultiDiGraph:
    """Two counties; a township and a village in one, a village in the other; a cadre serving
    in both villages; a villager; a firm in the second county running a solar program; a
    program both counties run and one the first runs alone; and a cadre with no relation.

    Undirected, 甲县 - 丙镇 - 丁村 - 王书记 - 戊村 - 乙县 - 产业扶贫 - 甲县 is a cycle of seven,
    with 一站式 hanging from 甲县, 张大爷 from 丁村, and 己公司 (then 光伏扶贫电站) from 乙县.
    """
    g = nx.MultiDiGraph()
    for key, label, typ, extra in (
            ("C1", "甲县", "County", {"counties": ["C1"]}), ("C2", "乙县", "County", {"counties": ["C2"]}),
            ("T1", "丙镇", "Township", {"counties": ["C1"]}), ("V1", "丁村", "Village", {"counties": ["C1"]}),
            ("V2", "戊村", "Village", {"counties": ["C2"]}), ("K1", "王书记", "Cadre", {"counties": ["C1"]}),
            ("K2", "李某", "Cadre", {}), ("R1", "张大爷", "Resident", {"counties": ["C1"]}),
            ("E1", "己公司", "Enterprise", {"counties": ["C2"]}),
            ("P1", "产业扶贫", "Program", {"counties": ["C1", "C2"], "articles": ["a", "b"]}),
            ("P2", "光伏扶贫电站", "Program", {"counties": ["C2"], "articles": ["a"]}),
            ("P3", "一站式", "Program", {"counties": ["C1"], "articles": ["b"]})):
        g.add_node(key, label=label, type=typ, background=False, aliases=[], **extra)
    for u, v, rel in (("T1", "C1", "locatedIn"), ("V1", "T1", "locatedIn"), ("V2", "C2", "locatedIn"),
                      ("K1", "V1", "servesIn"), ("K1", "V2", "servesIn"), ("R1", "V1", "residentOf"),
                      ("E1", "C2", "locatedIn"), ("C1", "P1", "implements"), ("C2", "P1", "implements"),
                      ("E1", "P2", "implements"), ("C1", "P3", "implements")):
        g.add_edge(u, v, key=rel, relation=rel)
    return g


def test_degree_by_type_by_hand():
    rows = {r["type"]: r for r in stats.degree_by_type(hand_graph())}
    assert list(rows) == ["County", "Township", "Village", "Cadre", "Resident", "Enterprise", "Program"]
    # 甲县: 丙镇, 产业扶贫, 一站式; 乙县: 戊村, 己公司, 产业扶贫 -- a tie, broken by label (乙 < 甲)
    assert rows["County"] == {"type": "County", "entities": 2, "in_text": 2, "background": 0, "isolated": 0,
                              "mean_degree": 3.0, "max_degree": 3, "top": "乙县"}
    assert (rows["Village"]["mean_degree"], rows["Village"]["top"]) == (2.5, "丁村")        # 3 and 2
    assert (rows["Cadre"]["isolated"], rows["Cadre"]["mean_degree"], rows["Cadre"]["top"]) == (1, 1.0, "王书记")
    assert (rows["Program"]["mean_degree"], rows["Program"]["max_degree"]) == (1.33, 2)     # 2, 1, 1


def test_most_connected_leaves_out_what_has_no_relation():
    rows = stats.most_connected(hand_graph(), k=20)
    assert [(r["label"], r["degree"]) for r in rows] == [
        ("丁村", 3), ("乙县", 3), ("甲县", 3), ("丙镇", 2), ("己公司", 2), ("戊村", 2), ("王书记", 2), ("张大爷", 1)]


def test_reach_by_hand():
    # 王书记 serves in 丁村 (in 丙镇, in 甲县) and 戊村 (in 乙县); 己公司 lies in 乙县 and runs a
    # program, which is no place; 李某 touches nothing
    rows = stats.reach(hand_graph())
    assert [(r["label"], r["counties"], r["villages"]) for r in rows] == [
        ("王书记", ["乙县", "甲县"], ["丁村", "戊村"]), ("张大爷", ["甲县"], ["丁村"]), ("己公司", ["乙县"], [])]
    assert [(r["n_counties"], r["n_villages"]) for r in rows] == [(2, 2), (1, 1), (1, 0)]


def test_programs_shared_and_by_kind_by_hand():
    g = hand_graph()
    assert [(r["label"], r["counties"]) for r in stats.bridging_programs(g)] == [("产业扶贫", ["乙县", "甲县"])]
    # 光伏扶贫电站 is of 产业扶贫 (光伏), one article, one county: minor; 一站式 names no kind
    assert stats.program_kinds(g) == [
        {"kind": "产业扶贫", "programs": 2, "minor": 1, "shared": 1, "counties": 2},
        {"kind": "其他", "programs": 1, "minor": 1, "shared": 0, "counties": 1}]


def test_brokers_by_hand():
    """On the cycle of seven (甲县 0, 丙镇 1, 丁村 2, 王书记 3, 戊村 4, 乙县 5, 产业扶贫 6) every
    shortest path is unique.  王书记 is inside the short arcs 2-4, 1-4 and 2-5: with what hangs
    from those nodes (丁村 + 张大爷, 丙镇, 戊村, 乙县 + 己公司 + 光伏扶贫电站) 2*1 + 1*1 + 2*3 = 9
    pairs.  己公司 is between 光伏扶贫电站 and the 9 others of its component: 9 pairs.  Of the
    (12-1)(12-2)/2 = 55 pairs of the others, 9/55 each; the leaves and 李某 broker nothing."""
    rows = stats.brokers(hand_graph(), k=None)
    by_label = {r["label"]: r for r in rows}
    assert by_label["王书记"]["betweenness"] == by_label["己公司"]["betweenness"] == round(9 / 55, 6)
    assert not {"张大爷", "李某"} & set(by_label) and all(r["betweenness"] > 0 for r in rows)
    assert {r["type"] for r in rows} <= set(stats.ACTOR_TYPES)                       # no program
    assert [r["betweenness"] for r in rows] == sorted((r["betweenness"] for r in rows), reverse=True)
    assert stats.brokers(hand_graph(), types=("Resident",)) == []


def test_report_leaves_out_columns_of_zeros():
    from rich.console import Console

    from kg.stats_command import print_report

    console = Console(record=True, width=160)
    print_report(console, stats.summary(hand_graph()))
    text = console.export_text()
    head = next(line for line in text.splitlines() if "type" in line and "count" in line)
    assert "no relation" in head and "background" not in head          # 李某 has none; nothing is background
    assert "李某" not in text.split("Most connected actors", 1)[1].split("Reach:", 1)[0]
    assert "Brokers: betweenness centrality" in text and "0.1636" in text and " 0.0000" not in text


def test_seeds_report_against_sparql(seeds_build, seeds_graph, tmp_path, capsys):
    out = tmp_path / "stats.json"
    assert main(["stats", str(seeds_build), "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    for title in ("Entities and their relations by type", "Most connected actors", "Reach:", "Connected components",
                  "Programs that bridge counties", "Programs by kind", "Brokers: betweenness centrality"):
        assert title in printed
    report = json.loads(out.read_text(encoding="utf-8"))
    # counts by type == SPARQL counts per class
    for row in report["degree_by_type"]:
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
    # nothing without a relation is "most connected", no broker has betweenness 0
    isolated = {str(n) for n in g if g.degree(n) == 0}
    assert isolated and not isolated & {r["iri"] for r in report["most_connected"]}
    assert report["brokers"] and all(r["betweenness"] > 0 for r in report["brokers"])
    assert sum(r["programs"] for r in report["program_kinds"]) == row_count(seeds_graph, "Program")
    # deterministic: the same bytes again
    again = tmp_path / "again.json"
    assert main(["stats", str(seeds_build), "--json", str(again), "-q"]) == 0
    assert again.read_bytes() == out.read_bytes()


def test_large_graph_betweenness_is_sampled_but_stable(monkeypatch):
    """A graph just over EXACT_BETWEENNESS nodes: brokers samples, and computed twice it gives
    the same top five; the second time the cadres are listed too, and none brokers. (The
    threshold and the sample are made smaller here, 400 and 100, for the same code path at a
    twentieth of the cost: the shipped ones, 2,000 and 500, took 8 s of the suite.)"""
    from synthetic import realistic_graph

    monkeypatch.setattr(stats, "EXACT_BETWEENNESS", 400)
    monkeypatch.setattr(stats, "BETWEENNESS_SAMPLE", 100)
    g = viz.to_networkx(realistic_graph(stats.EXACT_BETWEENNESS + 100, seed=2))
    samples, real = [], nx.betweenness_centrality
    monkeypatch.setattr(nx, "betweenness_centrality", lambda graph, k=None, **kw: samples.append(k) or real(
        graph, k=k, **kw))
    a = stats.brokers(g, k=5, types=("Enterprise",))
    again = stats.brokers(g, k=None, types=("Enterprise", "Cadre"))
    assert samples == [100] * 2                                         # sampled, both times
    assert [r for r in again if r["type"] == "Cadre"] == []  # each serves in one unit: a leaf
    assert again[:5] == a and len(a) == 5                               # the same sample, the same scores
    scores = [r["betweenness"] for r in a]
    assert scores == sorted(scores, reverse=True) and scores[-1] > 0  # firms that run programs broker


def test_stats_errors(tmp_path, capsys):
    assert main(["stats", str(tmp_path)]) == 2
    assert "not a build folder" in capsys.readouterr().err
    assert main(["stats", str(tmp_path), "--top", "0"]) == 2
