"""rdflib's read API over the build's own N-Triples lines, held in plain dicts.

The build's page (:func:`kg.pipeline._page`) draws its part of the graph -- some
70,000 lines at 10 MB -- through :func:`kg.viz.to_networkx`, which reads with rdflib's
small read API (``objects``, ``subject_objects``, ``predicate_objects`` …).  Loading the
lines into pyoxigraph (as ``tests/oxigraph_view.py`` does, the tests' reference) and turning every answer back into
rdflib terms costs more than the rest of the read, mostly in crossing from Rust to
Python once per term per answer.  The lines :mod:`kg.ntriples` writes have one form,
``S P O .`` with single spaces (an IRI or blank node has no space; only the object,
last, may), so splitting them is parsing them; each distinct term becomes an rdflib
term once, when a read first returns it.

>>> g = LineIndex.from_lines(['<http://x/v> <http://www.w3.org/2000/01/rdf-schema#label> "胡\\\\"村\\\\""@zh .'])
>>> from rdflib import RDFS, URIRef
>>> g.value(URIRef("http://x/v"), RDFS.label), len(g)
(rdflib.term.Literal('胡"村"', lang='zh'), 1)
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

from rdflib import BNode, Literal, URIRef

_ESCAPED = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|([tbnrf\"'\\]))")
_ECHAR = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


class LineIndex:
    """The triples of N-Triples lines, by predicate (and, once asked for, by subject).

    It holds the lines' own text (plain strings hash and compare fastest), each
    predicate's subjects and objects in two lists -- no container per triple, so that
    indexing a few hundred thousand lines takes a fraction of a second -- and makes an
    rdflib term of a text only when a read returns it.  Objects keep the order of the lines.
    """

    def __init__(self) -> None:
        self._pairs: dict[str, tuple[list[str], list[str]]] = {}   # p -> (subjects, objects)
        self._by_subject: dict[str, dict[str, list[str]]] | None = None    # s -> p -> objects
        self._terms = _Terms()
        self._len = 0

    @classmethod
    def from_lines(cls, lines: Iterable[str]) -> LineIndex:
        """Index ``lines`` (as :mod:`kg.ntriples` writes them; raises ``ValueError`` naming
        a line that is not of that form)."""
        view = cls()
        pairs = view._pairs
        seen: set[str] = set()
        for line in lines:
            if line in seen:
                continue
            seen.add(line)
            parts = line.split(" ", 2)
            if len(parts) != 3 or not parts[2].endswith(" ."):
                raise ValueError(f"not an N-Triples line of kg.ntriples: {line!r}")
            s, p, o = parts[0], parts[1], parts[2][:-2]
            if "\\" in line:      # escapes: an IRI is looked up by its plain text
                s, p, o = (_key(_term(x, line)) or x for x in (s, p, o))
            found = pairs.get(p)
            if found is None:
                found = pairs[p] = ([], [])
            found[0].append(s)
            found[1].append(o)
        view._len = len(seen)
        return view

    # --- the rdflib API -------------------------------------------------------------
    def triples(self, pattern: tuple[Any, Any, Any]) -> Iterator[tuple[Any, Any, Any]]:
        s, p, o = (None if x is None else _key(x) for x in pattern)
        if (pattern[0] is not None and s is None) or (pattern[1] is not None and p is None):
            return                                       # a literal as subject or predicate
        literal = pattern[2] if o is None else None      # objects that are literals compare as terms
        term = self._terms.__getitem__
        for subj, pred, obj in self._texts(s, p):
            if literal is None and (o is None or obj == o) or literal is not None and term(obj) == literal:
                yield term(subj), term(pred), term(obj)

    # the reads the explorer makes in bulk, without the general pattern match
    def objects(self, subject: Any = None, predicate: Any = None) -> Iterator[Any]:
        if subject is None or predicate is None or isinstance(subject, Literal):
            return (o for _, _, o in self.triples((subject, predicate, None)))
        found = self._subject_index().get(_key(subject), {}).get(_key(predicate), ())
        return map(self._terms.__getitem__, found)

    def subjects(self, predicate: Any = None, object: Any = None) -> Iterator[Any]:
        if predicate is None or isinstance(object, Literal):
            return (s for s, _, _ in self.triples((None, predicate, object)))
        subjects, objects = self._pairs.get(_key(predicate), ((), ()))
        if object is not None:
            o = _key(object)
            subjects = [s for s, x in zip(subjects, objects) if x == o]
        return map(self._terms.__getitem__, subjects)

    def subject_objects(self, predicate: Any = None) -> Iterator[tuple[Any, Any]]:
        if predicate is None:
            return ((s, o) for s, _, o in self.triples((None, predicate, None)))
        subjects, objects = self._pairs.get(_key(predicate), ((), ()))
        term = self._terms.__getitem__
        return zip(map(term, subjects), map(term, objects))

    def predicate_objects(self, subject: Any = None) -> Iterator[tuple[Any, Any]]:
        if subject is None or isinstance(subject, Literal):
            return ((p, o) for _, p, o in self.triples((subject, None, None)))
        term = self._terms.__getitem__
        return ((term(p), term(o)) for p, objects in self._subject_index().get(_key(subject), {}).items()
                for o in objects)

    def value(self, subject: Any = None, predicate: Any = None, object: Any = None) -> Any:
        found = next(self.triples((subject, predicate, object)), None)
        return None if found is None else found[2] if object is None else found[0]

    def __contains__(self, pattern: tuple[Any, Any, Any]) -> bool:
        return next(self.triples(pattern), None) is not None

    def __len__(self) -> int:
        return self._len

    def _texts(self, s: str | None, p: str | None) -> Iterator[tuple[str, str, str]]:
        """(s, p, o) texts of the lines with subject ``s`` and predicate ``p`` (None: any)."""
        if s is None:
            for pred in self._pairs if p is None else (p,) if p in self._pairs else ():
                subjects, objects = self._pairs[pred]
                for subj, obj in zip(subjects, objects):
                    yield subj, pred, obj
            return
        by_predicate = self._subject_index().get(s, {})
        for pred in by_predicate if p is None else (p,) if p in by_predicate else ():
            for obj in by_predicate[pred]:
                yield s, pred, obj

    def _subject_index(self) -> dict[str, dict[str, list[str]]]:
        """s -> p -> objects, made on the first read that names a subject."""
        if self._by_subject is None:
            self._by_subject = {}
            for p, (subjects, objects) in self._pairs.items():
                for s, o in zip(subjects, objects):
                    self._by_subject.setdefault(s, {}).setdefault(p, []).append(o)
        return self._by_subject


class _Terms(dict):
    """text -> rdflib term, each made on first use."""

    def __missing__(self, text: str) -> Any:
        made = self[text] = _term(text, text)
        return made


def _key(term: Any) -> str | None:
    """How the lines write an IRI or blank node (None for a literal: compared as a term)."""
    if isinstance(term, Literal):
        return None
    if isinstance(term, BNode):
        return f"_:{term}"
    return f"<{term}>"


def _term(token: str, line: str) -> Any:
    """The rdflib term of an N-Triples term (as rdflib's N-Triples parser gives it).

    >>> _term('"18.3"^^<http://www.w3.org/2001/XMLSchema#decimal>', "").toPython()
    Decimal('18.3')
    """
    first = token[:1]
    if first == "<" and token.endswith(">"):
        return URIRef(_unescape(token[1:-1]))
    if first == '"':
        end = token.rfind('"')
        body, rest = _unescape(token[1:end]), token[end + 1:]
        if end > 0 and not rest:
            return Literal(body)
        if rest.startswith("@") and len(rest) > 1:
            return Literal(body, lang=rest[1:])
        if rest.startswith("^^<") and rest.endswith(">"):
            dt = _unescape(rest[3:-1])
            return Literal(body, datatype=_datatype(dt))
    if token.startswith("_:") and len(token) > 2:
        return BNode(token[2:])
    raise ValueError(f"not an N-Triples term: {token!r} in {line!r}")


@lru_cache(maxsize=256)
def _datatype(iri: str) -> URIRef:
    return URIRef(iri)


def _unescape(text: str) -> str:
    r"""N-Triples' string escapes (``\"``, ``\n``, ``\u00E9`` …) undone.

    >>> _unescape(r'say \"hi\"\n\u00E9\U0001F600')
    'say "hi"\né😀'
    """
    if "\\" not in text:
        return text
    return _ESCAPED.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)) if m.group(3) is None
                        else _ECHAR[m.group(3)], text)
