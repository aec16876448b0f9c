"""The build of the seeds: files written, the contract kept, output reproducible."""
import shutil
import subprocess
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS

from kg.cli import main
from kg.namespaces import PA, PAD
from kg.ontology import ONTOLOGY_FILE, declared_terms

ROOT = Path(__file__).resolve().parents[1]
ENTITY_CLASSES = {PA[t] for t in ("Province", "Prefecture", "County", "Township", "Village", "Cadre",
                                  "Resident", "Enterprise", "Cooperative", "GovernmentBody", "Program")}


def test_writes_the_contract_files(seeds_build):
    for name in ("kg.ttl", "ontology.ttl", "graph.html"):
        assert (seeds_build / name).stat().st_size > 0
    assert (seeds_build / "ontology.ttl").read_bytes() == ONTOLOGY_FILE.read_bytes()


def test_committed_output_is_fresh_and_builds_are_byte_identical(seeds_build):
    """output/ in git is exactly what a build of seeds/ writes today (also proves determinism)."""
    built = sorted(p.relative_to(seeds_build) for p in seeds_build.rglob("*") if p.is_file())
    committed = sorted(p.relative_to(ROOT / "output") for p in (ROOT / "output").rglob("*") if p.is_file())
    assert committed == built
    for name in built:
        assert (ROOT / "output" / name).read_bytes() == (seeds_build / name).read_bytes(), name


def test_build_is_independent_of_file_order(tmp_path, seeds_build):
    reordered = tmp_path / "in"
    reordered.mkdir()
    for i, src in enumerate(sorted((ROOT / "seeds").glob("*.txt"), reverse=True)):
        shutil.copy(src, reordered / src.name)
    assert main(["build", str(reordered), "--out", str(tmp_path / "out"), "--quiet"]) == 0
    assert (tmp_path / "out" / "kg.ttl").read_bytes() == (seeds_build / "kg.ttl").read_bytes()


def test_turtle_parses_in_an_independent_parser(seeds_build, seeds_graph):
    pyoxigraph = pytest.importorskip("pyoxigraph")
    with open(seeds_build / "kg.ttl", "rb") as fh:
        triples = list(pyoxigraph.parse(fh, format=pyoxigraph.RdfFormat.TURTLE))
    assert len(triples) == len(seeds_graph) > 500


def test_turtle_parses_with_rapper(seeds_build, seeds_graph):
    if not shutil.which("rapper"):
        pytest.skip("Debian's rapper (raptor2-utils) is not installed; .ci/run installs it")
    res = subprocess.run(["rapper", "-i", "turtle", "-c", str(seeds_build / "kg.ttl")],
                         capture_output=True, text=True, check=True)
    assert f"returned {len(seeds_graph)} triples" in res.stderr


def test_every_entity_has_label_mention_and_class(seeds_graph):
    g = seeds_graph
    mentioned = set(g.subjects(PA.mentionedIn, None))
    assert mentioned
    for node in mentioned:
        types = set(g.objects(node, RDF.type))
        if PA.Observation in types:
            continue
        assert types & ENTITY_CLASSES, node
        labels = list(g.objects(node, RDFS.label))
        assert labels and all(isinstance(x, Literal) and x.language == "zh" for x in labels), node


def test_every_article_has_its_source_file(seeds_graph):
    files = {str(f) for f in seeds_graph.objects(None, PA.sourceFile)}
    assert files == {p.name for p in (ROOT / "seeds").glob("*.txt")}
    for art in seeds_graph.subjects(RDF.type, PA.Article):
        assert seeds_graph.value(art, PA.sourceFile) is not None


def test_every_pa_term_used_is_declared_in_the_ontology(seeds_graph):
    declared = declared_terms()
    used = set()
    for s, p, o in seeds_graph:
        for term in (p, o) if p != RDF.type else (o,):
            if isinstance(term, URIRef) and str(term).startswith(str(PA)):
                used.add(str(term))
    assert used and used <= declared, sorted(used - declared)


def test_background_places_carry_codes_but_no_mentions(seeds_graph):
    g = seeds_graph
    hunan = [s for s in g.subjects(RDFS.label, Literal("湖南省", lang="zh"))]
    assert hunan and str(g.value(hunan[0], PA.adminCode)) == "430000"


def test_iris_are_readable(seeds_graph):
    villages = [str(s) for s in seeds_graph.subjects(RDF.type, PA.Village)]
    assert villages and all(v.startswith(str(PAD) + "village/") and v.isascii() for v in villages)


def test_cli_help_is_there(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["build", "--help"])
    assert exc.value.code == 0
    assert "kg.ttl" in capsys.readouterr().out


def test_missing_input_folder_is_a_usage_error(tmp_path, capsys):
    assert main(["build", str(tmp_path / "nope"), "--out", str(tmp_path / "o")]) == 2
    assert "no such folder or file" in capsys.readouterr().err
