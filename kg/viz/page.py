"""networkx graph -> one self-contained, offline HTML page (the graph explorer).

The page is our own template (``assets/page.html``, ``explorer.css``, ``explorer.js``)
with vis-network inlined from the copy shipped inside the pyvis package.  pyvis's own
templates are not used: in pyvis 0.3.2 every ``cdn_resources`` mode still references a
CDN (bootstrap, tom-select) or files next to the page, and its filter and select menus
mangle non-Latin labels.

Safety: every text that comes from an article (labels, aliases, titles, file names,
sentences) is only ever (a) serialised into a ``<script type="application/json">``
block by :func:`escape_json`, which escapes ``<``, ``>``, ``&``, U+2028 and U+2029 so
nothing can end the block, and (b) put into the DOM by ``explorer.js`` with
``textContent`` / text nodes, or drawn on the canvas.  Nothing goes through
``innerHTML``; the page title is the only text in the HTML itself and is
``html.escape`` d.

Determinism: nodes, edges, sentences, articles and counties are sorted; layout seeds are
fixed; the same graph gives byte-identical HTML.
"""
from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Any

import networkx as nx

from .layout import LAYOUT_SEED, LAYOUT_THRESHOLD, positions
from .programs import KINDS, is_minor, program_kind
from .style import (
    CLASS_STYLE,
    CLASSES,
    FONT_STACK,
    KIND_BORDER,
    KIND_STYLE,
    RELATIONS,
    class_style,
    darken,
    lighten,
    observation_text,
    relation_style,
)

__all__ = ["InlinePage", "PageText", "escape_json", "inline", "page_data", "render_html"]

ASSETS = Path(__file__).resolve().parent / "assets"


def escape_json(obj: Any) -> str:
    """JSON that is safe inside ``<script>``: ``<``, ``>``, ``&``, U+2028, U+2029 escaped.

    >>> escape_json({"a": "</script>"})
    '{"a":"\\\\u003c/script\\\\u003e"}'
    """
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _utf16(text: str, i: int) -> int:
    """Python (code point) offset -> JavaScript (UTF-16 code unit) offset.

    >>> _utf16("村𠀀村", 2), _utf16("村村村", 2)
    (3, 2)
    """
    if text.isascii() or not _ASTRAL.search(text, 0, i):      # one code unit each: most sentences
        return i
    return len(text[:i].encode("utf-16-le")) // 2


_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")


