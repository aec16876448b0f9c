"""Tests for kg.viz: RDF (+ provenance) -> networkx, and the offline, safe, deterministic explorer page.

The browser tests drive Debian's chromium + chromedriver through selenium with the network
blocked three ways (a dead proxy, a resolver that resolves nothing, CDP offline emulation)
and read chromium's own network log and the page's performance entries to prove the page
requests nothing but itself.  They use the page as a user would: typing in the search box,
unticking a type in the legend, clicking a node on the canvas.
"""
from __future__ import annotations

import json
import random
import re
import time
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS
from synthetic import realistic_graph

from kg import viz
from kg.namespaces import NIF, PA, PAD
from kg.viz.programs import is_minor, program_kind

XSD_GYEAR = URIRef("http://www.w3.org/2001/XMLSchema#gYear")
XSD_DECIMAL = URIRef("http://www.w3.org/2001/XMLSchema#decimal")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"

# --------------------------------------------------------------------------------------
# graphs


def _zh(text: str) -> Literal:
    return Literal(text, lang="zh")


def small_graph(with_ontology: bool = True) -> Graph:
    """County (via the subclass pa:CountyLevelCity), township locatedIn it, cadre servesIn a
    village, a program, two articles, an observation, a background prefecture."""
    g = Graph()
    county, pref = PAD["county/lian-yuan-shi"], PAD["prefecture/lou-di-shi"]
    town, village = PAD["township/qiao-tou-he-zhen"], PAD["village/hu-jia-ping-cun"]
    cadre, prog = PAD["cadre/liu-qing-feng"], PAD["program/yi-di-fu-pin-ban-qian"]
    a0, a1, obs = PAD["article/000"], PAD["article/001"], PAD["observation/lian-yuan-shi-2013"]
    if with_ontology:
        g.add((PA.CountyLevelCity, RDFS.subClassOf, PA.County))
        g.add((PA.County, RDFS.subClassOf, PA.Place))
    for a, f, t in ((a0, "000_517b1d5de5a6b7ee.txt", "涟源市精准扶贫纪实"),
                    (a1, "001_748598160e005e97.txt", "第一书记刘清锋")):
        g.add((a, RDF.type, PA.Article))
        g.add((a, PA.sourceFile, Literal(f)))
        g.add((a, DCTERMS.title, _zh(t)))
    g.add((county, RDF.type, PA.CountyLevelCity))
    g.add((county, RDFS.label, _zh("涟源市")))
    g.add((county, RDFS.label, Literal("Lianyuan", lang="en")))
    g.add((county, SKOS.altLabel, _zh("涟源")))
    g.add((county, PA.mentionedIn, a0))
    g.add((county, PA.locatedIn, pref))
    g.add((county, PA.implements, prog))
    g.add((pref, RDF.type, PA.Prefecture))
    g.add((pref, RDFS.label, _zh("娄底市")))
    g.add((town, RDF.type, PA.Township))
    g.add((town, RDFS.label, _zh("桥头河镇")))
    g.add((town, PA.locatedIn, county))
    g.add((town, PA.mentionedIn, a0))
    g.add((village, RDF.type, PA.Village))
    g.add((village, RDFS.label, _zh("胡家坪村")))
    g.add((village, PA.locatedIn, town))
    g.add((village, PA.mentionedIn, a0))
    g.add((cadre, RDF.type, PA.Cadre))
    g.add((cadre, RDFS.label, _zh("刘清锋")))
    g.add((cadre, PA.positionTitle, _zh("第一书记")))
    g.add((cadre, PA.positionTitle, _zh("工作队队长")))
    g.add((cadre, PA.servesIn, village))
    g.add((cadre, PA.mentionedIn, a1))
    g.add((cadre, PA.mentionedIn, a0))
    g.add((prog, RDF.type, PA.Program))
    g.add((prog, RDFS.label, _zh("易地扶贫搬迁")))
    g.add((prog, PA.mentionedIn, a1))
    g.add((prog, PA.programKind, PA.RelocationKind))  # a concept, not an entity: no edge
    g.add((obs, RDF.type, PA.Observation))
    g.add((obs, PA.refArea, county))
    g.add((obs, PA.indicator, PA.PovertyIncidence))
    g.add((obs, PA.refYear, Literal("2013", datatype=XSD_GYEAR)))
    g.add((obs, PA.value, Literal("18.3", datatype=XSD_DECIMAL)))
    return g


XSS_LABEL_SCRIPT = "<script>alert(1)</script>"
XSS_LABEL_IMG = '<img src=x onerror="window.__xss=1">'
XSS_ALIAS = "</script><script>window.__xss=3</script>"
XSS_TITLE = "<svg onload=window.__xss=2>书记"
XSS_FILE = '"><img src=x onerror=window.__xss=4>.txt'


def xss_graph() -> Graph:
    g = small_graph()
    art = PAD["article/evil"]
    g.add((art, RDF.type, PA.Article))
    g.add((art, PA.sourceFile, Literal(XSS_FILE)))
    g.add((art, DCTERMS.title, _zh("<b onmouseover=window.__xss=5>标题</b>")))
    for slug, label in (("a", XSS_LABEL_SCRIPT), ("b", XSS_LABEL_IMG), ("c", "行\u2028分隔\u2029符 & <!-- x")):
        e = PAD[f"cadre/evil-{slug}"]
        g.add((e, RDF.type, PA.Cadre))
        g.add((e, RDFS.label, _zh(label)))
        g.add((e, SKOS.altLabel, _zh(XSS_ALIAS)))
        g.add((e, PA.positionTitle, _zh(XSS_TITLE)))
        g.add((e, PA.mentionedIn, art))
        g.add((e, PA.servesIn, PAD["village/hu-jia-ping-cun"]))
    return g


# The names from the contract's examples, for a graph that looks like the real thing.
DEMO = {
    "Province": ["湖南省"],
    "Prefecture": ["衡阳市", "娄底市", "邵阳市"],
    "County": ["涟源市", "耒阳市", "隆回县", "涪口区"],
    "Township": ["桥头河镇", "古塘乡", "七江镇", "荷田乡"],
    "Village": ["胡家坪村", "毛塘湾村", "石门村", "新民社区", "龙山村", "白竹村"],
    "Cadre": ["刘清锋", "罗绍昭", "张建国", "李红梅"],
    "Resident": ["杨晚连", "吴子彪", "刘满秀"],
    "Enterprise": ["康麓生物科技有限公司", "湘村电商公司"],
    "Cooperative": ["湘浙茶叶种植专业合作社", "金银花专业合作社"],
    "GovernmentBody": ["涟源市人社局", "国务院扶贫办", "隆回县扶贫办"],
    "Program": ["易地扶贫搬迁", "“四跟四走”", "“百企帮百村”", "产业扶贫"],
}


