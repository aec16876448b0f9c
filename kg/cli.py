"""The ``kg`` command line.

    kg build [INPUT_DIR] [--out OUTPUT_DIR] [--jobs N] [--dask SCHEDULER] [--watch]
    kg validate [BUILD_DIR]
    kg eval GOLD_DIR [BUILD_DIR]
    kg load [BUILD_DIR] --store DIR
    kg query [QUERY | -f FILE] [--build DIR | --store DIR] [--output FORMAT]
    kg serve [--build DIR | --store DIR] [--host HOST] [--port PORT] [--cors-origin ORIGIN]
    kg viz [BUILD_DIR] [--focus NAME --depth N | --construct QUERY.rq] [--out FILE]
    kg stats [BUILD_DIR] [--json FILE]
    kg cache [--prune DAYS]
"""
from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from . import __version__
from .query_cmd import add_query_parser, cmd_query
from .records import ENTITY_TYPES
from .serve import add_serve_parser, cmd_serve

#: Exit codes.  kg build: 0 every file read, 3 some skipped (named on stderr), 1 with
#: --strict when any was skipped or when the build could not be written (a full disk), 2
#: usage errors, 130 interrupted (Ctrl-C).  kg validate: 1 violations.
EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_SKIPPED, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


def main(argv: list[str] | None = None) -> int:
    _interrupted.said = False
    try:
        return _main(argv)
    except KeyboardInterrupt:       # Ctrl-C before a command took it over, or after it said so
        return EXIT_INTERRUPTED if _interrupted.said else _interrupted("interrupted")


