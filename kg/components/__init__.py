"""spaCy components that find entity candidates, one component per kind of evidence.

Each component reads ``doc.text`` (matching on characters, because jieba cuts names
like 桥头河镇 into 桥头 / 河镇) and appends :class:`~kg.records.Mention` records to
``doc._.candidates``; earlier components' candidates are visible to later ones, so an
organisation can start where a place ends (涟源市桥头河镇 | 湘浙茶叶种植专业合作社).
The last component, ``pakg_spans``, settles overlaps and exposes the result the spaCy
way, as ``doc.spans["pakg"]`` and ``doc.ents``.
"""
from __future__ import annotations

import re

from spacy.tokens import Doc

from ..records import Mention

if not Doc.has_extension("candidates"):
    Doc.set_extension("candidates", default=None)
if not Doc.has_extension("subject"):
    Doc.set_extension("subject", default=None)

CJK = re.compile(r"[\u3400-\u9fff]")
CJK_RUN = re.compile(r"[\u3400-\u9fff]+")
#: Characters that end a name to their left: punctuation, spaces, digits, Latin.
BOUNDARY = re.compile(r"[^\u3400-\u9fff]")


def candidates(doc: Doc) -> list[Mention]:
    """The doc's candidate list, created on first use."""
    found = doc._.candidates            # (each doc._ access builds an object: one here, not three)
    if found is None:
        found = doc._.candidates = []
    return found


def text_of(doc: Doc) -> str:
    """``doc.text``, cached: spaCy rebuilds it from the tokens on every access."""
    if "pakg_text" not in doc.user_data:
        doc.user_data["pakg_text"] = doc.text
    return doc.user_data["pakg_text"]


def add(doc: Doc, start: int, end: int, type_: str, name: str | None = None,
        found_by: str = "", confidence: float = 1.0) -> Mention:
    text = text_of(doc)[start:end]
    m = Mention(text=text, name=name or text, type=type_, start=start,
                end=end, sentence=-1, found_by=found_by, confidence=confidence)
    candidates(doc).append(m)
    return m


def is_cjk(text: str) -> bool:
    """Non-empty and Chinese throughout (one regex call, not one per character)."""
    return CJK_RUN.fullmatch(text) is not None


def occurrences(text: str, word: str):
    """Start offsets of ``word`` in ``text``, left to right, not overlapping: what
    ``re.finditer(re.escape(word), text)`` gives, without compiling a pattern per word
    (articles bring hundreds of names, more than ``re``'s cache of compiled patterns).

    >>> list(occurrences("村村村", "村村")), list(occurrences("甲乙甲", "甲"))
    ([0], [0, 2])
    """
    if not word:
        yield from (m.start() for m in re.finditer("", text))
        return
    find, step = text.find, len(word)
    i = find(word)
    while i >= 0:
        yield i
        i = find(word, i + step)


#: quotation marks, which set off nicknames and names (“笑脸村”, “何苑农家乐”)
QUOTES = "“”‘’\"'「」"


def quoted(text: str, start: int, end: int) -> bool:
    """``text[start:end]`` stands between quotation marks.

    >>> quoted("叫“笑脸村”", 2, 5), quoted("笑脸村", 0, 3)
    (True, False)
    """
    return 0 < start and end < len(text) and text[start - 1] in QUOTES and text[end] in QUOTES


def line_at(text: str, pos: int) -> str:
    """The line of ``text`` that holds ``pos`` (bylines and credits are lines of their own)."""
    begin = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return text[begin:end if end >= 0 else len(text)]


def left_bounded(text: str, start: int) -> bool:
    """True when nothing Chinese stands directly before ``start`` (a name can begin there)."""
    return start == 0 or bool(BOUNDARY.match(text[start - 1]))
