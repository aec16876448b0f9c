"""Extraction on a local Dask cluster gives what the single-process build extracts."""
import pytest

from tests.conftest import ROOT

distributed = pytest.importorskip("dask.distributed", reason="the dask extra is not installed")


def test_extraction_on_a_local_cluster_equals_local_extraction():
    from kg.batch import extract_all
    from kg.distributed import extract_on_dask, read_corpus
    from kg.resolve import resolve

    articles, skipped = read_corpus(ROOT / "seeds")
    assert len(articles) == 5 and not skipped
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        remote = extract_on_dask(articles, client)
    local = extract_all(articles, jobs=1, cache=None)
    assert [ex.mentions for ex in remote] == [ex.mentions for ex in local]
    assert resolve(remote).relations == resolve(local).relations
