"""Places: provinces, prefectures, counties, townships and villages.

Evidence, strongest first:

1. the national gazetteer (every official name down to village level), matched at
   each administrative suffix by looking back over the characters before it;
2. prefix chains: a name that starts where a known place ends (伏口镇|胡家坪村) is a
   place of the suffix's level even when the gazetteer does not list it;
3. the article's subject (``——涪口区决战决胜脱贫攻坚纪实``), found by ``pakg_subject``;
4. short forms: 涟源 for 涟源市 once the full name is in the article, the subject
   county's prefecture and province (娄底, 湖南), and its townships without 镇/乡 when they
   stand alone at a boundary (石门辣椒、羊古坳和高平优质稻);
5. lists: in 白水洞村、草原村、崇木幽、向家村, an item without 村 is a village too.
"""
from __future__ import annotations

import re

import jieba
from spacy.language import Language
from spacy.tokens import Doc

from ..gazetteer import load_gazetteer
from ..lexicon import function_word_tags, longest_first, words
from . import add, candidates, is_cjk, left_bounded, line_at, occurrences, quoted, text_of
from .tags import TaggedWords, words_of

# suffix -> levels a name with that suffix can have, most likely first
SUFFIX_LEVELS = {
    "自治区": ("province",), "省": ("province",), "自治州": ("prefecture",), "州": ("prefecture",),
    "盟": ("prefecture",), "地区": ("prefecture",), "市": ("county", "prefecture", "province"),
    "自治县": ("county",), "县": ("county",), "区": ("county",), "旗": ("county",),
    "镇": ("township",), "乡": ("township",), "街道": ("township",), "村": ("village",),
    "社区": ("village",),
}
SUFFIX = re.compile("|".join(sorted(SUFFIX_LEVELS, key=len, reverse=True)))
LEVEL_TYPE = {"province": "Province", "prefecture": "Prefecture", "county": "County",
              "township": "Township", "village": "Village"}
# Names new to the gazetteer are believed at these levels only (a city is never new).
NEW_NAME_LEVELS = {"township", "village"}
# Characters a place name does not start with: particles, prepositions, quantifiers.
STOP_START = set("的在到和与及是了向从对为将把被等由原各全该本每个近里去来入进往于以至")
# A suffix character that starts a common word is no suffix: 村民, 村里, 乡村, 镇长 …
NOT_SUFFIX_BEFORE = {
    "村": set("民里委支干集级党部庄容貌组道口头内落情务医小史规寨村"),
    "乡": set("村镇亲贤土愁风里下"),
    "镇": set("村长党政上"),
    "县": set("委长城直级域"), "区": set("委长域位"), "市": set("委长场民级直"),
}
MAX_STEM = 8
CJK_TAIL = re.compile(r"[\u3400-\u9fff]*\Z")    # searched with an end position: the Chinese run ending there


@Language.factory("pakg_places")
def make_places(nlp: Language, name: str):
    return PlaceRecognizer()


