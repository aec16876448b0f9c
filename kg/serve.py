"""``kg serve``: a read-only SPARQL 1.1 Protocol endpoint over a build folder or a store.

    kg serve --build output                   # http://127.0.0.1:8000/ (page), /sparql (endpoint)
    kg serve --store store                    # a store made by kg load: opened, not loaded

The endpoint takes queries by GET (``?query=``) and POST (a form, or an
``application/sparql-query`` body) and answers SELECT and ASK in SPARQL JSON, XML, CSV
or TSV and CONSTRUCT and DESCRIBE in Turtle, N-Triples, N-Quads, RDF/XML or JSON-LD,
chosen by the ``Accept`` header or a ``format=`` parameter (what SPARQLWrapper, YASGUI
and curl send); a browser opening a link to it (``Accept: text/html`` first) gets the
query page with the query in its box. It is built on the standard library's
``ThreadingHTTPServer``: the service is local, and a web framework would add a
dependency and nothing else.

Pages of other sites may read its answers to GET (CORS: ``Access-Control-Allow-Origin:
*`` on a loopback server), or only those of the origins named by ``--cors-origin``, which
may also POST; preflight requests (``OPTIONS``) are answered for them.

Guards, since any local program or web page can reach a local port: it binds to
127.0.0.1 unless told otherwise; on loopback it answers only requests addressed to a
loopback name (no DNS rebinding), and a POST only from no origin, its own page or an
origin named by ``--cors-origin`` (no cross-site forms); updates are refused (403); ``SERVICE`` is refused;
each query runs in a worker process that is killed after ``--timeout`` seconds (503);
results are cut at ``--max-rows`` rows or triples (header ``X-Result-Truncated``); the
page at ``/`` loads nothing from elsewhere, builds its table with ``textContent`` and is
served with a Content-Security-Policy that allows only its own inline script and style.
"""
from __future__ import annotations

import argparse
import base64
import functools
import hashlib
import html
import ipaddress
import json
import re
import selectors
import signal
import socket
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from . import __version__

EXIT_OK, EXIT_USAGE = 0, 2
ALLOWED_METHODS = "GET, POST, OPTIONS"
#: request headers a page of another origin may send (beyond the ones always allowed)
CORS_HEADERS = "Accept, Content-Type"
CORS_MAX_AGE = 7200                   # seconds a browser may keep a preflight's answer (Chrome's most)
#: the names a browser on this machine uses for a loopback server (``Host`` without the port)
LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})
IDLE_TIMEOUT = 10.0
MAX_BODY = 1 << 20                    # a query larger than 1 MiB is not a query
PAGE_TEMPLATE = Path(__file__).with_name("data") / "query_page.html"
DEFAULT_QUERIES = Path(__file__).resolve().parents[1] / "queries"
FALLBACK_QUERY = """PREFIX pa: <https://w3id.org/pakg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>

SELECT ?village ?county WHERE {
  ?v a pa:Village ; rdfs:label ?village ; pa:locatedIn+ ?c .
  ?c a pa:County ; rdfs:label ?county .
}
ORDER BY ?county ?village
"""


def add_serve_parser(sub) -> argparse.ArgumentParser:
    from .triplestore import add_source_arguments

    s = sub.add_parser(
        "serve", help="serve a build folder or a store as a read-only SPARQL endpoint (with a query page)",
        description="Serve BUILD (kg.ttl + ontology.ttl, and provenance.ttl with --provenance), or a store made "
                    "by kg load (--store DIR), as a read-only "
                    "SPARQL 1.1 Protocol endpoint at /sparql, with a query page at /. Queries run in worker "
                    "processes and are stopped after --timeout seconds; results are cut at --max-rows.",
        epilog="Example: kg serve --build output --port 8000, then open http://127.0.0.1:8000/")
    add_source_arguments(s, "serve")
    s.add_argument("--host", default="127.0.0.1",
                   help="address to bind (default: 127.0.0.1, this machine only)")
    s.add_argument("--port", "-p", type=int, default=8000, help="port (default: 8000; 0 picks a free one)")
    s.add_argument("--timeout", type=_positive_float, default=30.0,
                   help="seconds a query may run before it is stopped with 503 (default: 30)")
    s.add_argument("--max-rows", type=_positive_int, default=10_000,
                   help="most result rows (or triples) returned; more are cut (default: 10000)")
    s.add_argument("--workers", type=_positive_int, default=2,
                   help="query worker processes, i.e. queries answered at once (default: 2)")
    s.add_argument("--queries", type=Path, default=None,
                   help="folder of example .rq files offered on the page (default: the project's queries/)")
    s.add_argument("--cors-origin", action="append", type=_origin, default=[], metavar="ORIGIN",
                   dest="cors_origins",
                   help="let pages of ORIGIN (https://example.org, or *) read answers and POST queries; repeat "
                        "for more (default: any origin may read answers to GET on a loopback server, none may POST)")
    s.add_argument("--quiet", "-q", action="store_true", help="do not log requests")
    return s


