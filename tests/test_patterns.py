"""Rules as data: relation patterns (pa:supports) and a user's own patterns (--patterns)."""
import json

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDFS

from kg import patterns
from kg.cli import main
from kg.extract import patterned
from kg.namespaces import PA
from kg.records import Mention
from kg.vocabulary import RELATIONS, SCORED_RELATIONS

# a feature of the kind the tests write (no evaluation article's names)
ARTICLE = """山阳县脱贫纪实

山阳县青禾岭村位于大山深处。近年来，云雾岭茗香坊与青禾岭村结对帮扶，收购村民的茶叶。
县交通运输局驻村帮扶工作队进驻石门沟村，修通了村里的公路。
青禾岭村党支部带领村民发展茶叶帮扶产业。
"""


@pytest.fixture(autouse=True)
def no_user_patterns():
    patterns.use([])
    yield
    patterns.use([])


def mention(text, name, type_, start):
    return Mention(text, name, type_, start, start + len(text), 0, "")


def test_shipped_patterns_are_valid_and_use_the_vocabulary():
    shipped = patterns.relation_patterns()
    assert {p.relation for p in shipped} == {"supports"}
    assert "supports" in RELATIONS and "supports" not in SCORED_RELATIONS      # extracted, not yet scored


def test_supports_needs_a_cue_after_the_subject_in_the_same_clause():
    text = "某县农业局帮扶上湾村。上湾村在某县农业局的指导下，种植茶叶。"
    ms = [mention("某县农业局", "某县农业局", "GovernmentBody", 0), mention("上湾村", "上湾村", "Village", 7),
          mention("上湾村", "上湾村", "Village", 11), mention("某县农业局", "某县农业局", "GovernmentBody", 15)]
    got = [(r.subject, r.predicate, r.object, r.found_by) for r in patterned(text, ms)]
    assert got == [("某县农业局", "supports", "上湾村", "supports:cue-in-clause")]


def test_a_villages_own_body_does_not_support_it():
    text = "上湾村党支部带领村民帮扶困难户。"
    ms = [mention("上湾村党支部", "上湾村党支部", "GovernmentBody", 0), mention("上湾村", "上湾村", "Village", 0)]
    assert patterned(text, ms) == []


def test_the_clause_ends_the_pattern():
    text = "某公司捐建了学校，帮扶下湾村的孩子。"
    ms = [mention("某公司", "某公司", "Enterprise", 0), mention("下湾村", "下湾村", "Village", 12)]
    assert patterned(text, ms) == []
    sentence = patterns.relation_pattern({"relation": "supports", "subject": ["Enterprise"], "object": ["Village"],
                                          "cue": ["捐建"], "within": "sentence"})
    assert [r.object for r in patterned(text, ms, [sentence])] == ["下湾村"]


@pytest.mark.parametrize("line, problem", [
    ('{"relation": "helps", "subject": ["Enterprise"], "object": ["Village"], "cue": ["帮扶"]}', "relation 'helps'"),
    ('{"relation": "supports", "subject": ["Firm"], "object": ["Village"], "cue": ["帮扶"]}', "subject must list"),
    ('{"relation": "supports", "subject": ["Enterprise"], "object": ["Village"]}', "needs cue words"),
    ('{"label": "Firm", "pattern": "某某"}', "label 'Firm'"),
    ('{"label": "Enterprise"}', "pattern must be"),
    ('{"label": "Enterprise", "pattern": "某某"', "Expecting"),
    ('["Enterprise"]', "JSON object"),
])
def test_a_bad_line_is_named_with_its_file_and_line(tmp_path, line, problem):
    f = tmp_path / "p.jsonl"
    f.write_text("# my patterns\n\n" + line + "\n", encoding="utf-8")
    with pytest.raises(patterns.PatternError) as e:
        patterns.read(f)
    assert str(e.value).startswith(f"{f}:3: ") and problem in str(e.value)


def test_kg_build_refuses_a_bad_pattern_file_in_one_line(tmp_path, capsys):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(ARTICLE, encoding="utf-8")
    bad = tmp_path / "p.jsonl"
    bad.write_text('{"label": "Firm", "pattern": "x"}\n', encoding="utf-8")
    assert main(["build", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "-q", "--patterns", str(bad)]) == 2
    err = capsys.readouterr().err
    assert f"{bad}:1: label 'Firm'" in err.replace("\n", "") and not (tmp_path / "out").exists()


def labels(g: Graph, p: URIRef) -> set[tuple[str, str]]:
    return {(str(g.value(s, RDFS.label)), str(g.value(o, RDFS.label))) for s, o in g.subject_objects(p)}


def test_a_users_name_and_its_support_reach_the_graph_and_go_with_the_patterns(tmp_path):
    """Without the pattern the shop is not found (a name of no known kind); with it, it is an
    Enterprise supporting the village, and a later build without --patterns drops it again
    (in the same process, with the extraction cache on)."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(ARTICLE, encoding="utf-8")
    mine = tmp_path / "mine.jsonl"
    mine.write_text(json.dumps({"label": "Enterprise", "pattern": "云雾岭茗香坊"}, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    cache = ["--no-validate"]
    for run, extra in (("before", []), ("with", ["--patterns", str(mine)]), ("after", [])):
        assert main(["build", str(src), "--out", str(tmp_path / run), "-q", *cache, *extra]) == 0
    g = {run: Graph().parse(tmp_path / run / "kg.ttl") for run in ("before", "with", "after")}
    assert ("云雾岭茗香坊", "青禾岭村") in labels(g["with"], PA.supports)
    assert "云雾岭茗香坊" not in {str(o) for o in g["before"].objects(None, RDFS.label)}
    assert (tmp_path / "after" / "kg.ttl").read_bytes() == (tmp_path / "before" / "kg.ttl").read_bytes()
    # the body's stationed team supports its village with or without the user's patterns
    assert any(v == "石门沟村" for _, v in labels(g["before"], PA.supports))
    # and a village's own party branch does not
    assert not any(s.startswith("青禾岭村") for s, _ in labels(g["with"], PA.supports))


def test_token_patterns_match_jieba_tokens(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(ARTICLE, encoding="utf-8")
    mine = tmp_path / "mine.jsonl"
    mine.write_text(json.dumps({"label": "Program", "pattern": [{"TEXT": "公路"}], "id": "通村公路"},
                               ensure_ascii=False) + "\n", encoding="utf-8")
    assert main(["build", str(src), "--out", str(tmp_path / "out"), "-q", "--no-validate", "--patterns", str(mine)]) == 0
    g = Graph().parse(tmp_path / "out" / "kg.ttl")
    programs = {str(g.value(s, RDFS.label)) for s in g.subjects(None, PA.Program)}
    assert "通村公路" in programs


def test_supports_in_the_seeds_build_has_its_evidence(seeds_build):
    g = Graph().parse(seeds_build / "kg.ttl")
    assert labels(g, PA.supports) == {("涟源市人社局", "毛塘湾村")}
