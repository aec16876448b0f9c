"""SPARQL over a build folder, with pyoxigraph as the engine.

``kg query`` and ``kg serve`` both load a build (``kg.ttl`` and ``ontology.ttl``, and
``provenance.ttl`` on request) into an in-memory pyoxigraph store: a compiled engine (the
one the test suite already used as an independent parser) that streams SELECT solutions
lazily, so a result can be cut at a row limit without computing it whole.

The ontology is loaded with the data so that queries can follow ``rdfs:subClassOf``
(``?c a/rdfs:subClassOf* pa:County``) and read the labels of indicators and program kinds.
The project's prefixes (``pa:``, ``pad:``, ``rdfs:``, ``org:`` …) are predeclared; a
query may still declare its own, and the files in ``queries/`` do, so any engine runs them.

>>> store = load_build("output")                                  # doctest: +SKIP
>>> result = run_query(store, "ASK { ?v a pa:Village }")          # doctest: +SKIP
>>> bool(result)                                                  # doctest: +SKIP
True
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .namespaces import IRI_KINDS  # noqa: F401  (the kinds of IRI, each a prefix of PREFIXES)
from .namespaces import PREFIXES as _RDFLIB_PREFIXES

#: prefixes every query may use without declaring them
PREFIXES: dict[str, str] = {name: str(ns) for name, ns in _RDFLIB_PREFIXES.items()}
PREFIXES["itsrdf"] = "http://www.w3.org/2005/11/its/rdf#"

BUILD_FILES = ("kg.ttl", "ontology.ttl")
PROVENANCE_FILE = "provenance.ttl"

#: SPARQL Update operations; a read-only service names them when it refuses one
UPDATE_KEYWORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")


class BuildError(Exception):
    """The build folder is missing a file or a file does not parse."""


class QuerySyntaxError(Exception):
    """The query does not parse; ``line`` and ``column`` (1-based) say where, when known."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None, text: str = ""):
        super().__init__(message)
        self.message, self.line, self.column, self.text = message, line, column, text

    def excerpt(self) -> str:
        """The offending line with a caret under the column, for terminals and error pages."""
        if self.line is None:
            return ""
        lines = self.text.splitlines() or [""]
        if not 1 <= self.line <= len(lines):
            return ""
        src = lines[self.line - 1]
        col = min(max((self.column or 1) - 1, 0), len(src))
        gutter = f"{self.line} | "
        return f"{gutter}{src}\n{' ' * (len(gutter) - 2)}| {' ' * _display_width(src[:col])}^"


@dataclass(frozen=True)
class LoadedBuild:
    store: ox.Store
    files: tuple[Path, ...]

    def __len__(self) -> int:
        return len(self.store)


def load_build(build_dir: Path | str, provenance: bool = False) -> LoadedBuild:
    """Load a build folder into a fresh in-memory store (all files into the default graph).

    Raises :class:`BuildError` naming the file when one is missing or is not valid Turtle.
    """
    build_dir = Path(build_dir)
    if not build_dir.is_dir():
        raise BuildError(f"{build_dir} does not exist or is not a folder")
    names = BUILD_FILES + ((PROVENANCE_FILE,) if provenance else ())
    store = ox.Store()
    loaded = []
    for name in names:
        path = build_dir / name
        if not path.is_file():
            hint = " (run kg build first)" if name == "kg.ttl" else (
                " (a build made before provenance was written? rebuild it)" if name == PROVENANCE_FILE else "")
            raise BuildError(f"{path} does not exist: not a complete build folder{hint}")
        try:
            store.load(path=str(path), format=ox.RdfFormat.TURTLE)
        except (SyntaxError, ValueError, OSError) as err:
            raise BuildError(f"{path}: {err}") from None
        loaded.append(path)
    return LoadedBuild(store, tuple(loaded))


def run_query(build: LoadedBuild | ox.Store, text: str):
    """Evaluate ``text``: a ``QuerySolutions`` (SELECT), ``QueryBoolean`` (ASK) or ``QueryTriples``.

    SELECT solutions are computed lazily as they are iterated. Raises
    :class:`QuerySyntaxError` when the text does not parse (an update included) and
    :class:`RemoteAccessRefused` when it calls ``SERVICE`` and :class:`QueryTooDeep` when
    it nests groups deeper than the parser can take.
    """
    store = build.store if isinstance(build, LoadedBuild) else build
    refuse_remote_access(text)
    if nesting(text) > MAX_NESTING:
        raise QueryTooDeep(f"the query nests groups more than {MAX_NESTING} deep")
    try:
        return store.query(text, prefixes=PREFIXES)
    except SyntaxError as err:
        raise syntax_error(text, str(err)) from None