def _origin(text: str) -> str:
    """An origin as browsers send it in ``Origin``: scheme, host and port, nothing more.

    >>> _origin("HTTPS://Example.org/"), _origin("*")
    ('https://example.org', '*')
    """
    if text == "*":
        return text
    url = urlsplit(text.strip().lower())
    if url.scheme not in ("http", "https") or not url.netloc or url.path not in ("", "/") or url.query:
        raise argparse.ArgumentTypeError(f"{text!r} is no origin: give scheme://host[:port], e.g. "
                                         "https://example.org, or *")
    return f"{url.scheme}://{url.netloc}"


def _positive_float(text: str) -> float:
    value = float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError("must be greater than 0")
    return value


def _positive_int(text: str) -> int:
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError("must be greater than 0")
    return value


def load_examples(folder: Path | None) -> list[dict]:
    """The ``.rq`` files of ``folder``: name, title (the first comment line) and text."""
    if folder is None or not folder.is_dir():
        return []
    examples = []
    for path in sorted(folder.glob("*.rq"), key=lambda p: p.stem):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        first = next((ln for ln in text.splitlines() if ln.startswith("#")), "# " + path.stem)
        examples.append({"name": path.stem, "title": first.lstrip("#").strip(), "text": text})
    return examples


def render_page(build_dir: Path, examples: list[dict], query: str | None = None) -> tuple[bytes, str]:
    """The query page, with ``query`` (or the first example) in its box, and the
    Content-Security-Policy that admits only its own script and style."""
    from .sparql import PREFIXES

    template = PAGE_TEMPLATE.read_text(encoding="utf-8")
    data = json.dumps(examples, ensure_ascii=False)
    data = data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    if query is None:
        query = examples[0]["text"] if examples else FALLBACK_QUERY
    fill = {"BUILD": html.escape(str(build_dir)), "PREFIXES": html.escape(", ".join(f"{p}:" for p in sorted(PREFIXES))),
            "QUERY": html.escape(query), "EXAMPLES": data}
    # in one pass, so that a query holding "{{EXAMPLES}}" stays as it was written
    page = re.sub(r"\{\{(BUILD|PREFIXES|QUERY|EXAMPLES)\}\}", lambda m: fill[m[1]], template)

    def digest(body: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode() + "'"

    scripts = " ".join(digest(m) for m in re.findall(r"<script>(.*?)</script>", page, re.DOTALL))
    styles = " ".join(digest(m) for m in re.findall(r"<style>(.*?)</style>", page, re.DOTALL))
    csp = (f"default-src 'none'; script-src {scripts}; style-src {styles}; connect-src 'self'; "
           "img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
    return page.encode("utf-8"), csp


class SparqlHandler(BaseHTTPRequestHandler):
    server_version = f"pakg-sparql/{__version__}"
    protocol_version = "HTTP/1.1"
    server: SparqlServer
    #: seconds a connection may sit idle or dribble its request line and headers: a slow
    #: client gives its pool thread back instead of holding it
    timeout = IDLE_TIMEOUT

    # --- HTTP methods

    def do_GET(self):
        if self._from_elsewhere():
            return
        url = urlsplit(self.path)
        params = parse_qs(url.query, keep_blank_values=True)
        if url.path in ("/", "/index.html") and not (params.keys() & {"query", "update"}):
            return self._page()
        if url.path in ("/", "/sparql"):
            return self._endpoint(params)
        if url.path == "/favicon.ico":
            return self._send(204, b"", "image/x-icon")
        return self._text(404, f"Not found: {url.path}. The SPARQL endpoint is /sparql, the query page /.")

    def do_POST(self):
        if self._from_elsewhere():
            return
        url = urlsplit(self.path)
        if url.path not in ("/", "/sparql"):
            self._discard_body()
            return self._text(404, f"Not found: {url.path}. The SPARQL endpoint is /sparql.")
        params = parse_qs(url.query, keep_blank_values=True)
        media = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        body = self._read_body()
        if body is None:
            return
        if media == "application/sparql-update":
            return self._respond(self._refusal("an application/sparql-update request"))
        if media == "application/x-www-form-urlencoded":
            try:
                form = parse_qs(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
            except UnicodeDecodeError:
                return self._text(400, "The form body is not UTF-8.")
            for key, values in form.items():
                params.setdefault(key, []).extend(values)
        elif media == "application/sparql-query":
            try:
                params["query"] = [body.decode("utf-8")]
            except UnicodeDecodeError:
                return self._text(400, "The query body is not UTF-8.")
        else:
            return self._text(415, "POST a query as application/x-www-form-urlencoded (query=…) or as "
                                   f"application/sparql-query; got {media or 'no Content-Type'}.")
        return self._endpoint(params)

    def do_OPTIONS(self):
        """A CORS preflight: may a page of ``Origin`` send this method and these headers?"""
        if self._from_elsewhere():
            return
        url = urlsplit(self.path)
        if url.path not in ("/", "/sparql", "/index.html"):
            return self._text(404, f"Not found: {url.path}. The SPARQL endpoint is /sparql.")
        origin = self.headers.get("Origin")
        method = (self.headers.get("Access-Control-Request-Method") or "").upper()
        if origin is None or not method:              # not a preflight: what the endpoint allows
            return self._send(204, b"", "text/plain; charset=utf-8", [("Allow", ALLOWED_METHODS)])
        allowed = self.server.allowed_origin(origin, method) if method in ("GET", "POST") else None
        if allowed is None:
            return self._text(403, f"Forbidden: pages of {origin} may not {method} here"
                                   + (f" (start kg serve with --cors-origin {origin} to let them)"
                                      if method == "POST" else "") + ".")
        methods = "GET, POST, OPTIONS" if self.server.allowed_origin(origin, "POST") else "GET, OPTIONS"
        return self._send(204, b"", "text/plain; charset=utf-8", [
            ("Access-Control-Allow-Origin", allowed), ("Access-Control-Allow-Methods", methods),
            ("Access-Control-Allow-Headers", CORS_HEADERS), ("Access-Control-Max-Age", str(CORS_MAX_AGE))])

    def do_PUT(self):
        self._not_allowed()

    do_DELETE = do_PATCH = do_PUT

    # --- the query operation

    def _endpoint(self, params: dict[str, list[str]]):
        from .sparql_protocol import Request
        from .sparql_results import wants_page

        if "update" in params:
            return self._respond(self._refusal("an update= parameter"))
        queries = params.get("query", [])
        formats = tuple(v for key in ("format", "output", "results") for v in params.get(key, []) if v)
        if not formats and wants_page(self.headers.get("Accept")):     # a person following a link
            return self._page(queries[0] if len(queries) == 1 else None)
        if len(queries) != 1 or not queries[0].strip():
            return self._text(400, "Give exactly one query: ?query=SELECT… (GET), a form field query=, or an "
                                   "application/sparql-query body (POST). The query page is at /.")
        if params.get("default-graph-uri") or params.get("named-graph-uri"):
            return self._text(400, "This endpoint answers over its own dataset (the build's or the store's): "
                                   "default-graph-uri and named-graph-uri are not supported.")
        request = Request(queries[0], formats, self.headers.get("Accept"))
        return self._respond(self.server.pool.run(request, self.server.timeout))

    def _refusal(self, how: str):
        from .sparql_protocol import read_only_refusal
        return read_only_refusal(how)

    # --- plumbing

    def _from_elsewhere(self) -> bool:
        """Refuse (403) what another site makes a browser send here, and say so.

        A page on any site can make its visitor's browser POST a form to a local port (the
        answer is hidden from it, the work is not), and a name it controls can be made to
        resolve to 127.0.0.1 (DNS rebinding), after which it may read answers too. So a
        loopback server answers only requests whose ``Host`` is a loopback name, and a POST
        is taken only from no ``Origin`` (curl, SPARQLWrapper), this server's own (the page)
        or an origin named by ``--cors-origin`` (whose pages the user wants to query here).
        """
        host = self.headers.get("Host") or ""
        try:
            name = urlsplit("//" + host).hostname or ""
            origin = urlsplit(self.headers.get("Origin") or "").netloc.lower()
        except ValueError:                              # "[::1" and the like
            name = origin = "?"
        if self.server.loopback and host and not _is_loopback(name):
            why = f"Host {host!r} is not this machine's (a page of another site resolving to it?)"
        elif (self.command == "POST" and "Origin" in self.headers and origin != host.lower()
              and self.server.allowed_origin(self.headers["Origin"], "POST") is None):
            why = (f"a POST from the page of another origin ({self.headers['Origin']!r}) is refused "
                   "(kg serve --cors-origin ORIGIN lets an origin's pages POST)")
        else:
            return False
        self._discard_body()
        self.close_connection = True
        self._text(403, f"Forbidden: {why}.")
        return True

    def _read_body(self) -> bytes | None:
        length = self.headers.get("Content-Length")
        if length is None:
            self.close_connection = True
            self._text(411, "A POST needs a Content-Length.")
            return None
        try:
            n = int(length)
        except ValueError:
            n = -1
        if n < 0 or n > MAX_BODY:
            self.close_connection = True
            self._text(413, f"The request body must be between 0 and {MAX_BODY} bytes.")
            return None
        return self.rfile.read(n)

    def _discard_body(self) -> None:
        try:
            n = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            n = 0
        if 0 < n <= MAX_BODY:
            self.rfile.read(n)
        elif n:
            self.close_connection = True

    def _not_allowed(self):
        self._discard_body()
        self._send(405, b"This endpoint is read-only: use GET or POST with a query.\n",
                   "text/plain; charset=utf-8", [("Allow", ALLOWED_METHODS)])

    def _page(self, query: str | None = None) -> None:
        """The query page; with ``query`` in its box (a link to the endpoint opened in a browser)."""
        page, csp = (self.server.page, self.server.csp) if query is None else self.server.render_page(query)
        self._send(200, page, "text/html; charset=utf-8", [("Content-Security-Policy", csp)])

    def _respond(self, response) -> None:
        self._send(response.status, response.body, response.content_type, list(response.headers))

    def _text(self, status: int, message: str) -> None:
        self._send(status, (message + "\n").encode("utf-8"), "text/plain; charset=utf-8")

    def _send(self, status: int, body: bytes, content_type: str, headers=()) -> None:
        self.close_connection = True          # one request a connection: none sits idle on a thread
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Vary", "Accept, Origin")
        self.send_header("Connection", "close")
        origin = self.headers.get("Origin")
        allowed = self.server.allowed_origin(origin, self.command) if origin and self.command in ("GET", "POST") else None
        if allowed:                                       # the page of another site may read this answer
            from .sparql_protocol import TRUNCATED_HEADER
            headers = [*headers, ("Access-Control-Allow-Origin", allowed),
                       ("Access-Control-Expose-Headers", TRUNCATED_HEADER)]
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):     # the client gave up waiting
            self.close_connection = True

    def log_message(self, format, *args):
        if not self.server.quiet:
            line = format % args
            line = line if len(line) <= 300 else line[:300] + "…"
            sys.stderr.write(f"{self.address_string()} - [{self.log_date_time_string()}] {line}\n")


class SparqlServer(ThreadingHTTPServer):
    """The HTTP server: connections are served by a bounded pool of threads, and bursts
    wait in a real listen backlog instead of being refused (the default backlog is 5).
    ``render_page(query)`` makes the query page; ``cors_origins`` are ``--cors-origin``'s."""
    daemon_threads = True
    request_queue_size = 1024           # the listen backlog
    threads = 64                        # connections served at once; more wait their turn

    def __init__(self, address, pool, render_page, timeout: float, quiet: bool, cors_origins=()):
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self.pool, self.render_page, self.timeout, self.quiet = pool, render_page, timeout, quiet
        self.page, self.csp = render_page(None)
        self.cors_origins = frozenset(cors_origins)
        super().__init__(address, SparqlHandler)
        self.loopback = _is_loopback(self.server_address[0])
        # not self._threads: ThreadingMixIn.server_close joins its own list of that name
        self._handlers = ThreadPoolExecutor(max_workers=self.threads, thread_name_prefix="kg-serve-http")
        self._waiting = selectors.DefaultSelector()      # accepted connections not yet speaking
        self._deadlines: dict[socket.socket, float] = {}
        self._waiting_lock = threading.Lock()
        threading.Thread(target=self._hand_over, name="kg-serve-wait", daemon=True).start()

    def process_request(self, request, client_address):
        """Give the connection a pool thread once it has sent something: a client that
        connects and says nothing holds no thread, and is dropped after IDLE_TIMEOUT."""
        with self._waiting_lock:
            self._deadlines[request] = time.monotonic() + IDLE_TIMEOUT
            self._waiting.register(request, selectors.EVENT_READ, client_address)

    def _hand_over(self) -> None:
        while True:
            try:
                ready = self._waiting.select(timeout=0.5)
            except (OSError, ValueError):        # closed with the server
                return
            now = time.monotonic()
            with self._waiting_lock:
                for key, _ in ready:
                    self._waiting.unregister(key.fileobj)
                    del self._deadlines[key.fileobj]
                    self._handlers.submit(self.process_request_thread, key.fileobj, key.data)
                for sock in [s for s, t in self._deadlines.items() if t < now]:
                    self._waiting.unregister(sock)
                    del self._deadlines[sock]
                    self.shutdown_request(sock)

    def server_close(self):
        super().server_close()
        self._handlers.shutdown(wait=False, cancel_futures=True)
        with self._waiting_lock:
            for sock in list(self._deadlines):
                self.shutdown_request(sock)
            self._deadlines.clear()
            self._waiting.close()

    def allowed_origin(self, origin: str, method: str) -> str | None:
        """The ``Access-Control-Allow-Origin`` that lets pages of ``origin`` read the answer
        to ``method``, or None. Origins named by ``--cors-origin`` may GET and POST (``*``:
        any); with none named, a loopback server lets any page read answers to GET (the
        graph is public news; the Host check still keeps rebound names out).

        >>> server = SparqlServer.__new__(SparqlServer)
        >>> server.loopback, server.cors_origins = True, frozenset()
        >>> server.allowed_origin("https://example.org", "GET"), server.allowed_origin("https://example.org", "POST")
        ('*', None)
        >>> server.cors_origins = frozenset({"https://example.org"})
        >>> server.allowed_origin("https://EXAMPLE.org", "POST"), server.allowed_origin("https://other.org", "GET")
        ('https://EXAMPLE.org', None)
        """
        if origin.lower() in self.cors_origins:
            return origin
        if "*" in self.cors_origins or (method == "GET" and self.loopback and not self.cors_origins):
            return "*"
        return None

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def _is_loopback(host: str) -> bool:
    """Whether ``host`` (an address the server is bound to) is this machine's only.

    >>> _is_loopback("127.0.0.1"), _is_loopback("::1"), _is_loopback("0.0.0.0")
    (True, True, False)
    """
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host in LOOPBACK_NAMES


def cmd_serve(args) -> int:
    from rich.console import Console
    from rich.markup import escape

    from .query_workers import WorkerPool, WorkerStartError
    from .sparql import BuildError
    from .triplestore import StoreError, source_of

    err = Console(stderr=True, highlight=False)

    def fail(message: str) -> int:
        err.print(f"[red]error:[/] {escape(message)}", soft_wrap=True)
        return EXIT_USAGE

    source = source_of(args)
    try:
        triples = len(source.open())                   # fail early, in one line
    except (BuildError, StoreError) as e:
        return fail(f"{source.kind} {e}")
    page = functools.partial(render_page, source.path, load_examples(args.queries or DEFAULT_QUERIES))
    try:
        server = SparqlServer((args.host, args.port), None, page, args.timeout, args.quiet, args.cors_origins)
    except OSError as e:
        return fail(f"cannot listen on {args.host}:{args.port}: {e.strerror or e}")
    pool = None
    previous = _stop_on_sigterm()
    try:
        pool = WorkerPool(source, size=args.workers, max_rows=args.max_rows)
        server.pool = pool
        print(f"kg serve: {triples} triples from {source.kind} {source.path}"
              f"{' (with provenance)' if args.provenance else ''}\n"
              f"  query page      {server.url}\n"
              f"  SPARQL endpoint {server.url}sparql\n"
              f"  read-only; timeout {args.timeout:g} s, at most {args.max_rows} rows, {args.workers} workers."
              " Ctrl-C stops.", flush=True)
        if args.host not in ("127.0.0.1", "localhost", "::1"):
            err.print(f"[yellow]warning:[/] listening on {escape(args.host)}: other machines can query this "
                      "endpoint", soft_wrap=True)
        server.serve_forever(poll_interval=0.2)
    except WorkerStartError as e:
        return fail(f"cannot start the query workers: {e}")
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        if pool is not None:
            pool.close()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    return EXIT_OK


def _stop_on_sigterm():
    """SIGTERM stops the server like Ctrl-C does, so the workers are shut down with it."""
    def stop(signum, frame):
        raise KeyboardInterrupt
    try:
        return signal.signal(signal.SIGTERM, stop)
    except ValueError:                      # not the main thread (embedded use): leave signals alone
        return None
