"""The property graph and its GraphML and GEXF, written as text, against slower ways.

kg.property_graph reads the graph tools' nodes and edges from N-Triples lines without a
triple store, and takes their evidence from the extractions rather than the provenance
graph; kg.graphxml writes the files without an element tree.  Each is checked here
against what rdflib look-ups, the provenance graph and networkx's readers give.
"""
import re

import networkx as nx
import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef

from kg import graphxml
from kg.formats import to_networkx
from kg.namespaces import DCTERMS, NIF, PA, PROV, RDF, RDFS, SKOS
from kg.ntriples import triples
from kg.speed.incremental import Pieces
from kg.remember import remembering
from kg.property_graph import (
    NODE_CLASSES,
    RELATIONS,
    Edge,
    Node,
    PropertyGraph,
    edge_evidence,
    labels,
    project,
)

TRICKY = "a&b<c>d\"e'f\ng\rh\ti]]>j 胡家坪村 \u00a0 \U0001F600 &amp;"
#: What rdflib look-ups read of each property (the node's own; its label is a figure's own text).
_ONE = {"label": (RDFS.label, DCTERMS.title), "adminCode": (PA.adminCode,), "indicator": (PA.indicator,),
        "value": (PA.value,), "unit": (PA.unit,), "year": (PA.refYear,), "periodStart": (PA.refPeriodStart,),
        "periodEnd": (PA.refPeriodEnd,), "foundBy": (PA.foundBy,)}
_ALL = {"altLabels": SKOS.altLabel, "positionTitles": PA.positionTitle, "sourceFiles": PA.sourceFile}


def rdflib_graph(g: Graph) -> nx.MultiDiGraph:
    """The property graph by rdflib look-ups per node and property, less what is made of
    the ontology (a node's group, a figure's label)."""
    G = nx.MultiDiGraph()
    classes = {PA[c]: c for c in NODE_CLASSES}
    for node in sorted({s for s, t in g.subject_objects(RDF.type) if t in classes}):
        cls = next(classes[t] for t in sorted(g.objects(node, RDF.type)) if t in classes)
        attrs = {"class": cls}
        for name, predicates in _ONE.items():
            values = sorted(str(v).rsplit("#", 1)[-1] for p in predicates for v in g.objects(node, p))
            if values and not (name == "label" and cls == "Observation"):
                attrs[name] = float(values[0]) if name == "value" else \
                    int(values[0]) if name in ("year", "periodStart", "periodEnd") else values[0]
        for name, p in _ALL.items():
            if values := sorted(map(str, g.objects(node, p))):
                attrs[name] = ";".join(values)
        if cls not in ("Observation", "Article"):
            attrs["articles"] = len(set(g.objects(node, PA.mentionedIn)))
        G.add_node(str(node), **attrs)
    for rel in RELATIONS:
        for s, o in sorted(g.subject_objects(PA[rel])):
            if str(s) in G and str(o) in G:
                G.add_edge(str(s), str(o), key=rel, relation=rel)
    return G


def without(G: nx.MultiDiGraph, node_keys=(), edge_keys=()) -> nx.MultiDiGraph:
    """A copy of G without some attributes of every node (of figures', for a figure's label) and edge."""
    H = nx.MultiDiGraph()
    for n, d in G.nodes(data=True):
        H.add_node(n, **{k: v for k, v in d.items() if k not in node_keys
                         and not (k == "label" and d["class"] == "Observation")})
    for s, o, k, d in G.edges(keys=True, data=True):
        H.add_edge(s, o, key=k, **{a: v for a, v in d.items() if a not in edge_keys})
    return H


def same_graph(a: nx.MultiDiGraph, b: nx.MultiDiGraph) -> bool:
    return sorted(a.nodes(data=True)) == sorted(b.nodes(data=True)) \
        and sorted(a.edges(keys=True, data=True)) == sorted(b.edges(keys=True, data=True))


@pytest.fixture(scope="module")
def seeds_lines(seeds_build):
    return (seeds_build / "kg.nt").read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="module")
def seeds_extractions():
    from kg.speed.parallel import extract_all
    from kg.ingest import read_article, scan
    from tests.conftest import ROOT

    paths, _, _ = scan(ROOT / "seeds")
    return extract_all([read_article(p, ROOT / "seeds") for p in paths], cache=None)


