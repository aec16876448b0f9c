"""Organisations: enterprises, cooperatives and government bodies.

A name ends in a head (有限公司, 专业合作社, 加工厂 / 人社局, 扶贫办, 人民政府) and
starts after a boundary: punctuation, a verb such as 成立 or 依托, or the end of a
place (the prefix chain 涟源市桥头河镇 | 湘浙茶叶种植专业合作社 yields three entities).
A name needs a distinctive part: 种养殖专业合作社 or 农产品公司 alone are descriptions,
not names.  Government bodies are an organ word after a place or a state prefix
(国务院扶贫办, 区教育局, 中共涟源市委), or a stand-alone organ in a list of organs.
"""
from __future__ import annotations

import re

from dataclasses import replace

from spacy.language import Language
from spacy.tokens import Doc

from ..lexicon import longest_first, pairs
from ..records import PLACE_TYPES
from . import add, candidates, is_cjk, left_bounded, quoted, text_of
from .tags import words_of

MAX_NAME = 16
#: heads of a branch, named by its parent and its region (农业发展银行|黑龙江省|分行)
BRANCH_HEADS = ("分行", "支行", "分公司")
# words that stop a name to their left: verbs and prepositions that introduce organisations
LEFT_STOPS = longest_first(
    "成立 组建 创办 创建 兴办 引进 依托 通过 带动 联合 牵头 加入 入股 投资 建立 建成 发展 帮助 "
    "支持 组织 动员 引导 鼓励 落户 入驻 合作 对接 签约 联系 由 在 到 与 和 及 向 是 为 的 了 将 把 "
    "被 对 让 由 从 等 于 如 像 并 还 也 都 又 其中 以及 包括 作为 其 该 这家 一家 这个 一个 多家".split())
# generic words that do not make a name distinctive
GENERIC_PARTS = longest_first(
    "种养殖 种植 养殖 种养 农机 农业 农民 农产品 农副产品 茶叶 水果 蔬菜 果蔬 中药材 食品 加工 生态 科技 "
    "旅游 文化 电商 电子商务 专业 股份 经济 发展 开发 实业 贸易 服务 生物 智能 新型 有限 责任 村集体 集体 "
    "扶贫 产业 特色 劳务 畜牧 水产 林业 光伏 建筑 建设 乡村 农村 城乡 现代 绿色 有机 龙头 企业 集团 "
    "乡镇 村级 县级 市级 镇级 污水 处理 垃圾 供水 自来水 水 电 安置 小型 大型 规模 新 老".split())
# industry words that end a company's trade name when the article drops 公司 (德晟智能科技车间)
INDUSTRY = longest_first(
    "科技 智能科技 生物科技 信息科技 电子科技 实业 农业 农业开发 食品 服饰 服装 制衣 鞋业 纺织 电子 "
    "制造 建材 包装 玩具 工艺 家具 药业 茶业 油业 米业 林业 牧业 渔业 果业".split())
# what follows such a bare trade name in reporting: its premises or its people
INDUSTRY_CUES = longest_first("车间 工厂 厂区 厂房 基地 负责人 董事长 总经理 老板 员工 工人".split())
# a count before the name makes it a quantity (建成1000吨以上规模水厂8处), not a name
MEASURE_START = set("吨个家座处所台亩万亿元条户人名批")
# pronouns and particles belong to the sentence, not to a trade name (如今他在|合作社);
# 某 hides the name (深圳某科技公司)
NOT_IN_STEM = set("他她我你们了是在就都也还又某")
STATE_PREFIX = ("中共中央", "中共", "国务院", "中央", "国家", "全国", "省", "市", "州", "县", "区", "镇", "乡")
# characters that make 省 / 县 … a scope (全县, 各乡, 本市) rather than the short name of a unit
DETERMINERS = set("全各本该每外我两三几多同")
# organ words used as a title after them are posts, not bodies (县委书记, 市委常委)
TITLE_AFTER = ("书记", "副书记", "常委", "委员")
# Any department a place names: 湟中区|扶贫开发局, 青海省|农业农村厅, 县|脱贫攻坚领导小组.  The
# lexicon cannot list every local name of a department; a place before it and a department
# head after a short stem are evidence enough.  The stem holds no function word or digit
# (和 only inside: 林业和草原局, 人力资源和社会保障局).
DEPARTMENT = re.compile(r"((?![和与及])(?:(?![的了在与及或等是为将把被对向从到说个年月日])[\u3400-\u9fff]){2,10}?)"
                        r"(?:局|厅|办公室|委员会|领导小组|指挥部|工委|血站)(?:办公室)?")

