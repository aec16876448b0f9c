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

from pypinyin import lazy_pinyin

from .namespaces import PAD

TYPE_PATH = {"Province": "province", "Prefecture": "prefecture", "County": "county", "Township": "township",
             "Village": "village", "Cadre": "person", "Resident": "person", "Enterprise": "enterprise",
             "Cooperative": "cooperative", "GovernmentBody": "body", "Program": "program"}


@lru_cache(maxsize=65536)
def slug(text: str, limit: int = 60) -> str:
    """Pinyin words joined by hyphens; non-Chinese letters and digits kept.

    >>> slug("胡家坪村")
    'hu-jia-ping-cun'
    >>> slug("“3+1”模式")
    '3-1-mo-shi'
    """
    parts = []
    for piece in lazy_pinyin(text, errors=lambda s: [s]):
        parts += re.findall(r"[a-z0-9]+", piece.lower())
    out = "-".join(parts)
    if len(out) > limit or not out:
        digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]
        out = f"{out[:limit].rstrip('-')}-{digest}".lstrip("-")
    return out


def entity_iri(type_: str, name: str, qualifier: str | None = None) -> str:
    """``qualifier`` (e.g. the county code of a village) tells same-named things apart."""
    path = f"{TYPE_PATH[type_]}/{slug(name)}"
    if qualifier:
        path += f"-{qualifier}"
    return str(PAD[path])


@lru_cache(maxsize=65536)
def article_iri(source_file: str) -> str:
    stem = source_file.rsplit(".", 1)[0]
    return str(PAD["article/" + "-".join(re.findall(r"[A-Za-z0-9_]+", stem) or [slug(stem)])])


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
