"""No query makes pakg reach the network: ``kg query``, ``kg serve`` and ``kg viz``.

pyoxigraph and rdflib both answer ``SERVICE <url>`` by fetching the URL. Each query below
is first shown to be a real way out (pyoxigraph, asked directly, connects to a listener
on a loopback port), then sent through each command while the listener waits: the command
must refuse it and the listener must hear nothing. The forms are those that got past the
old text scan (a ``#`` inside a long string, ``'''`` strings, ASK) and a few more ways
of hiding the keyword. ``kg serve``'s share is in ``test_serve.py``, beside its server.
"""
import socket
import threading
import time

import pyoxigraph as ox
import pytest

from kg.cli import main
from kg.sparql import keywords

FORMS = {
    "plain": "SELECT * WHERE { SERVICE <{url}> { ?s ?p ?o } }",
    "hash in a long string": 'SELECT * { BIND("""a"b#""" AS ?x) SERVICE <{url}> {?s ?p ?o} }',
    "single-quoted long string": "SELECT * { BIND('''a'b#''' AS ?x) SERVICE <{url}> {?s ?p ?o} }",
    "ask": "ASK { BIND(\"\"\"a\"b#\"\"\" AS ?x) SERVICE <{url}> {?s ?p ?o} }",
    "lower case, silent": "select * { service silent <{url}> { ?s ?p ?o } }",
    "escaped hash in a name": "PREFIX ex: <http://e/> SELECT * { OPTIONAL { ?s ex:a\\#b ?o } SERVICE <{url}> { ?s ?p ?o } }",
    "after a comment line": "# SELECT\nSELECT * {\n# }\nSERVICE <{url}> { ?s ?p ?o } }",
    "escaped string quote": 'SELECT * { BIND("a\\"#" AS ?x) SERVICE <{url}> { ?s ?p ?o } }',
    "construct": "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <{url}> { ?s ?p ?o } }",
}


class Listener:
    """A TCP port on loopback that notes every connection made to it."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.connections = 0
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/sparql"
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self):
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self):
        self._stop.set()
        self._thread.join()
        self.sock.close()


@pytest.fixture()
def listener():
    ear = Listener()
    yield ear
    ear.close()


def _query(form: str, url: str) -> str:
    return FORMS[form].replace("{url}", url)


def _heard(listener, expected: int) -> int:
    for _ in range(40):
        if listener.connections >= expected:
            break
        time.sleep(0.05)
    return listener.connections


@pytest.mark.parametrize("form", sorted(FORMS))
def test_each_form_makes_the_bare_engine_connect_and_is_seen(form, listener):
    """The control: pyoxigraph, asked directly, does connect to the URL of each form, so
    each is a real way out; pakg's lexer finds SERVICE in every one."""
    text = _query(form, listener.url)
    try:
        list(ox.Store().query(text) if not text.startswith("ASK") else [ox.Store().query(text)])
    except OSError:
        pass                                      # the listener hangs up without answering
    assert _heard(listener, 1) >= 1
    assert "SERVICE" in keywords(text)


def test_the_lexer_is_not_fooled_into_refusing_ordinary_queries():
    assert "SERVICE" not in keywords('SELECT ?service { ?service <http://e/service> "SERVICE" } # SERVICE')
    assert "SERVICE" not in keywords("PREFIX service: <http://e/> SELECT * { ?s service:x 'a#b' }")


@pytest.mark.parametrize("form", sorted(FORMS))
def test_kg_query_refuses_service_and_connects_nowhere(form, listener, seeds_build, capsys):
    code = main(["query", _query(form, listener.url), "--build", str(seeds_build)])
    err = capsys.readouterr().err
    assert code == 2 and "SERVICE" in err and "Traceback" not in err
    assert listener.connections == 0


@pytest.mark.parametrize("form", ["plain", "hash in a long string", "construct"])
def test_kg_viz_refuses_service_and_from(form, listener, seeds_build, tmp_path, capsys):
    rq = tmp_path / "q.rq"
    rq.write_text(FORMS["construct"].replace("{url}", listener.url) if form == "construct"
                  else _query(form, listener.url), encoding="utf-8")
    assert main(["viz", str(seeds_build), "--construct", str(rq), "--out", str(tmp_path / "p.html"), "-q"]) == 2
    rq.write_text(f"CONSTRUCT {{ ?s ?p ?o }} FROM <{listener.url}> WHERE {{ ?s ?p ?o }}", encoding="utf-8")
    assert main(["viz", str(seeds_build), "--construct", str(rq), "--out", str(tmp_path / "p.html"), "-q"]) == 2
    assert "FROM" in capsys.readouterr().err
    assert listener.connections == 0