class PlaceRecognizer:
    def __init__(self):
        self.gz = load_gazetteer()
        self.generic = words("generic_places.txt")
        # 沐恩邸社区 ends in a suffix, not in the generic word 社区
        self.generic_end_words = frozenset(g for g in self.generic if len(g) >= 2 and g not in SUFFIX_LEVELS)
        self.generic_end_lengths = sorted({len(g) for g in self.generic_end_words})
        self.generic_end = re.compile("(?:%s)$" % "|".join(longest_first(self.generic_end_words)))
        self.institution = re.compile("|".join(longest_first(words("institutions.txt"))))
        ethnic = "|".join(longest_first(words("ethnic_groups.txt")))
        self.township_suffix = re.compile(f"(?:{ethnic})*(?:镇|乡|街道)$")
        self.names = {level: self.gz.names(level) for level in LEVEL_TYPE}
        self._by_subject: dict[tuple[str, str | None], object] = {}     # see _of_subject

    def __call__(self, doc: Doc) -> Doc:
        text = text_of(doc)
        found = candidates(doc)
        chain_end: dict[int, str] = {}           # end offset of a place -> its level
        subject = doc._.subject                  # (each doc._ access builds an object)
        self._local = self._of_subject(self._local_names, subject)
        for m in SUFFIX.finditer(text):
            # 村民, 乡村, 镇长: the suffix character may start a word; then only a listed name
            # ending there counts (王家寨村|支书), and only with evidence beyond the list
            strict = text[m.end():m.end() + 1] in NOT_SUFFIX_BEFORE.get(m.group(), ()) and \
                m.group() in ("村", "乡", "镇")
            hit = self._match(text, m.start(), m.end(), chain_end, subject, strict)
            if not hit and m.group() == "村":
                hit = _numbered_village(text, m.start(), chain_end)
            if hit:
                start, level, how = hit
                mention = add(doc, start, m.end(), LEVEL_TYPE[level], name=self._official(text[start:m.end()], level),
                              found_by=f"places.{how}")
                chain_end[mention.end] = level
        self._drop_unbelieved(doc)
        self._tagged_places(doc)
        self._lists(doc)
        self._repeats(doc)
        self._short_forms(doc)
        self._tagged_regions(doc)
        self._listed_counties(doc)
        self._counted_villages(doc)
        found.sort(key=lambda c: (c.start, -c.end))
        return doc

    def _tagged_regions(self, doc: Doc) -> None:
        """Provinces and prefectures named alone by their short names (来自新疆、黑龙江,
        从贵阳出发): a word the tagger reads as a place that is the gazetteer's short name
        of exactly one province or prefecture.  Inside a longer word (上海|某公司, 六安瓜片)
        the tagger reads no place of its own."""
        text = text_of(doc)
        taken = [(c.start, c.end) for c in candidates(doc)]
        for s, e, _ in words_of(doc).tagged("LOC"):
            word = text[s:e]
            if len(word) < 2 or any(a < e and s < b for a, b in taken) \
                    or DATELINE.match(text, s, min(len(text), e + 12)) or _in_byline(text, s):
                continue
            for level in ("province", "prefecture"):
                found = self.gz.lookup_short(word, level)
                if len(found) == 1 and found[0].name != word:
                    add(doc, s, e, LEVEL_TYPE[level], name=found[0].name, found_by="places.region")
                    taken.append((s, e))
                    break

    def _listed_counties(self, doc: Doc) -> None:
        """巫溪、云阳、开州三县, 拉孜、萨迦、萨嘎等多个…县: short names listed before a count
        of counties are counties, when the gazetteer has a county of each name (the one in
        the subject's province when several do)."""
        text = text_of(doc)
        taken = [(c.start, c.end) for c in candidates(doc)]
        province = self._of_subject(self._province_of, doc._.subject)
        for m in COUNTED_COUNTIES.finditer(text):
            items = _listed_before(text, m.start())
            if len(items) < 2:
                continue
            first_at, first = items[0]
            tail = next((first[-n:] for n in (3, 2) if len(first) >= n and self._county_short(first[-n:], province)), None)
            if tail is None:
                continue
            items[0] = (first_at + len(first) - len(tail), tail)
            found = [(at, item, self._county_short(item, province)) for at, item in items]
            if not all(d for _, _, d in found):
                continue
            for at, item, division in found:
                if not any(a < at + len(item) and at < b for a, b in taken):
                    add(doc, at, at + len(item), "County", name=division.name, found_by="places.county_list")

    def _counted_villages(self, doc: Doc) -> None:
        """新寨坪、楠木冲、小能溪3个村: names listed before a count of villages are villages,
        named as written."""
        text = text_of(doc)
        taken = [(c.start, c.end) for c in candidates(doc)]
        for m in COUNTED_VILLAGES.finditer(text):
            items = _listed_before(text, m.start())
            if len(items) < 2 or not all(2 <= len(p) <= 4 and is_cjk(p) for _, p in items) \
                    or any(p in self.generic or _starts_with_function_word(p) for _, p in items):
                continue
            for at, part in items:
                if not any(a < at + len(part) and at < b for a, b in taken):
                    add(doc, at, at + len(part), "Village", found_by="places.counted")

    def _county_short(self, name: str, province: str | None):
        """The county a short name (2-3 characters) stands for, if the gazetteer says which."""
        if not 2 <= len(name) <= 3 or not is_cjk(name):
            return None
        options = self.gz.lookup_short(name, "county")
        near = [d for d in options if province and self.gz.path_names(d)[0] == province]
        return (near or options)[0] if len(near or options) == 1 else None

    def _province_of(self, subject: str | None) -> str | None:
        division = next(iter(self.gz.lookup(subject, "county")), None) if subject else None
        return self.gz.path_names(division)[0] if division else None

    def _tagged_places(self, doc: Doc) -> None:
        """Villages and townships the tagger reads as one place word (回到茶山村, 和子坝村)
        where the suffix rules found nothing: a stem that ends in a generic word (茶|山村)
        or follows a function character (和) is still a name when the tagger says so.
        Not words holding another place's suffix (a chain, which the rules cut), nor
        quoted nicknames (“笑脸村”)."""
        text, found = text_of(doc), candidates(doc)
        taken = [(c.start, c.end) for c in found]
        for s, e, _ in words_of(doc).tagged("LOC"):
            word = text[s:e]
            m = TAGGED_PLACE.fullmatch(word)
            if not m or word in self.generic or SUFFIX.search(m.group(1)) \
                    or not self._tagged_name_plausible(word, m.group(1)) \
                    or any(a < e and s < b for a, b in taken) \
                    or quoted(text, s, e) \
                    or text[s - 1:s] in "个些类":          # 20个极贫乡: a kind of place, counted
                continue
            add(doc, s, e, "Village" if m.group(2) in ("村", "社区") else "Township", found_by="places.tagger")

    def _tagged_name_plausible(self, word: str, stem: str) -> bool:
        """What the tagger reads as a place is still no name when it is a word of the
        dictionary (小山村, 三星村), its stem a verb or a common noun (督战村, 网络村), or
        it is a generic word with something before it that the gazetteer never lists
        (穷|山村; 茶山村 and 神山村 are listed)."""
        freq = jieba.dt.FREQ
        if freq.get(word, 0) or freq.get(stem, 0) >= 1000 or _starts_with_function_word(stem):
            return False
        return not self._ends_generic(word) or bool(self.gz.lookup(word))

    def _drop_unbelieved(self, doc: Doc) -> None:
        """A township or village that the county's own list does not hold must agree
        with the tagger: a clause running into 村 (他和村, 过去村子, 普通村民, 文明村镇)
        starts or ends inside one of its words, starts with a function word, or holds
        a particle (深度贫困的羊场乡); a name in quotation marks found by its suffix alone
        is a nickname (“笑脸村”)."""
        if not doc._.lac:
            return
        text, words = text_of(doc), words_of(doc)
        found = candidates(doc)
        found[:] = [c for c in found if c.type not in ("Township", "Village") or c.name in self._local
                    or _tagger_agrees(text, c, words)]

    @staticmethod
    def _repeats(doc) -> None:
        """A township or village established once (湟中区|拦隆口镇, 城北乡|沐恩邸社区) is the
        same name wherever the article repeats it (搬进了沐恩邸社区), with or without the
        evidence that found it the first time."""
        text, found = text_of(doc), candidates(doc)
        covered = [(c.start, c.end) for c in found]
        names = {c.text: c for c in found if c.type in ("Township", "Village") and len(c.text) >= 3}
        for name, first in sorted(names.items()):
            for start in occurrences(text, name):
                end = start + len(name)
                if not any(s <= start < e or s < end <= e for s, e in covered):
                    add(doc, start, end, first.type, name=first.name, found_by="places.repeat",
                        confidence=0.9)
                    covered.append((start, end))

    # -- full names at a suffix --------------------------------------------------------
    def _match(self, text, s_start, end, chain_end, subject, strict=False):
        suffix = text[s_start:end]
        levels = SUFFIX_LEVELS[suffix]
        best = None
        floor = max(0, s_start - MAX_STEM)
        # names are Chinese throughout: none starts before the last other character
        first = CJK_TAIL.search(text, floor, end).start()
        generic_end = self._generic_end_len(text, end)
        for start in range(first, s_start - 1):          # a name has at least two characters before its suffix
            name = text[start:end]
            if name in self.generic or 0 < generic_end < end - start:      # (what _ends_generic says)
                continue
            if text[start] in STOP_START and not _list_item_start(text, start):
                continue
            level = None
            for lv in levels:
                if self._known(name, lv):
                    level = lv
                    break
            if level == "village" and not self._plausible_village(text, start, end, chain_end, strict):
                level = None
            if level and (not strict or level == "village" or name in self._local):
                return start, level, "gazetteer"
            if strict:
                continue
            if start in chain_end and levels[0] in NEW_NAME_LEVELS \
                    and _ranks_below(levels[0], chain_end[start]):
                best = (start, levels[0], "chain")
        if strict:
            return None
        if best:
            return best
        if subject and text.endswith(subject, 0, end) and len(subject) > len(suffix):
            return end - len(subject), "county", "subject"
        if levels[0] in NEW_NAME_LEVELS:
            stem_start = self._bounded_stem(text, s_start, end)
            if stem_start is not None:
                return stem_start, levels[0], "suffix"
        return None

    def _of_subject(self, what, subject: str | None):
        """``what(subject)``, a fact about the subject county from the gazetteer, computed
        once per county (articles about one county are common)."""
        key = (what.__name__, subject)
        if key not in self._by_subject:
            self._by_subject[key] = what(subject)
        return self._by_subject[key]

    def _local_names(self, subject: str | None) -> frozenset[str]:
        """Township and village names of the article's county, which need no further
        evidence (七里坪镇长胜街村: 镇 before 长 is still the suffix of a local township)."""
        division = next(iter(self.gz.lookup(subject, "county")), None) if subject else None
        if division is None:
            return frozenset()
        townships = self.gz.children(division)
        return frozenset([t.name for t in townships] + [v for t in townships for v in self.gz.child_names(t, "village")])

    def _plausible_village(self, text, start, end, chain_end, strict=False) -> bool:
        """The gazetteer lists 600,000 villages, many named like common words (实现村, 发展村);
        a listed name counts when something besides the list says it is a name: it lies in
        the article's county, a place stands just before it (伏口镇胡家坪村), a boundary or a
        word of going somewhere (、草原村, 走进团结村, 在十八洞村), or its stem is not a verb
        or adverb of ordinary language (胡家坪)."""
        return text[start:end] in self._local or start in chain_end or left_bounded(text, start) \
            or _list_item_start(text, start) or bool(GOING_TO.search(text, max(0, start - 2), start)) \
            or not strict and not _starts_with_function_word(text[start:end - 1], tags=("v", "d", "p", "c", "r", "u", "a"))

    def _township_stems(self, subject: str | None) -> dict[str, str]:
        """Short forms (of two characters or more) of the subject county's townships."""
        stems = {}
        for d in self.gz.lookup(subject, "county")[:1] if subject else []:
            for t in self.gz.child_names(d, "township"):
                stem = self._township_short(t)
                if len(stem) >= 2:
                    stems[stem] = t
        return stems

    def _township_short(self, name: str) -> str:
        """山界回族乡 → 山界, 桥头河镇 → 桥头河: how articles name townships in passing."""
        return self.township_suffix.sub("", name)

    def _generic_end_len(self, text: str, end: int) -> int:
        """Length of the shortest word of ``generic_end`` that ends at ``end`` (0: none).

        A name ``text[start:end]`` not itself generic ends in a generic word exactly when
        that word is shorter than the name: one look per suffix, not a regex per name.
        """
        for n in self.generic_end_lengths:
            if n <= end and text[end - n:end] in self.generic_end_words:
                return n
        return 0

    def _ends_generic(self, name: str) -> bool:
        """贫困村 inside 禾管村脱贫村 or 提升驻村: a generic word ending a longer string."""
        m = self.generic_end.search(name)
        return bool(m) and m.start() > 0

    def _official(self, name: str, level: str) -> str:
        """黔西南州 → 黔西南布依族苗族自治州; other names are official as written."""
        if level == "prefecture" and name.endswith("州") and not name.endswith("自治州"):
            full = [d.name for d in self.gz.lookup_short(name[:-1], "prefecture") if d.name.endswith("自治州")]
            if len(full) == 1:
                return full[0]
        return name

    def _known(self, name: str, level: str) -> bool:
        if level in ("village", "township", "province"):
            return name in self.names[level]      # (the common case, and the last line's)
        if level == "prefecture" and name.endswith("州") and not name.endswith("自治州"):
            # 黔西南州, 湘西州: an autonomous prefecture by its short name and 州
            if any(d.name.endswith("自治州") for d in self.gz.lookup_short(name[:-1], "prefecture")):
                return True
        if level == "prefecture":
            return name in self.names["prefecture"] and self.gz.is_prefecture_city(name) \
                if name.endswith("市") else name in self.names["prefecture"]
        if level == "county" and name.endswith("市"):
            return name in self.names["county"] and not self.gz.is_prefecture_city(name)
        return name in self.names[level]

    def _bounded_stem(self, text, s_start, end):
        """A new name of 2-3 characters that stands alone: line start or punctuation before it."""
        for n in (2, 3):
            start = s_start - n
            if start >= 0 and left_bounded(text, start) and is_cjk(text[start:s_start]) \
                    and (start == 0 or not text[start - 1].isdigit()) \
                    and text[start:end] not in self.generic and not self._ends_generic(text[start:end]) \
                    and text[start] not in STOP_START and not _starts_with_function_word(text[start:s_start]):
                return start
        return None

    # -- villages named without 村 in a list of villages ---------------------------------
    def _lists(self, doc: Doc) -> None:
        text = text_of(doc)
        villages = {m.start: m for m in candidates(doc) if m.type == "Village"}
        for m in list(villages.values()):
            # item directly before a village, between two list separators: X、Y村
            if m.start >= 2 and text[m.start - 1] == "、":
                left = _item_start(text, m.start - 1)
                item = text[left:m.start - 1]
                if 2 <= len(item) <= 4 and is_cjk(item) and left not in villages \
                        and not item.endswith(("村", "镇", "乡")) and _prev_is_village(text, left, villages):
                    add(doc, left, m.start - 1, "Village", found_by="places.list")
                    villages[left] = candidates(doc)[-1]

    # -- short forms ---------------------------------------------------------------------
    def _short_forms(self, doc: Doc) -> None:
        text = text_of(doc)
        full = {m.name: m.type for m in candidates(doc) if m.type in ("Province", "Prefecture", "County")}
        shorts: dict[str, tuple[str, str]] = {}   # short -> (full name, type)
        for name, type_ in full.items():
            for d in self.gz.lookup(name):
                if d.short and d.short != name and len(d.short) >= 2:
                    shorts[d.short] = (name, type_)
        subject = doc._.subject
        subject_div = self.gz.lookup(subject, "county")[:1] if subject else []
        for d in subject_div:
            for anc in self.gz.ancestors(d):
                if anc.short and len(anc.short) >= 2:
                    shorts.setdefault(anc.short, (anc.short, LEVEL_TYPE[anc.level]))
        townships = self._of_subject(self._township_stems, subject)
        if subject and len(subject) > 2 and subject[-1] in "县市区旗":
            shorts.setdefault(subject[:-1], (subject, "County"))
        taken = [(m.start, m.end) for m in candidates(doc)]
        lac = words_of(doc)
        names = [(s, e) for tag in ("ORG", "nz") for s, e, _ in lac.tagged(tag)]

        def inside_name(start: int, end: int) -> bool:
            return any(s <= start and end <= e and e - s > end - start for s, e in names)

        for short, (name, type_) in sorted(shorts.items()):
            for start in occurrences(text, short):
                end = start + len(short)
                nxt = text[end:end + 1]
                if nxt in "省市县区州盟旗" and nxt != "":
                    continue
                if self.institution.match(text, end):
                    continue              # 湖南日报, 湖南大学: part of another name
                if _in_byline(text, start) or inside_name(start, end):
                    continue              # 新甘肃·每日甘肃网 (a masthead), 国电电力甘肃公司 (a name)
                if not any(s <= start < e for s, e in taken):
                    add(doc, start, end, type_, name=name, found_by="places.short")
        for stem, name in sorted(townships.items()):
            for s in occurrences(text, stem):
                e = s + len(stem)
                if any(a <= s < b or a < e <= b for a, b in taken):
                    continue
                if lac.words and not ((word := lac.starting(s)) and word[2] not in NOT_A_PLACE_START):
                    continue              # 十里|八乡, 哭泉 (a verb here): the tagger reads no name there
                if (left_bounded(text, s) or text[s - 1] in "和与及了在到从是对") and text[e:e + 1] not in "镇乡村":
                    add(doc, s, e, "Township", name=stem, found_by="places.township_short")


