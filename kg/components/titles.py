"""Cadres' post titles as the article writes them.

``pakg_people`` finds a cadre by a post title next to the name and records the title
word it matched (队长, 书记 …). The annotation guide's convention is the title *as
written*, with proper place and organisation names dropped and bare level markers kept:

====================================  ==========================
text before the name                  title
====================================  ==========================
驻村工作队长张远忠                     驻村工作队长
市农业农村局局长孙志诚                 市农业农村局局长 (a bare 市)
西吉县委常委、组织部部长高耀明         县委常委, 组织部部长
小河村党支部书记刘泽荣                 党支部书记 (小河村 is a name)
石门县扶贫办主任李平                   扶贫办主任
市农业农村局驻村工作队队长苟建科       驻村工作队队长 (the sending unit)
====================================  ==========================

This component runs after places and organisations are known. For each occurrence of a
cadre it reads the phrase between the last clause boundary (punctuation, or a word the
tagger tags as a preposition, particle, adverb, conjunction, time or a verb of the
sentence) and the name; splits it at 、; and keeps each piece that ends in a post title,
less the names at its start. A title the people component found that ends one of these
pieces (队长 of 驻村工作队长) gives way to it; titles found elsewhere (担任第一书记, a title
after the name) stay.
"""
from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from ..lexicon import longest_first, words
from ..records import PLACE_TYPES
from . import candidates, text_of
from .tags import words_of

#: the longest title phrase read before a name
MAX_PHRASE = 24
BOUNDARY_CHARS = set("，,。：:；;“”\"'‘’（）()【】[]—！!？?《》 \u3000\n\t·|")
#: the tagger's tags that end a clause before a title: prepositions, particles, adverbs,
#: conjunctions, pronouns, times, names (punctuation is BOUNDARY_CHARS', and 、 lists titles)
BOUNDARY_TAGS = frozenset({"p", "u", "d", "c", "r", "TIME", "PER", "xc", "q"})
#: one-character verbs that end a clause before a title (是村支书, 让工作队队长)
SENTENCE_VERBS = frozenset("是让任由为到在当有说")
#: verbs that are part of a post's name (驻村工作队, 扶贫特岗, 帮扶干部), not of the sentence
TITLE_VERBS = frozenset({"驻", "驻村", "扶贫", "帮扶", "挂职", "包村", "联系", "包联", "结对", "退休", "派驻",
                         "脱贫", "攻坚", "指挥"})
#: 该村, 本村: the article's own unit, said with a determiner: not part of the title
DETERMINED = re.compile(r"(?:该|本|我|全)(?:村|镇|乡|县|市|区)")
#: titles that are only a head, which name a post of the organ before them (扶贫办|主任);
#: after anything else the organ is a sending or parent unit (…工委|工会副主任)
HEAD_ONLY = frozenset(
    "主任 副主任 常务副主任 局长 副局长 书记 副书记 部长 副部长 站长 副站长 所长 院长 处长 科长 主席 副主席 组长 "
    "队长 主任委员 常委 厅长 副厅长 秘书长 主任科员".split())
#: a post taken up after the name: 当选村党支部书记, 为组长的领导小组
POST_AFTER = re.compile(r"(?:当选|担任|出任|任|为)([\u3400-\u9fff]{1,14}?)(?=[的，,。、；;]|$)")


@Language.factory("pakg_titles")
def make_titles(nlp: Language, name: str):
    return TitlesAsWritten()


