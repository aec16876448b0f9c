"""The general word lists under ``kg/data/``, loaded once.

They hold linguistic knowledge (surnames, post titles, organisation heads, generic
words), never names from particular articles, so they apply to any county's reporting.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).with_name("data")


def _lines(name: str) -> list[str]:
    out = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            out.append(line)
    return out


@lru_cache(maxsize=None)
def words(name: str) -> frozenset[str]:
    """Whitespace-separated words of a list file, e.g. ``words("surnames.txt")``."""
    return frozenset(w for line in _lines(name) for w in line.split())


@lru_cache(maxsize=None)
def pairs(name: str) -> tuple[tuple[str, str], ...]:
    """Tab-separated ``(key, word)`` rows of a table file, in file order."""
    return tuple(tuple(line.split("\t", 1)) for line in _lines(name))  # type: ignore[misc]


def longest_first(items) -> list[str]:
    """Sorted for regex alternations, where the first alternative that matches wins."""
    return sorted(set(items), key=lambda w: (-len(w), w))


def alternation(items) -> str:
    """A regex matching any of ``items`` as ``"|".join(longest_first(items))`` does, with
    the one-character items as one character class: the engine tries an alternation item
    by item at each position (357 surnames at every character of an article), a class in
    one step.  (The longer items come first, as there, and of one-character items at most
    one matches at a position, so the matches are the same.)

    >>> alternation(["王", "欧阳", "李"])
    '欧阳|[李王]'
    """
    ordered = longest_first(items)
    longer = [re.escape(w) for w in ordered if len(w) > 1]
    single = "".join(re.escape(w) for w in ordered if len(w) == 1)
    return "|".join(longer + ([f"[{single}]"] if single else []))


@lru_cache(maxsize=1)
def function_word_tags() -> dict[str, str]:
    """Part-of-speech tags of jieba's verbs, adverbs, prepositions, numerals … by word.

    jieba.posseg would read its whole 350,000-word table on every run (1 s); the few
    classes the extractor asks about are kept in the cache folder instead.
    """
    import jieba

    from .cache import marshalled

    def build() -> dict[str, str]:
        out = {}
        with open(Path(jieba.__file__).with_name("dict.txt"), encoding="utf-8") as fh:
            for line in fh:
                parts = line.split()
                if len(parts) == 3 and parts[2][:1] in "vdpcaurmq":
                    out[parts[0]] = parts[2]
        return out

    return marshalled(f"jieba-function-words-{jieba.__version__}.marshal", build)
