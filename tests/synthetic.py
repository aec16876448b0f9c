"""A seeded, realistic knowledge graph of any size, for the explorer's load tests.

Shaped like a big build: one province, prefectures, counties, townships and villages
along pa:locatedIn; cadres serving in villages, townships and counties; residents of
villages; enterprises, cooperatives and government bodies located in places; programs
implemented by several counties (so they bridge counties); articles mentioning most of
it; a poverty-incidence figure per county.  Names are made of common characters.
"""
from __future__ import annotations

import random

from rdflib import Graph, Literal, URIRef

from kg.namespaces import DCTERMS, PA, PAD, RDF, RDFS, SKOS, XSD

SYL = "安宝昌成大德东丰福光和红华吉江金康乐利龙茂民明宁平庆荣山胜石顺太天通旺兴新阳永玉长中"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许邓冯韩曹曾彭萧蔡潘田董袁"
TITLES = ("第一书记", "村支书", "镇长", "县委书记", "扶贫办主任", "驻村工作队队长")
PROGRAMS = ("易地扶贫搬迁", "产业扶贫", "光伏扶贫", "电商扶贫", "教育扶贫", "健康扶贫", "生态扶贫", "旅游扶贫",
            "“百企帮百村”", "“四跟四走”", "危房改造", "以工代赈", "雨露计划", "小额信贷", "消费扶贫", "就业扶贫")


def realistic_graph(n: int, seed: int = 7) -> Graph:
    """A graph of exactly ``n`` entities (n >= 200)."""
    rng = random.Random(seed)
    g = Graph()
    count = 0
    names: set[str] = set()

    def name(suffix: str, k: int = 2, chars: str = SYL) -> str:
        while True:
            s = "".join(rng.choice(chars) for _ in range(k)) + suffix
            if s not in names:
                names.add(s)
                return s

    articles = [PAD[f"article/{i:04d}"] for i in range(max(5, n // 25))]
    for i, a in enumerate(articles):
        g.add((a, RDF.type, PA.Article))
        g.add((a, PA.sourceFile, Literal(f"{i:04d}_article.txt")))
        g.add((a, DCTERMS.title, Literal(f"第{i}篇 脱贫攻坚纪实", lang="zh")))

    def entity(kind: str, cls: str, label: str, mentioned: bool = True, alias: str | None = None) -> URIRef:
        nonlocal count
        iri = PAD[f"{kind}/{count:05d}"]
        count += 1
        g.add((iri, RDF.type, PA[cls]))
        g.add((iri, RDFS.label, Literal(label, lang="zh")))
        if alias:
            g.add((iri, SKOS.altLabel, Literal(alias, lang="zh")))
        if mentioned:
            for a in rng.sample(articles, rng.choice((1, 1, 1, 2, 3))):
                g.add((iri, PA.mentionedIn, a))
        return iri

    province = entity("province", "Province", name("省"), mentioned=False)
    budget = n - 1
    n_pref = max(2, budget // 400)
    n_county = max(4, budget // 60)
    prefectures = [entity("prefecture", "Prefecture", name("市"), mentioned=False) for _ in range(n_pref)]
    for p in prefectures:
        g.add((p, PA.locatedIn, province))
    counties = []
    for i in range(n_county):
        short = name("")
        c = entity("county", "County", short + "县", alias=short)
        g.add((c, PA.locatedIn, prefectures[i % n_pref]))
        obs = PAD[f"observation/{i}"]
        g.add((obs, RDF.type, PA.Observation))
        g.add((obs, PA.refArea, c))
        g.add((obs, PA.indicator, PA.PovertyIncidence))
        g.add((obs, PA.refYear, Literal(str(2014 + i % 6), datatype=XSD.gYear)))
        g.add((obs, PA.value, Literal(f"{rng.uniform(0.2, 20):.1f}", datatype=XSD.decimal)))
        counties.append(c)
    programs = [entity("program", "Program", p) for p in PROGRAMS]
    townships, villages = [], []
    remaining = n - count
    n_town = remaining // 10
    n_vill = remaining * 3 // 10
    for i in range(n_town):
        t = entity("township", "Township", name(rng.choice("镇乡")))
        g.add((t, PA.locatedIn, counties[i % n_county]))
        townships.append(t)
    for i in range(n_vill):
        v = entity("village", "Village", name("村"))
        g.add((v, PA.locatedIn, townships[rng.randrange(n_town)]))
        villages.append(v)
    for c in counties:  # every county runs a few programs, some shared
        for p in rng.sample(programs, 3):
            g.add((c, PA.implements, p))
    kinds = ("Cadre", "Resident", "Resident", "Enterprise", "Cooperative", "GovernmentBody", "Program")
    while count < n:
        kind = kinds[count % len(kinds)]
        if kind == "Cadre":
            e = entity("cadre", "Cadre", name("", 2, SURNAMES) + rng.choice(SYL))
            g.add((e, PA.positionTitle, Literal(rng.choice(TITLES), lang="zh")))
            g.add((e, PA.servesIn, rng.choice(villages + townships + counties)))
        elif kind == "Resident":
            e = entity("resident", "Resident", name("", 2, SURNAMES) + rng.choice(SYL))
            g.add((e, PA.residentOf, rng.choice(villages)))
        elif kind == "Enterprise":
            e = entity("enterprise", "Enterprise", name("农业科技有限公司"))
            g.add((e, PA.locatedIn, rng.choice(counties)))
            if rng.random() < 0.3:
                g.add((e, PA.implements, rng.choice(programs)))
        elif kind == "Cooperative":
            e = entity("cooperative", "Cooperative", name("专业合作社"))
            g.add((e, PA.locatedIn, rng.choice(villages)))
        elif kind == "GovernmentBody":
            c = rng.choice(counties)
            e = entity("body", "GovernmentBody", name("扶贫办"))
            g.add((e, PA.locatedIn, c))
        else:
            e = entity("program", "Program", "“" + name("工程") + "”")
            g.add((rng.choice(counties), PA.implements, e))
    return g
