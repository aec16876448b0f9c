"""``kg stats``: the analytics of :mod:`kg.stats` as tables, and as JSON for other tools.

    kg stats [BUILD_DIR] [--json FILE] [--top N]
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from rich.console import Console
from rich.table import Table

EXIT_OK, EXIT_USAGE = 0, 2


def add_parser(sub) -> argparse.ArgumentParser:
    """The ``stats`` subcommand's arguments (called by kg/cli.py)."""
    p = sub.add_parser(
        "stats", help="network analytics of a build: degree by type, hubs, reach, components, programs, brokers",
        description="Read BUILD_DIR/kg.ttl and print: entities and their relations by type, the most "
                    "connected actors, the counties and villages people and organisations touch, the "
                    "connected components, programs implemented in two or more counties, programs by "
                    "kind, and the brokers (betweenness above zero).  --json writes the same as JSON.")
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

    # a terminal's own width; piped or redirected, wide enough that no table is cut (rich's default is 80)
    err, out = Console(stderr=True), Console(quiet=args.quiet, width=None if sys.stdout.isatty() else 120)
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


def _table(console: Console, title: str, rows: list[dict], columns: list[tuple[str, str]]) -> None:
    """``rows`` as a table of ``columns`` ((header, key) pairs; a list value is joined with 、),
    leaving out a column of numbers that are all zero: it says nothing (who is no broker,
    what has no background entity).  No rows: the title and "none" on one line."""
    if not rows:
        console.print(f"{title}: none", highlight=False)
        return
    shown = [(h, k) for h, k in columns
             if not all(isinstance(r[k], (int, float)) and not isinstance(r[k], bool) and r[k] == 0 for r in rows)]
    t = Table(title=title, title_justify="left", show_header=True)
    for header, key in shown:
        t.add_column(header, justify="right" if isinstance(rows[0][key], (int, float)) else "left")
    for row in rows:
        t.add_row(*(_cell(row[key]) for _, key in shown))
    console.print(t)


def _cell(value) -> str:
    """>>> [_cell(x) for x in (33.4, 0.458912, 6.0, 2, ["甲县", "乙县"])]
    ['33.4', '0.4589', '6', '2', '甲县、乙县']
    """
    if isinstance(value, float):
        return f"{value:.4g}"
    return "、".join(value) if isinstance(value, list) else str(value)


def print_report(console: Console, r: dict) -> None:
    """The report as rich tables (the same figures as the JSON)."""
    console.print(f"{r['entities']} entities, {r['relations']} relations "
                  f"({', '.join(f'{k} {v}' for k, v in r['relations_by_type'].items())})", highlight=False, soft_wrap=True)
    _table(console, "Entities and their relations by type",
           [dict(row, most=f"{row['top']} {row['max_degree']}") for row in r["degree_by_type"]],
           [("type", "type"), ("count", "entities"), ("background", "background"), ("no relation", "isolated"),
            ("mean degree", "mean_degree"), ("most relations", "most")])
    ranked = [dict(row, rank=i) for i, row in enumerate(r["most_connected"], 1)]
    _table(console, "Most connected actors", ranked, [("#", "rank"), ("label", "label"), ("type", "type"),
                                                       ("degree", "degree")])
    ranked = [dict(row, rank=i) for i, row in enumerate(r["reach"], 1)]
    _table(console, "Reach: the counties and villages people and organisations touch", ranked,
           [("#", "rank"), ("label", "label"), ("type", "type"), ("counties", "n_counties"),
            ("villages", "n_villages"), ("in", "counties")])
    c = r["components"]
    _table(console, f"Connected components: {c['count']} ({c['isolated']} isolated entities)",
           [dict(row, mix=", ".join(f"{k} {v}" for k, v in row["types"].items())) for row in c["largest"]],
           [("size", "size"), ("hub", "hub"), ("types", "mix")])
    _table(console, f"Programs that bridge counties: {len(r['bridging_programs'])}", r["bridging_programs"],
           [("program", "label"), ("counties", "n_counties"), ("in", "counties")])
    _table(console, "Programs by kind", r["program_kinds"],
           [("kind", "kind"), ("programs", "programs"), ("minor", "minor"), ("shared", "shared"),
            ("counties", "counties")])
    ranked = [dict(row, rank=i) for i, row in enumerate(r["brokers"], 1)]
    _table(console, "Brokers: betweenness centrality", ranked,
           [("#", "rank"), ("label", "label"), ("type", "type"), ("betweenness", "betweenness"),
            ("degree", "degree")])
