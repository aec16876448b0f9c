"""Every export format parses back, in a reader other than the one that wrote it."""
import csv
import io
import json
import shutil
import subprocess

import networkx as nx
import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph
from rdflib import Literal
from rdflib.namespace import XSD

from kg.cli import main
from kg.formats import actor_graph
from tests.conftest import ROOT


def same_triples(a: Graph, b: Graph) -> bool:
    """Equal graphs, comparing xsd:decimal literals by value (650000000.0 and 650000000
    are two spellings of one decimal; no blank nodes here)."""
    def canon(g):
        return {(s, p, o.toPython() if isinstance(o, Literal) and o.datatype == XSD.decimal else o)
                for s, p, o in g}
    return len(a) == len(b) and canon(a) == canon(b)


def nt_lines(build) -> list[str]:
    return (build / "kg.nt").read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="module")
def kg_graph(seeds_build):
    return Graph().parse(seeds_build / "kg.ttl")


def test_ntriples_in_three_readers(seeds_build, kg_graph):
    data = (seeds_build / "kg.nt").read_bytes()
    assert len(Graph().parse(data=data.decode("utf-8"), format="nt")) == len(kg_graph)
    assert len(list(ox.parse(data, format=ox.RdfFormat.N_TRIPLES))) == len(kg_graph)
    if shutil.which("rapper"):
        done = subprocess.run(["rapper", "-i", "ntriples", "-c", str(seeds_build / "kg.nt")],
                              capture_output=True, text=True)
        assert done.returncode == 0 and f"returned {len(kg_graph)} triples" in done.stderr
    assert data.decode("utf-8").splitlines() == sorted(data.decode("utf-8").splitlines())


def test_jsonld_in_rdflib_and_pyld(seeds_build, kg_graph):
    text = (seeds_build / "kg.jsonld").read_text(encoding="utf-8")
    assert same_triples(Graph().parse(data=text, format="json-ld"), kg_graph)
    doc = json.loads(text)
    assert doc["@context"] == json.loads((seeds_build / "context.jsonld").read_text(encoding="utf-8"))["@context"]
    village = next(n for n in doc["@graph"] if n.get("label") == "胡家坪村")
    assert village["@type"] == "pa:Village" and village["locatedIn"]
    from pyld import jsonld
    nquads = jsonld.to_rdf(doc, {"format": "application/n-quads"})
    assert len(Graph().parse(data=nquads, format="nt")) == len(kg_graph)


def test_trig_holds_the_graph_and_each_articles_provenance(seeds_build, kg_graph):
    data = (seeds_build / "kg.trig").read_bytes()
    quads = list(ox.parse(data, format=ox.RdfFormat.TRIG))
    default = [q for q in quads if q.graph_name == ox.DefaultGraph()]
    named = {q.graph_name.value for q in quads if q.graph_name != ox.DefaultGraph()}
    assert len(default) == len(kg_graph)
    assert len(named) == 5 and all(n.endswith("#context") for n in named)
    provenance = Graph().parse(seeds_build / "provenance.ttl")
    assert len({(q.subject, q.predicate, q.object) for q in quads if q.graph_name != ox.DefaultGraph()}) \
        == len(provenance)
    ds = Dataset()
    ds.parse(data=data.decode("utf-8"), format="trig")
    assert len(list(ds.graphs())) >= 5


@pytest.mark.parametrize("name, read", [("kg.graphml", nx.read_graphml), ("kg.gexf", nx.read_gexf)])
def test_graph_files_for_gephi(seeds_build, name, read):
    expected = actor_graph(nt_lines(seeds_build))
    got = read(seeds_build / name)
    assert got.number_of_nodes() == expected.number_of_nodes() > 50
    assert got.number_of_edges() == expected.number_of_edges() > 50
    labels = {d["label"] for _, d in got.nodes(data=True)}
    assert {"胡家坪村", "刘清锋", "涟源市"} <= labels


def test_gexf_is_the_same_every_day(seeds_build):
    assert b"lastmodifieddate" not in (seeds_build / "kg.gexf").read_bytes()


def test_neo4j_import_files(seeds_build, kg_graph):
    folder = seeds_build / "neo4j"
    ids, relationships = set(), []
    for path in sorted(folder.glob("nodes_*.csv")):
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
        header = rows[0]
        assert header[0] == "id:ID" and header[-1] == ":LABEL"
        assert all(":" not in h or h.split(":")[1] in ("ID", "LABEL", "string[]", "int") for h in header)
        for row in rows[1:]:
            assert len(row) == len(header) and row[0] not in ids
            ids.add(row[0])
            assert row[-1].split(";")[0] == path.stem.removeprefix("nodes_")
    for path in sorted(folder.glob("relationships_*.csv")):
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
        assert rows[0] == [":START_ID", ":END_ID", ":TYPE"]
        relationships += rows[1:]
    assert len(ids) == actor_graph(nt_lines(seeds_build)).number_of_nodes()
    assert relationships and all(s in ids and e in ids for s, e, _ in relationships)
    command = (folder / "import.sh").read_text(encoding="utf-8")
    assert "neo4j-admin database import full" in command and "--nodes=neo4j/nodes_Cadre.csv" in command


def test_only_the_formats_asked_for(tmp_path):
    assert main(["build", str(ROOT / "seeds"), "--out", str(tmp_path), "-q", "--format", "nt", "--no-validate"]) == 0
    written = {p.name for p in tmp_path.iterdir()}
    assert {"kg.ttl", "kg.nt", "provenance.ttl", "graph.html", "ontology.ttl"} == written


def test_unknown_format_is_a_usage_error(tmp_path, capsys):
    assert main(["build", str(ROOT / "seeds"), "--out", str(tmp_path), "-q", "--format", "xml"]) == 2
    assert "unknown format xml" in capsys.readouterr().err
