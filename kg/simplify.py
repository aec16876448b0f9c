"""Traditional characters to simplified, one character for one, so offsets survive.

Articles from Taiwan, Hong Kong, overseas Chinese media or old archives are set in
traditional script (漣源市橋頭河鎮).  The gazetteer, the word lists and jieba's dictionary
are simplified, so the extractor reads a simplified copy; provenance still points into
the original file, which is why the conversion must keep one output character per
input character.  OpenCC's phrase-aware ``t2s`` conversion does so for practically all
text; where it would not, each character is converted on its own.

Only text that is mostly traditional is converted: simplified text stays as it is, even
where it uses a traditional character on purpose (a name with 乾).
"""
from __future__ import annotations

import re
from functools import lru_cache

#: Share of Chinese characters that must differ from their simplified form for a text
#: to count as traditional.  Traditional news text scores 20-30 %, simplified text 0 %.
TRADITIONAL_SHARE = 0.05
_CJK = re.compile(r"[\u3400-\u9fff]")


@lru_cache(maxsize=1)
def _t2s():
    import opencc
    return opencc.OpenCC("t2s").convert


def is_traditional(text: str) -> bool:
    """Whether enough of the text's characters are traditional to read it as such.

    >>> is_traditional("漣源市橋頭河鎮湘浙茶葉種植專業合作社"), is_traditional("涟源市桥头河镇")
    (True, False)
    """
    converted = _t2s()(text)
    if converted == text:         # the common case: nothing to convert (so nothing traditional)
        return False
    cjk = len(_CJK.findall(text))
    if not cjk:
        return False
    if len(converted) != len(text):
        converted = "".join(_char(c) for c in text)
    return sum(a != b for a, b in zip(text, converted)) >= TRADITIONAL_SHARE * cjk


def to_simplified(text: str) -> str:
    """The simplified form of a traditional text, of the same length.

    >>> to_simplified("漣源市橋頭河鎮")
    '涟源市桥头河镇'
    """
    converted = _t2s()(text)
    return converted if len(converted) == len(text) else "".join(_char(c) for c in text)


def _char(c: str) -> str:
    out = _t2s()(c)
    return out if len(out) == 1 else c
