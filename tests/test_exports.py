"""Every export format parses back, in a reader other than the one that wrote it."""
import csv
import io
import json
import os
import re
import shutil
import subprocess

import networkx as nx
import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph
from rdflib import Literal
from rdflib.namespace import XSD

from kg.cli import main
from kg.property_graph import RELATIONS, labels, project
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


LIU = "https://w3id.org/pakg/id/person/liu-qing-feng-431382"
HU_JIA_PING = "https://w3id.org/pakg/id/village/hu-jia-ping-cun-431382"
FIRST_SEED = "000_517b1d5de5a6b7ee.txt"


@pytest.mark.parametrize("name, read", [("kg.graphml", lambda p: nx.read_graphml(p, force_multigraph=True)),
                                        ("kg.gexf", nx.read_gexf)])
def test_graph_files_for_gephi(seeds_build, name, read):
    expected = project(nt_lines(seeds_build))
    got = read(seeds_build / name)
    assert got.number_of_nodes() == len(expected.nodes) > 150
    assert got.number_of_edges() == len(expected.edges) > 400
    nodes = dict(got.nodes(data=True))
    # Gephi's partition: every node has a class and a group, figures and articles among them
    classes = {n.id: n.cls for n in expected.nodes}
    assert {n: d["class"] for n, d in nodes.items()} == classes
    assert all(d["group"] == labels(d["class"])[-1] for d in nodes.values())
    figures = [d for d in nodes.values() if d["class"] == "Observation"]
    articles = [d for d in nodes.values() if d["class"] == "Article"]
    assert len(figures) > 30 and all(isinstance(d["value"], float) and d["indicator"] and d["unit"] for d in figures)
    assert len(articles) == 5 and all(d["label"] and d["sourceFiles"].endswith(".txt") for d in articles)
    assert {"胡家坪村", "刘清锋", "涟源市", "贫困发生率 2015: 3.1%"} <= {d.get("label") for d in nodes.values()}
    # a relation the first seed states: its sentence, file and rule on the edge
    serves = [d for s, o, d in got.edges(data=True) if (s, o, d["relation"]) == (LIU, HU_JIA_PING, "servesIn")]
    assert len(serves) == 1 and "刘清锋" in serves[0]["evidence"] and "胡家坪村" in serves[0]["evidence"]
    assert serves[0]["sourceFile"] == FIRST_SEED and serves[0]["foundBy"]
    mention = [d for s, o, d in got.edges(LIU, data=True) if d["relation"] == "mentionedIn"]
    assert len(mention) == 1 and mention[0]["confidence"] == 1.0 and mention[0]["evidence"]
    assert {d["relation"] for _, _, d in got.edges(data=True)} == set(RELATIONS)
    assert b"networkx_key" not in (seeds_build / name).read_bytes()


def test_gexf_is_the_same_every_day(seeds_build):
    assert b"lastmodifieddate" not in (seeds_build / "kg.gexf").read_bytes()


#: The property types of neo4j-admin's CSV header format (neo4j-admin database import).
NEO4J_TYPES = {"int", "long", "float", "double", "boolean", "byte", "short", "char", "string", "point", "date",
               "localtime", "time", "localdatetime", "datetime", "duration"}
_FIELD = re.compile(r"(?P<name>[^:]*)(?::(?P<kind>[A-Za-z_]+)(?P<array>\[\])?(?:\((?P<group>[^()]*)\))?)?")


def header_field(field: str) -> tuple[str, str, str | None, bool]:
    """(name, kind, ID space, is an array) of one field of a neo4j-admin CSV header:
    ``name`` (a string), ``name:type`` or ``name:type[]``, ``name:ID(group)``,
    ``:START_ID(group)``, ``:END_ID(group)``, ``:LABEL``, ``:TYPE``, ``:IGNORE``."""
    m = _FIELD.fullmatch(field)
    if not m:
        raise ValueError(f"not a header field: {field!r}")
    name, kind, array, group = m["name"], (m["kind"] or "string"), bool(m["array"]), m["group"]
    if kind.upper() in ("ID", "START_ID", "END_ID"):
        if array or group == "" or (kind.upper() != "ID" and name):
            raise ValueError(f"bad ID field: {field!r}")
        return name, kind.upper(), group, False
    if kind.upper() in ("LABEL", "TYPE", "IGNORE"):
        if name or array or group is not None:
            raise ValueError(f"{kind} takes no name, array or group: {field!r}")
        return name, kind.upper(), None, False
    if kind.lower() not in NEO4J_TYPES or not name or group is not None:
        raise ValueError(f"not a property field: {field!r}")
    return name, kind.lower(), None, array


