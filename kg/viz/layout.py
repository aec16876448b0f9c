"""Positions for graphs too big for the browser's physics to settle quickly.

vis-network's physics is pleasant up to a few hundred nodes; at thousands it keeps the
page busy for tens of seconds.  Above :data:`LAYOUT_THRESHOLD` nodes the page therefore
gets fixed positions computed here and physics stays off.

The layout works per connected component (networkx finds them) and packs the components
in rows, largest first, so that islands do not fly off to the edge as they do under a
global force layout.  Small components use ``networkx.spring_layout`` as is.  Large ones
(``spring_layout`` needs scipy there, and is quadratic) start from a radial tree layout
of a BFS spanning tree rooted at the best-connected node -- knowledge graphs of places
are mostly trees -- and are then relaxed with Fruchterman-Reingold forces whose repulsion
only acts between nodes in neighbouring grid cells (the grid variant of the original
paper), which is linear per iteration and plain numpy.

Everything is seeded and ordered, so the same graph gets the same positions.
"""
from __future__ import annotations

import math

import networkx as nx
import numpy as np

__all__ = ["LAYOUT_SEED", "LAYOUT_THRESHOLD", "positions"]

#: Above this many nodes, positions are computed in Python and physics is off.
LAYOUT_THRESHOLD = 1000
LAYOUT_SEED = 42
#: Components up to this size are laid out by networkx.spring_layout.
SMALL_COMPONENT = 150
#: Target distance between neighbours, in vis-network canvas units.
SPACING = 60.0


def positions(graph: nx.Graph) -> dict[str, tuple[float, float]]:
    """Fixed-seed positions ``{node: (x, y)}`` in canvas units for every node of ``graph``.

    >>> pos = positions(nx.path_graph(["a", "b", "c"]))
    >>> sorted(pos), pos == positions(nx.path_graph(["a", "b", "c"]))
    (['a', 'b', 'c'], True)
    """
    simple = nx.Graph()
    simple.add_nodes_from(sorted(graph.nodes, key=str))
    simple.add_edges_from(sorted({tuple(sorted((u, v), key=str)) for u, v in graph.edges() if u != v}, key=str))
    comps = sorted((sorted(c, key=str) for c in nx.connected_components(simple)), key=lambda c: (-len(c), str(c[0])))
    placed = [_component(simple.subgraph(c), c) for c in comps]
    return _pack(placed)


def _component(sub: nx.Graph, order: list) -> dict:
    """Positions of one connected component, scaled so that neighbours are ~SPACING apart."""
    n = len(order)
    if n == 1:
        return {order[0]: (0.0, 0.0)}
    if n <= SMALL_COMPONENT:
        raw = nx.spring_layout(sub, seed=LAYOUT_SEED, iterations=80)
        pos = np.array([raw[k] for k in order], dtype=float)
    else:
        index = {k: i for i, k in enumerate(order)}
        edges = np.array([(index[u], index[v]) for u, v in sub.edges()], dtype=np.int64).reshape(-1, 2)
        pos = _radial_tree(sub, order, index)
        pos = _grid_fruchterman_reingold(pos, edges, iterations=60)
    # scale: the area per node (a large component) or the median edge (a small one) becomes SPACING
    if n > SMALL_COMPONENT:
        unit = float(np.ptp(pos, axis=0).max()) / math.sqrt(n)
    else:
        idx = {k: i for i, k in enumerate(order)}
        unit = float(np.median([np.linalg.norm(pos[idx[u]] - pos[idx[v]]) for u, v in sub.edges()]))
    pos = (pos - pos.mean(axis=0)) * (SPACING / max(unit, 1e-9))
    return {k: (float(pos[i, 0]), float(pos[i, 1])) for i, k in enumerate(order)}


def _radial_tree(sub: nx.Graph, order: list, index: dict) -> np.ndarray:
    """A BFS spanning tree from the best-connected node, drawn in rings; each subtree gets a
    wedge proportional to its size, so that branches do not cross."""
    root = min(order, key=lambda k: (-sub.degree(k), str(k)))
    children: dict = {k: [] for k in order}
    parent = {root: None}
    queue = [root]
    for u in queue:
        for v in sorted(sub.neighbors(u), key=str):
            if v not in parent:
                parent[v] = u
                children[u].append(v)
                queue.append(v)
    size = {}
    for u in reversed(queue):
        size[u] = 1 + sum(size[c] for c in children[u])
    depth = {root: 0}
    for u in queue[1:]:
        depth[u] = depth[parent[u]] + 1
    # ring radius grows with the number of nodes on it, so rings are never crowded
    per_ring: dict[int, int] = {}
    for u in queue:
        per_ring[depth[u]] = per_ring.get(depth[u], 0) + 1
    radius, r = {0: 0.0}, 0.0
    for d in range(1, max(per_ring) + 1):
        r = max(r + 1.0, per_ring[d] / (2 * math.pi) * 0.9)
        radius[d] = r
    pos = np.zeros((len(order), 2))
    wedge = {root: (0.0, 2 * math.pi)}
    for u in queue:
        lo, hi = wedge[u]
        a = (lo + hi) / 2
        pos[index[u]] = (radius[depth[u]] * math.cos(a), radius[depth[u]] * math.sin(a))
        total = sum(size[c] for c in children[u])
        start = lo
        for c in children[u]:
            span = (hi - lo) * size[c] / total
            wedge[c] = (start, start + span)
            start += span
    return pos


