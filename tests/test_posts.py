"""Posts as data: when a cadre was appointed (OWL-Time on the pa:Post), and the sentence
that states the appointment as the evidence of pa:servesIn."""
import pytest

from kg.extract import extract
from kg.ingest import read_article
from kg.nlp import build_pipeline


def _tenures(tmp_path, text):
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    ex = extract(read_article(tmp_path / "a.txt", tmp_path), build_pipeline())
    return ex.tenures, ex


@pytest.mark.parametrize("sentence, start, end", [
    ("王建新，2018年3月来到河源村担任第一书记。", "2018-03", None),
    ("2015年7月至2018年1月，王建新担任河源村第一书记。", "2015-07", "2018-01"),
    ("2017年6月至今，王建新担任河源村党支部书记。", "2017-06", None),
    ("2016年，县农业农村局派驻干部王建新到河源村任第一书记。", "2016", None),
])
def test_the_time_of_an_appointment(tmp_path, sentence, start, end):
    tenures, ex = _tenures(tmp_path, "河源村的变化\n\n" + sentence + "\n")
    assert tenures == {("王建新", "河源村"): (start, end)}, (ex.relations, ex.titles)


def test_no_time_without_an_appointment(tmp_path):
    """A year in a sentence that states no appointment dates something else."""
    tenures, _ = _tenures(tmp_path, "河源村的变化\n\n2019年，河源村第一书记王建新带领村民种茶。\n")
    assert tenures == {}


def test_a_visit_places_no_one(tmp_path):
    _, ex = _tenures(tmp_path, "河源村的变化\n\n2019年5月，省委书记李国强来到河源村调研。村民说好。\n")
    assert not [r for r in ex.relations if r.predicate == "servesIn"]


def test_a_posts_evidence_is_its_appointment_sentence(seeds_build):
    """刘清锋 is first named in a quote (“…多亏了刘书记。”); the evidence of his post is the
    sentence that says he came to 胡家坪村 as its first secretary, and his post is dated."""
    from rdflib import Graph, Namespace
    from rdflib.namespace import PROV, RDF, RDFS, TIME

    PA = Namespace("https://w3id.org/pakg/ontology#")
    NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
    kg = Graph().parse(seeds_build / "kg.ttl")
    prov = Graph().parse(seeds_build / "provenance.ttl")
    [liu] = [s for s in set(kg.subjects(PA.servesIn, None)) if "刘清锋" in map(str, kg.objects(s, RDFS.label))]
    said = [str(prov.value(prov.value(st, PROV.wasDerivedFrom), NIF.anchorOf))
            for st in prov.subjects(RDF.subject, liu) if prov.value(st, RDF.predicate) == PA.servesIn]
    assert said and all("2018年3月来到胡家坪村担任" in s for s in said), said
    begun = {str(kg.value(kg.value(kg.value(p, PA.heldDuring), TIME.hasBeginning), TIME.inXSDgYearMonth))
             for p in kg.objects(liu, PA.holds)}
    assert begun == {"2018-03"}