def test_header_grammar():
    assert header_field("iri:ID(Place)") == ("iri", "ID", "Place", False)
    assert header_field(":START_ID(Person)") == ("", "START_ID", "Person", False)
    assert header_field("altLabels:string[]") == ("altLabels", "string", None, True)
    assert header_field("label") == ("label", "string", None, False)
    for bad in ("value:decimal", ":LABEL(x)", "x:LABEL", "a:ID()", "n:START_ID", ":int", "a:b:c", "v:double(x)"):
        with pytest.raises(ValueError):
            header_field(bad)


def read_neo4j(folder) -> dict[str, tuple[list[tuple], list[list[str]]]]:
    """Each CSV file of the folder: (its parsed header, its rows)."""
    out = {}
    for path in sorted(folder.glob("*.csv")):
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
        out[path.name] = ([header_field(f) for f in rows[0]], rows[1:])
    return out


def test_neo4j_import_files(seeds_build):
    expected = project(nt_lines(seeds_build))
    files = read_neo4j(seeds_build / "neo4j")
    ids: dict[str, set[str]] = {}            # ID space -> its ids
    nodes = relationships = 0
    for name, (header, rows) in files.items():
        kinds = [k for _, k, _, _ in header]
        assert len({n for n, k, _, _ in header if n}) == len([n for n, k, _, _ in header if n])   # names unique
        for row in rows:
            assert len(row) == len(header)
            for (_, kind, _, array), value in zip(header, row):
                for item in (value.split(";") if array else [value]) if value else []:
                    {"int": int, "double": float}.get(kind, str)(item)         # a value of its type
        if name.startswith("nodes_"):
            assert kinds.count("ID") == 1 and kinds.count("LABEL") == 1 and "TYPE" not in kinds
            cls = name.removeprefix("nodes_").removesuffix(".csv")
            space = header[kinds.index("ID")][2]
            assert space == labels(cls)[-1]
            for row in rows:
                assert row[kinds.index("ID")] not in ids.setdefault(space, set())
                ids[space].add(row[kinds.index("ID")])
                assert row[kinds.index("LABEL")] == ";".join(labels(cls)) and "Actor" not in row[-1]
            nodes += len(rows)
    assert nodes == len(expected.nodes) and {"nodes_Observation.csv", "nodes_Article.csv"} <= set(files)
    evidence = {}
    for name, (header, rows) in files.items():
        if name.startswith("relationships_"):
            kinds = [k for _, k, _, _ in header]
            assert sorted(kinds[:3]) == ["END_ID", "START_ID", "TYPE"] and "ID" not in kinds and "LABEL" not in kinds
            start, end = header[kinds.index("START_ID")][2], header[kinds.index("END_ID")][2]
            for row in rows:
                assert row[kinds.index("START_ID")] in ids[start] and row[kinds.index("END_ID")] in ids[end]
                evidence[row[0], row[1], row[2]] = dict(zip([n for n, _, _, _ in header], row))
            relationships += len(rows)
    assert relationships == len(expected.edges) and {e[2] for e in evidence} == set(RELATIONS)
    serves = evidence[LIU, HU_JIA_PING, "servesIn"]
    assert "刘清锋" in serves["evidence"] and serves["sourceFile"] == FIRST_SEED and serves["foundBy"]
    figure = next(e for e in evidence if e[2] == "refArea")
    assert (figure[0], figure[1], "mentionedIn") not in evidence        # a figure is about a place ...
    assert any(e[0] == figure[0] and e[2] == "mentionedIn" for e in evidence)   # ... and named in an article


def cypher_statements(text: str) -> list[str]:
    body = "\n".join(line for line in text.splitlines() if not line.startswith("//"))
    return [s.strip() for s in body.split(";\n") if s.strip()]


