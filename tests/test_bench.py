"""The benchmark script on a tiny corpus: it runs the real builds, pairs each with a
baseline and reports medians and the issue's ratios (the figures themselves are this
machine's; only their consistency is checked here)."""
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_bench_reports_medians_of_paired_rounds(tmp_path):
    out = tmp_path / "bench.json"
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--sizes", "0.02", "--jobs", "1", "2",
                           "--repeat", "2", "--corpora", str(tmp_path / "corpora"), "--json", str(out)],
                          capture_output=True, text=True, cwd=ROOT, timeout=900)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "median of 2 round(s)" in done.stdout
    [result] = json.loads(out.read_text(encoding="utf-8"))
    assert result["articles"] == len(list((tmp_path / "corpora" / "corpus-0.02mb").glob("*.txt"))) > 1
    clean, parallel, again = result["clean_jobs1"], result["clean_jobs2"], result["incremental"]
    resident = result["incremental_resident"]
    for run in (clean, parallel, again, resident):
        rounds = run["rounds"]
        assert len(rounds) == 2 and all(r["seconds"] > 0 and r["baseline_seconds"] > 0 for r in rounds)
        assert run["seconds"] == statistics.median(r["seconds"] for r in rounds)
        assert run["ratio_to_jieba"] == statistics.median(r["baseline_seconds"] / r["seconds"] for r in rounds)
        assert run["ratio_to_tagger"] == statistics.median(r["tagger_seconds"] / r["seconds"] for r in rounds)
        assert set(run["timings"]) >= {"ingest", "nlp+extract", "resolve", "rdf", "provenance", "html",
                                       "formats", "serialize", "validate"}
    # the same corpus gives the same graph however it is built; one article was edited
    assert clean["triples"] == parallel["triples"] and clean["reused"] == parallel["reused"] == 0
    assert again["reused"] == resident["reused"] == result["articles"] - 1
    assert resident["triples"] > again["triples"]        # its own edit names one more resident
    targets = result["targets"]
    assert targets["jobs1_to_jieba"] == clean["ratio_to_jieba"]
    assert targets["jobs1_to_tagger"] == clean["ratio_to_tagger"] > 0
    assert result["tagger"]["rounds"] == [r["tagger_seconds"] for r in clean["rounds"]]
    assert targets["jobs2_to_jobs1"] == statistics.median(
        a["seconds"] / b["seconds"] for a, b in zip(clean["rounds"], parallel["rounds"]))
    assert targets["incremental_to_clean"] == statistics.median(
        b["seconds"] / a["seconds"] for a, b in zip(clean["rounds"], again["rounds"]))
    assert targets["resident_to_clean"] == statistics.median(
        b["seconds"] / a["seconds"] for a, b in zip(clean["rounds"], resident["rounds"]))
