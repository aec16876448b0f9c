"""The actor graph and its GraphML and GEXF, written as text, against what networkx makes.

kg.graphxml writes the files networkx's writers wrote (byte for byte) without their
element trees; kg.actors reads the actor graph from N-Triples lines without a triple
store.  Each is checked here against the slow way it replaced.
"""
import io
import re

import networkx as nx
import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef

from kg import graphxml
from kg.actors import EDGES, NODE_TYPES, Actor, Actors, actors
from kg.formats import to_networkx
from kg.namespaces import PA, RDF, RDFS, SKOS
from kg.ntriples import triples

TRICKY = "a&b<c>d\"e'f\ng\rh\ti]]>j 胡家坪村 \u00a0 \U0001F600 &amp;"


def networkx_graphml(G) -> bytes:
    buf = io.BytesIO()
    nx.write_graphml(G, buf, encoding="utf-8")
    return buf.getvalue()


def networkx_gexf(G) -> bytes:
    buf = io.BytesIO()
    nx.write_gexf(G, buf, encoding="utf-8", version="1.2draft")
    return re.sub(rb' lastmodifieddate="[^"]*"', b"", buf.getvalue())


def old_actor_graph(g: Graph) -> nx.MultiDiGraph:
    """The actor graph as the build made it before kg.actors: rdflib look-ups per node."""
    G = nx.MultiDiGraph()
    types = {PA[t]: t for t in NODE_TYPES}
    for node in sorted({s for s, t in g.subject_objects(RDF.type) if t in types}):
        type_ = next(types[t] for t in sorted(g.objects(node, RDF.type)) if t in types)
        G.add_node(str(node), label=str(g.value(node, RDFS.label) or ""), type=type_,
                   altLabels=";".join(sorted(map(str, g.objects(node, SKOS.altLabel)))),
                   adminCode=str(g.value(node, PA.adminCode) or ""),
                   titles=";".join(sorted(map(str, g.objects(node, PA.positionTitle)))),
                   articles=len(set(g.objects(node, PA.mentionedIn))))
    for rel in EDGES:
        for s, o in sorted(g.subject_objects(PA[rel])):
            if str(s) in G and str(o) in G:
                G.add_edge(str(s), str(o), key=rel, relation=rel)
    return G


def same_graph(a: nx.MultiDiGraph, b: nx.MultiDiGraph) -> bool:
    return list(a.nodes(data=True)) == list(b.nodes(data=True)) \
        and list(a.edges(keys=True, data=True)) == list(b.edges(keys=True, data=True))


@pytest.fixture(scope="module")
def seeds_lines(seeds_build):
    return (seeds_build / "kg.nt").read_text(encoding="utf-8").splitlines()


def test_actor_graph_is_the_one_rdflib_lookups_give(seeds_lines, seeds_graph):
    fast = to_networkx(actors(seeds_lines))
    assert fast.number_of_nodes() > 50 and fast.number_of_edges() > 50
    assert same_graph(fast, old_actor_graph(seeds_graph))
    assert same_graph(to_networkx(actors(reversed(seeds_lines))), fast)     # the lines' order does not matter


def test_graph_files_are_networkx_byte_for_byte(seeds_lines):
    graph = actors(seeds_lines)
    G = to_networkx(graph)
    assert b"".join(graphxml.graphml(graph)) == networkx_graphml(G)
    assert b"".join(graphxml.gexf(graph)) == networkx_gexf(G)


def tricky_graph() -> Actors:
    nodes = [Actor(f"http://x/{TRICKY}", TRICKY, "Village", f"{TRICKY};b", "430000", "", 3),
             Actor("http://x/t", "伏口镇", "Township", "", "", TRICKY, 0),
             Actor("http://x/z", "", "County", "", "", "", 1)]
    return Actors(nodes, [(nodes[0].id, "http://x/t", "locatedIn"), (nodes[0].id, "http://x/t", "implements"),
                          ("http://x/t", "http://x/z", "locatedIn")])


