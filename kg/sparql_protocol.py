"""One SPARQL Protocol query operation answered against a loaded build or an opened store, minus the HTTP.

``kg serve`` decodes the HTTP request into a :class:`Request`, hands it to a worker
process (which can be killed when the time limit passes) and the worker calls
:func:`answer`; what comes back is a :class:`Response` the handler writes out as is.
Keeping this free of sockets and processes lets it be read, and checked, on its own.

The service is read-only: an update is refused with 403 whichever way it arrives (an
``update=`` parameter, an ``application/sparql-update`` body, or update text sent as a
query), and ``SERVICE`` is refused because it would make the server fetch other URLs.

>>> from kg.sparql import load_build                                  # doctest: +SKIP
>>> answer(load_build("output"), Request("ASK { ?v a pa:Village }"), 100).body   # doctest: +SKIP
b'{"head":{},"boolean":true}'
"""
from __future__ import annotations

from dataclasses import dataclass

from .sparql import QuerySyntaxError, QueryTooDeep, RemoteAccessRefused, run_query, update_operation
from .sparql_results import BOOLEAN, GRAPH, formats_for, kind_of, negotiate, serialize

TEXT = "text/plain; charset=utf-8"
TRUNCATED_HEADER = "X-Result-Truncated"


@dataclass(frozen=True)
class Request:
    query: str
    formats: tuple[str, ...] = ()        # values of the format= / output= / results= parameters
    accept: str | None = None            # the Accept header


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes
    content_type: str = TEXT
    headers: tuple[tuple[str, str], ...] = ()


def error(status: int, message: str) -> Response:
    return Response(status, (message.rstrip() + "\n").encode("utf-8"))


def read_only_refusal(how: str) -> Response:
    return error(403, f"This SPARQL endpoint is read-only: SPARQL Update is refused ({how}). "
                      "Send queries (SELECT, ASK, CONSTRUCT, DESCRIBE) only.")


def answer(build, request: Request, max_rows: int | None) -> Response:
    """Run ``request`` against ``build`` and serialize the result in the negotiated format."""
    op = update_operation(request.query)
    if op:
        return read_only_refusal(f"the request holds a {op} operation")
    try:
        result = run_query(build, request.query)
    except RemoteAccessRefused as e:
        return error(400, f"SERVICE (federated query) is refused by this endpoint: {e}.")
    except QueryTooDeep as e:
        return error(400, f"The query is refused: {e}.")
    except QuerySyntaxError as e:
        where = f" at line {e.line}, column {e.column}" if e.line else ""
        excerpt = e.excerpt()
        return error(400, f"Syntax error in the query{where}: {e.message}" + (f"\n\n{excerpt}" if excerpt else ""))
    except OSError as e:
        return error(500, f"The query failed: {e}")
    kind = kind_of(result)
    fmt = negotiate(kind, list(request.formats), request.accept)
    if fmt is None:
        asked = ", ".join(request.formats) if request.formats else f"Accept: {request.accept}"
        what = {GRAPH: "a CONSTRUCT/DESCRIBE", BOOLEAN: "an ASK"}.get(kind, "a SELECT")
        offered = ", ".join(f"{f.name} ({f.media_type})" for f in formats_for(kind))
        return error(406, f"Cannot answer {what} query in the format asked for ({asked}). Available: {offered}.")
    body, truncated = serialize(result, fmt, max_rows, store=build.store)
    headers = ((TRUNCATED_HEADER, f"true; max-rows={max_rows}"),) if truncated else ()
    return Response(200, body, fmt.content_type, headers)
