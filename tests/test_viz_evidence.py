"""kg.viz.evidence: the page's sentences, made from the extractions, are what reading the
provenance graph of the same extractions gives (kg.viz.model._Sentences over kg.provenance)."""
from __future__ import annotations

from dataclasses import replace

import pytest
from rdflib import Graph, URIRef

from kg import provenance, viz
from kg.speed.parallel import SourceFile, extract_all
from kg.ingest import find_articles, read_bytes, source_root
from kg.lineindex import LineIndex
from kg.pipeline import BuildReport, _distinct, _page
from kg.rdf import graph_lines
from kg.resolve import resolve
from kg.viz.evidence import ExtractionSentences
from kg.viz.model import _Sentences
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def seeds():
    folder = ROOT / "seeds"
    root = source_root(folder)
    items = [SourceFile(p, root, read_bytes(p)) for p in find_articles(folder)]
    extractions = _distinct(extract_all(items), BuildReport())
    articles = [ex.article for ex in extractions]
    entities, relations, observations, sources = resolve(extractions)
    return articles, extractions, entities, relations, observations, sources


def _from_graph(extractions, entities, sources, rdflib_graph=False):
    lines = [line for _, chunk in provenance.article_provenance(extractions, entities, sources) for line in chunk]
    if rdflib_graph:
        return _Sentences(Graph().parse(data="\n".join(lines), format="nt"))
    return _Sentences(LineIndex.from_lines(lines))


def _same(ours, theirs, entities):
    for iri in entities:
        assert ours.of_entity(URIRef(iri)) == theirs.of_entity(URIRef(iri)), iri
    assert ours.of_statements() == theirs.of_statements()


def test_sentences_equal_those_read_from_the_provenance_graph(seeds):
    _, extractions, entities, _, _, sources = seeds
    ours = ExtractionSentences(extractions, entities, sources)
    assert sum(bool(ours.of_entity(URIRef(i))[1]) for i in entities) > 100
    assert any(gazetteer for _, gazetteer in ours.of_statements().values())
    _same(ours, _from_graph(extractions, entities, sources), entities)
    _same(ours, _from_graph(extractions, entities, sources, rdflib_graph=True), entities)


def test_a_part_of_the_corpus_as_the_page_asks_for_it(seeds):
    """Two mentions and one source each, of every other entity, from all but one article;
    plus mentions whose sentence is unknown and mentions that repeat a span."""
    _, extractions, entities, _, _, sources = seeds
    part = {i: replace(e, mentions=e.mentions[:2]) for i, e in sorted(entities.items())[::2]}
    odd = next(i for i, e in part.items() if e.mentions and e.mentions[0][1].end - e.mentions[0][1].start > 1)
    src, m = part[odd].mentions[0]
    part[odd] = replace(part[odd], mentions=[(src, replace(m, sentence=-1)), *part[odd].mentions,
                                             (src, replace(m, sentence=m.sentence + 10**6)),
                                             (src, replace(m, end=m.end - 1, sentence=-1))])
    evidence = {r: found[:1] for r, found in list(sources.items())[::3]}
    given = extractions[1:]
    _same(ExtractionSentences(given, part, evidence), _from_graph(given, part, evidence), part)


def test_the_page_is_the_page_of_the_provenance_graph(seeds):
    """graph.html made from the extractions equals the page drawn from the provenance graph."""
    articles, extractions, entities, relations, observations, sources = seeds
    kg = LineIndex.from_lines(graph_lines(articles, entities, relations, observations))
    graph = viz.to_networkx(kg, _from_graph(extractions, entities, sources))
    for iri in entities:
        graph.nodes[iri]["mentions"] = len(entities[iri].mentions)
    graph.graph["whole"] = (len(entities), len(relations))
    assert len(entities) < viz.PAGE_LIMIT and max(len(e.mentions) for e in entities.values()) < 25
    assert _page(articles, extractions, entities, relations, observations, sources) == viz.render_html(graph)


def test_a_kept_page_graph_draws_what_a_fresh_one_draws(seeds):
    """PageGraph (kg build --watch) against page_graph, build after build: it makes again
    what an article's new objects, a relation's new sources or a new figure change, even
    when the entity objects stay the same (which the resident merger would not do)."""
    from kg.pipeline import page_graph
    from kg.viz.incremental import PageGraph

    articles, extractions, entities, relations, observations, sources = seeds
    shown = {i: replace(e, mentions=e.mentions[:25]) for i, e in entities.items()}
    kept = PageGraph()

    def both(extractions, sources, observations):
        evidence = {r: found for r, found in sources.items() if r.subject in shown and r.object in shown}
        args = ([ex.article for ex in extractions], extractions, entities, shown, relations, observations, evidence)
        assert viz.page_data(kept(*args)) == viz.page_data(page_graph(*args))
        return viz.page_data(page_graph(*args))

    first = both(extractions, sources, observations)
    assert both(extractions, sources, observations) == first
    # an article's title changes: the nodes of its entities name it with the new one
    retitled = [replace(ex, article=replace(ex.article, title="新的标题")) if i == 1 else ex
                for i, ex in enumerate(extractions)]
    assert both(retitled, sources, observations) != first
    # the file's words change, not their places: the sentences quoted change, nothing else
    reworded = [replace(ex, article=replace(ex.article, raw=ex.article.raw.replace("的", "之"))) for ex in retitled]
    assert both(reworded, sources, observations) != both(retitled, sources, observations)
    # a relation loses its sources but one, a figure goes
    fewer = {r: found[:1] for r, found in sources.items()}
    both(retitled, fewer, observations[1:])
