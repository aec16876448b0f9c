"""The faster forms of extraction steps give what the plain forms gave, on generated input.

Each test states the plain algorithm (per character, per word, from the start of the
text) and checks the faster one against it: byte-identical builds depend on it.
"""
import re
import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.util import get_words_and_spaces

from kg import ingest
from kg.components.organizations import OrganizationRecognizer
from kg.components.people import _Sorted
from kg.key_figures import _sentences_with
from kg.ingest import normalize
from kg.nlp import words_and_spaces
from kg.records import Offsets
from kg.segment import cut
from kg.simplify import is_traditional, to_simplified

SETTINGS = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow]}
# what normalisation treats specially: \r, characters NFKC widens (…, ㎡) or changes (，, ２),
# traditional characters, layout line breaks, CJK and ASCII
SPECIAL = list("\r\n\n \t\u3000…㎡，。２Ａ﹏ｄ漣橋頭鎮葉種專業组装机器人舵机,、；:“”摄#") + ["\r\n", "ǅ", "ﷺ"]
TEXT = st.lists(st.one_of(st.sampled_from(SPECIAL), st.text(max_size=3),
                          st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x4E80), max_size=30)),
                max_size=40).map("".join)


def _plain_normalize(raw: str):
    """normalize as it was written first: one character at a time."""
    chars, offsets = [], []
    for i, ch in enumerate(raw):
        if ch == "\r":
            continue
        if ch == ingest.PAGE_BREAK:        # a page break (PDF) is a line break
            chars.append("\n")
            offsets.append(i)
            continue
        for out in unicodedata.normalize("NFKC", ch):
            chars.append(out)
            offsets.append(i)
    text = "".join(chars)
    if is_traditional(text):
        chars = list(to_simplified(text))
    text = "".join(chars)
    keep = [True] * len(chars)
    for m in re.finditer(r"[ \t\u3000]*\n\s*", text):
        line = text[text.rfind("\n", 0, m.start()) + 1:m.start()].strip()
        end = text.find("\n", m.end())
        nxt = text[m.end():end if end >= 0 else len(text)].strip()
        if ingest._is_body(line) and line[-1] not in ingest._TERMINAL and not line.endswith("摄") \
                and nxt and ingest._CJK.match(nxt) and not ingest._is_heading(nxt):
            for j in range(m.start(), m.end()):
                keep[j] = False
    return "".join(c for c, k in zip(chars, keep) if k), [o for o, k in zip(offsets, keep) if k]


@settings(max_examples=600, **SETTINGS)
@given(TEXT)
def test_normalize_is_the_per_character_algorithm(raw):
    text, offsets = normalize(raw)
    plain_text, plain_offsets = _plain_normalize(raw)
    assert text == plain_text
    assert list(offsets) == plain_offsets
    canonical = Offsets(plain_offsets)          # the same runs, not only the same values
    assert (offsets.starts, offsets.bases, len(offsets)) == (canonical.starts, canonical.bases, len(canonical))


def test_layout_breaks_joined_with_widened_characters_before_them():
    raw = "上楼住新房…下楼有活干，这在以前想都不敢想㎡她一边组\r\n\r\n装机器人舵机，一边笑着说。"
    assert normalize(raw) == (_plain_normalize(raw)[0], Offsets(_plain_normalize(raw)[1]))
    assert "组装" in normalize(raw)[0]


def test_plain_ranges_are_left_alone_by_nfkc():
    """normalize passes ASCII (but \\r) and the CJK ideographs through without looking."""
    plain = [chr(c) for r in ((0, 0x80), (0x3400, 0x4DC0), (0x4E00, 0xA000)) for c in range(*r)]
    assert [c for c in plain if unicodedata.normalize("NFKC", c) != c or c == "\r"] == ["\r"]
    assert not any(ingest._NOT_PLAIN.match(c) for c in plain if c != "\r")
    assert ingest._NOT_PLAIN.match("\r") and ingest._NOT_PLAIN.match("，")


@settings(max_examples=300, **SETTINGS)
@given(st.lists(st.integers(0, 30), max_size=25), st.lists(st.tuples(st.integers(0, 40), st.integers(0, 4)),
                                                         max_size=6))
def test_offsets_without_spans_is_filtering(values, cuts):
    offsets = Offsets(values)
    spans, pos = [], 0                  # sorted, not overlapping, inside the text
    for start, length in sorted(cuts):
        start = max(start, pos)
        end = min(start + length, len(values))
        if start < end:
            spans.append((start, end))
            pos = end
    dropped = {i for s, e in spans for i in range(s, e)}
    assert offsets.without(spans) == Offsets([o for i, o in enumerate(values) if i not in dropped])


@settings(max_examples=300, **SETTINGS)
@given(st.integers(0, 50), st.lists(st.tuples(st.integers(0, 12), st.integers(0, 50)), max_size=10),
       st.integers(0, 14))
def test_offsets_from_runs_lists_each_offset(base, more, length):
    runs = [(0, base), *sorted(more, key=lambda r: r[0])]      # in order of their start, from 0
    values = []
    for i in range(length):
        start, base = [r for r in runs if r[0] <= i][-1]        # the run i is in (the later of equal starts)
        values.append(base + i - start)
    assert Offsets.from_runs(runs, length) == Offsets(values)


WORDS_TEXT = st.text(alphabet=st.sampled_from(list("一二村 \n\r\t\u3000ab,")), max_size=16)


@settings(max_examples=400, **SETTINGS)
@given(WORDS_TEXT, st.data())
def test_words_and_spaces_is_spacys(text, data):
    if data.draw(st.booleans()):
        words = [w for w in cut(text) if w]                # jieba's words: white space apart
    else:                                                   # any cut, white space and all
        cuts = sorted(data.draw(st.sets(st.integers(1, max(1, len(text) - 1)))) - {len(text)})
        words = [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)]) if a < b]
    try:
        expected = get_words_and_spaces(words, text)
    except ValueError:
        return
    assert words_and_spaces(words, text) == expected


@settings(max_examples=300, **SETTINGS)
@given(st.text(alphabet=st.sampled_from(list("成立由在的和建设农村合作社\n县市")), max_size=40), st.data())
def test_stop_word_look_back_is_the_search_from_the_start(text, data):
    orgs = OrganizationRecognizer()
    i = data.draw(st.integers(0, len(text)))
    assert orgs._stop_before(text, i) == bool(orgs.left_stop.search(text, 0, i))


@given(st.text(alphabet=st.sampled_from(list("脱贫元了。\n没有")), max_size=40))
def test_sentences_with_is_the_test_per_sentence(text):
    from kg.extract import sentence_spans
    spans = sentence_spans(text)
    words = ("脱贫", "元", "贫了")
    assert _sentences_with(text, spans, words) == {k for k, (s, e) in enumerate(spans)
                                                    if any(w in text[s:e] for w in words)}


def test_sorted_membership():
    tokens = _Sorted([0, 2, 5, 9])
    assert [x in tokens for x in range(11)] == [x in {0, 2, 5, 9} for x in range(11)]
