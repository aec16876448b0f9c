"""Stage 5: map entities, relations and figures onto the ontology as RDF.

Beyond the contract's shortcuts (``pa:servesIn``, ``pa:positionTitle``) a cadre's post
is also modelled the W3C ORG way, as an ``org:Post`` the cadre ``org:holds`` with an
``org:role``, so ORG-aware tools read it without knowing pa:.

The graph is a sorted list of N-Triples lines (see :mod:`kg.ntriples` for why).
"""
from __future__ import annotations

from functools import cache

from .iris import article_iri, decimal_text, slug
from .namespaces import DCTERMS, ORG, PA, PAD, RDF, RDFS, SKOS, TIME, XSD
from .ntriples import iri, literal, to_rdflib
from .records import Article, Entity, Observation, Relation

# the IRIs the graph uses, formatted once (rdflib namespace look-ups cost microseconds each)
_A = iri(RDF.type)
_DCTERMS_TITLE = iri(DCTERMS.title)
_ORG_ROLE_CLASS = iri(ORG.Role)
_ORG_ROLE = iri(ORG.role)
_PA_ARTICLE = iri(PA.Article)
_PA_OBSERVATION = iri(PA.Observation)
_PA_POST = iri(PA.Post)
_PA_ADMINCODE = iri(PA.adminCode)
_PA_FOUNDBY = iri(PA.foundBy)
_PA_HOLDS = iri(PA.holds)
_PA_INDICATOR = iri(PA.indicator)
_PA_MENTIONEDIN = iri(PA.mentionedIn)
_PA_POSITIONTITLE = iri(PA.positionTitle)
_PA_POSTIN = iri(PA.postIn)
_PA_PROGRAMKIND = iri(PA.programKind)
_PA_REFAREA = iri(PA.refArea)
_PA_REFPERIODEND = iri(PA.refPeriodEnd)
_PA_REFPERIODSTART = iri(PA.refPeriodStart)
_PA_REFYEAR = iri(PA.refYear)
_PA_SOURCEFILE = iri(PA.sourceFile)
_PA_UNIT = iri(PA.unit)
_PA_VALUE = iri(PA.value)
_RDFS_LABEL = iri(RDFS.label)
_PA_HELDDURING = iri(PA.heldDuring)
_TIME_INTERVAL = iri(TIME.Interval)
_TIME_INSTANT = iri(TIME.Instant)
_TIME_BEGINNING = iri(TIME.hasBeginning)
_TIME_END = iri(TIME.hasEnd)
_TIME_IN_YEAR = iri(TIME.inXSDgYear)
_TIME_IN_YEAR_MONTH = iri(TIME.inXSDgYearMonth)
_SKOS_ALTLABEL = iri(SKOS.altLabel)


@cache
def _pa(name: str) -> str:
    """``<pa:name>`` for a class, predicate or indicator (a few dozen, used ~100,000 times)."""
    return iri(PA[name])


def graph_lines(articles: list[Article], entities: dict[str, Entity], relations: list[Relation],
                observations: list[Observation]) -> list[str]:
    """The knowledge graph (``kg.ttl``) as sorted, distinct N-Triples lines.

    >>> from kg.records import Entity
    >>> e = Entity("https://w3id.org/pakg/id/county/x", "County", "某县", articles={"a.txt"})
    >>> for line in graph_lines([], {e.iri: e}, [], []): print(line.split("> ", 1)[1])
    <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/pakg/ontology#County> .
    <http://www.w3.org/2000/01/rdf-schema#label> "某县"@zh .
    <https://w3id.org/pakg/ontology#mentionedIn> <https://w3id.org/pakg/id/article/a> .
    """
    out: set[str] = set()
    for a in articles:
        out.update(article_lines(a))
    for e in entities.values():
        out.update(entity_lines(e))
    for r in relations:
        out.update(relation_lines(r, _cadre(r, entities)))
    for o in observations:
        out.update(observation_lines(o))
    return sorted(out)


def _cadre(r: Relation, entities: dict[str, Entity]) -> Entity | None:
    """The cadre whose posts a relation's lines hold (see :func:`relation_lines`)."""
    return entities[r.subject] if r.predicate == "servesIn" else None


def sources(articles, entities, relations, observations):
    """(key, what it is made of, its lines) of each thing :func:`graph_lines` reads; the
    lines of one thing depend only on what it is made of."""
    for a in articles:
        yield ("article", a.source_file), (a.title, a.duplicates), lambda a=a: article_lines(a)
    for e in entities.values():
        yield e.iri, e, lambda e=e: entity_lines(e)
    for r in relations:
        cadre = _cadre(r, entities)
        yield r, cadre, lambda r=r, cadre=cadre: relation_lines(r, cadre)
    for o in observations:
        yield o, None, lambda o=o: observation_lines(o)


def article_lines(a: Article) -> list[str]:
    node = iri(article_iri(a.source_file))
    lines = [f"{node} {_A} {_PA_ARTICLE} ."]
    # the same article saved twice: both files named
    lines += [f"{node} {_PA_SOURCEFILE} {literal(name)} ." for name in (a.source_file, *a.duplicates)]
    if a.title:
        lines.append(f"{node} {_DCTERMS_TITLE} {literal(a.title, lang='zh')} .")
    return lines


