"""Score a build against gold annotations (``kg eval GOLD_DIR [BUILD_DIR]``).

The project's own copy of the evaluation rules of ``eval/score.py``, so that accuracy is
measured in the test suite and by users on their own gold files, where the shared
scorer is not at hand.  The rules, and so the numbers, are the same:

* a gold entity is found when a node of its type (following ``rdfs:subClassOf``) that is
  ``pa:mentionedIn`` its article has a label (``rdfs:label``, ``skos:prefLabel``,
  ``skos:altLabel``) equal to the gold name or an alias, after normalisation (NFKC,
  traditional → simplified, no quotation marks or spaces); one-to-one, greedily;
* relations are compared per article between the nodes mentioned in it, ``locatedIn``
  through its transitive closure on both sides;
* cadres' ``pa:positionTitle`` and the poverty-incidence figures (area, year, value ±0.01)
  are scored as sets.

Gold files: one JSON per article (``../spec/ANNOTATION.md``), e.g. ``tests/gold/dev``.

>>> Tally(tp=3, fp=1, fn=0).prf()
(0.75, 1.0, 0.857...)
"""
from __future__ import annotations

import json
import os
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, RDFS, Graph, URIRef
from rdflib.namespace import SKOS

from .namespaces import PA
from .vocabulary import SCORED_RELATIONS

CORE = ("County", "Township", "Village", "Cadre", "Enterprise", "Cooperative", "Program")
EXTENDED = ("Resident", "GovernmentBody")
HIGHER = ("Prefecture", "Province")          # matched so that relations reach them; not summed
TYPES = CORE + EXTENDED + HIGHER
RELATIONS = SCORED_RELATIONS      # the relations the annotation guide annotates
SUMMARIES = {"ENTITIES (core)": [f"entity:{t}" for t in CORE],
             "ENTITIES (extended)": [f"entity:{t}" for t in EXTENDED],
             "RELATIONS": [f"relation:{r}" for r in RELATIONS]}
ROWS = ([f"entity:{t}" for t in CORE] + ["ENTITIES (core)"] + [f"entity:{t}" for t in EXTENDED]
        + ["ENTITIES (extended)"] + [f"entity:{t}" for t in HIGHER] + [f"relation:{r}" for r in RELATIONS]
        + ["RELATIONS", "attribute:positionTitle", "figure:poverty_incidence"])
_QUOTES = set("“”\"'‘’「」『』《》〈〉")


class GoldError(ValueError):
    """A gold folder or file that cannot be used (named in the message)."""


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    missed: list[str] = field(default_factory=list)
    spurious: list[str] = field(default_factory=list)

    def prf(self) -> tuple[float, float, float]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    def __iadd__(self, other: Tally) -> Tally:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn
        self.missed += other.missed
        self.spurious += other.spurious
        return self


def norm(text) -> str:
    """The form names are compared in: 「漣源市」 and 涟源市 are equal."""
    text = _t2s(unicodedata.normalize("NFKC", str(text)))
    return re.sub(r"\s+", "", "".join(ch for ch in text if ch not in _QUOTES))


def _t2s(text: str) -> str:
    global _converter
    if _converter is None:
        import opencc
        _converter = opencc.OpenCC("t2s").convert
    return _converter(text)


_converter = None


