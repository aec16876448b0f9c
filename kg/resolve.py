"""Stage 4: merge mentions into entities, within and across articles.

Within an article, mentions of one name and type are one entity, and a short form
(涟源) joins the full name it stands for.  Across articles, entities join when their
type and name agree and, for townships and villages, when they lie in the same county:
胡家坪村 exists in many counties, and each article's context says which one it means.
Places the text does not mention but the gazetteer implies (the prefecture and province
of a county) are added as background entities, with their official codes.
"""
from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Callable
from dataclasses import fields
from functools import lru_cache
from operator import attrgetter
from sys import intern
from typing import NamedTuple

from .gazetteer import load_gazetteer
from .iris import article_iri, entity_iri, observation_iri, slug
from .memory import collector_paused
from .ontology import program_kinds
from .records import PLACE_TYPES, ArticleExtraction, Entity, Mention, Observation, Relation

LEVEL_OF = {"Province": "province", "Prefecture": "prefecture", "County": "county", "Township": "township",
            "Village": "village"}
TYPE_OF = {v: k for k, v in LEVEL_OF.items()}
# entities that belong to one county: a same-named one elsewhere is another entity
LOCAL_TYPES = ("Cadre", "Resident", "Cooperative")
# the dataclasses' own order (field by field), as sort keys: comparing key tuples is several
# times faster than calling the generated __lt__
#: the order of the corpus's relations and figures (their fields in turn)
RELATION_ORDER = attrgetter(*(f.name for f in fields(Relation)))
OBSERVATION_ORDER = attrgetter(*(f.name for f in fields(Observation)))


class Resolution(NamedTuple):
    """The corpus as entities, relations and figures; ``sources`` says, for each relation,
    which article, sentence (-1: background knowledge) and rule it came from."""
    entities: dict[str, Entity]
    relations: list[Relation]
    observations: list[Observation]
    sources: dict[Relation, list[tuple[str, int, str]]]


class EntityPart(NamedTuple):
    """What one article says of one entity; :func:`merge` adds these up, article by article."""
    iri: str
    type: str
    label: str                                 # the label if this article is the first to name it
    names: tuple[str, ...]                     # aliases (those equal to the entity's label are left out)
    mentions: tuple[Mention, ...]              # none: a background place the gazetteer implies
    titles: tuple[str, ...]
    program_kind: str | None
    codes: tuple[tuple[bool, str], ...]        # admin codes in turn: (True, code) sets it,
                                               # (False, code) sets it if it has none yet
    tenures: tuple[tuple[str, str | None, str | None], ...] = ()   # a cadre's (unit IRI, start, end)

    def __reduce__(self):
        """Unpickled with its strings interned: a county's IRI and names recur in the
        shares of a thousand articles, each (from the workers or the cache) a copy of its
        own; sharing them saves a few hundred megabytes at 100 MB."""
        return _entity_part, tuple(self)


def _entity_part(iri, type_, label, names, mentions, titles, program_kind, codes, tenures=()) -> EntityPart:
    # tuple.__new__ rather than EntityPart(...): the parent of a --jobs N build unpickles
    # 45,000 of these per 10 MB, and the NamedTuple's __new__ is one more Python call each
    return _new_tuple(EntityPart, (intern(iri), intern(type_), intern(label),
                                   tuple(map(intern, names)) if names else names, mentions,
                                   tuple(map(intern, titles)) if titles else titles,
                                   program_kind and intern(program_kind),
                                   tuple([(overwrite, code and intern(code)) for overwrite, code in codes])
                                   if codes else codes, tenures))


_new_tuple = tuple.__new__


class ArticleResolution(NamedTuple):
    """One article's share of the resolution: its entities as IRIs, its relations and its
    figures.  It depends on the article and the gazetteer only, so it is made with the
    extraction (in the extraction workers, cached with it) and a rebuild only merges."""
    source_file: str
    entities: tuple[EntityPart, ...]           # in the order the article first names them
    relations: tuple[tuple[Relation, int, str], ...]   # (relation, sentence or -1, rule)
    observations: tuple[Observation, ...]


class _Draft:
    """An :class:`EntityPart` being made."""
    __slots__ = ("iri", "type", "label", "names", "mentions", "titles", "program_kind", "codes", "tenures")

    def __init__(self, iri: str, type_: str, label: str):
        self.iri, self.type, self.label = iri, type_, label
        self.names: dict[str, None] = {}
        self.mentions: list[Mention] = []
        self.titles: dict[str, None] = {}
        self.program_kind: str | None = None
        self.codes: list[tuple[bool, str]] = []
        self.tenures: list[tuple[str, str | None, str | None]] = []

    def part(self) -> EntityPart:
        return EntityPart(self.iri, self.type, self.label, tuple(self.names), tuple(self.mentions),
                          tuple(self.titles), self.program_kind, tuple(self.codes),
                          tuple(sorted(self.tenures, key=lambda t: (t[0], t[1] or "", t[2] or ""))))