def _main(argv: list[str] | None = None) -> int:
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
        description="Read every article (*.txt, *.md, *.html, *.pdf, *.docx) of INPUT and write OUTPUT_DIR/kg.ttl "
                    "(the graph), provenance.ttl, graph.html (an interactive graph that works offline) "
                    "and the other export formats.",
        epilog="Exit status: 0 every file read; 3 some files skipped (each named, with the reason); "
               "1 with --strict when any file was skipped; 2 usage error (no input, --out inside the input, "
               "unknown format).")
    b.add_argument("input_dir", nargs="?", default="seeds", type=Path, metavar="INPUT",
                   help="folder of articles, one article file, or a quoted glob such as 'news/*.html' "
                        "(default: seeds)")
    b.add_argument("--strict", action="store_true",
                   help="fail (exit 1) when any file cannot be read, instead of skipping it (exit 3)")
    b.add_argument("--out", "-o", default="output", type=Path, dest="out_dir",
                   help="folder to write to (default: output)")
    b.add_argument("--quiet", "-q", action="store_true", help="print nothing but errors")
    b.add_argument("--jobs", "-j", type=_positive, default=1, metavar="N",
                   help="extract articles in N processes (default 1; the output is the same)")
    b.add_argument("--dask", metavar="SCHEDULER",
                   help="extract the articles on a Dask cluster: its scheduler's address (tcp://host:port), "
                        "or 'local' for one of N (--jobs) worker processes here; the merge and the files are "
                        "made here and are the same (needs pip install \"pakg[dask]\")")
    b.add_argument("--no-cache", dest="cache", action="store_false",
                   help="extract every article again instead of reusing earlier results "
                        "(kept under $PAKG_CACHE_DIR or ~/.cache/pakg)")
    b.add_argument("--format", "-f", action="append", metavar="FORMATS", dest="formats",
                   help="export formats besides kg.ttl, comma-separated or repeated: nt, jsonld, trig, "
                        "graphml, gexf, neo4j, or all (the default)")
    b.add_argument("--no-validate", dest="validate", action="store_false",
                   help="skip the SHACL check of the graph (it is slow on very large graphs)")
    b.add_argument("--patterns", action="append", type=Path, default=[], metavar="FILE",
                   help="a JSON Lines file of your own names and patterns (spaCy EntityRuler format: "
                        '{"label": "Enterprise", "pattern": "…"}) and relation patterns; repeatable')
    b.add_argument("--watch", "-w", action="store_true",
                   help="after the build, keep watching INPUT and build again whenever an article is added, "
                        "changed or removed (a rebuild redoes only what changed; Ctrl-C stops)")
    b.add_argument("--interval", type=float, default=1.0, metavar="SECONDS",
                   help="with --watch, how often to look for changes (default 1)")
    v = sub.add_parser("validate", help="check a build against the SHACL shapes (exit 1 on violations)",
                       description="Validate BUILD_DIR/kg.ttl (with BUILD_DIR/ontology.ttl) against "
                                   "ontology/shapes.ttl using pySHACL; exit 0 if it conforms, 1 if not.")
    v.add_argument("build_dir", nargs="?", default="output", type=Path, help="build folder (default: output)")
    e = sub.add_parser("eval", help="score a build against gold annotations (precision, recall, F1)",
                       description="Score BUILD_DIR (default: output) against the gold JSON files in GOLD_DIR, "
                                   "with the rules of the project's evaluation (see kg/evaluate.py).")
    e.add_argument("gold_dir", type=Path, help="folder of gold .json files, one per article")
    e.add_argument("build_dir", nargs="?", default="output", type=Path, help="build folder (default: output)")
    e.add_argument("--errors", type=int, default=0, metavar="N", help="list up to N misses and false hits per row")
    e.add_argument("--json", type=Path, metavar="FILE", help="also write the scores and errors as JSON")
    from . import cache_command, stats_command, triplestore
    triplestore.add_parser(sub)
    add_query_parser(sub)
    add_serve_parser(sub)
    from .viz import command as viz_command
    viz_command.add_parser(sub)
    stats_command.add_parser(sub)
    cache_command.add_parser(sub)
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    if args.command == "build":
        previous = _one_interrupt()
        try:
            return cmd_build(args)
        except KeyboardInterrupt:           # before the build began, or while it printed
            return _interrupted("interrupted")
        finally:
            if previous is not None:
                signal.signal(signal.SIGINT, previous)
    if args.command == "validate":
        return cmd_validate(args)
    if args.command == "eval":
        return cmd_eval(args)
    if args.command in ("query", "serve"):
        return cmd_query(args) if args.command == "query" else cmd_serve(args)
    if args.command in ("viz", "stats", "cache", "load"):
        return {"viz": viz_command, "stats": stats_command, "cache": cache_command,
                "load": triplestore}[args.command].run(args)
    return EXIT_USAGE


def cmd_build(args) -> int:
    from contextlib import ExitStack

    with ExitStack() as cluster:        # the --dask cluster's client, closed when the build (and --watch) ends
        return _build_command(args, cluster)


