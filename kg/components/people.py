"""People: cadres and residents, found from a surname plus a cue word.

A Chinese name is a surname and one or two characters; what makes a span a name in
news text is its neighbourhood: a post title before it (区委书记罗绍昭) or after it
(习近平总书记) makes a cadre; a villager word before it (脱贫村民杨晚连) a resident.
Once a name is established, its other occurrences in the article are mentions too.
Bylines (记者 龚雅丽, 张扬 摄) are never people of the graph.
"""
from __future__ import annotations

import re
from bisect import bisect_left

import jieba
from spacy.attrs import IDX
from spacy.language import Language
from spacy.tokens import Doc

from ..gazetteer import load_gazetteer
from ..lexicon import alternation, function_word_tags, longest_first, words
from ..records import PLACE_TYPES
from . import BOUNDARY, CJK, add, candidates, is_cjk, line_at, occurrences, text_of
from .tags import TaggedWords, words_of

# characters that do not end a given name (they start the next word): 的 说 在 …
NOT_IN_NAME = set("的了在是说和与及等为把被将对从向到也都就还又再却才已正便")


@Language.factory("pakg_people")
def make_people(nlp: Language, name: str):
    return PersonRecognizer()


class PersonRecognizer:
    def __init__(self):
        surnames = words("surnames.txt")
        self.surnames = surnames
        self.titles = longest_first(words("cadre_titles.txt"))
        self.residents = longest_first(words("resident_cues.txt"))
        self.bylines = words("byline_cues.txt")
        sur = alternation(surnames)
        name = rf"(?:{sur})[\u3400-\u9fff]{{1,2}}"
        self.name_re = re.compile(name)
        titles = "|".join(self.titles)
        self.title_end = re.compile(rf"(?:{titles})$")
        # the name is no title itself (县委常委、常务副县长李明亮: 常务副 is not a name)
        self.after_title = re.compile(rf"({titles})[、,，”\"]?(?!{titles})({name})")
        # 第一书记、县纪委干部程晓明: a title, then the cadre's home unit, then the name
        self.title_then_unit = re.compile(rf"({titles})、[\u3400-\u9fff]{{1,12}}?(?:委|局|厅|办|部|院|中心)干部({name})")
        self.before_title = re.compile(rf"({name})(?:同志)?[,，]?({titles})")
        self.after_resident = re.compile(rf"(?:{'|'.join(self.residents)})({name})")
        # 县长哈布约布介绍, 贫困户吉克曲布说, 买买提·艾力: Yi, Tibetan and Uyghur names follow no
        # surname table; a cue before, a word of speech or action after, and no dictionary
        # word inside make them names
        follow = "说|介绍|告诉|表示|带领|指出|坦言|感慨|回忆|正在|今年|一家|来自|[是在和与等也还就都的,，。:：、(（]"
        self.long_after_title = re.compile(rf"({titles})({LONG_NAME})(?={follow})")
        self.long_after_resident = re.compile(rf"(?:{'|'.join(self.residents)})({LONG_NAME})(?={follow})")
        # 刘清锋，2018年3月来到胡家坪村担任第一书记: a title taken up later in the sentence
        self.takes_post = re.compile(rf"({name})[,，][^。!?！？]{{0,30}}?(?:担任|任)({titles})")
        # 选举…赵井海为村会计, 张三任第一书记: a post taken up right after the name
        self.post_after = re.compile(rf"(?:为|任|担任)(?:[\u3400-\u9fff]{{2,10}}?[村镇乡县市区])?({titles})")
        self.resident_before = re.compile(rf"(?:{'|'.join(self.residents)}|岁的|媳妇|名匠|能人|老伴)$")
        self.outsider_before = re.compile(rf"(?:{'|'.join(longest_first(words('outsider_cues.txt')))})$")

    def __call__(self, doc: Doc) -> Doc:
        text = text_of(doc)
        tokens = _Sorted(doc.to_array(IDX).tolist() + [len(text)])   # token starts, without a Token object each
        found: dict[str, str] = {}   # name -> type
        titles: dict[str, list[str]] = {}
        place_ends = {c.end: c.start for c in candidates(doc) if c.type in PLACE_TYPES}
        long_starts = set()
        for type_, pattern, group in (("Cadre", self.long_after_title, 2), ("Resident", self.long_after_resident, 1)):
            for m in pattern.finditer(text):
                if _transliterated(m.group(group)):
                    found.setdefault(m.group(group), type_)
                    long_starts.add(m.start(group))
                    if type_ == "Cadre":
                        titles.setdefault(m.group(2), []).append(
                            _with_department(text, m.start(1), m.group(1), place_ends))
                        titles[m.group(2)] += self._titles_before(text, m.start(), place_ends)
        for m in self.after_title.finditer(text):
            if m.start(2) in long_starts:
                continue
            name = self._trim(text, m.start(2), m.end(2), tokens)
            if name:
                found.setdefault(name, "Cadre")
                titles.setdefault(name, []).append(_with_department(text, m.start(1), m.group(1), place_ends))
                titles[name] += self._titles_before(text, m.start(), place_ends)
                for other in self._listed_after(text, m.start(2) + len(name), tokens):
                    found.setdefault(other, "Cadre")          # 队员马国栋、王丽娟: the title covers the list
                    titles.setdefault(other, []).append(m.group(1))
        for m in self.title_then_unit.finditer(text):
            name = self._trim(text, m.start(2), m.end(2), tokens)
            if name:
                found.setdefault(name, "Cadre")
                titles.setdefault(name, []).append(_with_department(text, m.start(1), m.group(1), place_ends))
        for m in self.before_title.finditer(text):
            name = self._trim(text, m.start(1), m.end(1), tokens, exact=True)
            if name and name == m.group(1) and _starts_word(text, m.start(1), tokens) \
                    and name[-1] not in UNIT_END:             # 农业农村局副局长: 农村局 is no name
                found.setdefault(name, "Cadre")
                titles.setdefault(name, []).append(m.group(2))
        for m in self.takes_post.finditer(text):
            name = self._trim(text, m.start(1), m.end(1), tokens, exact=True)
            if name == m.group(1) and _starts_word(text, m.start(1), tokens):
                found.setdefault(name, "Cadre")
                titles.setdefault(name, []).append(m.group(2))
                titles[name] += self._more_titles(text, m.end(2))
        for m in self.after_resident.finditer(text):
            if m.start(1) in long_starts:
                continue
            name = self._trim(text, m.start(1), m.end(1), tokens)
            if name:
                found.setdefault(name, "Resident")
        for name in self._villagers_by_place(doc, tokens) + _nicknames(text):
            found.setdefault(name, "Resident")
        place_starts = {c.start for c in doc._.candidates or () if c.type in PLACE_TYPES}
        by_tagger = self._tagged_names(doc, text, found, titles, place_ends, place_starts)
        for name, type_ in list(found.items()):
            spots = list(occurrences(text, name))
            if _is_common_word(name) or all(s in place_starts or _in_longer_word(text, s, s + len(name))
                                            for s in spots):
                del found[name]
                continue
            for s in spots:
                if s not in place_starts and not self._at_byline(text, s, s + len(name)):
                    add(doc, s, s + len(name), type_, found_by="people.tagger" if name in by_tagger else "people.cue")
        self._surname_references(doc, [n for n, t in found.items() if t == "Cadre"])
        doc.user_data["pakg_titles"] = {n: sorted(set(t)) for n, t in titles.items() if n in found}
        return doc

    def _tagged_names(self, doc: Doc, text: str, found: dict[str, str], titles: dict[str, list[str]],
                      place_ends: dict[int, int], place_starts: set[int]) -> set[str]:
        """Names the tagger marks ``PER``: they mend the cut of names the rules found
        (熊璋 → 熊璋辉 when the tagger reads 熊璋辉 there; 苟建科便 → 苟建科), and add the
        names no cue announced, typed by what stands before them.

        A tagged name is taken when it is Chinese (two to four characters, or a
        transcription with ``·``), no dictionary word (瑞雪, 紫气), no place of the gazetteer
        or of the article, not in a byline or credit line, and not introduced as an
        outsider (技术员, 董事长: ``kg/data/outsider_cues.txt``). A post title right before it
        or taken up after it makes a cadre (with that title), so does a cadre cue (官员); a
        villager's context makes a resident; a name with neither is left out. Returns the
        names it added.
        """
        lac = words_of(doc)
        tagged = {}                                    # start -> the name the tagger reads there
        for s, e, _ in lac.tagged("PER"):
            name = text[s:e]
            if (2 <= len(name) <= 4 and is_cjk(name) or _transliterated_form(name)) \
                    and not FORM_OF_ADDRESS.search(name) and not _two_words(name):
                tagged[s] = name
        whole = _whole_names(set(tagged.values()))
        tagged = {s: whole.get(name, name) for s, name in tagged.items() if text.startswith(whole.get(name, name), s)}
        for name in list(found):
            better = {tagged[s] for s in occurrences(text, name) if s in tagged and tagged[s] != name
                      and (tagged[s].startswith(name) or name.startswith(tagged[s]))}
            new = better.pop() if len(better) == 1 else name
            # the longer reading must be the only one the text has (熊璋 is never written alone),
            # the shorter must stand alone elsewhere (苟建科, where 苟建科便 is one spot)
            if len(new) > len(name) and text.count(new) == text.count(name) or \
                    len(new) < len(name) and text.count(new) > text.count(name):
                found.setdefault(new, found.pop(name))
                titles[new] = titles.pop(name, []) + titles.get(new, [])
        added: set[str] = set()
        for name in list(found):
            spots = list(occurrences(text, name))
            if spots and not any(s in tagged for s in spots) and all(
                    _ends_inside(lac, s + len(name)) or _read_as_words(text, lac, s, s + len(name))
                    for s in spots):
                del found[name]                   # 殷切期望, 任|第一|书记, 党总支|书记: no name to the tagger
                titles.pop(name, None)
        gazetteer = load_gazetteer()
        for name in dict.fromkeys(name for _, name in sorted(tagged.items())):      # in order of first reading
            spots = [s for s in occurrences(text, name) if not (
                s in place_starts or self._at_byline(text, s, s + len(name)) or _credit_line(text, s))]
            if not spots or any(name in other or other in name for other in found) or _is_common_word(name) \
                    or gazetteer.lookup_short(name) or gazetteer.lookup(name) \
                    or any(self.outsider_before.search(text, max(0, s - 8), s) for s in spots):
                continue
            added.add(name)
            posts = [m for s in spots for m in [self.title_end.search(text, max(0, s - 14), s)] if m]
            posts += [m for s in spots for m in [self.post_after.match(text, s + len(name))] if m]
            if posts:
                found[name] = "Cadre"
                titles.setdefault(name, []).extend(
                    _with_department(text, m.start(m.lastindex or 0), m.group(m.lastindex or 0), place_ends)
                    for m in posts)
            elif any(CADRE_CUE.search(text, max(0, s - 4), s) for s in spots):
                found[name] = "Cadre"
            elif any(self._person_context(text, s, s + len(name), tagged) for s in spots):
                found[name] = "Resident"
            else:
                added.discard(name)
        return added

    def _person_context(self, text: str, start: int, end: int, tagged: dict[int, str]) -> bool:
        """What makes a once-named word a person: a villager word or an age before it
        (村民, 66岁的), a verb of speech or a person's doing after it (说, 告诉, 家), or a
        list of names it belongs to (石文祖、杨五香等)."""
        if MEASURED.search(text, max(0, start - 2), start):
            return False
        if self.resident_before.search(text, max(0, start - 8), start) or PERSON_AFTER.match(text, end):
            return True
        while text.startswith("、", end) and end + 1 in tagged:      # 石文祖、杨五香等20多位
            end += 1 + len(tagged[end + 1])
            if PERSON_AFTER.match(text, end) and text.startswith("等", end):
                return True
        return False

    def _trim(self, text, start, end, tokens, exact=False):
        """Cut a greedy ``surname + 1-2 chars`` match to the name it most likely is."""
        name = text[start:end]
        if len(name) == 3 and (name[2] in NOT_IN_NAME or ((end - 1) in tokens and end not in tokens)):
            name = name[:2]
        if exact:
            return name
        if len(name) < 2 or name[-1] in NOT_IN_NAME:
            return None
        return name

    def _listed_after(self, text: str, pos: int, tokens) -> list[str]:
        """Names listed after a titled name (、王丽娟、张强), until the list ends."""
        out = []
        while text.startswith("、", pos):
            m = self.name_re.match(text, pos + 1)
            name = m and self._trim(text, m.start(), m.end(), tokens)
            if not name or _is_common_word(name):
                break
            out.append(name)
            pos += 1 + len(name)
        return out

    def _titles_before(self, text: str, pos: int, place_ends: dict[int, int]) -> list[str]:
        """Earlier titles of the same person: 县委常委、副县长张伟; 帮扶责任人斗笠山镇镇长助理邵秋良
        (a title, then the unit of the next title)."""
        out = []
        while True:
            start = pos
            while start in place_ends:            # skip the place chain before the title
                start = place_ends[start]
            if start == pos and text[start - 1:start] == "、":
                start -= 1
            if start == pos:
                return out
            m = self.title_end.search(text, max(0, start - 12), start)
            if not m:
                return out
            out.append(m.group())
            pos = m.start()

    def _surname_references(self, doc: Doc, cadres: list[str]) -> None:
        """刘书记 → 刘清锋: surname plus a form of address, once the article has introduced
        exactly one cadre of that surname (two 刘 cadres leave 刘书记 unresolved)."""
        text = text_of(doc)
        by_surname: dict[str, list[str]] = {}
        for name in cadres:
            sur = next((name[:k] for k in (2, 1) if name[:k] in self.surnames and len(name) > k), None)
            if sur:
                by_surname.setdefault(sur, []).append(name)
        for m in ADDRESS.finditer(text):
            for sur, full in by_surname.items():
                if len(full) == 1 and text.startswith(sur, m.start() - len(sur)) and \
                        not _in_longer_word(text, m.start() - len(sur), m.end() - 1):
                    add(doc, m.start() - len(sur), m.end(), "Cadre", name=full[0], found_by="people.address")

    def _villagers_by_place(self, doc: Doc, tokens) -> list[str]:
        """淦田镇毛坪村的张良主: a name right after "village 的" is one of its people when
        the article comes back to the name (one occurrence could be anything: 村的黄桃).

        The names are matches of ``name_re.finditer(text)`` that start there.  Its matches are
        Chinese throughout, so they never cross another character: scanning only the runs of
        Chinese that hold a village's 的, each from its start, finds the same matches there.
        """
        text, out = text_of(doc), []
        ends = {c.end for c in doc._.candidates or () if c.type in ("Village", "Township")}
        scanned = 0                                  # the runs before this are done
        for end in sorted(e for e in ends if text[e:e + 1] == "的"):
            if end < scanned:
                continue
            begin = end
            while begin > 0 and CJK.match(text, begin - 1):
                begin -= 1
            other = BOUNDARY.search(text, end)
            scanned = other.start() if other else len(text)
            for m in self.name_re.finditer(text, begin, scanned):
                if m.start() - 1 in ends and text[m.start() - 1] == "的":
                    name = self._trim(text, m.start(), m.end(), tokens)
                    if name and text.count(name) >= 2:
                        out.append(name)
        return out

    def _more_titles(self, text: str, pos: int) -> list[str]:
        """Titles listed after a first one: 担任驻村帮扶工作队队长、第一书记."""
        out = []
        while text.startswith("、", pos):
            m = re.match("|".join(self.titles), text[pos + 1:])
            if not m:
                break
            out.append(m.group())
            pos += 1 + m.end()
        return out

    def _at_byline(self, text: str, start: int, end: int) -> bool:
        """This occurrence is a credit (记者 龚雅丽, 刘清锋 摄), not a mention."""
        before = text[max(0, start - 6):start].strip(" /:：\u3000")
        after = text[end:end + 3].strip(" \u3000")
        return any(before.endswith(c) for c in self.bylines) or after.startswith("摄")


