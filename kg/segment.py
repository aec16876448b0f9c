"""jieba's accurate mode, computed the same way in fewer Python steps.

Segmenting is the largest single cost of extraction, and most of it is bookkeeping
around two dictionary lookups per character: ``Tokenizer.get_DAG`` builds a dict of
lists for each block of Chinese text, ``Tokenizer.calc`` then takes ``max`` over a
generator of tuples per character.  :func:`cut` makes one backward pass that does both,
with the same dictionary (``jieba.dt.FREQ``, read at each call, so added words count),
the same floating-point expression in the same order and the same tie-break (the
longest word among equal scores), and hands unknown runs to jieba's own HMM
(``jieba.finalseg``) exactly where jieba does.  So the words are jieba's, which
``tests/test_segment.py`` checks against ``jieba.cut`` on the seeds and odd input.

It follows jieba 0.42.1; under any other version (or with jieba's forced splits in
use) :func:`cut` is ``jieba.cut`` itself.

>>> cut("伏口镇胡家坪村的村民2020年脱贫了") == list(jieba.dt.cut("伏口镇胡家坪村的村民2020年脱贫了"))
True
"""
from __future__ import annotations

from math import log

import jieba
from jieba import finalseg

VERIFIED_VERSION = "0.42.1"
RE_HAN = jieba.re_han_default        # runs jieba segments with its dictionary
RE_SKIP = jieba.re_skip_default      # white space, kept as words of its own
_NO_SCORE = float("-inf")


def cut(text: str, tokenizer: jieba.Tokenizer | None = None) -> list[str]:
    """The words of ``jieba.Tokenizer.cut(text)`` (``cut_all=False, HMM=True``), as a list."""
    dt = tokenizer or jieba.dt
    if jieba.__version__ != VERIFIED_VERSION or finalseg.Force_Split_Words:
        return list(dt.cut(text))
    dt.check_initialized()
    out: list[str] = []
    for block in RE_HAN.split(text):
        if not block:
            continue
        if RE_HAN.match(block):
            _cut_block(block, dt.FREQ, log(dt.total), out)
        else:
            for piece in RE_SKIP.split(block):
                if RE_SKIP.match(piece):
                    out.append(piece)
                else:
                    out.extend(piece)          # jieba yields other characters one by one
    return out


def _cut_block(block: str, freq: dict[str, int], logtotal: float, out: list[str]) -> None:
    """``Tokenizer.__cut_DAG``: the most probable path through the word graph, unknown runs
    of single characters cut by the HMM."""
    get = freq.get
    n = len(block)
    score = [0.0] * (n + 1)           # score[k]: best log probability of block[k:]
    nxt = [0] * n                     # nxt[k]: last index of the first word of that path
    fallback = 0.0 - logtotal         # log(1) - logtotal: a character the dictionary lacks
    for k in range(n - 1, -1, -1):
        best, end = _NO_SCORE, k
        i = k + 1
        f = get(block[k])
        while f is not None:          # block[k:i] is a word or the prefix of one
            if f:
                s = log(f) - logtotal + score[i]      # calc's expression, in its order
                if s >= best:         # equal scores: the longer word, as max() over (score, end)
                    best, end = s, i - 1
            if i >= n:
                break
            i += 1
            f = get(block[k:i])
        if best == _NO_SCORE:
            best = fallback + score[k + 1]
        score[k] = best
        nxt[k] = end
    x, buf = 0, ""
    while x < n:
        y = nxt[x] + 1
        if y - x == 1:
            buf += block[x]
        else:
            if buf:
                _flush(buf, get, out)
                buf = ""
            out.append(block[x:y])
        x = y
    if buf:
        _flush(buf, get, out)


def _flush(buf: str, get, out: list[str]) -> None:
    """A run of single characters: a word if the dictionary has it (then split into its
    characters, as jieba does), else what the HMM makes of it."""
    if len(buf) == 1:
        out.append(buf)
    elif not get(buf):
        out.extend(finalseg.cut(buf))
    else:
        out.extend(buf)
