"""Key figures: each indicator on short sentences, then the figures of a seeds build by SPARQL.

The sentences name counties other than the seeds' (新化县, 赤水市, 正安县) on purpose: the
patterns must read any county's reporting.  Each goes through the real pipeline, so the
places a figure is pinned on are the places the extractor recognised.
"""
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from kg.extract import extract
from kg.key_figures import parse_number, time_of
from kg.ingest import normalize
from kg.iris import decimal_text, observation_iri
from kg.namespaces import PA, XSD
from kg.rdf import build_graph
from kg.records import Observation


def figures_of(raw: str) -> set[tuple]:
    """(area, indicator, year, period, value) of every figure the extractor reads in ``raw``."""
    from kg.records import Article

    text, offsets = normalize(raw)
    ex = extract(Article("t.txt", raw, text, offsets))
    return {(f.area, f.indicator, f.year, f.period, f.value) for f in ex.figures}


def values(raw: str, indicator: str) -> set[Decimal]:
    return {v for _, ind, _, _, v in figures_of(raw) if ind == indicator}


# -- each indicator -------------------------------------------------------------------------

@pytest.mark.parametrize("text, value", [
    ("2019年,新化县45个贫困村全部出列。", 45),
    ("2019年,新化县12个省定贫困村已全部脱贫出列。", 12),
    ("2019年,新化县退出贫困村65个,贫困人口大幅减少。", 65),
    ("2019年,新化县贫困村出列达到30个。", 30),
    ("2019年,新化县深度贫困村8个全部出列。", 8),
    ("2016年以来,新化县累计实现12个贫困村脱贫出列,其中,深度贫困村8个全部出列。", 12),   # 8 is a part of 12
])
def test_poor_villages_exited(text, value):
    assert values(text, "PoorVillagesExited") == {Decimal(value)}


@pytest.mark.parametrize("text, people, households", [
    ("2019年,新化县累计脱贫2639户7854人。", 7854, 2639),
    ("2019年,新化县有1200户贫困户脱贫。", None, 1200),
    ("2019年,新化县143674名贫困群众如期脱贫。", 143674, None),
    ("2019年,新化县减贫3.2万人。", 32000, None),
    ("2019年,新化县脱贫人口达5600人。", 5600, None),
    ("2019年,新化县1.8万户6.3万贫困人口脱贫。", 63000, 18000),
    ("2019年,新化县累计减少贫困人口4.5万人,贫困人口从2014年的5.6万人减少到2019年的320人。", 45000, None),
])
def test_people_and_households_lifted_out(text, people, households):
    assert values(text, "PeopleLiftedOutOfPoverty") == ({Decimal(people)} if people else set())
    assert values(text, "PoorHouseholdsLiftedOut") == ({Decimal(households)} if households else set())


@pytest.mark.parametrize("text, yuan", [
    ("2019年,新化县统筹整合涉农资金6.5亿元,落实扶贫项目2523个。", 650_000_000),
    ("2019年,新化县累计投入农村危房改造资金20763.35万元。", 207_633_500),
    ("2019年,新化县投入2.57亿元,建成水厂8处。", 257_000_000),
    ("2019年,新化县整合资金300余万元,开发公益性岗位。", 3_000_000),
    ("2019年,新化县扶贫资金投入1200000元。", 1_200_000),
])
def test_funds_invested_in_yuan(text, yuan):
    assert values(text, "FundsInvested") == {Decimal(yuan)}


def test_chinese_numerals():
    assert values("2019年,新化县脱贫三千二百人。", "PeopleLiftedOutOfPoverty") == {Decimal(3200)}
    assert values("2019年,新化县减贫两万多人。", "PeopleLiftedOutOfPoverty") == {Decimal(20000)}
    assert values("2019年,新化县十二个贫困村全部出列。", "PoorVillagesExited") == {Decimal(12)}


@pytest.mark.parametrize("token, value", [
    ("1.2万", "12000"), ("2.4亿", "240000000"), ("20763.35万", "207633500"), ("300余万", "3000000"),
    ("三千二百", "3200"), ("两万", "20000"), ("十二万三千", "123000"), ("14,466", "14466"), ("0.28", "0.28"),
])
def test_numbers_are_normalised(token, value):
    assert parse_number(token) == Decimal(value)
    assert decimal_text(parse_number(token)) == value


@pytest.mark.parametrize("token", ["0738", "13807381234", "万"])
def test_codes_and_phone_numbers_are_not_numbers(token):
    assert parse_number(token) is None


# -- what is not a figure -------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "2019年,新化县举办培训班125期,培训贫困劳动力5680人次脱贫。",                # attendances
    "新化县扶贫热线0738-3521234,脱贫户可拨打咨询。",                              # a phone number
    "新化县脱贫户请拨打电话13807381234户。",                                       # …even before a unit
    "2019年,新化县抽调3243名干部结对帮扶14933户贫困户。",                          # cadres, households helped
    "2019年,新化县扶贫车间带动1200名贫困群众脱贫。",                               # what a program drove
    "2019年,新化县计划投入资金2亿元,力争3000人脱贫。",                             # plans
    "2019年,新化县贫困户人均投入资金3000元。",                                     # per head
    "2019年,新化县剩余贫困人口3033人今年年底可以实现全部脱贫。",                    # not yet
    "2019年,新化县未脱贫人口减至3345户7725人。",                                   # a stock, not an exit
    "2019年,新化县参加全省脱贫攻坚成效考核。2020年脱贫攻坚取得决定性胜利。",         # years themselves
])
def test_not_figures(text):
    assert figures_of(text) == set()