UNIT_WORDS = set("省市县区镇乡")
# characters that end the name of a unit, not of a person
UNIT_END = set("局厅办委部处科股站所院室社司厂店村镇乡县市区省队组")
# the head of a department's name, which a post title after it takes along
DEPARTMENT_END = re.compile(r"(?:局|厅|办|办公室|委员会|中心|站|所)$")
DEPARTMENT_START = re.compile(r"局|厅|办|委员会|中心|站|所")       # 扶贫开发|办公室主任


def _with_department(text: str, start: int, title: str, place_ends: dict[int, int]) -> str:
    """都安瑶族自治县|扶贫开发办公室主任: a post of a department is named with the department
    as written after the place (like 扶贫办主任), not by its last words (办公室主任).

    >>> _with_department("某县扶贫开发办公室主任张三", 6, "办公室主任", {2: 0})
    '扶贫开发办公室主任'
    """
    for begin in range(max(0, start - 8), start):
        if begin in place_ends or text[begin - 1:begin] in UNIT_WORDS and not re.match(
                r"[\u3400-\u9fff]", text[begin - 2:begin - 1] or " "):      # 县|商务局局长
            organ = text[begin:start]
            if (DEPARTMENT_END.search(organ) or DEPARTMENT_START.match(title)) and not NOT_IN_NAME.intersection(organ) \
                    and re.fullmatch(r"[\u3400-\u9fff]+", organ):
                return organ + title
            break
    return title
