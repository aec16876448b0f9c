"""Key figures of an article's county as observations: poverty incidence by year.

Features state figures in running text (贫困发生率由2014年的6.1%下降至0.4%) and in stat
boxes (贫困发生率 / 2013年 18.3%); each value is tied to the year written with it, and
the article's subject is the area it describes.
"""
from __future__ import annotations

import re

from .records import ArticleExtraction, FigureCandidate

INCIDENCE = re.compile(r"贫困发生率")
PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*%")
YEAR = re.compile(r"(20[0-3]\d|19[89]\d)年")


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