@pytest.mark.parametrize("graph", [tricky_graph(), Actors(tricky_graph().nodes, []), Actors([], [])],
                         ids=["escapes", "no edges", "empty"])
def test_escapes_and_edge_cases_are_networkx_byte_for_byte(graph):
    G = to_networkx(graph)
    assert b"".join(graphxml.graphml(graph)) == networkx_graphml(G)
    assert b"".join(graphxml.gexf(graph)) == networkx_gexf(G)


def test_files_read_back_into_the_same_graph(tmp_path):
    graph = tricky_graph()
    (tmp_path / "g.graphml").write_bytes(b"".join(graphxml.graphml(graph)))
    (tmp_path / "g.gexf").write_bytes(b"".join(graphxml.gexf(graph)))
    expected = to_networkx(graph)
    assert same_graph(nx.read_graphml(tmp_path / "g.graphml", force_multigraph=True), expected)
    back = nx.read_gexf(tmp_path / "g.gexf")
    assert list(back.nodes(data=True)) == list(expected.nodes(data=True))
    assert [(s, o, d["relation"]) for s, o, d in back.edges(data=True)] == graph.edges


def test_characters_xml_cannot_hold_are_dropped(tmp_path):
    graph = Actors([Actor("http://x/v\x01", "胡家\x0b坪村\ufffe", "Village", "", "", "", 1)], [])
    with pytest.raises(ValueError):      # networkx (lxml) refuses them
        networkx_graphml(to_networkx(graph))
    for name, write, read in (("g.graphml", graphxml.graphml, nx.read_graphml),
                              ("g.gexf", graphxml.gexf, nx.read_gexf)):
        (tmp_path / name).write_bytes(b"".join(write(graph)))
        assert dict(read(tmp_path / name).nodes(data="label")) == {"http://x/v": "胡家坪村"}



def test_documents_come_in_batches_of_the_same_bytes():
    graph = Actors([Actor(f"http://x/v{i}", f"村\x01{i}", "Village", "", "", "", 1) for i in range(5)],
                   [("http://x/v0", "http://x/v1", "locatedIn")])
    for parts in (graphxml._graphml, graphxml._gexf):
        whole = b"".join(graphxml._document(parts(graph), size=10**6))
        batches = list(graphxml._document(parts(graph), size=3))
        assert len(batches) > 5 and b"".join(batches) == whole and b"\x01" not in whole


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


def test_actors_of_lines_with_literals_escapes_and_odd_spacing():
    v, t = "http://x/v", "http://x/t"
    g = Graph()
    g.add((URIRef(v), RDF.type, PA.Village))
    g.add((URIRef(v), RDF.type, PA.Cadre))                       # two actor classes: the first by IRI
    g.add((URIRef(v), RDF.type, Literal(str(PA.County))))       # a literal is no class
    g.add((URIRef(v), RDFS.label, Literal('村"一"\n', lang="zh")))
    g.add((URIRef(v), SKOS.altLabel, Literal("乙", lang="zh")))
    g.add((URIRef(v), SKOS.altLabel, Literal("乙")))             # the same text twice, as two terms
    g.add((URIRef(v), PA.mentionedIn, URIRef("http://x/a1")))
    g.add((URIRef(v), PA.mentionedIn, URIRef("http://x/a2")))
    g.add((URIRef(v), PA.locatedIn, URIRef(t)))
    g.add((URIRef(t), RDF.type, PA.Township))
    g.add((URIRef(t), PA.adminCode, Literal("431382")))
    g.add((URIRef(t), PA.locatedIn, URIRef("http://x/not-an-actor")))
    lines = g.serialize(format="nt").splitlines()
    lines = [line.replace(" ", "\t", 1) if "adminCode" in line else line for line in lines]
    assert same_graph(to_networkx(actors(lines)), old_actor_graph(g))
    node = actors(lines).nodes[1]
    assert (node.type, node.altLabels, node.articles) == ("Cadre", "乙;乙", 2)


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
