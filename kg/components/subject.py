"""The unit an article is about: the county of ``——涟源市决战决胜脱贫攻坚纪实``.

County features name their county in the dash subtitle or the headline; failing
that, the county-level name the article repeats most is its subject.  Later
components use it to accept names the gazetteer lacks and to resolve 该县 / 全市.
"""
from __future__ import annotations

import re
from collections import Counter

from spacy.language import Language
from spacy.tokens import Doc

from ..gazetteer import load_gazetteer
from . import text_of

SUBTITLE = re.compile(r"——\s*((?:[\u3400-\u9fff]{1,8}?(?:自治县|县|市|区|旗))+)")
UNIT = re.compile(r"[\u3400-\u9fff]{1,8}?(?:自治县|县|市|区|旗)")
UNIT_END = re.compile("[县市区旗]")       # where a county-level name may end
COUNTY = re.compile(r"[\u3400-\u9fff]{1,6}?(?:自治县|县|市|区|旗)")


@Language.factory("pakg_subject")
def make_subject(nlp: Language, name: str):
    return SubjectFinder()


class SubjectFinder:
    def __init__(self):
        self.gz = load_gazetteer()

    def __call__(self, doc: Doc) -> Doc:
        doc._.subject = self.find(text_of(doc))
        return doc

    def find(self, text: str) -> str | None:
        head = "\n".join(text.splitlines()[:40])
        for m in SUBTITLE.finditer(head):
            units = UNIT.findall(m.group(1))       # ——西宁市湟中区…: the county, not its city
            name = next((u for u in reversed(units) if self._is_county(u)), None) or self._county_in(units[-1])
            if name:
                return name
        counts = Counter()
        for d_name in self._county_names(text):
            counts[d_name] += 1
        return counts.most_common(1)[0][0] if counts else None

    def _county_in(self, phrase: str) -> str | None:
        """The longest county-level name ending ``phrase`` (the gazetteer's, else the phrase)."""
        for i in range(len(phrase) - 1):
            if self._is_county(phrase[i:]):
                return phrase[i:]
        return phrase if len(phrase) >= 2 else None

    def _county_names(self, text: str):
        for m in UNIT_END.finditer(text):
            i = m.start()
            for n in range(min(i + 1, 16), 1, -1):   # the longest: 桦南县, not 南县; 都安瑶族自治县
                if i + 1 - n >= 0 and self._is_county(text[i + 1 - n:i + 1]):
                    yield text[i + 1 - n:i + 1]
                    break

    def _is_county(self, name: str) -> bool:
        # names("county") holds exactly the names lookup(name, "county") finds, as a set
        return name in self.gz.names("county") and not self.gz.is_prefecture_city(name)
