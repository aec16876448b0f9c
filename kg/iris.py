"""Stable, readable IRIs: ``pad:village/hu-jia-ping-cun-431382``.

An IRI is a function of what the entity is (its type, name and, for places, where it
lies), never of the order articles were read in, so every build of any corpus gives the
same thing the same IRI.
"""
from __future__ import annotations

import hashlib
import re
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


def article_iri(source_file: str) -> str:
    stem = source_file.rsplit(".", 1)[0]
    return str(PAD["article/" + "-".join(re.findall(r"[A-Za-z0-9_]+", stem) or [slug(stem)])])


def observation_iri(area_iri: str, indicator: str, year: int | None, value: float) -> str:
    area = area_iri.rsplit("/", 1)[-1]
    return str(PAD[f"observation/{area}-{slug(indicator)}-{year or 'na'}-{value:g}"])
