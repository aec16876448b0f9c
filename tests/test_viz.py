"""Tests for kg.viz: RDF -> networkx, and the offline, safe, deterministic HTML page.

The browser tests drive Debian's chromium + chromedriver through selenium with the network
blocked three ways (a dead proxy, a resolver that resolves nothing, CDP offline emulation)
and read chromium's own network log to prove the page requests nothing but itself.
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

from kg import viz
from kg.namespaces import PA, PAD

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

    pref = nxg.nodes[P]
    assert pref["type"] == "Prefecture" and pref["background"] is True and pref["articles"] == []
    assert {nxg.nodes[n]["type"] for n in nxg} == {"County", "Prefecture", "Township", "Village", "Cadre", "Program"}
    assert all(nxg.nodes[n]["background"] is False for n in (T, V, K, G))


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


# --------------------------------------------------------------------------------------
# render_html, statically

ATTR_URL = re.compile(r"""\b(?:src|href|action|srcset|poster|data)\s*=\s*["']?\s*(?:https?:|//)""", re.I)


def _data_block(page: str) -> dict:
    m = re.search(r'<script type="application/json" id="pakg-data">(.*?)</script>', page, re.S)
    assert m, "no data block"
    return json.loads(m.group(1))


def test_render_html_is_self_contained():
    page = viz.render_html(viz.to_networkx(demo_graph()))
    assert page.startswith("<!DOCTYPE html>")
    assert not ATTR_URL.search(page), ATTR_URL.search(page)
    assert "<link" not in page.lower()
    assert not re.search(r"<script[^>]*\bsrc\s*=", page, re.I)
    assert not re.search(r"@import|url\(\s*['\"]?\s*(?:https?:|//)|@font-face", page, re.I)
    assert "cdn.jsdelivr" not in page and "cdnjs" not in page
    # vis-network itself is inlined, not fetched
    assert "vis-network" in page and len(page) > 400_000
    assert "filter-menu" not in page and "tom-select" not in page


def test_render_html_is_deterministic():
    nxg = viz.to_networkx(demo_graph())
    a = viz.render_html(nxg)
    assert a == viz.render_html(nxg)
    # a graph parsed back from Turtle (different internal order) gives the same bytes
    again = Graph().parse(data=demo_graph().serialize(format="turtle"), format="turtle")
    assert viz.render_html(viz.to_networkx(again)).encode() == a.encode()
    assert viz.render_html(nxg, title="other") != a


def test_render_html_legend_and_styles():
    nxg = viz.to_networkx(small_graph())
    page = viz.render_html(nxg)
    data = _data_block(page)
    assert [n["id"] for n in data["nodes"]] == list(nxg.nodes)
    legend = re.search(r'<div id="pakg-legend".*?</div>\s*<div id="pakg-status"', page, re.S).group(0)
    for cls in ("County", "Prefecture", "Township", "Village", "Cadre", "Program"):
        assert f'data-class="{cls}"' in legend
    assert 'data-class="Resident"' not in legend  # only classes present
    assert "县 / 县级市 / 区" in legend and "干部" in legend and "背景知识" in legend
    assert 'data-relation="servesIn"' in legend and "任职于" in legend
    by_id = {n["id"]: n for n in data["nodes"]}
    assert by_id[K]["shape"] == "star" and by_id[K]["label"] == "刘清锋"
    assert by_id[P]["color"]["background"] != by_id[C]["color"]["background"]
    assert by_id[P]["info"]["background"] is True and by_id[P]["shapeProperties"]["borderDashes"]
    assert by_id[C]["info"]["observations"] == ["贫困发生率 2013: 18.3%"]
    assert by_id[K]["info"]["articles"][1] == ["001_748598160e005e97.txt", "第一书记刘清锋"]
    edge = next(e for e in data["edges"] if e["from"] == K)
    assert edge["label"] == "任职于" and edge["arrows"] == "to" and edge["info"]["relation"] == "servesIn"
    assert data["options"]["physics"]["enabled"] is True
    assert data["options"]["physics"]["stabilization"]["enabled"] is True
    assert 'network.setOptions({physics: false})' in page


def test_render_html_escapes_article_text():
    page = viz.render_html(viz.to_networkx(xss_graph()), title="<script>alert('t')</script>")
    for raw in (XSS_LABEL_SCRIPT, XSS_LABEL_IMG, XSS_ALIAS, XSS_TITLE, XSS_FILE, "<script>alert",
                "<img src=x", "<svg onload", "<b onmouseover", "\u2028", "\u2029", "<!-- x"):
        assert raw not in page, raw
    assert "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e" in page
    assert "&lt;script&gt;alert(&#x27;t&#x27;)&lt;/script&gt;" in page  # the page title
    assert page.lower().count("</script") == 3  # only our own three script elements end
    labels = {n["info"]["label"] for n in _data_block(page)["nodes"]}  # the JSON round-trips exactly
    assert {XSS_LABEL_SCRIPT, XSS_LABEL_IMG, "行\u2028分隔\u2029符 & <!-- x"} <= labels
    assert "innerHTML" not in page.split("</script>\n<script>")[-1]


def test_render_html_large_graph_precomputed_layout():
    nxg = big_nx(1200)
    t0 = time.perf_counter()
    page = viz.render_html(nxg)
    elapsed = time.perf_counter() - t0
    data = _data_block(page)
    assert len(data["nodes"]) == 1200
    assert data["options"]["physics"]["enabled"] is False
    assert all(isinstance(n.get("x"), float) and isinstance(n.get("y"), float) for n in data["nodes"])
    assert len({(n["x"], n["y"]) for n in data["nodes"]}) > 1100
    assert viz.render_html(nxg) == page
    assert elapsed < 30


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
    driver.set_page_load_timeout(60)
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.emulateNetworkConditions", {
        "offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": ALERT_HOOK})
    driver.pakg_startup = time.perf_counter() - t0
    yield driver
    driver.quit()


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


