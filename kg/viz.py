"""The interactive graph: RDF -> networkx -> one self-contained, offline HTML page.

``to_networkx`` turns the knowledge graph (the contract in ``shared/spec/CONTRACT.md``)
into a :class:`networkx.MultiDiGraph` of entities and the relations between them;
``render_html`` draws it with pyvis / vis-network.

The page is built from pyvis's data model (``Network.add_node`` / ``add_edge``) but not
from pyvis's HTML template: in pyvis 0.3.2 every ``cdn_resources`` mode still references
a CDN (bootstrap, or the vis css) or local files next to the page.  Here the vis-network
JS and CSS shipped inside the pyvis package are inlined, so the page loads nothing.

Safety: every text that comes from an article (labels, aliases, titles, file names) is
only ever (a) serialised into a ``<script type="application/json">`` block with ``<``,
``>``, ``&``, U+2028 and U+2029 escaped, so nothing can close the block, and (b) put
into the DOM with ``textContent`` (hover tooltips are built as DOM elements and given
to vis-network as ``title``) or drawn on the canvas (node labels).  Nothing goes
through ``innerHTML``.

Determinism: nodes and edges are sorted, ids are derived from the data, layout seeds
are fixed; the same graph gives byte-identical HTML.
"""
from __future__ import annotations

import html
import json
import math
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable
from urllib.parse import unquote

import networkx as nx
import rdflib
from rdflib import Literal, URIRef

from .namespaces import DCTERMS, PA, RDF, RDFS, SKOS

__all__ = ["CLASSES", "RELATIONS", "LAYOUT_THRESHOLD", "to_networkx", "render_html", "escape_json"]

# --------------------------------------------------------------------------------------
# classes and relations

#: The eleven entity classes of the contract, in legend order (places, people, organisations, programs).
CLASSES = ("Province", "Prefecture", "County", "Township", "Village", "Cadre", "Resident",
           "Enterprise", "Cooperative", "GovernmentBody", "Program")
_CLASS_IRIS = {PA[c]: c for c in CLASSES}

#: class -> (Chinese name, English name, colour, vis shape, base size)
CLASS_STYLE: dict[str, tuple[str, str, str, str, int]] = {
    "Province": ("省", "Province", "#283593", "hexagon", 30),
    "Prefecture": ("地级市 / 州", "Prefecture", "#3f51b5", "hexagon", 26),
    "County": ("县 / 县级市 / 区", "County", "#1e88e5", "hexagon", 22),
    "Township": ("乡 / 镇 / 街道", "Township", "#29b6f6", "hexagon", 18),
    "Village": ("村 / 社区", "Village", "#00897b", "dot", 14),
    "Cadre": ("干部", "Cadre", "#e53935", "star", 20),
    "Resident": ("村民", "Resident", "#fb8c00", "triangle", 15),
    "Enterprise": ("企业", "Enterprise", "#8e24aa", "square", 15),
    "Cooperative": ("合作社", "Cooperative", "#7cb342", "square", 15),
    "GovernmentBody": ("党政机关", "Government body", "#6d4c41", "triangleDown", 17),
    "Program": ("扶贫项目 / 政策", "Program", "#f9a825", "diamond", 17),
}
_OTHER_STYLE = ("其他", "Other", "#9e9e9e", "dot", 12)

#: relation local name -> (Chinese label, colour)
RELATIONS: dict[str, tuple[str, str]] = {
    "locatedIn": ("位于", "#78909c"),
    "servesIn": ("任职于", "#e53935"),
    "residentOf": ("居住于", "#ef6c00"),
    "implements": ("实施", "#c79100"),
}
_OTHER_RELATION_COLOUR = "#9e9e9e"

