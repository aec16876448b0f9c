"""The bad-input corpus: one file per kind of trouble found in scraped and exported news.

    python tests/data/make_bad_corpus.py DIR [--large]

Binary and huge files are generated rather than committed.  ``EXPECTED`` says, for
each file, the reason the build must give when it skips it (None: the file is read).
"""
from __future__ import annotations

import codecs
import sys
from pathlib import Path

ARTICLE = ("决战脱贫 {county}的新路\n——{county}脱贫攻坚纪实\n\n"
           "记者走进{county}{township}{village}，驻村第一书记{cadre}正在走访贫困户。{county}贫困发生率由2014年的"
           "12.5%下降到2019年的0.3%。\n")


def article(county="桦南县", township="驼腰子镇", village="新合村", cadre="刘洪涛") -> str:
    return ARTICLE.format(county=county, township=township, village=village, cadre=cadre)


#: file name -> (reason the build gives, or None when the file is read; a name it must yield)
EXPECTED = {
    "utf8.txt": (None, "刘洪涛"),
    "utf8_bom.txt": (None, "闫家镇"),
    "utf16.txt": (None, "东胜村"),
    "gbk.txt": (None, "拉孜县"),
    "big5.txt": (None, "湟中区"),
    "page.html": (None, "兰考县"),
    "control_chars.txt": (None, "昭觉县"),
    "long_line.txt": (None, "柞水县"),
    "duplicate_of_utf8.txt": (None, "刘洪涛"),
    "lone_surrogate.txt": (None, "兰考县"),
    "empty.txt": ("empty file", None),
    "whitespace.txt": ("no text", None),
    "binary.txt": ("binary", None),
    "no_chinese.txt": ("no Chinese", None),
    "broken_gbk.txt": ("not text", None),
}


def make(folder: Path, large: bool = False) -> dict[str, tuple]:
    folder.mkdir(parents=True, exist_ok=True)
    w = lambda name, data: (folder / name).write_bytes(data)  # noqa: E731
    w("utf8.txt", article().encode("utf-8"))
    w("utf8_bom.txt", codecs.BOM_UTF8 + article(township="闫家镇", village="东胜村").encode("utf-8"))
    w("utf16.txt", article(township="闫家镇", village="东胜村", cadre="高振东").encode("utf-16"))
    w("gbk.txt", article("拉孜县", "拉孜镇", "彭措林村", "扎西平措").encode("gbk"))
    import opencc
    w("big5.txt", opencc.OpenCC("s2t").convert(article("湟中区", "拦隆口镇", "卡阳村", "韩永林")).encode("big5"))
    body = article("兰考县", "堌阳镇", "徐场村", "徐进良").replace("\n", "</p><p>")
    w("page.html", ("<html><head><title>决战脱贫 兰考县的新路</title><script>var x='<p>假村</p>';</script>"
                    "<style>p{color:red}</style></head><body><nav><a href='/'>首页</a> 新闻中心</nav>"
                    f"<article><p>{body}</p></article><footer>版权所有 某某网</footer></body></html>").encode("utf-8"))
    w("control_chars.txt", article("昭觉县", "四开乡", "好谷村", "帕查有格").replace("记者", "记\x00者\x07").encode("utf-8"))
    w("long_line.txt", (article("柞水县", "小岭镇", "金米村", "李正兵").replace("\n", "") * 400).encode("utf-8"))
    w("duplicate_of_utf8.txt", article().encode("utf-8"))
    damaged = article("兰考县", "东坝头乡", "张庄村", "马建设").encode("utf-8")
    w("lone_surrogate.txt", damaged.replace("记者".encode(), "记者".encode() + b"\xed\xa0\x80"))
    w("empty.txt", b"")
    w("whitespace.txt", " \n\t\u3000\n".encode("utf-8"))
    w("binary.txt", bytes(range(256)) * 40)
    w("no_chinese.txt", b"Poverty alleviation in numbers: 12.5% to 0.3%.\n")
    w("broken_gbk.txt", article().encode("gbk")[:-1] + b"\xff\xfe\xfd\x81")
    w("photo.jpg", b"\xff\xd8\xff\xe0 not an article")
    expected = dict(EXPECTED)
    if large:
        with (folder / "huge.txt").open("wb") as fh:
            chunk = article().encode("utf-8") * 1000
            while fh.tell() < 50_000_000:
                fh.write(chunk)
        expected["huge.txt"] = ("too large", None)
    return expected


if __name__ == "__main__":
    make(Path(sys.argv[1]), large="--large" in sys.argv)
