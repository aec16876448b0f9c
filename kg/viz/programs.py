"""Programs grouped under a few kinds (产业扶贫, 易地搬迁, 健康扶贫 …), and which of them are minor.

A county's reporting names dozens of programs, most of them once: slogans and local
schemes (一站式, 自强户, 3+1) beside the national lines of work they belong to.  Drawn
one by one they crowd out the places and people, so the explorer draws each *minor*
program -- named in one article, by one county -- inside a node of its kind, and opens
the kind on demand; ``kg stats`` counts programs per kind.

The kinds and their cue words are data (``kg/data/program_kinds.txt``): a program is of
the kind whose cue comes first in its name.  The grouping is a reading aid of the page
and of ``kg stats``, not a fact of the graph: a cue word is a guess no article states,
so it is not written to the RDF.

>>> program_kind("农村危房改造"), program_kind("先诊疗后付费"), program_kind("一站式")
('基础设施扶贫', '健康扶贫', '其他')
"""
from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from .. import lexicon

__all__ = ["KINDS", "is_minor", "program_kind"]

#: (kind, its cues): a kind's own name is one of them, but for 其他's
_TABLE = tuple((row[0], (row[0], *row[1].split())) if len(row) > 1 else (row[0], ())
               for row in lexicon.pairs("program_kinds.txt"))

#: The kinds in file order; the last one (其他) takes the programs no cue names.
KINDS: tuple[str, ...] = tuple(kind for kind, _ in _TABLE)


@lru_cache(maxsize=4096)
def _kind_in(name: str) -> str | None:
    """The kind of the cue that starts first in ``name`` (then the longest, then the earlier kind)."""
    best = None
    for order, (kind, cues) in enumerate(_TABLE):
        for cue in cues:
            at = name.find(cue)
            if at >= 0 and (best is None or (at, -len(cue), order) < best[0]):
                best = ((at, -len(cue), order), kind)
    return best[1] if best else None


def program_kind(label: str, aliases: Iterable[str] = ()) -> str:
    """The kind of a program by its name, else by the first of its aliases that has one.

    >>> program_kind("大病集中救治一批、重病兜底保障一批")   # 大病 comes before 兜底
    '健康扶贫'
    >>> program_kind("双组长", ["产业扶贫项目"])
    '产业扶贫'
    """
    for name in (label, *sorted(aliases)):
        kind = _kind_in(name)
        if kind is not None:
            return kind
    return KINDS[-1]


def is_minor(attributes: dict) -> bool:
    """A program named in one article and implemented by at most one county: the explorer
    draws it inside its kind's node until the reader opens the kind.

    >>> is_minor({"articles": ["a.txt"], "counties": ["c1"]})
    True
    >>> is_minor({"articles": ["a.txt"], "counties": ["c1", "c2"]}), is_minor({"articles": ["a.txt", "b.txt"]})
    (False, False)
    """
    return len(attributes.get("articles") or ()) <= 1 and len(attributes.get("counties") or ()) <= 1
