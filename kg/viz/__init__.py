"""The interactive graph: RDF -> networkx -> one self-contained, offline HTML page.

* :mod:`kg.viz.model` -- the build as a :class:`networkx.MultiDiGraph` (with the
  sentences behind each node and edge, administrative paths and counties);
* :mod:`kg.viz.layout` -- fixed positions for graphs too big for in-browser physics;
* :mod:`kg.viz.page` -- the page: our template, vis-network inlined, escaped data;
* :mod:`kg.viz.overview` -- which part of a large graph the build's page shows;
* :mod:`kg.viz.evidence` -- the sentences behind that part, from the extractions;
* :mod:`kg.viz.subgraph` -- the part of a graph around a node, or what a SPARQL
  CONSTRUCT query selects (``kg viz``);
* :mod:`kg.viz.style` -- shapes and colours of classes and relations;
* :mod:`kg.viz.programs` -- the kinds programs are grouped under, and which are minor;
* :mod:`kg.viz.chart_font` -- a font that draws Chinese in matplotlib charts (the notebooks);
* :mod:`kg.viz.command` -- the ``kg viz`` command.

Typical use::

    from kg import viz
    g, prov = viz.load_build("output")
    html = viz.render_html(viz.to_networkx(g, prov), title="pakg")

The names below are loaded on first use, so that ``kg --help`` does not pay for
networkx, numpy and rdflib.
"""
from importlib import import_module

_EXPORTS = {
    "CLASSES": "style", "CLASS_STYLE": "style", "RELATIONS": "style",
    "LAYOUT_THRESHOLD": "layout", "positions": "layout",
    "to_networkx": "model", "load_build": "model", "BuildFilesError": "model", "Sentences": "model",
    "ExtractionSentences": "evidence",
    "render_html": "page", "page_data": "page", "escape_json": "page", "inline": "page", "InlinePage": "page",
    "page_nodes": "overview", "PAGE_LIMIT": "overview",
    "find_node": "subgraph", "neighbourhood": "subgraph", "construct": "subgraph", "SubgraphError": "subgraph",
}
__all__ = [
    "CLASSES",
    "CLASS_STYLE",
    "LAYOUT_THRESHOLD",
    "PAGE_LIMIT",
    "RELATIONS",
    "BuildFilesError",
    "ExtractionSentences",
    "InlinePage",
    "Sentences",
    "SubgraphError",
    "construct",
    "escape_json",
    "find_node",
    "inline",
    "load_build",
    "neighbourhood",
    "page_nodes",
    "page_data",
    "positions",
    "render_html",
    "to_networkx",
]


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(f"{__name__}.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + list(_EXPORTS))