class TitlesAsWritten:
    def __init__(self):
        titles = "|".join(longest_first(words("cadre_titles.txt")))
        self.title_end = re.compile(f"(?:{titles})$")
        self.whole_title = re.compile(f"[\u3400-\u9fff]{{0,6}}?(?:{titles})")

    def __call__(self, doc: Doc) -> Doc:
        titles: dict[str, list[str]] = doc.user_data.get("pakg_titles", {})
        if not titles or not doc._.lac:
            return doc
        text = text_of(doc)
        found = candidates(doc)
        places = {c.start: c for c in found if c.type in PLACE_TYPES}
        bodies = {c.start: c for c in found if c.type == "GovernmentBody"}
        cut = _Boundaries(doc, text)
        spans = [(c.start, c.end) for c in found]
        written: dict[str, list[str]] = {}
        for c in found:
            if c.type == "Cadre" and c.name in titles:
                for piece in self.phrase_before(text, c.start, cut, places, spans):
                    title = _without_names(text, *piece, places, bodies)
                    if title and self.title_end.search(title):
                        written.setdefault(c.name, []).append(title)
                post = POST_AFTER.match(text, c.end)
                if post:
                    title = _without_names(text, post.start(1), post.end(1), places, bodies)
                    if title and self.title_start(title):
                        written.setdefault(c.name, []).append(title)
        for name, new in written.items():
            kept = [t for t in titles[name] if not any(n.endswith(t) or t.endswith(n) for n in new)]
            titles[name] = sorted(set(kept + new))
        return doc

    def title_start(self, phrase: str) -> bool:
        """The phrase is a title from its first character (组长, 村党支部书记), not a clause:
        a few characters, then a title word it ends with."""
        return self.whole_title.fullmatch(phrase) is not None

    def phrase_before(self, text: str, end: int, cut: _Boundaries, places: dict, spans) -> list[tuple[int, int]]:
        """The pieces (start, end) of the title phrase right before ``end``: split at 、,
        and where a place starts after a title (帮扶责任人|斗笠山镇镇长助理)."""
        start = end
        while start > max(0, end - MAX_PHRASE) and start not in cut and text[start - 1] not in BOUNDARY_CHARS:
            start -= 1
        start = max([start] + [e for s, e in spans if s < start < e])      # not from inside a name
        pieces, begin = [], start
        for i in range(start, end + 1):
            if i == end or text[i] == "、" or i in places and i > begin and self.title_end.search(text, begin, i):
                if i > begin:
                    pieces.append((begin, i))
                begin = i + 1 if i < end and text[i] == "、" else i
        return pieces


class _Boundaries:
    """Offsets where a title phrase cannot extend further left: after a word of the
    sentence (a preposition, particle, adverb … or a verb that is no part of a post).
    ``i in cut`` looks at the word ending at ``i``: a phrase asks about a few offsets
    before each cadre, not about every word of the article."""

    def __init__(self, doc: Doc, text: str):
        self.words, self.text = words_of(doc), text

    def __contains__(self, e: int) -> bool:
        found = self.words.ending(e)
        if found is None:
            return False
        s, _, tag = found
        word = self.text[s:e]
        return tag in BOUNDARY_TAGS and not DETERMINED.fullmatch(word) \
            or tag in ("v", "vd") and word not in TITLE_VERBS and (len(word) > 1 or word in SENTENCE_VERBS)
        # (a lone 会 inside 村委|会|主任 is the tagger's slip)


def _without_names(text: str, start: int, end: int, places: dict, bodies: dict) -> str:
    """The piece less the proper names at its start: places (西吉县|委常委 keeps the 县 of
    县委), a determiner's unit (该村), a station (驻|某村), and a sending unit before the
    station's post (市农业农村局|驻村工作队队长)."""
    pos = start
    m = DETERMINED.match(text, pos, end)
    if m:
        pos = m.end()
    body = bodies.get(pos)
    if body is not None and pos in places and body.end < end and text[body.end:end] not in HEAD_ONLY:
        pos = body.end                    # 泸州市直机关工委|工会副主任: a named parent unit
    while True:
        if text.startswith("驻", pos) and pos + 1 in places:
            pos += 1
            continue
        place = places.get(pos)
        if place is not None and place.end < end:
            if text[place.end:place.end + 1] == "委" and place.text[-1] in "省市州县区旗":
                return text[place.end - 1:end]           # 吉首市|委书记 → 市委书记
            pos = place.end
            continue
        body = bodies.get(pos)
        if body is not None and body.end < end and text.startswith("驻", body.end):
            pos = body.end
            continue
        return text[pos:end]