LONG_NAME = r"[\u3400-\u9fff]{2,7}·[\u3400-\u9fff]{2,7}?|[\u3400-\u9fff]{4}"


def _transliterated(name: str) -> bool:
    """A name transcribed from Yi, Tibetan or Uyghur: no pair of its characters is a word
    of ordinary language (哈布约布, 扎西平措), where a phrase has one (亲自带领, 深入一线).

    >>> _transliterated("帕查有格"), _transliterated("带领村民")
    (True, False)
    """
    jieba.dt.check_initialized()
    if "·" in name:
        return all(_transliterated(part) or len(part) < 4 for part in name.split("·"))
    if NOT_IN_NAME.intersection(name) or jieba.dt.FREQ.get(name, 0) or _two_words(name):  # 思想观念: words
        return False
    ordinary = function_word_tags()     # verbs, adverbs …; a rare noun pair may occur (扎西平措: 西平)
    pairs = [name[i:i + 2] for i in range(len(name) - 1)]
    return all(jieba.dt.FREQ.get(p, 0) < (50 if p in ordinary else 500) for p in pairs)


def _transliterated_form(name: str) -> bool:
    """买买提·艾力: two transcribed parts joined by a middle dot."""
    return re.fullmatch(r"[\u3400-\u9fff]{2,7}·[\u3400-\u9fff]{2,7}", name) is not None