class Resolver:
    """The gazetteer and what it answered: placing names is most of resolution's work."""

    def __init__(self):
        self.gz = load_gazetteer()
        self.qualifiers: dict[tuple[str, int], str | None] = {}   # place_qualifier's answers

    # -- places --------------------------------------------------------------------------
    def place_division(self, type_: str, name: str, context: list[str]):
        """The gazetteer division a place name means in this article, if it can tell."""
        level = LEVEL_OF[type_]
        found = self.gz.best_place(name, context, level)
        if found is not None and level in ("township", "village"):
            # a small place is placed only when the article names one of its ancestors:
            # 茅塘村 of an unnamed county elsewhere in China is a guess, not a resolution
            # (a county or township: 湖南省 names the ancestor of 40,000 villages)
            ctx = set(context)
            if not any(a.name in ctx or (a.short and a.short in ctx) for a in self.gz.ancestors(found)
                       if a.level in ("county", "township")):
                return None
        return found

    def county_qualifier(self, subject: str | None) -> str | None:
        """Villagers, county cadres and cooperatives are local: two 王帅 or two 绿源合作社
        in different counties are different entities, so their IRIs carry the county (its
        code, or its name where the gazetteer does not know it)."""
        if not subject:
            return None
        found = self.gz.lookup(subject, "county")
        return found[0].code if len(found) == 1 else slug(subject)

    def place_qualifier(self, type_: str, division) -> str | None:
        """County code for townships and villages; own code where a county name repeats."""
        if division is None:
            return None
        key = (type_, division.id)
        if key not in self.qualifiers:
            self.qualifiers[key] = self._place_qualifier(type_, division)
        return self.qualifiers[key]

    def _place_qualifier(self, type_: str, division) -> str | None:
        if type_ in ("Township", "Village"):
            county = next((a for a in self.gz.ancestors(division) if a.level == "county"), None)
            return county.code if county else None
        if len(self.gz.lookup(division.name, division.level)) > 1:
            return division.code
        return None


@lru_cache(maxsize=1)
def resolver() -> Resolver:
    """The process's resolver (the gazetteer is loaded once)."""
    return Resolver()


def resolve(extractions: list[ArticleExtraction], merging: Callable[[list[ArticleResolution]], Resolution] | None = None
            ) -> Resolution:
    """Entities, relations and observations of the corpus, in a canonical order: the
    articles' shares (made with their extractions) merged by :func:`merge`, or by
    ``merging`` (a :class:`kg.speed.incremental.Merger`).

    >>> resolve([]).entities
    {}
    """
    return (merging or merge)([ex.resolution or resolve_article(ex) for ex in extractions])


def resolve_article(ex: ArticleExtraction) -> ArticleResolution:
    """One article's entities, relations and figures, as IRIs of the corpus's graph."""
    with collector_paused():
        return _resolve_article(ex)


def _resolve_article(ex: ArticleExtraction) -> ArticleResolution:
    r = resolver()
    kinds = program_kinds()
    drafts: dict[str, _Draft] = {}

    def entity(type_: str, label: str, qualifier: str | None = None) -> _Draft:
        iri = entity_iri(type_, label, qualifier)
        draft = drafts.get(iri)
        if draft is None:
            draft = drafts[iri] = _Draft(iri, type_, label)
        return draft

    relations: dict[tuple[Relation, int, str], None] = {}
    observations: dict[Observation, None] = {}
    src = ex.article.source_file
    context = sorted({m.name for m in ex.mentions if m.type in PLACE_TYPES})
    by_name: dict[str, _Draft] = {}
    divisions = {}
    for m in ex.mentions:
        key = m.name
        if key in by_name and by_name[key].type == m.type:
            ent = by_name[key]
        else:
            qualifier, division, label = None, None, m.name
            if m.type in PLACE_TYPES:
                division = r.place_division(m.type, m.name, context)
                qualifier = r.place_qualifier(m.type, division)
                label = m.name if division is None or _is_other_full_name(m.name, division) else division.name
            elif m.type in LOCAL_TYPES and not _above_county(ex.titles.get(m.name, ())):
                qualifier = r.county_qualifier(ex.subject)
            ent = entity(m.type, label, qualifier)
            if m.type == "Program" and m.name in kinds:
                ent.program_kind = kinds[m.name][1]
            if division is not None:
                ent.codes.append((True, division.code))
                divisions[ent.iri] = division
            by_name.setdefault(key, ent)
        ent.names.update(dict.fromkeys((m.text, m.name, _as_written(ex.article, m))))
        ent.mentions.append(m)
        if m.name in ex.titles:
            ent.titles.update(dict.fromkeys(ex.titles[m.name]))
    for rel in ex.relations:
        s, o = by_name.get(rel.subject), by_name.get(rel.object)
        if s and o and s.iri != o.iri:
            relations[(Relation(s.iri, rel.predicate, o.iri), rel.sentence, rel.found_by)] = None
    for (cadre, unit), (start, end) in sorted(ex.tenures.items()):
        s, o = by_name.get(cadre), by_name.get(unit)
        if s and o and s.iri != o.iri:
            s.tenures.append((o.iri, start, end))
    # background ancestors from the gazetteer
    placed: dict[int, _Draft] = {}      # division id -> the first of its entities, by IRI
    ordered = sorted(divisions.items())
    for iri, division in ordered:
        placed.setdefault(division.id, drafts[iri])
    for iri, division in ordered:
        child = drafts[iri]
        for anc in r.gz.ancestors(division):
            if anc.level in ("township", "village"):
                continue
            known = placed.get(anc.id) or _mentioned_as(by_name, anc)
            if known is None and anc.level == "county" and _unlisted_subject(r, ex.subject, by_name):
                break     # the text puts it in its own county (涪口区), which the gazetteer lacks
            parent = known or entity(TYPE_OF[anc.level], anc.name, r.place_qualifier(TYPE_OF[anc.level], anc))
            parent.codes.append((False, anc.code))
            if parent.iri != child.iri:
                relations[(Relation(child.iri, "locatedIn", parent.iri), -1, "gazetteer")] = None
            child = parent
    for f in ex.figures:
        area = by_name.get(f.area)
        if area:
            observations[Observation(observation_iri(area.iri, f.indicator, f.year, f.value, f.period),
                                     area.iri, f.indicator, f.year, f.value, f.unit, src, f.period,
                                     f.found_by)] = None
    return ArticleResolution(src, tuple(d.part() for d in drafts.values()), tuple(relations), tuple(observations))


