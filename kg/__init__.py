"""pakg: knowledge graphs of the actors in Chinese poverty-alleviation reporting.

The pipeline, one module per stage:

    ingest  -> find files, decode, normalise text (keeping a map to original offsets)
    nlp     -> a spaCy ``blank("zh")`` pipeline with the jieba segmenter and our components
    extract -> entity mentions and relation candidates per article
    resolve -> mentions merged into entities with stable IRIs
    rdf     -> entities and relations mapped onto the ontology (rdflib)
    export / viz -> Turtle, the ontology copy and the offline HTML graph
"""
__version__ = "0.1.0"