#: what follows a person's name: speech, a doing, a possession, a list going on
PERSON_AFTER = re.compile(r"说|告诉|表示|介绍|坦言|感慨|回忆|笑|想|正|刚|在|是|和|也|家|的家|一家|[(（，,]"
                          r"|等(?:人|同志|[0-9一二三四五六七八九十多几]+[多余]?[位名个户])")
#: a measure before a word makes it a thing (10亩桑苗), not a person
MEASURED = re.compile(r"[0-9一二三四五六七八九十两几多][亩棵株斤吨头只个块片]$")
#: words before a name that make a cadre without being a post title (拉孜镇一位官员仁青拉姆)
CADRE_CUE = re.compile(r"(?:官员|干部)$")
#: forms of address and titles, which the tagger reads as names (习总书记, 苟叔叔, 老韩)
FORM_OF_ADDRESS = re.compile(r"书记|主任|叔叔|阿姨|大爷|大妈|大娘|奶奶|爷爷|伯伯|^老.$|^小.$")


def _ends_inside(words: TaggedWords, i: int) -> bool:
    """Offset ``i`` lies strictly inside a word the tagger reads as no name: a would-be
    name ending there was cut out of a word."""
    word = words.around(i)
    return word is not None and word[2] != "PER"


def _read_as_words(text: str, words: TaggedWords, start: int, end: int) -> bool:
    """The tagger reads ``text[start:end]`` as ordinary words: the span starts at one of
    its words, none of them a name, and it is one word of the dictionary (党总支, 易地) or
    several words starting with a function word (任|第一)."""
    inside = words.overlapping(start, end)
    if not inside or inside[0][0] != start or any(t in ("PER", "LOC", "ORG", "nz", "nr") for _, _, t in inside):
        return False
    if len(inside) == 1:                  # one word of the dictionary (党总支, 易地); not 帕查有格
        return inside[0][1] == end and inside[0][2] in ("n", "v", "vn", "a") \
            and jieba.dt.FREQ.get(text[start:end], 0) > 0
    return inside[0][2] in ("v", "p", "d", "r", "c", "u", "m", "a", "ad", "vd")