def test_property_graph_is_the_one_rdflib_lookups_give(seeds_lines, seeds_graph):
    fast = to_networkx(project(seeds_lines))
    classes = {d["class"] for _, d in fast.nodes(data=True)}
    assert {"Observation", "Article", "Village", "Cadre", "Program"} <= classes
    assert fast.number_of_nodes() > 150 and fast.number_of_edges() > 400
    assert same_graph(without(fast, node_keys=("group",)), rdflib_graph(seeds_graph))
    assert same_graph(to_networkx(project(reversed(seeds_lines))), fast)     # the lines' order does not matter
    assert all(d["group"] == labels(d["class"])[-1] for _, d in fast.nodes(data=True))
    figure = fast.nodes["https://w3id.org/pakg/id/observation/fu-kou-qu-povertyincidence-2015-3.1"]
    assert figure["label"] == "贫困发生率 2015: 3.1%" and figure["value"] == 3.1 and figure["year"] == 2015


def test_evidence_is_what_the_provenance_graph_records(seeds_build, seeds_lines, seeds_extractions):
    """Each edge's sentence, file, rules and confidence, from the extractions, are those of
    provenance.ttl: its statements' sentences and rules, its mentions' sentences,
    rules and confidence."""
    prov = Graph().parse(seeds_build / "provenance.ttl")
    graph = project(seeds_lines, evidence=edge_evidence(seeds_extractions))
    anchor = {s: str(o) for s, o in prov.subject_objects(NIF.anchorOf)}

    def sentences(derived):      # (file, begin, text) of a statement's sentences, in order
        return sorted((str(prov.value(prov.value(s, NIF.referenceContext), PA.sourceFile)),
                       int(prov.value(s, NIF.beginIndex)), anchor[s]) for s in derived if s in anchor)

    checked = {"mentionedIn": 0, "other": 0}
    for edge in graph.edges:
        if edge.relation == "mentionedIn" and "/article/" in edge.target and "/observation/" not in edge.source:
            context = URIRef(edge.target + "#context")
            mentions = [m for m in prov.objects(URIRef(edge.source), PA.hasMention)
                        if (m, NIF.referenceContext, context) in prov]
            assert mentions, edge
            first = min((m for m in mentions if prov.value(m, NIF.sentence)),
                        key=lambda m: int(prov.value(m, NIF.beginIndex)))
            assert edge.evidence == anchor[prov.value(first, NIF.sentence)]
            assert edge.foundBy == ";".join(sorted({str(prov.value(m, PA.foundBy)) for m in mentions}))
            assert float(edge.confidence) == max(float(prov.value(m, PA.confidence)) for m in mentions)
            checked["mentionedIn"] += 1
        elif edge.relation not in ("mentionedIn", "refArea"):
            statements = [st for st in prov.subjects(RDF.subject, URIRef(edge.source))
                          if (st, RDF.predicate, PA[edge.relation]) in prov
                          and (st, RDF.object, URIRef(edge.target)) in prov]
            assert statements, edge
            found = sentences(d for st in statements for d in prov.objects(st, PROV.wasDerivedFrom))
            file, _, text = found[0] if found else ("", 0, "")
            assert (edge.evidence, edge.sourceFile, edge.confidence) == (text, file, "")
            assert edge.foundBy == ";".join(sorted({str(r) for st in statements for r in prov.objects(st, PA.foundBy)}))
            checked["other"] += 1
    assert checked["mentionedIn"] > 100 and checked["other"] > 100


def test_graph_files_read_back_into_the_graph(seeds_lines, seeds_extractions, tmp_path):
    graph = project(seeds_lines, evidence=edge_evidence(seeds_extractions))
    (tmp_path / "g.graphml").write_bytes(b"".join(graphxml.graphml(graph)))
    (tmp_path / "g.gexf").write_bytes(b"".join(graphxml.gexf(graph)))
    expected = to_networkx(graph)
    assert same_graph(graphml_back(tmp_path / "g.graphml"), expected)
    assert same_graph(gexf_back(tmp_path / "g.gexf"), expected)


def graphml_back(path) -> nx.MultiDiGraph:
    """A GraphML file read back by networkx, its edges keyed by relation (GraphML's edges have no id)."""
    return _keyed(nx.read_graphml(path, force_multigraph=True))


def gexf_back(path) -> nx.MultiDiGraph:
    """A GEXF file read back by networkx, its edges keyed by relation, without the edge's
    id and label (the relation again) that networkx puts among its attributes, nor the
    label None it gives a node without one."""
    return _keyed(nx.read_gexf(path), drop=("id", "label"))


