"""Stage 3: entity mentions, relation candidates and key figures of one article.

The spaCy pipeline supplies the mentions; this module reads the relations off their
arrangement in the text, which is how features state them:

* prefix chains and adjacency: 伏口镇胡家坪村 → 胡家坪村 locatedIn 伏口镇;
* the article's subject: its townships, villages and organisations lie in it unless the
  text places them elsewhere; it implements the programs the article credits to it;
* a cadre serves in the place or body named in their title (区委书记 → the 区) or the
  place they were sent to in the same sentence; a named villager lives in the village
  named before them in the sentence;
* key figures come from :mod:`kg.key_figures`.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache

from .key_figures import figures
from .gazetteer import load_gazetteer
from .nlp import build_pipeline
from .patterns import WITHIN, relation_patterns
from .records import (ORG_TYPES, PLACE_TYPES, Article, ArticleExtraction, Mention, Spans,
                      RelationCandidate)

# bodies of the state or a province do not lie in the county that mentions them
NATIONAL = ("国务院", "国家", "中央", "中共中央", "全国", "省")
SENTENCE_END = re.compile(r"[。！？!?\n]+")
LEVEL = {"Province": 0, "Prefecture": 1, "County": 2, "Township": 3, "Village": 4}
# a heading or byline line: short, no clause punctuation (帮扶故事, 脱贫故事)
HEADING = re.compile(r"(?m)^(?=[^\n]*[\u3400-\u9fff])[^\n。，,；;！？!?]{1,24}$\n?")
# 纳入省级“一县一特”: the county takes part in a higher level's program, it does not run it
INCLUDED_IN = re.compile(r"(?:纳入|列入|入选|列为)(?:省级|国家级|全国|省|国家|中央)?[“\"]?$")
# titles of cadres posted to a village (or community) rather than to a named unit
STATIONED = ("驻村", "第一书记", "村", "社区")
HOME_WINDOW = 400   # characters between a village and the villager it is home to
# 是…波立及村的村民: a villager said to be one of a village's people
IS_ONE_OF = re.compile(r"的?(?:村民|居民|人|贫困户|脱贫户|群众)")
# a sentence that says a post was taken up, where its dates are written
TAKES_POST = re.compile(r"担任|出任|任职|任命|上任|到任|派驻|选派|下派|被派|派往|驻村|挂职|当选|(?<![责担信])任(?:第一书记|驻村|村|队长|组长|书记)")
# … or that may state an appointment: 来到 as well (a visit too, so it dates nothing)
APPOINTED = re.compile(f"来到|{TAKES_POST.pattern}")
# 2015年7月至2018年1月 / 2017年6月至今: the span of a post
TENURE_SPAN = re.compile(r"(?P<y1>(?:19|20)\d\d)年(?:(?P<m1>\d{1,2})月)?(?:份)?(?:至|到|—|-|~)"
                         r"(?:(?P<now>今|现在)|(?P<y2>(?:19|20)\d\d)年(?:(?P<m2>\d{1,2})月)?)")
# 2018年3月来到… / 2015年起: when a post began
TENURE_START = re.compile(r"(?P<y>(?:19|20)\d\d)年(?:(?P<m>\d{1,2})月)?(?:份|起|以来|开始)?")
# the post taken up at a village named before it: 到河源村任第一书记
STATION_POST = re.compile(r"(?:担任|任|当)(?:驻村|第一书记|村)")
# a visit or an inspection, which places no one
VISIT = re.compile(r"考察|视察|调研|看望|慰问|检查|走访调研")
# titles of leaders above the county (总书记, 省委书记), who are posted to no village
ABOVE_COUNTY = ("总书记", "国家主席", "总理", "副总理", "省委", "省长", "副省长", "中央", "国务院", "全国")
# the county as the actor of a sentence: 该县, 全县, 我县, 县委, 县政府
COUNTY_SAYS = re.compile(r"(?:该|全|我|本)(?:县|市|区|旗)|[县市区旗](?:委|政府)")


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
    mentions = [Mention(m.text, m.name, m.type, m.start, m.end, max(0, bisect_right(starts, m.start) - 1),
                        m.found_by, m.confidence) for m in doc._.candidates]      # with their sentence
    ex = ArticleExtraction(article=article, subject=doc._.subject, mentions=mentions,
                           titles=dict(doc.user_data.get("pakg_titles", {})), sentences=Spans(sentences))
    ex.relations = relations(ex)
    ex.tenures = tenures(ex)
    ex.figures = figures(ex)
    return ex


def relations(ex: ArticleExtraction) -> list[RelationCandidate]:
    text = ex.article.text
    out: list[RelationCandidate] = []
    ms = sorted(ex.mentions, key=lambda m: (m.start, -m.end))
    subject = ex.subject
    named_places = {m.name for m in ms if m.type in PLACE_TYPES}
    province = next((m.name for m in ms if m.type == "Province"), None)
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
    # a cooperative set in a village's story belongs to that village
    for m in ms:
        if m.type == "Cooperative" and m.name not in located:
            home = _last_place_before(text, m, ms)
            if home:
                out.append(RelationCandidate(m.name, "locatedIn", home.name, m.sentence, "story"))
                located.add(m.name)
    story = _story_unit(ms, subject) if subject else None      # the village a feature is set in
    if subject and subject in named_places:
        for m in ms:
            if m.name == subject:
                continue
            if m.type in ("Township", "Village") + ORG_TYPES and m.name not in located \
                    and not m.name.startswith(NATIONAL) and not _regional(m, subject):
                out.append(RelationCandidate(m.name, "locatedIn", subject, m.sentence, "subject"))
                located.add(m.name)
        region = _region_of_unknown(subject, ms)
        if region:
            out.append(RelationCandidate(subject, "locatedIn", region.name, region.sentence, "region"))
        credited: set[str] = set()
        for m in ms:
            if m.type == "Program" and m.name not in credited \
                    and not INCLUDED_IN.search(text, max(0, m.start - 8), m.start):
                actor, how = _implementer(text, m, ms, ex.sentences, subject, story)
                out.append(RelationCandidate(actor, "implements", m.name, m.sentence, how))
                credited.add(m.name)
    # people
    posts: list[tuple[int, int, RelationCandidate]] = []      # (rank, position, candidate)
    for p in ms:
        if p.type not in ("Cadre", "Resident"):
            continue
        s, e = ex.sentences[p.sentence]
        before = [m for m in ms if s <= m.start and m.end <= p.start and m.type in PLACE_TYPES + ORG_TYPES]
        after = [m for m in ms if p.end <= m.start and m.end <= e and m.type in PLACE_TYPES]
        if p.type == "Cadre":
            titles = ex.titles.get(p.name, ())
            target = _cadre_unit(text, p, before, after, subject, province, titles)
            if target and _visiting(text, target, after, ms, titles, s, e):
                continue
            how = "sentence"
            if not target and any(t.startswith(STATIONED) for t in titles):
                home = _last_place_before(text, p, ms)     # 驻村工作队员马建设说: stationed in the story's village
                target, how = (home.name, "story") if home and home.type == "Village" else (None, how)
            if target:
                rank = 0 if APPOINTED.search(text, s, e) and how == "sentence" else 1 if how == "sentence" else 2
                posts.append((rank, p.start, RelationCandidate(p.name, "servesIn", target, p.sentence, how)))
        else:
            home = _home_of(text, p, ms, ex.sentences, story)
            if home:
                out.append(RelationCandidate(p.name, "residentOf", home, p.sentence, "story"))
    # a post's evidence is the sentence that states the appointment, wherever the article
    # first names the cadre (a quote may come first: “多亏了刘书记”)
    out += [c for _, _, c in sorted(posts, key=lambda x: x[:2])]
    out += patterned(text, ms)
    return _unique(out)


def patterned(text: str, ms: list[Mention], patterns=None) -> list[RelationCandidate]:
    """Relations the patterns of :mod:`kg.patterns` describe: a subject, a cue word after
    it and an object in one clause (or sentence), e.g. pa:supports in
    县教育局驻村帮扶工作队进驻双河村 (the body, 驻村帮扶, the village).

    >>> from kg.records import Mention
    >>> ms = [Mention("县教育局", "某县教育局", "GovernmentBody", 0, 4, 0, ""),
    ...       Mention("双河村", "双河村", "Village", 11, 14, 0, "")]
    >>> [(r.subject, r.predicate, r.object) for r in patterned("县教育局驻村帮扶工作队进驻双河村。", ms)]
    [('某县教育局', 'supports', '双河村')]
    """
    out = []
    for p in relation_patterns() if patterns is None else patterns:
        bound = WITHIN[p.within]
        for s in ms:
            if s.type not in p.subject:
                continue
            end = (m.start() if (m := bound.search(text, s.end)) else len(text))
            if not p.cue.search(text, s.end, end):
                continue
            window = max(0, s.start - 200)
            begin = max((m.end() for m in bound.finditer(text, window, s.start)), default=window)
            for o in ms:
                if o.type in p.object and begin <= o.start and o.end <= end and o.name != s.name \
                        and not (s.start <= o.start and o.end <= s.end) \
                        and not (p.not_own and s.name.startswith(o.name)):
                    out.append(RelationCandidate(s.name, p.relation, o.name, s.sentence, p.id))
    return out


def tenures(ex: ArticleExtraction) -> dict[tuple[str, str], tuple[str | None, str | None]]:
    """When each cadre held the post the article places them in, where its sentence says so:
    ``(cadre, unit) -> (start, end)`` as ``2018-03`` or ``2018``, an end of None for a post
    still held (2018年3月来到胡家坪村担任第一书记; 2015年7月至2018年1月任第一书记; 2017年6月至今).

    Only the sentence a post was read from counts, and only when it states an appointment
    (担任, 派驻, 驻村 …; 来到 alone may be a visit): a year elsewhere dates something else.
    """
    text, out = ex.article.text, {}
    for r in ex.relations:
        if r.predicate != "servesIn" or r.found_by != "sentence":
            continue
        s, e = ex.sentences[r.sentence]
        if not TAKES_POST.search(text, s, e):
            continue
        span = TENURE_SPAN.search(text, s, e)
        if span:
            out[(r.subject, r.object)] = (_month(span["y1"], span["m1"]),
                                          None if span["now"] else _month(span["y2"], span["m2"]))
            continue
        since = TENURE_START.search(text, s, e)
        if since:
            out[(r.subject, r.object)] = (_month(since["y"], since["m"]), None)
    return out


def _month(year: str | None, month: str | None) -> str | None:
    """``2018-03`` (xsd:gYearMonth), or ``2018`` when the text gives the year alone."""
    if not year:
        return None
    return f"{year}-{int(month):02d}" if month and 1 <= int(month) <= 12 else year


def _visiting(text: str, target: str, after: list[Mention], ms: list[Mention], titles, start: int, end: int) -> bool:
    """A visit places no one (习近平总书记来到十八洞村视察): the unit is named after the cadre
    in a sentence of visiting (考察, 视察, 调研, 看望) that states no appointment; and a leader
    above the county (总书记, 省委书记) holds no post in a village or township."""
    visited = target in {m.name for m in after} and VISIT.search(text, start, end) is not None \
        and not APPOINTED.search(text, start, end)
    small = any(m.name == target and m.type in ("Village", "Township") for m in ms)
    return visited or small and any(t.startswith(ABOVE_COUNTY) for t in titles)


def _story_unit(ms: list[Mention], subject: str) -> str | None:
    """The village (or township) a feature is set in: the one it names most, when it names
    it at least as often as its county (a county feature names its county most)."""
    counts: dict[str, int] = {}
    for m in ms:
        if m.type in ("Village", "Township"):
            counts[m.name] = counts.get(m.name, 0) + 1
    if not counts:
        return None
    best = max(counts, key=lambda n: (counts[n], -min(m.start for m in ms if m.name == n)))
    county = sum(1 for m in ms if m.name == subject)
    return best if counts[best] >= max(county, 2) else None


def _implementer(text: str, program: Mention, ms: list[Mention], sentences, subject: str,
                 story: str | None) -> tuple[str, str]:
    """Who carries out a program: in a county feature, the county; in a village's story,
    the village or township the sentence names before the program, the county when the
    sentence says so (该县, 全县, 县委), else the village the story is set in."""
    if story is None:
        return subject, "subject"
    start, _ = sentences[program.sentence]
    before = [m for m in ms if start <= m.start and m.end <= program.start
              and m.type in ("County", "Township", "Village")]
    if before:
        return before[-1].name, "sentence"
    if COUNTY_SAYS.search(text, start, program.start):
        return subject, "subject"
    return story, "story"


def _home_of(text: str, person: Mention, ms: list[Mention], sentences, story: str | None) -> str | None:
    """The village (or township) a villager lives in.

    The sentence may say it after the name (韩某和老伴是某县某镇波立及村的村民); else
    features set a scene first (记者走进伏口镇胡家坪村 …) and name the villagers after it,
    often sentences later (:func:`_last_place_before`); a township found so stands for the
    story's village when the story is set in one (花石乡 … 大湾村), and a villager named
    before any place (an editor's note) lives where the story is set.
    """
    start, end = sentences[person.sentence]
    after = [m for m in ms if person.end <= m.start and m.end <= end and m.type == "Village"]
    for m in after:
        if IS_ONE_OF.match(text, m.end) and "是" in text[person.end:m.start]:
            return m.name
    home = _last_place_before(text, person, ms)
    if home is not None and (home.type == "Village" or story is None):
        return home.name
    kinds = {m.name: m.type for m in ms}
    if story is not None and (home is None or kinds.get(story) == "Village"):
        return story
    return home.name if home else None


def _last_place_before(text: str, person: Mention, ms: list[Mention]) -> Mention | None:
    """The last village or township named before the first mention of ``person`` in the
    same section, not further back than ``HOME_WINDOW``: where a scene is set (记者走进
    伏口镇胡家坪村 …) for the villagers or the cooperative named after it."""
    first = min((m.start for m in ms if m.name == person.name), default=person.start)
    section = _section_start(text, first)
    places = [m for m in ms if m.type in ("Village", "Township") and section <= m.start and m.end <= first
              and first - m.end <= HOME_WINDOW]
    return places[-1] if places else None


def _section_start(text: str, pos: int) -> int:
    """Start of the section ``pos`` is in: after the last heading line before it."""
    ends = _heading_ends(text)
    k = bisect_right(ends, pos)
    return ends[k - 1] if k else 0


@lru_cache(maxsize=1)
def _heading_ends(text: str) -> list[int]:
    """Where each heading line of ``text`` ends, in order: found once per article, not
    once per person or cooperative placed (``HEADING.finditer(text, 0, pos)`` would not do:
    `$` would match at pos)."""
    return [m.end() for m in HEADING.finditer(text)]


def _region_of_unknown(subject: str, ms: list[Mention]) -> Mention | None:
    """A county the gazetteer does not know (new or renamed: 涪口区) lies in the one
    prefecture, else the one province, that the article names."""
    if load_gazetteer().lookup(subject):
        return None
    for level in ("Prefecture", "Province"):
        named = {m.name: m for m in ms if m.type == level}
        if len(named) == 1:
            return next(iter(named.values()))
    return None


def _regional(org: Mention, subject: str) -> bool:
    """湖南省人民政府, 湖南雪峰山…公司: named after a province or prefecture, the body or firm
    works at that level, not inside the county the article is about."""
    if org.type not in ORG_TYPES or org.name.startswith((subject, subject[:-1])):
        return False
    gz = load_gazetteer()
    for k in (2, 3, 4):
        head = org.name[:k]
        if any(d.level in ("province", "prefecture") for d in gz.lookup(head) + gz.lookup_short(head)):
            return True
    return False


def _cadre_unit(text, person: Mention, before, after, subject, province=None, titles=()):
    """The unit a cadre serves in: the nearest unit before the title, else a place after,
    else the unit the title names by its level (在澄江镇红渡村，村党支部书记、村委会主任韦国强)."""
    window = text[max(0, person.start - 12):person.start]
    stationed = any(t.startswith(STATIONED) for t in titles)
    for m in after:                                       # 县农业农村局派驻干部王某到河源村任第一书记: the station
        if m.type == "Village" and re.search(r"(来到|到|驻|派驻|担任|任)", text[person.end:m.start]) \
                and (stationed or STATION_POST.match(text, m.end)):
            return m.name
    nearest = max(before, key=lambda m: (m.end, m.end - m.start), default=None)   # 甘肃省财政厅, not 甘肃省
    if nearest and nearest.end >= person.start - 12:
        return nearest.name
    for level, type_ in (("村", "Village"), ("镇乡", "Township")):
        if any(t[0] in level for t in titles):
            unit = next((m for m in reversed(before) if m.type == type_), None)
            if unit:
                return unit.name
    for m in after:
        if re.search(r"(来到|驻|派驻|担任|任)", text[person.end:m.start]):
            return m.name
    near = window + text[person.end:person.end + 4]
    if subject and re.search(r"(县|市|区)(委|长|政府)", near):
        return subject
    if province and re.search(r"省(委|长|政府)", near):
        return province
    return None


def _unique(items):
    seen, out = set(), []
    for r in items:
        key = (r.subject, r.predicate, r.object)
        if key not in seen and r.subject != r.object:
            seen.add(key)
            out.append(r)
    return out
