r"""GraphML and GEXF of the actor graph (:mod:`kg.actors`), written as text.

The files are laid out byte for byte as networkx's ``write_graphml`` (its lxml writer)
and ``write_gexf`` lay them out, which is what the builds wrote before, but without
building an element tree first: on a 10 MB corpus networkx's writers took ten seconds,
nearly all of it in making and serialising ``Element`` objects, where joining strings
takes a fraction of one.  The two writers differ in small ways that are kept: lxml
escapes a tab in an attribute as ``&#9;`` and ElementTree as ``&#09;``; lxml also
escapes a carriage return in text.

Characters that XML 1.0 cannot hold (control characters but tab, newline and carriage
return; U+FFFE, U+FFFF) are dropped: networkx's lxml writer refused them and its
ElementTree one wrote a file no reader accepted.

>>> from kg.actors import Actor, Actors
>>> text = b"".join(graphml(Actors([Actor("http://x/a&b", "甲\x07", "Village", "", "", "", 1)], []))).decode("utf-8")
>>> text[text.index("<node"):].splitlines()[:2]
['<node id="http://x/a&amp;b">', '  <data key="d0">甲</data>']
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

from .actors import Actors
from .pieces import Pieces


_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_LXML_ATTRIB = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
                              "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})
_ET_ATTRIB = {**_LXML_ATTRIB, ord("\t"): "&#09;"}
_SPECIAL = re.compile('[&<>"\n\r\t]')
_NODE_KEYS = ("label", "type", "altLabels", "adminCode", "titles", "articles")
_GEXF_NODE_ATTRIBUTES = ("type", "altLabels", "adminCode", "titles", "articles")


def _escaper(table: dict):
    def escape(value) -> str:
        value = str(value)
        return value.translate(table) if _SPECIAL.search(value) else value
    return escape


_text, _attr, _et_attr = _escaper(_TEXT), _escaper(_LXML_ATTRIB), _escaper(_ET_ATTRIB)


def _document(parts: Iterable[str | bytes], size: int = 20_000) -> Iterator[bytes]:
    """The document's bytes, ``size`` parts at a time: a 100 MB corpus's GEXF is ~150 MB,
    and the string parts it is joined from take several times that.  Parts that are
    bytes are finished already (see :func:`_each`)."""
    batch: list[str] = []
    for part in parts:
        if type(part) is bytes:
            if batch:
                yield _finished("".join(batch))
                batch.clear()
            yield part
            continue
        batch.append(part)
        if len(batch) >= size:
            yield _finished("".join(batch))
            batch.clear()
    yield _finished("".join(batch))


def _finished(text: str) -> bytes:
    return _NOT_XML.sub("", text).encode("utf-8")


def graphml(graph: Actors, pieces: Pieces | None = None) -> Iterator[bytes]:
    """GraphML: one ``<key>`` per attribute, then each node and edge with its ``<data>``
    (with ``pieces``, the text of runs of nodes and edges is kept, see :mod:`kg.pieces`)."""
    return _document(_graphml(graph, pieces))


def _each(pieces: Pieces | None, kind: str, items: list, make: Callable[[tuple], str]) -> Iterator[str | bytes]:
    """``make`` of each item alone, or of runs of items, kept finished in ``pieces``."""
    if pieces is None:
        return (make((item,)) for item in items)
    return pieces.each_run(kind, items, lambda run: _finished(make(run)))


def _graphml(graph: Actors, pieces: Pieces | None = None) -> Iterator[str]:
    yield ("<?xml version='1.0' encoding='utf-8'?>\n"
           '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
           'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
           'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
           'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">')
    keys = [("node", name, "long" if name == "articles" else "string") for name in _NODE_KEYS] if graph.nodes else []
    keys += [("edge", "relation", "string")] if graph.edges else []
    for i, (scope, name, type_) in reversed(list(enumerate(keys))):   # networkx puts each new key first
        yield f'<key id="d{i}" for="{scope}" attr.name="{name}" attr.type="{type_}"/>\n'
    yield '<graph edgedefault="directed">'
    yield from _each(pieces, "graphml", graph.nodes, _graphml_nodes)
    yield from _each(pieces, "graphml", graph.edges, _graphml_edges)
    yield "</graph></graphml>"


def _graphml_nodes(nodes: tuple) -> str:
    return "".join(f'<node id="{_attr(node.id)}">\n'
                   + "".join([f'  <data key="d{i}">{_text(value)}</data>\n' for i, value in enumerate(node[1:])])
                   + "</node>\n" for node in nodes)


def _graphml_edges(edges: tuple) -> str:
    return "".join(f'<edge source="{_attr(source)}" target="{_attr(target)}" id="{_attr(relation)}">\n'
                   f'  <data key="d6">{_text(relation)}</data>\n</edge>\n' for source, target, relation in edges)


def gexf(graph: Actors, pieces: Pieces | None = None) -> Iterator[bytes]:
    """GEXF 1.2: the attribute declarations, the nodes (label as the node's own ``label``),
    then the edges numbered from 0, each with its relation (twice, as networkx writes the
    relation and the edge's key).  Without networkx's ``lastmodifieddate``, so that the file
    depends on the graph only."""
    return _document(_gexf(graph, pieces))


def _gexf(graph: Actors, pieces: Pieces | None = None) -> Iterator[str]:
    import networkx as nx

    yield ("<?xml version='1.0' encoding='utf-8'?>\n"
           '<gexf xmlns="http://www.gexf.net/1.2draft" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
           'xsi:schemaLocation="http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd" version="1.2">\n'
           f"  <meta>\n    <creator>NetworkX {nx.__version__}</creator>\n  </meta>\n"
           '  <graph defaultedgetype="directed" mode="static" name="">\n')
    if graph.edges:
        yield ('    <attributes mode="static" class="edge">\n'
               '      <attribute id="5" title="relation" type="string" />\n'
               '      <attribute id="6" title="networkx_key" type="string" />\n'
               "    </attributes>\n")
    if graph.nodes:
        yield '    <attributes mode="static" class="node">\n'
        yield from [f'      <attribute id="{i}" title="{name}" type="{"long" if name == "articles" else "string"}" />\n'
                    for i, name in enumerate(_GEXF_NODE_ATTRIBUTES)]
        yield "    </attributes>\n    <nodes>\n"
        yield from _each(pieces, "gexf", graph.nodes, _gexf_nodes)
        yield "    </nodes>\n"
    else:
        yield "    <nodes />\n"
    if graph.edges:
        yield "    <edges>\n"
        i = 0
        runs = (_gexf_edges((edge,)) for edge in graph.edges) if pieces is None else \
            pieces.each_run("gexf", graph.edges, _gexf_edges)
        for halves in runs:             # numbered from 0 here, as the runs are put together
            yield "".join([f"{head}{n}{tail}" for n, (head, tail) in enumerate(halves, i)]).encode("utf-8")
            i += len(halves)
        yield "    </edges>\n"
    else:
        yield "    <edges />\n"
    yield "  </graph>\n</gexf>\n"


def _gexf_nodes(nodes: tuple) -> str:
    return "".join(f'      <node id="{_et_attr(node.id)}" label="{_et_attr(node.label)}">\n        <attvalues>\n'
                   + "".join([f'          <attvalue for="{i}" value="{_et_attr(value)}" />\n'
                              for i, value in enumerate(node[2:])])
                   + "        </attvalues>\n      </node>\n" for node in nodes)


def _gexf_edges(edges: tuple) -> tuple[tuple[str, str], ...]:
    """Each edge's text before and after its number, finished but for the encoding (the
    numbers change from build to build where the runs are kept)."""
    def halves(source: str, target: str, relation: str) -> tuple[str, str]:
        rel = _et_attr(relation)
        return (_NOT_XML.sub("", f'      <edge source="{_et_attr(source)}" target="{_et_attr(target)}" id="'),
                _NOT_XML.sub("", f'">\n        <attvalues>\n          <attvalue for="5" value="{rel}" />\n'
                                 f'          <attvalue for="6" value="{rel}" />\n'
                                 "        </attvalues>\n      </edge>\n"))
    return tuple(halves(*edge) for edge in edges)
