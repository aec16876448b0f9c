"""The build benchmark: kg build against bare jieba and the tagger alone on the same text, in one run.

    python bench/run.py                      # 1 and 10 MB corpora
    python bench/run.py --sizes 1 10 100 --jobs 1 2 --json bench/results.json
    python bench/run.py --sizes 10 --repeat 3   # medians of three rounds

For each corpus size (made by ``bench/corpus.py`` from the seeds, cached under
``--corpora``) it measures, each in a fresh process so that peak memory is the build's:

* the baseline: bare ``jieba.lcut`` (default dictionary) over the text of every article;
* the trained tagger alone (``kg.tagger`` at its best settings) over the same text, once a
  round, with the encoder's share of its time: the build's extraction runs it, so the
  build cannot be faster;
* ``kg build`` end to end, clean (no extraction cache), with each stage's share;
* the same with ``--jobs N`` for every N given;
* an incremental rebuild after one article changed (warm cache), by a fresh ``kg build``
  and by a process that has built the corpus already (``kg build --watch``);

and prints throughput in characters per second, the ratio to the baseline, peak RSS
and output size; ``--json`` writes the same figures.  Each build is paired with a
baseline run just before it, and ``--repeat N`` takes the median of N rounds, so that
the ratios hold while the host's speed drifts.  Timings are of this machine and
this run; compare ratios, not seconds, across machines.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

BASELINE = """
import json, resource, sys, time
from pathlib import Path
import jieba
tok = jieba.Tokenizer()
tok.initialize()
texts = [p.read_text(encoding="utf-8") for p in sorted(Path(sys.argv[1]).glob("*.txt"))]
start = time.perf_counter()
for t in texts:
    tok.lcut(t)
print(json.dumps({"seconds": time.perf_counter() - start, "chars": sum(map(len, texts)),
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

#: the trained tagger alone, at its best settings (kg.tagger: one thread, padded batches
#: sorted by length, numpy around the encoder), over the same texts, article by article as
#: the build tags them: what the build cannot beat. ``encoder_seconds`` is the model's
#: share of it (onnxruntime's calls), the rest is Python and numpy; ``cpu_seconds`` its
#: time on the core, which other work on a shared machine inflates less than the clock's.
TAGGER = """
import json, resource, sys, time
from pathlib import Path
from kg.tagger import Lac, tag_text
tagger = Lac()
texts = [p.read_text(encoding="utf-8") for p in sorted(Path(sys.argv[1]).glob("*.txt"))]
run, encoder = tagger.session.run, [0.0]
def timed(*args):
    start = time.perf_counter()
    try:
        return run(*args)
    finally:
        encoder[0] += time.perf_counter() - start
tagger.session.run = timed
start, cpu = time.perf_counter(), time.process_time()
for t in texts:
    tag_text(t, tagger)
print(json.dumps({"seconds": time.perf_counter() - start, "cpu_seconds": time.process_time() - cpu,
                  "encoder_seconds": encoder[0],
                  "chars": sum(map(len, texts)),
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

BUILD = """
import json, resource, sys, time
from pathlib import Path
from kg.speed.stored import ExtractionCache
from kg.pipeline import build
from kg.cli import leave
import kg.extract       # spaCy: imported before the clock, as it was with kg.pipeline before a build that
                        # extracts nothing stopped importing it (session 17)
corpus, out, jobs, cache = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
start = time.perf_counter()
report = build(corpus, out, jobs=jobs, cache=ExtractionCache(cache) if cache != "-" else False)
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "timings": report.timings, "triples": report.triples,
                  "entities": sum(report.entities.values()), "reused": report.reused,
                  "peak_mb": max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                                 resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024,
                  "output_mb": sum(p.stat().st_size for p in Path(out).iterdir()) / 1e6}))