def _keyed(G, drop=()) -> nx.MultiDiGraph:
    H = nx.MultiDiGraph()
    H.add_nodes_from((n, {k: v for k, v in d.items() if v is not None}) for n, d in G.nodes(data=True))
    for s, o, d in G.edges(data=True):
        H.add_edge(s, o, key=d["relation"], **{k: v for k, v in d.items() if k not in drop})
    return H


def tricky_graph() -> PropertyGraph:
    nodes = [Node(f"http://x/{TRICKY}", "Village", TRICKY, f"{TRICKY};b", "430000", "", 3),
             Node("http://x/f", "Observation", "贫困发生率 2015: 3.1%", indicator="PovertyIncidence", value="3.1",
                  unit="%", year="2015", foundBy=TRICKY),
             Node("http://x/t", "Township", "伏口镇", positionTitles=TRICKY, articles=0),
             Node("http://x/z", "County", articles=1),
             Node("http://x/a", "Article", TRICKY, sourceFiles="a.txt;b&c.txt")]
    return PropertyGraph(nodes, sorted([
        Edge(nodes[0].id, "http://x/t", "locatedIn", TRICKY, "a.txt", "gazetteer;subject"),
        Edge(nodes[0].id, "http://x/t", "implements"),
        Edge(nodes[0].id, "http://x/a", "mentionedIn", "甲\n乙", "a.txt", "places.short", "0.80"),
        Edge("http://x/f", "http://x/z", "refArea"),
        Edge("http://x/t", "http://x/z", "locatedIn")]))


@pytest.mark.parametrize("graph", [tricky_graph(), PropertyGraph(tricky_graph().nodes, []), PropertyGraph([], [])],
                         ids=["escapes", "no edges", "empty"])
def test_escapes_and_edge_cases_read_back(graph, tmp_path):
    (tmp_path / "g.graphml").write_bytes(b"".join(graphxml.graphml(graph)))
    (tmp_path / "g.gexf").write_bytes(b"".join(graphxml.gexf(graph)))
    expected = to_networkx(graph)
    assert same_graph(graphml_back(tmp_path / "g.graphml"), expected)
    assert same_graph(gexf_back(tmp_path / "g.gexf"), expected)
    assert b"networkx_key" not in (tmp_path / "g.gexf").read_bytes()


def test_characters_xml_cannot_hold_are_dropped(tmp_path):
    graph = PropertyGraph([Node("http://x/v\x01", "Village", "胡家\x0b坪村\ufffe", articles=1)], [])
    for name, write, read in (("g.graphml", graphxml.graphml, nx.read_graphml),
                              ("g.gexf", graphxml.gexf, nx.read_gexf)):
        (tmp_path / name).write_bytes(b"".join(write(graph)))
        assert dict(read(tmp_path / name).nodes(data="label")) == {"http://x/v": "胡家坪村"}


def test_documents_come_in_batches_of_the_same_bytes():
    graph = PropertyGraph([Node(f"http://x/v{i}", "Village", f"村\x01{i}", articles=1) for i in range(5)],
                          [Edge("http://x/v0", "http://x/v1", "locatedIn")])
    for parts in (graphxml._graphml, graphxml._gexf):
        whole = b"".join(graphxml._document(parts(graph), size=10**6))
        batches = list(graphxml._document(parts(graph), size=3))
        assert len(batches) > 5 and b"".join(batches) == whole and b"\x01" not in whole


def test_files_made_of_kept_pieces_are_the_files_made_anew(seeds_lines, seeds_extractions):
    """A process that builds again (kg build --watch) writes the graph files from the runs
    it kept: after an edit, the same bytes as a clean writer's."""
    from kg.formats import neo4j

    evidence = edge_evidence(seeds_extractions)
    pieces = Pieces()
    edited = sorted(set(seeds_lines[:-40]) | {'<http://x/v> <http://www.w3.org/2000/01/rdf-schema#label> "新村"@zh .',
                                               f"<http://x/v> <{RDF.type}> <{PA.Village}> ."})
    assert all(ex.article.digest for ex in seeds_extractions)       # the key of an article's evidence
    for lines in (seeds_lines, edited, seeds_lines):
        with remembering(pieces):
            assert edge_evidence(seeds_extractions) == evidence
            kept = project(lines, evidence)
            files = [b"".join(write(kept)) for write in (graphxml.graphml, graphxml.gexf)], _whole(neo4j(kept))
        clean = project(lines, evidence=evidence)
        assert kept == clean
        assert files == ([b"".join(write(clean)) for write in (graphxml.graphml, graphxml.gexf)], _whole(neo4j(clean)))
        pieces.sweep()