UNIT_CHAR = re.compile("[省市县区]")       # a bare unit word a department may follow (found by regex, not a loop)
# 汝城县委驻沙洲村帮扶工作队供图: the organ's team credited with a photo
CREDITED = re.compile(r"[^，。,！？!?\n“”]{0,24}?(?:供图|供稿)")
# a post title right after an organ: the organ names the post (组织部|部长), not a body
POST_AFTER = re.compile(r"副?(?:部长|局长|主任|书记|常委|委员|组长)")


@Language.factory("pakg_organizations")
def make_organizations(nlp: Language, name: str):
    return OrganizationRecognizer()


class OrganizationRecognizer:
    def __init__(self):
        heads = pairs("org_heads.txt")
        self.head_type = {h: t for t, h in heads}
        self.heads = re.compile("|".join(longest_first(self.head_type)))
        organs = pairs("organs.txt")
        self.strong = {w for k, w in organs if k in ("strong", "national")}
        self.national = {w for k, w in organs if k == "national"}
        self.organs = re.compile("|".join(longest_first(w for _, w in organs)))
        self.bare = re.compile(f"(?:{'|'.join(INDUSTRY)})+(?={'|'.join(INDUSTRY_CUES)})")
        self.left_stop = re.compile(f"(?:{'|'.join(LEFT_STOPS)})$")
        self.left_stop_len = max(map(len, LEFT_STOPS))
        self.generic = re.compile(f"^(?:{'|'.join(GENERIC_PARTS)})*$")

    def __call__(self, doc: Doc) -> Doc:
        places = {m.end: m for m in candidates(doc)
                  if m.type in PLACE_TYPES}
        self._companies(doc, places)
        self._bodies(doc, places)
        _drop_names_inside_others(doc)
        _short_company_names(doc)
        return doc

    # -- enterprises and cooperatives ---------------------------------------------------
    def _companies(self, doc, places):
        text = text_of(doc)
        for m in self.heads.finditer(text):
            head = m.group()
            if head == "厂" and not re.match(r"[\u3400-\u9fff]", text[m.start() - 1: m.start()] or " "):
                continue
            start = self._left_edge(text, m.start(), places)
            if head in BRANCH_HEADS:
                start = self._branch_of(doc, start, m.start(), places)
                if start is not None:
                    add(doc, start, m.end(), self.head_type[head], found_by=f"organizations.head:{head}")
                continue
            if not self._is_name(text, start, m.start()):
                if self.heads.match(text, m.end()):
                    continue              # …专业合作社|联合社: the longer name is the organisation
                start = self._named_after_place(text, start, m.start(), places) \
                    if start != m.start() else self._named_with_region(text, m.start(), places)
                if start is None:
                    continue
            elif not _tagger_agrees(doc, start, m.end()):
                continue
            else:
                start = self._registered_prefix(doc, start, places)
                start = _whole_as_tagged(doc, text, start, m.end(), places)
            start = _whole_as_quoted(text, start, m.end(), places)
            add(doc, start, m.end(), self.head_type[head], found_by=f"organizations.head:{head}")
        for m in self.bare.finditer(text):
            start = self._left_edge(text, m.start(), places)
            if 2 <= m.start() - start <= 4 and self._is_name(text, start, m.start()) \
                    and (left_bounded(text, start) or start in places):
                add(doc, start, m.end(), "Enterprise", found_by="organizations.bare", confidence=0.8)

    def _is_name(self, text, start, head_start) -> bool:
        """The stem before the head is distinctive and is no quantity phrase."""
        stem = text[start:head_start]
        if len(stem) < 2 or self.generic.match(stem) or NOT_IN_STEM.intersection(stem):
            return False
        return not (start > 0 and text[start - 1].isdigit()) and stem[0] not in MEASURE_START

    def _branch_of(self, doc, start: int, head_start: int, places) -> int | None:
        """中国农业发展银行|黑龙江省|分行: a branch is named by its parent company and its
        region; the branch is the entity (the parent named only inside it is not)."""
        place = places.get(head_start)
        if start != head_start or place is None:
            return None
        parent = next((c for c in candidates(doc) if c.type == "Enterprise" and c.end == place.start), None)
        if parent is None:
            return None
        candidates(doc).remove(parent)
        return parent.start

    def _named_with_region(self, text: str, head_start: int, places) -> int | None:
        """国电电力|甘肃|公司: a company named by its group and its region (a province or
        prefecture right before the head): the name runs from the group's start."""
        place = places.get(head_start)
        if place is None or place.type not in ("Province", "Prefecture"):
            return None
        start = self._left_edge(text, place.start, places)
        return start if start < place.start and self._is_name(text, start, place.start) else None

    def _named_after_place(self, text: str, start: int, head_start: int, places) -> int | None:
        """共康村|产业发展有限责任公司: a generic stem is the name of a village's or
        township's own company when that place stands right before it; the place is then
        part of the registered name (and stays a place of its own)."""
        place = places.get(start)
        stem = text[start:head_start]
        if place is None or place.type not in ("Village", "Township") or not stem \
                or NOT_IN_STEM.intersection(stem) or not self.generic.match(stem):
            return None
        return place.start

    def _registered_prefix(self, doc, start, places) -> int:
        """湖南|雪峰山生态文化旅游公司: a place named without its suffix directly before the
        trade name is the registered name's region part, so it belongs to the name (a full
        place name, 涟源市|…合作社, is a prefix chain and stays a place of its own)."""
        place, text = places.get(start), text_of(doc)
        if place is None or place.text[-1] in "省市县区旗镇乡村州盟" \
                or not (left_bounded(text, place.start) or self._stop_before(text, place.start)):
            return start
        if place in candidates(doc):           # two trade names may follow one place
            candidates(doc).remove(place)
        return place.start

    def _stop_before(self, text: str, i: int) -> bool:
        """A stop word ends at ``i`` (or, `$` being `$`, before a line break there): looked
        for in the few characters before ``i``, not from the start of the text each time."""
        return bool(self.left_stop.search(text, max(0, i - self.left_stop_len - 1), i))

    def _left_edge(self, text, head_start, places):
        """Walk left from the head to the start of the name."""
        i = head_start
        floor = max(0, head_start - MAX_NAME)
        while i > floor and is_cjk(text[i - 1]):
            if i in places:                       # a place ends here: the name starts after it
                break
            stop = self.left_stop.search(text, floor, i)
            if stop and stop.end() == i and i != head_start and not self.heads.match(text, stop.start()):
                break                             # (合作 of 专业合作社|联合社 is a head, no verb)
            i -= 1
        # the walk may have stopped inside a stop word: skip it
        stop = self.left_stop.match(text, i)
        while stop and stop.end() < head_start and text[i:stop.end()] in LEFT_STOPS:
            i = stop.end()
            stop = self.left_stop.match(text, i)
        return i

    # -- government bodies -------------------------------------------------------------
    def _bodies(self, doc, places):
        text = text_of(doc)
        taken = {(c.start, c.end) for c in candidates(doc) if c.type in ("Enterprise", "Cooperative")}
        for m in self.organs.finditer(text):
            organ, end = m.group(), m.end()
            while (more := self.organs.match(text, end)) and more.group() in self.strong:
                end = more.end()                  # 市委|宣传部, 省委|办公厅: a department of the organ
            if text.startswith(TITLE_AFTER, end) and organ not in self.strong:
                continue
            if _in_credit(text, m.start(), end):
                continue
            start = m.start()
            qualifier = "national" if organ in self.national else ""
            place = None if qualifier else places.get(start)
            if place:
                start, qualifier = place.start, "place"
                if text[start - 2:start] == "中共":
                    start -= 2
            elif not qualifier:
                pre = next((p for p in STATE_PREFIX if text.endswith(p, 0, start)), None)
                if pre:
                    start -= len(pre)
                    qualifier = "state"
                    if pre in ("省", "市", "州", "县", "区", "镇", "乡") and start > 0 \
                            and text[start - 1] in DETERMINERS:
                        continue          # 全县 / 各乡 + organ: a scope, not a named body
            if not qualifier:
                if organ not in self.strong or not _in_list_of_bodies(text, m.start(), m.end()) \
                        or POST_AFTER.match(text, end):
                    continue              # 县委常委、组织部|部长: a bare organ in a post title
            if any(s <= start < e for s, e in taken):
                continue
            add(doc, start, end, "GovernmentBody", found_by=f"organizations.organ:{qualifier or 'list'}")
            taken.add((start, end))
        self._departments(doc, text, places, taken)

    def _departments(self, doc, text, places, taken):
        """Departments outside the organ lexicon, after a place or a bare unit word."""
        starts = [(p.end, p.start) for p in places.values() if p.type != "Village"]
        starts += [(i + 1, i) for i in (m.start() for m in UNIT_CHAR.finditer(text)) if text[i - 1:i] not in DETERMINERS
                   and (left_bounded(text, i) or self._stop_before(text, i))]
        for at, start in sorted(set(starts)):
            m = DEPARTMENT.match(text, at)
            if not m:
                continue
            inner = [c for c in candidates(doc) if c.type == "GovernmentBody" and c.start == start and c.end < m.end()]
            if any(s < m.end() and start < e for s, e in taken - {(c.start, c.end) for c in inner}):
                continue
            for c in inner:                       # 市委|脱贫攻坚领导小组: the department, not its organ
                candidates(doc).remove(c)
                taken.discard((c.start, c.end))
            if text[start - 2:start] == "中共":
                start -= 2
            add(doc, start, m.end(), "GovernmentBody", found_by="organizations.department", confidence=0.8)
            taken.add((start, m.end()))


