"""rdflib against pyoxigraph on a graph of the project's shape, in one run.

    python bench/bench_store.py --triples 300000 --json bench/results/store.json

Builds a synthetic knowledge graph (provinces → counties → townships → villages, cadres
serving in villages, programs implemented by counties, labels and article links, in the
proportions of a real build) and times, for each library: parsing Turtle, serializing
Turtle and N-Triples, and a SPARQL query that follows ``pa:locatedIn+``.  It prints the
seconds and the ratio rdflib / pyoxigraph; no timing is asserted anywhere.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

PA = "https://w3id.org/pakg/ontology#"
PAD = "https://w3id.org/pakg/id/"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
QUERY = f"""PREFIX pa: <{PA}>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?village ?county WHERE {{
  ?v a pa:Village ; rdfs:label ?village ; pa:locatedIn+ ?c . ?c a pa:County ; rdfs:label ?county }}"""


def synthetic_ntriples(target: int, seed: int = 0) -> bytes:
    rng = random.Random(seed)
    lines: list[str] = []

    def add(s, p, o):
        lines.append(f"{s} {p} {o} .")

    def node(kind, i):
        return f"<{PAD}{kind}/{i}>"

    def label(text):
        return f'"{text}"@zh'

    i = 0
    while len(lines) < target:
        county = node("county", i)
        add(county, f"<{RDF_TYPE}>", f"<{PA}County>")
        add(county, f"<{RDFS_LABEL}>", label(f"县{i}"))
        article = node("article", i)
        add(article, f"<{RDF_TYPE}>", f"<{PA}Article>")
        for t in range(8):
            town = node("township", f"{i}-{t}")
            add(town, f"<{RDF_TYPE}>", f"<{PA}Township>")
            add(town, f"<{RDFS_LABEL}>", label(f"镇{i}-{t}"))
            add(town, f"<{PA}locatedIn>", county)
            for v in range(6):
                village = node("village", f"{i}-{t}-{v}")
                add(village, f"<{RDF_TYPE}>", f"<{PA}Village>")
                add(village, f"<{RDFS_LABEL}>", label(f"村{i}-{t}-{v}"))
                add(village, f"<{PA}locatedIn>", town)
                add(village, f"<{PA}mentionedIn>", article)
                if rng.random() < 0.3:
                    cadre = node("person", f"{i}-{t}-{v}")
                    add(cadre, f"<{RDF_TYPE}>", f"<{PA}Cadre>")
                    add(cadre, f"<{RDFS_LABEL}>", label(f"干部{i}{t}{v}"))
                    add(cadre, f"<{PA}servesIn>", village)
        for _ in range(5):
            add(county, f"<{PA}implements>", node("program", rng.randrange(200)))
        i += 1
    return ("\n".join(lines) + "\n").encode("utf-8")


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def run(triples: int) -> dict:
    import pyoxigraph as ox
    from rdflib import Graph

    nt = synthetic_ntriples(triples)
    turtle = ox.serialize(ox.parse(nt, format=ox.RdfFormat.N_TRIPLES), format=ox.RdfFormat.TURTLE,
                          prefixes={"pa": PA, "pad": PAD})
    out = {"triples": nt.count(b"\n")}
    t, g = timed(lambda: Graph().parse(data=turtle.decode("utf-8"), format="turtle"))
    out["rdflib"] = {"parse_turtle": t}
    out["rdflib"]["serialize_turtle"] = timed(lambda: g.serialize(format="turtle"))[0]
    out["rdflib"]["serialize_ntriples"] = timed(lambda: g.serialize(format="nt"))[0]
    out["rdflib"]["sparql_located_in"], rows = timed(lambda: len(list(g.query(QUERY))))
    store = ox.Store()
    out["pyoxigraph"] = {"parse_turtle": timed(lambda: store.bulk_load(turtle, format=ox.RdfFormat.TURTLE))[0]}
    out["pyoxigraph"]["serialize_turtle"] = timed(
        lambda: store.dump(format=ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph(), prefixes={"pa": PA, "pad": PAD}))[0]
    out["pyoxigraph"]["serialize_ntriples"] = timed(
        lambda: store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()))[0]
    out["pyoxigraph"]["sparql_located_in"], rows2 = timed(lambda: len(list(store.query(QUERY))))
    assert rows == rows2, (rows, rows2)
    out["rows"] = rows
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--triples", type=int, nargs="+", default=[30_000, 300_000])
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    from rich.console import Console
    from rich.table import Table

    results = [run(n) for n in args.triples]
    table = Table(title="rdflib against pyoxigraph (seconds; same graph, same run)")
    for col in ("triples", "operation", "rdflib", "pyoxigraph", "rdflib / pyoxigraph"):
        table.add_column(col, justify="left" if col == "operation" else "right")
    for r in results:
        for op in r["rdflib"]:
            a, b = r["rdflib"][op], r["pyoxigraph"][op]
            table.add_row(f"{r['triples']:,}", op.replace("_", " "), f"{a:.2f}", f"{b:.2f}", f"{a / max(b, 1e-6):.0f}×")
    Console(width=100).print(table)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
