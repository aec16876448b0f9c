"""How each class and relation looks: one table the page, its legend and the tests share.

Shapes and colours are chosen so that the three families read apart at a glance:
places are blue hexagons (darker = higher level) and green dots for villages; people
are a red star (cadres) and an orange triangle (residents); organisations are squares
or an inverted triangle; programs are yellow diamonds.
"""
from __future__ import annotations

#: The eleven entity classes of the contract, in legend order (places, people, organisations, programs).
CLASSES = ("Province", "Prefecture", "County", "Township", "Village", "Cadre", "Resident",
           "Enterprise", "Cooperative", "GovernmentBody", "Program")

#: Places from the top of the administrative hierarchy down; the index is the level.
PLACE_LEVELS = ("Province", "Prefecture", "County", "Township", "Village")

#: class -> (Chinese name, English name, colour, vis shape, base size)
CLASS_STYLE: dict[str, tuple[str, str, str, str, int]] = {
    "Province": ("省", "Province", "#283593", "hexagon", 30),
    "Prefecture": ("地级市 / 州", "Prefecture", "#3f51b5", "hexagon", 26),
    "County": ("县 / 县级市 / 区", "County", "#1e88e5", "hexagon", 22),
    "Township": ("乡 / 镇 / 街道", "Township", "#29b6f6", "hexagon", 18),
    "Village": ("村 / 社区", "Village", "#00897b", "dot", 14),
    "Cadre": ("干部", "Cadre", "#e53935", "star", 20),
    "Resident": ("村民", "Resident", "#fb8c00", "triangle", 15),
    "Enterprise": ("企业", "Enterprise", "#8e24aa", "square", 15),
    "Cooperative": ("合作社", "Cooperative", "#7cb342", "square", 15),
    "GovernmentBody": ("党政机关", "Government body", "#6d4c41", "triangleDown", 17),
    "Program": ("扶贫项目 / 政策", "Program", "#f9a825", "diamond", 17),
}
OTHER_STYLE = ("其他", "Other", "#9e9e9e", "dot", 12)

#: How the explorer draws a kind of program (:mod:`kg.viz.programs`): a larger, pale diamond
#: with a thick border, holding the minor programs of its kind until it is opened.
KIND_STYLE = ("项目类别", "Program kind", "#fff3c4", "diamond", 24)
KIND_BORDER = "#b28704"

#: relation local name -> (Chinese label, colour)
RELATIONS: dict[str, tuple[str, str]] = {
    "locatedIn": ("位于", "#78909c"),
    "servesIn": ("任职于", "#e53935"),
    "residentOf": ("居住于", "#ef6c00"),
    "implements": ("实施", "#c79100"),
}
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
