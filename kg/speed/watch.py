"""``kg build --watch``: build, then build again whenever the articles change.

A newsroom or a research group adds articles one by one to a corpus of thousands.  A
rebuild in a fresh process pays, before any work, for starting Python and spaCy, loading
the pipeline and reading every cached extraction back: seconds that do not depend on
the edit.  A watching process pays them once and keeps, between builds, each article's
extraction and provenance and the pieces of every output file (see :mod:`kg.speed.stored` and
:mod:`kg.speed.incremental`), so a rebuild after one edit redoes that edit's share and joins the
rest.  The files it writes are byte for byte those of ``kg build`` on the same articles.

The folder is polled (names, sizes and modification times, once a second by default)
rather than watched through inotify or FSEvents: polling sees changes on network and
container-mounted file systems too, where change events often never arrive, and a
stat of each of ten thousand files takes a few milliseconds.
"""
from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

from ..ingest import find_articles


def snapshot(input_dir: Path) -> dict[str, tuple[int, int]]:
    """Each article file under ``input_dir`` with its modification time and size."""
    seen = {}
    for path in find_articles(input_dir):
        try:
            st = os.stat(path)
        except OSError:            # gone between listing and stat: the next look sees it gone
            continue
        seen[str(path)] = (st.st_mtime_ns, st.st_size)
    return seen


#: An article :func:`ready` extracts: made of the kinds of sentence the components read
#: (places, a cadre, a cooperative, an enterprise, a program, figures), no real one.
WARM_UP = ("某某省某某市某某县某某镇某某村驻村第一书记王某某带领村民成立种植专业合作社，"
           "某某农业有限公司实施易地扶贫搬迁项目，村民帕查有格在合作社务工。"
           "2019年全县贫困发生率降至0.5%，1200户4300人脱贫，人均纯收入8000元。\n")


def ready() -> None:
    """Load, while nothing has changed yet, what a rebuild after an edit needs and the first
    build may not have: the pipeline (after a build that found every extraction in the
    cache, it is not loaded, and loading it takes over a second), and what its first
    article loads (jieba's tables, the components' patterns: 0.1 s), by extracting
    :data:`WARM_UP`."""
    from .parallel import SourceFile, extract_all
    from ..nlp import build_pipeline

    build_pipeline()
    extract_all([SourceFile(Path("warm-up.txt"), Path("."), WARM_UP.encode("utf-8"))])


def watch(input_dir: Path, rebuild: Callable[[], None], interval: float = 1.0,
          rounds: int | None = None) -> None:
    """Call ``rebuild()`` each time the articles under ``input_dir`` change (a file added,
    removed, edited or renamed), looking every ``interval`` seconds; ``rounds`` rebuilds
    at most (None: until interrupted)."""
    seen = snapshot(input_dir)
    ready()
    done = 0
    while rounds is None or done < rounds:
        time.sleep(interval)
        now = snapshot(input_dir)
        if now != seen:
            seen = now
            rebuild()
            done += 1