def _build_command(args, cluster) -> int:
    from .speed.dask import DaskError
    from .pipeline import BuildInProgress, NoArticles, build  # imported here so that --help stays fast

    err = Console(stderr=True)
    if args.watch and args.interval <= 0:
        err.print("[red]error:[/] --interval must be more than 0 seconds", soft_wrap=True)
        return EXIT_USAGE
    out = Console(quiet=args.quiet)
    from .formats import parse_formats
    try:
        formats = parse_formats(args.formats)
    except ValueError as exc:
        err.print(f"[red]error:[/] {escape(str(exc))}", soft_wrap=True)
        return EXIT_USAGE
    from .ingest import find_articles, source_root
    if not args.input_dir.exists() and not find_articles(args.input_dir):
        err.print(f"[red]error:[/] {escape(str(args.input_dir))}: no such folder or file, and no file matches it",
                  soft_wrap=True)
        return EXIT_USAGE
    from .patterns import PatternError, use
    try:
        use(args.patterns)              # (none: the patterns of an earlier build in this process go)
    except PatternError as exc:
        err.print(f"[red]error:[/] {escape(str(exc))}", soft_wrap=True)
        return EXIT_USAGE
    problem = _unwritable(args.out_dir)
    if problem:
        err.print(f"[red]error:[/] cannot write the output folder {escape(str(args.out_dir))}: {problem}",
                  soft_wrap=True)
        return EXIT_USAGE
    root, target = source_root(args.input_dir).resolve(), args.out_dir.resolve()
    if target == root or root in target.parents:
        err.print(f"[red]error:[/] the output folder {escape(str(args.out_dir))} is inside the input "
                  f"{escape(str(args.input_dir))}: choose another --out", soft_wrap=True)
        return EXIT_USAGE
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err, transient=True, disable=args.quiet) as bar:
        def progress(items, total, desc):
            task = bar.add_task(desc, total=total)
            for item in items:
                yield item
                bar.advance(task)
        out.print("loading the pipeline (gazetteer, lexicons) …")
        cache = args.cache
        if args.watch:          # a watching process keeps what it made, in memory (kg.speed.watch)
            from .speed.stored import ExtractionCache
            cache = ExtractionCache(keep=True) if args.cache else _memory_cache()
        try:
            extractor = _extractor(args, cluster, out)
            report = build(args.input_dir, args.out_dir, progress=progress, jobs=args.jobs, cache=cache,
                           validate=args.validate, formats=formats, extractor=extractor)
        except DaskError as exc:
            err.print(f"[red]error:[/] {escape(str(exc))}; {escape(str(args.out_dir))} is left as it was",
                      soft_wrap=True)
            return EXIT_USAGE
        except NoArticles as exc:
            for name, reason in exc.report.skipped:
                err.print(f"[yellow]skipped[/] {escape(name)}: {escape(reason)}", soft_wrap=True)
            err.print(f"[red]error:[/] {escape(str(exc))}; {escape(str(args.out_dir))} is left as it was",
                      soft_wrap=True)
            return EXIT_USAGE
        except BuildInProgress as exc:
            err.print(f"[red]error:[/] {escape(str(exc))}", soft_wrap=True)
            return EXIT_USAGE
        except (KeyboardInterrupt, Exception) as exc:
            # an interrupt that lands while a compiled module initialises (onnxruntime,
            # jieba-rs, loaded at the first article) comes out as that module's ImportError
            if isinstance(exc, KeyboardInterrupt) or _INTERRUPTED:
                return _interrupted(f"interrupted: {escape(str(args.out_dir))} is left as the last build made it")
            if not isinstance(exc, OSError):
                raise
            where = f" ({escape(str(exc.filename))})" if exc.filename else ""     # a full disk, a folder taken away …
            err.print(f"[red]error:[/] cannot write the build: {escape(exc.strerror or str(exc))}{where}; "
                      f"{escape(str(args.out_dir))} is left as the last build made it", soft_wrap=True)
            return EXIT_INVALID
    code = _summary(args, report, out, err)
    if args.watch:
        return _watch(args, cache, formats, extractor, out, err)
    return code


def _extractor(args, cluster, out: Console):
    """With ``--dask``: extraction on the cluster, whose client ``cluster`` closes."""
    if not args.dask:
        return None
    from .speed.dask import connect, on_dask

    client = cluster.enter_context(connect(args.dask, args.jobs))
    out.print(f"extracting on the Dask cluster at {client.scheduler.address} …", soft_wrap=True)
    return on_dask(client)


_INTERRUPTED: list[int] = []       # the SIGINT that stopped this process's build, once it came


def _one_interrupt():
    """Ctrl-C stops a build once: the first SIGINT raises KeyboardInterrupt, later ones
    (a terminal sends one to every process of the group; a user presses twice) are
    ignored while the build winds down. The handler it replaced, or None (not the main thread)."""
    def first(signum, frame):
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        _INTERRUPTED.append(signum)
        raise KeyboardInterrupt
    try:
        return signal.signal(signal.SIGINT, first)
    except ValueError:                      # not the main thread (embedded use)
        return None


