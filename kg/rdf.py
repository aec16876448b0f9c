"""Stage 5: map entities, relations and figures onto the ontology as RDF.

Beyond the contract's shortcuts (``pa:servesIn``, ``pa:positionTitle``) a cadre's post
is also modelled the W3C ORG way, as an ``org:Post`` the cadre ``org:holds`` with an
``org:role``, so ORG-aware tools read it without knowing pa:.
"""
from __future__ import annotations

from rdflib import Graph, Literal, URIRef

from .iris import article_iri, decimal_text, slug
from .namespaces import DCTERMS, ORG, PA, PAD, PREFIXES, RDF, RDFS, SKOS, XSD
from .records import Article, Entity, Observation, Relation


def build_graph(articles: list[Article], entities: dict[str, Entity], relations: list[Relation],
                observations: list[Observation]) -> Graph:
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True)
    for a in sorted(articles, key=lambda a: a.source_file):
        node = URIRef(article_iri(a.source_file))
        g.add((node, RDF.type, PA.Article))
        g.add((node, PA.sourceFile, Literal(a.source_file)))
        for other in a.duplicates:                # the same article saved twice: both files named
            g.add((node, PA.sourceFile, Literal(other)))
        if a.title:
            g.add((node, DCTERMS.title, Literal(a.title, lang="zh")))
    for iri in sorted(entities):
        add_entity(g, entities[iri])
    for r in relations:
        g.add((URIRef(r.subject), PA[r.predicate], URIRef(r.object)))
        if r.predicate == "servesIn":
            add_posts(g, entities[r.subject], URIRef(r.object))
    for o in observations:
        node = URIRef(o.iri)
        g.add((node, RDF.type, PA.Observation))
        g.add((node, PA.refArea, URIRef(o.area)))
        g.add((node, PA.indicator, PA[o.indicator]))
        if o.year is not None:
            g.add((node, PA.refYear, Literal(str(o.year), datatype=XSD.gYear)))
        if o.period is not None:
            g.add((node, PA.refPeriodStart, Literal(str(o.period[0]), datatype=XSD.gYear)))
            if o.period[1] is not None:
                g.add((node, PA.refPeriodEnd, Literal(str(o.period[1]), datatype=XSD.gYear)))
        g.add((node, PA.value, Literal(decimal_text(o.value), datatype=XSD.decimal)))
        g.add((node, PA.unit, Literal(o.unit)))
        if o.found_by:
            g.add((node, PA.foundBy, Literal(o.found_by)))
        g.add((node, PA.mentionedIn, URIRef(article_iri(o.source_file))))
    return g


def add_entity(g: Graph, e: Entity) -> None:
    node = URIRef(e.iri)
    g.add((node, RDF.type, PA[e.type]))
    g.add((node, RDFS.label, Literal(e.label, lang="zh")))
    for alias in sorted(e.aliases):
        g.add((node, SKOS.altLabel, Literal(alias, lang="zh")))
    for src in sorted(e.articles):
        g.add((node, PA.mentionedIn, URIRef(article_iri(src))))
    for title in sorted(e.titles):
        g.add((node, PA.positionTitle, Literal(title, lang="zh")))
    if e.admin_code:
        g.add((node, PA.adminCode, Literal(e.admin_code)))
    if e.program_kind:
        g.add((node, PA.programKind, URIRef(e.program_kind)))


def add_posts(g: Graph, cadre: Entity, unit: URIRef) -> None:
    """One ``pa:Post`` per title the cadre holds in the unit."""
    person = URIRef(cadre.iri)
    for title in sorted(cadre.titles) or [""]:
        local = unit.split("/")[-1]
        post = PAD[f"post/{slug(cadre.label)}-{local}" + (f"-{slug(title)}" if title else "")]
        g.add((post, RDF.type, PA.Post))
        g.add((person, PA.holds, post))
        g.add((post, PA.postIn, unit))
        if title:
            g.add((post, RDFS.label, Literal(title, lang="zh")))
            g.add((post, ORG.role, PAD[f"role/{slug(title)}"]))
            g.add((PAD[f"role/{slug(title)}"], RDF.type, ORG.Role))
            g.add((PAD[f"role/{slug(title)}"], RDFS.label, Literal(title, lang="zh")))
