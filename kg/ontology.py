"""The project ontology (``ontology/pakg.ttl``): where it is and what code reads from it.

The program-kind lexicon lives in the ontology as a SKOS concept scheme, so the
words the extractor matches and the concepts the graph links to are one list.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rdflib import Graph

ONTOLOGY_DIR = Path(__file__).resolve().parents[1] / "ontology"
#: the namespaces this module reads terms of, as strings (kg.namespaces builds on this module)
PA = "https://w3id.org/pakg/ontology#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
ONTOLOGY_FILE = ONTOLOGY_DIR / "pakg.ttl"


@lru_cache(maxsize=1)
def load_ontology() -> Graph:
    from rdflib import Graph        # here: reading the vocabulary (kg.vocabulary) needs no rdflib

    g = Graph()
    g.parse(ONTOLOGY_FILE, format="turtle")
    return g


@lru_cache(maxsize=4)
def read_turtle(path: Path) -> tuple:
    """The triples (pyoxigraph's) of one of the project's Turtle files, read once per process."""
    import pyoxigraph as ox

    return tuple(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))


@lru_cache(maxsize=1)
def program_kinds() -> dict[str, tuple[str, str]]:
    """Surface form -> (canonical name, concept IRI) for every program kind and its variants.

    Read with pyoxigraph: every build needs it, and rdflib took 0.15 s to parse the ontology.

    >>> program_kinds()["易地搬迁"][0]
    '易地扶贫搬迁'
    """
    import pyoxigraph as ox

    members, labels = [], {}        # labels: (concept, SKOS property) -> its @zh labels
    wanted = {SKOS + "prefLabel", SKOS + "altLabel"}
    for t in read_turtle(ONTOLOGY_FILE):
        p = t.predicate.value
        if p == SKOS + "member" and t.subject.value == PA + "AnnotatedProgramKinds":
            members.append(t.object.value)
        elif p in wanted and isinstance(t.object, ox.Literal) and t.object.language == "zh":
            labels.setdefault((t.subject.value, p), []).append(t.object.value)
    out: dict[str, tuple[str, str]] = {}
    # only the kinds the annotation guide counts as programs (pa:AnnotatedProgramKinds);
    # broader kinds such as 社会扶贫 stay in the scheme for users but are not matched
    for concept in sorted(members):
        pref = min(labels.get((concept, SKOS + "prefLabel"), [""]))
        if not pref:
            continue
        out[pref] = (pref, concept)
        for alt in sorted(labels.get((concept, SKOS + "altLabel"), [])):
            out.setdefault(alt, (pref, concept))
    return out


def declared_terms() -> set[str]:
    """IRIs of every class, property and individual the ontology declares."""
    from rdflib.namespace import RDF

    g = load_ontology()
    return {str(s) for s in g.subjects(RDF.type, None) if str(s).startswith(PA)}