def test_load_cypher_reads_only_files_and_columns_there_are(seeds_build):
    """load.cypher: constraints, then every node file, then every relationship file, each
    statement reading columns its file has and giving the labels, ID space and type the
    file's header and rows give."""
    folder = seeds_build / "neo4j"
    files = read_neo4j(folder)
    statements = cypher_statements((folder / "load.cypher").read_text(encoding="utf-8"))
    order, loaded = [], []
    constrained = set()
    for st in statements:
        if st.startswith("CREATE CONSTRAINT"):
            m = re.fullmatch(r"CREATE CONSTRAINT \w+ IF NOT EXISTS FOR \(n:(\w+)\) REQUIRE n\.iri IS UNIQUE;?", st)
            assert m, st
            constrained.add(m[1])
            order.append("constraint")
            continue
        name = re.match(r"LOAD CSV WITH HEADERS FROM 'file:///([^']+)' AS row\n", st)[1]
        header, rows = files[name]
        fields = [f for f in csv.reader([(folder / name).read_text(encoding="utf-8").splitlines()[0]])][0]
        assert set(re.findall(r"row\.`([^`]+)`", st)) <= set(fields) and "row." not in re.sub(r"row\.`[^`]+`", "", st)
        kinds = [k for _, k, _, _ in header]
        properties = {n for n, k, _, _ in header if n and k not in ("ID", "LABEL")}
        assert set(re.findall(r"(\w+): ", st.split("+= {", 1)[1])) == properties
        if name.startswith("nodes_"):
            space = header[kinds.index("ID")][2]
            assert f"MERGE (n:{space} {{iri: row.`{fields[kinds.index('ID')]}`}})" in st
            given = [space, *re.findall(r"n:(\w+), ", st)]
            assert {";".join([*given[1:], space])} == {row[kinds.index("LABEL")] for row in rows}
            order.append("nodes")
        else:
            start, end = (header[kinds.index(k)][2] for k in ("START_ID", "END_ID"))
            m = re.search(r"MATCH \(a:(\w+) \{iri: row\.`([^`]+)`\}\), \(b:(\w+) \{iri: row\.`([^`]+)`\}\)", st)
            assert (m[1], m[3]) == (start, end)
            assert {re.search(r"-\[r:(\w+)\]->", st)[1]} == {row[kinds.index("TYPE")] for row in rows}
            order.append("relationships")
        loaded.append(name)
    assert sorted(loaded) == sorted(files) and len(loaded) == len(set(loaded))
    assert order == sorted(order, key=["constraint", "nodes", "relationships"].index)
    assert constrained == {header[[k for _, k, _, _ in header].index("ID")][2]
                           for name, (header, _) in files.items() if name.startswith("nodes_")}


def test_import_script(seeds_build, tmp_path):
    """import.sh is valid shell and gives neo4j-admin (Neo4j 5) every file, relative to the
    script's folder, the database named (neo4j by default) and --overwrite-destination.
    Neo4j is in no registry here, so a neo4j-admin that records its arguments stands in."""
    script = seeds_build / "neo4j" / "import.sh"
    assert subprocess.run(["bash", "-n", str(script)]).returncode == 0
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "neo4j-admin").write_text('#!/bin/sh\npwd > "$RECORD"\nprintf "%s\\n" "$@" >> "$RECORD"\n')
    (bin_dir / "neo4j-admin").chmod(0o755)
    csvs = {p.name for p in (seeds_build / "neo4j").glob("*.csv")}
    for args, database in (([], "neo4j"), (["pakg"], "pakg")):
        record = tmp_path / "args"
        env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "RECORD": str(record)}
        subprocess.run(["sh", str(script), *args], cwd=tmp_path, env=env, check=True)
        cwd, *argv = record.read_text(encoding="utf-8").splitlines()
        assert cwd == str(seeds_build / "neo4j")
        assert argv[:4] == ["database", "import", "full", database] and "--overwrite-destination" in argv
        assert "--array-delimiter=;" in argv and "--multiline-fields=true" in argv
        given = [a.split("=", 1)[1] for a in argv if a.startswith(("--nodes=", "--relationships="))]
        assert sorted(given) == sorted(csvs)
        assert all(a.startswith(("--nodes=nodes_", "--relationships=relationships_"))
                   for a in argv if a.startswith(("--nodes=", "--relationships=")))


def test_only_the_formats_asked_for(tmp_path):
    assert main(["build", str(ROOT / "seeds"), "--out", str(tmp_path), "-q", "--format", "nt", "--no-validate"]) == 0
    written = {p.name for p in tmp_path.iterdir()}
    assert {"kg.ttl", "kg.nt", "provenance.ttl", "graph.html", "ontology.ttl"} == written


def test_unknown_format_is_a_usage_error(tmp_path, capsys):
    assert main(["build", str(ROOT / "seeds"), "--out", str(tmp_path), "-q", "--format", "xml"]) == 2
    assert "unknown format xml" in capsys.readouterr().err