def _open(driver, page: str, path: Path, timeout: float = 60) -> float:
    from selenium.webdriver.support.ui import WebDriverWait

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


def _hover_node(driver, node_id: str) -> str:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    container = driver.find_element(By.ID, "pakg-network")
    x, y, w, h = driver.execute_script(
        "var p = network.canvasToDOM(network.getPosition(arguments[0]));"
        "var r = document.getElementById('pakg-network').getBoundingClientRect();"
        "return [p.x, p.y, r.width, r.height];", node_id)
    ActionChains(driver).move_to_element_with_offset(container, 0, 0).perform()
    ActionChains(driver).move_to_element_with_offset(
        container, int(x - w / 2), int(y - h / 2)).pause(0.05).move_by_offset(1, 1).perform()
    return WebDriverWait(driver, 10, poll_frequency=0.05).until(lambda d: d.execute_script(
        "var t = document.querySelector('div.vis-tooltip');"
        "return t && t.style.visibility !== 'hidden' && t.textContent.length ? t.textContent : false;"))


def test_browser_demo_graph_screenshot(browser, tmp_path):
    nxg = viz.to_networkx(demo_graph())
    path = tmp_path / "graph.html"
    took = _open(browser, viz.render_html(nxg, title="pakg · 演示图"), path)
    assert browser.execute_script("return window.nodes.length") == nxg.number_of_nodes() == sum(map(len, DEMO.values()))
    assert browser.execute_script("return window.edges.length") == nxg.number_of_edges()
    assert browser.execute_script("return network.getPositions().length === undefined && "
                                  "Object.keys(network.getPositions()).length") == sum(map(len, DEMO.values()))
    assert browser.execute_script("return network.physics.options.enabled") is False  # settled, then stopped
    legend = browser.execute_script("return document.getElementById('pakg-legend').innerText")
    assert "干部" in legend and "Cadre" in legend and "扶贫项目" in legend
    tip = _hover_node(browser, str(PAD["county/0"]))
    assert "涟源市" in tip and "贫困发生率 2013: 18.3%" in tip and "000_seed.txt" in tip
    ARTIFACTS.mkdir(exist_ok=True)
    browser.execute_script("network.fit(); document.querySelector('div.vis-tooltip').style.visibility='hidden';")
    time.sleep(0.2)
    assert browser.save_screenshot(str(ARTIFACTS / "graph.png"))
    _assert_offline(browser, path)
    print(f"\nchromium start {browser.pakg_startup:.2f}s, demo page load+stabilise {took:.2f}s")


def test_browser_xss_labels_stay_text(browser, tmp_path):
    nxg = viz.to_networkx(xss_graph())
    path = tmp_path / "xss.html"
    _open(browser, viz.render_html(nxg, title="<script>alert('t')</script>"), path)
    assert browser.execute_script("return window.nodes.length") == nxg.number_of_nodes()
    labels = browser.execute_script("return window.nodes.get().map(function (n) { return n.info.label; })")
    assert XSS_LABEL_SCRIPT in labels and XSS_LABEL_IMG in labels
    for node in ("cadre/evil-a", "cadre/evil-b"):
        tip = _hover_node(browser, str(PAD[node]))
        assert XSS_ALIAS in tip and XSS_TITLE in tip and XSS_FILE in tip
        assert browser.execute_script("return document.querySelectorAll('div.vis-tooltip *[onerror], "
                                      "div.vis-tooltip img, div.vis-tooltip svg, div.vis-tooltip b').length") == 0
    assert XSS_LABEL_IMG in _hover_node(browser, str(PAD["cadre/evil-b"]))
    time.sleep(0.3)  # give any injected handler time to run
    assert browser.execute_script("return typeof window.__xss") == "undefined"
    assert browser.execute_script("return window.__alerts") == []
    assert browser.title == "<script>alert('t')</script>"
    assert browser.execute_script("return document.querySelectorAll('img').length") == 0
    assert browser.execute_script("return document.scripts.length") == 3
    ARTIFACTS.mkdir(exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / "graph-xss.png"))
    _assert_offline(browser, path)


def test_browser_large_graph_precomputed(browser, tmp_path):
    nxg = big_nx(1200)
    path = tmp_path / "big.html"
    took = _open(browser, viz.render_html(nxg), path)
    assert browser.execute_script("return window.nodes.length") == 1200
    assert browser.execute_script("return network.physics.options.enabled") is False
    ARTIFACTS.mkdir(exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / "graph-large.png"))
    _assert_offline(browser, path)
    print(f"\n1200-node page load {took:.2f}s")


def test_browser_offline_check_catches_remote_resources(browser, tmp_path):
    """Negative control: the network check above does see (and the browser does block) a remote fetch."""
    page = ('<!DOCTYPE html><html><head><meta charset="utf-8">'
            '<link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/bootstrap@5.0.0/dist/css/bootstrap.min.css">'
            '</head><body><img src="http://example.com/x.png">'
            '<script>window.network = {}; window.pakgStabilized = true;</script></body></html>')
    path = tmp_path / "remote.html"
    _open(browser, page, path)
    time.sleep(0.5)
    urls, failed, _errors = _requests(browser)
    assert any(u.startswith("https://cdn.jsdelivr.net/") for u in urls), urls
    assert any(u.startswith("http://example.com/") for u in urls), urls
    assert len(failed) >= 2, failed  # blocked: nothing was fetched
    assert browser.execute_script("return document.querySelector('img').naturalWidth") == 0