def _grid_fruchterman_reingold(pos: np.ndarray, edges: np.ndarray, iterations: int) -> np.ndarray:
    """Fruchterman-Reingold with repulsion cut off at 2k, computed through a grid of 2k cells."""
    n = len(pos)
    pos = pos.copy()
    # the natural distance k: the area of the initial layout shared out among the nodes
    span = float(np.ptp(pos, axis=0).max()) or 1.0
    k = span / math.sqrt(n)
    cell = 2 * k
    t = span / 10
    cool = t / (iterations + 1)
    ids = np.arange(n)
    for _ in range(iterations):
        disp = np.zeros((n, 2))
        cx = np.floor(pos[:, 0] / cell).astype(np.int64)
        cy = np.floor(pos[:, 1] / cell).astype(np.int64)
        cx -= cx.min()
        cy -= cy.min()
        width = int(cy.max()) + 3
        key = cx * width + cy
        order = np.argsort(key, kind="stable")
        sorted_keys = key[order]
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                nk = key + dx * width + dy
                lo = np.searchsorted(sorted_keys, nk, "left")
                hi = np.searchsorted(sorted_keys, nk, "right")
                counts = hi - lo
                total = int(counts.sum())
                if not total:
                    continue
                i = np.repeat(ids, counts)
                starts = np.repeat(lo - np.cumsum(counts) + counts, counts)
                j = order[starts + np.arange(total)]
                keep = i != j
                i, j = i[keep], j[keep]
                d = pos[i] - pos[j]
                dist2 = np.maximum((d * d).sum(axis=1), 1e-9 * k * k)
                near = dist2 < cell * cell
                f = d[near] * (k * k / dist2[near])[:, None]
                disp[:, 0] += np.bincount(i[near], weights=f[:, 0], minlength=n)
                disp[:, 1] += np.bincount(i[near], weights=f[:, 1], minlength=n)
        if len(edges):
            d = pos[edges[:, 0]] - pos[edges[:, 1]]
            dist = np.maximum(np.sqrt((d * d).sum(axis=1)), 1e-9)
            f = d * (dist / k)[:, None]
            np.add.at(disp, edges[:, 0], -f)
            np.add.at(disp, edges[:, 1], f)
        length = np.maximum(np.sqrt((disp * disp).sum(axis=1)), 1e-12)
        pos += disp * (np.minimum(length, t) / length)[:, None]
        t = max(t - cool, k / 20)
    return pos


def _pack(placed: list[dict]) -> dict[str, tuple[float, float]]:
    """Shelf-pack the components' bounding boxes into rows of roughly square total extent."""
    boxes = []
    for comp in placed:
        xs = [p[0] for p in comp.values()]
        ys = [p[1] for p in comp.values()]
        boxes.append((min(xs), min(ys), max(xs) - min(xs) + SPACING, max(ys) - min(ys) + SPACING))
    area = sum(w * h for _, _, w, h in boxes)
    row_width = max(max(w for *_, w, _ in boxes), math.sqrt(area) * 1.2)
    out: dict[str, tuple[float, float]] = {}
    x = y = row_h = 0.0
    for comp, (x0, y0, w, h) in zip(placed, boxes):
        if x > 0 and x + w > row_width:
            x, y, row_h = 0.0, y + row_h, 0.0
        for key, (px, py) in comp.items():
            out[key] = (round(px - x0 + x, 1), round(py - y0 + y, 1))
        x += w
        row_h = max(row_h, h)
    cx = (max(p[0] for p in out.values()) + min(p[0] for p in out.values())) / 2
    cy = (max(p[1] for p in out.values()) + min(p[1] for p in out.values())) / 2
    return {k: (round(px - cx, 1), round(py - cy, 1)) for k, (px, py) in sorted(out.items(), key=lambda kv: str(kv[0]))}