def _whole(files: dict) -> dict[str, bytes]:
    """Files given in chunks (kg.formats.neo4j), each whole."""
    return {name: b"".join(chunks) for name, chunks in files.items()}


LINES = [
    '<http://x/a> <http://x/p> <http://x/b> .',
    '<http://x/a>\t<http://x/p>   <http://x/c>\t.',                  # other white space
    '<http://x/a><http://x/p><http://x/d> .',                        # none
    '<http://x/\\u00E9> <http://x/p> <http://x/b> .',                # an escaped IRI
    '<http://x/a> <http://x/p> "two words \\"quoted\\" \\u00E9"@zh .',
    '<http://x/a> <http://x/p> "1.5"^^<http://www.w3.org/2001/XMLSchema#decimal> .',
    '_:b0 <http://x/p> <http://x/b> .',
    '<http://x/a> <http://x/q> _:b1 .',
    '# a comment',
    '',
    '<http://x/a> <http://x/p> <http://x/e> . # a comment after',
]


def test_triples_are_what_pyoxigraph_parses():
    def plain(t):
        return t.value if isinstance(t, ox.NamedNode) else t
    expected = [(t.subject.value, t.predicate.value, plain(t.object))
                for t in ox.parse("\n".join(LINES).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)]
    assert list(triples(LINES)) == expected and len(expected) == 9
    assert list(triples(LINES, frozenset({"http://x/q"}))) == [t for t in expected if t[1] == "http://x/q"]


def test_nodes_of_lines_with_literals_escapes_and_odd_spacing():
    v, t = "http://x/v", "http://x/t"
    g = Graph()
    g.add((URIRef(v), RDF.type, PA.Village))
    g.add((URIRef(v), RDF.type, PA.Cadre))                       # two classes: the first by IRI
    g.add((URIRef(v), RDF.type, Literal(str(PA.County))))       # a literal is no class
    g.add((URIRef(v), RDFS.label, Literal('村"一"\n', lang="zh")))
    g.add((URIRef(v), SKOS.altLabel, Literal("乙", lang="zh")))
    g.add((URIRef(v), SKOS.altLabel, Literal("乙")))             # the same text twice, as two terms
    g.add((URIRef(v), PA.mentionedIn, URIRef("http://x/a1")))
    g.add((URIRef(v), PA.mentionedIn, URIRef("http://x/a2")))
    g.add((URIRef(v), PA.locatedIn, URIRef(t)))
    g.add((URIRef(t), RDF.type, PA.Township))
    g.add((URIRef(t), PA.adminCode, Literal("431382")))
    g.add((URIRef(t), PA.locatedIn, URIRef("http://x/not-a-node")))
    lines = g.serialize(format="nt").splitlines()
    lines = [line.replace(" ", "\t", 1) if "adminCode" in line else line for line in lines]
    assert same_graph(without(to_networkx(project(lines)), node_keys=("group",)), rdflib_graph(g))
    node = project(lines).nodes[1]
    assert (node.cls, node.altLabels, node.articles) == ("Cadre", "乙;乙", 2)


def test_turtle_in_parts_is_the_turtle_of_the_whole(seeds_lines):
    """kg.ttl and kg.trig are written in parts of whole subjects; any part size gives the
    bytes of one serialisation of all the lines."""
    import pyoxigraph as ox

    from kg.ntriples import KG_PREFIXES, prefix_header, prefixes, to_bytes, turtle_parts

    whole = ox.serialize(ox.parse(to_bytes(seeds_lines), format=ox.RdfFormat.N_TRIPLES),
                         format=ox.RdfFormat.TURTLE, prefixes=prefixes(*KG_PREFIXES))
    body = re.sub(rb"\A(?:@prefix [^\n]*\n)*", b"", whole)
    for size in (1, 7, 50, len(seeds_lines)):
        parts = list(turtle_parts(seeds_lines, size=size))
        assert parts[0] == prefix_header() + b"\n"
        assert b"".join(parts[1:]) == body
    assert len(list(turtle_parts(seeds_lines, size=50))) > 10
