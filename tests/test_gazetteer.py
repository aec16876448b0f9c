"""The gazetteer: facts about real divisions, the source's quirks, and the disk cache."""
import dataclasses
import doctest
import random

import pytest

from kg import gazetteer as G
from kg.gazetteer import LEVELS, Division, Gazetteer, load_gazetteer


@pytest.fixture(scope="module")
def gz() -> Gazetteer:
    return load_gazetteer()


def one(gz, name, level=None) -> Division:
    found = gz.lookup(name, level)
    assert len(found) == 1, (name, found)
    return found[0]


# -- facts --------------------------------------------------------------------------------

def test_county_level_city_under_prefecture(gz):
    d = one(gz, "涟源市")
    assert (d.level, d.code, d.short) == ("county", "431382", "涟源")
    assert [(a.name, a.level) for a in gz.ancestors(d)] == [("娄底市", "prefecture"), ("湖南省", "province")]
    assert gz.path_names(d) == ("湖南省", "娄底市", "涟源市")
    assert gz.is_county_level_city("涟源市") and not gz.is_prefecture_city("涟源市")
    assert gz.by_code("431382") == [d]


def test_prefectures_and_counties(gz):
    assert gz.is_prefecture_city("娄底市") and not gz.is_county_level_city("娄底市")
    hengyang = one(gz, "衡阳市")
    assert hengyang.level == "prefecture" and gz.is_prefecture_city("衡阳市")
    county = one(gz, "衡阳县")
    assert county.level == "county" and county.parent == hengyang.id
    assert county in gz.children(hengyang, "county")
    assert gz.is_county_level_city("耒阳市") and one(gz, "耒阳市").parent == hengyang.id
    assert [a.name for a in gz.ancestors(one(gz, "隆回县"))] == ["邵阳市", "湖南省"]
    assert not gz.is_prefecture_city("隆回县") and not gz.is_county_level_city("隆回县")


def test_short_names(gz):
    assert [d.name for d in gz.lookup_short("涟源")] == ["涟源市"]
    assert gz.lookup_short("涟源", "prefecture") == []
    assert gz.lookup_short("涟源", "village") == []
    assert [d.level for d in gz.lookup_short("湖南")] == ["province"]
    assert gz.lookup("涟源") == []                       # a short name is not a full name


def test_township_and_village(gz):
    fukou = one(gz, "伏口镇")
    assert fukou.level == "township" and fukou.code is None and fukou.short is None
    anc = gz.ancestors(fukou)
    assert [a.name for a in anc] == ["涟源市", "娄底市", "湖南省"] and anc[-1].level == "province"
    villages = gz.lookup("胡家坪村")
    assert len(villages) > 3 and all(v.level == "village" for v in villages)
    assert [v.id for v in villages] == sorted(v.id for v in villages)
    best = gz.resolve_place("胡家坪村", context=["伏口镇"])
    assert best[0].parent == fukou.id
    assert sorted(best, key=lambda d: d.id) == villages      # a ranking, nothing added or lost
    assert gz.path_names(gz.resolve_place("胡家坪村", ["伏口镇", "涟源市"])[0]) == \
        ("湖南省", "娄底市", "涟源市", "伏口镇", "胡家坪村")
    assert gz.resolve_place("胡家坪村") == villages            # no context: source order
    assert gz.resolve_place("胡家坪村", ["火星"]) == villages   # no match: ties by id


def test_resolve_prefers_the_deeper_match(gz):
    # one candidate shares the province, the other the county: the county says more
    villages = gz.lookup("胡家坪村")
    hunan_other = next(v for v in villages if gz.path_names(v)[0] == "湖南省" and "涟源市" not in gz.path_names(v))
    ranked = gz.resolve_place("胡家坪村", ["湖南省", "涟源市"])
    assert "涟源市" in gz.path_names(ranked[0])
    ranked = gz.resolve_place("胡家坪村", ["湖南省", gz.path_names(hunan_other)[2]])
    assert ranked[0] == hunan_other