def test_percentages_other_than_the_incidence_are_not_incidence():
    text = ("2020年9月,新化县贫困人口医保参保率达100%,贫困发生率由2014年的12.6%下降至0.5%,"
            "农民人均可支配收入增长9.5%,综合报销比例达到88%。")
    got = {(y, v) for _, ind, y, _, v in figures_of(text) if ind == "PovertyIncidence"}
    assert got == {(2014, Decimal("12.6")), (2020, Decimal("0.5"))}


def test_figures_of_other_places_are_dropped():
    text = ("新化县近年来脱贫攻坚成效明显。“邻近的冷水江市去年脱贫3万人,”新化县扶贫办主任说。"
            "2019年全省累计减贫767万人,新化县脱贫5万人。")
    assert values(text, "PeopleLiftedOutOfPoverty") == {Decimal(50000)}


def test_a_township_named_as_subject_gets_its_figure():
    got = figures_of("2019年,新化县洋溪镇累计脱贫1200户4300人,新化县全县脱贫5万人。")
    assert ("洋溪镇", "PeopleLiftedOutOfPoverty", 2019, None, Decimal(4300)) in got
    assert ("新化县", "PeopleLiftedOutOfPoverty", 2019, None, Decimal(50000)) in got


# -- when -----------------------------------------------------------------------------------

@pytest.mark.parametrize("text, year, period", [
    ("2019年,新化县脱贫1200人。", 2019, None),
    ("截至2020年底,新化县累计脱贫1200人。", 2020, None),
    ("2014年至2019年,新化县累计脱贫1200人。", None, (2014, 2019)),
    ("2015—2020年,新化县累计脱贫1200人。", None, (2015, 2020)),
    ("2015年以来,新化县累计脱贫1200人。", None, (2015, None)),
    ("2019年新化县启动攻坚。近五年,新化县累计脱贫1200人。", None, None),
])
def test_year_or_period_from_the_sentence(text, year, period):
    assert figures_of(text) == {("新化县", "PeopleLiftedOutOfPoverty", year, period, Decimal(1200))}


def test_as_of_now_is_the_reporting_year():
    assert time_of("截至目前,耒阳市", 2020) == (2020, None)
    assert time_of("其中2019年", 2020) == (2019, None)


# -- numbers in RDF and IRIs ----------------------------------------------------------------

def test_large_values_have_no_exponent():
    area = "https://w3id.org/pakg/id/county/xin-hua-xian"
    iri = observation_iri(area, "FundsInvested", 2019, Decimal("1.2E+7"))
    assert iri.endswith("-2019-12000000") and "e+" not in iri.lower()
    obs = Observation(iri, area, "FundsInvested", 2019, Decimal("1.2E+7"), "元", "t.txt", found_by="test")
    g = build_graph([], {}, [], [obs])
    value = g.value(URIRef(iri), PA.value)
    assert value == Literal("12000000", datatype=XSD.decimal) and str(value) == "12000000"
    assert "e" not in g.serialize(format="turtle").split("pa:value")[1].split("\n")[0].lower()


def test_a_period_is_written_as_start_and_end_without_a_year():
    area = "https://w3id.org/pakg/id/county/xin-hua-xian"
    iri = observation_iri(area, "PeopleLiftedOutOfPoverty", None, Decimal(7854), (2015, 2019))
    assert iri.endswith("-2015-2019-7854")
    obs = Observation(iri, area, "PeopleLiftedOutOfPoverty", None, Decimal(7854), "人", "t.txt", (2015, 2019))
    g = build_graph([], {}, [], [obs])
    node = URIRef(iri)
    assert g.value(node, PA.refYear) is None
    assert (str(g.value(node, PA.refPeriodStart)), str(g.value(node, PA.refPeriodEnd))) == ("2015", "2019")


# -- the seeds, by SPARQL -------------------------------------------------------------------

QUERY = """
PREFIX pa: <https://w3id.org/pakg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?area ?year ?start ?end ?value ?unit WHERE {
  ?o a pa:Observation ; pa:indicator ?indicator ; pa:refArea ?a ; pa:value ?value ; pa:unit ?unit .
  ?a rdfs:label ?area .
  OPTIONAL { ?o pa:refYear ?year } OPTIONAL { ?o pa:refPeriodStart ?start } OPTIONAL { ?o pa:refPeriodEnd ?end }
}"""


def observations(graph, indicator: str) -> set[tuple]:
    rows = graph.query(QUERY, initBindings={"indicator": PA[indicator]})
    return {(str(r.area), r.year and int(str(r.year)), r.start and int(str(r.start)), r.end and int(str(r.end)),
             Decimal(str(r.value)), str(r.unit)) for r in rows}


