"""What the SHACL shapes (``ontology/shapes.ttl``) read of a graph: which properties, and of
which of them only how many values there are and of what classes.

:mod:`kg.validate` leaves out, or stands in for, what cannot change the shapes' answer
(a mention's ``pa:foundBy``, the thousand articles a county is ``pa:mentionedIn``).  What
that is is read off the shapes here, not listed by hand, so that a shape that reads more
turns the shortcut off rather than being fooled by it.
"""
from __future__ import annotations

from functools import lru_cache

from .ontology import ONTOLOGY_DIR, ONTOLOGY_FILE, read_turtle

SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
_SH = "http://www.w3.org/ns/shacl#"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#: Shape properties whose object names a property whose values the check reads.
_NAMING = {_SH + name for name in ("path", "targetSubjectsOf", "targetObjectsOf", "equals", "disjoint",
                                   "lessThan", "lessThanOrEquals")}


@lru_cache(maxsize=1)
def looked_at() -> frozenset[str] | None:
    """The properties (N-Triples terms) whose triples can change what the shapes report:
    those they name, ``rdf:type`` and ``rdfs:subClassOf`` (targets and ``sh:class``); or
    None when any triple might (a property path that is not one property, a closed shape,
    a SPARQL constraint).

    An observation's ``pa:unit`` or a mention's ``pa:foundBy`` is in no shape; leaving
    such lines out makes a 10 MB corpus's check read a tenth fewer triples.

    >>> sorted(looked_at())[:2]
    ['<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>', '<http://www.w3.org/2000/01/rdf-schema#label>']
    """
    import pyoxigraph as ox

    out = {RDF_TYPE, "<http://www.w3.org/2000/01/rdf-schema#subClassOf>"}
    for t in read_turtle(SHAPES_FILE):
        p = t.predicate.value
        if p in _NAMING:
            if not isinstance(t.object, ox.NamedNode):
                return None
            out.add(f"<{t.object.value}>")
        elif p in (_SH + "closed", _SH + "sparql", _SH + "select", _SH + "ask"):
            return None
    return frozenset(out)


#: What a shape may ask of a property's values for a stand-in of the same types to get the
#: same answers: their classes, their number, and what any IRI fails alike (a datatype, a language).
_VALUE_BLIND = {_SH + name for name in ("path", "class", "minCount", "maxCount", "datatype", "languageIn", "or",
                                        "and", "xone", "not", "message", "severity", "name", "description",
                                        "order", "group")} | {_RDF + "first", _RDF + "rest", _RDF + "type"}


@lru_cache(maxsize=1)
def blind_to_values() -> frozenset[str]:
    """The properties (N-Triples terms) whose node values the shapes tell apart by their
    classes and number only: every property shape with that ``sh:path``, with the shapes
    and lists nested in it, uses nothing but :data:`_VALUE_BLIND`.  Empty when a shape
    targets the objects of a property (a stand-in would take the value's place as focus).

    ``rdfs:label`` is not among them (``sh:minLength`` reads a value's text, an IRI's too).

    >>> "<https://w3id.org/pakg/ontology#mentionedIn>" in blind_to_values()
    True
    """
    import pyoxigraph as ox

    if looked_at() is None:
        return frozenset()
    shapes = read_turtle(SHAPES_FILE)
    if any(t.predicate.value == _SH + "targetObjectsOf" for t in shapes):
        return frozenset()
    described: dict[object, list] = {}
    for t in shapes:
        described.setdefault(t.subject, []).append(t)

    def blind(node, seen=()) -> bool:
        return all(t.predicate.value in _VALUE_BLIND and (not isinstance(t.object, ox.BlankNode) or t.object in seen
                                                           or blind(t.object, (*seen, t.object)))
                   for t in described.get(node, ()))

    paths: dict[str, bool] = {}
    for t in shapes:
        if t.predicate.value == _SH + "path":
            key = f"<{t.object.value}>"
            paths[key] = paths.get(key, True) and blind(t.subject, (t.subject,))
    return frozenset(p for p, ok in paths.items() if ok)


@lru_cache(maxsize=1)
def ontology_terms() -> frozenset[str]:
    """The nodes (N-Triples terms) the ontology says something of."""
    return frozenset(str(t.subject) for t in read_turtle(ONTOLOGY_FILE))