def demo_graph() -> Graph:
    g = Graph()
    ids = {}
    for cls, names in DEMO.items():
        for i, name in enumerate(names):
            iri = PAD[f"{cls.lower()}/{i}"]
            ids[name] = iri
            g.add((iri, RDF.type, PA[cls]))
            g.add((iri, RDFS.label, _zh(name)))
            if cls not in ("Province", "Prefecture"):
                g.add((iri, PA.mentionedIn, PAD[f"article/{i % 3}"]))
    for i in range(3):
        g.add((PAD[f"article/{i}"], RDF.type, PA.Article))
        g.add((PAD[f"article/{i}"], PA.sourceFile, Literal(f"00{i}_seed.txt")))

    def rel(a, p, b):
        g.add((ids[a], p, ids[b]))

    for a in ("衡阳市", "娄底市", "邵阳市"):
        rel(a, PA.locatedIn, "湖南省")
    for a, b in (("涟源市", "娄底市"), ("耒阳市", "衡阳市"), ("隆回县", "邵阳市"), ("涪口区", "娄底市")):
        rel(a, PA.locatedIn, b)
    for a, b in (("桥头河镇", "涟源市"), ("古塘乡", "涟源市"), ("七江镇", "隆回县"), ("荷田乡", "隆回县")):
        rel(a, PA.locatedIn, b)
    for a, b in (("胡家坪村", "桥头河镇"), ("毛塘湾村", "古塘乡"), ("石门村", "七江镇"),
                 ("新民社区", "荷田乡"), ("龙山村", "七江镇"), ("白竹村", "古塘乡")):
        rel(a, PA.locatedIn, b)
    for a, b in (("刘清锋", "胡家坪村"), ("罗绍昭", "涪口区"), ("张建国", "石门村"), ("李红梅", "毛塘湾村")):
        rel(a, PA.servesIn, b)
    g.add((ids["刘清锋"], PA.positionTitle, _zh("第一书记")))
    g.add((ids["罗绍昭"], PA.positionTitle, _zh("区委书记")))
    for a, b in (("杨晚连", "胡家坪村"), ("吴子彪", "毛塘湾村"), ("刘满秀", "石门村")):
        rel(a, PA.residentOf, b)
    for a, b in (("涟源市", "易地扶贫搬迁"), ("隆回县", "“四跟四走”"), ("康麓生物科技有限公司", "“百企帮百村”"),
                 ("湘浙茶叶种植专业合作社", "产业扶贫"), ("国务院扶贫办", "易地扶贫搬迁")):
        rel(a, PA.implements, b)
    for a, b in (("康麓生物科技有限公司", "涟源市"), ("湘村电商公司", "隆回县"), ("湘浙茶叶种植专业合作社", "胡家坪村"),
                 ("金银花专业合作社", "龙山村"), ("涟源市人社局", "涟源市"), ("隆回县扶贫办", "隆回县")):
        rel(a, PA.locatedIn, b)
    obs = PAD["observation/0"]
    g.add((obs, RDF.type, PA.Observation))
    g.add((obs, PA.refArea, ids["涟源市"]))
    g.add((obs, PA.indicator, PA.PovertyIncidence))
    g.add((obs, PA.refYear, Literal(2013)))
    g.add((obs, PA.value, Literal("18.3", datatype=XSD_DECIMAL)))
    return g


def big_nx(n: int = 1200) -> nx.MultiDiGraph:
    g = Graph()
    rng = random.Random(7)
    for i in range(n):
        cls = viz.CLASSES[i % len(viz.CLASSES)]
        g.add((PAD[f"e/{i:05d}"], RDF.type, PA[cls]))
        g.add((PAD[f"e/{i:05d}"], RDFS.label, _zh(f"实体{i}")))
        if i:
            g.add((PAD[f"e/{i:05d}"], PA.locatedIn, PAD[f"e/{rng.randrange(i):05d}"]))
    return viz.to_networkx(g)


