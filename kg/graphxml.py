r"""GraphML and GEXF of the property graph (:mod:`kg.property_graph`), written as text.

Both files hold the same nodes (actors, key figures, articles) and edges, each node with
its ``class`` (Gephi's partition: *Appearance → Partition → class*), its ``group``
(Place, Person, Organization ...) and the properties it has, each edge with its
``relation`` and what the build knows of where it was read (``evidence``,
``sourceFile``, ``foundBy``, ``confidence``).  An attribute a node or edge lacks is left
out, not written empty, so that numbers stay numbers (``value`` is a double, ``year`` a
long) in networkx, Gephi and yEd alike.

The text is joined from strings rather than built as an element tree: on a 10 MB corpus
networkx's writers took ten seconds, nearly all of it in making and serialising
``Element`` objects, where joining strings takes a fraction of one.  Characters that XML
1.0 cannot hold (control characters but tab, newline and carriage return; U+FFFE,
U+FFFF) are dropped: lxml refuses them, and a file holding one is no XML.  Both are done
value by value (:func:`_text`, :func:`_attr`), as the markup around the values holds
neither: one search of each value, where most need nothing, rather than a second pass of a
regular expression over the whole text (a 10 MB corpus's two files are 100 MB).

>>> from kg.property_graph import Node, PropertyGraph
>>> text = b"".join(graphml(PropertyGraph([Node("http://x/a&b", "Village", "甲\x07")], []))).decode("utf-8")
>>> text[text.index("<node"):].splitlines()[:3]
['<node id="http://x/a&amp;b">', '  <data key="d0">Village</data>', '  <data key="d1">Place</data>']
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

from .remember import by_item_runs
from .property_graph import EDGE_PROPERTIES, NODE_PROPERTIES, Edge, Node, PropertyGraph, group

#: The attributes of nodes and of edges in graph files, in order, with their types (see
#: :data:`kg.property_graph.NODE_PROPERTIES`).
NODE_ATTRIBUTES = {"class": "string", "group": "string", **NODE_PROPERTIES}
EDGE_ATTRIBUTES = {"relation": "string", **EDGE_PROPERTIES}
#: The attribute types of GraphML and GEXF for the property types (lists are joined strings).
XML_TYPES = {"string": "string", "string[]": "string", "int": "long", "double": "double"}

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_ATTRIB = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
                         "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})
#: What an escape changes or drops: the characters above, and those :data:`_NOT_XML` matches.
_SPECIAL = re.compile('[&<>"\x00-\x1f\ud800-\udfff\ufffe\uffff]')


def _escaper(table: dict):
    def escape(value: str) -> str:
        """``value`` (a string) escaped, without the characters XML cannot hold."""
        return _NOT_XML.sub("", value).translate(table) if _SPECIAL.search(value) else value
    return escape


_text, _attr = _escaper(_TEXT), _escaper(_ATTRIB)


def node_attributes(node: Node) -> list[tuple[str, str]]:
    """(name, text) of each attribute a node has in graph files, in :data:`NODE_ATTRIBUTES` order.

    >>> node_attributes(Node("http://x/v", "Village", "胡家坪村", articles=2))
    [('class', 'Village'), ('group', 'Place'), ('label', '胡家坪村'), ('articles', '2')]
    """
    return [("class", node.cls), ("group", group(node.cls)),
            *((name, str(value)) for name, value in zip(Node._fields[2:], node[2:]) if value not in ("", None))]


def edge_attributes(edge: Edge) -> list[tuple[str, str]]:
    """(name, text) of each attribute an edge has in graph files, in :data:`EDGE_ATTRIBUTES` order."""
    return [(name, value) for name, value in zip(Edge._fields[2:], edge[2:]) if value]


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
    return text.encode("utf-8")      # (the values in it are escaped and cleaned already)


def _each(kind: str, items: list, make: Callable[[tuple], str]) -> Iterator[bytes]:
    """``make`` of runs of items, finished (which a process that builds again keeps, :mod:`kg.remember`)."""
    return by_item_runs(kind, items, lambda run: _finished(make(run)))


def graphml(graph: PropertyGraph) -> Iterator[bytes]:
    """GraphML: one ``<key>`` per attribute (``d0`` ... for nodes, then edges), then each
    node and edge with the ``<data>`` it has."""
    return _document(_graphml(graph))


_GRAPHML_KEYS = {("node", name): f"d{i}" for i, name in enumerate(NODE_ATTRIBUTES)}
_GRAPHML_KEYS.update({("edge", name): f"d{i}" for i, name in enumerate(EDGE_ATTRIBUTES, len(NODE_ATTRIBUTES))})


def _graphml(graph: PropertyGraph) -> Iterator[str | bytes]:
    yield ("<?xml version='1.0' encoding='utf-8'?>\n"
           '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
           'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
           'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
           'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n')
    for scope, attributes in (("node", NODE_ATTRIBUTES), ("edge", EDGE_ATTRIBUTES)):
        yield from [f'<key id="{_GRAPHML_KEYS[scope, name]}" for="{scope}" attr.name="{name}" '
                    f'attr.type="{XML_TYPES[type_]}"/>\n' for name, type_ in attributes.items()]
    yield '<graph edgedefault="directed">\n'
    yield from _each("graphml", graph.nodes, _graphml_nodes)
    yield from _each("graphml", graph.edges, _graphml_edges)
    yield "</graph></graphml>\n"


def _graphml_nodes(nodes: tuple) -> str:
    return "".join(f'<node id="{_attr(node.id)}">\n'
                   + "".join([f'  <data key="{_GRAPHML_KEYS["node", name]}">{_text(value)}</data>\n'
                              for name, value in node_attributes(node)])
                   + "</node>\n" for node in nodes)


#: (field, the text before its value) of the attributes of edges (a graph has several times
#: more edges than nodes: each is written with as few steps as can be).
_GRAPHML_EDGE_DATA = tuple((i, f'  <data key="{_GRAPHML_KEYS["edge", name]}">')
                           for i, name in enumerate(Edge._fields[2:], 2))


def _graphml_edges(edges: tuple) -> str:
    out = []
    for edge in edges:
        out.append(f'<edge source="{_attr(edge[0])}" target="{_attr(edge[1])}">\n')
        out += [f"{head}{_text(edge[i])}</data>\n" for i, head in _GRAPHML_EDGE_DATA if edge[i]]
        out.append("</edge>\n")
    return "".join(out)


def gexf(graph: PropertyGraph) -> Iterator[bytes]:
    """GEXF 1.2: the attribute declarations, the nodes (label as the node's own ``label``),
    then the edges numbered from 0 (relation as the edge's ``label`` too, which Gephi
    shows).  No ``lastmodifieddate``, so that the file depends on the graph only."""
    return _document(_gexf(graph))


#: GEXF's attributes: a node's label is the node's own, so not among them.
_GEXF_NODE = {name: str(i) for i, name in enumerate(n for n in NODE_ATTRIBUTES if n != "label")}
_GEXF_EDGE = {name: str(i) for i, name in enumerate(EDGE_ATTRIBUTES)}


def _gexf(graph: PropertyGraph) -> Iterator[str | bytes]:
    yield ("<?xml version='1.0' encoding='utf-8'?>\n"
           '<gexf xmlns="http://www.gexf.net/1.2draft" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
           'xsi:schemaLocation="http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd" version="1.2">\n'
           "  <meta>\n    <creator>pakg</creator>\n  </meta>\n"
           '  <graph defaultedgetype="directed" mode="static">\n')
    for scope, ids, types in (("node", _GEXF_NODE, NODE_ATTRIBUTES), ("edge", _GEXF_EDGE, EDGE_ATTRIBUTES)):
        yield f'    <attributes class="{scope}" mode="static">\n'
        yield from [f'      <attribute id="{i}" title="{name}" type="{XML_TYPES[types[name]]}" />\n'
                    for name, i in ids.items()]
        yield "    </attributes>\n"
    yield "    <nodes>\n"
    yield from _each("gexf", graph.nodes, _gexf_nodes)
    yield "    </nodes>\n    <edges>\n"
    i = 0
    for halves in by_item_runs("gexf", graph.edges, _gexf_edges):             # numbered from 0 here, as the runs are put together
        yield "".join([f"{head}{n}{tail}" for n, (head, tail) in enumerate(halves, i)]).encode("utf-8")
        i += len(halves)
    yield "    </edges>\n  </graph>\n</gexf>\n"


def _gexf_nodes(nodes: tuple) -> str:
    return "".join(f'      <node id="{_attr(node.id)}"' + (f' label="{_attr(node.label)}"' if node.label else "")
                   + ">\n        <attvalues>\n"
                   + "".join([f'          <attvalue for="{_GEXF_NODE[name]}" value="{_attr(value)}" />\n'
                              for name, value in node_attributes(node) if name != "label"])
                   + "        </attvalues>\n      </node>\n" for node in nodes)


_GEXF_EDGE_VALUES = tuple((i, f'          <attvalue for="{_GEXF_EDGE[name]}" value="')
                          for i, name in enumerate(Edge._fields[2:], 2))


def _gexf_edges(edges: tuple) -> tuple[tuple[str, str], ...]:
    """Each edge's text before and after its number, finished but for the encoding (the
    numbers change from build to build where the runs are kept)."""
    def halves(edge: Edge) -> tuple[str, str]:
        values = "".join([f'{head}{_attr(edge[i])}" />\n' for i, head in _GEXF_EDGE_VALUES if edge[i]])
        return (f'      <edge source="{_attr(edge[0])}" target="{_attr(edge[1])}" id="',
                f'" label="{_attr(edge[2])}">\n        <attvalues>\n{values}        </attvalues>\n      </edge>\n')
    return tuple(map(halves, edges))