FUNCTION_TAGS = ("v", "d", "p", "c", "a", "u", "r", "m", "q")
# 新华社哈尔滨5月17日电, 本报长沙讯: where a report was filed, not a place of the story
DATELINE = re.compile(r"[\u3400-\u9fff]{2,8}?(?:\d{1,2}月\d{1,2}日电|\d{1,2}月\d{1,2}日讯|讯)")
# words of a byline or a masthead line (记者 …, 新湖南客户端): its places are no mentions
BYLINE_WORDS = re.compile(r"记者|通讯员|客户端|日报|晚报|新闻网|电视台|融媒|编辑")
# a count of villages after a list of their names: 3个村, 两个行政村
COUNTED_VILLAGES = re.compile(r"(?:等)?(?:[一二三四五六七八九十两几0-9]+)个(?:行政)?村")
# a count of counties after a list of their names: 三县, 等多个…县
COUNTED_COUNTIES = re.compile(r"(?:等)?(?:[一二三四五六七八九十两几0-9]+个?|多个)[^。，,；;\n、]{0,12}?(?:县|区县|县区)")
# words before a place that say one goes or is there: 在 / 到 / 走进 / 来到 / 驻
GOING_TO = re.compile(r"(?:在|到|进|赴|驻|往|于|至|临)$")


