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
    (tmp_path / "a.txt").write_bytes(b"\xff\xfe\x00bad")
    (tmp_path / "b.txt").write_text("   \n")
    (tmp_path / "c.md").write_text("正文，内容。", encoding="utf-8")
    (tmp_path / "skip.pdf").write_text("x")
    files = find_articles(tmp_path)
    assert [p.name for p in files] == ["a.txt", "b.txt", "c.md"]
    with pytest.raises(ArticleError, match="UTF-8"):
        read_article(files[0], tmp_path)
    with pytest.raises(ArticleError, match="no text"):
        read_article(files[1], tmp_path)
    assert read_article(files[2], tmp_path).source_file == "c.md"
