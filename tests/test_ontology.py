"""The ontology (ontology/pakg.ttl): it parses, declares the contract, aligns, and its lexicon is sound."""
import re
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import FOAF, ORG, OWL, PROV, QB, RDF, RDFS, SKOS

ONTOLOGY = Path(__file__).resolve().parents[1] / "ontology" / "pakg.ttl"
PA = Namespace("https://w3id.org/pakg/ontology#")
ONTOLOGY_IRI = URIRef("https://w3id.org/pakg/ontology")
SDO = Namespace("https://schema.org/")

# CONTRACT.md: classes, properties and key-figure properties that must exist
CONTRACT_CLASSES = ("Province", "Prefecture", "County", "Township", "Village", "Cadre", "Resident",
                    "Enterprise", "Cooperative", "GovernmentBody", "Program", "Article", "Observation")
CONTRACT_OBJECT_PROPERTIES = ("mentionedIn", "locatedIn", "servesIn", "residentOf", "implements",
                              "refArea", "indicator")
CONTRACT_DATATYPE_PROPERTIES = ("sourceFile", "positionTitle", "refYear", "value")

# ANNOTATION.md, Programs, item 3: the canonical names of the standard program kinds
# ("金融扶贫 / 扶贫小额信贷" is one kind: 金融扶贫 is its name, 扶贫小额信贷 a variant).
ANNOTATED_KINDS = ("易地扶贫搬迁", "产业扶贫", "就业扶贫", "教育扶贫", "健康扶贫", "危房改造", "光伏扶贫",
                   "消费扶贫", "电商扶贫", "旅游扶贫", "生态扶贫", "金融扶贫", "扶贫特惠保", "农村饮水安全工程",
                   "兜底保障")
# wordings ANNOTATION.md gives as aliases of a kind
ANNOTATED_VARIANTS = {"易地搬迁": "易地扶贫搬迁", "农村危房改造": "危房改造", "产业扶贫项目": "产业扶贫",
                      "扶贫小额信贷": "金融扶贫"}

INDICATORS = {"PovertyIncidence": "贫困发生率", "PoorVillagesExited": "贫困村出列",
              "PeopleLiftedOutOfPoverty": "脱贫人口", "PoorHouseholdsLiftedOut": "脱贫户数",
              "FundsInvested": "扶贫资金投入"}

PROPERTY_TYPES = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)


@pytest.fixture(scope="module")
def g() -> Graph:
    graph = Graph()
    graph.parse(ONTOLOGY, format="turtle")
    return graph


def pa_terms(g, *types):
    return sorted({s for t in types for s in g.subjects(RDF.type, t)
                   if isinstance(s, URIRef) and s.startswith(str(PA))})


def superclasses(g, cls):
    """cls and everything above it by rdfs:subClassOf (reflexive-transitive closure)."""
    return set(g.transitive_objects(cls, RDFS.subClassOf))


def union_members(g, node):
    if isinstance(node, BNode) and g.value(node, OWL.unionOf) is not None:
        return set(Collection(g, g.value(node, OWL.unionOf)))
    return {node}


def langs(g, s, p):
    return {x.language for x in g.objects(s, p) if isinstance(x, Literal)}


def kinds(g):
    return sorted(set(g.subjects(SKOS.inScheme, PA.ProgramKindScheme)))


def zh(g, s, p):
    return [str(x) for x in g.objects(s, p) if isinstance(x, Literal) and x.language == "zh"]


# ------------------------------------------------------------------ parsing

def test_parses_with_rdflib(g):
    assert len(g) > 300
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in g


def test_parses_with_pyoxigraph_and_agrees_with_rdflib(g):
    pyoxigraph = pytest.importorskip("pyoxigraph")
    with open(ONTOLOGY, "rb") as fh:
        triples = list(pyoxigraph.parse(fh, format=pyoxigraph.RdfFormat.TURTLE))
    assert len(triples) == len(g)
    store = pyoxigraph.Store()
    store.load(path=str(ONTOLOGY), format=pyoxigraph.RdfFormat.TURTLE)
    assert len(store) == len(g)
    ask = store.query("ASK { <https://w3id.org/pakg/ontology#locatedIn> a "
                      "<http://www.w3.org/2002/07/owl#TransitiveProperty> }")
    assert bool(ask)


def test_header(g):
    assert str(g.value(ONTOLOGY_IRI, OWL.versionInfo)) == "0.1.0"
    for p in (URIRef("http://purl.org/dc/terms/title"), URIRef("http://purl.org/dc/terms/description"),
              URIRef("http://purl.org/dc/terms/license")):
        assert g.value(ONTOLOGY_IRI, p) is not None, p