def _two_words(name: str) -> bool:
    """房前屋后: four characters that are two words of the dictionary make a phrase, not a
    name (a transcribed name, 仁青拉姆, or a compound surname's, 欧阳小明, has a half that is none).

    >>> _two_words("房前屋后"), _two_words("仁青拉姆")                 # doctest: +SKIP
    (True, False)
    """
    freq = jieba.dt.FREQ
    return len(name) == 4 and freq.get(name[:2], 0) >= 20 and freq.get(name[2:], 0) >= 20


def _whole_names(names: set[str]) -> dict[str, str]:
    """A name the tagger also reads one character longer (王洪 beside 王洪周) was cut
    there: the longer reading is the name. A four-character reading of a three-character
    name (董金科刚 beside 董金科) took the next word's first character, so the shorter wins.

    >>> _whole_names({"王洪", "王洪周", "董金科", "董金科刚"})
    {'王洪': '王洪周', '董金科刚': '董金科'}
    """
    out = {}
    for name in names:
        longer = [n for n in names if len(n) == len(name) + 1 and n.startswith(name)]
        if len(name) == 2 and len(longer) == 1:
            out[name] = longer[0]
        elif len(name) == 4 and name[:3] in names:
            out[name] = name[:3]
    return dict(sorted(out.items()))


