"""Speed as a wrapper around the stages: stored results, processes, incremental rebuilds.

The stages (``ingest → extract → resolve → rdf → check → export/viz``) are plain functions
that know nothing of this package; only :mod:`kg.pipeline` and the commands import it
(``.importlinter`` checks both). What it adds, and what each piece buys:

* :mod:`kg.speed.stored` -- results kept on disk: each article's extraction by its file
  and the pipeline's version, and the output stages' results by their inputs (each
  article's provenance, each part's SHACL check). A rebuild after one edit extracts one
  article instead of all of them (the extraction is 85-90 % of a clean build).
* :mod:`kg.speed.parallel` -- extraction in worker processes (``--jobs``), the writers
  side by side in forked processes.
* :mod:`kg.speed.dask` -- extraction on a Dask cluster (``--dask``).
* :mod:`kg.speed.incremental` -- what a process that builds again keeps in memory
  (``--watch``): the pieces of every output file and the stages' last output, so that a
  rebuild after one edit redoes that edit's share (2 % of a clean build against 25 %
  without it, ``bench/``).
* :mod:`kg.speed.watch` -- watching the input and building again.

The stages reach what this package keeps only through :mod:`kg.remember`, which the
pipeline sets up around them.
"""