def relation_lines(r: Relation, cadre: Entity | None) -> list[str]:
    """A relation's line, and a cadre's posts in the unit it serves in (``cadre``)."""
    line = f"{iri(r.subject)} {_pa(r.predicate)} {iri(r.object)} ."
    return [line, *post_lines(cadre, r.object)] if cadre is not None else [line]


def entity_lines(e: Entity) -> list[str]:
    node = iri(e.iri)
    lines = [f"{node} {_A} {_pa(e.type)} .", f"{node} {_RDFS_LABEL} {literal(e.label, lang='zh')} ."]
    lines += [f"{node} {_SKOS_ALTLABEL} {literal(alias, lang='zh')} ." for alias in e.aliases]
    lines += [f"{node} {_PA_MENTIONEDIN} {iri(article_iri(src))} ." for src in e.articles]
    lines += [f"{node} {_PA_POSITIONTITLE} {literal(title, lang='zh')} ." for title in e.titles]
    if e.admin_code:
        lines.append(f"{node} {_PA_ADMINCODE} {literal(e.admin_code)} .")
    if e.program_kind:
        lines.append(f"{node} {_PA_PROGRAMKIND} {iri(e.program_kind)} .")
    return lines


def post_lines(cadre: Entity, unit: str) -> list[str]:
    """One ``pa:Post`` per title the cadre holds in the unit, with the time it was held
    (``pa:heldDuring`` an OWL-Time interval) when an article dates the appointment."""
    person, local = iri(cadre.iri), unit.split("/")[-1]
    who = cadre.iri.split("/")[-1]            # the person's own key: two 王帅 hold posts of their own
    tenure = min(((start, end) for u, start, end in cadre.tenures if u == unit and start),
                 default=None, key=lambda t: (t[0], t[1] or ""))
    lines = []
    for title in sorted(cadre.titles) or [""]:
        key = f"{who}-{local}" + (f"-{slug(title)}" if title else "")
        post = iri(PAD[f"post/{key}"])
        lines += [f"{post} {_A} {_PA_POST} .", f"{person} {_PA_HOLDS} {post} .",
                  f"{post} {_PA_POSTIN} {iri(unit)} ."]
        if tenure:
            lines += interval_lines(post, iri(PAD[f"interval/{key}"]), *tenure)
        if title:
            role, label = iri(PAD[f"role/{slug(title)}"]), literal(title, lang="zh")
            lines += [f"{post} {_RDFS_LABEL} {label} .", f"{post} {_ORG_ROLE} {role} .",
                      f"{role} {_A} {_ORG_ROLE_CLASS} .", f"{role} {_RDFS_LABEL} {label} ."]
    return lines


def interval_lines(post: str, interval: str, start: str, end: str | None) -> list[str]:
    """``post pa:heldDuring interval``: a ``time:Interval`` whose beginning (and end, for a
    post left) is a ``time:Instant`` at a year-month or a year.

    >>> [line.split()[1].rsplit("#", 1)[-1] for line in interval_lines("<p>", "<i>", "2018-03", None)][:3]
    ['heldDuring>', 'type>', 'hasBeginning>']
    """
    lines = [f"{post} {_PA_HELDDURING} {interval} .", f"{interval} {_A} {_TIME_INTERVAL} ."]
    for prop, value in ((_TIME_BEGINNING, start), (_TIME_END, end)):
        if value:
            instant = iri(PAD[f"instant/{value}"])
            month = len(value) > 4
            lines += [f"{interval} {prop} {instant} .", f"{instant} {_A} {_TIME_INSTANT} .",
                      f"{instant} {_TIME_IN_YEAR_MONTH if month else _TIME_IN_YEAR} "
                      f"{literal(value, XSD.gYearMonth if month else XSD.gYear)} ."]
    return lines


def observation_lines(o: Observation) -> list[str]:
    node = iri(o.iri)
    lines = [f"{node} {_A} {_PA_OBSERVATION} .", f"{node} {_PA_REFAREA} {iri(o.area)} .",
             f"{node} {_PA_INDICATOR} {_pa(o.indicator)} .",
             f"{node} {_PA_VALUE} {literal(decimal_text(o.value), XSD.decimal)} .",
             f"{node} {_PA_UNIT} {literal(o.unit)} .",
             f"{node} {_PA_MENTIONEDIN} {iri(article_iri(o.source_file))} ."]
    if o.year is not None:
        lines.append(f"{node} {_PA_REFYEAR} {literal(str(o.year), XSD.gYear)} .")
    if o.period is not None:
        lines.append(f"{node} {_PA_REFPERIODSTART} {literal(str(o.period[0]), XSD.gYear)} .")
        if o.period[1] is not None:
            lines.append(f"{node} {_PA_REFPERIODEND} {literal(str(o.period[1]), XSD.gYear)} .")
    if o.found_by:
        lines.append(f"{node} {_PA_FOUNDBY} {literal(o.found_by)} .")
    return lines


def build_graph(articles: list[Article], entities: dict[str, Entity], relations: list[Relation],
                observations: list[Observation]):
    """The same graph as an rdflib ``Graph``, for small corpora and tests."""
    return to_rdflib(graph_lines(articles, entities, relations, observations))
