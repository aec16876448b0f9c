"""Realistic corpora of any size, made from the seed articles.

Paragraphs of the seeds are recombined into new articles, and every county, township
and village name the extractor finds in a seed is replaced by a name of the same level
from one county of the national gazetteer, drawn at random (seeded).  Person names get
new given names.  So a 100 MB corpus has thousands of distinct places and people, and
resolution has real work to do, while the text keeps the style of the seeds.

    python bench/corpus.py 10 /tmp/corpus-10mb      # about 10 MB of UTF-8 articles
"""
from __future__ import annotations

import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红文斌玉兰海波宇浩云飞鹏辉"


def _seed_material():
    """Paragraphs of each seed, and the names in it that a substitution may change.

    The seeds' extractions are taken from the extraction cache where a build of the seeds
    left them (the README's first command makes one), else made here and stored there."""
    from kg.ingest import read_article
    from kg.speed.parallel import extract_all
    from kg.speed.stored import ExtractionCache

    cache = ExtractionCache()
    paths = sorted((ROOT / "seeds").glob("*.txt"))
    articles = [read_article(path, ROOT / "seeds") for path in paths]
    known = [cache.get(a.source_file, path.read_bytes()) for a, path in zip(articles, paths)]
    out = []
    for ex in extract_all(articles, cache=cache, known=known):
        names = {}
        for m in ex.mentions:
            if m.type in ("County", "Township", "Village", "Cadre", "Resident") and m.text == m.name:
                names[m.name] = m.type
        paragraphs = [p for p in ex.article.text.split("\n") if p.strip()]
        out.append((paragraphs, names))
    return out


def _counties(gz):
    return [d for d in gz.divisions if d.level == "county" and gz.children(d, "township")]


def make_corpus(megabytes: float, out_dir: Path, seed: int = 0) -> list[Path]:
    """Write about ``megabytes`` MB of articles into ``out_dir`` (reused if already there)."""
    from kg.gazetteer import load_gazetteer

    out_dir = Path(out_dir)
    done = out_dir / ".complete"
    if done.exists():
        return sorted(out_dir.glob("*.txt"))
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    gz = load_gazetteer()
    counties = _counties(gz)
    material = _seed_material()
    target, written, paths, n = megabytes * 1_000_000, 0, [], 0
    while written < target:
        paragraphs, names = material[n % len(material)]
        county = counties[rng.randrange(len(counties))]
        townships = gz.children(county, "township")
        villages = [v for t in townships for v in gz.children(t, "village")] or townships
        mapping = {}
        for name, type_ in sorted(names.items(), key=lambda kv: -len(kv[0])):
            if type_ == "County":
                mapping[name] = county.name
            elif type_ == "Township":
                mapping[name] = rng.choice(townships).name
            elif type_ == "Village":
                mapping[name] = rng.choice(villages).name
            else:
                mapping[name] = name[0] + "".join(rng.choice(GIVEN) for _ in range(len(name) - 1))
        keep = paragraphs[:3] + rng.sample(paragraphs[3:], k=max(0, (len(paragraphs) - 3) * 2 // 3))
        text = "\n\n".join(keep) + "\n"
        for old, new in mapping.items():
            text = text.replace(old, new)
        path = out_dir / f"{n:06d}.txt"
        path.write_text(text, encoding="utf-8")
        written += len(text.encode("utf-8"))
        paths.append(path)
        n += 1
    done.write_text(f"{n} articles, {written} bytes\n", encoding="utf-8")
    return paths


if __name__ == "__main__":
    paths = make_corpus(float(sys.argv[1]), Path(sys.argv[2]))
    print(f"{len(paths)} articles in {sys.argv[2]}")
