"""The map stage on a Dask cluster: extraction of many articles across machines.

Extraction is a pure function of one article (see :mod:`kg.batch`), so it distributes
without coordination; resolution, which needs every article's mentions, then runs on
one machine over the (small) results.  Needs the ``dask`` extra
(``pip install "pakg[dask]"``).

>>> from dask.distributed import Client, LocalCluster                   # doctest: +SKIP
>>> articles, skipped = read_corpus("corpus")                           # doctest: +SKIP
>>> with LocalCluster(n_workers=4) as cluster, Client(cluster) as client:  # doctest: +SKIP
...     extractions = extract_on_dask(articles, client)
>>> entities, relations, observations, sources = kg.resolve.resolve(extractions)  # doctest: +SKIP
"""
from __future__ import annotations

from pathlib import Path

from .batch import _extract_one
from .ingest import ArticleError, find_articles, read_article
from .records import Article, ArticleExtraction


def extract_on_dask(articles: list[Article], client) -> list[ArticleExtraction]:
    """Extract every article on the cluster behind ``client``, in the order given.

    Each worker process builds the pipeline once (``kg.nlp.build_pipeline`` is cached per
    process) and reuses it for every article it is sent.
    """
    futures = client.map(_extract_one, articles, pure=False)
    return client.gather(futures)


def read_corpus(input_dir: Path) -> tuple[list[Article], list[tuple[str, str]]]:
    """The articles under ``input_dir`` and the files that could not be read, with why."""
    articles, skipped = [], []
    for path in find_articles(Path(input_dir)):
        try:
            articles.append(read_article(path, Path(input_dir)))
        except (ArticleError, OSError) as exc:
            skipped.append((path.relative_to(input_dir).as_posix(), str(exc)))
    return articles, skipped
