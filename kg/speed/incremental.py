"""What a process that builds again and again (``kg build --watch``) keeps between builds.

Besides the stores' results held in memory (extractions, provenance, SHACL parts, see
:class:`kg.speed.stored.Memo`), four stages keep their last output and redo only what an
edit touched: the merge of the articles' shares of the resolution
(:class:`Merger`), the graph's lines (:class:`GraphLines`), the
pieces of the output files (:class:`Pieces`, installed around the writers with
:func:`kg.remember.remembering`) and the page's nodes and edges
(:class:`kg.viz.incremental.PageGraph`) with their text (:class:`kg.viz.page.PageText`).
Each gives what its stage gives in a clean build; tests/test_watch.py checks the files
after a series of edits.

Pieces: each export of the graph (Turtle, TriG's default graph, JSON-LD, the property
graph) is made from the sorted N-Triples lines one run of whole subjects at a time, and
its bytes for a run depend on that run's lines only: the file is the runs' pieces one
after the other.  Runs end after subjects picked by their hash (content-defined chunking,
as :func:`kg.validate._parts` does), so an edit to one article changes the runs its
subjects fall in and leaves the rest as they were; a rebuild remakes a few dozen of some
two thousand pieces and joins the others from memory.

>>> pieces = Pieces()
>>> lines = [f"<http://x/{i}> <http://x/p> <http://x/o> ." for i in range(100)]
>>> made = []
>>> text = b"".join(pieces.each("nt", lines, lambda run: made.append(run) or "\\n".join(run).encode()))
>>> again = b"".join(pieces.each("nt", lines, lambda run: made.append(run) or b"?"))
>>> text == again, sum(map(len, made)) == len(lines)
(True, True)
"""
from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

from ..memory import collector_paused
from ..rdf import sources
from ..records import Article, Entity, Observation, Relation
from ..resolve import OBSERVATION_ORDER, RELATION_ORDER, ArticleResolution, EntityPart, Resolution, add, merge

T = TypeVar("T")


class Resident:
    """The stages' own state, kept by a watching process from one build to the next."""

    def __init__(self):
        from ..viz.incremental import PageGraph     # networkx and rdflib: for watching processes only
        from ..viz.page import PageText

        self.merge = Merger()
        self.graph_lines = GraphLines()
        self.page = PageGraph()             # the part of the graph graph.html shows
        self.page_text = PageText()         # and its data, as graph.html carries it
        self.pieces = Pieces()

    def sweep(self) -> None:
        """Let go of what the last build did not use."""
        self.pieces.sweep()


#: One subject in this many ends a run: with ~5 lines a subject, runs of ~80 lines.
EVERY = 16


class Pieces:
    """The pieces of the last build's files, by what they were made of."""

    def __init__(self):
        self.kept = Kept()
        self._runs: tuple[list[str] | None, list[tuple[str, ...]]] = (None, [])

    def runs(self, lines: list[str]) -> list[tuple[str, ...]]:
        """``lines`` (sorted) cut into runs of whole subjects (worked out once per list,
        from the last list's runs: see :func:`runs_again`)."""
        if self._runs[0] is not lines:
            last = self._runs[1]
            self._runs = (lines, runs_again(last, lines) if last else subject_runs(lines))
        return self._runs[1]

    def made(self, kind, key, make: Callable[[], T]) -> T:
        """``make()``, or what it gave before for the same ``kind`` and ``key``."""
        value = self.kept.get((kind, key))
        if value is None:
            value = make()
            self.kept.put((kind, key), value)
        return value

    def each(self, kind, lines: list[str], make: Callable[[tuple[str, ...]], T]) -> Iterator[T]:
        """``make(run)`` of each run of ``lines``, remembered by ``kind`` and the run."""
        for run in self.runs(lines):
            yield self.made(kind, run, lambda: make(run))

    def each_run(self, kind, items: Sequence[tuple], make: Callable[[tuple], T]) -> Iterator[T]:
        """``make(run)`` of runs of ``items`` (tuples, e.g. the nodes of a graph), each run
        ending after an item whose first field's hash is a multiple of :data:`EVERY`."""
        ends = [i for i, item in enumerate(items, 1) if hash(item[0]) % EVERY == 0]
        if items and (not ends or ends[-1] != len(items)):
            ends.append(len(items))
        start = 0
        for end in ends:
            run = tuple(items[start:end])
            yield self.made(kind, run, lambda: make(run))
            start = end

    def sweep(self) -> None:
        """Let go of the pieces the last build did not use."""
        self.kept.sweep()


