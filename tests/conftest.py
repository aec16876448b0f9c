"""Shared fixtures: one build of the seeds per test session (it is what users run)."""
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def seeds_build(tmp_path_factory) -> Path:
    """A fresh ``kg build seeds --out DIR``, through the real CLI entry point."""
    from kg.cli import main

    out = tmp_path_factory.mktemp("build")
    assert main(["build", str(ROOT / "seeds"), "--out", str(out), "--quiet"]) == 0
    return out


@pytest.fixture(scope="session")
def seeds_graph(seeds_build):
    from rdflib import Graph

    g = Graph()
    g.parse(seeds_build / "kg.ttl", format="turtle")
    return g