def _is_function_word(word: str, tags=FUNCTION_TAGS) -> bool:
    """实现, 提升, 没有: verbs, adverbs and the like (by jieba's dictionary tags) name no place."""
    return function_word_tags().get(word, "")[:1] in tags


def _starts_with_function_word(stem: str, tags=FUNCTION_TAGS) -> bool:
    """决定回|村, 组织县|乡, 实现|村: a stem that begins with a verb or adverb of two or
    more characters is a clause running into the suffix, not a name."""
    return any(_is_function_word(stem[:n], tags) for n in range(2, len(stem) + 1))


#: a place word of the tagger that is a village or township: a stem, then its suffix
TAGGED_PLACE = re.compile(r"([\u3400-\u9fff0-9]{2,10}?)(村|社区|镇|乡|街道)")
#: tags of the tagger's words that no place name starts with or holds
NOT_A_PLACE_START = frozenset({"r", "c", "p", "d", "u", "a", "ad", "v", "vd", "m", "q", "TIME", "f", "xc", "w"})


def _inside_place(words: TaggedWords, i: int) -> bool:
    """Offset ``i`` lies strictly inside a word the tagger reads as a place or an
    organisation (伏口镇胡家坪村 as one LOC word)."""
    word = words.around(i)
    return word is not None and word[2] in ("LOC", "ORG")


