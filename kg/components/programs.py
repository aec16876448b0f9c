"""Programs: quoted names, policy-document titles and the standard program kinds.

News features quote both program names (“四跟四走”, “百企帮百村”) and slogans or
speech (“不落一人”, “让贫困群众都过上好日子”).  A quoted phrase is a program when
its neighbourhood says so: a head noun after it (活动 行动 模式 政策 制度 工程 …),
a verb of carrying out before it (开展 实施 推行 落实 按照 …), or the numbered shape of
Chinese policy names (四个不摘, 两不愁三保障, 一村一队).  《…》 titles are programs
when they name a policy document (意见 办法 方案 …).  The program kinds of the
ontology's SKOS scheme are matched with all their variants and named canonically.
"""
from __future__ import annotations

import re
from bisect import bisect_left

import jieba
from spacy.language import Language
from spacy.tokens import Doc

from ..lexicon import longest_first
from ..ontology import program_kinds
from . import add, text_of

QUOTED = re.compile(r"[“\"‘]([^“”\"‘’\n]{2,40}?)[”\"’]")
TITLED = re.compile(r"《([^《》\n]{2,60})》")
HEADS = longest_first(
    "专项行动 行动 活动 模式 政策 制度 工程 要求 思路 标准 建设 精神 方略 机制 计划 项目 工作格局 格局 "
    "结算服务 结算 服务 体系 战略 理念 工作法 目录 全覆盖 评选 工作 宜居行动 村庄清洁行动 就业扶贫模式 "
    "改革 试点 做法 经验 品牌 方针 举措 措施 目标 基金 银行 保险 补贴 工作机制 管理办法 帮扶 结对帮扶 "
    "评定 评比 新路径 路径 方式 产业发展体系 发展体系".split())
VERBS = longest_first(
    "深入开展 全面开展 持续开展 扎实开展 开展 实施 全面实施 推行 大力推行 全面推行 落实 全面落实 严格落实 "
    "贯彻落实 贯彻 按照 坚持 推进 全面推进 扎实推进 建立 建设 创新 启动 探索 实行 推广 执行 聚焦 "
    "启动实施 创建 组织 举办 首提 提出 入选 被评为 评为 连续开展 基础上连续开展 推动 "
    "推出 创新推出 出台 创新实施 率先推行 率先开展".split())