def test_resolve_short_and_renamed_names(gz):
    assert [d.name for d in gz.resolve_place("涟源")] == ["涟源市"]
    assert [d.name for d in gz.resolve_place("邵东县")] == ["邵东市"]
    assert [d.name for d in gz.renamed_to("襄樊市")] == ["襄阳市"]
    assert [d.name for d in gz.renamed_to("襄樊")] == ["襄阳市"]
    assert {gz.path_names(d)[1] for d in gz.renamed_to("城区")} == {"大同市", "长治市"}
    assert gz.renamed_to("涟源市") == []
    assert all(gz.renamed_to(r.old[-1]) for r in gz.renames)   # every target found in the table


def _ranked_by_definition(gz, name, context):
    """resolve_place as its docstring defines it, on Division objects and their ancestors."""
    cands = gz.lookup(name) or gz.lookup_short(name) or gz.renamed_to(name)
    ctx = {c for c in context if c and c != name}
    renamed = {d.id for c in ctx for d in gz.renamed_to(c)}

    def key(d):
        hits = [a for a in gz.ancestors(d) if a.name in ctx or (a.short and a.short in ctx) or a.id in renamed]
        return -len(hits), -max((LEVELS.index(a.level) for a in hits), default=-1), d.id

    return sorted(cands, key=key)


def test_resolve_place_ranks_as_defined(gz):
    """The ranking on ids agrees with the definition, for names with many homonyms and
    contexts naming ancestors by full, short and former names (and a name of its own)."""
    rng = random.Random(7)
    names = ["胡家坪村", "新村", "城关镇", "和平村", "太平镇", "朝阳区", "长沙", "涟源", "邵东县", "城区", "新华村"]
    former = [r.old[-1] for r in gz.renames]
    for name in names:
        cands = gz.resolve_place(name)
        assert len(cands) > 1 or name in ("涟源", "邵东县"), name
        for _ in range(6):
            picks = rng.sample(cands, min(3, len(cands)))
            context = [rng.choice([a.name, a.short or a.name]) for d in picks for a in gz.ancestors(d)
                       if rng.random() < 0.5]
            context += rng.sample(former, 2) + [name, "火星"]
            expected = _ranked_by_definition(gz, name, context)
            assert gz.resolve_place(name, context) == expected, (name, context)
            for level in LEVELS:
                of_level = [d for d in expected if d.level == level]
                assert gz.resolve_place(name, context, level) == of_level
                assert gz.best_place(name, context, level) == (of_level[0] if of_level else None)


def test_ancestors_are_the_callers_to_change(gz):
    d = gz.lookup("伏口镇")[0]
    gz.ancestors(d).clear()
    assert [a.name for a in gz.ancestors(d)] == ["涟源市", "娄底市", "湖南省"]


def test_absent_name(gz):
    assert gz.lookup("涪口区") == [] and gz.lookup_short("涪口") == []
    assert gz.resolve_place("涪口区", ["重庆市"]) == []
    assert not gz.is_prefecture_city("涪口区") and not gz.is_county_level_city("涪口区")


def test_names_and_levels(gz):
    assert "涟源市" in gz.names("county") and "涟源市" not in gz.names("prefecture")
    assert "伏口镇" in gz.names("township") and "胡家坪村" in gz.names("village")
    assert len(gz.names("province")) == 34
    with pytest.raises(ValueError):
        gz.names("city")
    with pytest.raises(ValueError):
        gz.lookup("涟源市", "City")


# -- the source's quirks ---------------------------------------------------------------------

def test_municipality_district(gz):
    jiading = one(gz, "嘉定区")
    shanghai = one(gz, "上海市")                                # once, not again at prefecture level
    assert shanghai.level == "province" and shanghai.code == "310000"
    assert gz.ancestors(jiading) == [shanghai] and jiading.level == "county"
    assert gz.ancestor_at(jiading, "prefecture") is None
    assert gz.prefecture_of(jiading) == shanghai and gz.is_municipality(shanghai)
    assert not gz.is_prefecture_city("上海市")
    assert jiading in gz.children(shanghai)
    for city in ("北京市", "天津市", "重庆市"):
        assert [d.level for d in gz.lookup(city)] == ["province"]
    assert not gz.is_municipality(one(gz, "湖南省"))
    assert gz.prefecture_of(one(gz, "伏口镇")).name == "娄底市"


