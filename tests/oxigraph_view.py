"""A read-only rdflib-style view of a pyoxigraph store: the tests' reference for
:class:`kg.lineindex.LineIndex`, which answers the same read API from the build's lines.

The explorer (:mod:`kg.viz.model`) reads a graph through rdflib's small read API
(``objects``, ``value``, ``subject_objects`` …).  :class:`StoreView` answers it from a
pyoxigraph ``Store`` (a real RDF store with its own parser) and hands back rdflib terms.

>>> view = StoreView.from_lines(['<http://x/v> <http://www.w3.org/2000/01/rdf-schema#label> "胡家坪村"@zh .'])
>>> from rdflib import RDFS, URIRef
>>> view.value(URIRef("http://x/v"), RDFS.label), len(view)
(rdflib.term.Literal('胡家坪村', lang='zh'), 1)
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef

from kg.ntriples import to_bytes

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


class StoreView:
    """rdflib's read-only ``Graph`` methods over the default graph of a pyoxigraph ``Store``."""

    def __init__(self, store: ox.Store | None = None):
        self.store = store if store is not None else ox.Store()
        self._terms: dict[Any, Any] = {}

    @classmethod
    def from_lines(cls, lines: Iterable[str]) -> StoreView:
        view = cls()
        data = to_bytes(lines)
        if data:
            view.store.bulk_load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())
        return view

    def load(self, path: Path, format: ox.RdfFormat = ox.RdfFormat.TURTLE) -> StoreView:
        """Add a file's triples (raises ``SyntaxError`` naming the line when it does not parse)."""
        self.store.bulk_load(path=str(path), format=format, to_graph=ox.DefaultGraph())
        return self

    # --- the rdflib API -------------------------------------------------------------
    def triples(self, pattern: tuple[Any, Any, Any]) -> Iterator[tuple[Any, Any, Any]]:
        s, p, o = (None if t is None else _to_ox(t) for t in pattern)
        for q in self.store.quads_for_pattern(s, p, o, ox.DefaultGraph()):
            yield self._term(q.subject), self._term(q.predicate), self._term(q.object)

    def objects(self, subject: Any = None, predicate: Any = None) -> Iterator[Any]:
        return (o for _, _, o in self.triples((subject, predicate, None)))

    def subjects(self, predicate: Any = None, object: Any = None) -> Iterator[Any]:
        return (s for s, _, _ in self.triples((None, predicate, object)))

    def subject_objects(self, predicate: Any = None) -> Iterator[tuple[Any, Any]]:
        return ((s, o) for s, _, o in self.triples((None, predicate, None)))

    def predicate_objects(self, subject: Any = None) -> Iterator[tuple[Any, Any]]:
        return ((p, o) for _, p, o in self.triples((subject, None, None)))

    def value(self, subject: Any = None, predicate: Any = None, object: Any = None) -> Any:
        found = (o for _, _, o in self.triples((subject, predicate, object))) if object is None else \
            (s for s, _, _ in self.triples((subject, predicate, object)))
        return next(found, None)

    def __contains__(self, pattern: tuple[Any, Any, Any]) -> bool:
        return next(self.triples(pattern), None) is not None

    def __len__(self) -> int:
        return len(self.store)

    def _term(self, t: Any) -> Any:
        """The rdflib term of a pyoxigraph term (memoised: the same IRIs come back often)."""
        try:
            return self._terms[t]
        except KeyError:
            pass
        if isinstance(t, ox.NamedNode):
            term: Any = URIRef(t.value)
        elif isinstance(t, ox.BlankNode):
            term = BNode(t.value)
        elif t.language:
            term = Literal(t.value, lang=t.language)
        else:
            dt = t.datatype.value
            term = Literal(t.value, datatype=None if dt in (_XSD_STRING, _LANG_STRING) else URIRef(dt))
        if len(self._terms) < 1_000_000:
            self._terms[t] = term
        return term


def _to_ox(t: Any) -> Any:
    if isinstance(t, URIRef):
        return ox.NamedNode(str(t))
    if isinstance(t, BNode):
        return ox.BlankNode(str(t))
    if isinstance(t, Literal):
        if t.language:
            return ox.Literal(str(t), language=t.language)
        return ox.Literal(str(t), datatype=ox.NamedNode(str(t.datatype))) if t.datatype else ox.Literal(str(t))
    return ox.NamedNode(str(t))
