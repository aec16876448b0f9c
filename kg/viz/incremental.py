"""The build page's graph for a process that builds again (``kg build --watch``).

A clean build draws the page's part of the graph by reading its lines back
(:func:`kg.viz.model.entity_nodes` over a :class:`kg.lineindex.LineIndex`), about a
second at 10 MB.  An entity's node depends only on its own lines, on its articles and
the figures about it, and on the sentences of its mentions
(:func:`~kg.viz.model.entity_nodes`); an edge's sentences only on its relation's
sources.  :class:`PageGraph` keeps each node and each edge's sentences with what they
were made of -- the entity, article and extraction objects themselves, which the
resident stages leave as they are unless an edit touched them -- and makes again, the
same way, only those whose making changed.  tests/test_watch.py checks the page against
a clean build's after a series of edits.
"""
from __future__ import annotations

from operator import attrgetter
from operator import is_ as _is

from ..lineindex import LineIndex
from ..rdf import graph_lines
from ..records import Article, ArticleExtraction, Entity, Observation, Relation
from .evidence import PAGE_EVIDENCE, ExtractionSentences, statement
from .model import assemble, entity_nodes, node_attributes


class PageGraph:
    """``(articles, extractions, entities, shown, relations, observations, evidence) -> graph``
    as :func:`kg.pipeline.page_graph`, remembering its nodes and edges' sentences."""

    def __init__(self):
        self.nodes: dict[str, tuple[tuple, dict | None, list]] = {}   # IRI -> (made of, attributes, links)
        self.edges: dict[Relation, tuple[tuple, tuple | None]] = {}    # relation -> (made of, sentences)
        self.graph = None                   # the last graph, with the sentences of its edges:
        self.said: dict[tuple[str, str, str], tuple] = {}

    def __call__(self, articles: list[Article], extractions: list[ArticleExtraction], entities: dict[str, Entity],
                 shown: dict[str, Entity], relations: list[Relation], observations: list[Observation],
                 evidence: dict[Relation, list[tuple[str, int, str]]]):
        article = {ex.article.source_file: ex.article for ex in extractions}
        of_subject: dict[str, list[Relation]] = {}
        for r in relations:
            of_subject.setdefault(r.subject, []).append(r)
        about: dict[str, list[Observation]] = {}
        for o in observations:
            about.setdefault(o.area, []).append(o)

        before, last, self.graph = self.nodes, self.graph, None    # (not kept if this call fails)
        nodes, made, said_again = {}, {}, {}
        for iri in shown:
            e = entities[iri]
            rels, figures = tuple(of_subject.get(iri, ())), tuple(about.get(iri, ()))
            kept = before.get(iri)
            if kept is not None and kept[0][3] == rels and kept[0][4] == figures:
                now = tuple(map(article.get, kept[0][1]))
                # the same entity (the merger's object), relations, figures, and the same article
                # objects behind its lines and its mentions' sentences (an edited article is read
                # again into new ones); an entity's mentions are in its articles
                if kept[0][0] is e and all(map(_is, kept[0][2], now)):
                    nodes[iri] = kept
                    continue
                if _same_lines(kept[0], e, now):     # only its sentences are made again
                    said_again[iri] = (e, kept[0][1], now, rels, figures)
                    continue
            files = sorted(e.articles)
            made[iri] = (e, files, tuple(map(article.get, files)), rels, figures)
        if said_again:
            sentences = ExtractionSentences(extractions, {iri: shown[iri] for iri in said_again}, {}, PAGE_EVIDENCE)
            for iri, what in said_again.items():
                attributes = before[iri][1]
                if attributes is not None:
                    count, found = sentences.of_entity(iri)
                    attributes = {**attributes, "mentions": count, "sentences": found}
                nodes[iri] = (what, attributes, before[iri][2])
        if made:
            lines = graph_lines([a for w in made.values() for a in w[2] if a is not None],
                                {iri: entities[iri] for iri in made}, [r for w in made.values() for r in w[3]],
                                [o for w in made.values() for o in w[4]])
            sentences = ExtractionSentences(extractions, {iri: shown[iri] for iri in made}, {}, PAGE_EVIDENCE)
            attributes, links = entity_nodes(LineIndex.from_lines(lines), sentences)
            out_of: dict[str, list] = {}
            for link in links:
                out_of.setdefault(link[0], []).append(link)
            for iri, what in made.items():
                nodes[iri] = (what, attributes.get(iri), out_of.get(iri, []))
        self.nodes = nodes

        edges, todo = {}, {}
        for r, found in evidence.items():
            kept = self.edges.get(r)
            # its sources, and the same articles behind them
            if (kept is not None and kept[0][0] == found
                    and all(map(_is, kept[0][1], (article.get(s) for s, _, _ in found)))):
                edges[r] = kept
            else:
                todo[r] = (found, tuple(article.get(src) for src, _, _ in found))
        if todo:
            told = ExtractionSentences(extractions, {}, {r: evidence[r] for r in todo}).of_statements()
            for r, what in todo.items():
                edges[r] = (what, told.get(statement(r)))
        self.edges = edges

        said = {statement(r): kept[1] for r, kept in edges.items() if kept[1] is not None}
        graph = self._patched(last, before, nodes, said)
        if graph is None:
            graph = assemble({iri: kept[1] for iri, kept in nodes.items() if kept[1] is not None},
                             [link for kept in nodes.values() for link in kept[2]], said)
        self.graph, self.said = graph, said
        return graph

    def _patched(self, graph, before: dict, nodes: dict, said: dict):
        """The last graph with the nodes and edges made again put in place, if it has the
        same shape: the same nodes, each of the same type with the same links, hence the
        same edges and the same places (``path``, ``counties``), which :func:`assemble`
        would work out again (0.2 s at 10 MB).  None if the shape changed."""
        if graph is None or nodes.keys() != before.keys():
            return None
        changed = [iri for iri, kept in nodes.items() if kept is not before[iri]]
        for iri in changed:
            (_, old, old_links), (_, new, new_links) = before[iri], nodes[iri]
            if ((old is None) != (new is None) or (new and new["type"] != old["type"])
                    or _between(old_links, graph) != _between(new_links, graph)):
                return None
        for iri in changed:
            if nodes[iri][1] is not None:
                a = graph.nodes[iri]
                places = a["path"], a["counties"]
                a.clear()
                a.update(node_attributes(nodes[iri][1]))
                a["path"], a["counties"] = places
        edges = []
        for key in said.keys() | self.said.keys():
            if said.get(key) is not self.said.get(key) and graph.has_edge(key[0], key[2], key[1]):
                sentences, gazetteer = said.get(key, ([], False))
                graph.edges[key[0], key[2], key[1]].update(sentences=sentences, gazetteer=gazetteer)
                edges.append((key[0], key[2], key[1]))
        graph.graph["edges_changed"] = edges        # for the page's text (kg.viz.page.PageText)
        return graph


#: What an entity's lines are made of (:func:`kg.rdf.entity_lines`)
_LINES_OF = attrgetter("iri", "type", "label", "aliases", "articles", "titles", "tenures", "admin_code",
                       "program_kind")


def _same_lines(made: tuple, e: Entity, articles: tuple) -> bool:
    """Whether an entity and its articles (``articles``, in the order of ``made[1]``) say
    in RDF what those a node was ``made`` of said, though they are other objects: the
    merger makes an entity again when an edited article mentions it, and a county named
    in a thousand articles would otherwise be read back from its lines after any edit to
    one of them.  Its mentions' sentences are another matter (see the caller)."""
    return ((made[0] is e or _LINES_OF(made[0]) == _LINES_OF(e))
            and all(a is b or (a is not None and b is not None and (a.title, a.duplicates) == (b.title, b.duplicates))
                    for a, b in zip(made[2], articles)))


def _between(links: list, graph) -> set:
    """Those of a node's links that are edges of ``graph`` (to another of its nodes, not to
    an article or a concept), as (object, predicate)."""
    return {(o, p) for _, o, p in links if str(o) in graph}