def test_directly_administered_cities(gz):
    xiantao = one(gz, "仙桃市", "county")
    assert gz.is_county_level_city("仙桃市")
    assert [a.name for a in gz.ancestors(xiantao)] == ["湖北省"]
    assert gz.prefecture_of(xiantao) is None
    assert [a.name for a in gz.ancestors(one(gz, "济源市"))] == ["河南省"]
    assert [a.name for a in gz.ancestors(one(gz, "下冶镇"))] == ["济源市", "河南省"]
    for placeholder in ("省直辖行政区划", "市直辖行政区划", "县直辖行政区划", "区直辖行政区划"):
        assert gz.lookup(placeholder) == []
    humen = one(gz, "虎门镇")                                     # 东莞市 has no counties
    assert [a.name for a in gz.ancestors(humen)] == ["东莞市", "广东省"]
    assert gz.ancestor_at(humen, "county") is None and gz.prefecture_of(humen).name == "东莞市"


def test_hong_kong_and_fixes(gz):
    hk = one(gz, "香港特别行政区")
    central = next(d for d in gz.lookup("中西区") if d.parent == hk.id)   # 台南市 has one too
    assert central.level == "county" and central.code is None    # 810000 is the SAR's code
    assert gz.lookup("香港", "prefecture") == []
    kwai = one(gz, "葵青区")
    assert gz.lookup("奎青区") == [kwai]                          # the source's spelling still finds it
    assert gz.lookup("化德县七号镇") == gz.lookup("七号镇") != []
    assert gz.lookup("盈江县农场") != []                           # not cut down to a bare 农场
    assert one(gz, "阿里地区").short == "阿里"


def test_division_invariants(gz):
    divs = gz.divisions
    assert len(divs) > 650_000
    rank = {lv: i for i, lv in enumerate(LEVELS)}
    ranks = []
    for i, d in enumerate(divs):
        assert d.id == i
        r = rank[d.level]
        ranks.append(r)
        if d.parent is None:
            assert r == 0
        else:
            assert d.parent < i and ranks[d.parent] < r              # parents come first, higher up
        if r > 2:
            assert d.code is None and d.short is None
    assert set(ranks) == set(range(len(LEVELS)))
    assert not [n for n in gz.names("township") | gz.names("county") if "直辖行政区划" in n or n != n.strip()]
    d = divs[12345]
    assert divs[-1] == divs[len(divs) - 1] and divs[12345:12346] == [d]
    assert not hasattr(d, "__dict__")
    with pytest.raises(dataclasses.FrozenInstanceError):
        d.name = "x"                                               # type: ignore[misc]


def test_module_doctest():
    assert doctest.testmod(G).failed == 0


# -- the parse on a synthetic tree -----------------------------------------------------------

SYNTHETIC = """\
甲市\t900000\t甲
\t甲市\t900000\t甲
\t\t东区\t900101\t东区
\t\t\t东区一号镇
\t\t\t\t一村
乙省\t910000\t乙
\t丙市\t910100\t丙
\t\t丙县\t910121\t丙县
\t\t\t丙县丁家镇
\t\t\t丙县农场
\t\t\t县直辖行政区划
\t\t\t\t二村
\t\t丁市\t910181\t丁
\t\t\t\t
\t省直辖行政区划\t919000\t省直辖
\t\t丁市\t919001\t丁
\t\t戊区\t\t戊
""".replace("\n", "\r\n")


def test_parse_rules_on_synthetic_tree():
    g = Gazetteer(G._build(SYNTHETIC.splitlines(), ["2020-01-01\t国批\t乙省\t乙\t丙市\t丙\t己县\t己=>乙省\t丙市\t丙县"]))
    assert [(d.name, d.level) for d in g.divisions] == [
        ("甲市", "province"), ("东区", "county"), ("一号镇", "township"), ("一村", "village"),
        ("乙省", "province"), ("丙市", "prefecture"), ("丙县", "county"), ("丁家镇", "township"),
        ("丙县农场", "township"), ("二村", "village"), ("丁市", "county"), ("丁市", "county"),
        ("戊区", "county")]
    by = {d.name: d for d in g.divisions}
    assert g.ancestors(by["二村"])[0].name == "丙县"            # placeholder township dropped
    assert g.ancestors(g.lookup("戊区")[0]) == [by["乙省"]] and g.lookup("戊区")[0].code is None
    assert g.lookup("丙县丁家镇") == g.lookup("丁家镇") and g.lookup("东区一号镇") == g.lookup("一号镇")
    assert g.is_municipality(by["甲市"]) and g.prefecture_of(by["东区"]) == by["甲市"]
    assert [d.name for d in g.renamed_to("己县")] == ["丙县"]
    # a 市 that is a prefecture somewhere and a county elsewhere: the prefecture wins
    g2 = Gazetteer(G._build(["乙省\t910000\t乙", "\t丁市\t910200\t丁", "\t丙市\t910100\t丙",
                             "\t\t丁市\t910181\t丁"], []))
    assert g2.is_prefecture_city("丁市") and not g2.is_county_level_city("丁市")
    assert [d.level for d in g2.lookup("丁市")] == ["prefecture", "county"]


