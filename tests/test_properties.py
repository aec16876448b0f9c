"""Property tests: arbitrary text never breaks extraction, RDF round-trips, HTML escaping.

2,100 generated examples in all (see ``max_examples``); hypothesis shrinks any failure
to a minimal input, which then belongs in a unit test.
"""
import json
from html.parser import HTMLParser

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS, SKOS

from kg import formats
from kg.extract import from_doc
from kg.ingest import normalize
from kg.nlp import build_pipeline
from kg.ntriples import literal, turtle_parts
from kg.records import Article

NLP = build_pipeline()
# Chinese text with the characters that matter to the rules, plus anything at all
CHINESE = st.text(alphabet=st.sampled_from(list("县市区镇乡村社区街道书记村民刘王张李合作社公司有限扶贫办“”《》、，。：；！？0123456789%年")
                                           + [chr(c) for c in range(0x4E00, 0x4E00 + 400)]), max_size=200)
ANY = st.text(max_size=200)
SETTINGS = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _article(text: str) -> Article:
    clean, offsets = normalize(text)
    return Article(source_file="x.txt", raw=text, text=clean, offsets=offsets, title=clean[:20])


@settings(max_examples=800, **SETTINGS)
@given(st.one_of(CHINESE, ANY))
def test_extraction_never_raises_and_spans_map_back(text):
    article = _article(text)
    ex = from_doc(article, NLP(article.text))
    for m in ex.mentions:
        assert article.text[m.start:m.end] == m.text
        begin, end = article.original_span(m.start, m.end)
        assert 0 <= begin <= end <= len(article.raw)


LABEL = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1,
                max_size=60)


@settings(max_examples=300, **SETTINGS)
@given(LABEL, st.lists(LABEL, max_size=3))
def test_labels_round_trip_through_pakgs_own_writers(label, aliases):
    """pakg writes N-Triples lines itself (kg.ntriples.literal), Turtle through pyoxigraph
    (kg.ntriples.turtle_parts), and N-Triples and JSON-LD itself (kg.formats): each file is
    read back with rdflib, which pakg uses for none of them, and must hold the same triples."""
    node = "https://w3id.org/pakg/id/village/x"
    lines = sorted({f"<{node}> <{RDFS.label}> {literal(label, lang='zh')} ."}
                   | {f"<{node}> <{SKOS.altLabel}> {literal(a, lang='zh')} ." for a in aliases})
    expected = {(URIRef(node), RDFS.label, Literal(label, lang="zh"))} | {
        (URIRef(node), SKOS.altLabel, Literal(a, lang="zh")) for a in aliases}
    files = {"turtle": turtle_parts(lines), "nt": formats.ntriples(lines), "json-ld": formats.jsonld(lines)}
    for fmt, chunks in files.items():
        back = Graph().parse(data=b"".join(chunks).decode("utf-8"), format=fmt)
        assert set(back) == expected, fmt


PIECES = st.sampled_from(["<", ">", "&", '"', "'", "/", "=", "(", ")", "`", " ", "村", "<script>", "</script>",
                          "<img src=x onerror=alert(1)>", "javascript:", "</textarea>", "\\u003c", "-->", "<!--"])


def _page_for(name: str) -> str:
    from kg import viz
    node = URIRef("https://w3id.org/pakg/id/village/x")
    g = Graph()
    g.add((node, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
           URIRef("https://w3id.org/pakg/ontology#Village")))
    g.add((node, RDFS.label, Literal(name, lang="zh")))
    return viz.render_html(viz.to_networkx(g), title="t")


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, tuple(sorted(a for a, _ in attrs))))


def _structure(page: str) -> list:
    parser = _Tags()
    parser.feed(page)
    return parser.tags


BASELINE = None


@settings(max_examples=500, **SETTINGS)
@given(st.lists(PIECES, min_size=1, max_size=12).map("".join))
def test_no_article_text_reaches_the_html_unescaped(name):
    """Whatever a label holds, the page has exactly the elements and attributes of a page
    with a harmless label: no injected <script>, <img onerror>, or closed script block."""
    global BASELINE
    if BASELINE is None:
        BASELINE = _structure(_page_for("安全村"))
    assert _structure(_page_for(name)) == BASELINE


@settings(max_examples=500, **SETTINGS)
@given(st.one_of(CHINESE, ANY))
def test_normalize_keeps_a_map_to_every_character(text):
    clean, offsets = normalize(text)
    assert len(offsets) == len(clean)
    assert list(offsets) == sorted(offsets)
    assert all(0 <= o < len(text) for o in offsets)
    json.dumps(clean)