def _tagger_agrees(text: str, c, words: TaggedWords) -> bool:
    """See ``PlaceRecognizer._drop_unbelieved``."""
    first = words.starting(c.start)
    if first is None and not _inside_place(words, c.start):
        return False
    if words.ending(c.end) is None and not _inside_place(words, c.end) and words.starting(c.end - 1) is None:
        return False              # (王家寨|村支书: the suffix may start the next word)
    if first is not None and first[2] in NOT_A_PLACE_START:
        return False
    pos = c.start
    while (word := words.starting(pos)) and pos < c.end:
        _, end, tag = word
        if tag in ("u", "w") and end <= c.end:
            return False
        pos = end
    return not (quoted(text, c.start, c.end) and c.found_by == "places.suffix")


def _listed_before(text: str, end: int) -> list[tuple[int, str]]:
    """The items (start, text) of the 、-list that runs up to ``end`` from the clause's start
    (…,巫溪、云阳、开州|3个区县 → 位于巫溪, 云阳, 开州: the first item may carry words before it).

    >>> _listed_before("位于巫溪、云阳、开州3个区县", 10)
    [(0, '位于巫溪'), (5, '云阳'), (8, '开州')]
    """
    begin = max(text.rfind(p, 0, end) for p in "，,。；;：:\n") + 1
    items, pos = [], begin
    for part in text[begin:end].split("、"):
        items.append((pos, part))
        pos += len(part) + 1
    return items


