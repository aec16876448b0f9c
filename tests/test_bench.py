"""The benchmark script runs on a tiny corpus and writes its report: the figures are this
machine's (bench/results/ keeps them, with the command that made them); here only that
each run it promises happened, on the same corpus, and is in the JSON."""
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_bench_runs_each_build_and_writes_its_report(tmp_path, seeds_build):
    """(``seeds_build``: the corpus generator takes the seeds' extractions from the cache that
    build fills, as after the README's first command.)"""
    out = tmp_path / "bench.json"
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--sizes", "0.02", "--jobs", "1",
                           "--repeat", "1", "--corpora", str(tmp_path / "corpora"), "--json", str(out)],
                          capture_output=True, text=True, cwd=ROOT, timeout=900)
    assert done.returncode == 0, done.stderr[-2000:]
    [result] = json.loads(out.read_text(encoding="utf-8"))
    articles = len(list((tmp_path / "corpora" / "corpus-0.02mb").glob("*.txt")))
    assert result["articles"] == articles > 1
    clean, again, resident = result["clean_jobs1"], result["incremental"], result["incremental_resident"]
    for run in (clean, again, resident):
        assert run["seconds"] > 0 and run["triples"] > 0 and run["peak_mb"] > 0
    assert clean["reused"] == 0 and again["reused"] == resident["reused"] == articles - 1   # one article edited
    assert result["tagger"]["chars_per_s"] > 0 and result["baseline"]["seconds"] > 0     # the tagger alone, jieba
    assert {"jobs1_to_tagger", "incremental_to_clean", "resident_to_clean"} <= set(result["targets"])
