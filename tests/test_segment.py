"""kg.segment.cut must give exactly jieba's words: the spaCy tokens, and so every
token-boundary rule of the components, rest on them."""
from pathlib import Path

import jieba
import pytest

from kg import segment
from kg.ingest import read_article
from kg.nlp import build_pipeline

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
ODD = [
    "", " ", "\n\n", "\r\n", "a", "中", "。", "2020年", "3.5%", "a b  c", "C++ 和 C# 与 .NET",
    "涟源市伏口镇胡家坪村", "哈布约布说", "买买提·艾力", "吉克曲布 摄", "１２３ＡＢＣ",
    "累计脱贫2639户7854人，贫困发生率由6.1%降至0.4%。\n记者 龚雅丽",
    "昭觉县城北乡沐恩邸社区建成了。2020年5月,一家人搬进了沐恩邸社区。",
    "这是一个没有词典的词：鿏鿐鿑，及𠀀𠀁（扩展区）", "——涪口区决战决胜脱贫攻坚纪实\t\u3000全文",
    "ABCDEFG中文abc-def_g#h&i%j+k", "的的的的的的的的的的的的的的的的的的的的的的",
    # where jieba-rs's own regular expressions would cut otherwise (kept in the Python path)
    "2016-2020年", "3.5万元和6.1%", "A股和B股", "T恤衫", "5G网络", "O2O模式", "𠀀𠀁中文", "a.b.c",
    "www.gov.cn网站", "V1.0版", "COVID-19疫情", "1.2.3", "■村民王明", "①产业扶贫②就业扶贫", "㐀字\xa0与\x85和\ufeff",
    "......2015年", "## 标题\n### 小标题", "胡家坪村\r\n\r\n伏口镇", "a_b", "C#与F#", "AT&T公司", "50%以上",
    # more of those, and where jieba-rs breaks ties between equal paths otherwise (stretches that repeat)
    "1.23b", "1.a", "x.1.5", "1.5-2", "6.1%和V1.0", "人人人", "4元元元5亿", "哈哈哈哈哈", "呼啦呼啦呼啦", "人人人人",
    "a中人人啦中中a天1天谢啦天啦元哈人哈人哈呼1a人元",
]


@pytest.fixture(scope="module")
def tokenizer():
    build_pipeline()               # the dictionary with the gazetteer's names, as extraction uses it
    return jieba.dt


@pytest.mark.parametrize("text", ODD)
def test_odd_input_is_cut_as_jieba_cuts_it(tokenizer, text):
    assert segment.cut(text) == list(tokenizer.cut(text))


def test_the_seeds_are_cut_as_jieba_cuts_them(tokenizer):
    texts = [read_article(p, SEEDS).text for p in sorted(SEEDS.glob("*.txt"))]
    assert texts
    for text in texts:
        assert segment.cut(text) == list(tokenizer.cut(text))


def test_a_default_dictionary_tokenizer_is_followed_too():
    tok = jieba.Tokenizer()
    text = read_article(min(SEEDS.glob("*.txt")), SEEDS).text
    assert segment.cut(text, tok) == list(tok.cut(text))


def test_words_added_at_run_time_count(tokenizer):
    tok = jieba.Tokenizer()
    tok.initialize()
    before = segment.cut("胡家坪新村合作社", tok)
    tok.add_word("胡家坪新村", 100000)
    after = segment.cut("胡家坪新村合作社", tok)
    assert after == list(tok.cut("胡家坪新村合作社")) and "胡家坪新村" in after and after != before


def test_the_pipeline_dictionary_is_cut_in_rust(tokenizer):
    """The speed of extraction rests on it: the gazetteer's dictionary goes to jieba-rs."""
    assert segment.rust_segmenter(tokenizer) is not None


def test_a_generated_corpus_is_cut_as_jieba_cuts_it(tokenizer, tmp_path):
    """Thousands of names from the gazetteer, in the seeds' sentences (bench/corpus.py)."""
    import sys
    sys.path.insert(0, str(SEEDS.parent / "bench"))
    from corpus import make_corpus

    paths = make_corpus(0.3, tmp_path / "corpus")
    assert len(paths) > 20
    for path in paths:
        text = path.read_text(encoding="utf-8")
        assert segment.cut(text) == list(tokenizer.cut(text)), path.name


def test_a_tokenizer_given_words_later_leaves_rust(tokenizer):
    tok = jieba.Tokenizer()
    tok.initialize()
    assert segment.rust_segmenter(tok) is not None
    tok.add_word("胡家坪新村", 100000)
    assert segment.rust_segmenter(tok) is None