def subject_runs(lines: Sequence[str], every: int = EVERY) -> list[tuple[str, ...]]:
    """Sorted N-Triples ``lines`` as runs of whole subjects, each ending after a subject
    whose hash is a multiple of ``every``.

    >>> subject_runs(["<a> <p> 1 .", "<a> <q> 2 .", "<b> <p> 3 ."], every=1)
    [('<a> <p> 1 .', '<a> <q> 2 .'), ('<b> <p> 3 .',)]
    """
    runs: list[tuple[str, ...]] = []
    start, prefix = 0, None         # the subject and its space: the next lines start with it
    for i, line in enumerate(lines):
        if prefix is not None and line.startswith(prefix):
            continue
        if prefix is not None and hash(prefix[:-1]) % every == 0:
            runs.append(tuple(lines[start:i]))
            start = i
        prefix = line[:line.find(" ") + 1]
    if start < len(lines):
        runs.append(tuple(lines[start:]))
    return runs


def runs_again(last: list[tuple[str, ...]], lines: list[str], every: int = EVERY) -> list[tuple[str, ...]]:
    """:func:`subject_runs` of ``lines`` (sorted), given those of the lines before an edit:
    the runs of ``last`` found whole in ``lines`` and still ended where they were are
    taken as they are, the lines between them are cut again.  After an edit to one
    article, a few milliseconds where cutting 150,000 lines takes 0.06 s (10 MB corpus).

    >>> lines = [f"<{s}> <p> {i} ." for s in "abcdefghij" for i in range(3)]
    >>> last = subject_runs(lines, every=3)
    >>> edited = sorted(lines[:4] + ["<bb> <p> 0 ."] + lines[7:])
    >>> runs_again(last, edited, every=3) == subject_runs(edited, every=3)
    True
    """
    def subject(line: str) -> str:
        return line[:line.find(" ")]

    def ends_run(i: int) -> bool:        # whether a run may end after lines[i - 1]
        if i == 0 or i == len(lines):
            return True
        before = subject(lines[i - 1])
        return before != subject(lines[i]) and hash(before) % every == 0

    runs: list[tuple[str, ...]] = []
    at = 0                               # lines[:at] are cut (at a place a run may end)
    for run in last:
        where = bisect_left(lines, run[0], at)
        end = where + len(run)
        if tuple(lines[where:end]) != run or not ends_run(where) or not ends_run(end):
            continue                     # edited, or its neighbours were: cut again
        runs += subject_runs(lines[at:where], every)
        runs.append(run)
        at = end
    runs += subject_runs(lines[at:], every)
    return runs


class Kept:
    """Results held in memory from one build to the next: those of this build, and those
    of the build before until :meth:`sweep` (so what the next build does not ask for is
    let go).

    >>> kept = Kept()
    >>> kept.put("k", 1); kept.sweep(); kept.get("k")
    1
    >>> kept.sweep(); kept.sweep(); kept.get("k") is None
    True
    """

    def __init__(self):
        self.items: dict = {}
        self.used: set[int] = set()     # the ids of the values this build got or put

    def get(self, key):
        """The result under ``key``, or None."""
        value = self.items.get(key)
        if value is not None:
            self.used.add(id(value))    # not the key: a run of lines as a key takes long to hash
        return value

    def put(self, key, value) -> None:
        self.items[key] = value
        self.used.add(id(value))

    def sweep(self) -> None:
        # (an id is that of a value still held, or of one put over, whose id another may
        # have taken since: that value is kept one build longer)
        for key in [k for k, v in self.items.items() if id(v) not in self.used]:
            del self.items[key]
        self.used = set()


