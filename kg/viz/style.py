"""How each class and relation looks: one table the page, its legend and the tests share.

Shapes and colours are chosen so that the three families read apart at a glance:
places are blue hexagons (darker = higher level) and green dots for villages; people
are a red star (cadres) and an orange triangle (residents); organisations are squares
or an inverted triangle; programs are yellow diamonds. The ontology holds the table
(``pa:colour``, ``pa:shape`` … read by :mod:`kg.vocabulary`), so a new class or relation
is drawn without a change here.
"""
from __future__ import annotations

from ..vocabulary import CLASSES as VOCABULARY_CLASSES
from ..vocabulary import ENTITY_TYPES, PLACE_TYPES, RELATION_TERMS

#: The entity classes, in legend order (places, people, organisations, programs): kg.vocabulary
CLASSES = ENTITY_TYPES

#: Places from the top of the administrative hierarchy down; the index is the level.
PLACE_LEVELS = PLACE_TYPES

#: class -> (Chinese name, English name, colour, vis shape, base size), as the ontology draws it
CLASS_STYLE: dict[str, tuple[str, str, str, str, int]] = {
    c: (t.legend, t.label_en, t.colour, t.shape, t.size) for c, t in VOCABULARY_CLASSES.items()}
OTHER_STYLE = ("其他", "Other", "#9e9e9e", "dot", 12)

#: How the explorer draws a kind of program (:mod:`kg.viz.programs`): a larger, pale diamond
#: with a thick border, holding the minor programs of its kind until it is opened.
KIND_STYLE = ("项目类别", "Program kind", "#fff3c4", "diamond", 24)
KIND_BORDER = "#b28704"

#: relation local name -> (Chinese label, colour), as the ontology draws it
RELATIONS: dict[str, tuple[str, str]] = {r: (t.label_zh, t.colour) for r, t in RELATION_TERMS.items()}
OTHER_RELATION_COLOUR = "#9e9e9e"

#: Local names of types outside the eleven that still clearly belong to one of them; used only
#: when the ontology (with its rdfs:subClassOf axioms) is not in the graph.
TYPE_ALIASES = {
    "AutonomousRegion": "Province", "Municipality": "Province",
    "PrefectureLevelCity": "Prefecture", "AutonomousPrefecture": "Prefecture", "League": "Prefecture",
    "CountyLevelCity": "County", "District": "County", "UrbanDistrict": "County", "Banner": "County",
    "Town": "Township", "Subdistrict": "Township", "Street": "Township",
    "AdministrativeVillage": "Village", "Community": "Village",
    "Official": "Cadre",
    "Company": "Enterprise", "Firm": "Enterprise", "Factory": "Enterprise",
    "PartyOrgan": "GovernmentBody", "GovernmentAgency": "GovernmentBody",
    "Policy": "Program", "Project": "Program", "Campaign": "Program",
}

#: Indicator -> (Chinese name, unit) for the observations shown on a place.
INDICATORS = {"PovertyIncidence": ("贫困发生率", "%")}

FONT_STACK = ('"Noto Sans CJK SC","Noto Sans SC","Source Han Sans SC","Source Han Sans CN",'
              '"PingFang SC","Hiragino Sans GB","Microsoft YaHei","WenQuanYi Micro Hei",sans-serif')


def class_style(cls: str) -> tuple[str, str, str, str, int]:
    """(zh, en, colour, shape, size) of a class; unknown classes are grey dots.

    >>> class_style("Cadre")[3], class_style("Gadget")[1]
    ('star', 'Other')
    """
    return CLASS_STYLE.get(cls, OTHER_STYLE)


def relation_style(rel: str) -> tuple[str, str]:
    """(Chinese label, colour) of a relation; unknown relations keep their name."""
    return RELATIONS.get(rel, (rel, OTHER_RELATION_COLOUR))


def lighten(hex_colour: str, amount: float) -> str:
    """Mix a ``#rrggbb`` colour with white.

    >>> lighten("#000000", 0.5)
    '#808080'
    """
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return "#{:02x}{:02x}{:02x}".format(*(round(c + (255 - c) * amount) for c in (r, g, b)))


def darken(hex_colour: str, amount: float) -> str:
    """Mix a ``#rrggbb`` colour with black.

    >>> darken("#ffffff", 0.5)
    '#808080'
    """
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return "#{:02x}{:02x}{:02x}".format(*(round(c * (1 - amount)) for c in (r, g, b)))


def observation_text(o: dict) -> str:
    """One line for a key figure.

    >>> observation_text({"indicator": "PovertyIncidence", "year": "2013", "value": "18.3"})
    '贫困发生率 2013: 18.3%'
    """
    name, unit = INDICATORS.get(o.get("indicator") or "", (o.get("indicator") or "指标", ""))
    year = f" {o['year']}" if o.get("year") else ""
    return f"{name}{year}: {o.get('value')}{unit}"
