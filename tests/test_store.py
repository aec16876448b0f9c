"""``kg load`` and the store it makes, queried by ``kg query --store`` and ``kg serve --store``.

The store is loaded from the committed build of the seeds (``output/``, which a test keeps
equal to a fresh build). Its answers are compared with ``kg query --build`` on the same
build; the server is queried with SPARQLWrapper and plain urllib, its CORS answers are
checked by hand and in a real browser (a page of another origin fetching from it), and
its N-Quads are read back by rdflib and checked against ``kg.trig`` as rdflib parses it.
A load is shown to be whole or absent: a folder of other files is refused, a reload
replaces the store while a reader keeps the one it opened, and a load that fails on a
broken file leaves the store as it was, with nothing left beside it.
"""
import hashlib
import json
import os
import re
import shutil
import threading
import time
import urllib.parse
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox
import pytest
import SPARQLWrapper
from rdflib import Dataset, Graph, URIRef
from SPARQLWrapper import JSON, POST, POSTDIRECTLY, TURTLE
from test_no_remote_access import FORMS, Listener
from test_serve import Server, browser, http, query_form, serving  # noqa: F401 (browser: the fixture)

from kg.cli import main
from kg.sparql import load_build
from kg.triplestore import MARKER, StoredGraph

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "output"
QUERIES = ROOT / "queries"
LIBRARY = sorted(p.stem for p in QUERIES.glob("*.rq"))
FIRST_SECRETARIES = (QUERIES / "first-secretaries.rq").read_text(encoding="utf-8")
OTHER_ORIGIN = "https://app.example"
# the cadres' labels (default graph) with their mentions (each in its article's provenance graph)
ACROSS_GRAPHS = """CONSTRUCT { ?cadre rdfs:label ?name ; pa:hasMention ?m . ?m nif:anchorOf ?text }
WHERE { ?cadre a pa:Cadre ; rdfs:label ?name ; pa:hasMention ?m . ?m nif:anchorOf ?text }"""


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("store") / "store"
    assert main(["load", str(BUILD), "--store", str(folder)]) == 0
    return folder


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def copy_build(folder: Path) -> Path:
    folder.mkdir()
    for name in ("kg.ttl", "kg.trig", "ontology.ttl"):
        shutil.copyfile(BUILD / name, folder / name)
    return folder


def left_beside(store: Path) -> list[str]:
    """What loads left beside the store (the lock file aside)."""
    return sorted(p.name for p in store.parent.iterdir() if p.name.startswith(f".{store.name}.loading"))


# --- kg load


def test_load_prints_what_it_loaded_and_records_the_build(capsys, tmp_path):
    folder = tmp_path / "store"
    code, out, err = run(capsys, "load", str(BUILD), "--store", str(folder))
    assert code == 0, err
    with_provenance, without = len(load_build(BUILD, provenance=True)), len(load_build(BUILD))
    articles = len(list((ROOT / "seeds").glob("*.txt")))
    assert re.fullmatch(rf"loaded {re.escape(str(BUILD))} into {re.escape(str(folder))}: "
                        rf"{with_provenance:,} triples \({articles} provenance graphs\) in \d+\.\d s\n", out), out
    marker = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    assert marker["build"] == str(BUILD.resolve())
    assert marker["files"] == {name: {"bytes": (BUILD / name).stat().st_size,
                                      "sha256": hashlib.sha256((BUILD / name).read_bytes()).hexdigest()}
                               for name in ("kg.trig", "ontology.ttl")}
    assert (marker["triples"], marker["default_graph_triples"], marker["named_graphs"]) == \
        (with_provenance, without, articles)
    assert left_beside(folder) == []
    umask = os.umask(0)
    os.umask(umask)
    assert folder.stat().st_mode & 0o777 == 0o777 & ~umask          # readable as a build folder is


