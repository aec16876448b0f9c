"""Ingest: decoding, normalisation and the map back to original offsets."""
from pathlib import Path

import pytest

from kg.ingest import ArticleError, find_articles, guess_title, normalize, read_article

BODY = "上楼住新房，下楼有活干，这在以前想都不敢想。易地搬迁群众周蓉一边组"


def test_layout_break_inside_sentence_is_joined():
    text, _ = normalize(BODY + "\n\n装机器人舵机，一边笑着说。")
    assert "组装机器人舵机" in text


def test_offsets_map_back_to_the_original():
    raw = BODY + "\n\n装机器人舵机，一边笑着说。"
    text, offsets = normalize(raw)
    assert len(offsets) == len(text)
    for i, ch in enumerate(text):
        if ch not in ",":            # NFKC turns the full-width comma into ","
            assert raw[offsets[i]] == ch


def test_headings_are_not_glued():
    text, _ = normalize("中共某某县委\n某某县人民政府\n\n正文第一句，讲到这里。")
    assert "县委\n" in text


def test_heading_after_a_broken_paragraph_stays_separate():
    raw = "其次，通过发展特色产业提效益。在贫困村成立219家合作社，动员64\n\n产业扶贫 提升自主脱贫能力\n\n正文。"
    text, _ = normalize(raw)
    assert "动员64\n" in text


def test_photo_credit_is_not_joined():
    text, _ = normalize("一家老小齐上阵，消费扶贫献爱心，大家都来了 ■罗盟 摄\n\n人居环境美如画")
    assert "摄\n" in text


def test_nfkc():
    text, _ = normalize("２０２０年，贫困发生率０．２８％。")
    assert text == "2020年,贫困发生率0.28%。"


def test_title_from_dash_subtitle():
    assert guess_title("# 脱贫一诺 幸福花开\n\n## ——某某区决战决胜脱贫攻坚纪实\n正文") == \
        "脱贫一诺 幸福花开 ——某某区决战决胜脱贫攻坚纪实"


def test_read_article_reports_bad_files(tmp_path: Path):
    (tmp_path / "a.txt").write_bytes(b"\xff\xfe\x00ba")          # a UTF-16 mark, then an odd byte count
    (tmp_path / "b.txt").write_text("   \n")
    (tmp_path / "c.md").write_text("正文，内容。", encoding="utf-8")
    (tmp_path / "skip.doc").write_text("x")          # Word 97-2003: not read
    files = find_articles(tmp_path)
    assert [p.name for p in files] == ["a.txt", "b.txt", "c.md"]
    with pytest.raises(ArticleError, match="byte-order mark"):
        read_article(files[0], tmp_path)
    with pytest.raises(ArticleError, match="no text"):
        read_article(files[1], tmp_path)
    assert read_article(files[2], tmp_path).source_file == "c.md"


# -- traditional script ------------------------------------------------------------------------

def test_traditional_text_is_read_simplified_with_offsets_into_the_file(tmp_path):
    from kg.ingest import read_article
    raw = "漣源市橋頭河鎮湘浙茶葉種植專業合作社，茶農在採摘茶葉。\n"
    (tmp_path / "a.txt").write_text(raw, encoding="utf-8")
    a = read_article(tmp_path / "a.txt", tmp_path)
    assert a.text.startswith("涟源市桥头河镇湘浙茶叶种植专业合作社")
    start = a.text.index("桥头河镇")
    begin, end = a.original_span(start, start + 4)
    assert a.raw[begin:end] == "橋頭河鎮"


def test_simplified_text_is_left_alone(tmp_path):
    from kg.ingest import read_article
    raw = "乾隆年间建村的胡家坪村,如今发展茶叶产业。\n"       # 乾 stays: the text is simplified
    (tmp_path / "a.txt").write_text(raw, encoding="utf-8")
    assert read_article(tmp_path / "a.txt", tmp_path).text == raw


def test_traditional_article_gives_the_same_graph_with_its_spellings_as_aliases(tmp_path):
    """A seed article converted to Taiwan-style traditional script: the same entities, by
    the same simplified labels, and the traditional spellings as skos:altLabel."""
    import opencc
    from rdflib import Graph
    from rdflib.namespace import RDFS, SKOS

    from kg.cli import main
    from tests.conftest import ROOT

    seed = sorted((ROOT / "seeds").glob("*.txt"))[0]
    s2t = opencc.OpenCC("s2tw").convert
    for name, convert in (("simplified", str), ("traditional", s2t)):
        (tmp_path / name).mkdir()
        (tmp_path / name / seed.name).write_text(convert(seed.read_text(encoding="utf-8")), encoding="utf-8")
        assert main(["build", str(tmp_path / name), "--out", str(tmp_path / f"{name}-out"), "-q"]) == 0
    graphs = {n: Graph().parse(tmp_path / f"{n}-out" / "kg.ttl") for n in ("simplified", "traditional")}
    labels = {n: {(s, str(o)) for s, o in g.subject_objects(RDFS.label)} for n, g in graphs.items()}
    assert labels["traditional"] == labels["simplified"]
    trad_aliases = {str(o) for o in graphs["traditional"].objects(None, SKOS.altLabel)}
    assert {"漣源市", "橋頭河鎮", "湘浙茶葉種植專業合作社"} <= trad_aliases
