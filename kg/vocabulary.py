"""The actor vocabulary, read from the ontology: one list of entity classes and relations.

Extraction, evaluation, the exports, ``kg stats`` and the explorer all need to know which
classes and relations there are, in what order to list them and how to draw them. The
ontology declares them once (``ontology/pakg.ttl``, section 14): an entity class or an
actor relation is a ``pa:`` class or object property with a ``pa:listOrder``, drawn with
its ``pa:colour`` (and a class with its ``pa:shape``, ``pa:size``, ``pa:legendLabel`` and the
``pa:iriPath`` of its instances' IRIs);
a relation the annotation guide annotates, and ``kg eval`` scores, is ``pa:annotated``.
Adding a class or a relation is a few lines of Turtle; every tool picks it up from here.

>>> ENTITY_TYPES[:3], PLACE_TYPES[-1], ORG_TYPES
(('Province', 'Prefecture', 'County'), 'Village', ('Enterprise', 'Cooperative', 'GovernmentBody'))
>>> RELATIONS[:2], CLASSES["Cadre"].colour, CLASSES["Cadre"].family
(('locatedIn', 'servesIn'), '#e53935', 'Person')
"""
from __future__ import annotations

from dataclasses import dataclass

from .ontology import ONTOLOGY_FILE, PA, read_turtle

_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
#: the families an entity class belongs to (its ``rdfs:subClassOf`` in the ontology)
FAMILIES = ("Place", "Person", "Organization")


@dataclass(frozen=True)
class Term:
    """An entity class or an actor relation, as the ontology declares it."""
    name: str                  # local name: Village, servesIn
    label_zh: str              # rdfs:label@zh
    label_en: str              # rdfs:label@en
    order: int                 # pa:listOrder
    colour: str                # pa:colour
    legend: str = ""           # pa:legendLabel@zh (classes)
    shape: str = ""            # pa:shape (classes)
    size: int = 0              # pa:size (classes)
    family: str = ""           # Place, Person, Organization or "" (classes)
    iri_path: str = ""         # pa:iriPath (classes): https://w3id.org/pakg/id/PATH/…
    annotated: bool = False    # pa:annotated (relations)


def _read() -> tuple[dict[str, Term], dict[str, Term]]:
    """The classes and relations of section 14, each in ``pa:listOrder``."""
    facts: dict[str, dict[str, object]] = {}
    for t in read_turtle(ONTOLOGY_FILE):
        s, p, o = t.subject.value, t.predicate.value, t.object
        if not s.startswith(PA):
            continue
        f = facts.setdefault(s[len(PA):], {})
        key = p[len(PA):] if p.startswith(PA) else p[len(_RDFS):] if p.startswith(_RDFS) else None
        if key in ("label", "legendLabel"):
            f[f"{key}@{getattr(o, 'language', '')}"] = o.value
        elif key == "subClassOf" and o.value.startswith(PA):
            f.setdefault("parents", set()).add(o.value[len(PA):])
        elif key in ("listOrder", "colour", "shape", "size", "annotated", "iriPath"):
            f[key] = o.value
    classes, relations = {}, {}
    for name, f in sorted(facts.items(), key=lambda kv: int(kv[1].get("listOrder", 0))):
        if "listOrder" not in f:
            continue
        common = dict(name=name, label_zh=f.get("label@zh", name), label_en=f.get("label@en", name),
                      order=int(f["listOrder"]), colour=str(f.get("colour", "")))
        if "shape" in f:
            family = next((p for p in FAMILIES if p in f.get("parents", ())), "")
            classes[name] = Term(**common, legend=f.get("legendLabel@zh", common["label_zh"]), shape=str(f["shape"]),
                                 size=int(f.get("size", 12)), family=family, iri_path=str(f.get("iriPath", name.lower())))
        else:
            relations[name] = Term(**common, annotated=f.get("annotated") == "true")
    return classes, relations


#: entity class local name -> its :class:`Term`, and relation local name -> its :class:`Term`, in list order
CLASSES, RELATION_TERMS = _read()
#: the entity types of the contract, in the order the summary prints them
ENTITY_TYPES = tuple(CLASSES)
PLACE_TYPES = tuple(c for c, t in CLASSES.items() if t.family == "Place")
PERSON_TYPES = tuple(c for c, t in CLASSES.items() if t.family == "Person")
ORG_TYPES = tuple(c for c, t in CLASSES.items() if t.family == "Organization")
#: relations between actors, in list order
RELATIONS = tuple(RELATION_TERMS)
#: the relations ``kg eval`` scores (the annotation guide annotates them)
SCORED_RELATIONS = tuple(r for r, t in RELATION_TERMS.items() if t.annotated)
