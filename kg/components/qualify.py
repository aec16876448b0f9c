"""Full names for government bodies that the text names by their short forms.

Articles write 区扶贫办, 扶贫办, 市政府 or 涟源市委 once the county is clear.  Such a
body is the county's own (涪口区扶贫办 / 涟源市人民政府 / 中共涟源市委), and only the
qualified form keeps the 扶贫办 of one county apart from another county's in the graph.
This component renames those mentions to the official form; the form as written stays
the mention's text and becomes an alias.

A level character says whose organ it is: in a feature about 衡阳县, 县委 is the
county's but 市委 is 衡阳市's (the prefecture) and 省委 湖南省's.
"""
from __future__ import annotations

import re
from dataclasses import replace

from spacy.language import Language
from spacy.tokens import Doc

from ..gazetteer import load_gazetteer
from . import candidates

LEVEL_CHARS = "省市州县区旗"


@Language.factory("pakg_qualify")
def make_qualify(nlp: Language, name: str):
    return BodyQualifier()


class BodyQualifier:
    def __init__(self):
        self.gz = load_gazetteer()

    def __call__(self, doc: Doc) -> Doc:
        units = self._units(doc._.subject)
        found = candidates(doc)
        for i, m in enumerate(found):
            if m.type == "GovernmentBody":
                found[i] = replace(m, name=official_name(m.name, units))
        return doc

    def _units(self, subject: str | None) -> dict[str, str]:
        """Level character -> the unit of that level the article is about."""
        if not subject:
            return {}
        units = {"county": subject, subject[-1]: subject}
        division = next(iter(self.gz.lookup(subject, "county")), None)
        for anc in self.gz.ancestors(division) if division else ():
            if anc.level == "province":
                units["省"] = anc.name
            elif anc.level == "prefecture":
                units.setdefault(anc.name[-1], anc.name)
        return units


def official_name(name: str, units: dict[str, str]) -> str:
    """The qualified official form of a body's name.

    >>> official_name("区扶贫办", {"county": "涪口区", "区": "涪口区"})
    '涪口区扶贫办'
    >>> official_name("扶贫办", {"county": "涪口区", "区": "涪口区"})
    '涪口区扶贫办'
    >>> official_name("涟源市委", {"county": "涟源市", "市": "涟源市"})
    '中共涟源市委'
    >>> official_name("市政府", {"county": "涟源市", "市": "涟源市"})
    '涟源市人民政府'
    >>> official_name("省人民政府", {"county": "隆回县", "县": "隆回县", "省": "湖南省"})
    '湖南省人民政府'
    >>> official_name("国务院扶贫办", {"county": "涪口区", "区": "涪口区"})
    '国务院扶贫办'
    """
    bare = name[2:] if name.startswith("中共") else name
    if bare[:1] in LEVEL_CHARS and bare[:1] in units and not bare.startswith(units[bare[:1]]):
        bare = units[bare[:1]] + bare[1:]              # 区扶贫办 → 涪口区扶贫办
    elif "county" in units and _is_bare_organ(bare):
        bare = units["county"] + bare                  # 扶贫办 → 涪口区扶贫办
    bare = re.sub(r"(?<=[省市州县区旗])政府$", "人民政府", bare)
    if re.fullmatch(r".+[省市州县区旗]委", bare):
        return "中共" + bare                           # a party committee's official name
    return bare


def _is_bare_organ(name: str) -> bool:
    """扶贫办, 卫健局, 妇联: an organ word with no place or state prefix before it."""
    return not re.match(r"(?:中共|中央|国务院|国家|全国|党中央)", name) and not re.search(
        r"[省市州县区旗镇乡村]", name[:-1])
