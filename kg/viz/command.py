"""``kg viz``: render the whole graph of a build, or a part of it, to an HTML file of its own.

    kg viz [BUILD_DIR] [--focus NAME --depth N | --construct QUERY.rq] [--out FILE] [--title TEXT]
"""
from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console

EXIT_OK, EXIT_USAGE = 0, 2


def add_parser(sub) -> argparse.ArgumentParser:
    """The ``viz`` subcommand's arguments (called by kg/cli.py)."""
    p = sub.add_parser(
        "viz", help="render a build's graph, or the part around one entity, to an HTML file",
        description="Render BUILD_DIR/kg.ttl (with the sentences of BUILD_DIR/provenance.ttl) as an "
                    "interactive, offline HTML page: the whole graph, the neighbourhood of one entity "
                    "(--focus, --depth) or what a SPARQL CONSTRUCT query over kg.ttl selects (--construct).",
        epilog="Examples: kg viz output --focus 涟源市 --depth 2 --out lianyuan.html ; "
               "kg viz output --construct cadres.rq --out cadres.html")
    p.add_argument("build_dir", nargs="?", default="output", type=Path, help="build folder (default: output)")
    what = p.add_mutually_exclusive_group()
    what.add_argument("--focus", metavar="NAME", help="an entity's label, alias or IRI (pad:county/... works)")
    what.add_argument("--construct", metavar="QUERY.rq", type=Path,
                      help="a file with a SPARQL CONSTRUCT query over kg.ttl; its triples are drawn")
    p.add_argument("--depth", type=int, default=2, help="with --focus: how many relations away (default: 2)")
    p.add_argument("--out", "-o", type=Path, default=None,
                   help="HTML file to write (default: BUILD_DIR/subgraph.html, or BUILD_DIR/graph.html "
                        "for the whole graph)")
    p.add_argument("--title", default=None, help="the page's title")
    p.add_argument("--quiet", "-q", action="store_true", help="print nothing but errors")
    return p


def run(args) -> int:
    """Render; user errors are one line on stderr and exit code 2."""
    from ..files import write_atomic
    from . import render_html, to_networkx
    from .model import BuildFilesError, load_build
    from .subgraph import SubgraphError, check_construct, construct, neighbourhood

    err, out = Console(stderr=True), Console(quiet=args.quiet)
    try:
        if args.construct is not None:      # a query that cannot run is said before the build is read
            try:
                query = args.construct.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise SubgraphError(f"{args.construct}: cannot read the query: {exc}") from None
            check_construct(query, source=str(args.construct))
        kg, prov = load_build(args.build_dir)
        full = to_networkx(kg, prov)
        if args.focus is not None:
            graph = neighbourhood(full, args.focus, args.depth)
            title = args.title or f"{full.nodes[graph.graph['focus']]['label']} · {args.depth} 步 hops"
        elif args.construct is not None:
            graph = construct(kg, full, query, source=str(args.construct))
            title = args.title or f"pakg · {args.construct.name}"
        else:
            graph, title = full, args.title or "pakg"
    except (BuildFilesError, SubgraphError) as exc:
        err.print(f"[red]error:[/] {exc}", soft_wrap=True, markup=True, highlight=False)
        return EXIT_USAGE
    default = "graph.html" if args.focus is None and args.construct is None else "subgraph.html"
    target = args.out or args.build_dir / default
    try:
        write_atomic(target, render_html(graph, title=title))
    except OSError as exc:
        err.print(f"[red]error:[/] cannot write {target}: {exc.strerror or exc}", soft_wrap=True)
        return EXIT_USAGE
    out.print(f"wrote {target} ({graph.number_of_nodes()} entities, {graph.number_of_edges()} relations)",
              soft_wrap=True, highlight=False)
    return EXIT_OK
