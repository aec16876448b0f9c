"""provenance.ttl: every node of kg.ttl can be traced to the characters it was read from."""
import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDF, RDFS

from tests.conftest import ROOT

PA = Namespace("https://w3id.org/pakg/ontology#")
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
ITSRDF = Namespace("http://www.w3.org/2005/11/its/rdf#")
PROV = Namespace("http://www.w3.org/ns/prov#")


@pytest.fixture(scope="module")
def prov(seeds_build) -> Graph:
    g = Graph()
    g.parse(seeds_build / "provenance.ttl", format="turtle")
    return g


def test_mention_offsets_index_the_original_file(prov):
    """nif:anchorOf is exactly file[begin:end] of the file on disk, for every mention and sentence."""
    texts = {}
    for ctx in prov.subjects(RDF.type, NIF.Context):
        source = str(prov.value(ctx, PA.sourceFile))
        texts[ctx] = (ROOT / "seeds" / source).read_text(encoding="utf-8")
        assert str(prov.value(ctx, NIF.isString)) == texts[ctx]
    assert len(texts) == 5
    checked = 0
    for cls in (PA.Mention, NIF.Sentence):
        for node in prov.subjects(RDF.type, cls):
            text = texts[prov.value(node, NIF.referenceContext)]
            begin = int(prov.value(node, NIF.beginIndex))
            end = int(prov.value(node, NIF.endIndex))
            assert str(node).endswith(f"#char={begin},{end}")
            assert text[begin:end] == str(prov.value(node, NIF.anchorOf))
            checked += 1
    assert checked > 500


def test_every_mentioned_entity_has_a_mention_in_each_article(seeds_graph, prov):
    """An entity with pa:mentionedIn A has a pa:Mention inside article A, and the mention points back."""
    for entity, article in seeds_graph.subject_objects(PA.mentionedIn):
        if (entity, RDF.type, PA.Observation) in seeds_graph:
            continue                      # figures carry their sentence in kg.ttl itself
        contexts = {prov.value(m, NIF.referenceContext) for m in prov.objects(entity, PA.hasMention)}
        assert URIRef(str(article) + "#context") in contexts, (entity, article)
        for m in prov.objects(entity, PA.hasMention):
            assert prov.value(m, ITSRDF.taIdentRef) == entity


def test_relations_are_derived_from_a_sentence_that_names_both_ends(seeds_graph, prov):
    """Each reified statement is a triple of kg.ttl, derived from a sentence or from the gazetteer."""
    statements = list(prov.subjects(RDF.type, RDF.Statement))
    assert len(statements) > 100
    from_text = 0
    for st in statements:
        s, p, o = (prov.value(st, x) for x in (RDF.subject, RDF.predicate, RDF.object))
        assert (s, p, o) in seeds_graph, (s, p, o)
        sources = set(prov.objects(st, PROV.wasDerivedFrom))
        assert sources
        for src in sources:
            assert src == PA.Gazetteer or (src, RDF.type, NIF.Sentence) in prov
        from_text += any(src != PA.Gazetteer for src in sources)
        assert prov.value(st, PA.foundBy) is not None
    assert from_text > len(statements) / 2


def test_a_cadre_post_can_be_traced_to_its_sentence(seeds_graph, prov):
    """The user story: 'where does it say this cadre serves there?' answered with one SPARQL query."""
    rows = list(prov.query(
        """
        PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        PREFIX pa: <https://w3id.org/pakg/ontology#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
        SELECT ?cadre ?unit ?sentence WHERE {
          ?st a rdf:Statement ; rdf:subject ?cadre ; rdf:predicate pa:servesIn ; rdf:object ?unit ;
              prov:wasDerivedFrom ?s .
          ?s a nif:Sentence ; nif:anchorOf ?sentence .
        }"""))
    assert len(rows) == len(set(seeds_graph.subject_objects(PA.servesIn)))
    for cadre, unit, sentence in rows:
        label = str(seeds_graph.value(cadre, RDFS.label))
        assert label[0] in str(sentence), (label, str(sentence))   # the surname at least (刘书记)


def test_provenance_turtle_is_what_pyoxigraph_writes(tmp_path):
    """provenance.ttl is written by kg.provenance._turtle, not by pyoxigraph (which would
    parse each triple back first); it must be what pyoxigraph writes of the same triples,
    byte for byte, odd characters of the file included."""
    import shutil

    from kg import provenance
    from kg.speed.parallel import SourceFile, extract_all
    from kg.ingest import find_articles, read_bytes
    from kg.ntriples import turtle_body
    from kg.resolve import resolve

    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "seeds", corpus)
    (corpus / "odd.txt").write_text("涟源市伏口镇\t胡家坪村第一书记王某说：\"引号\"和\\反斜杠\f，\ufffe。\n"
                                    "伏口镇胡家坪村\b村民李某加入了胡家坪村养殖专业合作社。\n", encoding="utf-8")
    extractions = extract_all([SourceFile(p, corpus, read_bytes(p)) for p in find_articles(corpus)])
    entities, _, _, sources = resolve(extractions)
    checked = set()
    for ex, found, read in provenance._by_article(extractions, entities, sources):
        ours = provenance._turtle(provenance._article_triples(ex, found, read, True))
        theirs = turtle_body(provenance._article_lines(ex, found, read, True), provenance.PREFIX_NAMES).decode()
        assert ours == theirs, ex.article.source_file
        checked.add(ex.article.source_file)
    assert "odd.txt" in checked and len(checked) == 6
    odd = next(ex for ex in extractions if ex.article.source_file == "odd.txt")
    assert {"\t", "\ufffe", "\\", '"'} <= set(odd.article.raw)     # (reading the file drops \b and \f)
