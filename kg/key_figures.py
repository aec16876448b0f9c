"""Key figures of an article as observations: what the reporting counts and sums.

Features state their county's achievements in a few stock phrasings, and this module
reads each of them with one entry of :data:`PATTERNS`:

* poverty incidence, a rate (贫困发生率由2014年的6.1%下降至0.28%), also in stat boxes;
* poor villages exited (148个贫困村全部出列, 退出贫困村65个);
* people and households lifted out of poverty (累计脱贫2639户7854人, 143674名贫困群众如期脱贫);
* funds invested (统筹整合涉农资金6.5亿元, 累计投入农村危房改造资金20763.35万元).

Every figure needs three more things than its number, and each has its own function:

* the area (:func:`area_of`): the county the article is about, unless the clause names a
  township or village as its subject; a figure about another county, the province or the
  country (全省, 衡阳市 in a 衡阳县 article, a neighbour in quoted speech) is dropped rather
  than pinned on the wrong place;
* the time (:func:`time_of`): the year or period written last before the figure in its
  sentence (2019年, 截至2020年底, 2014年至2019年 → a period, 2015年以来 → open period);
  近年来 / 近五年 give none, 截至目前 / 今年 give the article's reporting year;
* the number (:func:`parse_number`), normalised to the indicator's unit: 万 and 亿 are
  multiplied out, Chinese numerals (三千二百) are read by ``cn2an``.

Counts that are not achievements are not figures: 人次 (attendances), per-head sums
(人均 …元), plans (计划/力争 …), what a program drove (带动 … 脱贫), phone numbers.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .records import PLACE_TYPES, ArticleExtraction, FigureCandidate

# ------------------------------------------------------------------------------ numbers

#: A number as written: 1200, 14,466, 2.4亿, 300余万, 三千二百, 两万多 (the unit word follows).
NUMBER = (r"(?<![\d.])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:余|多)?(?:万亿|万|亿)?(?:余|多)?"
          r"|(?<![零〇一二两三四五六七八九十百千万亿])[一二两三四五六七八九十][零〇一二两三四五六七八九十百千万亿点]*(?:余|多)?")
#: Which unit each named group of a pattern is counted in, and the indicator it measures.
GROUPS = {"villages": ("PoorVillagesExited", "个"), "people": ("PeopleLiftedOutOfPoverty", "人"),
          "households": ("PoorHouseholdsLiftedOut", "户"), "funds": ("FundsInvested", "元")}


def parse_number(token: str) -> Decimal | None:
    """The value of a written number, 万 and 亿 multiplied out; None if it is not one.

    >>> parse_number("2.4亿")
    Decimal('240000000')
    >>> parse_number("20763.35万")
    Decimal('207633500')
    >>> parse_number("300余万")
    Decimal('3000000')
    >>> parse_number("三千二百")
    Decimal('3200')
    >>> parse_number("14,466")
    Decimal('14466')
    >>> parse_number("0738") is None      # a leading zero: a code or a phone number
    True
    """
    token = token.replace(",", "").replace("余", "").replace("多", "")
    digits = re.match(r"\d+", token)
    if digits and ((len(digits.group()) > 1 and token.startswith("0")) or len(digits.group()) >= 11):
        return None
    try:
        if re.fullmatch(r"\d+(?:\.\d+)?(?:万亿|万|亿)?", token):
            head = re.match(r"\d+(?:\.\d+)?", token).group()
            scale = {"": 1, "万": 10 ** 4, "亿": 10 ** 8, "万亿": 10 ** 12}[token[len(head):]]
            value = Decimal(head) * scale
        else:
            import cn2an  # here, not at the top: loading it costs 0.3 s and most figures are digits
            value = Decimal(str(cn2an.cn2an(token, "smart")))
    except (ValueError, InvalidOperation, KeyError):
        return None
    return value.normalize() + 0   # + 0 turns 1.2E+4 back into 12000


# ------------------------------------------------------------------------------ the pattern table

_ADV = r"(?:已经|已|均|全部|如期|稳定|顺利|实现|成功|率先|整体|提前|累计|共|先后|相继|陆续|全面|一次性)*"
_KIND = r"(?:省定|省级|市定|市级|县定|县级|重点|建档立卡|深度)?"
_LINK = r"(?:达到|达|共计|合计|总计|累计|共|为|约|近|超过|超|逾|有)*"
#: After a head count: 7854人, 143674名贫困群众, 6.3万贫困人口 (no 人 when the noun says who).
_PEOPLE = (r"(?:(?:人|名)(?:建档立卡)?(?:贫困群众|贫困人口|贫困户|贫困对象|群众|人口)?"
           r"|(?:建档立卡)?(?:贫困群众|贫困人口|贫困对象))")
_LIFTED = r"(?:脱贫|减贫)(?!攻坚|质量|成效|成果|任务|工作|立志|摘帽|户|村)"
_SPEND = r"(?:统筹整合|整合统筹|统筹|整合|投入)"
_NOT_AFTER_COUNT = r"(?!次|\d|[一二两三四五六七八九十])"
#: Where a pattern that starts with a number (:data:`NUMBER`) can match: at a digit or a
#: Chinese numeral.  Said first, it lets the search skip the other characters with one
#: test each, where it tried the number's alternatives at every one (three to four times
#: slower; these patterns run on every sentence that says 脱贫 or 贫困村).
_AT_NUMBER = r"(?=[\d一二两三四五六七八九十])"


@dataclass(frozen=True)
class Pattern:
    """One phrasing of a key figure; its named groups (see :data:`GROUPS`) hold the numbers.

    Every match contains one of the words in ``needs`` (and a number): a sentence with
    none of them is skipped without running the regex, and most sentences are.
    """
    name: str
    regex: re.Pattern
    needs: tuple[str, ...]


def _p(name: str, regex: str, needs: tuple[str, ...]) -> Pattern:
    return Pattern(name, re.compile(regex.format(N=NUMBER, ADV=_ADV, KIND=_KIND, LINK=_LINK, PEOPLE=_PEOPLE,
                                                 LIFTED=_LIFTED, SPEND=_SPEND, END=_NOT_AFTER_COUNT,
                                                 AT_NUMBER=_AT_NUMBER)), needs)


_VILLAGES = ("贫困村",)
_LIFTED_WORDS = ("脱贫", "减贫")          # what {LIFTED} and the lifted-count patterns start with
_FUNDS = ("元",)
#: A character every written number (:data:`NUMBER`) has.
NUMERAL = re.compile(r"[\d一二两三四五六七八九十]")


PATTERNS = [
    # 148个贫困村全部出列; 34个省定贫困村已全部脱贫出列
    _p("villages:count-exited", r"{AT_NUMBER}(?P<villages>{N})个{KIND}贫困村{ADV}(?:脱贫)?(?:出列|退出|摘帽)",
       _VILLAGES),
    # 深度贫困村8个全部出列
    _p("villages:kind-count-exited", r"{KIND}贫困村(?P<villages>{N})个{ADV}(?:脱贫)?(?:出列|退出|摘帽)", _VILLAGES),
    # 退出贫困村65个; 贫困村出列达到30个
    _p("villages:exited-count",
       r"(?:(?:出列|退出){KIND}贫困村|{KIND}贫困村(?:脱贫)?(?:出列|退出)(?:数|数量)?){LINK}(?P<villages>{N})个",
       _VILLAGES),
    # 累计脱贫2639户7854人; 减贫3.2万人; 脱贫人口5600人; 减少贫困人口4.5万人
    _p("lifted:lifted-count",
       r"(?<![未返])(?:脱贫|减贫|减少贫困人口)(?:人口|群众|户数?)?{LINK}(?:(?P<households>{N})户)?(?P<people>{N})(?:人|名){END}",
       (*_LIFTED_WORDS, "减少贫困人口")),
    # 累计脱贫2639户 (no head count)
    _p("lifted:lifted-households", r"(?<![未返])(?:脱贫|减贫)(?:户数?)?{LINK}(?P<households>{N})户{END}",
       _LIFTED_WORDS),
    # 143674名贫困群众如期脱贫; 2639户7854人实现脱贫; 6.3万贫困人口脱贫
    _p("lifted:count-lifted", r"{AT_NUMBER}(?:(?P<households>{N})户)?(?P<people>{N}){PEOPLE}{ADV}{LIFTED}",
       _LIFTED_WORDS),
    # 1200户贫困户脱贫
    _p("lifted:households-lifted", r"{AT_NUMBER}(?P<households>{N})户(?:建档立卡)?(?:贫困户|贫困家庭)?{ADV}{LIFTED}",
       _LIFTED_WORDS),
    # 统筹整合涉农资金6.5亿元; 累计投入农村危房改造资金20763.35万元
    _p("funds:spent-funds", r"{SPEND}[^,，;；:：。!！?？\d“”\"]{{0,16}}?资金{LINK}(?P<funds>{N})元", _FUNDS),
    # 该县投入2.57亿元
    _p("funds:spent-amount", r"{SPEND}{LINK}(?P<funds>{N})元", _FUNDS),
    # 扶贫资金投入3亿元
    _p("funds:funds-spent", r"资金(?:累计|共计|总计)?投入{LINK}(?P<funds>{N})元", _FUNDS),
]

#: Words in the clause before a figure that make it something other than an achievement.
NOT_ACHIEVED = re.compile(
    r"计划|预计|力争|确保|争取|目标|拟|将要|将于|有望|"          # plans
    r"带动|帮助|助力|扶持|带领|惠及|吸纳|辐射|"                  # what a program drove
    r"人均|户均|每人|每户|平均|"                               # per-head sums
    r"电话|热线|手机|号码|传真|微信|邮编")                      # contact details
CLAUSE_BREAK = re.compile(r"[,，;；:：。!！?？\n]")


# ------------------------------------------------------------------------------ where and when

#: 全县, 该市, 我们村: a word standing for a place the reader already knows.
SCOPE = re.compile(r"(?:全|该|本|我们?)(县|市|区|旗|州|省|国|镇|乡|街道|村|社区)|村里")
#: Time expressions, longest readings first; the last one before a figure dates it.
TIME = re.compile(
    r"(?P<range>(?:从|自)?(?P<a>(?:19|20)\d\d)年?(?:\d{1,2}月)?(?:至|到|—|-|~)(?P<b>(?:19|20)\d\d)年)"
    r"|(?P<since>(?:从|自)?(?P<s>(?:19|20)\d\d)年(?:\d{1,2}月)?(?:以来|至今))"
    r"|(?P<vague>近年来|近几年|近[一二三四五六七八九十\d]+年|多年来|这几年|[一二三四五六七八九十]+年来|十三五)"
    r"|(?P<now>截至目前|截止目前|目前|如今|今年|至今)"
    r"|(?P<year>(?:19|20)\d\d)年")
YEAR = re.compile(r"(20[0-3]\d|19[89]\d)年")
#: What may stand before the subject of a clause: 2019年,隆回县…; 其中,该县…; “衡阳县…
CLAUSE_OPENING = re.compile(r"(?:\s|在|而|其中|同时|此外|目前|如今|截至目前|(?:19|20)\d\d年(?:底|末)?|[…—“”\"])*")


def area_of(ex: ArticleExtraction, sentence_start: int, pos: int) -> str | None:
    """The name of the place a figure at ``pos`` is about, or None when it is not the article's.

    The last place named before the figure in its sentence decides: the subject county
    (or 全县 / 该县 when the article is about a 县) gives the subject; a township or
    village named in the figure's own clause gives that place (白马镇累计投入资金…);
    any other county, a prefecture, the province or the country gives None.
    """
    text = ex.article.text
    clause_start = max((m.end() for m in CLAUSE_BREAK.finditer(text, sentence_start, pos)), default=sentence_start)

    def counts_here(start: int, type_: str) -> bool:
        if start >= clause_start:
            return True          # anything the figure's own clause names
        if type_ in ("Township", "Village"):
            return False         # a township of an earlier clause says where, not who
        head = max((m.end() for m in CLAUSE_BREAK.finditer(text, sentence_start, start)), default=sentence_start)
        return bool(CLAUSE_OPENING.fullmatch(text, head, start))   # 衡阳县51个…, not 进入全省…先进行列

    cands: list[tuple[int, str, str]] = []   # (end, kind, name)
    for m in ex.mentions:
        if m.type in PLACE_TYPES and sentence_start <= m.start and m.end <= pos and counts_here(m.start, m.type):
            cands.append((m.end, m.type, m.name))
    for m in SCOPE.finditer(text, sentence_start, pos):
        if counts_here(m.start(), "scope"):
            cands.append((m.end(), "scope", m.group(1) or "村"))
    if not cands:
        return ex.subject
    _, kind, name = max(cands)
    if kind == "scope":
        if name in ("镇", "乡", "街道", "村", "社区"):
            return _nearest(ex, pos, "Village" if name in ("村", "社区") else "Township")
        return ex.subject if ex.subject and ex.subject.endswith(name) and name not in ("省", "国") else None
    if kind in ("Township", "Village"):
        return name
    return ex.subject if name == ex.subject else None


def _nearest(ex: ArticleExtraction, pos: int, type_: str, window: int = 300) -> str | None:
    """The last ``type_`` named before ``pos`` (全镇 → the township the text is in)."""
    before = [m for m in ex.mentions if m.type == type_ and pos - window <= m.end <= pos]
    return max(before, key=lambda m: m.end).name if before else None


def time_of(before: str, report_year: int | None) -> tuple[int | None, tuple[int, int | None] | None]:
    """(year, period) of a figure from the text before it in its sentence.

    >>> time_of("2014年至2019年,该县累计", 2020)
    (None, (2014, 2019))
    >>> time_of("2014年至2019年,该县累计脱贫63153户,其中2019年", 2020)
    (2019, None)
    >>> time_of("2015年1月以来,全市共", 2020)
    (None, (2015, None))
    >>> time_of("截至目前,耒阳市", 2020)
    (2020, None)
    >>> time_of("2019年,近年来,该县累计", 2020)
    (None, None)
    """
    last = None
    for last in TIME.finditer(before):
        pass
    if last is None or last.group("vague"):
        return None, None
    if last.group("range"):
        return None, (int(last.group("a")), int(last.group("b")))
    if last.group("since"):
        return None, (int(last.group("s")), None)
    if last.group("now"):
        return report_year, None
    return int(last.group("year")), None


# ------------------------------------------------------------------------------ extraction

def figures(ex: ArticleExtraction) -> list[FigureCandidate]:
    """Every key figure of the article: poverty incidence first, then the counts and sums."""
    if not ex.subject:
        return []
    return incidence(ex) + counts(ex)


def counts(ex: ArticleExtraction) -> list[FigureCandidate]:
    """Villages exited, people and households lifted out, funds invested, as :data:`PATTERNS` read them."""
    text = ex.article.text
    report_year = _reporting_year(text)
    out: list[FigureCandidate] = []
    seen: set[tuple[str, int]] = set()
    spans = list(ex.sentences)
    needed = {needs: _sentences_with(text, spans, needs) for needs in {p.needs for p in PATTERNS}}
    for sent in sorted(set().union(*needed.values())):
        s, e = spans[sent]
        if not NUMERAL.search(text, s, e):
            continue
        for pattern in PATTERNS:
            if sent not in needed[pattern.needs]:
                continue
            for m in pattern.regex.finditer(text, s, e):
                clause = text[max((b.end() for b in CLAUSE_BREAK.finditer(text, s, m.start())), default=s):m.end()]
                if NOT_ACHIEVED.search(clause) or _part_of_previous(text, s, m.start()):
                    continue
                area = area_of(ex, s, m.start())
                if area is None:
                    continue
                year, period = time_of(text[s:m.start()], report_year)
                for group, number in m.groupdict().items():
                    value = parse_number(number) if number else None
                    if value is None or (group, m.start(group)) in seen:
                        continue
                    seen.add((group, m.start(group)))
                    indicator, unit = GROUPS[group]
                    out.append(FigureCandidate(area, indicator, value, unit, year, sent, m.group(),
                                               period=period, found_by=f"figures.{pattern.name}"))
    return sorted(out, key=lambda f: (f.sentence, text.find(f.text, ex.sentences[f.sentence][0]), f.indicator))


def _sentences_with(text: str, spans: list[tuple[int, int]], words: tuple[str, ...]) -> set[int]:
    """The sentences (indices into ``spans``, sorted and not overlapping) that contain one
    of ``words``: one look for each occurrence in the text, not one per sentence and word.

    >>> sorted(_sentences_with("脱贫了。没有。投入2亿元。", [(0, 4), (4, 7), (7, 14)], ("脱贫", "元")))
    [0, 2]
    """
    starts = [s for s, _ in spans]
    found = set()
    for word in words:
        i = text.find(word)
        while i >= 0:
            k = bisect_right(starts, i) - 1
            if k >= 0 and i + len(word) <= spans[k][1]:
                found.add(k)
            i = text.find(word, i + 1)
    return found


def _part_of_previous(text: str, sentence_start: int, pos: int) -> bool:
    """其中, 深度贫困村8个全部出列: a part of the figure just given, unless 其中 starts a new
    time (其中2019年脱贫13034户 is that year's own figure)."""
    part = text.rfind("其中", sentence_start, pos)
    return part >= 0 and not TIME.search(text, part, pos)


#: the rate's names: 贫困发生率, and 贫困率 for the same figure (the guide counts a county's 贫困率)
INCIDENCE = re.compile(r"贫困发生率|贫困率")
#: a value in percent; 降至零 and 降至0 (no sign) say 0 %
PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*[%％]|(?<=[至为到])(?:零|0)(?![\u3400-\u9fff\d.％%])")
STAT_BOX = re.compile(r"[ \t]*\n(?:[ \t]*(?:19|20)\d\d年[ \t]*\d+(?:\.\d+)?%?[ \t]*(?:\n|$))+")
STAT_ROW = re.compile(r"((?:19|20)\d\d)年[ \t]*(\d+(?:\.\d+)?)")
YEAR_RANGE = re.compile(r"((?:19|20)\d\d)年?(?:至|到|—|-|~)((?:19|20)\d\d)年")
#: A later clause still speaks of the incidence when it only adds a year or a direction
#: (…6.1%,2019年降至0.4%); any other clause has moved on (…0.4%,人均收入增长10%).
CONTINUES = re.compile(r"(?:(?:19|20)\d\d年(?:底|末)?)?(?:的|已|再|又|进一步|分别)?(?:下降|降|减|为|是|到|至|达)")


def incidence(ex: ArticleExtraction) -> list[FigureCandidate]:
    """Poverty incidence values of the article's subject, each with its year.

    The year is the one written before the value in its clause (由2014年的6.1%); in a
    range (2015年至2019年 … 由3.1%下降至0.4%) the 由 value takes the first year and the
    至 value the last; a bare 下降到0.18% takes the year stated earlier in the sentence,
    else the article's reporting year.  Stat boxes (贫困发生率 / 2013年 18.3%) are read
    line by line.  Only the subject's incidence is kept: the annotation records the
    county's series, and a province's or a village's rate beside it is not part of it.
    """
    text = ex.article.text
    report_year = _reporting_year(text)
    out = []
    for m in INCIDENCE.finditer(text):
        box = STAT_BOX.match(text, m.end())
        if box:
            for y, v in STAT_ROW.findall(box.group()):
                out.append(FigureCandidate(ex.subject, "PovertyIncidence", Decimal(v), "%", int(y),
                                           _sentence_at(ex, m.start()), f"{y}年 {v}",
                                           found_by="figures.incidence:stat-box"))
            continue
        sent = _sentence_at(ex, m.start())
        s, e = ex.sentences[sent]
        if area_of(ex, s, m.start()) != ex.subject:
            continue
        clause_end = min([i for i in (text.find(c, m.end(), e) for c in "。;；") if i >= 0] or [e])
        head = text[s:m.start()]
        years = [int(y) for y in YEAR.findall(head)]
        rng = YEAR_RANGE.findall(head)
        for v in PERCENT.finditer(text, m.end(), clause_end):
            between = text[m.end():v.start()]
            later = CLAUSE_BREAK.split(between)
            if len(later) > 1 and not CONTINUES.match(later[-1]):
                break
            own = YEAR.findall(PERCENT.split(between)[-1][-12:])   # 由2014年的8.7%降至0.06%: not 2014
            if own:
                year = int(own[-1])
            elif rng:
                first, last = int(rng[-1][0]), int(rng[-1][1])
                year = last if re.search(r"(至|到|降|为)\s*$", between) else first
            elif years:
                year = years[-1]
            else:
                year = report_year
            out.append(FigureCandidate(ex.subject, "PovertyIncidence", Decimal(v.group(1) or 0), "%", year, sent,
                                       v.group(), found_by="figures.incidence:sentence"))
    return out


def _sentence_at(ex: ArticleExtraction, pos: int) -> int:
    """The sentence ``pos`` is in (0 when it is in none)."""
    spans = ex.sentences
    k = bisect_right([s for s, _ in spans], pos) - 1       # (sentences are sorted and do not overlap)
    return k if k >= 0 and pos < spans[k][1] else 0


def _reporting_year(text: str) -> int | None:
    """The latest year the article names: features report on the year they appear in."""
    years = [int(y) for y in YEAR.findall(text)]
    return max(years) if years else None