def syntax_error(text: str, message: str) -> QuerySyntaxError:
    """Turn pyoxigraph's parser message into a readable one, with its position."""
    m = re.match(r"error at (\d+):(\d+): (.*)", message, re.DOTALL)
    line, column, detail = (int(m[1]), int(m[2]), m[3]) if m else (None, None, message)
    if update_operation(text):
        detail = (f"this is a SPARQL Update ({update_operation(text)}), not a query; "
                  "the graph is read-only here")
    elif "Prefix not found" in detail or undeclared_prefixes(text):
        names = undeclared_prefixes(text) or [_prefix_before(text, line, column)]
        known = ", ".join(sorted(PREFIXES))
        named = " ".join(f"{p}:" for p in names if p is not None)
        detail = (f"undeclared prefix {named} (declare it with PREFIX; predeclared: {known})").replace("  ", " ")
    else:
        detail = re.sub(r"\s+", " ", detail).strip()
        if len(detail) > 300:
            detail = detail[:300] + " …"
    return QuerySyntaxError(detail, line, column, text)


def update_operation(text: str) -> str | None:
    """The update keyword ``text`` starts with (after its prologue), or None for a query.

    >>> update_operation("PREFIX pa: <https://w3id.org/pakg/ontology#> INSERT DATA { }")
    'INSERT'
    >>> update_operation("# drop?\\nSELECT * { ?s ?p ?o }") is None
    True
    """
    body = _strip_prologue(_strip_comments(_unescape(text)))
    m = re.match(r"([A-Za-z]+)\b", body)
    word = m[1].upper() if m else ""
    return word if word in UPDATE_KEYWORDS else None


class RemoteAccessRefused(Exception):
    """The query would make the engine reach the network (``SERVICE``, or ``FROM`` for rdflib)."""


def refuse_remote_access(text: str, also: tuple[str, ...] = ()) -> None:
    r'''Raise :class:`RemoteAccessRefused` if ``text`` holds ``SERVICE`` (or a keyword of ``also``).

    Every query that ``kg query``, ``kg serve`` and ``kg viz`` run passes through here
    first: pyoxigraph and rdflib both answer ``SERVICE <url>`` by fetching the URL, and
    neither can be told not to, so the query is refused before it reaches them. The
    decision is taken on the query's tokens (:func:`keywords`), so a ``SERVICE`` behind a
    string holding a quote and a ``#``, or spelt with an escape, is seen all the same.

    >>> refuse_remote_access('SELECT ?service { ?service ex:service "SERVICE" } # SERVICE')
    >>> refuse_remote_access('SELECT * { BIND("""a"b#""" AS ?x) SERVICE <http://127.0.0.1:9/> { } }')
    Traceback (most recent call last):
    ...
    kg.sparql.RemoteAccessRefused: SERVICE is disabled: it would make pakg fetch other URLs; a query here reads the build only
    '''
    found = keywords(text) & {"SERVICE", *also}
    if found:
        raise RemoteAccessRefused(f"{' and '.join(sorted(found))} is disabled: it would make pakg fetch "
                                  "other URLs; a query here reads the build only")


#: SPARQL's terminals, tried in this order at each position, as the grammar's lexer does:
#: what is not code (space, comments, strings in their four quotings, IRIs) is told apart
#: from what is (variables, prefixed names, bare words: keywords and function names)
_TOKENS = re.compile(r"""
    (?P<space>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<string>"{3}(?:(?:"|"")?(?:[^"\\]|\\.))*"{3}
             | '{3}(?:(?:'|'')?(?:[^'\\]|\\.))*'{3}
             | "(?:[^"\\\n\r]|\\.)*"
             | '(?:[^'\\\n\r]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$]\w+)
  | (?P<prefixed>(?:[^\W\d][\w.-]*)?:(?:[\w.%:-]|\\.)*)
  | (?P<word>[^\W\d](?:[\w.-]*\w)?)
  | (?P<other>.)
""", re.VERBOSE | re.DOTALL)