# ------------------------------------------------------------------ the contract is declared

@pytest.mark.parametrize("name", CONTRACT_CLASSES)
def test_contract_class_declared(g, name):
    assert (PA[name], RDF.type, OWL.Class) in g


@pytest.mark.parametrize("name", CONTRACT_OBJECT_PROPERTIES)
def test_contract_object_property_declared(g, name):
    assert (PA[name], RDF.type, OWL.ObjectProperty) in g


@pytest.mark.parametrize("name", CONTRACT_DATATYPE_PROPERTIES)
def test_contract_datatype_property_declared(g, name):
    assert (PA[name], RDF.type, OWL.DatatypeProperty) in g


def test_located_in_is_transitive(g):
    assert (PA.locatedIn, RDF.type, OWL.TransitiveProperty) in g


def test_every_pa_term_used_is_declared(g):
    """A typo such as pa:Organisation in an axiom shows up as an undeclared term."""
    declared = {s for s in g.subjects(RDF.type, None) if isinstance(s, URIRef)}
    used = {t for triple in g for t in triple if isinstance(t, URIRef) and t.startswith(str(PA))}
    assert used <= declared, sorted(used - declared)


# ------------------------------------------------------------------ documentation

def test_every_class_and_property_is_labelled_in_zh_and_en_and_commented(g):
    terms = pa_terms(g, OWL.Class, *PROPERTY_TYPES)
    assert len(terms) >= len(CONTRACT_CLASSES) + len(CONTRACT_OBJECT_PROPERTIES) + len(
        CONTRACT_DATATYPE_PROPERTIES)
    for t in terms:
        assert {"zh", "en"} <= langs(g, t, RDFS.label), t
        assert "en" in langs(g, t, RDFS.comment), t
        assert (t, RDFS.isDefinedBy, ONTOLOGY_IRI) in g, t


def test_every_property_has_a_domain_and_a_range(g):
    for p in pa_terms(g, *PROPERTY_TYPES):
        assert g.value(p, RDFS.domain) is not None, p
        assert g.value(p, RDFS.range) is not None, p


# ------------------------------------------------------------------ alignments

@pytest.mark.parametrize("cls, sup", [
    (PA.Cadre, FOAF.Person), (PA.Resident, FOAF.Person), (PA.Cadre, PROV.Agent),
    (PA.Enterprise, ORG.FormalOrganization), (PA.Cooperative, ORG.FormalOrganization),
    (PA.GovernmentBody, ORG.FormalOrganization), (PA.GovernmentBody, SDO.GovernmentOrganization),
    (PA.Observation, QB.Observation), (PA.Article, SDO.NewsArticle), (PA.Article, PROV.Entity),
    (PA.Program, PROV.Plan), (PA.CountyLevelCity, PA.County), (PA.District, PA.County),
    (PA.Post, ORG.Post), (PA.Indicator, SKOS.Concept), (PA.ProgramKind, SKOS.Concept),
    (PA.CountyLevelCity, PA.Place), (PA.Place, SDO.Place),
])
def test_alignment(g, cls, sup):
    assert sup in superclasses(g, cls)


@pytest.mark.parametrize("name", ("Province", "Prefecture", "County", "Township", "Village",
                                  "CountyLevelCity", "District"))
def test_places_are_places_and_not_organizations(g, name):
    sups = superclasses(g, PA[name])
    assert PA.Place in sups
    assert not sups & {ORG.Organization, PA.Organization, SDO.Organization, FOAF.Organization}


def test_servesin_and_postin_reach_places_and_organizations(g):
    for p in (PA.servesIn, PA.postIn):
        assert union_members(g, g.value(p, RDFS.range)) == {PA.Place, PA.Organization}, p
    assert g.value(PA.servesIn, RDFS.domain) == PA.Cadre


def test_posts_follow_org(g):
    assert (PA.holds, RDFS.subPropertyOf, ORG.holds) in g
    assert (PA.postIn, RDFS.subPropertyOf, ORG.postIn) in g


def test_mentioned_in_points_to_articles_and_is_not_derivation(g):
    assert g.value(PA.mentionedIn, RDFS.range) == PA.Article
    assert PROV.wasDerivedFrom not in set(g.transitive_objects(PA.mentionedIn, RDFS.subPropertyOf))