#: Local names of types outside the eleven that still clearly belong to one of them; used only
#: when the ontology (with its rdfs:subClassOf axioms) is not in the graph.
_TYPE_ALIASES = {
    "AutonomousRegion": "Province", "Municipality": "Province",
    "PrefectureLevelCity": "Prefecture", "AutonomousPrefecture": "Prefecture", "League": "Prefecture",
    "CountyLevelCity": "County", "District": "County", "UrbanDistrict": "County", "Banner": "County",
    "Town": "Township", "Subdistrict": "Township", "Street": "Township",
    "AdministrativeVillage": "Village", "Community": "Village",
    "Official": "Cadre",
    "Company": "Enterprise", "Firm": "Enterprise", "Factory": "Enterprise",
    "PartyOrgan": "GovernmentBody", "GovernmentAgency": "GovernmentBody",
    "Policy": "Program", "Project": "Program", "Campaign": "Program",
}

#: Indicator -> (Chinese name, unit) for the hover text of observations.
INDICATORS = {"PovertyIncidence": ("贫困发生率", "%"), "PoorVillagesExited": ("贫困村出列", "个"),
              "PeopleLiftedOutOfPoverty": ("脱贫人口", "人"), "PoorHouseholdsLiftedOut": ("脱贫户数", "户"),
              "FundsInvested": ("扶贫资金投入", "元")}

#: Above this many nodes, positions are computed in Python and physics is off.
LAYOUT_THRESHOLD = 1000
LAYOUT_SEED = 42

FONT_STACK = ('"Noto Sans CJK SC","Noto Sans SC","Source Han Sans SC","Source Han Sans CN",'
              '"PingFang SC","Hiragino Sans GB","Microsoft YaHei","WenQuanYi Micro Hei",sans-serif')


# --------------------------------------------------------------------------------------
# RDF -> networkx

def _local_name(term: Any) -> str:
    s = str(term)
    for sep in ("#", "/", ":"):
        if sep in s.rstrip(sep):
            s = s.rstrip(sep).rsplit(sep, 1)[1]
            break
    return unquote(s)


def _lang_rank(lit: Literal) -> int:
    lang = (lit.language or "").lower()
    if lang == "zh":
        return 0
    if lang.startswith("zh"):
        return 1
    if not lang:
        return 2
    return 3


def _best_literal(values: Iterable[Any]) -> str | None:
    lits = [v for v in values if isinstance(v, Literal) and str(v).strip()]
    if not lits:
        return None
    return str(min(lits, key=lambda v: (_lang_rank(v), str(v))))


class _TypeResolver:
    """Maps an rdf:type to one of the eleven classes (walking rdfs:subClassOf in the graph)."""

    def __init__(self, g: rdflib.Graph):
        self.g = g
        self.cache: dict[Any, tuple[str | None, int]] = {}

    def resolve(self, t: Any) -> tuple[str | None, int]:
        """-> (class local name or None, how sure: 0 direct, 1 via subClassOf, 2 by name)."""
        if t not in self.cache:
            self.cache[t] = self._resolve(t)
        return self.cache[t]

    def _resolve(self, t: Any) -> tuple[str | None, int]:
        if t in _CLASS_IRIS:
            return _CLASS_IRIS[t], 0
        seen = {t}
        frontier = [t]
        while frontier:  # breadth first: the nearest of the eleven wins
            nxt = []
            hits = []
            for c in frontier:
                for sup in sorted(self.g.objects(c, RDFS.subClassOf), key=str):
                    if sup in seen:
                        continue
                    seen.add(sup)
                    if sup in _CLASS_IRIS:
                        hits.append(_CLASS_IRIS[sup])
                    nxt.append(sup)
            if hits:
                return min(hits, key=CLASSES.index), 1
            frontier = nxt
        name = _local_name(t)
        if name in _TYPE_ALIASES:
            return _TYPE_ALIASES[name], 2
        for c in CLASSES:  # e.g. pa:AutonomousCounty
            if name.endswith(c) and isinstance(t, URIRef) and str(t).startswith(str(PA)):
                return c, 2
        return None, 3


def _year_text(lit: Any) -> str | None:
    if lit is None:
        return None
    return str(lit).strip() or None


