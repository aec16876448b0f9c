"""Accuracy floors on the real articles of ``../shared/eval`` (dev-real) and on the seeds.

dev-real is 30 real news features from 15 provinces that the rules were not written for
(double-annotated gold). A change that loses accuracy there fails here, and ``kg eval``
must give the shared scorer's counts on it. The files stay in ``../shared`` (never in
this repository); CI has that folder beside its clone, so under ``CI=true`` a missing
folder is a failure, not a skip.
"""
import pytest

from kg.cli import main
from kg.evaluate import evaluate
from tests.conftest import SHARED_EVAL, assert_counts_like_the_shared_scorer, shared_or_fail

SHARED = SHARED_EVAL
DEV_REAL_TEXTS = SHARED / "texts" / "dev-real"
DEV_REAL_GOLD = SHARED / "gold" / "dev-real"
SEEDS_GOLD = SHARED / "gold" / "dev"
SCORER = SHARED / "score.py"

#: the floors: each a little under what the extractor scores now, so that noise does not
#: trip them and a lost class of names does
DEV_REAL_FLOORS = {
    "ENTITIES (core)": 0.95, "ENTITIES (extended)": 0.90, "RELATIONS": 0.85,
    "entity:County": 0.95, "entity:Township": 0.90, "entity:Village": 0.95, "entity:Cadre": 0.95,
    "entity:Enterprise": 0.90, "entity:Cooperative": 0.90, "entity:Program": 0.85,
    "entity:Resident": 0.85, "entity:GovernmentBody": 0.85,
    "relation:locatedIn": 0.85, "relation:servesIn": 0.85, "relation:residentOf": 0.85,
    "relation:implements": 0.80, "attribute:positionTitle": 0.90, "figure:poverty_incidence": 0.90,
    "entity:Province": 0.90, "entity:Prefecture": 0.85,
}
SEEDS_FLOORS = {"ENTITIES (core)": 0.95, "ENTITIES (extended)": 0.95, "RELATIONS": 0.95,
                "attribute:positionTitle": 0.95, "figure:poverty_incidence": 0.95}


def _shared_or_fail():
    shared_or_fail(DEV_REAL_GOLD, SCORER)


@pytest.fixture(scope="module")
def dev_real_build(tmp_path_factory):
    _shared_or_fail()
    out = tmp_path_factory.mktemp("dev-real") / "build"
    assert main(["build", str(DEV_REAL_TEXTS), "--out", str(out), "--quiet", "--format", "nt"]) in (0, 3)
    return out


def _f1(tallies, row):
    return tallies[row].prf()[2]


@pytest.fixture(scope="module")
def dev_real_tallies(dev_real_build):
    """``evaluate`` of the dev-real build, once: each floor below reads its row of it (the
    build and the gold do not change between them, and evaluate is a pure function of both)."""
    return evaluate(DEV_REAL_GOLD, dev_real_build)


@pytest.fixture(scope="module")
def seeds_tallies(seeds_build):
    _shared_or_fail()
    return evaluate(SEEDS_GOLD, seeds_build)


@pytest.mark.parametrize("row", sorted(DEV_REAL_FLOORS))
def test_dev_real_accuracy_stays_above_its_floor(dev_real_tallies, row):
    tallies = dev_real_tallies
    assert _f1(tallies, row) >= DEV_REAL_FLOORS[row], (row, tallies[row].prf())


@pytest.mark.parametrize("row", sorted(SEEDS_FLOORS))
def test_seeds_accuracy_stays_above_its_floor(seeds_tallies, row):
    tallies = seeds_tallies
    assert _f1(tallies, row) >= SEEDS_FLOORS[row], (row, tallies[row].prf())


def test_kg_eval_counts_what_the_shared_scorer_counts_on_dev_real(dev_real_build, tmp_path):
    assert_counts_like_the_shared_scorer(DEV_REAL_GOLD, dev_real_build, tmp_path)
