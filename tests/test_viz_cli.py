"""``kg viz``: a build's graph, an entity's neighbourhood or a CONSTRUCT query, each to its own page."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import networkx as nx
import pytest

from kg import viz
from kg.cli import main

LIANYUAN = "https://w3id.org/pakg/id/county/lian-yuan-shi"


def _data(path: Path) -> dict:
    page = path.read_text(encoding="utf-8")
    return json.loads(re.search(r'<script type="application/json" id="pakg-data">(.*?)</script>', page, re.DOTALL).group(1))


@pytest.fixture(scope="module")
def full(seeds_build):
    return viz.to_networkx(*viz.load_build(seeds_build))


def test_whole_graph_is_the_build_page(seeds_build, tmp_path):
    """Rendering from the files on disk gives the very page the build wrote from memory."""
    assert main(["viz", str(seeds_build), "--out", str(tmp_path / "all.html"), "-q"]) == 0
    assert (tmp_path / "all.html").read_bytes() == (seeds_build / "graph.html").read_bytes()


def test_focus_depth_by_label_alias_and_iri(seeds_build, full, tmp_path, capsys):
    out = tmp_path / "lianyuan.html"
    assert main(["viz", str(seeds_build), "--focus", "涟源市", "--depth", "2", "--out", str(out)]) == 0
    assert "wrote" in capsys.readouterr().out
    data = _data(out)
    expected = nx.ego_graph(nx.Graph(full.to_undirected()), LIANYUAN, radius=2)
    assert {n["id"] for n in data["nodes"]} == set(expected.nodes)
    assert len(data["edges"]) == full.subgraph(expected.nodes).number_of_edges()
    assert data["title"] == "涟源市 · 2 步 hops"
    # the sentences survive the cut
    assert any(n.get("sentences") for n in data["nodes"])
    for name in ("涟源", "pad:county/lian-yuan-shi", LIANYUAN):
        again = tmp_path / "again.html"
        assert main(["viz", str(seeds_build), "--focus", name, "--depth", "2", "--out", str(again), "-q"]) == 0
        assert again.read_bytes() == out.read_bytes(), name
    one = tmp_path / "one.html"
    assert main(["viz", str(seeds_build), "--focus", "胡家坪村", "--depth", "0", "--out", str(one), "-q"]) == 0
    [node] = _data(one)["nodes"]
    # places on the path outside the part are still named
    assert [p[1] for p in node["path"]][-1] == "湖南省"


def test_default_output_goes_into_the_build(seeds_build, tmp_path):
    build = tmp_path / "b"
    shutil.copytree(seeds_build, build)
    assert main(["viz", str(build), "--focus", "涟源市", "-q"]) == 0
    assert (build / "subgraph.html").stat().st_size > 400_000


def test_construct_query(seeds_build, full, tmp_path):
    q = tmp_path / "cadres.rq"
    q.write_text("""PREFIX pa: <https://w3id.org/pakg/ontology#>
CONSTRUCT { ?c pa:servesIn ?u . ?u pa:hasCadre ?c } WHERE { ?c a pa:Cadre ; pa:servesIn ?u }""", encoding="utf-8")
    out = tmp_path / "cadres.html"
    assert main(["viz", str(seeds_build), "--construct", str(q), "--out", str(out), "-q"]) == 0
    data = _data(out)
    serves = [(u, v) for u, v, k in full.edges(keys=True) if k == "servesIn"]
    assert {n["id"] for n in data["nodes"]} == {x for e in serves for x in e}
    assert sorted((e["from"], e["to"]) for e in data["edges"] if e["rel"] == "servesIn") == sorted(serves)
    # a predicate the ontology does not have is drawn as it is
    assert sorted((e["to"], e["from"]) for e in data["edges"] if e["rel"] == "hasCadre") == sorted(serves)
    assert [r[0] for r in data["relations"]] == ["servesIn", "hasCadre"]
    assert data["title"] == "pakg · cadres.rq"


@pytest.mark.parametrize("args, message", [
    (["--focus", "不存在的地方"], "no entity is called '不存在的地方'"),
    (["--focus", "涟源县"], "Did you mean: 涟源"),
    (["--focus", "涟源市", "--depth", "-1"], "depth must be 0 or more"),
])
def test_focus_errors(seeds_build, tmp_path, capsys, args, message):
    assert main(["viz", str(seeds_build), *args, "--out", str(tmp_path / "x.html")]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not (tmp_path / "x.html").exists()


def test_ambiguous_focus(tmp_path, capsys):
    build = tmp_path / "b"
    build.mkdir()
    (build / "kg.ttl").write_text("""@prefix pa: <https://w3id.org/pakg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<https://w3id.org/pakg/id/body/a> a pa:GovernmentBody ; rdfs:label "甲县扶贫办"@zh ; skos:altLabel "扶贫办"@zh .
<https://w3id.org/pakg/id/body/b> a pa:GovernmentBody ; rdfs:label "乙县扶贫办"@zh ; skos:altLabel "扶贫办"@zh .
""", encoding="utf-8")
    assert main(["viz", str(build), "--focus", "扶贫办"]) == 2
    err = capsys.readouterr().err
    assert "'扶贫办' names 2 entities" in err and "甲县扶贫办" in err and "Give the IRI" in err
    assert main(["viz", str(build), "--focus", "pad:body/a", "-q"]) == 0


@pytest.mark.parametrize("query, message", [
    ("SELECT * WHERE { ?s ?p ?o }", "a Select query; kg viz needs a CONSTRUCT query"),
    ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ", "not valid SPARQL"),
    ("PREFIX pa: <https://w3id.org/pakg/ontology#>\nCONSTRUCT { ?a pa:x ?b } WHERE { ?a pa:value ?b }",
     "none about an entity of the graph"),
])
def test_construct_errors(seeds_build, tmp_path, capsys, query, message):
    q = tmp_path / "q.rq"
    q.write_text(query, encoding="utf-8")
    assert main(["viz", str(seeds_build), "--construct", str(q), "--out", str(tmp_path / "x.html")]) == 2
    err = capsys.readouterr().err
    assert message in err and str(q) in err and "Traceback" not in err


def test_unreadable_inputs(tmp_path, capsys):
    assert main(["viz", str(tmp_path / "nowhere")]) == 2
    assert "kg.ttl does not exist: not a build folder" in capsys.readouterr().err
    (tmp_path / "kg.ttl").write_text("this is not turtle", encoding="utf-8")
    assert main(["viz", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert f"{tmp_path / 'kg.ttl'} is not valid Turtle: line 1: " in err and "Traceback" not in err
    assert main(["viz", str(tmp_path), "--construct", str(tmp_path / "missing.rq")]) == 2


def test_focus_and_construct_exclude_each_other(seeds_build, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["viz", str(seeds_build), "--focus", "涟源市", "--construct", "q.rq"])
    assert exc.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err