#: groups nested deeper than this are refused before the engine parses them (a query
#: nested thousands deep overflows the parser's stack and takes its process down)
MAX_NESTING = 100


class QueryTooDeep(Exception):
    """The query nests groups deeper than :data:`MAX_NESTING`."""


def nesting(text: str) -> int:
    """How deep the query's groups (``{}``, ``()``, ``[]``) nest, outside strings, IRIs
    and comments.

    >>> nesting('SELECT * { ?s ?p "{{{{" . { ?s ?p ?o FILTER(?o > (1)) } }')
    4
    """
    depth = deepest = 0
    for m in _TOKENS.finditer(text):
        if m.lastgroup == "other":
            c = m.group()
            if c in "{([":
                depth += 1
                deepest = max(deepest, depth)
            elif c in "})]":
                depth = max(depth - 1, 0)
    return deepest


def keywords(text: str) -> set[str]:
    r"""The bare words of ``text``, upper-cased: its keywords and function names, not what
    strings, IRIs, comments, variables or prefixed names hold.

    SPARQL resolves ``\uXXXX`` escapes before parsing, and an engine might not, so the
    words of both readings are returned: a keyword hidden in one shows in the other.

    >>> sorted(keywords('SELECT ?x { ?x ex:p "FILTER" } # LIMIT'))
    ['SELECT']
    >>> "SERVICE" in keywords(r"SELECT * { SERVIC\u0045 <x> { } }")
    True
    """
    return {m["word"].upper() for reading in {text, _unescape(text)}
            for m in _TOKENS.finditer(reading) if m.lastgroup == "word"}


def undeclared_prefixes(text: str) -> list[str]:
    """Prefixes used in ``text`` that neither its prologue nor :data:`PREFIXES` declares.

    >>> undeclared_prefixes("PREFIX ex: <http://example.org/> SELECT * { ?s ex:p ?o ; 乡:q pa:r }")
    ['乡']
    """
    code = _strip_literals(_strip_comments(text))
    declared = set(PREFIXES) | {m[1] for m in re.finditer(r"PREFIX\s+([^\s:]*):", code, re.IGNORECASE)}
    used = re.findall(r"(?<![\w?$:.\-\\])([^\W\d_][\w.-]*)?:", code)
    seen: list[str] = []
    for name in used:
        if name not in declared and name not in seen and name.upper() != "PREFIX":
            seen.append(name)
    return seen


def _strip_literals(code: str) -> str:
    """Blank out strings and IRIs, where a colon means nothing."""
    return re.sub(r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
                  r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>', " ", code)


def _unescape(text: str) -> str:
    """Resolve ``\\uXXXX`` escapes, which SPARQL allows anywhere, before looking for keywords."""
    return re.sub(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})", lambda m: chr(int(m[1] or m[2], 16)), text)


def _strip_comments(text: str) -> str:
    """Drop ``#`` comments, leaving ``#`` inside IRIs and strings alone."""
    out = []
    for line in text.splitlines():
        cut, in_iri, quote = None, False, ""
        for i, ch in enumerate(line):
            if quote:
                if ch == quote and line[i - 1] != "\\":
                    quote = ""
            elif in_iri:
                in_iri = ch != ">"
            elif ch in "\"'":
                quote = ch
            elif ch == "<" and re.match(r"<[^<>\"{}|^`\\\s]*>", line[i:]):
                in_iri = True
            elif ch == "#":
                cut = i
                break
        out.append(line if cut is None else line[:cut])
    return "\n".join(out)


def _strip_prologue(text: str) -> str:
    prologue = re.compile(r"\s*(?:PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s*<[^>]*>)", re.IGNORECASE)
    while m := prologue.match(text):
        text = text[m.end():]
    return text.lstrip()


def _prefix_before(text: str, line: int | None, column: int | None) -> str | None:
    if line is None:
        return None
    lines = text.splitlines()
    if not 1 <= line <= len(lines):
        return None
    m = re.search(r"([A-Za-z][\w.-]*)?:[\w.-]*$", lines[line - 1][:max((column or 1) - 1, 0)])
    return (m[1] or "") if m else None


def _display_width(s: str) -> int:
    """Terminal columns of ``s``: CJK characters take two, so the caret lands under the error."""
    import unicodedata
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