def test_store_holds_the_graph_and_each_articles_provenance_graph(store):
    """The store's quads are kg.trig's as rdflib reads it, plus the ontology in the default graph."""
    trig = Dataset()
    trig.parse(BUILD / "kg.trig", format="trig")
    expected = {(s.n3(), p.n3(), o.n3(), None if g == trig.default_graph.identifier else str(g))
                for s, p, o, g in trig.quads((None, None, None, None))}
    opened = StoredGraph(store).store
    named = {q for q in opened.quads_for_pattern(None, None, None) if q.graph_name != ox.DefaultGraph()}
    got = {(str(q.subject), str(q.predicate), str(q.object), q.graph_name.value) for q in named}
    named_expected = {q for q in expected if q[3] is not None}
    assert {g for *_, g in got} == {g for *_, g in named_expected}
    assert all(g.endswith("#context") for *_, g in got)
    assert len(got) == len(named_expected)
    assert {(s, p, g) for s, p, _, g in got} == {(s, p, g) for s, p, _, g in named_expected}


def test_load_refuses_a_folder_of_other_files(capsys, tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    code, out, err = run(capsys, "load", str(BUILD), "--store", str(folder))
    assert code == 2 and out == "" and "holds other files and no pakg store" in err and "Traceback" not in err
    assert [p.name for p in folder.iterdir()] == ["notes.txt"] and left_beside(folder) == []
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    code, _, err = run(capsys, "load", str(BUILD), "--store", str(tmp_path / "afile"))
    assert code == 2 and "is not a folder" in err
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run(capsys, "load", str(BUILD), "--store", str(empty))[0] == 0 and (empty / MARKER).is_file()


def test_a_second_load_into_the_same_store_meanwhile_is_refused(capsys, tmp_path):
    import fcntl

    folder = tmp_path / "store"
    with open(tmp_path / ".store.lock", "a+") as lock:             # a load holding the store
        fcntl.flock(lock, fcntl.LOCK_EX)
        code, _, err = run(capsys, "load", str(BUILD), "--store", str(folder))
    assert code == 2 and "another kg load is writing" in err and not folder.exists()
    assert run(capsys, "load", str(BUILD), "--store", str(folder))[0] == 0


def test_load_needs_a_build_with_its_trig(capsys, tmp_path):
    build = copy_build(tmp_path / "build")
    (build / "kg.trig").unlink()
    code, _, err = run(capsys, "load", str(build), "--store", str(tmp_path / "store"))
    assert code == 2 and "kg.trig does not exist" in err and "--format" in err
    assert not (tmp_path / "store").exists()
    code, _, err = run(capsys, "load", str(tmp_path / "nowhere"), "--store", str(tmp_path / "store"))
    assert code == 2 and "does not exist" in err


def test_reload_replaces_the_store_and_a_reader_keeps_the_one_it_opened(capsys, tmp_path):
    build, folder = copy_build(tmp_path / "build"), tmp_path / "store"
    assert run(capsys, "load", str(build), "--store", str(folder))[0] == 0
    before = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    reader = StoredGraph(folder)
    ask = 'ASK { <https://w3id.org/pakg/id/x> rdfs:label "新的"@zh }'
    with open(build / "kg.trig", "a", encoding="utf-8") as fh:
        fh.write('\n{ <https://w3id.org/pakg/id/x> <http://www.w3.org/2000/01/rdf-schema#label> "新的"@zh . }\n')
    (tmp_path / ".store.loading-dead").mkdir()            # the staging folder of a load that was killed
    code, _, err = run(capsys, "load", str(build), "--store", str(folder))
    assert code == 0, err
    after = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    assert after["triples"] == before["triples"] + 1
    assert after["files"]["kg.trig"]["sha256"] == hashlib.sha256((build / "kg.trig").read_bytes()).hexdigest()
    assert run(capsys, "query", "--store", str(folder), ask)[0] == 0           # exit 0: true
    assert not bool(reader.query(ask, prefixes={"rdfs": "http://www.w3.org/2000/01/rdf-schema#"}))
    assert len(list(reader.store.quads_for_pattern(None, None, None))) == before["triples"]
    assert left_beside(folder) == []


def test_a_failed_load_leaves_the_store_as_it_was(capsys, tmp_path):
    build, folder = copy_build(tmp_path / "build"), tmp_path / "store"
    assert run(capsys, "load", str(build), "--store", str(folder))[0] == 0
    marker = (folder / MARKER).read_bytes()
    with open(build / "kg.trig", "a", encoding="utf-8") as fh:       # parsed, and loaded, up to its last line
        fh.write('\n<https://w3id.org/pakg/id/y> { <https://w3id.org/pakg/id/y> <broken "\n')
    code, out, err = run(capsys, "load", str(build), "--store", str(folder))
    assert code == 2 and out == "" and "kg.trig" in err and "Traceback" not in err
    assert (folder / MARKER).read_bytes() == marker and left_beside(folder) == []
    assert run(capsys, "query", "--store", str(folder), "--output", "csv", FIRST_SECRETARIES)[1] == \
        "cadre,village,county\r\n刘清锋,胡家坪村,涟源市\r\n"
    code, _, _ = run(capsys, "load", str(build), "--store", str(tmp_path / "new"))
    assert code == 2 and not (tmp_path / "new").exists() and left_beside(tmp_path / "new") == []


# --- kg query --store


def json_answer(capsys, *argv) -> dict:
    code, out, err = run(capsys, "query", *argv, "--output", "json")
    assert code in (0, 1), err
    return json.loads(out)


def same_rows(a: dict, b: dict, ordered: bool) -> bool:
    if "boolean" in a:
        return a == b
    rows = [json.dumps(x, sort_keys=True, ensure_ascii=False) for x in a["results"]["bindings"]]
    other = [json.dumps(x, sort_keys=True, ensure_ascii=False) for x in b["results"]["bindings"]]
    return a["head"] == b["head"] and (rows == other if ordered else sorted(rows) == sorted(other))


@pytest.mark.parametrize("name", LIBRARY)
def test_kg_query_store_answers_as_kg_query_build(capsys, store, name):
    path = str(QUERIES / f"{name}.rq")
    text = (QUERIES / f"{name}.rq").read_text(encoding="utf-8")
    if query_form(text) in ("SELECT", "ASK"):
        for provenance in ((), ("--provenance",)):
            built = json_answer(capsys, "--build", str(BUILD), *provenance, "-f", path)
            stored = json_answer(capsys, "--store", str(store), *provenance, "-f", path)
            assert same_rows(built, stored, "ORDER BY" in text), (name, provenance)
            assert "boolean" in built or built["results"]["bindings"] or (name == "evidence-for-posts"
                                                                          and not provenance)
    else:
        answers = [run(capsys, "query", where, str(folder), "--provenance", "-f", path)
                   for where, folder in (("--build", BUILD), ("--store", store))]
        assert answers[0][0] == answers[1][0] == 0
        assert answers[0][1] == answers[1][1]          # sorted Turtle: the same bytes


def test_kg_query_store_usage_errors(capsys, store, tmp_path):
    with pytest.raises(SystemExit) as e:
        main(["query", "--store", str(store), "--build", str(BUILD), "ASK {}"])
    assert e.value.code == 2 and "not allowed with argument" in capsys.readouterr().err
    for folder in (tmp_path, tmp_path / "nowhere"):
        code, out, err = run(capsys, "query", "--store", str(folder), "ASK {}")
        assert code == 2 and out == "" and f"store {folder} is not a pakg store" in err
        assert f"kg load BUILD --store {folder}" in err.replace("\n", "")
    code, _, err = run(capsys, "query", "--store", str(store), "INSERT DATA { <http://e/a> <http://e/b> 1 }")
    assert code == 2 and "read-only" in err


def test_store_is_opened_read_only(store):
    graph = StoredGraph(store)
    with pytest.raises(RuntimeError):
        graph.store.add(ox.Quad(ox.NamedNode("http://e/a"), ox.NamedNode("http://e/b"), ox.NamedNode("http://e/c")))
    assert len(graph) == len(load_build(BUILD)) and len(StoredGraph(store, provenance=True)) == \
        len(load_build(BUILD, provenance=True))


@pytest.mark.parametrize("form", sorted(FORMS))
def test_kg_query_store_refuses_service(capsys, store, form):
    ear = Listener()
    try:
        code, _, err = run(capsys, "query", "--store", str(store), FORMS[form].replace("{url}", ear.url))
        assert code == 2 and "SERVICE" in err
        time.sleep(0.1)
        assert ear.connections == 0
    finally:
        ear.close()


def test_kg_query_nquads_name_the_graphs(capsys, store):
    code, out, _ = run(capsys, "query", "--store", str(store), "--provenance", "--output", "nquads", ACROSS_GRAPHS)
    assert code == 0
    graphs = {q.graph_name for q in ox.parse(out.encode(), format=ox.RdfFormat.N_QUADS)}
    assert ox.DefaultGraph() in graphs and any(isinstance(g, ox.NamedNode) for g in graphs)
    code, out, _ = run(capsys, "query", "--build", str(BUILD), "--provenance", "--output", "nquads", ACROSS_GRAPHS)
    assert code == 0 and {q.graph_name for q in ox.parse(out.encode(), format=ox.RdfFormat.N_QUADS)} == \
        {ox.DefaultGraph()}                             # a build in memory has one graph


# --- kg serve --store


@pytest.fixture(scope="module")
def server(store, tmp_path_factory):
    with serving(["--store", str(store), "--provenance"], tmp_path_factory) as srv:
        yield srv


@pytest.fixture(scope="module")
def cors_server(store, tmp_path_factory):
    with serving(["--store", str(store), "--workers", "1", "--cors-origin", OTHER_ORIGIN + "/"], tmp_path_factory) as srv:
        yield srv


def wrapper(server, query: str, fmt=JSON, method=None):
    sw = SPARQLWrapper.SPARQLWrapper(server.endpoint)
    sw.setQuery(query)
    sw.setReturnFormat(fmt)
    if method:
        sw.setMethod(method)
        sw.setRequestMethod(POSTDIRECTLY)
    return sw.query().convert()


def test_serve_store_banner(server, store):
    assert f"triples from store {store}" in server.banner


@pytest.mark.parametrize("name", LIBRARY)
def test_sparqlwrapper_on_the_store_answers_as_kg_query_build(server, capsys, name):
    text = (QUERIES / f"{name}.rq").read_text(encoding="utf-8")
    if query_form(text) in ("SELECT", "ASK"):
        built = json_answer(capsys, "--build", str(BUILD), "--provenance", "-f", str(QUERIES / f"{name}.rq"))
        assert same_rows(built, wrapper(server, text, JSON), "ORDER BY" in text), name
    else:
        code, out, _ = run(capsys, "query", "--build", str(BUILD), "--provenance", "-f", str(QUERIES / f"{name}.rq"))
        expected = Graph().parse(data=out, format="turtle")
        assert code == 0 and len(expected) and Graph().parse(data=wrapper(server, text, TURTLE), format="turtle").isomorphic(expected)


def test_sparqlwrapper_post_on_the_store(server):
    rows = wrapper(server, FIRST_SECRETARIES, JSON, POST)["results"]["bindings"]
    assert [(b["cadre"]["value"], b["village"]["value"], b["county"]["value"]) for b in rows] == \
        [("刘清锋", "胡家坪村", "涟源市")]


def test_cors_preflight_and_answers_by_default(server):
    preflight = {"Origin": OTHER_ORIGIN, "Access-Control-Request-Method": "GET",
                 "Access-Control-Request-Headers": "accept"}
    status, headers, body = http(server.endpoint, headers=preflight, method="OPTIONS")
    assert (status, body) == (204, b"")
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert headers["Access-Control-Allow-Methods"] == "GET, OPTIONS"
    assert "Accept" in headers["Access-Control-Allow-Headers"] and int(headers["Access-Control-Max-Age"]) > 0
    status, _, body = http(server.endpoint, headers={**preflight, "Access-Control-Request-Method": "POST"},
                           method="OPTIONS")
    assert status == 403 and b"--cors-origin" in body
    url = server.endpoint + "?" + urllib.parse.urlencode({"query": FIRST_SECRETARIES})
    status, headers, _ = http(url, headers={"Origin": OTHER_ORIGIN})
    assert status == 200 and headers["Access-Control-Allow-Origin"] == "*"
    assert headers["Access-Control-Expose-Headers"] == "X-Result-Truncated" and "Origin" in headers["Vary"]
    status, _, body = http(server.endpoint, FIRST_SECRETARIES.encode(),
                           {"Content-Type": "application/sparql-query", "Origin": OTHER_ORIGIN})
    assert status == 403 and b"another origin" in body
    status, _, _ = http(server.endpoint, headers={**preflight, "Host": "attacker.example"}, method="OPTIONS")
    assert status == 403                                # a rebound name is refused, preflight or not
    status, headers, _ = http(server.endpoint, method="OPTIONS")
    assert status == 204 and headers["Allow"] == "GET, POST, OPTIONS"


def test_cors_origins_named_may_post_and_others_may_not_read(cors_server):
    status, headers, _ = http(cors_server.endpoint, method="OPTIONS", headers={
        "Origin": OTHER_ORIGIN, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert status == 204 and headers["Access-Control-Allow-Origin"] == OTHER_ORIGIN
    assert headers["Access-Control-Allow-Methods"] == "GET, POST, OPTIONS"
    assert "Content-Type" in headers["Access-Control-Allow-Headers"]
    status, headers, body = http(cors_server.endpoint, FIRST_SECRETARIES.encode(),
                                 {"Content-Type": "application/sparql-query", "Origin": OTHER_ORIGIN,
                                  "Accept": "text/csv"})
    assert status == 200 and body.decode() == "cadre,village,county\r\n刘清锋,胡家坪村,涟源市\r\n"
    assert headers["Access-Control-Allow-Origin"] == OTHER_ORIGIN
    status, _, _ = http(cors_server.endpoint, FIRST_SECRETARIES.encode(),
                        {"Content-Type": "application/sparql-query", "Origin": "https://other.example"})
    assert status == 403
    status, headers, _ = http(cors_server.endpoint + "?query=ASK%7B%7D", headers={"Origin": "https://other.example"})
    assert status == 200 and "Access-Control-Allow-Origin" not in headers


class _Textarea(HTMLParser):
    def __init__(self):
        super().__init__()
        self.inside, self.text = False, []

    def handle_starttag(self, tag, attrs):
        self.inside = tag == "textarea"

    def handle_endtag(self, tag):
        self.inside = False

    def handle_data(self, data):
        if self.inside:
            self.text.append(data)


def test_text_html_gets_the_query_page_with_the_query(server):
    query = 'SELECT ?x WHERE { BIND("</textarea><script>alert(1)</script> {{EXAMPLES}}" AS ?x) }'
    url = server.endpoint + "?" + urllib.parse.urlencode({"query": query})
    for accept in ("text/html", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"):
        status, headers, body = http(url, headers={"Accept": accept})
        assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
        assert "script-src 'sha256-" in headers["Content-Security-Policy"]
        box = _Textarea()
        box.feed(body.decode())
        assert "".join(box.text) == query
    status, headers, _ = http(server.endpoint, headers={"Accept": "text/html"})
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    status, headers, _ = http(url + "&format=json", headers={"Accept": "text/html"})
    assert status == 200 and headers["Content-Type"] == "application/sparql-results+json"
    status, headers, _ = http(url, headers={"Accept": "application/sparql-results+json, text/html;q=0.5"})
    assert status == 200 and headers["Content-Type"] == "application/sparql-results+json"


def test_nquads_name_each_triples_graph(server, capsys, store):
    trig = Dataset()
    trig.parse(BUILD / "kg.trig", format="trig")
    held = {(s, p, o, None if g == trig.default_graph.identifier else g)
            for s, p, o, g in trig.quads((None, None, None, None))}
    url = server.endpoint + "?" + urllib.parse.urlencode({"query": ACROSS_GRAPHS})
    status, headers, body = http(url, headers={"Accept": "application/n-quads"})
    assert status == 200 and headers["Content-Type"] == "application/n-quads"
    assert http(url + "&format=nquads")[2] == body
    answer = Dataset()
    answer.parse(data=body.decode(), format="nquads")
    quads = {(s, p, o, None if g == answer.default_graph.identifier else g)
             for s, p, o, g in answer.quads((None, None, None, None))}
    named = {g for *_, g in quads if g is not None}
    assert named and all(isinstance(g, URIRef) and str(g).endswith("#context") for g in named)
    assert any(g is None for *_, g in quads)
    assert quads <= held                                 # each triple in the graph kg.trig puts it in
    assert len(quads) == len({q[:3] for q in quads}) == len(Graph().parse(
        data=run(capsys, "query", "--build", str(BUILD), "--provenance", "--output", "ntriples", ACROSS_GRAPHS)[1],
        format="nt"))
    code, out, _ = run(capsys, "query", "--store", str(store), "--provenance", "--output", "nquads", ACROSS_GRAPHS)
    assert code == 0 and out.encode() == body          # kg query writes the same bytes


def test_serve_store_refuses_service_and_fetches_nothing(server):
    ear = Listener()
    try:
        for form in sorted(FORMS):
            text = FORMS[form].replace("{url}", ear.url)
            status, _, body = http(server.endpoint, text.encode(), {"Content-Type": "application/sparql-query"})
            assert (status, form) == (400, form) and b"SERVICE" in body
        time.sleep(0.3)
        assert ear.connections == 0
    finally:
        ear.close()


def test_serve_refuses_what_is_not_a_store_or_an_origin(capsys, tmp_path):
    code, _, err = run(capsys, "serve", "--store", str(tmp_path), "--port", "0")
    assert code == 2 and f"store {tmp_path} is not a pakg store" in err and "Traceback" not in err
    for bad in ("example.org", "https://example.org/page", "ftp://example.org"):
        with pytest.raises(SystemExit) as e:
            main(["serve", "--store", str(tmp_path), "--cors-origin", bad])
        assert e.value.code == 2 and "is no origin" in capsys.readouterr().err


# --- CORS in a real browser: a page of another origin fetches from the endpoint

PAGE = b"""<!DOCTYPE html><meta charset="utf-8"><title>elsewhere</title><script>
async function ask(endpoint, method) {
  const query = "ASK { ?v a pa:Village }";
  const accept = {"Accept": "application/sparql-results+json"};
  try {
    const r = method === "GET"
      ? await fetch(endpoint + "?query=" + encodeURIComponent(query), {headers: accept})
      : await fetch(endpoint, {method: "POST", body: query,
                               headers: {...accept, "Content-Type": "application/sparql-query"}});
    return r.status + " " + (await r.json()).boolean;
  } catch (e) {
    return "blocked";
  }
}
</script>"""


@pytest.fixture(scope="module")
def elsewhere():
    """A page served from another origin (another port of 127.0.0.1)."""
    class Page(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(PAGE)))
            self.end_headers()
            self.wfile.write(PAGE)

        def log_message(self, *args):
            pass

    site = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    threading.Thread(target=site.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{site.server_address[1]}/"
    site.shutdown()
    site.server_close()


def test_browser_on_another_origin_reads_get_and_posts_only_where_allowed(server, store, browser, elsewhere,  # noqa: F811
                                                                         tmp_path, monkeypatch):
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    browser.get(elsewhere)

    def ask(endpoint, method):
        return browser.execute_async_script(
            "const done = arguments[arguments.length - 1]; ask(arguments[0], arguments[1]).then(done);",
            endpoint, method)

    assert ask(server.endpoint, "GET") == "200 true"
    assert ask(server.endpoint, "POST") == "blocked"            # its preflight is refused: no origin named
    named = Server(["--store", str(store), "--workers", "1", "--cors-origin", elsewhere.rstrip("/")],
                   tmp_path / "server.log")
    try:
        assert ask(named.endpoint, "POST") == "200 true"
        assert ask(named.endpoint, "GET") == "200 true"
    finally:
        named.stop()
