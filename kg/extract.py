"""Stage 3: entity mentions, relation candidates and key figures of one article.

The spaCy pipeline supplies the mentions; this module reads the relations off their
arrangement in the text, which is how features state them:

* prefix chains and adjacency: 伏口镇胡家坪村 → 胡家坪村 locatedIn 伏口镇;
* the article's subject: its townships, villages and organisations lie in it unless the
  text places them elsewhere; it implements the programs the article credits to it;
* a cadre serves in the place or body named in their title (区委书记 → the 区) or the
  place they were sent to in the same sentence; a named villager lives in the village
  named before them in the sentence;
* 贫困发生率 figures with the year given before them.
"""
from __future__ import annotations

import re
from dataclasses import replace

from .nlp import build_pipeline
from .records import (ORG_TYPES, PLACE_TYPES, Article, ArticleExtraction, FigureCandidate, Mention,
                      RelationCandidate)

# bodies of the state or a province do not lie in the county that mentions them
NATIONAL = ("国务院", "国家", "中央", "中共中央", "全国", "省")
SENTENCE_END = re.compile(r"[。！？!?\n]+")
LEVEL = {"Province": 0, "Prefecture": 1, "County": 2, "Township": 3, "Village": 4}
INCIDENCE = re.compile(r"贫困发生率")
PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*%")
YEAR = re.compile(r"(20[0-3]\d|19[89]\d)年")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in SENTENCE_END.finditer(text):
        if m.start() > start:
            spans.append((start, m.end()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def extract(article: Article, nlp=None) -> ArticleExtraction:
    """Run the pipeline on one article and read relations and figures off its mentions."""
    nlp = nlp or build_pipeline()
    doc = nlp(article.text)
    return from_doc(article, doc)


def from_doc(article: Article, doc) -> ArticleExtraction:
    sentences = sentence_spans(article.text)
    starts = [s for s, _ in sentences]

    def sentence_of(pos: int) -> int:
        import bisect
        return max(0, bisect.bisect_right(starts, pos) - 1)

    mentions = [replace(m, sentence=sentence_of(m.start)) for m in doc._.candidates]
    ex = ArticleExtraction(article=article, subject=doc._.subject, mentions=mentions,
                           titles=dict(doc.user_data.get("pakg_titles", {})), sentences=sentences)
    ex.relations = relations(ex)
    ex.figures = figures(ex)
    return ex


def relations(ex: ArticleExtraction) -> list[RelationCandidate]:
    text = ex.article.text
    out: list[RelationCandidate] = []
    ms = sorted(ex.mentions, key=lambda m: (m.start, -m.end))
    subject = ex.subject
    named_places = {m.name for m in ms if m.type in PLACE_TYPES}
    # chains: a place or organisation directly after a higher place
    for a, b in zip(ms, ms[1:]):
        if a.end == b.start and a.type in PLACE_TYPES and (
                b.type in ORG_TYPES or (b.type in PLACE_TYPES and LEVEL[b.type] > LEVEL[a.type])):
            out.append(RelationCandidate(b.name, "locatedIn", a.name, b.sentence, "chain"))
    # nested: 涟源市人社局 contains 涟源市
    for b in ms:
        if b.type in ORG_TYPES:
            for a in ms:
                if a.type in PLACE_TYPES and a.start == b.start and a.end < b.end:
                    out.append(RelationCandidate(b.name, "locatedIn", a.name, b.sentence, "nested"))
    located = {r.subject for r in out if r.predicate == "locatedIn"}
    if subject and subject in named_places:
        for m in ms:
            if m.name == subject:
                continue
            if m.type in ("Township", "Village") + ORG_TYPES and m.name not in located \
                    and not m.name.startswith(NATIONAL):
                out.append(RelationCandidate(m.name, "locatedIn", subject, m.sentence, "subject"))
                located.add(m.name)
        for m in ms:
            if m.type == "Program":
                out.append(RelationCandidate(subject, "implements", m.name, m.sentence, "subject"))
    # people
    for p in ms:
        if p.type not in ("Cadre", "Resident"):
            continue
        s, e = ex.sentences[p.sentence]
        before = [m for m in ms if s <= m.start and m.end <= p.start and m.type in PLACE_TYPES + ORG_TYPES]
        after = [m for m in ms if p.end <= m.start and m.end <= e and m.type in PLACE_TYPES]
        if p.type == "Cadre":
            target = _cadre_unit(text, p, before, after, subject)
            if target:
                out.append(RelationCandidate(p.name, "servesIn", target, p.sentence, "sentence"))
        else:
            villages = [m for m in before if m.type in ("Village", "Township")]
            if villages:
                out.append(RelationCandidate(p.name, "residentOf", villages[-1].name, p.sentence, "sentence"))
    return _unique(out)


def _cadre_unit(text, person: Mention, before, after, subject):
    """The unit a cadre serves in: the nearest unit before the title, else a place after."""
    window = text[max(0, person.start - 12):person.start]
    if before and before[-1].end >= person.start - 12:
        return before[-1].name
    for m in after:
        if re.search(r"(来到|驻|派驻|担任|任)", text[person.end:m.start]):
            return m.name
    if subject and re.search(r"(县|市|区)(委|长|政府)", window + text[person.end:person.end + 4]):
        return subject
    return None


def figures(ex: ArticleExtraction) -> list[FigureCandidate]:
    """Poverty incidence values of the article's subject, each with its year.

    The year is the one written before the value in its clause (由2014年的6.1%); in a
    range (2015年至2019年 … 由3.1%下降至0.4%) the 由 value takes the first year and the
    至 value the last; a bare 下降到0.18% takes the year stated earlier in the sentence,
    else the article's reporting year.  Stat boxes (贫困发生率 / 2013年 18.3%) are read
    line by line.
    """
    if not ex.subject:
        return []
    text = ex.article.text
    report_year = _reporting_year(text)
    out = []
    for m in INCIDENCE.finditer(text):
        box = STAT_BOX.match(text, m.end())
        if box:
            for y, v in STAT_ROW.findall(box.group()):
                out.append(FigureCandidate(ex.subject, "PovertyIncidence", float(v), "%", int(y),
                                           _sentence_at(ex, m.start()), f"{y}年 {v}"))
            continue
        sent = _sentence_at(ex, m.start())
        s, e = ex.sentences[sent]
        clause_end = min([i for i in (text.find(c, m.end(), e) for c in "。;；") if i >= 0] or [e])
        head = text[s:m.start()]
        years = [int(y) for y in YEAR.findall(head)]
        rng = YEAR_RANGE.findall(head)
        for v in PERCENT.finditer(text, m.end(), clause_end):
            value = float(v.group(1) or 0)
            between = text[m.end():v.start()]
            own = YEAR.findall(between[-12:])
            if own:
                year = int(own[-1])
            elif rng:
                first, last = int(rng[-1][0]), int(rng[-1][1])
                year = last if re.search(r"(至|到|降|为)\s*$", between) else first
            elif years:
                year = years[-1]
            else:
                year = report_year
            out.append(FigureCandidate(ex.subject, "PovertyIncidence", value, "%", year, sent, v.group()))
    return out


STAT_BOX = re.compile(r"[ \t]*\n(?:[ \t]*(?:19|20)\d\d年[ \t]*\d+(?:\.\d+)?%?[ \t]*(?:\n|$))+")
STAT_ROW = re.compile(r"((?:19|20)\d\d)年[ \t]*(\d+(?:\.\d+)?)")
YEAR_RANGE = re.compile(r"((?:19|20)\d\d)年?(?:至|到|—|-|~)((?:19|20)\d\d)年")


def _sentence_at(ex: ArticleExtraction, pos: int) -> int:
    return next((i for i, (s, e) in enumerate(ex.sentences) if s <= pos < e), 0)


def _reporting_year(text: str) -> int | None:
    """The latest year the article names: features report on the year they appear in."""
    years = [int(y) for y in YEAR.findall(text)]
    return max(years) if years else None


def _unique(items):
    seen, out = set(), []
    for r in items:
        key = (r.subject, r.predicate, r.object)
        if key not in seen and r.subject != r.object:
            seen.add(key)
            out.append(r)
    return out