class Merger:
    """:func:`kg.resolve.merge` for a process that builds again (``kg build --watch``): it keeps the
    shares it merged, and after an edit redoes only the entities, relations and figures
    of the articles that changed, so the others stay the same objects (which the next
    stages' memos recognise).  Each result equals :func:`merge` of the same shares.
    """

    def __init__(self):
        self.parts: dict[str, ArticleResolution] = {}
        self.index: dict[str, dict[str, EntityPart]] = {}             # article -> its entities by IRI
        self.entities: dict[str, Entity] = {}
        self.named_in: dict[str, set[str]] = defaultdict(set)         # entity IRI -> its articles
        self.sources: dict[Relation, set[tuple[str, int, str]]] = defaultdict(set)
        self.observations: set[Observation] = set()
        self.relations: list[Relation] = []          # sorted, as the resolution has them
        self.figures: list[Observation] = []
        self.found: dict[Relation, list[tuple[str, int, str]]] = {}

    def __call__(self, parts: list[ArticleResolution]) -> Resolution:
        new = {p.source_file: p for p in parts}
        gone = [src for src, part in self.parts.items() if new.get(src) is not part]
        came = [src for src, part in new.items() if self.parts.get(src) is not part]
        if len(gone) + len(came) > len(new) // 2:      # the first build, or most of the corpus changed
            return self._anew(parts, new)
        entities: set[str] = set()
        relations: set[Relation] = set()
        with collector_paused():
            for src in gone:
                del self.index[src]
                self._account(self.parts.pop(src), entities, relations, set.discard, set.difference_update)
            for src in came:
                part = self.parts[src] = new[src]
                self.index[src] = {ep.iri: ep for ep in part.entities}
                self._account(part, entities, relations, set.add, set.update)
            for iri in entities:
                self._entity(iri)
            for rel in relations:
                self._relation(rel)
            if gone or came:
                self.figures = sorted(self.observations, key=OBSERVATION_ORDER)
        return Resolution(self.entities, self.relations, self.figures, self.found)

    def _account(self, part: ArticleResolution, entities: set[str], relations: set[Relation], one, many) -> None:
        """Add a share to the indexes (``set.add``, ``set.update``) or take it away
        (``set.discard``, ``set.difference_update``), noting the entities and relations it names."""
        src = part.source_file
        for ep in part.entities:
            one(self.named_in[ep.iri], src)
            entities.add(ep.iri)
        for rel, sentence, rule in part.relations:
            one(self.sources[rel], (src, sentence, rule))
            relations.add(rel)
        many(self.observations, part.observations)

    def _anew(self, parts: list[ArticleResolution], new: dict[str, ArticleResolution]) -> Resolution:
        resolution = merge(parts)
        self.parts = new
        self.index = {src: {ep.iri: ep for ep in part.entities} for src, part in new.items()}
        self.named_in = defaultdict(set)
        for src, part in new.items():
            for ep in part.entities:
                self.named_in[ep.iri].add(src)
        self.entities, self.relations, self.figures, self.found = resolution
        self.sources = defaultdict(set, {rel: set(found) for rel, found in self.found.items()})
        self.observations = set(self.figures)
        return resolution

    def _entity(self, iri: str) -> None:
        """Merge an entity anew from the articles that name it (in file order)."""
        ent = None
        for src in sorted(self.named_in[iri]):
            ep = self.index[src][iri]
            if ent is None:
                ent = Entity(iri=iri, type=ep.type, label=ep.label)
            add(ent, ep, src)
        if ent is None:
            del self.entities[iri], self.named_in[iri]
        else:
            self.entities[iri] = ent

    def _relation(self, rel: Relation) -> None:
        """Keep the sorted relations and their sources in step with the relation's sources."""
        found = self.sources[rel]
        at = bisect_left(self.relations, RELATION_ORDER(rel), key=RELATION_ORDER)
        listed = at < len(self.relations) and self.relations[at] == rel
        if found:
            self.found[rel] = sorted(found)
            if not listed:
                self.relations.insert(at, rel)
        else:
            del self.sources[rel]
            self.found.pop(rel, None)
            if listed:
                del self.relations[at]


class GraphLines:
    """:func:`kg.rdf.graph_lines` for a process that builds again (``kg build --watch``): each
    thing's lines are kept with what made them (an entity: the object, which the
    :class:`kg.resolve.Merger` leaves as it is unless an edit touched it), and only the
    lines of things that changed are made again and sorted into the others.

    >>> from kg.records import Entity
    >>> lines = GraphLines()
    >>> e = Entity("https://w3id.org/pakg/id/county/x", "County", "某县")
    >>> len(lines([], {e.iri: e}, [], [])), len(lines([], {}, [], []))
    (2, 0)
    """

    def __init__(self):
        self.made: dict = {}            # key -> (what made them, lines)
        self.count: dict[str, int] = {}   # line -> how many things say it
        self.lines: list[str] = []

    def __call__(self, articles: list[Article], entities: dict[str, Entity], relations: list[Relation],
                 observations: list[Observation]) -> list[str]:
        old, new = self.made, {}
        added: list[str] = []
        removed: list[str] = []
        for key, what, make in sources(articles, entities, relations, observations):
            before = old.pop(key, None)
            if before is not None and (before[0] is what or (type(what) is tuple and before[0] == what)):
                new[key] = before
                continue
            new[key] = (what, make())
            added += new[key][1]
            if before is not None:
                removed += before[1]
        for _, lines in old.values():
            removed += lines
        self.made = new
        touched = self._count(added, removed)
        if len(touched) > len(self.lines) // 8:
            self.lines = sorted(self.count)
        else:
            for line in touched:
                at = bisect_left(self.lines, line)
                listed = at < len(self.lines) and self.lines[at] == line
                if line in self.count and not listed:
                    self.lines.insert(at, line)
                elif listed and line not in self.count:
                    del self.lines[at]
        return list(self.lines)     # a list of its own: the writers' pieces know a build's lines by identity

    def _count(self, added: list[str], removed: list[str]) -> set[str]:
        count = self.count
        for line in added:
            count[line] = count.get(line, 0) + 1
        for line in removed:
            if count[line] == 1:
                del count[line]
            else:
                count[line] -= 1
        return set(added).union(removed)
