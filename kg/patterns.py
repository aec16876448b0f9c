"""Rules as data: relation patterns, and a user's own names and patterns.

Two kinds of line, in JSON Lines files:

* **entity patterns**, spaCy's ``EntityRuler`` / ``SpanRuler`` format: a ``label`` (an entity
  type of :mod:`kg.vocabulary`), a ``pattern`` (a phrase, or a list of token attributes
  over jieba's tokens) and optionally an ``id``, the name the entity takes::

      {"label": "Enterprise", "pattern": "云岭茶业", "id": "云岭茶业有限公司"}

* **relation patterns**: a ``relation`` of the vocabulary holds between a ``subject`` and
  an ``object`` (lists of entity types) named in one clause (``within``: ``clause`` or
  ``sentence``) when a ``cue`` word follows the subject there; ``not_own`` leaves out an
  organisation named after the object (a village's own party branch)::

      {"relation": "supports", "subject": ["Enterprise"], "object": ["Village"],
       "cue": ["帮扶", "结对"], "within": "clause", "not_own": true}

pakg's own relation patterns are ``kg/data/relation_patterns.jsonl``; ``kg build --patterns
FILE`` adds a user's (:func:`use`), whose digest joins the pipeline's version so that cached
extractions made without them are not reused.

>>> p = relation_pattern({"relation": "supports", "subject": ["Enterprise"],
...                       "object": ["Village"], "cue": ["帮扶", "结对帮扶"]})
>>> p.within, p.cue.pattern
('clause', '结对帮扶|帮扶')
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .lexicon import DATA, longest_first
from .vocabulary import ENTITY_TYPES, RELATIONS

SHIPPED = DATA / "relation_patterns.jsonl"
#: what ends the stretch of text a relation pattern looks in
WITHIN = {"clause": re.compile(r"[，,；;。！？!?\n]"), "sentence": re.compile(r"[。！？!?\n]")}


class PatternError(ValueError):
    """A line of a pattern file that pakg cannot use: the message names the file and line."""


@dataclass(frozen=True)
class RelationPattern:
    relation: str
    subject: tuple[str, ...]
    object: tuple[str, ...]
    cue: re.Pattern
    within: str = "clause"
    not_own: bool = False
    id: str = ""


def relation_pattern(row: dict) -> RelationPattern:
    """A relation pattern from one JSON object, checked against the vocabulary."""
    if row.get("relation") not in RELATIONS:
        raise ValueError(f"relation {row.get('relation')!r} is not one of {', '.join(RELATIONS)}")
    for side in ("subject", "object"):
        unknown = [t for t in row.get(side, ()) if t not in ENTITY_TYPES]
        if not row.get(side) or unknown:
            raise ValueError(f"{side} must list entity types of {', '.join(ENTITY_TYPES)} (not {unknown or 'none'})")
    if not row.get("cue"):
        raise ValueError("a relation pattern needs cue words")
    within = row.get("within", "clause")
    if within not in WITHIN:
        raise ValueError(f"within must be one of {', '.join(WITHIN)}")
    return RelationPattern(row["relation"], tuple(row["subject"]), tuple(row["object"]),
                           re.compile("|".join(map(re.escape, longest_first(row["cue"])))), within,
                           bool(row.get("not_own", False)), str(row.get("id", row["relation"])))


def entity_pattern(row: dict) -> dict:
    """An entity pattern from one JSON object, as spaCy's SpanRuler takes it."""
    if row.get("label") not in ENTITY_TYPES:
        raise ValueError(f"label {row.get('label')!r} is not one of {', '.join(ENTITY_TYPES)}")
    if not isinstance(row.get("pattern"), (str, list)) or not row["pattern"]:
        raise ValueError("pattern must be a phrase or a list of token attributes")
    return {k: row[k] for k in ("label", "pattern", "id") if k in row}


def read(path: Path) -> tuple[list[dict], list[RelationPattern]]:
    """The entity and relation patterns of a JSON Lines file; blank lines and lines starting
    with ``#`` are skipped. Raises :class:`PatternError` naming the file and line."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise PatternError(f"{path}: cannot read patterns: {e}") from None
    return parse(str(path), text)


def parse(name: str, text: str) -> tuple[list[dict], list[RelationPattern]]:
    """:func:`read` of a file's ``text``, its lines named ``name:line`` in errors."""
    entities, relations = [], []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            row = json.loads(line)
            if not isinstance(row, dict):
                raise ValueError("each line must be a JSON object")
            if "relation" in row:
                relations.append(relation_pattern(row))
            else:
                entities.append(entity_pattern(row))
        except ValueError as e:          # json.JSONDecodeError is a ValueError
            raise PatternError(f"{name}:{n}: {e}") from None
    return entities, relations


_user: tuple[tuple[str, str], ...] = ()          # (file name, text) of the user's pattern files


def use(paths: list[Path]) -> None:
    """Add a user's pattern files to every build of this process (and of processes forked
    from it). Each file is read and checked here, so that a bad line stops the build before
    it starts."""
    files = []
    for p in paths:
        try:
            files.append((str(p), Path(p).read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError) as e:
            raise PatternError(f"{p}: cannot read patterns: {e}") from None
        parse(*files[-1])
    install(tuple(files))


def install(files: tuple[tuple[str, str], ...]) -> None:
    """Make ``files`` ((name, text) pairs, as :func:`installed` gives them) the user's
    patterns of this process: how a build's patterns reach the workers of a cluster."""
    global _user
    _user = tuple(files)
    for cached in (user_patterns, relation_patterns, digest):
        cached.cache_clear()


def installed() -> tuple[tuple[str, str], ...]:
    """The user's pattern files of this process, as (name, text)."""
    return _user


@lru_cache(maxsize=1)
def user_patterns() -> tuple[list[dict], list[RelationPattern]]:
    entities, relations = [], []
    for name, text in _user:
        e, r = parse(name, text)
        entities += e
        relations += r
    return entities, relations


@lru_cache(maxsize=1)
def relation_patterns() -> tuple[RelationPattern, ...]:
    """pakg's relation patterns, then the user's."""
    return tuple(read(SHIPPED)[1]) + tuple(user_patterns()[1])


def entity_patterns() -> list[dict]:
    """The user's entity patterns (pakg's own names are found by its components); the same
    list object until :func:`use` changes them."""
    return user_patterns()[0]


@lru_cache(maxsize=1)
def digest() -> str:
    """What the user's patterns add to the pipeline's version ("" without any)."""
    if not _user:
        return ""
    h = hashlib.sha256()
    for _, text in _user:
        h.update(text.encode("utf-8") + b"\0")
    return h.hexdigest()[:16]