leave(0)                # as kg does: no freeing of every object one by one at exit (0.7 s)
"""


def _run(code: str, *args: str) -> dict:
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    if done.returncode:
        raise SystemExit(f"benchmark step failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def bench_size(megabytes: float, corpora: Path, jobs: list[int], repeat: int = 1) -> dict:
    """Measure one corpus size ``repeat`` times over; each build is paired with a baseline
    run just before it.

    The host's speed drifts (by 1.7x within minutes on shared machines), so a build is
    compared with jieba measured next to it, not with one baseline for the whole run, and
    the figures reported are medians over the rounds: of seconds, of each stage, of the
    paired ratios, and of the within-round ratios the issue's targets are stated in
    (``-j N`` against ``-j 1``, one changed article against a clean build).
    """
    from corpus import make_corpus

    corpus = corpora / f"corpus-{megabytes:g}mb"
    make_corpus(megabytes, corpus)
    rounds: list[dict] = []
    tagged: list[dict] = []             # the tagger alone, once per round
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        work = tmp / "corpus"           # incremental: a warm cache, then one article changed
        shutil.copytree(corpus, work)
        _run(BUILD, str(work), str(tmp / "warm"), "1", str(tmp / "cache"))
        first = sorted(work.glob("*.txt"))[0]
        text = first.read_text(encoding="utf-8")
        for r in range(repeat):
            tagged.append(_run(TAGGER, str(corpus)))
            runs = {f"clean_jobs{n}": _paired(corpus, tmp / f"out-{n}", n, "-") for n in jobs}
            first.write_text(text + f"\n村民张新年在扶贫车间上班{r + 1}年。\n", encoding="utf-8")
            runs["incremental"] = _paired(work, tmp / "warm", 1, tmp / "cache")
            runs["incremental_resident"] = _paired(work, tmp / "warm", 1, tmp / "cache", code=RESIDENT, extra=(
                str(first), f"\n村民李新年在扶贫车间上班{r + 1}年。\n"))
            rounds.append(runs)
    base = [run["baseline"] for runs in rounds for run in runs.values()]
    result = {"megabytes": megabytes, "articles": len(list(corpus.glob("*.txt"))), "repeat": repeat,
              "chars": base[0]["chars"],
              "baseline": {"seconds": _median(b["seconds"] for b in base), "chars": base[0]["chars"],
                           "peak_mb": max(b["peak_mb"] for b in base)},
              "tagger": {"seconds": _median(t["seconds"] for t in tagged), "chars": tagged[0]["chars"],
                         "chars_per_s": tagged[0]["chars"] / _median(t["seconds"] for t in tagged),
                         "chars_per_cpu_s": tagged[0]["chars"] / _median(t["cpu_seconds"] for t in tagged),
                         "encoder_share": _median(t["encoder_seconds"] / t["seconds"] for t in tagged),
                         "peak_mb": max(t["peak_mb"] for t in tagged),
                         "rounds": [t["seconds"] for t in tagged]}}
    for key in rounds[0]:
        runs = [runs[key] for runs in rounds]
        stages = list(dict.fromkeys(k for run in runs for k in run["timings"]))
        seconds = _median(run["seconds"] for run in runs)
        result[key] = {
            "seconds": seconds,
            "timings": {k: _median(run["timings"].get(k, 0.0) for run in runs) for k in stages},
            **{k: runs[0][k] for k in ("triples", "entities", "reused", "output_mb")},
            "peak_mb": max(run["peak_mb"] for run in runs),
            "chars_per_s": result["chars"] / seconds,
            "ratio_to_jieba": _median(run["baseline"]["seconds"] / run["seconds"] for run in runs),
            "ratio_to_tagger": _median(t["seconds"] / run["seconds"] for t, run in zip(tagged, runs)),
            "rounds": [{"seconds": run["seconds"], "baseline_seconds": run["baseline"]["seconds"],
                        "tagger_seconds": t["seconds"]} for t, run in zip(tagged, runs)],
        }
    if 1 in jobs:                       # the targets, each a within-round ratio
        single = [runs["clean_jobs1"]["seconds"] for runs in rounds]
        result["targets"] = {
            "jobs1_to_jieba": result["clean_jobs1"]["ratio_to_jieba"],
            "jobs1_to_tagger": result["clean_jobs1"]["ratio_to_tagger"],
            **{f"jobs{n}_to_jobs1": _median(s / runs[f"clean_jobs{n}"]["seconds"]
                                            for s, runs in zip(single, rounds)) for n in jobs if n != 1},
            "incremental_to_clean": _median(runs["incremental"]["seconds"] / s for s, runs in zip(single, rounds)),
            "resident_to_clean": _median(runs["incremental_resident"]["seconds"] / s
                                         for s, runs in zip(single, rounds)),
        }
    return result


def _paired(corpus: Path, out: Path, jobs: int, cache: Path | str, code: str = BUILD, extra: tuple = ()) -> dict:
    """A build (``code``: a fresh one, or RESIDENT's rebuild), with the baseline measured
    just before it."""
    base = _run(BASELINE, str(corpus))
    args = (str(corpus), str(out), str(jobs), str(cache)) if code is BUILD else \
        (str(corpus), str(out), str(cache), *extra)
    run = _run(code, *args)
    run["baseline"] = base
    return run

#: A process that built the corpus (as ``kg build --watch`` has when it starts watching),
#: then rebuilds once after one article changed; only the rebuild is timed.
RESIDENT = """
import json, resource, sys, time
from pathlib import Path
from kg.speed.stored import ExtractionCache
from kg.pipeline import build
from kg.speed.watch import ready
from kg.cli import leave
corpus, out, cache, changed, line = sys.argv[1], sys.argv[2], sys.argv[3], Path(sys.argv[4]), sys.argv[5]
store = ExtractionCache(cache, keep=True)
build(corpus, out, cache=store)
ready()                          # as kg build --watch does before it starts watching
changed.write_text(changed.read_text(encoding="utf-8") + line, encoding="utf-8")
start = time.perf_counter()
report = build(corpus, out, cache=store)
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "timings": report.timings, "triples": report.triples,
                  "entities": sum(report.entities.values()), "reused": report.reused,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "output_mb": sum(p.stat().st_size for p in Path(out).iterdir()) / 1e6}))