def _in_byline(text: str, pos: int) -> bool:
    """The line holding ``pos`` names reporters or a masthead (湖南日报·新湖南客户端记者 …):
    short, with such a word and no sentence punctuation (记者穿行在… is prose)."""
    line = line_at(text, pos)
    return len(line) <= 60 and BYLINE_WORDS.search(line) is not None and not re.search(r"[，,。！？!?]", line)


def _numbered_village(text: str, suffix_start: int, chain_end: dict[int, str]):
    """塔尕尔其镇|塔合塔科瑞克15村: a village numbered after its stem, right after a township
    of the chain (the suffix rules want a Chinese stem).

    >>> _numbered_village("某镇塔合15村", 6, {2: "township"})
    (2, 'village', 'chain')
    """
    digits = suffix_start
    while digits > 0 and text[digits - 1].isdigit():
        digits -= 1
    if digits == suffix_start:
        return None
    start = CJK_TAIL.search(text, max(0, digits - MAX_STEM), digits).start()
    for s in range(start, digits - 1):
        if chain_end.get(s) == "township":
            return s, "village", "chain"
    return None


def _list_item_start(text: str, start: int) -> bool:
    """``start`` follows a list separator (白水洞村、向家村): the item is whole, whatever
    its first character (向 is also a preposition)."""
    return start > 0 and text[start - 1] == "、"


def _ranks_below(level: str, parent_level: str) -> bool:
    order = ("province", "prefecture", "county", "township", "village")
    return order.index(level) > order.index(parent_level)


def _item_start(text: str, end: int) -> int:
    i = end
    while i > 0 and re.match(r"[\u3400-\u9fff]", text[i - 1]):
        i -= 1
    return i


def _prev_is_village(text: str, start: int, villages) -> bool:
    """The list item is preceded by a separator and a village, or the list continues after."""
    return start >= 1 and text[start - 1] in "、," and any(m.end == start - 1 for m in villages.values())