def _period_text(start: Any, end: Any) -> str | None:
    """2014–2019 for a figure summed over years, 2015– for an open period (2015年以来)."""
    if start is None:
        return None
    return f"{start}–{end if end is not None else ''}"


def to_networkx(g: rdflib.Graph) -> nx.MultiDiGraph:
    """Entities as nodes (key: the IRI string), relations as edges (key: relation local name).

    Node attributes: ``label``, ``type`` (one of the eleven class local names; for a type that
    neither is one of them nor reaches one through ``rdfs:subClassOf`` in ``g``, its local
    name), ``aliases`` (sorted list), ``articles`` (sorted list of ``pa:sourceFile`` names),
    ``titles`` (sorted ``pa:positionTitle`` list), ``background`` (bool: no ``pa:mentionedIn``),
    plus ``article_titles`` ({file: dcterms:title}) and ``observations`` (sorted list of
    ``{"indicator", "year", "value"}`` dicts for the ``pa:Observation`` s about that area).

    Edge attribute: ``relation`` ("locatedIn" ...): every triple between two entities
    other than ``rdf:type``.  Deterministic: nodes and edges are added in sorted order.
    """
    resolver = _TypeResolver(g)

    # 1. which subjects are entities, and of which class
    candidates: dict[Any, list[tuple[int, int, str]]] = {}
    for s, t in g.subject_objects(RDF.type):
        if isinstance(s, Literal):
            continue
        cls, how = resolver.resolve(t)
        if cls is not None:
            candidates.setdefault(s, []).append((how, CLASSES.index(cls), cls))
        elif (isinstance(t, URIRef) and str(t).startswith(str(PA))
              and t not in (PA.Article, PA.Observation)):
            # an unknown pa: class: an entity only if it was found in text
            if (s, PA.mentionedIn, None) in g:
                candidates.setdefault(s, []).append((how, len(CLASSES), _local_name(t)))
    entity_type = {s: min(v)[2] for s, v in candidates.items()}

    # 2. articles
    article_cache: dict[Any, tuple[str, str | None]] = {}

    def article(a: Any) -> tuple[str, str | None]:
        if a not in article_cache:
            f = _best_literal(g.objects(a, PA.sourceFile)) or _local_name(a)
            article_cache[a] = (f, _best_literal(g.objects(a, DCTERMS.title)))
        return article_cache[a]

    # 3. observations by area
    observations: dict[Any, list[dict[str, str | None]]] = {}
    for obs, area in g.subject_objects(PA.refArea):
        if area not in entity_type:
            continue
        value = g.value(obs, PA.value)
        if value is None:
            continue
        ind = g.value(obs, PA.indicator)
        observations.setdefault(area, []).append({
            "indicator": _local_name(ind) if ind is not None else "",
            "year": _year_text(g.value(obs, PA.refYear)) or _period_text(g.value(obs, PA.refPeriodStart),
                                                                          g.value(obs, PA.refPeriodEnd)),
            "value": str(value),
        })

    out = nx.MultiDiGraph()
    for s in sorted(entity_type, key=str):
        key = str(s)
        label = _best_literal(g.objects(s, RDFS.label)) or _local_name(s)
        aliases = sorted({str(a) for a in g.objects(s, SKOS.altLabel) if str(a).strip()} - {label})
        arts = [article(a) for a in g.objects(s, PA.mentionedIn)]
        files = sorted({f for f, _ in arts})
        art_titles = {f: t for f, t in sorted(arts, key=lambda x: (x[0], x[1] or "")) if t}
        titles = sorted({str(t) for t in g.objects(s, PA.positionTitle) if str(t).strip()})
        obs = sorted({json.dumps(o, sort_keys=True) for o in observations.get(s, [])})
        out.add_node(key, label=label, type=entity_type[s], aliases=aliases, articles=files,
                     article_titles=art_titles, titles=titles, background=not arts,
                     observations=[json.loads(o) for o in obs], iri=key)

    edges = set()
    for s in entity_type:
        for p, o in g.predicate_objects(s):
            if p == RDF.type or o not in entity_type:
                continue
            edges.add((str(s), str(o), _local_name(p)))
    for u, v, rel in sorted(edges):
        out.add_edge(u, v, key=rel, relation=rel)
    return out


