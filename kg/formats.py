"""Every export format of a build, one function each, for the tools users take it into.

=================  =====================  ================================================
``--format``       file                   for
=================  =====================  ================================================
``ttl``            ``kg.ttl``             people, and any RDF tool (always written)
``nt``             ``kg.nt``              bulk loaders (one triple a line, sorted)
``jsonld``         ``kg.jsonld``          web developers; compacted with ``context.jsonld``
``trig``           ``kg.trig``            triple stores: the graph plus one named graph of
                                          provenance per article
``graphml``        ``kg.graphml``         Gephi, yEd, networkx
``gexf``           ``kg.gexf``            Gephi
``neo4j``          ``neo4j/*.csv``        ``neo4j-admin database import full``
=================  =====================  ================================================

Every function returns bytes (or, for Neo4j, file name → bytes) so that the caller
writes them atomically, and every output is deterministic: the same graph gives the
same bytes.
"""
from __future__ import annotations

import csv
import io
import json
import re
from collections import defaultdict

import networkx as nx
from rdflib import Graph

from .namespaces import PA, PREFIXES, RDF, RDFS, SKOS
from .ontology import ONTOLOGY_DIR

FORMATS = ("ttl", "nt", "jsonld", "trig", "graphml", "gexf", "neo4j")
CONTEXT_FILE = ONTOLOGY_DIR / "context.jsonld"
#: Relations between actors that graph tools draw as edges.
EDGES = ("locatedIn", "servesIn", "residentOf", "implements")
#: Classes whose instances are nodes in graph tools (posts and observations are attributes).
NODE_TYPES = ("Province", "Prefecture", "County", "Township", "Village", "Cadre", "Resident", "Enterprise",
              "Cooperative", "GovernmentBody", "Program")
ARRAY_DELIMITER = ";"


def ntriples(g: Graph) -> bytes:
    """N-Triples, sorted line by line."""
    lines = {ln for ln in g.serialize(format="nt").splitlines() if ln.strip()}
    return ("\n".join(sorted(lines)) + "\n").encode("utf-8")


def jsonld(g: Graph) -> bytes:
    """JSON-LD compacted with the project's context (``ontology/context.jsonld``, also
    written next to it for reuse), so keys read ``label``, ``locatedIn``, ``servesIn``
    rather than full IRIs.  The context is embedded, so the file reads offline."""
    context = json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))["@context"]
    data = json.loads(g.serialize(format="json-ld", context=context, auto_compact=True, sort_keys=True))
    graph = data.get("@graph", [data])
    graph = sorted((n for n in graph if isinstance(n, dict)), key=lambda n: str(n.get("@id", "")))
    out = {"@context": context, "@graph": graph}
    return (json.dumps(out, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


def context() -> bytes:
    return CONTEXT_FILE.read_bytes()


def trig(g: Graph, provenance: dict[str, set[str]]) -> bytes:
    """TriG: the knowledge graph as the default graph, and each article's provenance
    (mentions, sentences, reified relations) as a named graph named by its context IRI."""
    import pyoxigraph as ox

    quads = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph())
             for t in ox.parse(ntriples(g), format=ox.RdfFormat.N_TRIPLES)]
    for name in sorted(provenance):
        data = ("\n".join(sorted(provenance[name])) + "\n").encode("utf-8")
        graph = ox.NamedNode(name)
        quads += [ox.Quad(t.subject, t.predicate, t.object, graph)
                  for t in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)]
    prefixes = {k: str(v) for k, v in PREFIXES.items() if k != "pad"}
    prefixes["itsrdf"] = "http://www.w3.org/2005/11/its/rdf#"
    return ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=prefixes)


