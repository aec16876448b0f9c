"""IRIs and the canonical order of what resolution returns, however they are computed."""
import hashlib
import re
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st
from pypinyin import lazy_pinyin

from kg.gazetteer import load_gazetteer
from kg.iris import entity_iri, slug
from kg.records import Observation, Relation
from kg.resolve import OBSERVATION_ORDER, RELATION_ORDER


def _slug_by_definition(text: str, limit: int = 60) -> str:
    """slug straight from pypinyin.lazy_pinyin, as it was first written."""
    parts = []
    for piece in lazy_pinyin(text, errors=lambda s: [s]):
        parts += re.findall(r"[a-z0-9]+", piece.lower())
    out = "-".join(parts)
    if len(out) > limit or not out:
        out = f"{out[:limit].rstrip('-')}-{hashlib.sha1(text.encode('utf-8')).hexdigest()[:8]}".lstrip("-")
    return out


def test_slug_is_lazy_pinyin_of_the_name():
    # division names share their segments (村, 镇, 家), so the memo of segments is used
    # over and over; heteronyms (长, 重, 朝, 行) depend on the phrase they are read in
    names = sorted({d.name for d in load_gazetteer().divisions[::397]})
    texts = names + ["“3+1”模式", "ABC农业公司", "3号村", "", "  ", "Ⅲ期工程", "重庆", "重新", "长沙银行", "行长",
                     "朝阳区", "朝阳", "的的", "扶贫车间2.0", "αβ合作社"]
    assert len(texts) > 1500
    for text in texts:
        assert slug.__wrapped__(text) == _slug_by_definition(text), text


def test_entity_iri_is_a_function_of_its_arguments():
    a = entity_iri("Village", "胡家坪村", "431382")
    assert a == "https://w3id.org/pakg/id/village/hu-jia-ping-cun-431382"
    assert entity_iri("Village", "胡家坪村", "431382") is a and entity_iri("Village", "胡家坪村") != a


_text = st.sampled_from(["a", "b", "胡", "村", ""])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.builds(Relation, _text, st.sampled_from(["locatedIn", "servesIn"]), _text), max_size=30))
def test_relation_order_is_the_dataclass_order(relations):
    assert sorted(relations, key=RELATION_ORDER) == sorted(relations)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.builds(Observation, _text, _text, _text, st.just(2019),
                          st.sampled_from([Decimal(1), Decimal("1.0"), Decimal("2.5")]), _text, _text,
                          st.sampled_from([None]), _text), max_size=30))
def test_observation_order_is_the_dataclass_order(observations):
    assert sorted(observations, key=OBSERVATION_ORDER) == sorted(observations)