def _csp_hash(script: str) -> str:
    """The CSP source allowing exactly this inline script."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"


@lru_cache(maxsize=1)
def _assets() -> dict[str, str]:
    import pyvis

    lib = Path(pyvis.__file__).resolve().parent / "templates" / "lib" / "vis-9.1.2"
    out = {
        "VIS_JS": (lib / "vis-network.min.js").read_text(encoding="utf-8"),
        "VIS_CSS": (lib / "vis-network.css").read_text(encoding="utf-8"),
        "CSS": (ASSETS / "explorer.css").read_text(encoding="utf-8").replace("%FONT%", FONT_STACK),
        "JS": (ASSETS / "explorer.js").read_text(encoding="utf-8"),
        "PAGE": (ASSETS / "page.html").read_text(encoding="utf-8"),
    }
    # Nothing inlined may end its <script>/<style> element early.
    for name, closer in (("VIS_JS", "</script"), ("JS", "</script"), ("VIS_CSS", "</style"), ("CSS", "</style")):
        if closer in out[name].lower() or "<!--" in out[name]:
            raise RuntimeError(f"{name} contains {closer!r} or '<!--'; cannot inline it safely")
    return out


def _groups(types: set[str]) -> dict[str, dict]:
    """vis-network groups: one per class, and a paler, dashed one for background knowledge."""
    groups = {}
    for cls in [c for c in CLASSES if c in types] + sorted(t for t in types if t not in CLASS_STYLE):
        _zh, _en, colour, shape, _size = class_style(cls)
        for bg in (False, True):
            fill = lighten(colour, 0.62) if bg else colour
            border = lighten(colour, 0.35) if bg else darken(colour, 0.25)
            groups[cls + ("~bg" if bg else "")] = {
                "shape": shape, "borderWidth": 1.5,
                "color": {"background": fill, "border": border,
                          "highlight": {"background": fill, "border": "#000000"},
                          "hover": {"background": fill, "border": "#000000"}},
                "font": {"color": "#8a8a8a" if bg else "#212121"},
                "shapeProperties": {"borderDashes": [4, 3] if bg else False},
            }
    if "Program" in types:
        groups["ProgramKind"] = {
            "shape": KIND_STYLE[3], "borderWidth": 3,
            "color": {"background": KIND_STYLE[2], "border": KIND_BORDER,
                      "highlight": {"background": KIND_STYLE[2], "border": "#000000"},
                      "hover": {"background": KIND_STYLE[2], "border": "#000000"}},
            "font": {"color": "#5d4300"},
        }
    return groups


def _options(n_nodes: int, physics: bool, groups: dict) -> dict:
    big = n_nodes > 300
    opts: dict[str, Any] = {
        "autoResize": True,
        "layout": {"randomSeed": LAYOUT_SEED, "improvedLayout": n_nodes <= 150},
        "groups": groups,
        "nodes": {
            "borderWidth": 1.5,
            "font": {"face": FONT_STACK, "size": 14, "color": "#212121", "strokeWidth": 3, "strokeColor": "#ffffff"},
            # labels too small to read are not drawn: on big graphs that is most of the drawing time
            "scaling": {"label": {"enabled": False, "drawThreshold": 8 if big else 5}},
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.6}},
            "width": 1.4,
            "selectionWidth": 2,
            "font": {"face": FONT_STACK, "size": 13, "align": "middle", "strokeWidth": 4, "strokeColor": "#ffffff"},
            "smooth": {"enabled": True, "type": "continuous", "roundness": 0.3} if physics else False,
            "scaling": {"label": {"drawThreshold": 8 if big else 5}},
        },
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": big, "hideEdgesOnZoom": big,
                        "multiselect": True, "navigationButtons": False, "keyboard": False},
    }
    if physics:
        opts["physics"] = {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -70, "centralGravity": 0.012, "springLength": 95,
                                 "springConstant": 0.07, "damping": 0.55, "avoidOverlap": 0.5},
            "maxVelocity": 60, "minVelocity": 0.75, "timestep": 0.4,
            "stabilization": {"enabled": True, "iterations": 800 if not big else 400, "updateInterval": 25,
                              "fit": True},
        }
    else:
        opts["physics"] = {"enabled": False, "stabilization": {"enabled": False}}
    return opts


def page_data(graph: nx.MultiDiGraph, title: str = "pakg") -> dict:
    """Everything the page needs, as one JSON-able dict (see ``explorer.js`` for its use).

    Sentences, articles and counties are stored once and referred to by index.
    """
    return json.loads(PageText()(graph, title))


# What a piece of the page's text refers to by key, its index filled in when the pieces are joined.
_ARTICLE, _SENTENCE, _COUNTY = range(3)


class PageText:
    """:func:`page_data` as the page's (escaped) JSON text, made of one piece per node and
    per edge.

    A piece refers to articles, sentences and counties by key, not by index: their indices
    are filled in as the pieces are joined, so that a piece stays right when an edit
    elsewhere shifts them (one new sentence in the first article shifts every index after
    it).  A process that builds again (``kg build --watch``) keeps one ``PageText`` and
    makes again only the pieces whose node or edge changed: about 0.2 s against 0.5 s for
    the page of a 10 MB corpus.  A piece is kept while its node's (or edge's) attributes
    compare equal to those it was made of, so the lists in them must not be changed in
    place between two calls.  The same graph again, changed in place by one that says
    which of its edges it changed (``graph.graph["edges_changed"]``, as
    :class:`kg.viz.incremental.PageGraph` does), has the same edges: only those said
    are looked at.
    """

    def __init__(self):
        self.nodes: dict[str, tuple[tuple, tuple]] = {}      # key -> (made of, piece)
        self.edges: dict[tuple, tuple[tuple, tuple]] = {}    # (u, v, key) -> (made of, piece)
        self.texts: dict[str, str] = {}                      # a sentence -> its JSON
        self.last: tuple = (None, [], {})                    # (graph, its sorted edges, degrees)

    def __call__(self, graph: nx.MultiDiGraph, title: str = "pakg") -> str:
        n = graph.number_of_nodes()
        precomputed = n > LAYOUT_THRESHOLD
        coords = positions(graph) if precomputed else {}
        context = graph.graph.get("context", {})  # path nodes outside a subgraph: {key: (label, type)}

        def label_type(key: str) -> tuple[str, str]:
            if key in graph:
                a = graph.nodes[key]
                return str(a.get("label") or key), str(a.get("type") or "Other")
            return tuple(context.get(key, (key, "Other")))  # type: ignore[return-value]

        changed = graph.graph.get("edges_changed") if graph is self.last[0] else None
        if changed is None:
            # (from a generator: networkx's edge view would count its edges, one more pass, for sorted's list)
            links = sorted((e for e in graph.edges(keys=True, data=True)),
                           key=lambda e: (str(e[0]), str(e[1]), str(e[2])))
            degree: dict[str, int] = {k: 0 for k in graph}
            for u, v, _, _ in links:
                degree[u] += 1
                degree[v] += 1
        else:
            links, degree = self.last[1], self.last[2]
        self.last = (None, [], {})          # (kept only if this call ends well)
        nodes = {}
        for key in sorted(graph.nodes, key=str):
            a = graph.nodes[key]
            made = (dict(a), degree[key], coords.get(key), [[str(p), *label_type(p)] for p in a.get("path") or ()])
            kept = self.nodes.get(key)
            nodes[key] = kept if kept is not None and kept[0] == made else (made, _node_piece(key, *made))
        if changed is None:
            edges = {}
            for u, v, k, a in links:
                kept = self.edges.get((u, v, k))
                edges[u, v, k] = kept if kept is not None and kept[0] == (a,) else ((dict(a),), _edge_piece(u, v, k, a))
        else:
            edges = dict(self.edges)
            for u, v, k in changed:
                a = graph.edges[u, v, k]
                edges[u, v, k] = ((dict(a),), _edge_piece(u, v, k, a))
        self.nodes, self.edges = nodes, edges

        # articles, counties and sentences: stored once
        titles: dict[str, str] = {}
        for _, a in graph.nodes(data=True):
            for f in a.get("articles", []):
                titles.setdefault(str(f), "")
            for f, t in (a.get("article_titles") or {}).items():
                titles[str(f)] = titles.get(str(f)) or str(t or "")
        sentence_keys = sorted({key for _, (_, refs) in (*nodes.values(), *edges.values())
                                for kind, key in refs if kind == _SENTENCE})
        for f, _b, _e, _t in sentence_keys:
            titles.setdefault(f, "")
        articles = sorted(titles)
        article_index = {f: i for i, f in enumerate(articles)}
        county_keys = sorted({c for _, a in graph.nodes(data=True) for c in a.get("counties", [])},
                             key=lambda c: (label_type(c)[0], c))
        index = {_ARTICLE: article_index, _SENTENCE: {k: i for i, k in enumerate(sentence_keys)},
                 _COUNTY: {c: i for i, c in enumerate(county_keys)}}

        texts = {}
        for key in sentence_keys:
            texts[key[3]] = self.texts.get(key[3]) or escape_json(key[3])
        self.texts = texts

        typed = [(str(a.get("type") or "Other"), bool(a.get("background"))) for _, a in graph.nodes(data=True)]
        types = {t for t, _ in typed}
        class_order = [c for c in CLASSES if c in types] + sorted(t for t in types if t not in CLASS_STYLE)
        per_class = Counter(t for t, _ in typed) + Counter((t, "bg") for t, bg in typed if bg)
        per_relation = Counter(str(a.get("relation") or k) for _, _, k, a in links)
        rels = sorted(per_relation, key=lambda r: (list(RELATIONS).index(r) if r in RELATIONS else 99, r))
        used_kinds = {program_kind(str(a.get("label") or key), a.get("aliases") or ())
                      for key, a in graph.nodes(data=True) if a.get("type") == "Program"}
        summary = f"{n} 个实体 entities · {len(links)} 条关系 relations"
        whole = graph.graph.get("whole")        # a build's overview of a larger graph (kg.viz.overview)
        if whole and whole[0] > n:
            summary = (f"显示 {n} / {whole[0]} 个实体 · showing the {n} best-attested of {whole[0]} entities "
                       f"and {len(links)} of {whole[1]} relations; "
                       f"kg viz OUTPUT --focus 名称 draws any other part")
        head = escape_json({
            "title": title,
            "summary": summary,
            "physics": not precomputed,
            "options": _options(n, not precomputed, _groups(types)),
            "classes": [[c, *class_style(c)[:4], per_class[c], per_class[c, "bg"]] for c in class_order],
            "relations": [[r, relation_style(r)[0], relation_style(r)[1], darken(relation_style(r)[1], 0.3),
                           per_relation[r]] for r in rels],
            "articles": [[f, titles[f]] for f in articles],
            "counties": [[c, label_type(c)[0]] for c in county_keys],
            "kinds": {"names": [k for k in KINDS if k in used_kinds], "style": [*KIND_STYLE, KIND_BORDER]},
        })
        self.last = (graph, links, degree)
        return "".join([head[:-1], ',"sentences":[',
                        ",".join(f"[{article_index[f]},{texts[t]}]" for f, _b, _e, t in sentence_keys),
                        '],"nodes":[', _joined(nodes.values(), index), '],"edges":[', _joined(edges.values(), index),
                        "]}"])


def _joined(kept, index: dict) -> str:
    """The pieces, comma-separated, each reference replaced by its index."""
    return ",".join([text % tuple([index[kind][key] for kind, key in refs]) for _, (text, refs) in kept])


def _piece(parts: list) -> tuple[str, tuple]:
    """Text and (kind, key) references as a %-format with a ``%d`` for each reference."""
    return ("".join(p.replace("%", "%%") if p.__class__ is str else "%d" for p in parts),
            tuple(p for p in parts if p.__class__ is not str))


def _refs(piece: list, kind: int, keys) -> None:
    for i, key in enumerate(keys):
        if i:
            piece.append(",")
        piece.append((kind, key))


def _sentence_key(s: dict) -> tuple[str, int, int, str]:
    return str(s["file"]), int(s["begin"]), int(s["end"]), str(s["text"])


def _node_piece(key: str, a: dict, degree: int, xy, path: list) -> tuple[str, tuple]:
    """A node's record: JSON text, and (kind, key) where an index goes."""
    cls = str(a.get("type") or "Other")
    group = cls + ("~bg" if a.get("background") else "")
    rec: dict[str, Any] = {"id": str(key), "label": str(a.get("label") or key), "type": cls, "group": group,
                           "size": class_style(cls)[4], "degree": degree, "mentions": int(a.get("mentions") or 0)}
    if xy is not None:
        rec["x"], rec["y"] = xy
    if a.get("background"):
        rec["bg"] = True
    if cls == "Program":
        rec["kind"] = program_kind(rec["label"], a.get("aliases") or ())
        if is_minor(a):
            rec["minor"] = True
    for name in ("aliases", "titles", "tenures"):
        if a.get(name):
            rec[name] = [str(x) for x in a[name]]
    piece: list = [escape_json(rec)[:-1]]
    if a.get("articles"):
        piece.append(',"articles":[')
        _refs(piece, _ARTICLE, (str(f) for f in a["articles"]))
        piece.append("]")
    if a.get("sentences"):
        piece.append(',"sentences":[')
        for i, s in enumerate(a["sentences"]):
            piece += [",[" if i else "[", (_SENTENCE, _sentence_key(s)),
                      ",[" + ",".join(f"[{_utf16(s['text'], lo)},{_utf16(s['text'], hi)}]" for lo, hi in s["marks"])
                      + "]]"]
        piece.append("]")
    if path:
        piece.append("," + escape_json({"path": path})[1:-1])
    if a.get("counties"):
        piece.append(',"counties":[')
        _refs(piece, _COUNTY, a["counties"])
        piece.append("]")
    rest: dict[str, Any] = {}
    if a.get("observations"):
        rest["obs"] = [observation_text(o) for o in a["observations"]]
    rest["iri"] = str(a.get("iri") or key)
    piece.append("," + escape_json(rest)[1:])
    return _piece(piece)


