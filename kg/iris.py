"""Stable, readable IRIs: ``pad:village/hu-jia-ping-cun-431382``.

An IRI is a function of what the entity is (its type, name and, for places, where it
lies), never of the order articles were read in, so every build of any corpus gives the
same thing the same IRI.
"""
from __future__ import annotations

import hashlib
import re
from decimal import Decimal
from functools import lru_cache

from .namespaces import PAD
from .vocabulary import CLASSES

#: entity type -> the path of its IRIs (``…/id/county/…``), as the ontology gives it (pa:iriPath)
TYPE_PATH = {name: term.iri_path for name, term in CLASSES.items()}


@lru_cache(maxsize=1)
def _pinyin():
    """``pypinyin``'s converter, remembering the pinyin of each segment pypinyin cuts a text
    into.  Names share most of their segments (村, 合作社, 扶贫), converting one costs tens
    of microseconds of pure Python, and the answer depends on the segment alone: tone
    sandhi, the one option that looks across segments, is off.  Made at the first slug:
    importing pypinyin takes 0.3 s, which a build whose articles are all cached and the
    query commands need not pay."""
    from pypinyin.converter import UltimateConverter
    from pypinyin.core import Pinyin

    class SegmentMemo(UltimateConverter):
        def __init__(self):
            super().__init__()
            self._done: dict[tuple, list[list[str]]] = {}

        def convert(self, words, style, heteronym, errors, strict, **kwargs):
            key = (words, style, heteronym, errors, strict)
            found = self._done.get(key)
            if found is None:
                found = self._done[key] = super().convert(words, style, heteronym, errors, strict, **kwargs)
            return [list(syllables) for syllables in found]     # callers may change what they get

    return Pinyin(SegmentMemo())


_WORD = re.compile(r"[a-z0-9]+")


def _as_is(chars: str) -> list[str]:
    """Characters without pinyin (digits, Latin letters, punctuation) stay as they are."""
    return [chars]


@lru_cache(maxsize=65536)
def slug(text: str, limit: int = 60) -> str:
    """Pinyin words joined by hyphens; non-Chinese letters and digits kept.

    >>> slug("胡家坪村")
    'hu-jia-ping-cun'
    >>> slug("“3+1”模式")
    '3-1-mo-shi'
    """
    parts = []
    for piece in _pinyin().lazy_pinyin(text, errors=_as_is):
        parts += _WORD.findall(piece.lower())
    out = "-".join(parts)
    if len(out) > limit or not out:
        digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]
        out = f"{out[:limit].rstrip('-')}-{digest}".lstrip("-")
    return out


@lru_cache(maxsize=1 << 17)
def entity_iri(type_: str, name: str, qualifier: str | None = None) -> str:
    """``qualifier`` (e.g. the county code of a village) tells same-named things apart."""
    path = f"{TYPE_PATH[type_]}/{slug(name)}"
    if qualifier:
        path += f"-{qualifier}"
    return str(PAD[path])


@lru_cache(maxsize=65536)
def article_iri(source_file: str) -> str:
    """An article's IRI, from its file's path relative to the input: one per file.

    A plain ``.txt`` name (letters, digits, ``_``, single hyphens) is its own key; any other
    path gets a readable key and a digest of the whole path after ``~``, so that
    ``dup.txt`` and ``dup.html``, ``sub/x.txt`` and ``sub-x.txt`` or ``涟源.txt`` and
    ``lian yuan.txt`` stay two articles.

    >>> article_iri("000_517b1d5de5a6b7ee.txt").rsplit("/", 1)[-1]
    '000_517b1d5de5a6b7ee'
    >>> len({article_iri(n) for n in ("dup.txt", "dup.html", "sub/x.txt", "sub-x.txt", "a b.txt", "a-b.txt")})
    6
    """
    if _PLAIN_FILE.fullmatch(source_file):
        return str(PAD["article/" + source_file[:-4]])
    readable = "-".join(re.findall(r"[A-Za-z0-9_]+", source_file)) or slug(source_file, 40)
    digest = hashlib.sha1(source_file.encode("utf-8")).hexdigest()[:10]
    return str(PAD[f"article/{readable[:60]}~{digest}"])


_PLAIN_FILE = re.compile(r"[A-Za-z0-9_]+(?:-[A-Za-z0-9_]+)*\.txt")


def observation_iri(area_iri: str, indicator: str, year: int | None, value: Decimal | float,
                    period: tuple[int, int | None] | None = None) -> str:
    """Area, indicator, time and value make the IRI: the same figure in two articles is one node.

    >>> observation_iri("https://w3id.org/pakg/id/county/long-hui-xian", "FundsInvested", 2019, 650000000)
    'https://w3id.org/pakg/id/observation/long-hui-xian-fundsinvested-2019-650000000'
    >>> observation_iri("https://w3id.org/pakg/id/county/x", "PeopleLiftedOutOfPoverty", None, 7854, (2015, 2019))
    'https://w3id.org/pakg/id/observation/x-peopleliftedoutofpoverty-2015-2019-7854'
    """
    area = area_iri.rsplit("/", 1)[-1]
    if year is not None:
        when = str(year)
    elif period is not None:
        when = f"{period[0]}-{period[1]}" if period[1] is not None else f"since-{period[0]}"
    else:
        when = "na"
    return str(PAD[f"observation/{area}-{slug(indicator)}-{when}-{decimal_text(value)}"])


def decimal_text(value: Decimal | float) -> str:
    """The canonical xsd:decimal form of a number: no exponent, no trailing zeros.

    ``f"{x:g}"`` writes 12000000 as 1.2e+07, which is not an xsd:decimal and reads badly in an IRI.

    >>> decimal_text(12000000.0), decimal_text(3.50), decimal_text(Decimal("1.2E+4")), decimal_text(0)
    ('12000000', '3.5', '12000', '0')
    """
    d = value if isinstance(value, Decimal) else Decimal(str(value))
    text = format(d.normalize(), "f")
    return "0" if text in ("-0", "") else text