def test_position_title_is_a_language_string(g):
    assert g.value(PA.positionTitle, RDFS.range) == RDF.langString


# ------------------------------------------------------------------ key figures

def test_key_figures_structure_has_its_components(g):
    dsd = PA.KeyFiguresStructure
    assert (dsd, RDF.type, QB.DataStructureDefinition) in g
    parts = {(p, o) for c in g.objects(dsd, QB.component) for p, o in g.predicate_objects(c)}
    assert {(QB.dimension, PA.refArea), (QB.dimension, PA.indicator), (QB.dimension, PA.refYear),
            (QB.measure, PA.value), (QB.attribute, PA.unit)} <= parts
    for p, t in ((PA.refArea, QB.DimensionProperty), (PA.indicator, QB.DimensionProperty),
                 (PA.refYear, QB.DimensionProperty), (PA.value, QB.MeasureProperty),
                 (PA.unit, QB.AttributeProperty)):
        assert (p, RDF.type, t) in g, p


@pytest.mark.parametrize("name, label", sorted(INDICATORS.items()))
def test_indicator(g, name, label):
    ind = PA[name]
    assert (ind, RDF.type, PA.Indicator) in g
    assert zh(g, ind, RDFS.label) == [label]
    assert "en" in langs(g, ind, RDFS.label)
    assert (ind, SKOS.inScheme, PA.IndicatorScheme) in g
    assert g.value(ind, PA.unit) is not None


def test_poverty_incidence_is_in_percent_and_funds_in_yuan(g):
    assert str(g.value(PA.PovertyIncidence, PA.unit)) == "%"
    assert str(g.value(PA.FundsInvested, PA.unit)) == "元"


# ------------------------------------------------------------------ program kinds

def test_program_kind_scheme(g):
    assert (PA.ProgramKindScheme, RDF.type, SKOS.ConceptScheme) in g
    assert len(kinds(g)) >= len(ANNOTATED_KINDS)


@pytest.mark.parametrize("name", ANNOTATED_KINDS)
def test_every_annotated_kind_is_a_preflabel_of_the_scheme(g, name):
    hits = [k for k in kinds(g) if name in zh(g, k, SKOS.prefLabel)]
    assert len(hits) == 1, name
    assert (PA.AnnotatedProgramKinds, SKOS.member, hits[0]) in g


def test_annotated_collection_holds_exactly_the_guides_kinds(g):
    members = set(g.objects(PA.AnnotatedProgramKinds, SKOS.member))
    assert {n for m in members for n in zh(g, m, SKOS.prefLabel)} == set(ANNOTATED_KINDS)


@pytest.mark.parametrize("variant, canonical", sorted(ANNOTATED_VARIANTS.items()))
def test_annotation_guides_variants_are_altlabels(g, variant, canonical):
    owner = [k for k in kinds(g) if variant in zh(g, k, SKOS.altLabel)]
    assert len(owner) == 1 and zh(g, owner[0], SKOS.prefLabel) == [canonical]


def test_every_kind_is_well_formed(g):
    for k in kinds(g):
        assert re.fullmatch(r"kind-[a-z]+(-[a-z]+)*", k[len(PA):]), k
        assert (k, RDF.type, SKOS.Concept) in g and (k, RDF.type, PA.ProgramKind) in g, k
        assert (k, SKOS.topConceptOf, PA.ProgramKindScheme) in g, k
        assert len(zh(g, k, SKOS.prefLabel)) == 1, k
        assert sorted(x.language for x in g.objects(k, SKOS.prefLabel)) == ["en", "zh"], k
        assert "en" in langs(g, k, SKOS.definition), k
        assert all(isinstance(a, Literal) and a.language == "zh" for a in g.objects(k, SKOS.altLabel)), k


def test_no_wording_belongs_to_two_kinds(g):
    owner: dict[str, URIRef] = {}
    for k in kinds(g):
        pref = zh(g, k, SKOS.prefLabel)
        alts = zh(g, k, SKOS.altLabel)
        assert not set(pref) & set(alts), k
        for w in pref + alts:
            assert owner.setdefault(w, k) == k, (w, owner[w], k)


def test_no_wording_of_one_kind_contains_another_kinds_wording(g):
    """The extractor matches longest first; a wording nested in another kind's would be ambiguous."""
    words = [(w, k) for k in kinds(g) for w in zh(g, k, SKOS.prefLabel) + zh(g, k, SKOS.altLabel)]
    clashes = [(a, b) for a, ka in words for b, kb in words if ka != kb and a in b]
    assert not clashes, clashes