#: tags of the tagger's words that no company or cooperative name holds: verbs, prepositions,
#: pronouns, adverbs, particles, conjunctions (全村百户人口加入合作社, 这家合作社, 通过合作社)
NOT_IN_NAME_TAGS = frozenset({"v", "vd", "p", "r", "d", "ad", "u", "c", "xc", "w", "TIME"})
#: words a name may start or end inside: a place or organisation the tagger reads whole
#: (萨迦县帕巴岗巴羊养殖 | 农民专业合作社)
NAME_TAGS = frozenset({"ORG", "LOC", "nz"})


def _tagger_agrees(doc, start: int, end: int) -> bool:
    """A company or cooperative name found at its head is a run of the tagger's words:
    it starts and ends at word boundaries (该|村历史… and 建厂|房 do not) and holds no
    verb, preposition, pronoun, adverb or particle (创办合作社, 交由合作社), unless the
    tagger reads it, or a longer stretch around it, as one organisation; and it is no
    quoted nickname made of ordinary words (“卫星工厂”, a program; “何苑农家乐” is a name)."""
    if not doc._.lac:
        return True
    text = text_of(doc)
    inside = words_of(doc).overlapping(start, end)
    if any(t == "ORG" and s <= start and end <= e for s, e, t in inside):
        return True                       # the tagger reads one organisation here
    if quoted(text, start, end) and any(t not in NAME_TAGS and t != "PER" for s, e, t in inside
                                        if start <= s and e <= end - 1):
        return False
    if not inside or inside[0][0] != start and inside[0][2] not in NAME_TAGS \
            or inside[-1][1] != end and inside[-1][2] not in NAME_TAGS:
        return False
    return not any(t in NOT_IN_NAME_TAGS and not (t == "w" and is_cjk(text[s:e])) for s, e, t in inside)


