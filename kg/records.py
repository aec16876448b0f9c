"""Typed records that travel through the pipeline, one per stage's output.

An article goes file → :class:`Article` → :class:`Mention` / :class:`RelationCandidate`
/ :class:`FigureCandidate` (per article) → :class:`Entity` / :class:`Relation` /
:class:`Observation` (per corpus).  Keeping them plain dataclasses lets each stage
be a plain function a reader can call on its own.
"""
from __future__ import annotations

from sys import intern
from array import array
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from operator import attrgetter
from typing import Any

from .vocabulary import ENTITY_TYPES, ORG_TYPES, PERSON_TYPES, PLACE_TYPES  # noqa: F401  (re-exported)


class Offsets(Sequence):
    """Where each character of a normalised text came from in the raw file, stored as the
    runs in which both advance together.

    Normalisation drops a few characters (layout line breaks, control characters) and
    keeps the rest in order, so a text of 8,000 characters has a handful of runs: a few
    hundred bytes, where one integer per character took 32 kB an article and most of a
    100 MB corpus's memory.

    >>> o = Offsets([0, 1, 2, 5, 6, 9])
    >>> list(o), o[3], o[-1], len(o), len(o.starts)
    ([0, 1, 2, 5, 6, 9], 5, 9, 6, 3)
    """
    __slots__ = ("starts", "bases", "length")

    def __init__(self, offsets: Iterable[int]):
        self.starts, self.bases = array("i"), array("i")
        expected, n = None, 0
        for n, o in enumerate(offsets, 1):
            if o != expected:
                self.starts.append(n - 1)
                self.bases.append(o)
            expected = o + 1
        self.length = n

    @classmethod
    def from_runs(cls, runs: Iterable[tuple[int, int]], length: int) -> Offsets:
        """The offsets of ``length`` characters given as ``(start, base)`` runs: from
        character ``start`` on, offsets count up from ``base`` until the next run starts.
        A run that continues the one before it, or starts at ``length``, adds nothing;
        of two runs starting at the same character the later one counts.  Same result
        as listing every offset, in steps per run rather than per character.

        >>> list(Offsets.from_runs([(0, 0), (2, 5), (2, 7), (3, 8), (4, 9)], 4))
        [0, 1, 7, 8]
        >>> Offsets.from_runs([(0, 0), (2, 5), (2, 7), (3, 8)], 4) == Offsets([0, 1, 7, 8])
        True
        """
        o = cls(())
        starts, bases = o.starts, o.bases
        for start, base in runs:
            if start >= length:
                break
            if starts and starts[-1] == start:
                starts.pop()
                bases.pop()
            if not starts or base != bases[-1] + start - starts[-1]:
                starts.append(start)
                bases.append(base)
        o.length = length
        return o

    def without(self, spans: Iterable[tuple[int, int]]) -> Offsets:
        """The offsets of the text with the characters of the ``[start, end)`` spans
        (sorted, not overlapping) taken out.

        >>> list(Offsets([0, 1, 2, 5, 6, 9]).without([(1, 2), (4, 5)]))
        [0, 2, 5, 9]
        """
        kept, pos = [], 0
        for start, end in spans:
            kept.append((pos, start))
            pos = end
        kept.append((pos, self.length))
        runs, at = [], 0           # at: where a kept character lands in the shorter text
        for begin, end in kept:
            k = bisect_right(self.starts, begin) - 1
            i = begin
            while i < end:
                runs.append((at, self.bases[k] + i - self.starts[k]))
                k += 1
                step = min(end, self.starts[k] if k < len(self.starts) else end) - i
                at, i = at + step, i + step
        return Offsets.from_runs(runs, at)

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(self.length))]
        if i < 0:
            i += self.length
        if not 0 <= i < self.length:
            raise IndexError("offset index out of range")
        k = bisect_right(self.starts, i) - 1
        return self.bases[k] + i - self.starts[k]

    def __eq__(self, other) -> bool:
        if isinstance(other, Offsets):
            return (self.length, self.starts, self.bases) == (other.length, other.starts, other.bases)
        return isinstance(other, Sequence) and list(self) == list(other)

    def __reduce__(self):
        return _offsets, (self.starts, self.bases, self.length)

    def __repr__(self) -> str:
        return f"Offsets(<{self.length} characters in {len(self.starts)} runs>)"


