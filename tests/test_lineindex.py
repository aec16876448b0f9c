"""kg.lineindex: rdflib's read API over N-Triples lines must answer as a real RDF store does.

The references are rdflib's own N-Triples parser and pyoxigraph (tests/oxigraph_view.py); the
inputs are the seeds build's files, as pyoxigraph writes them, and literals chosen to need
every N-Triples escape.
"""
from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef, namespace

from kg import viz
from kg.lineindex import LineIndex
from kg.namespaces import NIF, PA

RDF, RDFS = namespace.RDF, namespace.RDFS
from kg.ntriples import literal
from oxigraph_view import StoreView

TRICKY = ['他说:"好"', "line\nbreak\r\n", "tab\there", "back\\slash", "\x00\x01\x7f", "\u2028\u2029",
          "emoji 😀", "", " ", "ends with quote\"", "\\u0041 is not an escape here", "'single'"]


def _oxigraph_lines(path, fmt=ox.RdfFormat.TURTLE) -> list[str]:
    """A file's triples as N-Triples lines written by pyoxigraph (its escapes, not ours)."""
    data = ox.serialize(ox.parse(path=str(path), format=fmt), format=ox.RdfFormat.N_TRIPLES)
    return data.decode("utf-8").splitlines()


def _tricky_lines() -> list[str]:
    s, lines = "<http://x/s>", []
    for i, text in enumerate(TRICKY):
        lines += [f"{s} <http://x/p{i}> {literal(text)} .", f"{s} <http://x/zh> {literal(text, lang='zh')} .",
                  f"{s} <http://x/t> {literal(text, str(namespace.XSD.token))} ."]
    lines += [f"{s} <http://x/n> {literal('18.30', str(namespace.XSD.decimal))} .", f"{s} <http://x/b> _:b1 .",
              f"_:b1 <http://x/i> {literal('7', str(namespace.XSD.nonNegativeInteger))} .",
              f'{s} <http://x/str> "plain"^^<{namespace.XSD.string}> .',
              f"{s} <http://x/u> <http://x/\\u00E9t\\u00E9> ."]
    return lines


def _all(g) -> set:
    """The triples of ``g``, blank nodes as one placeholder (parsers name them as they like)."""
    return {tuple("_:" if isinstance(t, BNode) else t for t in x) for x in g.triples((None, None, None))}


def _rdflib(lines: list[str]) -> Graph:
    return Graph().parse(data="\n".join(lines), format="nt")      # rdflib's own N-Triples parser


def test_terms_match_rdflib_and_pyoxigraph_for_every_escape():
    lines = _tricky_lines()
    index = LineIndex.from_lines(lines)
    assert len(index) == len(lines)
    assert _all(index) == _all(_rdflib(lines))
    # pyoxigraph agrees too, except that it writes some literals canonically (18.30 -> 18.3,
    # xsd:nonNegativeInteger as xsd:integer, no xsd:string): the explorer reads them as values
    xsd = namespace.XSD
    canonical = {x for x in _all(index)
                 if isinstance(x[2], Literal) and x[2].datatype in (xsd.decimal, xsd.nonNegativeInteger, xsd.string)}
    store = _all(StoreView.from_lines(lines))
    assert _all(index) - canonical <= store and len(store - (_all(index) - canonical)) == len(canonical) == 3
    assert {str(o) for o in index.objects(URIRef("http://x/s"), URIRef("http://x/zh"))} == set(TRICKY)
    assert index.value(URIRef("http://x/s"), URIRef("http://x/u")) == URIRef("http://x/été")


def test_reads_agree_with_rdflib_on_a_build(seeds_build):
    for lines in (_oxigraph_lines(seeds_build / "kg.ttl"), _oxigraph_lines(seeds_build / "provenance.ttl"),
                  (seeds_build / "kg.nt").read_text(encoding="utf-8").splitlines()):
        index, ref = LineIndex.from_lines(lines), _rdflib(lines)
        assert len(index) == len(ref) and _all(index) == _all(ref)
        subjects = sorted({s for s, _, _ in ref}, key=str)[::7]
        for p in sorted({p for _, p, _ in ref}, key=str) + [PA.nothing]:
            assert sorted(index.subject_objects(p)) == sorted(ref.subject_objects(p))
            assert sorted(index.subjects(p)) == sorted(ref.subjects(p))
        for s in subjects:
            assert sorted(index.predicate_objects(s)) == sorted(ref.predicate_objects(s))
            for p in (RDF.type, RDFS.label, PA.hasMention, NIF.anchorOf, NIF.beginIndex):
                assert sorted(index.objects(s, p)) == sorted(ref.objects(s, p))
                assert index.value(s, p) in set(ref.objects(s, p)) | {None}
                assert ((s, p, None) in index) == ((s, p, None) in ref)
        for o in (RDF.Statement, PA.Village, NIF.Sentence, Literal("湖南省", lang="zh"), Literal(0)):
            assert sorted(index.subjects(RDF.type, o)) == sorted(ref.subjects(RDF.type, o))
            assert sorted(index.subjects(RDFS.label, o)) == sorted(ref.subjects(RDFS.label, o))
        assert list(index.objects(Literal("x"), RDFS.label)) == [] and Literal("x") not in index.subjects()


def test_the_page_model_is_the_same_from_lines_as_from_the_files(seeds_build):
    """What ``kg build`` draws (LineIndex of lines) equals what ``kg viz`` draws (rdflib of files)."""
    kg, prov = viz.load_build(seeds_build)
    from_files = viz.to_networkx(kg, prov)
    lines = _oxigraph_lines(seeds_build / "kg.ttl") + _oxigraph_lines(seeds_build / "ontology.ttl")
    from_lines = viz.to_networkx(LineIndex.from_lines(lines),
                                 LineIndex.from_lines(_oxigraph_lines(seeds_build / "provenance.ttl")))
    assert from_files.number_of_nodes() > 100 and any(a["sentences"] for _, a in from_files.nodes(data=True))
    assert list(from_lines.nodes(data=True)) == list(from_files.nodes(data=True))
    assert list(from_lines.edges(keys=True, data=True)) == list(from_files.edges(keys=True, data=True))


def test_repeated_lines_count_once_and_bad_lines_are_named():
    line = '<http://x/e> <https://w3id.org/pakg/ontology#hasMention> <http://x/m> .'
    index = LineIndex.from_lines([line, line])
    assert len(index) == 1 and len(list(index.objects(URIRef("http://x/e"), PA.hasMention))) == 1
    with pytest.raises(ValueError, match="N-Triples line"):
        LineIndex.from_lines(["<http://x/e> <http://x/p>"])
    for bad in ('<http://x/e> <http://x/p> "open .', "<http://x/e> <http://x/p> c ."):
        with pytest.raises(ValueError, match="N-Triples term"):  # terms are read when asked for
            list(LineIndex.from_lines([bad]).triples((None, None, None)))
