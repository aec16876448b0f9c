"""Settle overlapping candidates and expose them as spaCy spans.

Candidates may nest (涟源市 inside 涟源市人社局) and that is right: both are entities.
What cannot stand is the same characters claimed twice at one level of detail, so
for spans that cross or coincide the more specific evidence wins: a longer span over a
shorter one, an organisation over the place words inside its name, a person over a
place (e.g. a name starting with a place character).  ``doc.spans["pakg"]`` keeps every
surviving candidate (nested ones included); ``doc.ents`` the outermost.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import filter_spans

from . import candidates

# who wins when two candidates cover exactly the same characters (a type not listed: last)
PRIORITY = {"Cadre": 9, "Resident": 8, "GovernmentBody": 7, "Cooperative": 7, "Enterprise": 6,
            "Program": 5, "Province": 4, "Prefecture": 4, "County": 4, "Township": 3, "Village": 2}


@Language.factory("pakg_spans")
def make_spans(nlp: Language, name: str):
    return settle


def settle(doc: Doc) -> Doc:
    kept, bounds = [], []
    for c in sorted(candidates(doc), key=lambda c: (-(c.end - c.start), -PRIORITY.get(c.type, 0), c.start, c.found_by)):
        if not _conflicts(c.start, c.end, bounds):
            kept.append(c)
            bounds.append((c.start, c.end))
    kept.sort(key=lambda c: (c.start, -c.end, c.type))
    doc._.candidates = kept
    spans = [s for c in kept
             if (s := doc.char_span(c.start, c.end, label=c.type, kb_id=c.name, alignment_mode="expand")) is not None]
    doc.spans["pakg"] = spans
    doc.set_ents(filter_spans(spans))      # what `doc.ents = …` does, without copying each span first
    return doc


def _conflicts(start: int, end: int, bounds: list[tuple[int, int]]) -> bool:
    """The span claims characters a kept span claims at the same level of detail: the two
    cover exactly the same characters, or they overlap without one containing the other.
    On plain offsets, because this runs for every pair of candidates."""
    for s, e in bounds:
        if (start == s and end == e) or (start < e and s < end and not (
                (start <= s and e <= end) or (s <= start and end <= e))):
            return True
    return False
