"""``kg stats``: the analytics of :mod:`kg.stats` as tables, and as JSON for other tools.

    kg stats [BUILD_DIR] [--json FILE] [--top N]
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from rich.console import Console
from rich.table import Table

EXIT_OK, EXIT_USAGE = 0, 2


def add_parser(sub) -> argparse.ArgumentParser:
    """The ``stats`` subcommand's arguments (called by kg/cli.py)."""
    p = sub.add_parser(
        "stats", help="network analytics of a build: counts, hubs, components, bridges, centrality",
        description="Read BUILD_DIR/kg.ttl and print: entities by type, the most connected actors, the "
                    "connected components, programs implemented in two or more counties, and the "
                    "betweenness centrality of cadres and enterprises.  --json writes the same as JSON.")
    p.add_argument("build_dir", nargs="?", default="output", type=Path, help="build folder (default: output)")
    p.add_argument("--json", type=Path, default=None, metavar="FILE", dest="json_file",
                   help="also write the figures to FILE as JSON")
    p.add_argument("--top", type=int, default=10, metavar="N", help="rows per ranking (default: 10)")
    p.add_argument("--quiet", "-q", action="store_true", help="print nothing but errors")
    return p


def run(args) -> int:
    from .files import write_atomic
    from .stats import summary
    from .viz.model import BuildFilesError, load_build, to_networkx

    err, out = Console(stderr=True), Console(quiet=args.quiet)
    if args.top < 1:
        err.print(f"[red]error:[/] --top must be at least 1, not {args.top}")
        return EXIT_USAGE
    try:
        kg, _prov = load_build(args.build_dir)
    except BuildFilesError as exc:
        err.print(f"[red]error:[/] {exc}", soft_wrap=True, highlight=False)
        return EXIT_USAGE
    report = summary(to_networkx(kg), k=args.top)
    print_report(out, report)
    if args.json_file is not None:
        text = json.dumps(report, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        try:
            write_atomic(args.json_file, text)
        except OSError as exc:
            err.print(f"[red]error:[/] cannot write {args.json_file}: {exc.strerror or exc}", soft_wrap=True)
            return EXIT_USAGE
        out.print(f"wrote {args.json_file}", highlight=False)
    return EXIT_OK


def _table(title: str, *columns: str) -> Table:
    t = Table(title=title, title_justify="left", show_header=True)
    for c in columns:
        t.add_column(c, justify="right" if c in ("#", "count", "degree", "size", "in text", "background",
                                                  "counties", "betweenness") else "left")
    return t


def print_report(console: Console, r: dict) -> None:
    """The report as rich tables (the same figures as the JSON)."""
    console.print(f"{r['entities']} entities, {r['relations']} relations "
                  f"({', '.join(f'{k} {v}' for k, v in r['relations_by_type'].items())})", highlight=False, soft_wrap=True)
    t = _table("Entities by type", "type", "count", "in text", "background")
    for row in r["counts_by_type"]:
        t.add_row(row["type"], str(row["entities"]), str(row["in_text"]), str(row["background"]))
    console.print(t)
    t = _table("Most connected actors", "#", "label", "type", "degree")
    for i, row in enumerate(r["most_connected"], 1):
        t.add_row(str(i), row["label"], row["type"], str(row["degree"]))
    console.print(t)
    c = r["components"]
    t = _table(f"Connected components: {c['count']} ({c['isolated']} isolated entities)",
               "size", "hub", "types")
    for row in c["largest"]:
        t.add_row(str(row["size"]), row["hub"], ", ".join(f"{k} {v}" for k, v in row["types"].items()))
    console.print(t)
    t = _table(f"Programs that bridge counties: {len(r['bridging_programs'])}", "program", "counties", "in")
    for row in r["bridging_programs"]:
        t.add_row(row["label"], str(row["n_counties"]), "、".join(row["counties"]))
    console.print(t)
    for typ, rows in r["betweenness"].items():
        t = _table(f"Betweenness centrality: {typ}", "#", "label", "betweenness", "degree")
        for i, row in enumerate(rows, 1):
            t.add_row(str(i), row["label"], f"{row['betweenness']:.4f}", str(row["degree"]))
        console.print(t)
