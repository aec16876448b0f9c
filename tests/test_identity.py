"""Cross-article identity: one node per real-world thing, however many articles name it."""
from rdflib import Graph, Literal, RDFS
from rdflib.namespace import Namespace

from kg.cli import main

PA = Namespace("https://w3id.org/pakg/ontology#")

ARTICLE = """山乡巨变
——{county}脱贫攻坚纪实
近年来,{county}按照“四跟四走”思路发展产业。{county}扶贫办主任王建军介绍,全县贫困发生率由2014年的8.5%下降至0.5%。
省委副书记乌兰到{county}调研。{town}{village}村民赵春花说:“日子越过越好。”赵春花今年60岁。
"""


def build(tmp_path, articles):
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    for name, text in articles.items():
        (src / name).write_text(text, encoding="utf-8")
    assert main(["build", str(src), "--out", str(out), "-q"]) == 0
    g = Graph()
    g.parse(out / "kg.ttl")
    return g


def nodes(g, label, type_=None):
    found = set(g.subjects(RDFS.label, Literal(label, lang="zh")))
    return {n for n in found if type_ is None or (n, None, PA[type_]) in g}


def test_same_names_in_two_counties_are_two_people_but_one_program(tmp_path):
    g = build(tmp_path, {
        "a.txt": ARTICLE.format(county="正安县", town="瑞溪镇", village="安山村"),
        "b.txt": ARTICLE.format(county="惠水县", town="好花红镇", village="新民村"),
    })
    assert len(nodes(g, "王建军", "Cadre")) == 2          # two county officials
    assert len(nodes(g, "赵春花", "Resident")) == 2        # two villagers
    assert len(nodes(g, "乌兰", "Cadre")) == 1             # one provincial leader
    program = nodes(g, "四跟四走", "Program")
    assert len(program) == 1
    (p,) = program
    assert len(set(g.objects(p, PA.mentionedIn))) == 2


def test_the_same_person_in_two_articles_of_one_county_is_one_node(tmp_path):
    text = ARTICLE.format(county="正安县", town="瑞溪镇", village="安山村")
    g = build(tmp_path, {"a.txt": text, "b.txt": text.replace("山乡巨变", "山乡新貌")})
    (person,) = nodes(g, "王建军", "Cadre")
    assert len(set(g.objects(person, PA.mentionedIn))) == 2
