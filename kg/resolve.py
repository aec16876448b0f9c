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
from dataclasses import fields
from functools import lru_cache
from operator import attrgetter
from typing import NamedTuple

from .gazetteer import load_gazetteer
from .iris import article_iri, entity_iri, observation_iri, slug
from .memory import collector_paused
from .ontology import program_kinds
from .records import PLACE_TYPES, ArticleExtraction, Entity, Observation, Relation

LEVEL_OF = {"Province": "province", "Prefecture": "prefecture", "County": "county", "Township": "township",
            "Village": "village"}
TYPE_OF = {v: k for k, v in LEVEL_OF.items()}
# entities that belong to one county: a same-named one elsewhere is another entity
LOCAL_TYPES = ("Cadre", "Resident", "Cooperative")
# the dataclasses' own order (field by field), as sort keys: comparing key tuples is several
# times faster than calling the generated __lt__
_RELATION_ORDER = attrgetter(*(f.name for f in fields(Relation)))
_OBSERVATION_ORDER = attrgetter(*(f.name for f in fields(Observation)))


class Resolution(NamedTuple):
    """The corpus as entities, relations and figures; ``sources`` says, for each relation,
    which article, sentence (-1: background knowledge) and rule it came from."""
    entities: dict[str, Entity]
    relations: list[Relation]
    observations: list[Observation]
    sources: dict[Relation, list[tuple[str, int, str]]]


class Resolver:
    def __init__(self):
        self.gz = load_gazetteer()
        self.entities: dict[str, Entity] = {}
        self.qualifiers: dict[tuple[str, int], str | None] = {}   # place_qualifier's answers

    def entity(self, type_: str, label: str, qualifier: str | None = None) -> Entity:
        iri = entity_iri(type_, label, qualifier)
        if iri not in self.entities:
            self.entities[iri] = Entity(iri=iri, type=type_, label=label)
        return self.entities[iri]

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


def resolve(extractions: list[ArticleExtraction]) -> Resolution:
    """Entities, relations and observations of the corpus, in a canonical order.

    The cyclic garbage collector is paused meanwhile: resolution makes a few hundred
    thousand sets, lists and records (none of them in reference cycles), and each full
    collection they trigger would rescan every object of the corpus and the gazetteer.
    """
    with collector_paused():
        return _resolve(extractions)


def _resolve(extractions: list[ArticleExtraction]) -> Resolution:
    r = Resolver()
    kinds = program_kinds()
    # the relations, each with where it was read
    sources: dict[Relation, set[tuple[str, int, str]]] = defaultdict(set)
    observations: set[Observation] = set()
    for ex in sorted(extractions, key=lambda e: e.article.source_file):
        src = ex.article.source_file
        context = sorted({m.name for m in ex.mentions if m.type in PLACE_TYPES})
        by_name: dict[str, Entity] = {}
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
                ent = r.entity(m.type, label, qualifier)
                if m.type == "Program" and m.name in kinds:
                    ent.program_kind = kinds[m.name][1]
                if division is not None:
                    ent.admin_code = division.code
                    divisions[ent.iri] = division
                by_name.setdefault(key, ent)
            ent.articles.add(src)
            ent.aliases.update(x for x in (m.text, m.name, _as_written(ex.article, m)) if x != ent.label)
            ent.mentions.append((src, m))
            if m.name in ex.titles:
                ent.titles.update(ex.titles[m.name])
        for rel in ex.relations:
            s, o = by_name.get(rel.subject), by_name.get(rel.object)
            if s and o and s.iri != o.iri:
                sources[Relation(s.iri, rel.predicate, o.iri)].add((src, rel.sentence, rel.found_by))
        # background ancestors from the gazetteer
        placed: dict[int, Entity] = {}      # division id -> the first of its entities, by IRI
        ordered = sorted(divisions.items())
        for iri, division in ordered:
            placed.setdefault(division.id, r.entities[iri])
        for iri, division in ordered:
            child = r.entities[iri]
            for anc in r.gz.ancestors(division):
                if anc.level in ("township", "village"):
                    continue
                known = placed.get(anc.id) or _mentioned_as(by_name, anc)
                if known is None and anc.level == "county" and _unlisted_subject(r, ex.subject, by_name):
                    break     # the text puts it in its own county (涪口区), which the gazetteer lacks
                parent = known or r.entity(TYPE_OF[anc.level], anc.name,
                                                                  r.place_qualifier(TYPE_OF[anc.level], anc))
                if parent.admin_code is None:
                    parent.admin_code = anc.code
                if parent.iri != child.iri:
                    sources[Relation(child.iri, "locatedIn", parent.iri)].add((src, -1, "gazetteer"))
                child = parent
        for f in ex.figures:
            area = by_name.get(f.area)
            if area:
                observations.add(Observation(observation_iri(area.iri, f.indicator, f.year, f.value, f.period),
                                             area.iri, f.indicator, f.year, f.value, f.unit, src, f.period,
                                             f.found_by))
    return Resolution(r.entities, sorted(sources, key=_RELATION_ORDER),
                      sorted(observations, key=_OBSERVATION_ORDER),
                      {rel: sorted(found) for rel, found in sources.items()})


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
    table has not caught up with) is its label; a short form (涟源) is only an alias."""
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