# -- reading ---------------------------------------------------------------------------------
def load_gold(gold_dir: Path) -> list[dict]:
    files = sorted(Path(gold_dir).glob("*.json"))
    if not files:
        raise GoldError(f"{gold_dir}: no gold .json files")
    docs = []
    for f in files:
        try:
            doc = json.loads(f.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise GoldError(f"{f}: cannot read ({exc})") from None
        if not isinstance(doc, dict) or not {"doc", "entities"} <= doc.keys():
            raise GoldError(f"{f}: not a gold file (needs 'doc' and 'entities')")
        docs.append(doc)
    return docs


def load_build(build_dir: Path) -> Graph:
    """Every Turtle file of the build (kg.ttl, ontology.ttl for the class hierarchy, …)."""
    files = sorted(Path(build_dir).glob("*.ttl"))
    if not files:
        raise GoldError(f"{build_dir}: no .ttl files (not a build folder)")
    g = Graph()
    for f in files:
        g.parse(f, format="turtle")
    return g


class BuildView:
    """What the graph says, indexed the way scoring reads it."""

    def __init__(self, g: Graph):
        supers = defaultdict(set)
        for c, p in g.subject_objects(RDFS.subClassOf):
            supers[c].add(p)
        self.types = defaultdict(set)
        for node, cls in g.subject_objects(RDF.type):
            for sup in _up(cls, supers):
                name = str(sup)[len(str(PA)):] if isinstance(sup, URIRef) and str(sup).startswith(str(PA)) else ""
                if name in TYPES:
                    self.types[node].add(name)
        self.labels = defaultdict(set)
        for prop in (RDFS.label, SKOS.prefLabel, SKOS.altLabel):
            for node, lit in g.subject_objects(prop):
                self.labels[node].add(norm(lit))
        doc_of = {art: os.path.basename(str(f)) for art, f in g.subject_objects(PA.sourceFile)}
        self.docs = set(doc_of.values())
        self.mentions = defaultdict(set)
        for node, art in g.subject_objects(PA.mentionedIn):
            if art in doc_of:
                self.mentions[doc_of[art]].add(node)
        self.edges = {r: set(g.subject_objects(PA[r])) for r in RELATIONS}
        self.located = transitive(self.edges["locatedIn"])
        self.titles = defaultdict(set)
        for node, lit in g.subject_objects(PA.positionTitle):
            self.titles[node].add(norm(lit))
        self.figures = []
        for obs in g.subjects(PA.indicator, PA.PovertyIncidence):
            year, value = g.value(obs, PA.refYear), g.value(obs, PA.value)
            try:
                self.figures.append((g.value(obs, PA.refArea), int(str(year)[:4]) if year is not None else None,
                                     float(value)))
            except (TypeError, ValueError):
                continue


def _up(cls, supers) -> set:
    seen, stack = {cls}, [cls]
    while stack:
        for p in supers.get(stack.pop(), ()):
            if p not in seen:
                seen.add(p)
                stack.append(p)
    return seen


def transitive(pairs) -> set:
    """The transitive closure of a relation given as pairs.

    >>> sorted(transitive({("村", "镇"), ("镇", "县")}))
    [('村', '县'), ('村', '镇'), ('镇', '县')]
    """
    succ = defaultdict(set)
    for a, b in pairs:
        succ[a].add(b)
    out = set()
    for a in list(succ):
        stack, seen = list(succ[a]), set()
        while stack:
            b = stack.pop()
            if b not in seen:
                seen.add(b)
                out.add((a, b))
                stack.extend(succ.get(b, ()))
    return out


# -- scoring ---------------------------------------------------------------------------------
def evaluate(gold_dir: Path, build_dir: Path) -> dict[str, Tally]:
    """Tallies by row name (see ``ROWS``), summaries included."""
    golds = load_gold(gold_dir)
    view = BuildView(load_build(build_dir))
    tallies: dict[str, Tally] = defaultdict(Tally)
    for gold in golds:
        _score_doc(gold, view, tallies)
    for name, parts in SUMMARIES.items():
        total = Tally()
        for part in parts:
            total += tallies[part]
        tallies[name] = total
    return {row: tallies[row] for row in ROWS}


def missing_docs(gold_dir: Path, build_dir: Path) -> list[str]:
    """Gold articles the build has no pa:Article for (built from another folder?)."""
    view_docs = BuildView(load_build(build_dir)).docs
    return [g["doc"] for g in load_gold(gold_dir) if g["doc"] not in view_docs]


def _as_list(x):
    return x if isinstance(x, list) else [x]


def _score_doc(gold: dict, view: BuildView, tallies: dict[str, Tally]) -> None:
    doc = gold["doc"]
    nodes = sorted(view.mentions.get(doc, set()))
    name_of = _match_entities(gold, doc, nodes, view, tallies)
    _score_relations(gold, doc, set(nodes), name_of, view, tallies)
    _score_titles(gold, doc, nodes, name_of, view, tallies["attribute:positionTitle"])
    _score_figures(gold, doc, set(nodes), name_of, view, tallies["figure:poverty_incidence"])


def _match_entities(gold, doc, nodes, view, tallies) -> dict:
    """Greedy one-to-one matching per type, nodes in IRI order; returns node → gold name
    (a duplicate's too, so its relations count under that name), or ?label."""
    name_of = {}
    for etype in TYPES:
        t = tallies["entity:" + etype]
        cands = [n for n in nodes if etype in view.types.get(n, ())]
        used = set()
        names_of_gold = []
        for e in (e for e in gold["entities"] if e["type"] == etype):
            names = {norm(e["name"])} | {norm(a) for a in e.get("aliases", [])}
            names_of_gold.append((names, norm(e["name"])))
            hit = next((n for n in cands if n not in used and view.labels[n] & names), None)
            if hit is None:
                t.fn += 1
                t.missed.append(f"{doc}: {e['name']}")
            else:
                used.add(hit)
                t.tp += 1
                name_of[hit] = norm(e["name"])
        for n in cands:
            if n not in used:
                t.fp += 1
                t.spurious.append(f"{doc}: {'/'.join(sorted(view.labels[n])) or n}")
                # a duplicate of a gold entity (same type, a shared name) costs precision above,
                # but its relations are judged under that entity's name
                dup = next((g for names, g in names_of_gold if view.labels[n] & names), None)
                if dup is not None and n not in name_of:
                    name_of[n] = dup
    for n in nodes:
        name_of.setdefault(n, "?" + ("/".join(sorted(view.labels[n])) or str(n)))
    return name_of


def _score_relations(gold, doc, nodes, name_of, view, tallies) -> None:
    golds = defaultdict(list)
    for r in gold.get("relations", []):
        golds[r["p"]].append(({norm(s) for s in _as_list(r["s"])}, {norm(o) for o in _as_list(r["o"])}))
    gold_located = transitive({(s, o) for ss, os_ in golds["locatedIn"] for s in ss for o in os_})
    for rel in RELATIONS:
        t = tallies["relation:" + rel]
        edges = {(name_of[a], name_of[b]) for a, b in view.edges[rel] if a in nodes and b in nodes}
        reach = edges if rel != "locatedIn" else \
            {(name_of[a], name_of[b]) for a, b in view.located if a in nodes and b in nodes}
        for ss, os_ in golds[rel]:
            if any((s, o) in reach for s in ss for o in os_):
                t.tp += 1
            else:
                t.fn += 1
                t.missed.append(f"{doc}: {'|'.join(sorted(ss))} -{rel}-> {'|'.join(sorted(os_))}")
        for s, o in sorted(edges):   # a correct edge that repeats a recalled one is neither tp nor fp
            ok = (s, o) in gold_located if rel == "locatedIn" else any(s in ss and o in os_ for ss, os_ in golds[rel])
            if not ok:
                t.fp += 1
                t.spurious.append(f"{doc}: {s} -{rel}-> {o}")


def _score_titles(gold, doc, nodes, name_of, view, t: Tally) -> None:
    want = {norm(e["name"]): {norm(x) for x in e.get("titles", [])} for e in gold["entities"] if e["type"] == "Cadre"}
    got = defaultdict(set)
    for n in nodes:
        if name_of[n] in want:
            got[name_of[n]] |= view.titles.get(n, set())
        elif "Cadre" in view.types.get(n, ()):
            for x in sorted(view.titles.get(n, ())):
                t.fp += 1
                t.spurious.append(f"{doc}: {name_of[n]} title {x}")
    for name, titles in want.items():
        have = got.get(name, set())
        t.tp += len(titles & have)
        t.fn += len(titles - have)
        t.missed += [f"{doc}: {name} title {x}" for x in sorted(titles - have)]
        t.fp += len(have - titles)
        t.spurious += [f"{doc}: {name} title {x}" for x in sorted(have - titles)]


def _score_figures(gold, doc, nodes, name_of, view, t: Tally) -> None:
    got = sorted(((name_of.get(a), y, v) for a, y, v in view.figures if a in nodes), key=repr)
    want = [(norm(f["area"]), f.get("year"), float(f["value"]))
            for f in gold.get("figures", []) if f.get("indicator") == "poverty_incidence"]
    matched = set()
    for area, year, value in want:
        hit = next((i for i, (a, y, v) in enumerate(got)
                    if i not in matched and a == area and y == year and abs(v - value) < 0.01), None)
        if hit is None:
            t.fn += 1
            t.missed.append(f"{doc}: {area} {year} {value}")
        else:
            matched.add(hit)
            t.tp += 1
    for i, (a, y, v) in enumerate(got):
        if i not in matched:
            t.fp += 1
            t.spurious.append(f"{doc}: {a} {y} {v}")


def as_json(tallies: dict[str, Tally]) -> dict:
    """The scores as score.py's ``--json`` writes them (rows with p, r, f1, counts, errors)."""
    rows = {}
    for row, t in tallies.items():
        p, r, f = t.prf()
        rows[row] = {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4), "tp": t.tp, "fp": t.fp, "fn": t.fn,
                     "fp_items": t.spurious, "fn_items": t.missed}
    return {"rows": rows}