def test_little_text_is_cut_without_loading_jieba_rs(tokenizer):
    """A rebuild after one article changed has ~3,000 characters to cut: loading jieba-rs
    (about a second) would cost more than it saves, and the words are the same."""
    text = read_article(min(SEEDS.glob("*.txt")), SEEDS).text
    segment.release()
    with segment.about_to_cut(len(text)):
        assert segment.cut(text) == list(tokenizer.cut(text))
    assert tokenizer.dictionary not in segment._RUST
    with segment.about_to_cut(segment.RUST_WORTH):
        assert segment.cut(text) == list(tokenizer.cut(text))
    assert segment._RUST[tokenizer.dictionary][0] is not None


def test_random_mixtures_of_odd_characters_are_cut_as_jieba_cuts_them(tokenizer):
    """Text goes to jieba-rs in stretches between the spots it would cut otherwise
    (kg.segment.RE_OWN); odd characters strewn among words must not move a boundary."""
    import random

    rng = random.Random(8)
    pool = list("胡家坪村伏口镇第一书记王明村民说年月日亿元万abcXYZ0123456789+#&._%-") + \
        list(" \t\n\r\u3000\xa0\x85，。、：；“”‘’（）《》【】—…·×!\"$'()*,/:;<=>?@[\\]^`{|}~■①𠀀鿏㐀\ufeff\u200b\u2028")
    # few kinds of characters, so that runs repeat (元元元) and letters, digits and ._-
    # join in every way (1.2.3, a-1.5b)
    narrow = [list("人人元元哈哈呼啦谢谢天天1a.中"), list("1234.5%-_万元亿年aZ"), list("ab1290.-_%+#&中文年人X ")]
    with segment.about_to_cut(segment.RUST_WORTH):
        for i in range(6000):
            chars = narrow[i % 3] if i % 2 else pool
            text = "".join(rng.choice(chars) for _ in range(rng.randint(1, 40)))
            assert segment.cut(text) == list(tokenizer.cut(text)), repr(text)


def test_the_pipeline_dictionary_is_what_jieba_makes_of_its_file(tokenizer, tmp_path, monkeypatch):
    """kg.nlp keeps jieba's prefix dictionary in the cache folder (jieba's own cache reads
    three times slower); what it loads must be what jieba makes of the dictionary file,
    and a damaged cache file is made again, not read."""
    from kg import nlp

    fresh = jieba.Tokenizer(tokenizer.dictionary)
    with open(tokenizer.dictionary, "rb") as fh:
        freq, total = fresh.gen_pfdict(fh)
    assert tokenizer.initialized and tokenizer.total == total and tokenizer.FREQ == freq
    monkeypatch.setenv("PAKG_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(jieba, "dt", jieba.Tokenizer())
    nlp._teach_jieba()                               # made and written to the (empty) cache folder
    assert jieba.dt.FREQ == freq and jieba.dt.total == total
    (cached,) = tmp_path.glob("*-prefixes-*.marshal")
    cached.write_bytes(cached.read_bytes()[:1000])
    monkeypatch.setattr(jieba, "dt", jieba.Tokenizer())
    nlp._teach_jieba()
    assert jieba.dt.FREQ == freq and jieba.dt.total == total
    assert cached.stat().st_size > 1000


def test_the_dictionary_is_read_again_after_release(tokenizer):
    """A large build lets go of jieba's dictionary after extraction
    (kg.nlp.release_dictionary); the next article read in the process loads it again,
    from the cache folder, and is cut as before."""
    from kg.nlp import release_dictionary

    nlp = build_pipeline()
    text = read_article(sorted(SEEDS.glob("*.txt"))[0], SEEDS).text
    before = [t.text for t in nlp.make_doc(text)]
    size = len(tokenizer.FREQ)
    release_dictionary()
    assert not tokenizer.initialized and not tokenizer.FREQ
    assert [t.text for t in nlp.make_doc(text)] == before
    assert tokenizer.initialized and len(tokenizer.FREQ) == size


def test_jieba_rs_takes_the_total_the_loader_read(tokenizer):
    """kg.nlp tells kg.segment the total of the dictionary file it read; it is the total
    jieba-rs would add up from the file itself."""
    data = Path(tokenizer.dictionary).read_bytes()
    assert segment._TOTALS[tokenizer.dictionary] == sum(int(ln.split(b" ")[1]) for ln in data.splitlines() if ln)
    assert segment._load_rust(tokenizer.dictionary)[1] == tokenizer.total