def _offsets(starts: array, bases: array, length: int) -> Offsets:
    o = Offsets(())
    o.starts, o.bases, o.length = starts, bases, length
    return o


class Spans(Sequence):
    """``[start, end)`` spans (an article's sentences) in two integer arrays: 8 bytes a
    span, where a list of tuples took ~110, much of a large corpus's memory.

    >>> s = Spans([(0, 5), (5, 9)])
    >>> s[1], list(s), len(s), s == Spans([(0, 5), (5, 9)])
    ((5, 9), [(0, 5), (5, 9)], 2, True)
    """
    __slots__ = ("starts", "ends")

    def __init__(self, spans: Iterable[tuple[int, int]] = ()):
        self.starts, self.ends = array("i"), array("i")
        for start, end in spans:
            self.starts.append(start)
            self.ends.append(end)

    def __len__(self) -> int:
        return len(self.starts)

    def __iter__(self):
        return zip(self.starts, self.ends)      # (Sequence's would call __getitem__ per span)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        return self.starts[i], self.ends[i]

    def __eq__(self, other) -> bool:
        if isinstance(other, Spans):
            return (self.starts, self.ends) == (other.starts, other.ends)
        return isinstance(other, Sequence) and list(self) == [tuple(x) for x in other]

    def __reduce__(self):
        return _spans, (self.starts, self.ends)

    def __repr__(self) -> str:
        return f"Spans({list(self)!r})"


def _spans(starts: array, ends: array) -> Spans:
    s = Spans()
    s.starts, s.ends = starts, ends
    return s


def interned_pickle(cls):
    """Pickle the slotted, frozen record class ``cls`` so that unpickling interns its strings.

    A 100 MB corpus's extractions hold some 700,000 mentions, which reach the parent
    pickled (from the extraction workers or the cache), each string a copy of its own;
    their types, rules and names are a few thousand distinct strings, so sharing them
    saves a hundred megabytes.  Unpickling them is the parent's share of a ``--jobs N``
    build's extraction, so the function it calls per record is made for ``cls``, as
    :mod:`dataclasses` makes ``__init__``: it sets each slot through its descriptor,
    where the frozen ``__init__`` goes through ``object.__setattr__`` per field (0.15 s
    against 0.35 s for 64,000 mentions).

    >>> import pickle
    >>> m = Mention("村", "胡家坪村", "Village", 0, 1, 0, "places:x")
    >>> a, b = pickle.loads(pickle.dumps(m)), pickle.loads(pickle.dumps(m))
    >>> a == m, a.name is b.name          # one string, not a copy per unpickled record
    (True, True)
    """
    fields = cls.__slots__
    code = "\n".join([f"def _unpickle({', '.join(fields)}):", "    record = new(cls)",
                      *(f"    set_{f}(record, {f} if {f}.__class__ is not str else intern({f}))" for f in fields),
                      "    return record"])
    scope = {"new": object.__new__, "cls": cls, "intern": intern,
             **{f"set_{f}": getattr(cls, f).__set__ for f in fields}}
    exec(code, scope)
    unpickle = scope["_unpickle"]
    unpickle.__module__, unpickle.__qualname__ = cls.__module__, f"{cls.__qualname__}._unpickle"
    values = attrgetter(*fields)
    cls._unpickle = staticmethod(unpickle)      # where pickle finds it by name
    cls.__reduce__ = lambda self: (unpickle, values(self))
    return cls


