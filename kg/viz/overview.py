"""Which entities the build's page shows when a corpus has too many to draw.

A page of ten thousand nodes takes minutes to lay out and is unreadable when it opens;
a build of thousands of articles has that many.  The page ``kg build`` writes therefore
shows the best-attested part of the graph -- the entities found in the most articles
and with the most relations -- with the places above them, so that every village still
hangs under its township and county.  ``kg viz OUTPUT --focus NAME`` draws any other
part of the graph.

>>> from kg.records import Entity, Relation
>>> es = {i: Entity(i, "Village", i, articles={"a", "b"} if i == "v1" else {"a"}) for i in ("v1", "v2", "t")}
>>> es["t"].type = "Township"
>>> sorted(page_nodes(es, [Relation("v1", "locatedIn", "t"), Relation("v2", "locatedIn", "t")], limit=2))
['t', 'v1']
"""
from __future__ import annotations

import heapq
from collections import Counter

from ..records import Entity, Relation
from .layout import LAYOUT_THRESHOLD

#: About the most entities the build's page shows: as many as the browser lays out itself.
PAGE_LIMIT = LAYOUT_THRESHOLD


def page_nodes(entities: dict[str, Entity], relations: list[Relation], limit: int = PAGE_LIMIT) -> set[str]:
    """The IRIs of the best-attested entities and of the places they lie in: about ``limit``
    in all (a last entity's places may take it a few over)."""
    if len(entities) <= limit:
        return set(entities)
    degree = Counter(r.subject for r in relations)
    degree.update(r.object for r in relations)
    parents: dict[str, set[str]] = {}
    for r in relations:
        if r.predicate == "locatedIn":
            parents.setdefault(r.subject, set()).add(r.object)

    def rank(i: str) -> tuple[int, str]:
        return -(len(entities[i].articles) + degree[i]), i

    shown: set[str] = set()
    # each entity taken is shown, so the loop ends within the best `limit`: no need to sort
    # them all (0.05 s of a watching process's rebuild at 10 MB)
    for iri in heapq.nsmallest(limit, entities, key=rank):
        if len(shown) >= limit:
            break
        frontier = [iri]
        while frontier:                            # with the places above it, up to the province
            shown.update(frontier)
            frontier = [p for i in frontier for p in sorted(parents.get(i, ())) if p not in shown and p in entities]
    return shown