# shapes of numbered policy names: 四跟四走, 两不愁三保障, 一村一队, 五个一批, 3+1
NUMBERED = re.compile(r"^[一二三四五六七八九十百千两双]")
POLICY_DOC = re.compile(r"(意见|办法|方案|规划|通知|决定|条例|规定|计划|细则|措施|纲要|制度|标准)$")
SPEECH = re.compile(r"[。！？!?]|^[我你他她咱]")
SENTENCE = re.compile(r"[。！？!?]")
# 按照“搬得出、稳得住”的要求: a principle the unit follows, not a program it runs
PRINCIPLE_BEFORE = re.compile(r"(?:按照|本着|遵循|秉持|秉承|坚持|围绕|牢记|践行)$")
PRINCIPLE_AFTER = re.compile(r"的(?:要求|思路|原则|理念|方针|思想|路子|方向|目标|精神)")
GOAL_AFTER = re.compile(r"(?:要求|目标|原则)")
# 两代表一委员, 五老: numbered names of groups of people
PEOPLE_END = re.compile(r"(?:代表|委员|干部|人员|党员|书记|能人|乡贤|人士|老)$")
# 大走访、大宣传、大排查: three or more parallel items make a campaign's name
PARALLEL = re.compile(r"^[\u3400-\u9fff]{2,5}(?:、[\u3400-\u9fff]{2,5}){2,}$")
# “晴隆模式”, “百日攻坚行动”: the quoted name ends in a head noun of programs itself
NAMED_BY_HEAD = re.compile(r"(?:模式|行动|工程|计划|活动|项目|机制|制度|政策|战略|工作法|基金|保险|攻坚战)$")
MIN_NAME = 3
# “公司+合作社+农户”: a model written as its parts joined by + (numbers alone, “17+2”, need a
# head noun after them: “5+5”产业发展体系)
JOINED = re.compile(r"^(?=.*[\u3400-\u9fff])[\u3400-\u9fff0-9]{1,10}(?:\+[\u3400-\u9fff0-9]{1,10})+$")
# “两个带头人”, “两条腿”, “五大百亿产业”: a count of things (a number and a measure word, no
# second number or negation after it, as 五个一批 and 四个不摘 have), not a program's name
COUNTED = re.compile(r"^[一二三四五六七八九十两双]+[个条顶大只张种类](?![^一二三四五六七八九十两不无没]*[一二三四五六七八九十两不无没])")
# “百城千县万村调研行”, “…一线行”: a media tour, not a program
TOUR = re.compile(r"(?:调研|采访|采风|一线|走基层|蹲点|纪行|之)行$")
# 五化, 三清: a numbered two-character abbreviation of a list of requirements is a name;
# one counting a pair (双百, 两房, 两网) abbreviates the things, not a program
ABBREVIATION = re.compile(r"^[三四五六七八九十][\u3400-\u9fff]$")
NEAR_HEADS = ("模式", "工程", "行动", "活动", "机制", "制度", "计划")
# “四面春风”农家乐: the name of a shop or a guesthouse, not of a program
BUSINESS_AFTER = re.compile(r"农家乐|民宿|超市|饭店|餐馆|餐厅|酒店|客栈|商店|小卖部|便利店|专卖店|茶庄|山庄|牌")
# 实现“荒山变银行、农户变股民”: a result achieved, not a program run
RESULT_BEFORE = re.compile(r"(?:实现|达到|做到|确保|真正|达成)$")


@Language.factory("pakg_programs")
def make_programs(nlp: Language, name: str):
    return ProgramRecognizer()


class ProgramRecognizer:
    def __init__(self):
        self.kinds = program_kinds()
        self.kind_re = re.compile("|".join(map(re.escape, longest_first(self.kinds))))
        self.head_re = re.compile(f"(?:{'|'.join(HEADS)})")
        # “三位一体”普惠金融模式: a head after a few more words of the name's noun phrase
        self.near_head = re.compile(f"[\u3400-\u9fff]{{1,4}}(?:{'|'.join(NEAR_HEADS)})")
        self.verb_re = re.compile(f"(?:{'|'.join(VERBS)})$")

    def __call__(self, doc: Doc) -> Doc:
        text = text_of(doc)
        quotes = list(QUOTED.finditer(text))
        quoted_spans = [(m.start(), m.end()) for m in quotes]
        verdicts = [self._is_program(text, m, m.group(1).strip()) for m in quotes]
        for run in _runs(text, quotes):
            phrases = [quotes[i].group(1).strip() for i in run]
            if not any(self._is_numbered(p) or p in self.kinds for p in phrases) \
                    and _is_principle(text, quotes[run[0]], quotes[run[-1]], phrases):
                for i in run:
                    verdicts[i] = False           # no program, and no vote in the run rule
        principles = {quotes[i].group(1).strip() for i, v in enumerate(verdicts) if v is False}
        verdicts = [False if quotes[i].group(1).strip() in principles else v for i, v in enumerate(verdicts)]
        # a run of quoted names (“百日攻坚”“进村入户巩固月”) shares the verdict of its members
        for _ in range(2):
            for i, m in enumerate(quotes):
                if verdicts[i] is None and not SPEECH.search(m.group(1)):
                    for j in (i - 1, i + 1):
                        if 0 <= j < len(quotes) and verdicts[j] and verdicts[j] != "run" \
                                and _adjacent(text, quotes[min(i, j)], quotes[max(i, j)]):
                            verdicts[i] = "run"
        titled = [(m.start(), m.end()) for m in TITLED.finditer(text)]
        for m, how in zip(quotes, verdicts):
            if how and not any(s < m.start() and m.end() < e for s, e in titled):   # part of a 《》 title
                add(doc, m.start(1), m.end(1), "Program", name=m.group(1).strip(),
                    found_by=f"programs.quoted:{how}")
        for m in TITLED.finditer(text):
            if POLICY_DOC.search(m.group(1)):
                add(doc, m.start(1), m.end(1), "Program", found_by="programs.title")
        for m in self.kind_re.finditer(text):
            if _strictly_inside(quoted_spans, m.start(), m.end()):
                continue                  # inside a quoted name: part of that name
            canonical, _ = self.kinds[m.group()]
            add(doc, m.start(), m.end(), "Program", name=canonical, found_by="programs.kind")
        return doc

    @staticmethod
    def _is_numbered(phrase: str) -> bool:
        return bool(NUMBERED.search(phrase)) and len(phrase) <= 16 and not re.search(r"[的了,，]", phrase) \
            and (len(phrase) >= 4 or bool(ABBREVIATION.match(phrase)))

    def _is_program(self, text, m, phrase) -> str | None:
        if phrase in self.kinds:
            return "kind"
        if JOINED.match(phrase):
            return "joined"
        if COUNTED.match(phrase) or TOUR.search(phrase):
            return None
        if SENTENCE.search(phrase) or len(phrase) < MIN_NAME and not ABBREVIATION.match(phrase):
            return None
        after = text[m.end():m.end() + 8]
        before = text[max(0, m.start() - 8):m.start()]
        if BUSINESS_AFTER.match(after):
            return None
        if self.head_re.match(after.lstrip("等")) or self.near_head.match(after):
            return "head"                 # “我为扶贫做件事”活动: a head makes even a first-person phrase a name
        if NUMBERED.search(phrase) and PEOPLE_END.search(phrase):
            return None
        if SPEECH.search(phrase):
            return None
        if NAMED_BY_HEAD.search(phrase):
            return "own_head"
        if self.verb_re.search(before.rstrip("了“")):
            return "verb"
        if self._is_numbered(phrase) and len(phrase) >= 4 and not _is_idiom(phrase):
            return "numbered"
        if PARALLEL.match(phrase):
            return "parallel"
        return None