def merge(parts: list[ArticleResolution]) -> Resolution:
    """The corpus's entities, relations and figures from its articles' shares: an entity
    named in several articles is one, with the label of the first article (by file name)
    to name it.

    The cyclic garbage collector is paused meanwhile: merging makes a few hundred
    thousand sets, lists and records (none of them in reference cycles), and each full
    collection they trigger would rescan every object of the corpus and the gazetteer.
    """
    with collector_paused():
        entities: dict[str, Entity] = {}
        sources: dict[Relation, set[tuple[str, int, str]]] = defaultdict(set)
        observations: set[Observation] = set()
        for part in sorted(parts, key=attrgetter("source_file")):
            src = part.source_file
            for ep in part.entities:
                ent = entities.get(ep.iri)
                if ent is None:
                    ent = entities[ep.iri] = Entity(iri=ep.iri, type=ep.type, label=ep.label)
                add(ent, ep, src)
            for rel, sentence, rule in part.relations:
                sources[rel].add((src, sentence, rule))
            observations.update(part.observations)
        return Resolution(entities, sorted(sources, key=RELATION_ORDER),
                          sorted(observations, key=OBSERVATION_ORDER),
                          {rel: sorted(found) for rel, found in sources.items()})


def add(ent: Entity, ep: EntityPart, src: str) -> None:
    """Add what the article ``src`` says of an entity to it."""
    if ep.mentions:
        ent.articles.add(src)
        ent.mentions.extend([(src, m) for m in ep.mentions])
    label = ent.label
    ent.aliases.update(x for x in ep.names if x != label)
    ent.titles.update(ep.titles)
    ent.tenures.update(ep.tenures)
    if ep.program_kind:
        ent.program_kind = ep.program_kind
    for overwrite, code in ep.codes:
        if overwrite or ent.admin_code is None:
            ent.admin_code = code


def _unlisted_subject(r: Resolver, subject: str | None, by_name) -> bool:
    """The article is about a county the gazetteer does not list (new, renamed or misspelt)."""
    return bool(subject) and by_name.get(subject) is not None and by_name[subject].type == "County" \
        and not r.gz.lookup(subject, "county")


def _as_written(article, m) -> str:
    """The mention as the file spells it: 漣源市 in a traditional article read as 涟源市."""
    begin, end = article.original_span(m.start, m.end)
    return _compact(article.raw[begin:end])


@lru_cache(maxsize=1 << 16)
def _compact(raw: str) -> str:
    """NFKC without whitespace (the same few thousand names recur across a corpus)."""
    return "".join(unicodedata.normalize("NFKC", raw).split())


def _is_other_full_name(name: str, division) -> bool:
    """湟中区 for the table's 湟中县: a full name the text uses for the division (a rename the
    table has not caught up with) is its label; a short form (涟源, 威宁县 for an autonomous
    county) is only an alias."""
    if division.short and name == division.short + "县" and division.name.endswith("自治县"):
        return False              # 威宁县, 循化县: how everyone writes 威宁彝族回族苗族自治县, no rename
    return name != division.name and name != division.short and name[-1] in "县区市旗镇乡村"


def _above_county(titles) -> bool:
    """省委副书记, 国务院扶贫办主任: a cadre of the province or the state is the same person
    in every county's article."""
    return any(t.startswith(("省", "国", "中央", "中共中央", "全国", "总")) for t in titles)


def _mentioned_as(by_name, division):
    for name in (division.name, division.short):
        ent = by_name.get(name) if name else None
        if ent and ent.type == TYPE_OF[division.level]:
            return ent
    return None


def articles_by_iri(extractions) -> dict[str, ArticleExtraction]:
    return {article_iri(ex.article.source_file): ex for ex in extractions}
