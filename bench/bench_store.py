"""rdflib against pyoxigraph on a graph of the project's shape, in one run; and the
store ``kg load`` makes, against loading the build at every start.

    python bench/bench_store.py --triples 300000 --json bench/results/store.json
    python bench/bench_store.py --disk --triples 1000000 10000000 --json bench/results/disk.json

Builds a synthetic knowledge graph (provinces → counties → townships → villages, cadres
serving in villages, programs implemented by counties, labels and article links, in the
proportions of a real build) and times, for each library: parsing Turtle, serializing
Turtle and N-Triples, and a SPARQL query that follows ``pa:locatedIn+``.  It prints the
seconds and the ratio rdflib / pyoxigraph; no timing is asserted anywhere.

``--disk`` writes a synthetic build folder instead (``kg.trig``: the graph, and each
article's provenance as a named graph, about four times the graph as in a real build;
``ontology.ttl``), loads it with ``kg load``'s own code and times: the load, opening the
store (in this process, and ``kg query --store`` run whole, Python's start included),
and typical queries on the opened store (a county's cadres, a village's mentions across
the provenance graphs, the first 10,000 rows of the ``pa:locatedIn+`` query, as
``kg serve`` cuts them). ``--memory`` also times what ``kg query --build --provenance``
does at every start: loading the same graph into memory.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PA = "https://w3id.org/pakg/ontology#"
PAD = "https://w3id.org/pakg/id/"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
QUERY = f"""PREFIX pa: <{PA}>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?village ?county WHERE {{
  ?v a pa:Village ; rdfs:label ?village ; pa:locatedIn+ ?c . ?c a pa:County ; rdfs:label ?county }}"""


NIF = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
PREFIXES = f"""PREFIX pa: <{PA}>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX nif: <{NIF}>
"""
#: what people ask an endpoint: narrow questions, and a first page of a broad one
STORE_QUERIES = {
    "cadres of a county": PREFIXES + """SELECT ?cadre ?village WHERE {
  ?c rdfs:label "县7"@zh . ?v pa:locatedIn+ ?c ; a pa:Village ; rdfs:label ?village .
  ?p pa:servesIn ?v ; rdfs:label ?cadre }""",
    "mentions of a village": PREFIXES + """SELECT ?text ?begin ?context WHERE {
  ?v rdfs:label "村7-3-1"@zh ; pa:hasMention ?m . ?m nif:anchorOf ?text ; nif:beginIndex ?begin ;
  nif:referenceContext ?context }""",
    "locatedIn+, first 10,000 rows": QUERY + " LIMIT 10000",
}


def counties(seed: int = 0):
    """Each county's part of the graph, endlessly: (its article's context IRI, its N-Triples
    lines, its article's provenance lines: mentions of its places and cadres, and the
    reified statements they were read from)."""
    rng = random.Random(seed)
    i = 0
    while True:
        yield county(i, rng)
        i += 1


def county(i: int, rng: random.Random) -> tuple[str, list[str], list[str]]:
    lines: list[str] = []
    prov: list[str] = []
    article = node("article", i)
    context = f"<{PAD}article/{i}#context>"

    def add(s, p, o):
        lines.append(f"{s} {p} {o} .")

    def mention(entity, text, at):
        m = f"<{PAD}article/{i}#char={at},{at + len(text)}>"
        prov.extend((f"{m} <{RDF_TYPE}> <{PA}Mention> .", f'{m} <{NIF}anchorOf> "{text}" .',
                     f'{m} <{NIF}beginIndex> "{at}"^^<http://www.w3.org/2001/XMLSchema#integer> .',
                     f'{m} <{NIF}endIndex> "{at + len(text)}"^^<http://www.w3.org/2001/XMLSchema#integer> .',
                     f"{m} <{NIF}referenceContext> {context} .", f"{m} <{PA}confidence> 1.0 .",
                     f"{entity} <{PA}hasMention> {m} ."))

    def statement(s, p, o, at):
        st = f"<{PAD}statement/{i}-{at}>"
        prov.extend((f"{st} <{RDF_TYPE}> <{RDF}Statement> .", f"{st} <{RDF}subject> {s} .",
                     f"{st} <{RDF}predicate> <{PA}{p}> .", f"{st} <{RDF}object> {o} .",
                     f'{st} <{PA}foundBy> "rule" .',
                     f"{st} <http://www.w3.org/ns/prov#wasDerivedFrom> <{PAD}article/{i}#char={at},{at + 30}> ."))

    seat = node("county", i)
    add(seat, f"<{RDF_TYPE}>", f"<{PA}County>")
    add(seat, f"<{RDFS_LABEL}>", label(f"县{i}"))
    add(article, f"<{RDF_TYPE}>", f"<{PA}Article>")
    for t in range(8):
        town = node("township", f"{i}-{t}")
        add(town, f"<{RDF_TYPE}>", f"<{PA}Township>")
        add(town, f"<{RDFS_LABEL}>", label(f"镇{i}-{t}"))
        add(town, f"<{PA}locatedIn>", seat)
        mention(town, f"镇{i}-{t}", 1000 * t)
        statement(town, "locatedIn", seat, 1000 * t)
        for v in range(6):
            village = node("village", f"{i}-{t}-{v}")
            add(village, f"<{RDF_TYPE}>", f"<{PA}Village>")
            add(village, f"<{RDFS_LABEL}>", label(f"村{i}-{t}-{v}"))
            add(village, f"<{PA}locatedIn>", town)
            add(village, f"<{PA}mentionedIn>", article)
            at = 1000 * t + 100 * (v + 1)             # the township's mention is at 1000 * t
            mention(village, f"村{i}-{t}-{v}", at)
            mention(village, f"村{i}-{t}-{v}", at + 50)
            statement(village, "locatedIn", town, at)
            if rng.random() < 0.3:
                cadre = node("person", f"{i}-{t}-{v}")
                add(cadre, f"<{RDF_TYPE}>", f"<{PA}Cadre>")
                add(cadre, f"<{RDFS_LABEL}>", label(f"干部{i}{t}{v}"))
                add(cadre, f"<{PA}servesIn>", village)
                mention(cadre, f"干部{i}{t}{v}", at + 70)
                statement(cadre, "servesIn", village, at + 70)
    for _ in range(5):
        add(seat, f"<{PA}implements>", node("program", rng.randrange(200)))
    return context, lines, prov


def node(kind, i) -> str:
    return f"<{PAD}{kind}/{i}>"


def label(text) -> str:
    return f'"{text}"@zh'


def synthetic_ntriples(target: int, seed: int = 0) -> bytes:
    lines: list[str] = []
    parts = counties(seed)
    while len(lines) < target:
        lines += next(parts)[1]
    return ("\n".join(lines) + "\n").encode("utf-8")


def write_build(folder: Path, target: int, memory: bool = False, seed: int = 0) -> int:
    """A build folder of about ``target`` triples in all (kg.trig and ontology.ttl; with
    ``memory`` also kg.ttl and provenance.ttl, for ``kg query --build``); how many."""
    from contextlib import ExitStack

    from kg.ontology import ONTOLOGY_FILE

    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(ONTOLOGY_FILE, folder / "ontology.ttl")
    written = 0
    with ExitStack() as stack:
        trig = stack.enter_context(open(folder / "kg.trig", "w", encoding="utf-8"))
        ttl = stack.enter_context(open(folder / "kg.ttl", "w", encoding="utf-8")) if memory else None
        prov = stack.enter_context(open(folder / "provenance.ttl", "w", encoding="utf-8")) if memory else None
        for context, lines, provenance in counties(seed):
            trig.write("{\n" + "\n".join(lines) + "\n}\n" + context + " {\n" + "\n".join(provenance) + "\n}\n")
            if memory:
                ttl.write("\n".join(lines) + "\n")
                prov.write("\n".join(provenance) + "\n")
            written += len(lines) + len(provenance)
            if written >= target:
                return written
    return written


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


def run_disk(triples: int, memory: bool, workdir: Path) -> dict:
    """``kg load`` of a synthetic build, the store's opening and queries; the build's in-memory load with ``memory``."""
    from kg.sparql import load_build, run_query
    from kg.triplestore import StoredGraph, load

    build, store = workdir / f"build-{triples}", workdir / f"store-{triples}"
    written = write_build(build, triples, memory)
    out = {"triples": written, "kg_trig_bytes": (build / "kg.trig").stat().st_size}
    report = load(build, store)
    out["load"] = report.seconds
    out["load_triples_per_second"] = report.triples / report.seconds
    out["store_bytes"] = sum(p.stat().st_size for p in store.iterdir())
    out["store_files"] = sum(1 for _ in store.iterdir())
    opens = [timed(lambda: StoredGraph(store, provenance=True))[0] for _ in range(5)]
    out["open"] = statistics.median(opens)
    graph = StoredGraph(store, provenance=True)
    out["queries"] = {}
    for name, text in STORE_QUERIES.items():
        runs = [timed(lambda text=text: sum(1 for _ in run_query(graph, text))) for _ in range(3)]
        out["queries"][name] = {"first": runs[0][0], "median": statistics.median(t for t, _ in runs),
                                "rows": runs[0][1]}
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    kg = [sys.executable, "-m", "kg.cli"]
    query = [*kg, "query", "--store", str(store), "--provenance", "--output", "csv", STORE_QUERIES["cadres of a county"]]
    for name, command in (("kg_query_store_wall", query), ("kg_version_wall", [*kg, "--version"])):
        out[name] = statistics.median(
            timed(lambda command=command: subprocess.run(command, env=env, check=True, capture_output=True))[0]
            for _ in range(3))
    if memory:
        out["memory_load"], loaded = timed(lambda: load_build(build, provenance=True))
        assert len(loaded) == report.triples, (len(loaded), report.triples)
        del loaded
    shutil.rmtree(build)
    shutil.rmtree(store)
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--triples", type=int, nargs="+", default=[30_000, 300_000])
    ap.add_argument("--json", type=Path)
    ap.add_argument("--disk", action="store_true", help="time kg load and the store it makes (see above)")
    ap.add_argument("--memory", action="store_true", help="with --disk, also time the build's load into memory")
    ap.add_argument("--workdir", type=Path, default=None, help="with --disk, where to write the builds and stores")
    args = ap.parse_args(argv)
    from rich.console import Console
    from rich.table import Table

    if args.disk:
        return disk_table(args)
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


def disk_table(args) -> int:
    from rich.console import Console
    from rich.table import Table

    with tempfile.TemporaryDirectory(prefix="pakg-bench-store-", dir=args.workdir) as work:
        results = []
        for n in args.triples:
            results.append(run_disk(n, args.memory, Path(work)))
            print(json.dumps(results[-1]), flush=True)
    table = Table(title="kg load and the store it makes (seconds)")
    for col in ("triples", "kg load", "open", "kg query --store (kg --version)", *STORE_QUERIES, "load in memory"):
        table.add_column(col, justify="right")
    for r in results:
        table.add_row(f"{r['triples']:,}", f"{r['load']:.1f}", f"{r['open'] * 1000:.0f} ms",
                      f"{r['kg_query_store_wall']:.2f} ({r['kg_version_wall']:.2f})",
                      *(f"{q['median'] * 1000:.0f} ms ({q['rows']:,} rows)" for q in r["queries"].values()),
                      f"{r['memory_load']:.1f}" if "memory_load" in r else "")
    Console(width=200).print(table)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