def _strictly_inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """``start:end`` lies strictly inside one of ``spans`` (matches of one regex, so in
    order and not overlapping: only the last one starting before ``start`` can hold it).

    >>> _strictly_inside([(0, 4), (6, 12)], 7, 9), _strictly_inside([(0, 4), (6, 12)], 6, 9)
    (True, False)
    """
    k = bisect_left(spans, (start,)) - 1
    return k >= 0 and end < spans[k][1]


def _is_idiom(phrase: str) -> bool:
    """一心一意, 四面八方: a set phrase of the dictionary counts like a policy name but is
    none, unless a head noun or a verb of carrying out says otherwise."""
    return jieba.dt.FREQ.get(phrase, 0) >= 20


def _runs(text, quotes) -> list[list[int]]:
    """Indices of quotations grouped into runs of adjacent ones."""
    runs: list[list[int]] = []
    for i, m in enumerate(quotes):
        if runs and _adjacent(text, quotes[runs[-1][-1]], m):
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def _is_principle(text, first, last, phrases) -> bool:
    """The run states a principle, goal or result: 按照“缺什么，补什么”的原则,
    “看得起病、看得好病”的目标, 实现“农户变股民”."""
    before = text[max(0, first.start() - 4):first.start()]
    if RESULT_BEFORE.search(before):
        return True
    if PRINCIPLE_BEFORE.search(before) and GOAL_AFTER.match(text, last.end()):
        return True                       # 围绕“搬得出、稳得住、能致富”要求
    if not PRINCIPLE_AFTER.match(text, last.end()):
        return False
    return bool(PRINCIPLE_BEFORE.search(before)) or all(re.search("[、，,]", p) for p in phrases)


def _adjacent(text, left, right) -> bool:
    """Two quotations directly after each other, or joined by 、 和 及 与."""
    return text[left.end():right.start()] in ("", "、", "和", "及", "与", ",", "，")