def _interrupted(message: str) -> int:
    """Say once that Ctrl-C stopped the build."""
    if not _interrupted.said:
        Console(stderr=True).print(message, soft_wrap=True)
        _interrupted.said = True
    return EXIT_INTERRUPTED


_interrupted.said = False


def _unwritable(out_dir: Path) -> str | None:
    """Why ``out_dir`` cannot be a build's folder (it or a folder above it is a file, the
    nearest existing folder cannot be written, or it is a folder of other files, which a
    build would replace), or None."""
    from .pipeline import is_build_folder

    if out_dir.is_dir() and not is_build_folder(out_dir):
        return "it holds other files and no build (kg.ttl); a build replaces its folder whole: choose a new one"
    for path in (out_dir, *out_dir.parents):
        if path.exists():
            if not path.is_dir():
                return f"{path} is a file, not a folder"
            if not os.access(path, os.W_OK | os.X_OK):
                return f"{path} cannot be written"
            return None
    return None


def _summary(args, report, out: Console, err: Console) -> int:
    """Print what a build wrote and found; its exit status."""
    for name, reason in report.skipped:
        err.print(f"[yellow]skipped[/] {escape(name)}: {escape(reason)}", soft_wrap=True)
    for name, first in report.duplicates:
        out.print(f"same article as {escape(first)}, read once: {escape(name)}", soft_wrap=True)
    if report.ignored:
        out.print(f"not articles (by their suffix), ignored: {escape(', '.join(report.ignored[:10]))}"
                  + (f" and {len(report.ignored) - 10} more" if len(report.ignored) > 10 else ""), soft_wrap=True)
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
    if args.validate:
        _print_violations(err if report.violations else out, report.violations)
    _print_skipped(err, report)
    if report.skipped:
        return EXIT_INVALID if args.strict else EXIT_SKIPPED
    return EXIT_OK


def _print_skipped(err: Console, report) -> None:
    if report.skipped:
        err.print(f"[yellow]{len(report.skipped)} of {len(report.skipped) + report.articles + len(report.duplicates)} "
                  f"files skipped[/]: {escape(', '.join(n for n, _ in report.skipped))}", soft_wrap=True)


def _memory_cache():
    """--watch --no-cache: extractions kept in memory only (in a folder deleted at exit)."""
    import atexit
    import shutil
    import tempfile

    from .speed.stored import ExtractionCache

    folder = tempfile.mkdtemp(prefix="pakg-watch-")
    atexit.register(shutil.rmtree, folder, True)
    return ExtractionCache(Path(folder), keep=True)


def _watch(args, cache, formats, extractor, out: Console, err: Console) -> int:
    """Build again on every change of the articles, one line per build, until Ctrl-C."""
    import time

    from .pipeline import build
    from .speed.watch import watch

    def rebuild():
        start = time.perf_counter()
        try:
            report = build(args.input_dir, args.out_dir, jobs=args.jobs, cache=cache, validate=args.validate,
                           formats=formats, extractor=extractor)
        except Exception as exc:     # a failed build leaves the last one in place; keep watching
            err.print(f"[red]build failed:[/] {escape(f'{type(exc).__name__}: {exc}')}", soft_wrap=True)
            return
        for name, reason in report.skipped:
            err.print(f"[yellow]skipped[/] {escape(name)}: {escape(reason)}", soft_wrap=True)
        extracted = report.articles + len(report.duplicates) - report.reused
        out.print(f"{time.strftime('%H:%M:%S')} rebuilt {args.out_dir} in {time.perf_counter() - start:.1f} s: "
                  f"{report.articles} articles ({extracted} extracted), {sum(report.entities.values())} entities, "
                  f"{report.triples} triples" + (f", {len(report.violations)} SHACL violations"
                                                 if report.violations else ""), soft_wrap=True)

    out.print(f"watching {args.input_dir} (Ctrl-C stops) …")
    try:
        watch(args.input_dir, rebuild, interval=args.interval)
    except KeyboardInterrupt:
        out.print("stopped")
    return EXIT_OK


