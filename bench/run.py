"""The build benchmark: kg build against bare jieba on the same text, in one run.

    python bench/run.py                      # 1 and 10 MB corpora
    python bench/run.py --sizes 1 10 100 --jobs 1 2 --json bench/results.json

For each corpus size (made by ``bench/corpus.py`` from the seeds, cached under
``--corpora``) it measures, each in a fresh process so that peak memory is the build's:

* the baseline: bare ``jieba.lcut`` (default dictionary) over the text of every article;
* ``kg build`` end to end, clean (no extraction cache), with each stage's share;
* the same with ``--jobs N`` for every N given;
* an incremental rebuild after one article changed (warm cache);

and prints throughput in characters per second, the ratio to the baseline, peak RSS
and output size; ``--json`` writes the same figures.  Timings are of this machine and
this run; compare ratios, not seconds, across machines.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
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

BUILD = """
import json, resource, sys, time
from pathlib import Path
from kg.batch import ExtractionCache
from kg.pipeline import build
corpus, out, jobs, cache = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
start = time.perf_counter()
report = build(corpus, out, jobs=jobs, cache=ExtractionCache(cache) if cache != "-" else False)
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "timings": report.timings, "triples": report.triples,
                  "entities": sum(report.entities.values()), "reused": report.reused,
                  "peak_mb": max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                                 resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024,
                  "output_mb": sum(p.stat().st_size for p in Path(out).iterdir()) / 1e6}))
"""


def _run(code: str, *args: str) -> dict:
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    if done.returncode:
        raise SystemExit(f"benchmark step failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def bench_size(megabytes: float, corpora: Path, jobs: list[int]) -> dict:
    from corpus import make_corpus

    corpus = corpora / f"corpus-{megabytes:g}mb"
    make_corpus(megabytes, corpus)
    result = {"megabytes": megabytes, "articles": len(list(corpus.glob("*.txt")))}
    result["baseline"] = base = _run(BASELINE, str(corpus))
    chars = base["chars"]
    result["chars"] = chars
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for n in jobs:
            run = _run(BUILD, str(corpus), str(tmp / f"out-{n}"), str(n), "-")
            result[f"clean_jobs{n}"] = run
        # incremental: warm the cache, change one article, rebuild
        work = tmp / "corpus"
        shutil.copytree(corpus, work)
        _run(BUILD, str(work), str(tmp / "warm"), "1", str(tmp / "cache"))
        first = sorted(work.glob("*.txt"))[0]
        first.write_text(first.read_text(encoding="utf-8") + "\n村民张新年在扶贫车间上班。\n", encoding="utf-8")
        result["incremental"] = _run(BUILD, str(work), str(tmp / "warm"), "1", str(tmp / "cache"))
    for key in [k for k in result if k.startswith(("clean", "incremental"))]:
        run = result[key]
        run["chars_per_s"] = chars / run["seconds"]
        run["ratio_to_jieba"] = base["seconds"] / run["seconds"]
    return result


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=float, nargs="+", default=[1, 10], help="corpus sizes in MB")
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2], help="process counts to measure")
    ap.add_argument("--corpora", type=Path, default=Path(tempfile.gettempdir()) / "pakg-bench",
                    help="where generated corpora are kept between runs")
    ap.add_argument("--json", type=Path, help="write the results here")
    args = ap.parse_args(argv)
    from rich.console import Console
    from rich.table import Table

    results = [bench_size(mb, args.corpora, args.jobs) for mb in args.sizes]
    table = Table(title="kg build against bare jieba.lcut (same text, same run)")
    for col in ("corpus", "run", "s", "chars/s", "×jieba", "peak MB", "out MB"):
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
                      f"{b['peak_mb']:.0f}", "")
        for key in [k for k in r if k.startswith(("clean", "incremental"))]:
            run = r[key]
            label = key.replace("clean_jobs", "clean -j ").replace("incremental", "1 changed")
            table.add_row(name, label, f"{run['seconds']:.1f}", f"{run['chars_per_s']:,.0f}",
                          f"{run['ratio_to_jieba']:.2f}", f"{run['peak_mb']:.0f}", f"{run['output_mb']:.1f}")
            stages.add_row(name, label, *(f"{run['timings'].get(n, 0) / run['seconds']:.0%}" for n in names))
    console = Console(width=max(100, Console().width))
    console.print(table)
    console.print(stages)
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