# -- loading and the disk cache --------------------------------------------------------------

@pytest.fixture
def fresh_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("PAKG_CACHE_DIR", str(tmp_path / "cache"))
    load_gazetteer.cache_clear()
    yield tmp_path / "cache"
    load_gazetteer.cache_clear()


def test_disk_cache_round_trip(fresh_cache, monkeypatch, gz):
    cold = load_gazetteer()
    assert load_gazetteer() is cold                                # process-wide
    files = list(fresh_cache.iterdir())
    assert len(files) == 1 and f"f{G.FORMAT_VERSION}" in files[0].name
    assert not [f for f in fresh_cache.iterdir() if f.name.startswith(".")]   # no temp file left

    def no_parse(*a):
        raise AssertionError("parsed although the disk cache is current")
    monkeypatch.setattr(G, "_build", no_parse)
    load_gazetteer.cache_clear()
    warm = load_gazetteer()
    assert warm is not cold and warm == cold and warm == gz
    assert len(warm.divisions) == len(cold.divisions)
    for name in ("涟源市", "伏口镇", "胡家坪村", "嘉定区"):
        assert warm.lookup(name) == cold.lookup(name)
    assert warm.divisions[len(warm.divisions) - 1] == cold.divisions[-1]
    assert warm.renames == cold.renames


def fingerprint(state) -> str:
    """A digest of what fixes the ids: names, levels, parents, codes, short names, renames."""
    import hashlib

    h = hashlib.sha256()
    for part in ("\n".join(state[1]).encode(), state[2], state[3], repr(sorted(state[4].items())).encode(),
                 repr(sorted(state[5].items())).encode(), repr(state[10]).encode()):
        h.update(part)
    return h.hexdigest()


def test_ids_are_deterministic(gz, tmp_path):
    """A parse in another process, under another hash seed, numbers the divisions alike."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    here = Path(__file__).resolve().parent
    script = (f"import sys; sys.path[:0] = [{str(here)!r}, {str(here.parent)!r}]\n"
              "from test_gazetteer import fingerprint\n"
              "from kg import gazetteer as G\n"
              "print(fingerprint(G._build(*G._read_source(G._data_dir()))))")
    env = {**os.environ, "PYTHONHASHSEED": "12345", "PAKG_CACHE_DIR": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == fingerprint(gz._state)


SMALL = ["乙省\t910000\t乙", "\t丙市\t910100\t丙", "\t\t丙县\t910121\t丙县", "\t\t\t丁家镇", "\t\t\t\t一村"]


@pytest.fixture
def small_source(monkeypatch):
    """Cache behaviour does not need the real table: a five-line one loads in no time."""
    monkeypatch.setattr(G, "_read_source", lambda data_dir: (SMALL, []))


def test_corrupt_cache_is_rebuilt(fresh_cache, small_source):
    first = load_gazetteer()
    assert [d.name for d in first.divisions] == ["乙省", "丙市", "丙县", "丁家镇", "一村"]
    (path,) = fresh_cache.iterdir()
    path.write_bytes(path.read_bytes()[:20])                       # truncated
    load_gazetteer.cache_clear()
    assert load_gazetteer() == first
    assert len(path.read_bytes()) > 20                             # and rewritten
    path.write_bytes(b"garbage")
    load_gazetteer.cache_clear()
    assert load_gazetteer() == first


def test_unwritable_cache_dir_is_skipped(tmp_path, monkeypatch, small_source):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("PAKG_CACHE_DIR", str(blocker / "cache"))
    load_gazetteer.cache_clear()
    try:
        assert [d.name for d in load_gazetteer().divisions][-1] == "一村"
    finally:
        load_gazetteer.cache_clear()
