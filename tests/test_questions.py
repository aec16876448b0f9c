"""The questions users ask the graph, as SPARQL over a fresh build of the seeds.

Who served where, who ran what, where each place lies, and how the figures moved:
if these answers are wrong the graph is wrong, whatever the entity scores say.
"""
import pytest

PREFIXES = """
PREFIX pa: <https://w3id.org/pakg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""


def select(graph, query):
    return [tuple(str(v) if v is not None else None for v in row) for row in graph.query(PREFIXES + query)]


def test_every_village_has_its_county_and_province(seeds_graph):
    rows = select(seeds_graph, """
        SELECT ?village ?county ?province WHERE {
          ?v a pa:Village ; rdfs:label ?village ; pa:locatedIn+ ?c, ?p .
          ?c a pa:County ; rdfs:label ?county .
          ?p a pa:Province ; rdfs:label ?province .
        }""")
    assert ("胡家坪村", "涟源市", "湖南省") in rows
    assert ("崇木幽", "隆回县", "湖南省") in rows
    villages = {str(lbl) for v, lbl in seeds_graph.query(
        PREFIXES + "SELECT ?v ?l WHERE { ?v a pa:Village ; rdfs:label ?l }")}
    placed = {r[0] for r in rows}
    assert villages == placed, f"villages without county and province: {villages - placed}"


def test_villages_are_placed_only_in_counties_their_article_supports(seeds_graph):
    """A village is never put into a county elsewhere in the province just because its
    name exists there (花冲村 exists in several Hunan counties)."""
    rows = select(seeds_graph, """
        SELECT ?village ?county WHERE {
          ?v a pa:Village ; rdfs:label ?village ; pa:locatedIn+ ?c . ?c a pa:County ; rdfs:label ?county .
        }""")
    assert ("长远村", "中方县") not in rows and ("龙潭村", "新化县") not in rows


def test_first_secretaries_with_their_villages(seeds_graph):
    rows = select(seeds_graph, """
        SELECT ?name ?village WHERE {
          ?c a pa:Cadre ; rdfs:label ?name ; pa:positionTitle "第一书记"@zh ; pa:servesIn ?v .
          ?v a pa:Village ; rdfs:label ?village .
        }""")
    assert ("刘清锋", "胡家坪村") in rows


def test_first_secretary_post_in_w3c_org_terms(seeds_graph):
    rows = select(seeds_graph, """
        PREFIX org: <http://www.w3.org/ns/org#>
        SELECT ?role WHERE {
          ?c rdfs:label "刘清锋"@zh ; pa:holds ?post . ?post pa:postIn ?v ; org:role ?r . ?r rdfs:label ?role .
          ?v rdfs:label "胡家坪村"@zh .
        }""")
    assert {r[0] for r in rows} >= {"第一书记", "驻村帮扶工作队队长"}


def test_programs_implemented_by_more_than_one_county(seeds_graph):
    rows = select(seeds_graph, """
        SELECT ?program (COUNT(DISTINCT ?c) AS ?n) WHERE {
          ?c a pa:County ; pa:implements ?p . ?p rdfs:label ?program .
        } GROUP BY ?program HAVING (COUNT(DISTINCT ?c) > 1)""")
    shared = {p: int(n) for p, n in rows}
    assert shared.get("四跟四走") == 4          # one node, four counties
    assert shared.get("易地扶贫搬迁") == 5
    assert "一县一特" not in shared             # a provincial program the county joined


def test_poverty_incidence_series_by_year(seeds_graph):
    rows = select(seeds_graph, """
        SELECT ?county ?year ?value WHERE {
          ?o pa:indicator pa:PovertyIncidence ; pa:refArea ?a ; pa:value ?value ; pa:refYear ?year .
          ?a rdfs:label ?county .
        } ORDER BY ?county ?year""")
    series = {}
    for county, year, value in rows:
        series.setdefault(county, []).append((int(year[:4]), float(value)))
    assert series["衡阳县"] == [(2014, 6.1), (2020, 0.28)]
    assert series["涪口区"] == [(2015, 3.1), (2019, 0.4)]
    for points in series.values():
        assert [y for y, _ in points] == sorted(y for y, _ in points)


def test_short_references_resolve_to_the_full_entity(seeds_graph):
    rows = select(seeds_graph, """
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?alias WHERE { ?c rdfs:label "刘清锋"@zh ; skos:altLabel ?alias }""")
    assert ("刘书记",) in rows


@pytest.mark.parametrize("label, alias", [("涟源市", "涟源"), ("中共涟源市委", "涟源市委"),
                                          ("涟源市人民政府", "市政府"), ("涪口区扶贫办", "扶贫办")])
def test_short_forms_are_aliases(seeds_graph, label, alias):
    result = seeds_graph.query(PREFIXES + f"""
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        ASK {{ ?e rdfs:label "{label}"@zh ; skos:altLabel "{alias}"@zh }}""")
    assert result.askAnswer