@pytest.mark.parametrize("indicator, expected", [
    ("PoorVillagesExited", {("隆回县", 2019, None, None, 65, "个"), ("隆回县", None, 2014, 2019, 192, "个"),
                            ("涟源市", None, None, None, 148, "个"), ("耒阳市", 2020, None, None, 34, "个")}),
    ("PeopleLiftedOutOfPoverty", {("隆回县", 2019, None, None, 39926, "人"),
                                  ("隆回县", None, 2014, 2019, 215798, "人"),
                                  ("涪口区", None, 2015, 2019, 7854, "人"),
                                  ("涟源市", None, None, None, 143674, "人")}),
    ("PoorHouseholdsLiftedOut", {("隆回县", 2019, None, None, 13034, "户"),
                                 ("耒阳市", 2020, None, None, 13454, "户")}),
    ("FundsInvested", {("隆回县", 2019, None, None, 650_000_000, "元"),
                       ("耒阳市", None, 2015, 2020, 207_633_500, "元"),
                       ("隆回县", None, 2018, 2019, 257_000_000, "元")}),
])
def test_seeds_figures_by_sparql(seeds_graph, indicator, expected):
    got = observations(seeds_graph, indicator)
    assert {(a, y, s, e, Decimal(v), u) for a, y, s, e, v, u in expected} <= got


def test_seeds_figures_are_the_subjects_and_plain_decimals(seeds_graph):
    counties = {"涟源市", "涪口区", "耒阳市", "隆回县", "衡阳县"}
    ontology = Graph().parse(Path(__file__).resolve().parents[1] / "ontology" / "pakg.ttl")
    for indicator in ("PovertyIncidence", "PoorVillagesExited", "PeopleLiftedOutOfPoverty",
                      "PoorHouseholdsLiftedOut", "FundsInvested"):
        unit = str(ontology.value(PA[indicator], PA.unit))       # the code list says the unit
        found = observations(seeds_graph, indicator)
        assert found, indicator
        for area, year, start, _end, _value, obs_unit in found:
            assert area in counties
            assert not (year and start), "a figure has a year or a period, not both"
            assert obs_unit == unit
    for lit in seeds_graph.objects(None, PA.value):
        assert lit.datatype == XSD.decimal and "e" not in str(lit).lower(), lit
    # the figures in 人次 and the cadres the seeds count are not figures
    people = {v for *_, v, _ in observations(seeds_graph, "PeopleLiftedOutOfPoverty")}
    assert Decimal(12114) not in people and Decimal(3500) not in people and Decimal(56770) not in people


def test_incidence_after_a_dated_start_value_takes_the_sentence_year(tmp_path):
    got = _incidence_of(tmp_path, "桦南县脱贫纪实\n\n截至2019年底,桦南县贫困发生率由2014年的8.7%降至0.06%。\n", "桦南县")
    assert got == {(2014, Decimal("8.7")), (2019, Decimal("0.06"))}


def test_incidence_down_to_zero_in_words(tmp_path):
    got = _incidence_of(tmp_path, "拉孜县纪实\n\n2019年,拉孜县贫困发生率从2015年的16.8%降至零。\n", "拉孜县")
    assert got == {(2015, Decimal("16.8")), (2019, Decimal("0"))}


def test_incidence_written_as_poverty_rate_and_down_to_a_bare_zero(tmp_path):
    got = _incidence_of(tmp_path, "桦南县脱贫纪实\n\n2018年,桦南县贫困率下降到0.5%。2019年贫困发生率降至0,全县脱贫。\n", "桦南县")
    assert got == {(2018, Decimal("0.5")), (2019, Decimal("0"))}


def test_a_villages_rate_is_not_the_countys(tmp_path):
    got = _incidence_of(tmp_path, "桦南县脱贫纪实\n\n桦南县有个东风村,全村贫困发生率高达45.2%。\n", "桦南县")
    assert got == set()


def _incidence_of(tmp_path, text, subject):
    from kg.extract import extract
    from kg.ingest import read_article
    from kg.nlp import build_pipeline
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    ex = extract(read_article(tmp_path / "a.txt", tmp_path), build_pipeline())
    assert ex.subject == subject
    return {(f.year, f.value) for f in ex.figures if f.indicator == "PovertyIncidence"}


def test_every_pattern_match_in_the_seeds_has_what_the_sentence_filter_needs():
    """``counts`` skips sentences without a pattern's ``needs`` word or a numeral; a match
    lacking them would be lost.  Every match over the whole seed texts must have both."""
    from kg.key_figures import NUMERAL, PATTERNS
    from kg.ingest import read_article

    seeds = Path(__file__).resolve().parents[1] / "seeds"
    matched = set()
    for path in sorted(seeds.glob("*.txt")):
        text = read_article(path, seeds).text
        for pattern in PATTERNS:
            for m in pattern.regex.finditer(text):
                assert any(w in m.group() for w in pattern.needs), (pattern.name, m.group())
                assert NUMERAL.search(m.group()), (pattern.name, m.group())
                matched.add(pattern.name)
    assert len(matched) >= 6          # the seeds exercise most patterns
