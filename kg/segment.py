"""jieba's accurate mode, computed the same way in fewer steps.

Segmenting is the largest single cost of extraction.  :func:`cut` gives the words of
``jieba.Tokenizer.cut`` two ways:

* the text goes to jieba-rs (``rjieba``: the same algorithm, dictionary and HMM, in Rust,
  about twenty times faster) in long stretches, loaded with the same extra words as jieba
  (the gazetteer's names, see :mod:`kg.nlp`).  The spots where jieba-rs's regular
  expressions or tie-breaks would cut otherwise stay in Python (:data:`RE_OWN`): blocks
  with letters and digits joined by ``._-`` (``2016-2020``, not ``6.1%``) or with
  something repeated (``人人人``, ``哈人哈人``), and characters other than Chinese,
  letters, digits and common punctuation and white space (``𠀀``, ``■``);
* the Python path makes one backward pass where ``Tokenizer.get_DAG`` builds a dict of
  lists per block and ``Tokenizer.calc`` takes ``max`` over a generator per character,
  with the same dictionary (``jieba.dt.FREQ``, read at each call), the same floating-point
  expression in the same order and the same tie-break (the longest word among equal
  scores), and hands unknown runs to jieba's own HMM (``jieba.finalseg``) exactly where
  jieba does.

So the words are jieba's, which ``tests/test_segment.py`` checks against ``jieba.cut`` on
the seeds, a generated corpus and odd input.  It follows jieba 0.42.1 and rjieba 0.2.2;
under other versions, with jieba's forced splits in use, or for a tokenizer whose
dictionary was changed after loading (``add_word``), it is ``jieba.cut`` itself or the
Python path.

>>> cut("伏口镇胡家坪村的村民2020年脱贫了") == list(jieba.dt.cut("伏口镇胡家坪村的村民2020年脱贫了"))
True
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from math import log
from pathlib import Path

import jieba
from jieba import finalseg

VERIFIED_VERSION = "0.42.1"
VERIFIED_RJIEBA = "0.2.2"
RE_HAN = jieba.re_han_default        # runs jieba segments with its dictionary
RE_SKIP = jieba.re_skip_default      # white space, kept as words of its own
# What jieba-rs cuts otherwise than jieba, found by comparing them (tests/test_segment.py):
# * a block (a run of RE_HAN) where letters and digits are joined by . _ - otherwise than
#   in a decimal number (2016-2020年, a.b.c, 1.2.3, 1.5a: jieba-rs's HMM keeps such a run
#   whole, jieba's takes ``[a-zA-Z0-9]+(?:\.\d+)?%?`` only; 6.1% and V1.0 are cut alike);
# * a block where a character repeats three times (人人人) or a stretch of two to four Chinese
#   characters twice (哈人哈人, 呼啦呼啦): there paths of the same words (or HMM states) in
#   another order score the same, and the two break such ties differently (000, ### and
#   ...... are no words of the dictionary, nor read by the HMM);
# * characters outside the blocks and the punctuation and white space listed here
#   (jieba-rs takes 𠀀 for Chinese).
# Between such spots the text goes to jieba-rs a stretch at a time; the spots are cut here.
_BLOCK = r"\u4E00-\u9FD5a-zA-Z0-9+#&._%\-"
_JOINED = r"[a-zA-Z0-9](?:[_\-][a-zA-Z0-9]|\.[0-9]*[a-zA-Z]|\.[0-9]+[._\-][a-zA-Z0-9])"
_HAN = r"\u4E00-\u9FD5"
_REPEATED = rf"([{_HAN}a-zA-Z])(?:\1\1|([{_HAN}]{{1,3}})\1\2)"
_BETWEEN = r" \t\n\r!\"$'()*,/:;<=>?@\[\\\]^`{|}~\u00B7\u00D7\u2010-\u2027\u2030-\u205E\u3000-\u303F\uFF01-\uFF5E"
RE_OWN = re.compile(rf"(?<![{_BLOCK}])[{_BLOCK}]*?(?:{_JOINED}|{_REPEATED})[{_BLOCK}]*+|[^{_BLOCK}{_BETWEEN}]+")
_NO_SCORE = float("-inf")
_RUST: dict[str | None, tuple[object, int]] = {}   # dictionary -> (rjieba.Jieba or None, its total)
_TOTALS: dict[str, int] = {}    # dictionary file -> its total frequency, as read by kg.nlp (see loaded)
#: Loading jieba-rs with the pipeline's words takes about a second, the time the Python path
#: takes to cut some 300,000 characters: for less text than that (a rebuild after one
#: article changed, the seeds) it is not loaded.  See :func:`about_to_cut`.
RUST_WORTH = 300_000
_expected: list[int] = []       # what the callers of about_to_cut() said is coming


def cut(text: str, tokenizer: jieba.Tokenizer | None = None) -> list[str]:
    """The words of ``jieba.Tokenizer.cut(text)`` (``cut_all=False, HMM=True``), as a list."""
    dt = tokenizer or jieba.dt
    if jieba.__version__ != VERIFIED_VERSION or finalseg.Force_Split_Words:
        return list(dt.cut(text))
    dt.check_initialized()
    rust = rust_segmenter(dt) if not _expected or _expected[-1] >= RUST_WORTH or dt.dictionary in _RUST else None
    out: list[str] = []
    if rust is None:
        _cut_here(text, dt, out)
        return out
    at = 0
    for spot in RE_OWN.finditer(text):
        if spot.start() > at:
            out.extend(rust.cut(text[at:spot.start()], True))
        _cut_here(spot.group(), dt, out)
        at = spot.end()
    if at < len(text):
        out.extend(rust.cut(text[at:], True))
    return out


def _cut_here(text: str, dt: jieba.Tokenizer, out: list[str]) -> None:
    """``Tokenizer.cut`` in Python: blocks by the word graph, other characters one by one."""
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


def rust_segmenter(dt: jieba.Tokenizer):
    """jieba-rs with ``dt``'s dictionary, or None where it cannot be had.

    jieba-rs carries jieba's ``dict.txt``; a dictionary file that starts with it (the one
    :mod:`kg.nlp` writes: jieba's words, then the gazetteer's names) is matched by adding
    the rest of its lines.  Built once per dictionary; a tokenizer whose total frequency is
    no longer the file's (words added since) is left to the Python path.

    Loaded at the first cut (of enough text, see :func:`about_to_cut`), not with the
    pipeline: importing rjieba maps 34 MB (its own copy of the dictionary), which a build
    with ``--jobs N`` then keeps out of the main process and so out of every writer
    forked from it.
    """
    if dt.dictionary not in _RUST:
        _RUST[dt.dictionary] = _load_rust(dt.dictionary)
    rust, total = _RUST[dt.dictionary]
    return rust if total == dt.total else None


@contextmanager
def about_to_cut(chars: int) -> Iterator[None]:
    """Within this block about ``chars`` characters will be cut (in this process or in
    processes forked in it): under :data:`RUST_WORTH`, jieba-rs is not loaded for them.
    The words are the same either way.

    >>> with about_to_cut(20):
    ...     cut("胡家坪村") == list(jieba.dt.cut("胡家坪村"))
    True
    """
    _expected.append(chars)
    try:
        yield
    finally:
        _expected.pop()


def loaded(dictionary: str, total: int) -> None:
    """A tokenizer was just loaded from ``dictionary``, whose frequencies add up to ``total``:
    jieba-rs need not add them up again (0.2 s, in every worker of a ``--jobs N`` build)."""
    _TOTALS[dictionary] = total


def release() -> None:
    """Let go of the jieba-rs dictionaries (see :func:`kg.nlp.release_dictionary`)."""
    _RUST.clear()


def _load_rust(dictionary: str | None) -> tuple[object, int]:
    try:
        import rjieba
        from importlib.metadata import version
    except ImportError:
        return None, -1
    if version("rjieba") != VERIFIED_RJIEBA:
        return None, -1
    base = Path(jieba.__file__).with_name("dict.txt").read_bytes()
    data = Path(dictionary).read_bytes() if dictionary else base
    if not data.startswith(base):
        return None, -1
    rust = rjieba.Jieba()
    for line in data[len(base):].decode("utf-8").splitlines():
        word, freq, *tag = line.split()
        rust.add_word(word, int(freq), tag[0] if tag else None)
    total = _TOTALS.get(dictionary) if dictionary else None
    if total is None:
        total = sum(int(line.split(b" ")[1]) for line in data.splitlines() if line.strip())   # as jieba counts
    return rust, total


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