leave(0)
"""


def _median(values) -> float:
    return statistics.median(list(values))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=float, nargs="+", default=[1, 10], help="corpus sizes in MB")
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2], help="process counts to measure")
    ap.add_argument("--corpora", type=Path, default=Path(tempfile.gettempdir()) / "pakg-bench",
                    help="where generated corpora are kept between runs")
    ap.add_argument("--repeat", type=int, default=1, metavar="N",
                    help="measure N rounds and report medians (the host's speed drifts; 3 is steadier)")
    ap.add_argument("--json", type=Path, help="write the results here")
    args = ap.parse_args(argv)
    from rich.console import Console
    from rich.table import Table

    results = [bench_size(mb, args.corpora, args.jobs, args.repeat) for mb in args.sizes]
    table = Table(title="kg build against bare jieba.lcut (same text, same run)")
    for col in ("corpus", "run", "s", "chars/s", "×jieba", "×tagger", "peak MB", "out MB"):
        table.add_column(col, justify="left" if col in ("corpus", "run") else "right")
    stages = Table(title="share of each stage in the build's time")
    names = list(dict.fromkeys(k for r in results for key, run in r.items()
                               if key.startswith(("clean", "incremental")) for k in run["timings"]))
    for col in ("corpus", "run", *names):
        stages.add_column(col, justify="left" if col in ("corpus", "run") else "right")
    for r in results:
        b = r["baseline"]
        name = f"{r['megabytes']:g} MB ({r['articles']})"
        table.add_row(name, "jieba.lcut", f"{b['seconds']:.1f}", f"{r['chars'] / b['seconds']:,.0f}", "1.00",
                      "", f"{b['peak_mb']:.0f}", "")
        g = r["tagger"]
        table.add_row(name, "tagger alone", f"{g['seconds']:.1f}", f"{r['chars'] / g['seconds']:,.0f}",
                      f"{b['seconds'] / g['seconds']:.2f}", "1.00", f"{g['peak_mb']:.0f}", "")
        for key in [k for k in r if k.startswith(("clean", "incremental"))]:
            run = r[key]
            label = key.replace("clean_jobs", "clean -j ").replace("incremental_resident", "1 changed, --watch") \
                .replace("incremental", "1 changed")
            table.add_row(name, label, f"{run['seconds']:.1f}", f"{run['chars_per_s']:,.0f}",
                          f"{run['ratio_to_jieba']:.2f}", f"{run['ratio_to_tagger']:.2f}", f"{run['peak_mb']:.0f}",
                          f"{run['output_mb']:.1f}")
            stages.add_row(name, label, *(f"{run['timings'].get(n, 0) / run['seconds']:.0%}" for n in names))
    console = Console(width=max(100, Console().width))
    console.print(table)
    console.print(stages)
    for r in results:
        t = dict(r.get("targets", {}))
        figures = [f"-j 1 {t.pop('jobs1_to_jieba'):.2f}x jieba, {t.pop('jobs1_to_tagger'):.2f}x the tagger alone"] \
            if t else []
        figures += [f"one changed article {t.pop('incremental_to_clean'):.0%} of a clean -j 1"] if t else []
        figures += [f"one changed, --watch {t.pop('resident_to_clean'):.0%}"] if t else []
        figures += [f"-j {k[4:-9]} {v:.2f}x -j 1" for k, v in t.items()]
        g = r["tagger"]
        figures += [f"the tagger alone {g['chars_per_s']:,.0f} chars/s ({g['chars_per_cpu_s']:,.0f} per CPU "
                    f"second), {g['encoder_share']:.0%} of it in the encoder"]
        console.print(f"{r['megabytes']:g} MB, median of {r['repeat']} round(s): " + "; ".join(figures))
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