@dataclass
class Article:
    """One input document after decoding and normalisation.

    ``text`` is what the extractor reads (NFKC, layout line breaks repaired);
    ``offsets[i]`` is the index in ``raw`` of ``text[i]``, so every mention can be
    traced back to the original file.
    """
    source_file: str          # path relative to the input folder, POSIX separators
    raw: str
    text: str
    offsets: Sequence[int]    # Offsets in practice: a 10 MB corpus has 3 million of them
    title: str = ""
    duplicates: tuple[str, ...] = ()    # other files with the same article, read once
    digest: str = ""                    # SHA-256 of the file's bytes

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a ``[start, end)`` span of ``text`` to the span of ``raw`` it came from."""
        if start >= end:
            pos = self.offsets[start] if start < len(self.offsets) else len(self.raw)
            return pos, pos
        return self.offsets[start], self.offsets[end - 1] + 1


@interned_pickle
@dataclass(frozen=True, slots=True)
class Mention:
    """A span of an article's text recognised as an entity of ``type``.

    ``name`` is the normalised full form (涟源 → 涟源市 when the gazetteer says so);
    ``text`` is the surface string.  ``found_by`` names the component and pattern.
    """
    text: str
    name: str
    type: str
    start: int
    end: int
    sentence: int
    found_by: str
    confidence: float = 1.0


@interned_pickle
@dataclass(frozen=True, slots=True)
class RelationCandidate:
    """``subject --predicate--> object`` between entity names of one article."""
    subject: str
    predicate: str            # a relation of kg.vocabulary.RELATIONS: locatedIn, servesIn …
    object: str
    sentence: int
    found_by: str


@interned_pickle
@dataclass(frozen=True, slots=True)
class FigureCandidate:
    """A key figure stated in an article, e.g. 贫困发生率 18.3% in 2013 for 涟源市.

    A figure summed over several years (2014年至2019年累计脱贫…) has a ``period``
    (first year, last year or None when open: 2015年以来) instead of a ``year``.
    """
    area: str
    indicator: str            # local name of a pa:Indicator, e.g. PovertyIncidence
    value: Decimal            # in the indicator's unit: 2.4亿元 is 240000000 (元)
    unit: str
    year: int | None
    sentence: int
    text: str                 # the phrase as written, e.g. 统筹整合涉农资金6.5亿元
    period: tuple[int, int | None] | None = None
    found_by: str = ""        # the pattern that read it, e.g. figures.funds:spent-funds


@dataclass
class ArticleExtraction:
    """Everything the extractor found in one article."""
    article: Article
    subject: str | None                     # the county (or other unit) the article is about
    mentions: list[Mention] = field(default_factory=list)
    titles: dict[str, list[str]] = field(default_factory=dict)     # cadre name -> post titles
    relations: list[RelationCandidate] = field(default_factory=list)
    figures: list[FigureCandidate] = field(default_factory=list)
    sentences: Sequence[tuple[int, int]] = field(default_factory=Spans)  # sentence spans in text
    # (cadre name, unit name) -> (start, end) of the post, as 2018-03 or 2018; end None: held still
    tenures: dict[tuple[str, str], tuple[str | None, str | None]] = field(default_factory=dict)
    resolution: Any = None      # its kg.resolve.ArticleResolution, made with it (see kg.speed.parallel)


@dataclass
class Entity:
    """One node of the graph: all mentions of the same thing across the corpus."""
    iri: str
    type: str
    label: str
    aliases: set[str] = field(default_factory=set)
    articles: set[str] = field(default_factory=set)    # source files
    titles: set[str] = field(default_factory=set)
    tenures: set[tuple[str, str | None, str | None]] = field(default_factory=set)   # (unit IRI, start, end)
    admin_code: str | None = None
    program_kind: str | None = None                    # IRI of a pa:ProgramKind concept
    mentions: list[tuple[str, Mention]] = field(default_factory=list)  # (source file, mention)


@interned_pickle            # the same IRIs recur in thousands of articles' shares (kg.resolve)
@dataclass(frozen=True, order=True, slots=True)
class Relation:
    subject: str              # entity IRI
    predicate: str
    object: str               # entity IRI


@interned_pickle
@dataclass(frozen=True, order=True, slots=True)
class Observation:
    iri: str
    area: str                 # entity IRI
    indicator: str
    year: int | None
    value: Decimal
    unit: str
    source_file: str
    period: tuple[int, int | None] | None = None
    found_by: str = ""
