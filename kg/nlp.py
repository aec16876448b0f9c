"""Stage 2: the spaCy pipeline.

A ``blank("zh")`` pipeline whose tokenizer is jieba, taught the gazetteer's county
and township names (a jieba user dictionary is not saved with a spaCy pipeline, so it is
loaded here, where the pipeline is built), followed by our components in order: tagger (LAC's words and names, :mod:`kg.tagger`)
→ subject → places → people → organizations → a user's patterns (``--patterns``) → qualify → titles → programs → spans.
"""
from __future__ import annotations

import hashlib
import sys
from functools import lru_cache
from pathlib import Path

import jieba
import spacy
from spacy.lang.zh import ChineseTokenizer
from spacy.language import Language
from spacy.tokens import Doc

from . import (
    components,  # noqa: F401  (registers the Doc extensions)
    segment,
)
from .cache import cache_dir, marshalled
from .components import (  # noqa: F401  (registers the factories)
    organizations, people, places, programs, qualify, spans, subject, tags, titles, user_patterns)
from .files import write_atomic
from .gazetteer import load_gazetteer
from .ingest import MAX_BYTES

PIPES = ("pakg_tagger", "pakg_subject", "pakg_places", "pakg_people", "pakg_organizations", "pakg_user_patterns",
         "pakg_qualify", "pakg_titles", "pakg_programs", "pakg_spans")


@lru_cache(maxsize=1)
def build_pipeline() -> Language:
    """The pipeline, built once per process (loading the gazetteer is the costly part)."""
    jieba.setLogLevel(60)
    _teach_jieba()
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    nlp.tokenizer = JiebaTokenizer(nlp.vocab, segmenter="jieba")
    nlp.max_length = MAX_BYTES      # spaCy's 1,000,000 characters guard parsers; an article may be 20 MB
    for pipe in PIPES:
        nlp.add_pipe(pipe)
    return nlp


def release_dictionary() -> None:
    """Let go of jieba's dictionary (580,000 words, ~90 MB) and jieba-rs's in this process.

    After extraction a build never segments again, and every writer forked from it would
    carry the dictionary along; the next segmentation loads it again (1-2 s), as jieba
    loads it lazily anyway.
    """
    from .memory import trim_heap

    dt = jieba.dt
    dt.FREQ, dt.total, dt.initialized = {}, 0, False
    segment.release()
    trim_heap()


def release_pipeline() -> None:
    """Let go of the pipeline and all it loaded in a process that is done extracting:
    jieba's dictionaries (above), spaCy's pipeline with its vocabulary (every word it met)
    and the tagger's model (~110 MB).

    A large corpus's writers are forked from this process after extraction and would each
    carry them (after a 1 MB ``-j 1`` build the process holds 588 MB with them, 401 MB
    without); a later extraction in the process builds the pipeline again.
    """
    import gc

    from .tagger import default_tagger

    build_pipeline.cache_clear()
    default_tagger.cache_clear()
    gc.collect()                        # spaCy's objects hold one another
    release_dictionary()


def _teach_jieba() -> None:
    """Make jieba keep place names whole (桥头河镇, not 桥头 / 河镇).

    Adding 37,000 names one by one with ``jieba.add_word`` costs 1.5 s per run; a main
    dictionary of jieba's words plus the names is written once to the cache folder, and
    the prefix dictionary jieba makes of it is kept there too (see below).
    """
    path = _dictionary_file()
    dt = jieba.dt
    if dt.dictionary != str(path):
        dt.tmp_dir = str(path.parent)
        dt.set_dictionary(str(path))
    if not dt.initialized:
        # jieba reads its own cache of this with marshal.load from the open file, three
        # times slower than marshal.loads from its bytes (1.4 s against 0.4 s)
        minor = "".join(map(str, sys.version_info[:2]))
        dt.FREQ, dt.total = marshalled(f"{path.stem}-prefixes-py{minor}.marshal", lambda: _prefix_dict(dt))
        dt.initialized = True
        segment.loaded(dt.dictionary, dt.total)


def _prefix_dict(dt: jieba.Tokenizer) -> tuple[dict[str, int], int]:
    """jieba's word and prefix frequencies, and their total, as ``Tokenizer.initialize`` makes them."""
    with open(dt.dictionary, "rb") as fh:
        freq, total = dt.gen_pfdict(fh)
    return freq, total