def _drop_names_inside_others(doc) -> None:
    """A company or cooperative whose name begins a longer organisation's name at the same
    spot (康顺堂农业专业合作社 of …合作社联合社) or ends a body's (供销合作社 of 黑龙江省供销合作社)
    is a part of that name there, not an organisation of its own."""
    found = candidates(doc)
    orgs = [c for c in found if c.type in ("Enterprise", "Cooperative", "GovernmentBody")]
    inside = {id(c) for c in orgs if c.type != "GovernmentBody" and any(
        o is not c and (o.start == c.start and o.end > c.end and o.type != "GovernmentBody"
                        or o.end == c.end and o.start < c.start and o.type == "GovernmentBody") for o in orgs)}
    found[:] = [c for c in found if id(c) not in inside]


def _short_company_names(doc) -> None:
    """倍丰金秋公司 once 倍丰金秋粮食贸易有限公司 is named: the short form of one company is the
    full name's alias (it keeps its text), when exactly one longer name starts like it."""
    found = candidates(doc)
    full = sorted({c.name for c in found if c.type == "Enterprise"})
    for i, c in enumerate(found):
        if c.type == "Enterprise" and c.name.endswith("公司") and len(c.name) >= 5:
            stem = c.name[:-2]
            longer = [n for n in full if n != c.name and n.startswith(stem) and n.endswith("公司")]
            if len(longer) == 1:
                found[i] = replace(c, name=longer[0])