def _edge_piece(u: str, v: str, k: str, a: dict) -> tuple[str, tuple]:
    """An edge's record, as :func:`_node_piece`."""
    piece: list = [escape_json({"from": str(u), "to": str(v), "rel": str(a.get("relation") or k)})[:-1]]
    if a.get("sentences"):
        piece.append(',"sentences":[')
        _refs(piece, _SENTENCE, (_sentence_key(s) for s in a["sentences"]))
        piece.append("]")
    piece.append(',"gazetteer":true}' if a.get("gazetteer") else "}")
    return _piece(piece)


def render_html(graph: nx.MultiDiGraph, title: str = "pakg", text: PageText | None = None) -> str:
    """One self-contained HTML page (no network access needed) exploring ``graph``.

    Graphs with more than :data:`LAYOUT_THRESHOLD` nodes get positions from
    :func:`kg.viz.layout.positions` and no physics; smaller graphs are laid out by
    vis-network's physics, which is switched off once it has settled.  The page exposes
    ``window.network`` (the vis Network), ``window.nodes`` / ``window.edges`` (the
    DataSets), ``window.pakg`` (search, filter and panel functions), ``window.pakgTimings``
    and ``window.pakgStabilized``.  ``text`` is a :class:`PageText` kept from the last
    page, to make again only what changed.
    """
    assets = _assets()
    # Only our two scripts may run (the CSP names their hashes): even if some text escaped
    # escaping, an injected <script> or onerror= handler would be refused by the browser.
    hashes = " ".join(_csp_hash("\n" + assets[k] + "\n") for k in ("VIS_JS", "JS"))
    parts = {
        "SCRIPT_HASHES": hashes,
        "TITLE": html.escape(title),
        "VIS_CSS": assets["VIS_CSS"],
        "CSS": assets["CSS"],
        "DATA": (text or PageText())(graph, title),
        "VIS_JS": assets["VIS_JS"],
        "JS": assets["JS"],
    }
    # one pass over the template only: nothing inserted is scanned for markers again
    return re.sub(r"<!--PAKG:(\w+)-->", lambda m: parts[m.group(1)], assets["PAGE"])


class InlinePage:
    """A page shown inside a notebook cell: an ``<iframe srcdoc>``, so it needs no file or server.

    >>> "srcdoc=\\"&lt;p&gt;" in InlinePage("<p>x</p>")._repr_html_()
    True
    """

    def __init__(self, page: str, height: int = 620):
        self.page, self.height = page, height

    def _repr_html_(self) -> str:
        return (f'<iframe srcdoc="{html.escape(self.page, quote=True)}" '
                f'style="width:100%;height:{int(self.height)}px;border:1px solid #ddd"></iframe>')


def inline(graph: nx.MultiDiGraph, title: str = "pakg", height: int = 620) -> InlinePage:
    """The explorer page of ``graph`` for display in a Jupyter notebook."""
    return InlinePage(render_html(graph, title=title), height=height)