def _dictionary_file() -> Path:
    """The dictionary's name carries what invalidates it: jieba's version and the names."""
    gz = load_gazetteer()
    names = sorted({n for level in ("prefecture", "county", "township") for n in gz.names(level)})
    key = "\n".join([jieba.__version__, *names]).encode("utf-8")
    path = cache_dir() / f"jieba-places-{hashlib.sha1(key).hexdigest()[:12]}.txt"
    if not path.exists():
        base = Path(jieba.__file__).with_name("dict.txt").read_bytes()
        lines = "".join(f"{n} 10000 ns\n" for n in names)
        write_atomic(path, base.rstrip(b"\n") + b"\n" + lines.encode("utf-8"))
    return path


class JiebaTokenizer(ChineseTokenizer):
    """spaCy's jieba tokenizer, made cheaper without changing a token.

    The words come from :func:`kg.segment.cut`, jieba's accurate mode in fewer Python
    steps (the same words as ``jieba.cut``).  ``spacy.util.get_words_and_spaces`` finds
    each word in ``text[pos:]``, copying the rest of the article once per word;
    :func:`words_and_spaces` does the same search in place.  Same words and spaces, so
    the same Doc.  The text is kept in ``doc.user_data`` for the components
    (``doc.text`` rebuilds it per access).
    """

    def __call__(self, text: str) -> Doc:
        if not jieba.dt.initialized:       # released since (see release_dictionary): read again
            _teach_jieba()
        words = [x for x in segment.cut(text) if x]
        words, spaces = words_and_spaces(words, text)
        doc = Doc(self.vocab, words=words, spaces=spaces)
        doc.user_data["pakg_text"] = text      # the tokens spell ``text`` exactly (see words_and_spaces)
        return doc


def words_and_spaces(words: list[str], text: str) -> tuple[list[str], list[bool]]:
    """``spacy.util.get_words_and_spaces`` with ``text.index(word, pos)`` for
    ``text[pos:].index(word)``: the tokens are slices of ``text`` laid end to end (a
    gap before a word is a token of its own, one space after a word is its trailing
    space), so together they spell ``text``.

    >>> words_and_spaces(["一", " ", "二", "\\n", "三"], "一 二\\n三")
    (['一', '二', '\\n', '三'], [True, False, False, False])
    """
    blank = [i for i, w in enumerate(words) if w.isspace()]
    white = len(text) - len("".join(text.split()))          # white-space characters of the text
    if "".join(words) == text and "" not in words and white == sum(len(words[i]) for i in blank):
        return _tokens_of_partition(words, blank)           # (the white space is in the blank words only)
    if "".join("".join(words).split()) != "".join(text.split()):
        raise ValueError(f"the words do not spell the text: {text[:80]!r}")
    out_words: list[str] = []
    out_spaces: list[bool] = []
    pos, n = 0, len(text)
    find = text.index
    for word in words:
        if word.isspace():
            continue
        start = find(word, pos)
        if start > pos:
            out_words.append(text[pos:start])
            out_spaces.append(False)
        out_words.append(word)
        pos = start + len(word)
        if pos < n and text[pos] == " ":
            out_spaces.append(True)
            pos += 1
        else:
            out_spaces.append(False)
    if pos < n:
        out_words.append(text[pos:])
        out_spaces.append(False)
    return out_words, out_spaces


def _tokens_of_partition(words: list[str], blank: list[int]) -> tuple[list[str], list[bool]]:
    """:func:`words_and_spaces` for words that are the text cut into pieces (as jieba
    cuts it), each all white space (those at ``blank``) or free of it: then the search finds a word
    right after the white space before it, and only the runs of white-space words need
    a look.  A run becomes one token, less the space that a word before it takes as its
    trailing space.

    >>> _tokens_of_partition(["\\n", "一", " ", " ", "二", " "], [0, 2, 3, 5])
    (['\\n', '一', ' ', '二'], [False, True, False, True])
    """
    if not blank:
        return list(words), [False] * len(words)
    runs: list[list[int]] = []             # [first, end) of each run of white-space words
    for i in blank:
        if runs and runs[-1][1] == i:
            runs[-1][1] = i + 1
        else:
            runs.append([i, i + 1])
    out_words: list[str] = []
    out_spaces: list[bool] = []
    done = 0
    for first, end in runs:
        out_words += words[done:first]
        out_spaces += [False] * (first - done)
        gap = "".join(words[first:end])
        if first and gap[0] == " ":        # the word before takes one space
            out_spaces[-1] = True
            gap = gap[1:]
        if gap:
            out_words.append(gap)
            out_spaces.append(False)
        done = end
    out_words += words[done:]
    out_spaces += [False] * (len(words) - done)
    return out_words, out_spaces
