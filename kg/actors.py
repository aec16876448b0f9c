"""The actor graph: the nodes and edges that graph tools (Gephi, yEd, Neo4j, networkx) draw.

Actors are the instances of :data:`NODE_TYPES`; posts, observations and articles are
left out (a cadre's posts become its ``titles``, its articles a count).  Edges are the
relations of :data:`EDGES` between two actors.

The graph is read in one pass over the build's N-Triples lines, keeping only the few
predicates it needs, rather than asking a triple store one question per node and
property (that took seconds on a 10 MB corpus).  Its order is fixed, so that every file
made from it is byte-identical from run to run: nodes sorted by IRI, edges in the order
networkx's ``MultiDiGraph`` iterates them when they are added relation by relation
(:data:`EDGES`), sorted by subject and object within one relation.

>>> lines = ['<http://x/t> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/pakg/ontology#Township> .',
...          '<http://x/t> <http://www.w3.org/2000/01/rdf-schema#label> "伏口镇"@zh .',
...          '<http://x/v> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/pakg/ontology#Village> .',
...          '<http://x/v> <http://www.w3.org/2000/01/rdf-schema#label> "胡家坪村"@zh .',
...          '<http://x/v> <https://w3id.org/pakg/ontology#locatedIn> <http://x/t> .']
>>> graph = actors(lines)
>>> [(a.id, a.label, a.type) for a in graph.nodes]
[('http://x/t', '伏口镇', 'Township'), ('http://x/v', '胡家坪村', 'Village')]
>>> graph.edges
[('http://x/v', 'http://x/t', 'locatedIn')]
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import NamedTuple

from .namespaces import PA, RDF, RDFS, SKOS
from .ntriples import triples
from .pieces import Pieces

#: Relations between actors that graph tools draw as edges.
EDGES = ("locatedIn", "servesIn", "residentOf", "implements")
#: Classes whose instances are nodes in graph tools (posts and observations are attributes).
NODE_TYPES = ("Province", "Prefecture", "County", "Township", "Village", "Cadre", "Resident", "Enterprise",
              "Cooperative", "GovernmentBody", "Program")
#: How list attributes (alternative labels, titles) are joined into one string.
ARRAY_DELIMITER = ";"


class Actor(NamedTuple):
    """One node; the fields after ``id`` are its attributes in graph files, in this order."""
    id: str
    label: str
    type: str
    altLabels: str
    adminCode: str
    titles: str
    articles: int


class Actors(NamedTuple):
    nodes: list[Actor]                    # sorted by id
    edges: list[tuple[str, str, str]]     # (source, target, relation), see the module docstring
    pairs: dict[str, list[tuple[str, str]]] | None = None   # relation -> its (source, target), sorted


_TYPE, _LABEL, _ALT, _CODE, _TITLE, _MENTIONED = (
    str(RDF.type), str(RDFS.label), str(SKOS.altLabel), str(PA.adminCode), str(PA.positionTitle), str(PA.mentionedIn))
_CLASSES = {str(PA[t]): t for t in NODE_TYPES}
_RELATIONS = {str(PA[r]): r for r in EDGES}
_PREDICATES = frozenset((_TYPE, _LABEL, _ALT, _CODE, _TITLE, _MENTIONED, *_RELATIONS))


def actors(lines: Iterable[str], pieces: Pieces | None = None) -> Actors:
    """The actor graph of a graph's N-Triples lines (any order; sorted with ``pieces``,
    which keeps the nodes of each run of subjects for the next build, see :mod:`kg.pieces`).

    A node with two labels (or admin codes), which the build never writes, shows the
    smallest.  The lines are those of a graph, each triple once (its articles are counted).
    """
    if pieces is None:
        nodes, pairs = _nodes(lines)
    else:
        nodes, pairs = [], {rel: [] for rel in EDGES}
        for run_nodes, run_pairs in pieces.each("actors", lines, _nodes):   # type: ignore[arg-type]
            nodes += run_nodes
            for rel in EDGES:
                pairs[rel] += run_pairs[rel]
        # by id (N-Triples lines sort "<a/b>" before "<a>"): runs of subjects, each sorted,
        # come nearly in order, which sorting merges in one pass (0.04 s against 0.004 at 10 MB)
        nodes.sort()
        for rel in EDGES:
            pairs[rel].sort()
    # networkx keeps a node's out-edges grouped by target, targets in the order first linked
    out: dict[str, dict[str, list[str]]] = {a.id: {} for a in nodes}
    between: dict[str, list[tuple[str, str]]] = {}
    for rel in EDGES:
        between[rel] = [(s, o) for s, o in pairs[rel] if s in out and o in out]
        for s, o in between[rel]:
            out[s].setdefault(o, []).append(rel)
    edges = [(s, o, rel) for s, targets in out.items() for o, rels in targets.items() for rel in rels]
    return Actors(nodes, edges, between)


def _nodes(lines: Iterable[str]) -> tuple[list[Actor], dict[str, list[tuple[str, str]]]]:
    """The actors the lines tell of, sorted by id, and the (subject, object) pairs of each
    relation of :data:`EDGES` (whose objects may be actors of other lines), sorted."""
    # one value per node where a node shows one (the smallest), a list where it shows all,
    # a count of its articles: a large graph has hundreds of thousands of nodes, and a set
    # per node and predicate took more memory than the graph's lines
    kind: dict[str, str] = {}
    one: dict[str, dict[str, str]] = {_LABEL: {}, _CODE: {}}
    every: dict[str, dict[str, list[str]]] = {_ALT: defaultdict(list), _TITLE: defaultdict(list)}
    mentioned: Counter[str] = Counter()
    pairs: dict[str, list[tuple[str, str]]] = {rel: [] for rel in EDGES}
    for s, p, o in triples(lines, _PREDICATES):     # o: an IRI as a string, else a pyoxigraph term
        o = o if type(o) is str else o.value
        if p == _TYPE:
            if o in _CLASSES:
                kind[s] = min(kind.get(s, o), o)
        elif p == _MENTIONED:
            mentioned[s] += 1                        # the lines of a graph are distinct triples
        elif p in one:
            one[p][s] = min(one[p].get(s, o), o)
        elif p in every:
            every[p][s].append(o)
        else:
            pairs[_RELATIONS[p]].append((s, o))

    def joined(p: str, node: str) -> str:
        return ARRAY_DELIMITER.join(sorted(every[p].get(node, ())))

    nodes = [Actor(node, one[_LABEL].get(node, ""), _CLASSES[kind[node]], joined(_ALT, node),
                   one[_CODE].get(node, ""), joined(_TITLE, node), mentioned[node])
             for node in sorted(kind)]
    return nodes, {rel: sorted(set(found)) for rel, found in pairs.items()}