def small_provenance(prefix: str = "") -> Graph:
    """NIF provenance for small_graph: two mentions of the cadre in one sentence of article 000,
    one of the village, and the servesIn relation derived from that sentence."""
    p = Graph()
    art = "https://w3id.org/pakg/id/article/000"
    ctx = URIRef(art + "#context")
    p.add((ctx, PA.sourceFile, Literal("000_517b1d5de5a6b7ee.txt")))
    text = prefix + "第一书记刘清锋来到胡家坪村，刘清锋说：干。"
    sent = URIRef(f"{art}#char=100,{100 + len(text)}")
    p.add((sent, NIF.anchorOf, Literal(text)))
    p.add((sent, NIF.beginIndex, Literal(100)))
    p.add((sent, NIF.referenceContext, ctx))
    for entity, start, name in ((PAD["cadre/liu-qing-feng"], 4, "刘清锋"), (PAD["cadre/liu-qing-feng"], 14, "刘清锋"),
                                (PAD["village/hu-jia-ping-cun"], 9, "胡家坪村")):
        start += len(prefix)
        m = URIRef(f"{art}#char={100 + start},{100 + start + len(name)}")
        p.add((entity, PA.hasMention, m))
        p.add((m, NIF.sentence, sent))
        p.add((m, NIF.beginIndex, Literal(100 + start)))
        p.add((m, NIF.endIndex, Literal(100 + start + len(name))))
    st = PAD["statement/1"]
    p.add((st, RDF.type, RDF.Statement))
    p.add((st, RDF.subject, PAD["cadre/liu-qing-feng"]))
    p.add((st, RDF.predicate, PA.servesIn))
    p.add((st, RDF.object, PAD["village/hu-jia-ping-cun"]))
    p.add((st, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"), sent))
    st2 = PAD["statement/2"]
    p.add((st2, RDF.type, RDF.Statement))
    p.add((st2, RDF.subject, PAD["township/qiao-tou-he-zhen"]))
    p.add((st2, RDF.predicate, PA.locatedIn))
    p.add((st2, RDF.object, PAD["county/lian-yuan-shi"]))
    p.add((st2, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"), PA.Gazetteer))
    return p


# --------------------------------------------------------------------------------------
# to_networkx

C = str(PAD["county/lian-yuan-shi"])
P = str(PAD["prefecture/lou-di-shi"])
T = str(PAD["township/qiao-tou-he-zhen"])
V = str(PAD["village/hu-jia-ping-cun"])
K = str(PAD["cadre/liu-qing-feng"])
G = str(PAD["program/yi-di-fu-pin-ban-qian"])


def test_to_networkx_nodes_edges_and_attributes():
    nxg = viz.to_networkx(small_graph())
    assert isinstance(nxg, nx.MultiDiGraph)
    assert list(nxg.nodes) == sorted([C, P, T, V, K, G])  # no article, no observation, no concept
    assert sorted(nxg.edges(keys=True)) == sorted([
        (C, P, "locatedIn"), (C, G, "implements"), (T, C, "locatedIn"),
        (V, T, "locatedIn"), (K, V, "servesIn")])
    assert list(nxg.edges(keys=True)) == sorted(nxg.edges(keys=True))
    assert all(d["relation"] == k for _, _, k, d in nxg.edges(keys=True, data=True))

    county = nxg.nodes[C]
    assert county["type"] == "County"  # pa:CountyLevelCity rdfs:subClassOf pa:County
    assert county["label"] == "涟源市"  # the @zh label wins over @en
    assert county["aliases"] == ["涟源"]
    assert county["articles"] == ["000_517b1d5de5a6b7ee.txt"]
    assert county["background"] is False
    assert county["observations"] == [{"indicator": "PovertyIncidence", "year": "2013", "value": "18.3"}]

    cadre = nxg.nodes[K]
    assert cadre["type"] == "Cadre"
    assert cadre["titles"] == ["工作队队长", "第一书记"]
    assert cadre["articles"] == ["000_517b1d5de5a6b7ee.txt", "001_748598160e005e97.txt"]
    assert cadre["article_titles"]["001_748598160e005e97.txt"] == "第一书记刘清锋"
    assert cadre["sentences"] == [] and cadre["mentions"] == 0  # no provenance given

    pref = nxg.nodes[P]
    assert pref["type"] == "Prefecture" and pref["background"] is True and pref["articles"] == []
    assert all(nxg.nodes[n]["background"] is False for n in (T, V, K, G))


def test_admin_paths_and_counties():
    nxg = viz.to_networkx(small_graph())
    assert nxg.nodes[V]["path"] == [T, C, P]  # 村 -> 镇 -> 县 -> 市
    assert nxg.nodes[T]["path"] == [C, P]
    assert nxg.nodes[K]["path"] == [V, T, C, P]  # a cadre hangs from the unit he serves in
    assert nxg.nodes[P]["path"] == [] and nxg.nodes[G]["path"] == []
    assert {n: nxg.nodes[n]["counties"] for n in nxg} == {C: [C], P: [], T: [C], V: [C], K: [C], G: [C]}


def test_sentences_from_provenance():
    nxg = viz.to_networkx(small_graph(), small_provenance())
    cadre = nxg.nodes[K]
    assert cadre["mentions"] == 2
    [s] = cadre["sentences"]  # two mentions, one sentence
    assert s["file"] == "000_517b1d5de5a6b7ee.txt" and s["begin"] == 100
    assert [s["text"][a:b] for a, b in s["marks"]] == ["刘清锋", "刘清锋"]
    assert nxg.nodes[V]["sentences"][0]["marks"] == [[9, 13]]
    serves = nxg.edges[K, V, "servesIn"]
    assert [x["text"] for x in serves["sentences"]] == [s["text"]] and serves["gazetteer"] is False
    located = nxg.edges[T, C, "locatedIn"]
    assert located["sentences"] == [] and located["gazetteer"] is True
    assert nxg.nodes[C]["sentences"] == [] and nxg.nodes[C]["mentions"] == 0


def test_to_networkx_subclass_chain_and_fallbacks():
    g = small_graph(with_ontology=False)  # no subClassOf axioms: CountyLevelCity falls back by name
    assert viz.to_networkx(g).nodes[C]["type"] == "County"

    deep = PAD["village/deep"]
    g.add((PA.KeyPovertyVillage, RDFS.subClassOf, PA.PoorVillage))
    g.add((PA.PoorVillage, RDFS.subClassOf, PA.Village))
    g.add((deep, RDF.type, PA.KeyPovertyVillage))
    g.add((deep, RDFS.label, _zh("深度贫困村")))
    odd = PAD["thing/odd"]  # an unknown pa: class, found in text: kept, typed by its local name
    g.add((odd, RDF.type, PA.Gadget))
    g.add((odd, PA.mentionedIn, PAD["article/000"]))
    g.add((PAD["mention/1"], RDF.type, PA.Mention))  # unknown, not in text: not an entity
    nxg = viz.to_networkx(g)
    assert nxg.nodes[str(deep)]["type"] == "Village"
    assert nxg.nodes[str(deep)]["background"] is True
    assert nxg.nodes[str(odd)]["type"] == "Gadget"
    assert nxg.nodes[str(odd)]["label"] == "odd"  # no rdfs:label: the IRI's local name
    assert str(PAD["mention/1"]) not in nxg
    assert nxg.number_of_nodes() == 8


def test_to_networkx_is_independent_of_triple_order():
    triples = list(small_graph())
    random.Random(3).shuffle(triples)
    g2 = Graph()
    for t in triples:
        g2.add(t)
    a, b = viz.to_networkx(small_graph()), viz.to_networkx(g2)
    assert list(a.nodes(data=True)) == list(b.nodes(data=True))
    assert list(a.edges(keys=True, data=True)) == list(b.edges(keys=True, data=True))


def test_seeds_model_has_sentences_and_paths(seeds_build):
    kg, prov = viz.load_build(seeds_build)
    nxg = viz.to_networkx(kg, prov)
    village = next(n for n, a in nxg.nodes(data=True) if a["label"] == "胡家坪村")
    a = nxg.nodes[village]
    assert [nxg.nodes[p]["type"] for p in a["path"]] == ["Township", "County", "Prefecture", "Province"]
    assert nxg.nodes[a["path"][-1]]["label"] == "湖南省"
    assert a["sentences"] and all("胡家坪村" in s["text"] or any(s["text"][x:y] for x, y in s["marks"])
                                  for s in a["sentences"])
    assert all(s["text"][x:y] for s in a["sentences"] for x, y in s["marks"])
    # every sentence is the file's text at its offsets
    for s in a["sentences"]:
        raw = (Path(__file__).resolve().parents[1] / "seeds" / s["file"]).read_text(encoding="utf-8")
        assert raw[s["begin"]:s["end"]] == s["text"]
    assert sum(1 for *_, d in nxg.edges(keys=True, data=True) if d["sentences"]) > nxg.number_of_edges() / 2


# --------------------------------------------------------------------------------------
# layout

def test_layout_is_deterministic_and_spreads_nodes():
    nxg = viz.to_networkx(realistic_graph(1500, seed=3))
    t0 = time.perf_counter()
    pos = viz.positions(nxg)
    took = time.perf_counter() - t0
    assert sorted(pos) == sorted(nxg.nodes) and pos == viz.positions(nxg)
    xy = sorted(pos.values())
    assert len(set(xy)) == len(xy)  # no two nodes on the same spot
    # neighbours are nearer than random pairs: the layout shows structure
    rng = random.Random(1)
    keys = list(pos)
    edge = sum(((pos[u][0] - pos[v][0]) ** 2 + (pos[u][1] - pos[v][1]) ** 2) ** .5 for u, v in nxg.edges())
    rand = sum(((pos[u][0] - pos[v][0]) ** 2 + (pos[u][1] - pos[v][1]) ** 2) ** .5
               for u, v in ((rng.choice(keys), rng.choice(keys)) for _ in range(nxg.number_of_edges())))
    assert edge < rand / 3, (edge, rand)
    print(f"\nlayout of 1500 nodes: {took:.2f}s")


def test_layout_packs_components_apart():
    g = nx.Graph()
    nx.add_path(g, ["a1", "a2", "a3"])
    nx.add_path(g, ["b1", "b2"])
    g.add_node("c")
    pos = viz.positions(g)
    def box(ns):
        return (min(pos[n][0] for n in ns), max(pos[n][0] for n in ns), min(pos[n][1] for n in ns), max(pos[n][1] for n in ns))
    a, b = box(["a1", "a2", "a3"]), box(["b1", "b2"])
    assert a[1] < b[0] or b[1] < a[0] or a[3] < b[2] or b[3] < a[2]  # the boxes do not overlap


# --------------------------------------------------------------------------------------
# render_html, statically

ATTR_URL = re.compile(r"""\b(?:src|href|action|srcset|poster|data)\s*=\s*["']?\s*(?:https?:|//)""", re.IGNORECASE)


def _data_block(page: str) -> dict:
    m = re.search(r'<script type="application/json" id="pakg-data">(.*?)</script>', page, re.DOTALL)
    assert m, "no data block"
    return json.loads(m.group(1))


def test_render_html_is_self_contained():
    page = viz.render_html(viz.to_networkx(demo_graph()))
    assert page.startswith("<!DOCTYPE html>")
    assert not ATTR_URL.search(page), ATTR_URL.search(page)
    assert "<link" not in page.lower()
    assert not re.search(r"<script[^>]*\bsrc\s*=", page, re.IGNORECASE)
    assert not re.search(r"@import|url\(\s*['\"]?\s*(?:https?:|//)|@font-face", page, re.IGNORECASE)
    assert "cdn.jsdelivr" not in page and "cdnjs" not in page
    # vis-network itself is inlined, not fetched; pyvis's menus are not used
    assert "vis-network" in page and len(page) > 400_000
    assert "filter-menu" not in page and "tom-select" not in page and "bootstrap" not in page
    # only our two scripts may run, and nothing may be fetched
    csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', page).group(1)
    assert "default-src 'none'" in csp and csp.count("'sha256-") == 2 and "unsafe-inline" not in csp.split(";")[1]


def test_render_html_is_deterministic():
    nxg = viz.to_networkx(demo_graph())
    a = viz.render_html(nxg)
    assert a == viz.render_html(nxg)
    # a graph parsed back from Turtle (different internal order) gives the same bytes
    again = Graph().parse(data=demo_graph().serialize(format="turtle"), format="turtle")
    assert viz.render_html(viz.to_networkx(again)).encode() == a.encode()
    assert viz.render_html(nxg, title="other") != a


def test_page_data_legend_styles_and_indexes():
    nxg = viz.to_networkx(small_graph(), small_provenance())
    data = _data_block(viz.render_html(nxg))
    assert [n["id"] for n in data["nodes"]] == list(nxg.nodes)
    assert [c[0] for c in data["classes"]] == ["Prefecture", "County", "Township", "Village", "Cadre", "Program"]
    assert {c[0]: c[1] for c in data["classes"]}["County"] == "县 / 县级市 / 区"
    assert [r[0] for r in data["relations"]] == ["locatedIn", "servesIn", "implements"]
    assert data["options"]["groups"]["Cadre"]["shape"] == "star"
    assert data["options"]["groups"]["Prefecture~bg"]["shapeProperties"]["borderDashes"]
    by_id = {n["id"]: n for n in data["nodes"]}
    assert by_id[K]["group"] == "Cadre" and by_id[P]["group"] == "Prefecture~bg" and by_id[P]["bg"] is True
    assert by_id[C]["obs"] == ["贫困发生率 2013: 18.3%"]
    assert [data["articles"][i] for i in by_id[K]["articles"]] == [
        ["000_517b1d5de5a6b7ee.txt", "涟源市精准扶贫纪实"], ["001_748598160e005e97.txt", "第一书记刘清锋"]]
    assert [p[1:] for p in by_id[V]["path"]] == [["桥头河镇", "Township"], ["涟源市", "County"], ["娄底市", "Prefecture"]]
    assert [data["counties"][i] for i in by_id[K]["counties"]] == [[C, "涟源市"]]
    [[si, marks]] = by_id[K]["sentences"]
    article, text = data["sentences"][si]
    assert data["articles"][article][0] == "000_517b1d5de5a6b7ee.txt"
    assert [text[a:b] for a, b in marks] == ["刘清锋", "刘清锋"]
    edge = next(e for e in data["edges"] if e["from"] == K)
    assert edge == {"from": K, "to": V, "rel": "servesIn", "sentences": [si]}
    assert next(e for e in data["edges"] if e["from"] == T)["gazetteer"] is True
    assert by_id[K]["degree"] == 1 and by_id[K]["mentions"] == 2
    assert data["physics"] is True and data["options"]["physics"]["stabilization"]["enabled"] is True


def test_marks_are_utf16_offsets():
    """JavaScript indexes strings in UTF-16 code units: a character outside the BMP counts twice."""
    prov = small_provenance(prefix="𠀀")
    node = next(n for n in viz.page_data(viz.to_networkx(small_graph(), prov))["nodes"] if n["id"] == K)
    [[si, marks]] = node["sentences"]
    text = viz.page_data(viz.to_networkx(small_graph(), prov))["sentences"][si][1]
    utf16 = text.encode("utf-16-le")
    assert [utf16[2 * a:2 * b].decode("utf-16-le") for a, b in marks] == ["刘清锋", "刘清锋"]
    assert marks[0][0] == 1 + 4 + 1  # the prefix is two code units


def test_render_html_escapes_article_text():
    page = viz.render_html(viz.to_networkx(xss_graph()), title="<script>alert('t')</script>")
    for raw in (XSS_LABEL_SCRIPT, XSS_LABEL_IMG, XSS_ALIAS, XSS_TITLE, XSS_FILE, "<script>alert",
                "<img src=x", "<svg onload", "<b onmouseover", "\u2028", "\u2029", "<!-- x"):
        assert raw not in page, raw
    assert "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e" in page
    assert "&lt;script&gt;alert(&#x27;t&#x27;)&lt;/script&gt;" in page  # the page title
    assert page.lower().count("</script") == 3  # only our own three script elements end
    labels = {n["label"] for n in _data_block(page)["nodes"]}  # the JSON round-trips exactly
    assert {XSS_LABEL_SCRIPT, XSS_LABEL_IMG, "行\u2028分隔\u2029符 & <!-- x"} <= labels
    ours = page.rsplit("<script>", 1)[1]
    assert "innerHTML" not in ours and "insertAdjacentHTML" not in ours and "document.write" not in ours


def test_render_html_large_graph_precomputed_layout():
    nxg = viz.to_networkx(realistic_graph(1200, seed=5))
    data = viz.page_data(nxg)
    assert len(data["nodes"]) == 1200
    assert data["physics"] is False and data["options"]["physics"]["enabled"] is False
    assert all(isinstance(n.get("x"), float) and isinstance(n.get("y"), float) for n in data["nodes"])
    assert len({(n["x"], n["y"]) for n in data["nodes"]}) == 1200
    assert viz.page_data(nxg) == data


def test_a_kept_page_text_writes_what_a_fresh_one_writes():
    """kg build --watch keeps one PageText and remakes only the pieces whose node or edge
    changed; the text must be a fresh one's after each change, even where a change elsewhere
    moves the indices a kept piece refers to, or a label shown in a kept node's path."""
    from kg.viz.page import PageText

    def graph(change=None):                     # a new graph each time, as a build makes
        g = viz.to_networkx(small_graph(), small_provenance())
        if change:
            change(g)
        return g

    def earlier_sentence(g):                    # sorts first: every sentence index moves up one
        g.nodes[C]["sentences"] = [{"file": "000_000.txt", "begin": 0, "end": 3, "text": "涟源市。",
                                    "marks": [(0, 3)]}, *g.nodes[C]["sentences"]]
        g.nodes[C]["articles"] = ["000_000.txt", *g.nodes[C]["articles"]]

    def renamed_township(g):                    # shown in the village's and the cadre's paths
        g.nodes[T]["label"] = "桥头河新镇"

    def renamed_county(g):                      # the counties' order, by label, changes
        g.nodes[C]["label"] = "娄底涟源市"

    def unsourced_edge(g):                      # the same edge without its sentence
        g.edges[K, V, "servesIn"]["sentences"] = []

    def fewer_edges(g):
        g.remove_edge(K, V, key="servesIn")

    kept = PageText()
    for change in (None, earlier_sentence, renamed_township, None, renamed_county, unsourced_edge, fewer_edges,
                   None):
        assert kept(graph(change)) == PageText()(graph(change)), change
    made = len(kept.nodes)
    assert kept(graph()) == PageText()(graph()) and len(kept.nodes) == made == len(graph())


def test_program_kinds_on_the_page():
    """Each program carries its kind, a minor one (one article, one county) says so, and the
    page lists the kinds present in the data file's order."""
    g = nx.MultiDiGraph()
    for key, label, articles, counties in (("p1", "光伏扶贫电站建设", ["a"], ["c1"]),        # minor
                                           ("p2", "易地扶贫搬迁", ["a", "b"], ["c1"]),       # two articles
                                           ("p3", "危房改造", ["a"], ["c1", "c2"]),          # two counties
                                           ("p4", "一站式", ["a"], ["c2"])):                 # no cue: 其他
        g.add_node(key, label=label, type="Program", aliases=[], articles=articles, counties=counties)
    for c in ("c1", "c2"):
        g.add_node(c, label=c, type="County", counties=[c])
    data = viz.page_data(g)
    by_id = {n["id"]: n for n in data["nodes"]}
    assert [(by_id[p]["kind"], by_id[p].get("minor", False)) for p in ("p1", "p2", "p3", "p4")] == [
        ("产业扶贫", True), ("易地扶贫搬迁", False), ("基础设施扶贫", False), ("其他", True)]
    assert "kind" not in by_id["c1"] and "minor" not in by_id["c1"]
    assert data["kinds"]["names"] == ["产业扶贫", "易地扶贫搬迁", "基础设施扶贫", "其他"]
    assert data["options"]["groups"]["ProgramKind"]["shape"] == "diamond"


def test_program_kinds_agree_with_the_ontology():
    """The kinds are named as the ontology's pa:ProgramKindScheme names them, and each of the
    scheme's concepts falls under a kind of its own name or a broader one, never under 其他."""
    from kg.ontology import load_ontology
    from kg.viz.programs import KINDS

    onto = load_ontology()
    concepts = {str(o) for c in onto.subjects(SKOS.inScheme, PA.ProgramKindScheme)
                for o in onto.objects(c, SKOS.prefLabel) if getattr(o, "language", None) == "zh"}
    assert len(concepts) >= 15
    assert set(KINDS) - concepts == {"扶志扶智", "其他"}, set(KINDS) - concepts
    assert {c: program_kind(c) for c in concepts if program_kind(c) == "其他"} == {}
    assert {c: program_kind(c) for c in concepts if c in KINDS and program_kind(c) != c} == {}


def test_escape_json():
    s = viz.escape_json({"a": "</script>&\u2028\u2029<!--"})
    assert s == '{"a":"\\u003c/script\\u003e\\u0026\\u2028\\u2029\\u003c!--"}'
    assert json.loads(s) == {"a": "</script>&\u2028\u2029<!--"}


# --------------------------------------------------------------------------------------
# a real browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")

ALERT_HOOK = """
window.__alerts = [];
window.alert = function (m) { window.__alerts.push(String(m)); };
window.confirm = function (m) { window.__alerts.push(String(m)); return false; };
window.prompt = function (m) { window.__alerts.push(String(m)); return null; };
"""


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if not CHROMIUM.exists() or not CHROMEDRIVER.exists():
        pytest.skip("needs Debian's chromium and chromedriver at /usr/bin "
                    "(apt-get install -y chromium chromium-driver fonts-noto-cjk)")
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", "--disable-extensions", "--disable-default-apps",
                 "--window-size=1400,900", "--hide-scrollbars", "--force-device-scale-factor=1",
                 f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}",
                 # block the network: a dead proxy and a resolver that resolves nothing
                 "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
                 "--host-resolver-rules=MAP * ~NOTFOUND"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    t0 = time.perf_counter()
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(90)
    driver.set_script_timeout(30)
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.emulateNetworkConditions", {
        "offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": ALERT_HOOK})
    driver.pakg_startup = time.perf_counter() - t0
    yield driver
    driver.quit()


#: The entities' nodes on the page (the program kinds' nodes are the page's own).
_ENTITY_IDS = "return nodes.getIds({filter: function (n) { return n.info.type !== 'ProgramKind'; }})"


def kind_of(attributes: dict) -> str:
    return program_kind(attributes["label"], attributes["aliases"])


def _requests(driver) -> tuple[list[str], list[str], list[str]]:
    """(every URL requested, every failed URL, console errors) since the last call."""
    urls, failed, ids = [], [], {}
    for entry in driver.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        params = msg.get("params", {})
        if msg.get("method") == "Network.requestWillBeSent":
            urls.append(params["request"]["url"])
            ids[params.get("requestId")] = params["request"]["url"]
        elif msg.get("method") == "Network.loadingFailed":
            failed.append(ids.get(params.get("requestId"), "?") + " " + params.get("errorText", ""))
    errors = [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    return urls, failed, errors


def _open(driver, path: Path, page: str | None = None, timeout: float = 90) -> float:
    """Load ``path`` (writing ``page`` there first) and wait until the graph has settled."""
    from selenium.webdriver.support.ui import WebDriverWait

    if page is not None:
        path.write_text(page, encoding="utf-8")
    _requests(driver)  # flush the logs
    t0 = time.perf_counter()
    driver.get(path.as_uri())
    WebDriverWait(driver, timeout, poll_frequency=0.05).until(
        lambda d: d.execute_script("return !!(window.network && window.pakgStabilized)"))
    return time.perf_counter() - t0


def _assert_offline(driver, page_path: Path):
    urls, failed, errors = _requests(driver)
    assert urls, "the network log recorded nothing: the check itself is broken"
    assert all(u.startswith(("file:", "data:", "about:")) for u in urls), urls
    assert page_path.as_uri() in urls
    assert not failed, failed
    assert not errors, errors
    entries = driver.execute_script(
        "return performance.getEntriesByType('resource').map(function (e) { return e.name; })")
    assert all(e.startswith(("file:", "data:")) for e in entries), entries


def _node_point(driver, node_id: str) -> tuple[int, int]:
    """Bring a node to the middle of the canvas; its point relative to the canvas's centre."""
    return driver.execute_script(
        "var id = arguments[0];"
        "network.moveTo({position: network.getPosition(id), scale: 1.3});"
        "var p = network.canvasToDOM(network.getPosition(id));"
        "var r = document.getElementById('pakg-network').getBoundingClientRect();"
        "return [Math.round(p.x - r.width / 2), Math.round(p.y - r.height / 2)];", node_id)


def _click_node(driver, node_id: str):
    """A real mouse click on the node as drawn (after checking nothing covers it)."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    driver.execute_script("pakg.hidePanel()")
    dx, dy = _node_point(driver, node_id)
    time.sleep(0.1)
    covered = driver.execute_script(
        "var r = document.getElementById('pakg-network').getBoundingClientRect();"
        "var e = document.elementFromPoint(r.width / 2 + arguments[0], r.height / 2 + arguments[1]);"
        "return e.tagName", dx, dy)
    assert covered == "CANVAS", covered
    container = driver.find_element(By.ID, "pakg-network")
    ActionChains(driver).move_to_element_with_offset(container, dx, dy).pause(0.05).click().perform()


def _panel(driver, wait: float = 10) -> str:
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, wait, poll_frequency=0.05).until(lambda d: d.execute_script(
        "var p = document.getElementById('pakg-panel'); "
        "return !p.hidden && document.getElementById('pakg-panel-body').innerText"))


def _by_label(driver, label: str) -> str:
    ids = driver.execute_script("return nodes.get({filter: function (n) { return n.info.label === arguments[0]; }})"
                                ".map(function (n) { return n.id; })".replace("arguments[0]", json.dumps(label)))
    assert len(ids) == 1, (label, ids)
    return ids[0]


def _first_sentence(prov: Graph, entity: str) -> str:
    """The first source sentence of an entity (by file, then offset), read from provenance.ttl independently."""
    rows = prov.query("""
        PREFIX pa: <https://w3id.org/pakg/ontology#>
        PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
        SELECT DISTINCT ?file ?b ?text WHERE {
          ?e pa:hasMention ?m . ?m nif:sentence ?s . ?s nif:anchorOf ?text ; nif:beginIndex ?b ;
             nif:referenceContext ?c . ?c pa:sourceFile ?file }""", initBindings={"e": URIRef(entity)})
    return min((str(f), int(b), str(t)) for f, b, t in rows)[2]


def test_browser_seeds_graph(browser, seeds_build):
    """The build's own graph.html: counts, search, type filter, click -> panel with the source sentence."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    kg, prov = viz.load_build(seeds_build)
    expected = viz.to_networkx(kg)
    path = seeds_build / "graph.html"
    took = _open(browser, path)
    settle = browser.execute_script("return window.pakgTimings.stabilized")
    # every entity and relation, and beside them the program kinds and their links (page only)
    assert sorted(browser.execute_script(_ENTITY_IDS)) == sorted(expected.nodes)
    assert sorted(map(tuple, browser.execute_script(
        "return edges.get({filter: function (e) { return !e.info.kind; }})"
        ".map(function (e) { return [e.from, e.to, e.info.rel]; })"))) == sorted(expected.edges(keys=True))
    kinds = {kind_of(d) for d in expected.nodes.values() if d["type"] == "Program"}
    assert browser.execute_script("return window.nodes.length") == expected.number_of_nodes() + len(kinds)
    folded = {n for n, d in expected.nodes(data=True) if d["type"] == "Program" and is_minor(d)}
    assert folded and set(browser.execute_script("return network.body.nodeIndices")) == (
        set(expected.nodes) - folded) | {"#kind:" + k for k in kinds}
    # physics settled, then stopped: nothing moves any more
    assert browser.execute_script("return network.physics.options.enabled") is False
    before = browser.execute_script("return network.getPositions()")
    time.sleep(0.4)
    assert browser.execute_script("return network.getPositions()") == before

    # search by name, then by alias
    box = browser.find_element(By.ID, "pakg-search")
    box.send_keys("胡家坪村")
    hits = browser.execute_script("return Array.from(document.querySelectorAll('#pakg-results button'))"
                                  ".map(function (b) { return b.innerText; })")
    assert hits and hits[0].startswith("胡家坪村"), hits
    box.send_keys(Keys.ENTER)
    village = _by_label(browser, "胡家坪村")
    assert "胡家坪村" in _panel(browser) and browser.execute_script("return network.getSelectedNodes()") == [village]
    clear = "var b = document.getElementById('pakg-search'); b.value = ''; b.dispatchEvent(new Event('input'));"
    browser.execute_script(clear)
    # an alias that names one entity and is no entity's label: the search ranks it first
    labels = {d["label"] for d in expected.nodes.values()}
    owners: dict[str, list[str]] = {}
    for n, d in expected.nodes(data=True):
        for a in d["aliases"]:
            owners.setdefault(a, []).append(n)
    alias, [owner] = next((a, ns) for a, ns in sorted(owners.items()) if len(ns) == 1 and a not in labels)
    box.send_keys(alias)
    first = browser.execute_script("return document.querySelector('#pakg-results button').getAttribute('data-id')")
    assert first == owner, (alias, first, owner)
    browser.execute_script(clear)
    assert browser.find_element(By.ID, "pakg-results").text == ""

    # the type filter hides every cadre (and only cadres), and brings them back
    cadres = sorted(n for n, d in expected.nodes(data=True) if d["type"] == "Cadre")
    assert cadres
    browser.find_element(By.CSS_SELECTOR, "#pakg-types input[data-class='Cadre']").click()
    visible = set(browser.execute_script("return network.body.nodeIndices"))
    assert not visible & set(cadres)
    assert visible - {"#kind:" + k for k in kinds} == set(expected.nodes) - set(cadres) - folded
    assert all(browser.execute_script("return network.body.nodes[arguments[0]].options.hidden", c) for c in cadres)
    assert "显示 showing" in browser.find_element(By.ID, "pakg-count").text
    browser.find_element(By.CSS_SELECTOR, "#pakg-types input[data-class='Cadre']").click()
    assert set(browser.execute_script("return network.body.nodeIndices")) >= set(expected.nodes) - folded

    # the county filter keeps the county's own nodes and the places above them
    county = next(n for n, d in expected.nodes(data=True) if d["label"] == "涟源市")
    idx = browser.execute_script("return Array.from(document.querySelectorAll('#pakg-county option'))"
                                 ".find(function (o) { return o.textContent === '涟源市'; }).value")
    from selenium.webdriver.support.ui import Select
    Select(browser.find_element(By.ID, "pakg-county")).select_by_value(idx)
    visible = set(browser.execute_script("return network.body.nodeIndices"))
    full = viz.to_networkx(kg)
    own = {n for n, d in full.nodes(data=True) if county in d["counties"]}
    assert own - folded <= visible and village in visible and len(visible) < expected.number_of_nodes()
    assert {"#kind:" + kind_of(full.nodes[n]) for n in own & folded} <= visible
    assert all(county in full.nodes[n]["counties"] or n in {p for m in own for p in full.nodes[m]["path"]}
               for n in visible if n in full)
    browser.find_element(By.ID, "pakg-reset").click()

    # a click on a cadre opens the panel: type, admin path, relations, the sentence it comes from
    cadre = _by_label(browser, "刘清锋")
    _click_node(browser, cadre)
    text = _panel(browser)
    assert text.startswith("刘清锋") and "干部 · Cadre" in text and "第一书记" in text
    assert "湖南省" in text and "任职于 →" in text and "胡家坪村" in text
    assert "任职时间" in text and "第一书记 · 胡家坪村 · 2018-03 起" in text     # the dated post
    sentence = _first_sentence(prov, cadre)
    assert sentence.strip() in text, (sentence, text)
    marks = browser.execute_script("return Array.from(document.querySelectorAll('#pakg-panel mark'))"
                                   ".map(function (m) { return m.textContent; })")
    assert marks and set(marks) <= {"刘清锋"} | set(expected.nodes[cadre]["aliases"]) | {"刘书记"}, marks
    ARTIFACTS.mkdir(exist_ok=True)
    browser.execute_script("network.fit()")
    time.sleep(0.3)
    assert browser.save_screenshot(str(ARTIFACTS / "graph.png"))
    _assert_offline(browser, path)
    print(f"\nchromium start {browser.pakg_startup:.2f}s; seeds graph ({expected.number_of_nodes()} nodes): "
          f"load+settle {took:.2f}s wall, stabilized at {settle / 1000:.2f}s after navigation")


#: Visible nodes drawn (label included) outside the canvas or under the legend or the panel: [id, why].
_UNDER_PANELS = """
var c = document.getElementById('pakg-network').getBoundingClientRect();
var covers = ['pakg-legend', 'pakg-panel'].map(function (id) { return document.getElementById(id); })
  .filter(function (e) { return !e.hidden; }).map(function (e) { return [e.id, e.getBoundingClientRect()]; });
var out = [];
network.body.nodeIndices.forEach(function (id) {
  var b = network.getBoundingBox(id);
  var tl = network.canvasToDOM({x: b.left, y: b.top}), br = network.canvasToDOM({x: b.right, y: b.bottom});
  var r = {left: c.left + tl.x, top: c.top + tl.y, right: c.left + br.x, bottom: c.top + br.y};
  if (r.left < c.left || r.right > c.right || r.top < c.top || r.bottom > c.bottom) { out.push([id, 'outside']); }
  covers.forEach(function (q) {
    if (r.left < q[1].right && r.right > q[1].left && r.top < q[1].bottom && r.bottom > q[1].top) { out.push([id, q[0]]); }
  });
});
return out;
"""


def _contrast(colour: str, background: str = "#ffffff") -> float:
    """WCAG contrast ratio of two #rrggbb colours."""
    def luminance(h: str) -> float:
        c = [int(h[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        c = [x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4 for x in c]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]
    hi, lo = sorted((luminance(colour), luminance(background)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_browser_program_kinds_and_fit(browser, seeds_build):
    """On the seeds' page: minor programs folded into their kind's node, a kind opened from its
    panel and by the search, readable labels at the opening zoom, and a county filter that shows
    every node clear of the legend and the panel."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select, WebDriverWait

    kg, _prov = viz.load_build(seeds_build)
    g = viz.to_networkx(kg)
    path = seeds_build / "graph.html"
    _open(browser, path)
    minor: dict[str, set[str]] = {}
    for n, d in g.nodes(data=True):
        if d["type"] == "Program" and is_minor(d):
            minor.setdefault(kind_of(d), set()).add(n)
    assert len(minor) >= 3 and sum(map(len, minor.values())) >= 20

    # folded by default: each minor program is hidden, its kind is drawn and says how many it holds,
    # and whoever implements a minor program links to the kind instead
    visible = set(browser.execute_script("return network.body.nodeIndices"))
    edges_on = browser.execute_script("return network.body.edgeIndices.map(function (i) {"
                                      "var e = edges.get(i); return [e.from, e.to, e.info.rel]; })")
    for kind, programs in minor.items():
        assert not programs & visible, kind
        assert "#kind:" + kind in visible
        label = browser.execute_script("return nodes.get(arguments[0]).label", "#kind:" + kind).replace("\n", "")
        assert label == f"{kind}类 +{len(programs)}", label
        for p in programs:
            for u, _, rel in g.in_edges(p, keys=True):
                if rel == "implements":
                    assert [u, "#kind:" + kind, "implements"] in edges_on, (u, kind)

    # labels read at the opening zoom: about 11 px and more on screen, in colours of 4.5:1 and more on white
    scale = browser.execute_script("return network.getScale()")
    edge_px = scale * browser.execute_script("return network.body.edges[network.body.edgeIndices[0]].options.font.size")
    node_px = scale * browser.execute_script("return network.body.nodes[network.body.nodeIndices[0]].options.font.size")
    assert edge_px >= 10.5 and node_px >= 11.5, (edge_px, node_px)
    data = _data_block(path.read_text(encoding="utf-8"))
    assert all(_contrast(r[3]) >= 4.5 for r in data["relations"]), data["relations"]

    # a kind opens from its panel (a real click on its node, then on the panel's button) and folds again
    kind = max(minor, key=lambda k: (len(minor[k]), k))
    _click_node(browser, "#kind:" + kind)
    text = _panel(browser)
    assert text.startswith(kind + "类") and "项目类别" in text and "not a fact in the RDF" in text
    assert all(g.nodes[p]["label"] in text for p in minor[kind])
    wait = WebDriverWait(browser, 30, poll_frequency=0.05)
    browser.find_element(By.ID, "pakg-kind-toggle").click()
    wait.until(lambda d: d.execute_script("return network.physics.options.enabled") is False)
    visible = set(browser.execute_script("return network.body.nodeIndices"))
    assert minor[kind] <= visible and "#kind:" + kind in visible
    assert browser.execute_script("return nodes.get(arguments[0]).label", "#kind:" + kind) == kind + "类"
    assert not {e for e in browser.execute_script("return network.body.edgeIndices")
                if browser.execute_script("var e = edges.get(arguments[0]).info; return !!(e.programs && "
                                          "e.kind.name === arguments[1])", e, kind)}
    browser.find_element(By.ID, "pakg-kind-toggle").click()
    assert not minor[kind] & set(browser.execute_script("return network.body.nodeIndices"))

    # the search finds a folded program and opens its kind to show it
    other = min(k for k in minor if k != kind)
    program = min(minor[other], key=lambda p: g.nodes[p]["label"])
    box = browser.find_element(By.ID, "pakg-search")
    box.send_keys(g.nodes[program]["label"])
    box.send_keys(Keys.ENTER)
    assert _panel(browser).startswith(g.nodes[program]["label"])
    assert program in browser.execute_script("return network.body.nodeIndices")
    assert browser.execute_script("return pakg.kinds.filter(function (k) { return k.open; })"
                                  ".map(function (k) { return k.name; })") == [other]
    browser.find_element(By.ID, "pakg-reset").click()
    browser.execute_script("var b = document.getElementById('pakg-search'); b.value = ''; b.dispatchEvent(new Event('input'));")

    # a county filter with a panel open: every node is drawn in the canvas, clear of the legend and the panel
    county = next(n for n, d in g.nodes(data=True) if d["type"] == "County" and d["label"] == "耒阳市")
    _click_node(browser, county)
    assert _panel(browser).startswith("耒阳市")
    idx = browser.execute_script("return Array.from(document.querySelectorAll('#pakg-county option'))"
                                 ".find(function (o) { return o.textContent === '耒阳市'; }).value")
    Select(browser.find_element(By.ID, "pakg-county")).select_by_value(idx)
    shown = browser.execute_script("return network.body.nodeIndices")
    assert county in shown and len(shown) >= 10
    assert browser.execute_script(_UNDER_PANELS) == []
    free = browser.execute_script("return pakg.freeArea()")
    assert free["left"] > 250 and free["right"] < free["width"] - 350      # both panels were left out
    ARTIFACTS.mkdir(exist_ok=True)
    assert browser.save_screenshot(str(ARTIFACTS / "graph-county.png"))
    # the check sees a node under a panel: the county moved to the middle of the legend
    browser.execute_script(
        "var c = document.getElementById('pakg-network').getBoundingClientRect();"
        "var q = document.getElementById('pakg-legend').getBoundingClientRect();"
        "network.moveTo({position: network.getPosition(arguments[0]), scale: 1, offset: {"
        "x: (q.left + q.right - c.left - c.right) / 2, y: (q.top + q.bottom - c.top - c.bottom) / 2}});", county)
    assert [county, "pakg-legend"] in browser.execute_script(_UNDER_PANELS)
    # the panel closed, the fit button uses the room it leaves
    browser.find_element(By.ID, "pakg-panel-close").click()
    browser.find_element(By.ID, "pakg-fit").click()
    assert browser.execute_script(_UNDER_PANELS) == []
    assert browser.execute_script("return pakg.freeArea()")["right"] > free["right"] + 300
    browser.find_element(By.ID, "pakg-reset").click()
    _assert_offline(browser, path)


def test_browser_demo_graph_hover_and_edges(browser, tmp_path):
    nxg = viz.to_networkx(demo_graph())
    path = tmp_path / "graph.html"
    _open(browser, path, viz.render_html(nxg, title="pakg · 演示图"))
    assert len(browser.execute_script(_ENTITY_IDS)) == nxg.number_of_nodes() == sum(map(len, DEMO.values()))
    legend = browser.execute_script("return document.getElementById('pakg-legend').innerText")
    assert "干部" in legend and "Cadre" in legend and "扶贫项目" in legend and "位于" in legend
    # hover: a light tip with type and admin path
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    village = str(PAD["village/0"])
    dx, dy = _node_point(browser, village)
    container = browser.find_element(By.ID, "pakg-network")
    ActionChains(browser).move_to_element_with_offset(container, dx + 40, dy + 40).pause(0.05) \
        .move_to_element_with_offset(container, dx, dy).pause(0.05).move_by_offset(1, 1).perform()
    tip = WebDriverWait(browser, 10, poll_frequency=0.05).until(lambda d: d.execute_script(
        "var t = document.getElementById('pakg-tip'); return !t.hidden && t.innerText"))
    assert "胡家坪村" in tip and "桥头河镇 → 涟源市 → 娄底市 → 湖南省" in tip
    # the relation filter hides edges; size by mentions changes sizes
    browser.find_element(By.CSS_SELECTOR, "#pakg-relations input[data-relation='servesIn']").click()
    hidden = browser.execute_script("return edges.get().filter(function (e) { return e.hidden; })"
                                    ".map(function (e) { return e.info.rel; })")
    assert hidden and set(hidden) == {"servesIn"}
    assert browser.execute_script("return edges.get().filter(function (e) { return e.hidden; }).length") == \
        sum(1 for *_, k in nxg.edges(keys=True) if k == "servesIn")
    # an edge click shows the relation
    browser.execute_script("pakg.showEdge(edges.getIds()[0])")
    assert "关系 relation" in _panel(browser)
    _assert_offline(browser, path)


def test_browser_xss_labels_stay_text(browser, tmp_path):
    """Hand-made labels, aliases, titles and file names with markup are shown as text."""
    from selenium.webdriver.common.by import By

    nxg = viz.to_networkx(xss_graph())
    path = tmp_path / "xss.html"
    _open(browser, path, viz.render_html(nxg, title="<script>alert('t')</script>"))
    assert len(browser.execute_script(_ENTITY_IDS)) == nxg.number_of_nodes()
    labels = browser.execute_script("return window.nodes.get().map(function (n) { return n.info.label; })")
    assert XSS_LABEL_SCRIPT in labels and XSS_LABEL_IMG in labels
    for node in ("cadre/evil-a", "cadre/evil-b"):
        _click_node(browser, str(PAD[node]))
        text = _panel(browser)
        assert XSS_ALIAS in text and XSS_TITLE in text and XSS_FILE in text
    assert XSS_LABEL_IMG in text
    box = browser.find_element(By.ID, "pakg-search")
    box.send_keys("<img")
    assert XSS_LABEL_IMG in browser.find_element(By.ID, "pakg-results").text
    time.sleep(0.3)  # give any injected handler time to run
    assert browser.execute_script("return typeof window.__xss") == "undefined"
    assert browser.execute_script("return window.__alerts") == []
    assert browser.title == "<script>alert('t')</script>"
    assert browser.execute_script("return document.querySelectorAll('img, svg[onload], b, [onerror], [onmouseover]').length") == 0
    assert browser.execute_script("return document.scripts.length") == 3
    ARTIFACTS.mkdir(exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / "graph-xss.png"))
    _assert_offline(browser, path)


XSS_CORPUS = """# 涟源市<script>window.__pwned=1</script>脱贫纪实

涟源市桥头河镇<img src=x onerror=alert(1)>村位于山区，全村308户。

涟源市桥头河镇胡家坪村第一书记刘清锋说：“<script>window.__pwned=1</script>我们要干。”

涟源市实施“<img src=x onerror=alert(3)>”工程，开展“<script>window.__pwned=2</script>”行动。

村民杨晚连在<img src=x onerror=alert(1)>村养殖，涟源市湘浙茶叶种植专业合作社带动脱贫。
"""


def test_browser_xss_corpus(browser, tmp_path):
    """A real build of an article with markup in names, sentences and the title: shown, never run."""
    from selenium.webdriver.common.by import By

    from kg.cli import main

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "000_evil.txt").write_text(XSS_CORPUS, encoding="utf-8")
    assert main(["build", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--quiet"]) == 0
    page = (tmp_path / "out" / "graph.html").read_text(encoding="utf-8")
    for raw in ("<script>window", "<img src=x"):
        assert raw not in page
    _open(browser, tmp_path / "out" / "graph.html")
    county = _by_label(browser, "涟源市")
    browser.execute_script("pakg.focusNode(arguments[0])", county)
    text = _panel(browser)
    # the sentences and the article's title, with their markup, as visible text
    assert "<script>window.__pwned=1</script>我们要干" in text
    assert "<img src=x onerror=alert(3)>" in text and "涟源市<script>window.__pwned=1</script>脱贫纪实" in text
    # names with markup that the extractor took (quoted program names) are text too
    marked = browser.execute_script("return nodes.get().map(function (n) { return n.info.label; })"
                                    ".filter(function (l) { return l.indexOf('<') >= 0; })")
    for label in marked:
        browser.execute_script("pakg.focusNode(nodes.get({filter: function (n) { return n.info.label === arguments[0]; }})[0].id)"
                               .replace("arguments[0]", json.dumps(label)))
        assert _panel(browser).startswith(label)
    box = browser.find_element(By.ID, "pakg-search")
    box.send_keys("<")
    assert len(browser.find_elements(By.CSS_SELECTOR, "#pakg-results button")) == len(marked)
    time.sleep(0.3)
    assert browser.execute_script("return typeof window.__pwned") == "undefined"
    assert browser.execute_script("return window.__alerts") == []
    assert browser.execute_script("return document.querySelectorAll('img, [onerror]').length") == 0
    assert browser.execute_script("return document.scripts.length") == 3
    ARTIFACTS.mkdir(exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / "graph-xss-corpus.png"))
    _assert_offline(browser, tmp_path / "out" / "graph.html")
    print(f"\nlabels with markup taken by the extractor: {marked}")


#: Generous: measured ~2-5 s on a shared 2-core machine (see the test's printout).
SETTLE_BOUND_S = 30


def test_browser_5000_nodes_load_and_settle(browser, tmp_path):
    nxg = viz.to_networkx(realistic_graph(5000, seed=11))
    assert nxg.number_of_nodes() == 5000
    t0 = time.perf_counter()
    page = viz.render_html(nxg, title="5000")
    render = time.perf_counter() - t0
    path = tmp_path / "big.html"
    took = _open(browser, path, page)
    t = browser.execute_script("return window.pakgTimings")
    assert len(browser.execute_script(_ENTITY_IDS)) == 5000
    assert browser.execute_script("return edges.get({filter: function (e) { return !e.info.kind; }}).length") \
        == nxg.number_of_edges()
    assert browser.execute_script("return network.physics.options.enabled") is False
    assert t["stabilized"] / 1000 < SETTLE_BOUND_S
    # still usable: a type filter and a search answer quickly
    ms = browser.execute_script("var t = performance.now(); document.querySelector(\"input[data-class='Resident']\").click();"
                                "return performance.now() - t")
    assert len(set(browser.execute_script("return network.body.nodeIndices")) & set(nxg)) == 5000 - sum(
        1 for _, d in nxg.nodes(data=True) if d["type"] == "Resident" or d["type"] == "Program" and is_minor(d))
    found = browser.execute_script("var t = performance.now(); var r = pakg.find('村'); return [performance.now() - t, r.length]")
    assert found[1] == 50
    ARTIFACTS.mkdir(exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / "graph-5000.png"))
    _assert_offline(browser, path)
    print(f"\n5000 nodes / {nxg.number_of_edges()} edges: render {render:.2f}s, page {len(page) / 1e6:.1f} MB; "
          f"in the browser: JSON parsed {t['parsed'] / 1000:.2f}s, network built {t['network'] / 1000:.2f}s, "
          f"stabilized {t['stabilized'] / 1000:.2f}s after navigation ({took:.2f}s wall); "
          f"type filter {ms:.0f} ms, search {found[0]:.0f} ms")


def test_browser_offline_check_catches_remote_resources(browser, tmp_path):
    """Negative control: the network check above does see (and the browser does block) a remote fetch."""
    page = ('<!DOCTYPE html><html><head><meta charset="utf-8">'
            '<link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/bootstrap@5.0.0/dist/css/bootstrap.min.css">'
            '</head><body><img src="http://example.com/x.png">'
            '<script>window.network = {}; window.pakgStabilized = true;</script></body></html>')
    path = tmp_path / "remote.html"
    _open(browser, path, page)
    time.sleep(0.5)
    urls, failed, _errors = _requests(browser)
    assert any(u.startswith("https://cdn.jsdelivr.net/") for u in urls), urls
    assert any(u.startswith("http://example.com/") for u in urls), urls
    assert len(failed) >= 2, failed  # blocked: nothing was fetched
    assert browser.execute_script("return document.querySelector('img').naturalWidth") == 0