def _whole_as_quoted(text: str, start: int, end: int, places) -> int:
    """成立了“十八洞村苗绣特产农民专业合作社”: a name set in quotation marks is the whole
    quoted text, the places at its start included (they stay entities of their own)."""
    i = start
    while i in places:
        i = places[i].start
    return i if i < start and quoted(text, i, end) else start


def _whole_as_tagged(doc, text: str, start: int, end: int, places) -> int:
    """湘西土家族苗族自治州和|益生物科技公司, 河南仁和|康源…有限公司: the rules cut a name at a
    word that usually stops one (和); when the tagger reads one organisation word ending
    where the name does and starting further left, and the cut was not at a place's end
    (a prefix chain, whose places are entities of their own), the name starts there."""
    if start in places:
        return start
    for s, e, _ in words_of(doc).tagged("ORG"):
        if e == end and s < start and is_cjk(text[s:start]):
            return s
    return start


def _in_credit(text, start, end) -> bool:
    """图/耒阳市委宣传部提供, 由涪口区摄协、涪口区扶贫办提供: a photo or text credit, which
    names a source, not an actor of the story."""
    line_start = text.rfind("\n", 0, start) + 1
    if re.search(r"(?:^|[\s■])(?:文|图|摄影|摄|统筹|策划|来源)\s*[/／:：]", text[line_start:start]):
        return True
    return bool(re.match(r"(?:、[\u3400-\u9fff]{2,12})*(?:提供|供图|供稿)", text[end:end + 60])) \
        or CREDITED.match(text, end) is not None


def _in_list_of_bodies(text, start, end):
    """A bare organ word counts when it stands in an enumeration (区教育局、扶贫办、卫健局)."""
    return (start > 0 and text[start - 1] in "、,，") or text[end:end + 1] in "、" or start == 0