def _positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {value!r}")
    return int(value)


def cmd_validate(args) -> int:
    from .validate import validate_build

    err, out = Console(stderr=True), Console()
    if not (args.build_dir / "kg.ttl").is_file():
        err.print(f"[red]error:[/] {args.build_dir / 'kg.ttl'} does not exist: not a build folder", soft_wrap=True)
        return EXIT_USAGE
    report = validate_build(args.build_dir)
    _print_violations(err if report.violations else out, report.violations)
    return EXIT_OK if report.conforms else EXIT_INVALID


def cmd_eval(args) -> int:
    import json

    from .evaluate import GoldError, as_json, evaluate, missing_docs
    from .files import write_atomic

    err, out = Console(stderr=True), Console()
    try:
        tallies = evaluate(args.gold_dir, args.build_dir)
        missing = missing_docs(args.gold_dir, args.build_dir)
    except GoldError as exc:
        err.print(f"[red]error:[/] {escape(str(exc))}", soft_wrap=True)
        return EXIT_USAGE
    table = Table(title=f"{args.build_dir} against {args.gold_dir}")
    for col in ("row", "P", "R", "F1", "tp", "fp", "fn"):
        table.add_column(col, justify="left" if col == "row" else "right")
    for row, t in tallies.items():
        p, r, f = t.prf()
        style = "bold" if row.isupper() or row.startswith("ENTITIES") else None
        table.add_row(row, f"{p:.3f}", f"{r:.3f}", f"{f:.3f}", str(t.tp), str(t.fp), str(t.fn), style=style)
    out.print(table)
    if args.errors:
        for row, t in tallies.items():
            if row.startswith(("entity:", "relation:", "attribute:", "figure:")) and (t.missed or t.spurious):
                out.print(f"[bold]{row}[/]")
                for x in t.missed[:args.errors]:
                    out.print(f"    missed   {x}", markup=False)
                for x in t.spurious[:args.errors]:
                    out.print(f"    spurious {x}", markup=False)
    if missing:
        err.print(f"[yellow]articles of the gold missing from the build:[/] {', '.join(missing)}")
    if args.json:
        data = as_json(tallies) | {"missing_docs": missing}
        write_atomic(args.json, json.dumps(data, ensure_ascii=False, indent=1) + "\n")
    return EXIT_OK


def _print_violations(console: Console, violations) -> None:
    if not violations:
        console.print("SHACL: the graph conforms to ontology/shapes.ttl")
        return
    console.print(f"[red]SHACL: {len(violations)} violations[/] of ontology/shapes.ttl")
    for v in violations[:20]:
        console.print(f"  {v}", soft_wrap=True, markup=False)
    if len(violations) > 20:
        console.print(f"  … and {len(violations) - 20} more (kg validate shows them all)")


def run() -> None:
    """The ``kg`` command: :func:`main`, and an exit with its status."""
    leave(main())


def leave(code: int) -> None:
    """End the process with ``code`` as the interpreter would, less its teardown.

    What an exit must still do is done: threads that are no daemons are waited for (a
    watching process's old build being deleted), ``atexit`` handlers run (a ``--watch
    --no-cache`` folder removed), the standard streams are flushed.  What is skipped is
    the freeing, one by one, of every object the process made -- after a build the
    gazetteer's and jieba's millions: 0.7 s of every ``kg build``, which the system takes
    back at once -- and, after Ctrl-C (what a build was doing is undone already), an
    interpreter shutdown that an interrupt landing in the middle of an import could make die
    of it (exit -2).
    """
    import atexit
    import threading

    shutdown = getattr(threading, "_shutdown", None)    # the interpreter's first step at exit
    if shutdown is not None:
        shutdown()
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):                   # a reader that went away, a closed stream
            pass
    os._exit(code)


if __name__ == "__main__":
    run()
