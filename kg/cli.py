"""The ``kg`` command line.

    kg build [INPUT_DIR] [--out OUTPUT_DIR]
    kg validate [BUILD_DIR]
    kg viz [BUILD_DIR] [--focus NAME --depth N | --construct QUERY.rq] [--out FILE]
    kg stats [BUILD_DIR] [--json FILE]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from . import __version__
from .records import ENTITY_TYPES

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="kg",
        description="pakg: turn Chinese poverty-alleviation news articles into a knowledge graph "
                    "(Turtle + an offline HTML graph) of the counties, villages, cadres, residents, "
                    "enterprises, cooperatives, government bodies and programs they mention.",
        epilog="Example: kg build seeds --out output   (then open output/graph.html)")
    parser.add_argument("--version", action="version", version=f"pakg {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    b = sub.add_parser(
        "build", help="extract a knowledge graph from a folder of articles",
        description="Read every article (*.txt, *.md) under INPUT_DIR and write OUTPUT_DIR/kg.ttl "
                    "(the graph, Turtle), OUTPUT_DIR/ontology.ttl (the ontology it uses) and "
                    "OUTPUT_DIR/graph.html (an interactive graph that works offline).")
    b.add_argument("input_dir", nargs="?", default="seeds", type=Path,
                   help="folder of articles (default: seeds)")
    b.add_argument("--out", "-o", default="output", type=Path, dest="out_dir",
                   help="folder to write to (default: output)")
    b.add_argument("--quiet", "-q", action="store_true", help="print nothing but errors")
    v = sub.add_parser("validate", help="check a build against the SHACL shapes (exit 1 on violations)",
                       description="Validate BUILD_DIR/kg.ttl (with BUILD_DIR/ontology.ttl) against "
                                   "ontology/shapes.ttl using pySHACL; exit 0 if it conforms, 1 if not.")
    v.add_argument("build_dir", nargs="?", default="output", type=Path, help="build folder (default: output)")
    from . import stats_command
    from .viz import command as viz_command
    viz_command.add_parser(sub)
    stats_command.add_parser(sub)
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    if args.command == "build":
        return cmd_build(args)
    if args.command == "validate":
        return cmd_validate(args)
    if args.command in ("viz", "stats"):
        return (viz_command if args.command == "viz" else stats_command).run(args)
    return EXIT_USAGE


def cmd_build(args) -> int:
    from .pipeline import build   # imported here so that --help stays fast

    err = Console(stderr=True)
    out = Console(quiet=args.quiet)
    if not args.input_dir.is_dir():
        err.print(f"[red]error:[/] input folder {args.input_dir} does not exist or is not a folder", soft_wrap=True)
        return EXIT_USAGE
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err, transient=True, disable=args.quiet) as bar:
        def progress(items, total, desc):
            task = bar.add_task(desc, total=total)
            for item in items:
                yield item
                bar.advance(task)
        out.print("loading the pipeline (gazetteer, lexicons) …")
        report = build(args.input_dir, args.out_dir, progress=progress)
    for name, reason in report.skipped:
        err.print(f"[yellow]skipped[/] {args.input_dir / name}: {reason}")
    for path in report.written:
        out.print(f"wrote {path}")
    table = Table(title=f"{report.articles} articles", show_header=True)
    table.add_column("entities by type")
    table.add_column("count", justify="right")
    for t in ENTITY_TYPES:
        if report.entities.get(t):
            table.add_row(t, str(report.entities[t]))
    table.add_row("background places (gazetteer)", str(report.background))
    out.print(table)
    rels = ", ".join(f"{k} {v}" for k, v in sorted(report.relations.items()))
    out.print(f"relations: {sum(report.relations.values())} ({rels})")
    out.print(f"key figures: {report.observations}    triples: {report.triples}")
    _print_violations(err if report.violations else out, report.violations)
    return EXIT_OK


def cmd_validate(args) -> int:
    from .validate import validate_build

    err, out = Console(stderr=True), Console()
    if not (args.build_dir / "kg.ttl").is_file():
        err.print(f"[red]error:[/] {args.build_dir / 'kg.ttl'} does not exist: not a build folder", soft_wrap=True)
        return EXIT_USAGE
    report = validate_build(args.build_dir)
    _print_violations(err if report.violations else out, report.violations)
    return EXIT_OK if report.conforms else EXIT_INVALID


def _print_violations(console: Console, violations) -> None:
    if not violations:
        console.print("SHACL: the graph conforms to ontology/shapes.ttl")
        return
    console.print(f"[red]SHACL: {len(violations)} violations[/] of ontology/shapes.ttl")
    for v in violations[:20]:
        console.print(f"  {v}", soft_wrap=True, markup=False)
    if len(violations) > 20:
        console.print(f"  … and {len(violations) - 20} more (kg validate shows them all)")


if __name__ == "__main__":
    sys.exit(main())