def actor_graph(g: Graph) -> nx.MultiDiGraph:
    """The actors and their relations as a networkx graph with plain string attributes.

    >>> from rdflib import Graph
    >>> g = Graph().parse(data='''@prefix pa: <https://w3id.org/pakg/ontology#> .
    ... @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    ... <http://x/v> a pa:Village ; rdfs:label "胡家坪村" ; pa:locatedIn <http://x/t> .
    ... <http://x/t> a pa:Township ; rdfs:label "伏口镇" .''', format="turtle")
    >>> G = actor_graph(g)
    >>> G.nodes["http://x/v"]["label"], list(G.edges(data="relation"))
    ('胡家坪村', [('http://x/v', 'http://x/t', 'locatedIn')])
    """
    G = nx.MultiDiGraph()
    types = {PA[t]: t for t in NODE_TYPES}
    for node in sorted({s for s, t in g.subject_objects(RDF.type) if t in types}):
        type_ = next(types[t] for t in sorted(g.objects(node, RDF.type)) if t in types)
        G.add_node(str(node), label=str(g.value(node, RDFS.label) or ""), type=type_,
                   altLabels=ARRAY_DELIMITER.join(sorted(map(str, g.objects(node, SKOS.altLabel)))),
                   adminCode=str(g.value(node, PA.adminCode) or ""),
                   titles=ARRAY_DELIMITER.join(sorted(map(str, g.objects(node, PA.positionTitle)))),
                   articles=len(set(g.objects(node, PA.mentionedIn))))
    for rel in EDGES:
        for s, o in sorted(g.subject_objects(PA[rel])):
            if str(s) in G and str(o) in G:
                G.add_edge(str(s), str(o), key=rel, relation=rel)
    return G


def graphml(g: Graph) -> bytes:
    buf = io.BytesIO()
    nx.write_graphml(actor_graph(g), buf, encoding="utf-8")
    return buf.getvalue()


def gexf(g: Graph) -> bytes:
    """GEXF 1.2 for Gephi; networkx stamps today's date in it, which is dropped so that the
    file depends on the graph only."""
    buf = io.BytesIO()
    nx.write_gexf(actor_graph(g), buf, encoding="utf-8", version="1.2draft")
    return re.sub(rb' lastmodifieddate="[^"]*"', b"", buf.getvalue())


def neo4j(g: Graph) -> dict[str, bytes]:
    """CSV files for ``neo4j-admin database import full``: one node file per label, one
    relationship file per type, headers in the importer's syntax (``id:ID``, ``:LABEL``,
    ``:START_ID``, ``:END_ID``, ``:TYPE``; arrays split on ``;``)."""
    G = actor_graph(g)
    files: dict[str, bytes] = {}
    by_type = defaultdict(list)
    for node, data in G.nodes(data=True):
        by_type[data["type"]].append((node, data))
    header = ["id:ID", "label", "altLabels:string[]", "adminCode", "positionTitles:string[]", "articles:int", ":LABEL"]
    for type_, rows in sorted(by_type.items()):
        files[f"nodes_{type_}.csv"] = _csv([header] + [
            [node, d["label"], d["altLabels"], d["adminCode"], d["titles"], d["articles"], f"{type_}{ARRAY_DELIMITER}Actor"]
            for node, d in sorted(rows)])
    for rel in EDGES:
        rows = sorted({(s, o) for s, o, r in G.edges(data="relation") if r == rel})
        if rows:
            files[f"relationships_{rel}.csv"] = _csv([[":START_ID", ":END_ID", ":TYPE"]] + [[s, o, rel] for s, o in rows])
    return files


def neo4j_import_command(files: dict[str, bytes], folder: str = "neo4j") -> str:
    """The shell command that loads the CSV files into a new Neo4j database."""
    parts = ["neo4j-admin database import full neo4j", f"--array-delimiter='{ARRAY_DELIMITER}'"]
    parts += [f"--nodes={folder}/{f}" for f in sorted(files) if f.startswith("nodes_")]
    parts += [f"--relationships={folder}/{f}" for f in sorted(files) if f.startswith("relationships_")]
    return " \\\n    ".join(parts)


def _csv(rows) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue().encode("utf-8")


def parse_formats(spec: list[str] | None) -> tuple[str, ...]:
    """``["nt,jsonld", "gexf"]`` → the formats asked for; ``all`` or nothing → every one.

    >>> parse_formats(["nt,gexf"]), parse_formats(None) == FORMATS
    (('ttl', 'nt', 'gexf'), True)
    """
    asked = [f.strip().lower() for item in (spec or ["all"]) for f in item.split(",") if f.strip()]
    if "all" in asked:
        return FORMATS
    unknown = sorted(set(asked) - set(FORMATS))
    if unknown:
        raise ValueError(f"unknown format {', '.join(unknown)} (choose from {', '.join(FORMATS)}, all)")
    return tuple(f for f in FORMATS if f == "ttl" or f in asked)