# --------------------------------------------------------------------------------------
# networkx -> HTML

def escape_json(obj: Any) -> str:
    """JSON that is safe inside ``<script>``: ``<``, ``>``, ``&``, U+2028, U+2029 escaped."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


@lru_cache(maxsize=1)
def _vis_assets() -> tuple[str, str]:
    import pyvis

    lib = Path(pyvis.__file__).resolve().parent / "templates" / "lib" / "vis-9.1.2"
    js = (lib / "vis-network.min.js").read_text(encoding="utf-8")
    css = (lib / "vis-network.css").read_text(encoding="utf-8")
    # Nothing in the inlined libraries may end their <script>/<style> element early.
    for text, closer in ((js, "</script"), (css, "</style")):
        if closer in text.lower() or "<!--" in text:
            raise RuntimeError(f"vis-network asset contains {closer!r}; cannot inline it safely")
    return js, css


def _lighten(hex_colour: str, amount: float) -> str:
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    mix = [round(c + (255 - c) * amount) for c in (r, g, b)]
    return "#{:02x}{:02x}{:02x}".format(*mix)


def _darken(hex_colour: str, amount: float) -> str:
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return "#{:02x}{:02x}{:02x}".format(*(round(c * (1 - amount)) for c in (r, g, b)))


def _style(cls: str) -> tuple[str, str, str, str, int]:
    return CLASS_STYLE.get(cls, _OTHER_STYLE)


def _wrap(label: str, width: int = 10) -> str:
    """Break long labels (Chinese has no spaces for vis to wrap at)."""
    lines = []
    for line in label.splitlines() or [""]:
        while len(line) > width:
            lines.append(line[:width])
            line = line[width:]
        lines.append(line)
    return "\n".join(lines[:4]) + ("…" if len(lines) > 4 else "")


def _observation_text(o: dict) -> str:
    name, unit = INDICATORS.get(o.get("indicator") or "", (o.get("indicator") or "指标", ""))
    year = f" {o['year']}" if o.get("year") else ""
    return f"{name}{year}: {o.get('value')}{unit}"


_SVG_SHAPES = {
    "dot": '<circle cx="8" cy="8" r="6.5"/>',
    "hexagon": '<polygon points="8,1 14.1,4.5 14.1,11.5 8,15 1.9,11.5 1.9,4.5"/>',
    "star": '<polygon points="8,0.8 10.1,5.6 15.2,5.9 11.3,9.2 12.5,14.3 8,11.6 3.5,14.3 4.7,9.2 0.8,5.9 5.9,5.6"/>',
    "triangle": '<polygon points="8,1.5 14.8,14 1.2,14"/>',
    "triangleDown": '<polygon points="1.2,2 14.8,2 8,14.5"/>',
    "square": '<rect x="2" y="2" width="12" height="12"/>',
    "diamond": '<polygon points="8,0.8 15.2,8 8,15.2 0.8,8"/>',
}


def _swatch(shape: str, colour: str, dashed: bool = False) -> str:
    body = _SVG_SHAPES.get(shape, _SVG_SHAPES["dot"])
    stroke = _darken(colour, 0.25)
    dash = ' stroke-dasharray="2 1.5"' if dashed else ""
    return (f'<svg class="sw" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">'
            f'<g fill="{colour}" stroke="{stroke}" stroke-width="1.2"{dash}>{body}</g></svg>')


def _layout(graph: nx.MultiDiGraph) -> dict[str, tuple[float, float]]:
    """Fixed-seed force-directed (Fruchterman-Reingold) positions, numpy only.

    ``nx.spring_layout`` needs scipy above 500 nodes, which the project does not depend
    on; this is the same algorithm with the repulsion computed in blocks (exactly up to
    :data:`_EXACT_REPULSION` nodes, against a seeded sample of nodes beyond that).
    """
    import numpy as np

    order = sorted(graph.nodes, key=str)
    index = {k: i for i, k in enumerate(order)}
    pairs = sorted({(min(index[u], index[v]), max(index[u], index[v]))
                    for u, v in graph.edges() if u != v})
    n = len(order)
    rng = np.random.RandomState(LAYOUT_SEED)
    pos = rng.rand(n, 2)
    if n <= 1:
        return {k: (0.0, 0.0) for k in order}
    ei = np.array([p[0] for p in pairs], dtype=np.int64)
    ej = np.array([p[1] for p in pairs], dtype=np.int64)
    k = math.sqrt(1.0 / n)
    iterations = 60
    t = 0.1
    dt = t / (iterations + 1)
    block = max(1, 2_000_000 // n)
    for _ in range(iterations):
        disp = np.zeros((n, 2))
        if n <= _EXACT_REPULSION:
            others, weight = pos, 1.0
        else:
            sample = rng.choice(n, _SAMPLED_REPULSION, replace=False)
            others, weight = pos[sample], n / _SAMPLED_REPULSION
        for start in range(0, n, block):
            d = pos[start:start + block, None, :] - others[None, :, :]
            dist2 = np.maximum((d * d).sum(axis=-1), 1e-6)
            disp[start:start + block] += weight * (d * (k * k / dist2)[..., None]).sum(axis=1)
        if len(ei):
            delta = pos[ei] - pos[ej]
            dist = np.maximum(np.sqrt((delta * delta).sum(axis=1)), 1e-6)
            f = delta * (dist / k)[:, None]
            np.add.at(disp, ei, -f)
            np.add.at(disp, ej, f)
        length = np.maximum(np.sqrt((disp * disp).sum(axis=1)), 1e-9)
        pos += disp * (np.minimum(length, t) / length)[:, None]
        t -= dt
    pos -= pos.mean(axis=0)
    pos /= max(float(np.abs(pos).max()), 1e-9)
    scale = 40.0 * math.sqrt(n)
    return {key: (round(float(pos[i, 0]) * scale, 1), round(float(pos[i, 1]) * scale, 1))
            for i, key in enumerate(order)}


_EXACT_REPULSION = 800
_SAMPLED_REPULSION = 300


def _options(n_nodes: int, physics: bool) -> dict:
    opts: dict[str, Any] = {
        "autoResize": True,
        "layout": {"randomSeed": LAYOUT_SEED, "improvedLayout": n_nodes <= 150},
        "nodes": {
            "borderWidth": 1.5,
            "font": {"face": FONT_STACK, "size": 14, "color": "#212121",
                     "strokeWidth": 3, "strokeColor": "#ffffff"},
            "scaling": {"label": {"enabled": False}},
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.6}},
            "width": 1.4,
            "selectionWidth": 2,
            "font": {"face": FONT_STACK, "size": 10, "align": "middle",
                     "strokeWidth": 3, "strokeColor": "#ffffff"},
            "smooth": ({"enabled": True, "type": "continuous", "roundness": 0.3}
                       if physics else False),
        },
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": n_nodes > 300,
                        "multiselect": True, "navigationButtons": False, "keyboard": False},
    }
    if physics:
        opts["physics"] = {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -70, "centralGravity": 0.012,
                                 "springLength": 95, "springConstant": 0.07,
                                 "damping": 0.55, "avoidOverlap": 0.5},
            "maxVelocity": 60, "minVelocity": 0.75, "timestep": 0.4,
            "stabilization": {"enabled": True, "iterations": 800 if n_nodes <= 300 else 400,
                              "updateInterval": 25, "fit": True},
        }
    else:
        opts["physics"] = {"enabled": False, "stabilization": {"enabled": False}}
    return opts


def _build_network(graph: nx.MultiDiGraph, physics: bool, positions: dict) -> Any:
    """The pyvis Network holding the data (nodes/edges added in sorted order)."""
    from pyvis.network import Network

    net = Network(directed=True, height="100%", width="100%", cdn_resources="in_line")
    degree = Counter()
    for u, v in graph.edges():
        degree[u] += 1
        degree[v] += 1
    for key in sorted(graph.nodes, key=str):
        a = graph.nodes[key]
        cls = str(a.get("type") or "Other")
        zh, en, colour, shape, size = _style(cls)
        background = bool(a.get("background", False))
        label = str(a.get("label") or key)
        fill = _lighten(colour, 0.62) if background else colour
        border = _lighten(colour, 0.35) if background else _darken(colour, 0.25)
        articles = [str(f) for f in a.get("articles", [])]
        art_titles = a.get("article_titles", {}) or {}
        info = {
            "label": label,
            "type": cls, "typeZh": zh, "typeEn": en,
            "aliases": [str(x) for x in a.get("aliases", [])],
            "titles": [str(x) for x in a.get("titles", [])],
            "observations": [_observation_text(o) for o in a.get("observations", [])],
            "articles": [[f, str(art_titles.get(f) or "")] for f in articles],
            "background": background,
            "iri": str(a.get("iri") or key),
        }
        opts: dict[str, Any] = {
            "size": size + min(10, round(2 * math.sqrt(degree[key]), 1)),
            "borderWidth": 1.5,
            "font": {"color": "#8a8a8a" if background else "#212121"},
            "color": {"background": fill, "border": border,
                      "highlight": {"background": fill, "border": "#000000"},
                      "hover": {"background": fill, "border": "#000000"}},
            "shapeProperties": {"borderDashes": [4, 3] if background else False},
            "info": info,
        }
        if key in positions:
            opts["x"], opts["y"] = positions[key]
        net.add_node(str(key), label=_wrap(label), shape=shape, **opts)
    for i, (u, v, k) in enumerate(sorted(graph.edges(keys=True), key=lambda e: (str(e[0]), str(e[1]), str(e[2])))):
        rel = str(graph.edges[u, v, k].get("relation") or k)
        zh, colour = RELATIONS.get(rel, (rel, _OTHER_RELATION_COLOUR))
        net.add_edge(str(u), str(v), id=f"e{i}", label=zh,
                     color={"color": colour, "highlight": _darken(colour, 0.3),
                            "hover": _darken(colour, 0.3), "opacity": 0.85},
                     font={"color": _darken(colour, 0.2)},
                     info={"relation": rel, "relationZh": zh})
    net.options = _options(graph.number_of_nodes(), physics)
    return net


_CSS = """
html,body{margin:0;padding:0;height:100%;width:100%;overflow:hidden;background:#fafafa;
  font-family:%FONT%;color:#212121}
#pakg-network{position:absolute;inset:0;background:#ffffff}
#pakg-legend{position:absolute;top:12px;left:12px;z-index:5;background:rgba(255,255,255,.94);
  border:1px solid #e0e0e0;border-radius:8px;box-shadow:0 2px 10px rgba(0,0,0,.08);
  padding:10px 14px 10px 12px;font-size:13px;line-height:1.45;max-height:calc(100% - 48px);overflow:auto}