def _credit_line(text: str, pos: int) -> bool:
    r"""The line holding ``pos`` is a credit or byline, not prose: short, with no sentence
    punctuation (周勇军 李飞 姜鸿丽, a lone author's name under a headline).

    >>> _credit_line("标题\n张三 李四\n正文，说了。", 3), _credit_line("村民张三说，好。", 2)
    (True, False)
    """
    line = line_at(text, pos)
    return len(line) <= 40 and not re.search(r"[，。,！？!?:：“”]", line)


def _is_common_word(name: str) -> bool:
    """干部, 文化, 强调: words of the dictionary, not names (jieba's frequencies say which)."""
    return jieba.dt.FREQ.get(name, 0) >= 50


# how a cadre is addressed by surname: 刘书记, 王主任, 李队长
ADDRESS = re.compile(r"(?:书记|支书|主任|队长|县长|区长|市长|镇长|乡长|村长|局长|部长|组长|站长)")


def _in_longer_word(text: str, start: int, end: int) -> bool:
    """群众安居乐业: the would-be name 安居乐 is the start of a dictionary word."""
    return any(jieba.dt.FREQ.get(text[start:end + k], 0) >= 50 for k in (1, 2))


# 小欣的母亲, 学生小欣: a child or pupil called by a nickname (the look-behinds come after 小, so
# that the search skips from one 小 to the next, where in front they were tried everywhere)
NICKNAME = re.compile(r"小(?:(?<![\u3400-\u9fff]小)[\u3400-\u9fff](?=的(?:母亲|父亲|妈妈|爸爸|奶奶|爷爷|外婆|外公|家|哥哥|姐姐|弟弟|妹妹))"
                      r"|(?<=(?:学生|孩子|女孩|男孩|女儿|儿子)小)[\u3400-\u9fff])")


def _nicknames(text: str) -> list[str]:
    """Nicknames (小欣) that the article uses more than once for a person."""
    return sorted({m.group() for m in NICKNAME.finditer(text)
                   if text.count(m.group()) >= 2 and not _is_common_word(m.group())})


class _Sorted(list):
    """A sorted list whose ``in`` is a binary search (cheaper to build than a set, and
    looked up a few times an article)."""

    def __contains__(self, x) -> bool:
        i = bisect_left(self, x)
        return i < len(self) and self[i] == x


def _starts_word(text, start, tokens):
    return start in tokens or start == 0 or not re.match(r"[\u3400-\u9fff]", text[start - 1])
