"""``kg query``: one SPARQL query against a build folder, or a store made by ``kg load``,
answered on standard output.

SELECT prints a table on a terminal and CSV down a pipe (or what ``--output`` says: the
W3C CSV, TSV, JSON or XML results formats, byte for byte what ``kg serve`` answers);
CONSTRUCT and DESCRIBE print Turtle; ASK prints true or false and says it in the exit
status too (0 true, 1 false), so shell scripts and CI can test the graph:

    kg query -f queries/first-secretaries.rq
    kg query --output json 'SELECT ?v WHERE { ?v a pa:Village }' > villages.json
    kg query -f queries/every-village-has-a-county.rq && echo placed
    kg query --store store -f queries/first-secretaries.rq     # after kg load output --store store

A query that does not parse, or a build folder or store that is not one, is reported in
one line naming the file and the problem (exit 2), never with a traceback.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXIT_TRUE, EXIT_FALSE, EXIT_USAGE = 0, 1, 2
OUTPUTS = ("table", "csv", "tsv", "json", "xml", "turtle", "ntriples", "nquads", "jsonld", "rdfxml")


def add_query_parser(sub) -> argparse.ArgumentParser:
    from .triplestore import add_source_arguments

    q = sub.add_parser(
        "query", help="run a SPARQL query against a build folder or a store",
        description="Run a SPARQL 1.1 query (inline, or from a file with -f) against a build folder "
                    "(kg.ttl + ontology.ttl, and provenance.ttl with --provenance) using pyoxigraph, or "
                    "against a store made by kg load (--store DIR). "
                    "SELECT prints a table on a terminal, CSV otherwise; CONSTRUCT/DESCRIBE print Turtle; "
                    "ASK prints true/false and exits 0/1. Prefixes pa:, pad:, rdfs:, org:, prov:, skos:, "
                    "qb:, nif: … are predeclared. Exit 2 on a syntax error or a missing build.",
        epilog="Example: kg query -f queries/first-secretaries.rq --build output")
    q.add_argument("query", nargs="?", help="the query text (or use -f FILE)")
    q.add_argument("-f", "--file", type=Path, help="read the query from FILE (- for standard input)")
    add_source_arguments(q, "query")
    q.add_argument("--output", choices=OUTPUTS, default=None, metavar="FORMAT",
                   help="result format: table (default on a terminal), csv (default otherwise), tsv, json, "
                        "xml (SPARQL results formats, for SELECT/ASK); turtle (default), ntriples, nquads "
                        "(each triple in the graph that holds it), jsonld, rdfxml for CONSTRUCT/DESCRIBE")
    return q


def cmd_query(args) -> int:
    from rich.console import Console
    from rich.markup import escape

    from .sparql import BuildError, QuerySyntaxError, QueryTooDeep, RemoteAccessRefused, run_query
    from .triplestore import StoreError, source_of

    err = Console(stderr=True, highlight=False)

    def fail(message: str, detail: str = "") -> int:
        err.print(f"[red]error:[/] {escape(message)}", soft_wrap=True)
        if detail:
            err.print(escape(detail), soft_wrap=True, markup=False)
        return EXIT_USAGE

    if (args.query is None) == (args.file is None):
        return fail("give the query either inline or with -f FILE (exactly one of them)")
    source = "the query"
    if args.file is not None:
        source = "standard input" if str(args.file) == "-" else str(args.file)
        try:
            text = sys.stdin.read() if str(args.file) == "-" else args.file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            return fail(f"cannot read the query file {args.file}: {getattr(e, 'strerror', None) or e}")
    else:
        text = args.query
    graph = source_of(args)
    try:
        build = graph.open()
        result = run_query(build, text)
        return _print(result, build.store, args.output, fail)     # SELECT is evaluated as it is written out
    except (BuildError, StoreError) as e:
        return fail(f"{graph.kind} {e}")
    except (RemoteAccessRefused, QueryTooDeep) as e:
        return fail(f"{source} is refused: {e}")
    except QuerySyntaxError as e:
        where = f", line {e.line}, column {e.column}" if e.line else ""
        hint = ""
        if args.query is not None and Path(args.query).suffix in (".rq", ".sparql") and Path(args.query).is_file():
            hint = f" (to run the file {args.query}, use -f {args.query})"
        return fail(f"syntax error in {source}{where}: {e.message}{hint}", e.excerpt())
    except OSError as e:                   # evaluation failures pyoxigraph reports
        return fail(f"the query failed: {e}")


def _print(result, store, output: str | None, fail) -> int:
    from .sparql_results import (
        BOOLEAN,
        GRAPH,
        formats_for,
        kind_of,
        negotiate,
        serialize,
    )

    kind = kind_of(result)
    terminal = sys.stdout.isatty()
    if output is None:
        output = "table" if terminal and kind != GRAPH else ("csv" if kind != GRAPH else "turtle")
    if output == "table":
        if kind == GRAPH:
            output = "turtle"
        elif kind == BOOLEAN:
            value = bool(result)
            print(str(value).lower())
            return EXIT_TRUE if value else EXIT_FALSE
        else:
            _print_table(result, terminal)
            return EXIT_TRUE
    fmt = negotiate(kind, [output])
    if fmt is None:
        names = ", ".join(f.name for f in formats_for(kind))
        what = {GRAPH: "CONSTRUCT/DESCRIBE", BOOLEAN: "ASK"}.get(kind, "SELECT")
        return fail(f"--output {output} does not fit a {what} result; use one of: {names}")
    value = bool(result) if kind == BOOLEAN else True
    body, _ = serialize(result, fmt, store=store)
    sys.stdout.flush()
    sys.stdout.buffer.write(body if body.endswith(b"\n") else body + b"\n")
    sys.stdout.buffer.flush()
    return EXIT_TRUE if value else EXIT_FALSE


def _print_table(result, terminal: bool) -> None:
    """A rich table: IRIs shortened by the known prefixes, literals by their text."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    names = [v.value for v in result.variables]
    table = Table(*names, show_lines=False, highlight=False)
    count = 0
    for solution in result:
        table.add_row(*(Text(_cell(solution[n])) for n in names))
        count += 1
    table.caption = f"{count} row{'s' if count != 1 else ''}"
    console = Console() if terminal else Console(width=100_000, no_color=True)
    console.print(table)


def _cell(term) -> str:
    import pyoxigraph as ox

    from .sparql import PREFIXES

    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        for name, ns in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
            if term.value.startswith(ns):
                return f"{name}:{term.value[len(ns):]}"
        return f"<{term.value}>"
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)