#pakg-legend h1{font-size:15px;margin:0 0 2px 0;font-weight:600}
#pakg-legend .counts{color:#757575;font-size:12px;margin-bottom:6px}
#pakg-legend h2{font-size:11px;margin:8px 0 3px 0;color:#757575;font-weight:600;
  text-transform:uppercase;letter-spacing:.04em}
#pakg-legend ul{list-style:none;margin:0;padding:0}
#pakg-legend li{display:flex;align-items:center;gap:7px;white-space:nowrap}
#pakg-legend .en{color:#9e9e9e;font-size:11px}
#pakg-legend .n{margin-left:auto;padding-left:10px;color:#9e9e9e;font-size:11px}
#pakg-legend .sw{flex:none}
#pakg-legend .line{display:inline-block;width:18px;height:0;border-top:2px solid;position:relative;flex:none}
#pakg-legend .line:after{content:"";position:absolute;right:-1px;top:-5px;border:4px solid transparent;
  border-left:6px solid;border-left-color:inherit;border-right:0}
#pakg-status{position:absolute;bottom:12px;left:12px;z-index:5;font-size:12px;color:#757575;
  background:rgba(255,255,255,.85);padding:3px 8px;border-radius:4px}
div.vis-tooltip{font-family:%FONT%;font-size:12px;line-height:1.5;max-width:380px;white-space:normal;
  background:#ffffff;border:1px solid #bdbdbd;border-radius:6px;box-shadow:0 3px 12px rgba(0,0,0,.15);
  padding:8px 10px;color:#212121}
.pakg-tip .t{font-size:14px;font-weight:600;margin-bottom:2px}
.pakg-tip .k{color:#757575;margin-right:4px}
.pakg-tip ul{margin:2px 0 0 0;padding-left:16px}
.pakg-tip .iri{color:#9e9e9e;font-size:10px;margin-top:4px;word-break:break-all}
.pakg-tip .bg{color:#9e9e9e;font-style:italic}
"""

_JS = r"""
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("pakg-data").textContent);
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function row(parent, key, value) {
    var d = el("div");
    d.appendChild(el("span", "k", key));
    d.appendChild(el("span", null, value));
    parent.appendChild(d);
  }
  function nodeTip(info) {
    var box = el("div", "pakg-tip");
    box.appendChild(el("div", "t", info.label));
    row(box, "类型 type", info.typeZh + " · " + info.typeEn);
    if (info.background) { box.appendChild(el("div", "bg", "背景知识，未在报道中出现 (background)")); }
    if (info.aliases.length) { row(box, "别名 aliases", info.aliases.join("、")); }
    if (info.titles.length) { row(box, "职务 titles", info.titles.join("、")); }
    info.observations.forEach(function (o) { box.appendChild(el("div", null, o)); });
    if (info.articles.length) {
      box.appendChild(el("div", "k", "报道 articles (" + info.articles.length + ")"));
      var ul = el("ul");
      info.articles.slice(0, 12).forEach(function (a) {
        ul.appendChild(el("li", null, a[1] ? a[0] + " — " + a[1] : a[0]));
      });
      if (info.articles.length > 12) { ul.appendChild(el("li", null, "… +" + (info.articles.length - 12))); }
      box.appendChild(ul);
    }
    box.appendChild(el("div", "iri", info.iri));
    return box;
  }
  var labelOf = {};
  DATA.nodes.forEach(function (n) { labelOf[n.id] = n.info.label; n.title = nodeTip(n.info); });
  DATA.edges.forEach(function (e) {
    var box = el("div", "pakg-tip");
    box.appendChild(el("div", null, labelOf[e.from] + " → " + labelOf[e.to]));
    row(box, "关系 relation", e.info.relationZh + " · " + e.info.relation);
    e.title = box;
  });
  var nodes = new vis.DataSet(DATA.nodes);
  var edges = new vis.DataSet(DATA.edges);
  var status = document.getElementById("pakg-status");
  var container = document.getElementById("pakg-network");
  var network = new vis.Network(container, {nodes: nodes, edges: edges}, DATA.options);
  window.nodes = nodes;
  window.edges = edges;
  window.network = network;
  window.pakgStabilized = false;
  function finished() {
    window.pakgStabilized = true;
    document.body.setAttribute("data-stabilized", "true");
    status.textContent = DATA.summary;
  }
  if (DATA.options.physics.enabled) {
    status.textContent = "布局中 layout…";
    network.on("stabilizationProgress", function (p) {
      status.textContent = "布局中 layout… " + Math.round(100 * p.iterations / p.total) + "%";
    });
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({physics: false});
      network.fit();
      finished();
    });
  } else {
    network.fit();
    finished();
  }
})();
"""


def _legend(graph: nx.MultiDiGraph, title: str, summary: str) -> str:
    types = Counter(str(a.get("type") or "Other") for _, a in graph.nodes(data=True))
    rels = Counter(str(a.get("relation") or k) for _, _, k, a in graph.edges(keys=True, data=True))
    n_background = sum(1 for _, a in graph.nodes(data=True) if a.get("background"))
    e = html.escape
    parts = ['<div id="pakg-legend" role="complementary" aria-label="legend">',
             f"<h1>{e(title)}</h1>", f'<div class="counts">{e(summary)}</div>']
    ordered = [c for c in CLASSES if c in types] + sorted(c for c in types if c not in CLASS_STYLE)
    if ordered:
        parts.append("<h2>实体 Entities</h2><ul>")
        for c in ordered:
            zh, en, colour, shape, _ = _style(c)
            if c not in CLASS_STYLE:
                zh, en = f"{zh} {c}", en
            parts.append(f'<li data-class="{e(c)}">{_swatch(shape, colour)}<span>{e(zh)}</span>'
                         f'<span class="en">{e(en)}</span><span class="n">{types[c]}</span></li>')
        parts.append("</ul>")
    if rels:
        parts.append("<h2>关系 Relations</h2><ul>")
        for r in [r for r in RELATIONS if r in rels] + sorted(r for r in rels if r not in RELATIONS):
            zh, colour = RELATIONS.get(r, (r, _OTHER_RELATION_COLOUR))
            parts.append(f'<li data-relation="{e(r)}"><span class="line" style="border-color:{colour}">'
                         f'</span><span>{e(zh)}</span><span class="en">{e(r)}</span>'
                         f'<span class="n">{rels[r]}</span></li>')
        parts.append("</ul>")
    if n_background:
        parts.append("<h2>来源 Source</h2><ul>"
                     f'<li>{_swatch("dot", _lighten("#9e9e9e", 0.6), dashed=True)}'
                     '<span>浅色：背景知识</span><span class="en">background, not in articles</span>'
                     f'<span class="n">{n_background}</span></li></ul>')
    parts.append("</div>")
    return "".join(parts)


def render_html(graph: nx.MultiDiGraph, title: str = "pakg") -> str:
    """One self-contained HTML page (no network access needed) drawing ``graph``.

    Graphs with more than :data:`LAYOUT_THRESHOLD` nodes get positions from
    ``networkx.spring_layout`` (fixed seed) and no physics; smaller graphs are laid out by
    vis-network's physics, which is switched off once stabilisation is done.
    The page exposes ``window.network`` (the vis Network), ``window.nodes`` /
    ``window.edges`` (the DataSets) and ``window.pakgStabilized``.
    """
    js, css = _vis_assets()
    n = graph.number_of_nodes()
    precomputed = n > LAYOUT_THRESHOLD
    positions = _layout(graph) if precomputed else {}
    net = _build_network(graph, physics=not precomputed, positions=positions)
    nodes, edges, _heading, _h, _w, _opts = net.get_network_data()
    summary = f"{n} 个实体 entities · {graph.number_of_edges()} 条关系 relations"
    data = {"nodes": nodes, "edges": edges, "options": net.options, "summary": summary}
    page = [
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n",
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
        f"<title>{html.escape(title)}</title>\n",
        "<style>\n", css, "\n</style>\n",
        "<style>", _CSS.replace("%FONT%", FONT_STACK), "</style>\n",
        "</head>\n<body>\n",
        '<div id="pakg-network"></div>\n',
        _legend(graph, title, summary), "\n",
        '<div id="pakg-status" aria-live="polite"></div>\n',
        '<script type="application/json" id="pakg-data">', escape_json(data), "</script>\n",
        "<script>\n", js, "\n</script>\n",
        "<script>", _JS, "</script>\n",
        "</body>\n</html>\n",
    ]
    return "".join(page)
