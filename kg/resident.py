"""What a process that builds again and again (``kg build --watch``) keeps between builds.

Besides the stores' results held in memory (extractions, provenance, SHACL parts, see
:class:`kg.memo.Memo`), four stages keep their last output and redo only what an edit
touched: the merge of the articles' shares of the resolution
(:class:`kg.resolve.Merger`), the graph's lines (:class:`kg.rdf.GraphLines`), the
pieces of the output files (:class:`kg.pieces.Pieces`) and the page's nodes and edges
(:class:`kg.viz.incremental.PageGraph`) with their text (:class:`kg.viz.page.PageText`).
Each gives what its stage gives in a clean build; tests/test_watch.py checks the files
after a series of edits.
"""
from __future__ import annotations

from .pieces import Pieces
from .rdf import GraphLines
from .resolve import Merger


class Resident:
    def __init__(self):
        from .viz.incremental import PageGraph     # networkx and rdflib: for watching processes only
        from .viz.page import PageText

        self.merge = Merger()
        self.graph_lines = GraphLines()
        self.page = PageGraph()             # the part of the graph graph.html shows
        self.page_text = PageText()         # and its data, as graph.html carries it
        self.pieces = Pieces()

    def sweep(self) -> None:
        """Let go of what the last build did not use."""
        self.pieces.sweep()
