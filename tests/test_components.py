"""Each extractor component on short sentences, the hard cases of the annotation guide first.

The names here are made up or taken from other counties than the seeds' on purpose: the
rules must work on any county's reporting, not on five articles.
"""
import pytest

from kg.nlp import build_pipeline


def found(text: str) -> set[tuple[str, str]]:
    """(type, name) of every entity the pipeline settles on."""
    doc = build_pipeline()(text)
    return {(m.type, m.name) for m in doc._.candidates}


def names(text: str, type_: str) -> set[str]:
    return {n for t, n in found(text) if t == type_}


# -- places -------------------------------------------------------------------------------

def test_prefix_chain_gives_every_unit():
    got = found("在涟源市桥头河镇湘浙茶叶种植专业合作社,茶农正在采茶。")
    assert {("County", "涟源市"), ("Township", "桥头河镇"), ("Cooperative", "湘浙茶叶种植专业合作社")} <= got


def test_chain_down_to_a_village_missing_from_the_gazetteer():
    got = found("记者来到正安县瑞溪镇鑫垭垴村,村民正在修路。")
    assert ("County", "正安县") in got and ("Township", "瑞溪镇") in got
    assert ("Village", "鑫垭垴村") in got


@pytest.mark.parametrize("text, prefecture, county", [
    ("衡阳市耒阳市大力推进产业扶贫。", "衡阳市", "耒阳市"),
    ("遵义市赤水市率先脱贫摘帽。", "遵义市", "赤水市"),
])
def test_city_level_comes_from_the_gazetteer(text, prefecture, county):
    got = found(text)
    assert ("Prefecture", prefecture) in got and ("County", county) in got
    assert ("County", prefecture) not in got


def test_county_absent_from_the_gazetteer_found_from_the_subtitle():
    text = "山乡巨变\n——涪口区决战决胜脱贫攻坚纪实\n近年来,涪口区坚持精准扶贫。"
    assert ("County", "涪口区") in found(text)


def test_township_short_form_of_the_subject_county():
    text = "——隆回县脱贫攻坚纪实\n形成了小沙江金银花、山界甘蔗等特色产品。"
    assert {"小沙江", "山界"} <= names(text, "Township")     # 山界回族乡 without 回族乡


def test_village_without_suffix_in_a_list_of_villages():
    got = names("以白水洞村、草原村、崇木幽、向家村等示范村为重点。", "Village")
    assert {"白水洞村", "草原村", "崇木幽", "向家村"} <= got


@pytest.mark.parametrize("text, village", [
    ("习近平总书记在十八洞村首次提出精准扶贫。", "十八洞村"),     # 十八 is a numeral word
    ("记者走进团结村,村民正在采茶。", "团结村"),                 # a village named like a verb
    ("——正安县脱贫攻坚纪实\n如今的迎接村,产业发展起来了。", "迎接村"),   # local to the county
])
def test_gazetteer_villages_with_evidence(text, village):
    assert village in names(text, "Village")


@pytest.mark.parametrize("text", [
    "全县贫困村全部出列,各乡镇成立了扶贫工作站。",
    "该区建制村实现村村通客车。",
    "吴子彪思考再三,决定回村种田。",
    "消除贫困村卫生室“空白村”59个。",
    "组织县乡公职人员与贫困户结对。",
])
def test_generic_words_and_clauses_are_no_places(text):
    assert not names(text, "Village") and not names(text, "Township")


def test_province_short_form_inside_a_newspaper_name_is_no_mention():
    text = "——涟源市决战决胜脱贫攻坚纪实\n湖南日报·新湖南客户端记者 王明"
    assert not names(text, "Province")


# -- people -------------------------------------------------------------------------------

def test_cadre_with_title_before_and_after():
    got = found("县委书记赵立新多次深入一线。驻村第一书记钱海涛带领群众修路。")
    assert {("Cadre", "赵立新"), ("Cadre", "钱海涛")} <= got


def test_byline_names_are_no_people():
    got = found("本报记者 孙丽娟 通讯员 周建国\n村民在采茶。 郑晓峰 摄")
    assert not {n for t, n in got if t in ("Cadre", "Resident")}


def test_resident_cues_and_references():
    got = found("脱贫村民黄秀英说:“日子越过越好。”黄秀英今年58岁。")
    assert ("Resident", "黄秀英") in got


def test_villager_after_village_de():
    got = found("清晨,塘坊镇长岭村的冯德旺就起床喂猪。冯德旺介绍,去年养了20头猪。")
    assert ("Resident", "冯德旺") in got


def test_nickname_of_a_pupil():
    got = found("小雯的母亲患病,将小雯锁在家中。学校得知后,小雯重返校园。")
    assert ("Resident", "小雯") in got


def test_idiom_is_no_name():
    assert not names("确保群众安居乐业。", "Resident")


# -- organisations ------------------------------------------------------------------------

def test_company_with_a_province_prefix_keeps_it():
    got = found("贵州黔韵生态旅游公司计划投资5亿元。")
    assert ("Enterprise", "贵州黔韵生态旅游公司") in got
    assert not names("贵州黔韵生态旅游公司计划投资5亿元。", "Province")


def test_trade_name_without_company_head():
    assert ("Enterprise", "鑫宏智能科技") in found("在扶贫车间里,鑫宏智能科技车间负责人介绍生产情况。")


@pytest.mark.parametrize("text", [
    "建成日供水1000吨以上规模水厂8处。",
    "累计建成乡镇污水处理厂8个。",
    "培育龙头企业12家,建设扶贫车间30个。",
])
def test_descriptions_are_no_enterprises(text):
    assert not names(text, "Enterprise")


def test_bodies_in_a_list_are_qualified_with_the_subject_county():
    text = "——惠水县脱贫攻坚纪实\n县教育局、扶贫办、卫健局、妇联等多次召开现场会。"
    got = names(text, "GovernmentBody")
    assert {"惠水县教育局", "惠水县扶贫办", "惠水县卫健局", "惠水县妇联"} <= got


def test_short_forms_of_party_committee_and_government():
    text = "——赤水市脱贫攻坚纪实\n他向赤水市委、市政府申请资金。"
    assert {"中共赤水市委", "赤水市人民政府"} <= names(text, "GovernmentBody")


def test_national_bodies_stand_alone():
    got = names("该做法入选国务院扶贫典型案例,写入国务院扶贫办报告。", "GovernmentBody")
    assert {"国务院", "国务院扶贫办"} <= got


def test_photo_credit_is_no_body():
    assert not names("图/赤水市委宣传部提供", "GovernmentBody")


# -- programs -----------------------------------------------------------------------------

def test_quoted_programs_by_head_verb_and_number():
    got = names("全面开展“春风行动”,推行“先诊疗后付费”,落实“四跟四走”,“百企帮百村”活动成效明显。",
                "Program")
    assert {"春风行动", "先诊疗后付费", "四跟四走", "百企帮百村"} <= got


@pytest.mark.parametrize("text", [
    "村民常说“要想富先修路”。",
    "在脱贫路上“不落一人”。",
    "该县按照“缺什么,补什么”的原则精准施策。",
    "实现“荒山变银行、农户变股民”。",
    "充分发挥“两代表一委员”的作用。",
    "全面落实“两网”保障。",
])
def test_slogans_and_groups_are_no_programs(text):
    assert not names(text, "Program")


def test_parallel_campaign_name():
    assert "大走访、大排查、大整改" in names("通过“大走访、大排查、大整改”,确保不漏一户。", "Program")


def test_policy_document_title():
    assert "关于进一步加强产业扶贫工作的实施意见" in names(
        "出台《关于进一步加强产业扶贫工作的实施意见》。", "Program")


def test_program_kind_gets_its_canonical_name():
    assert {"易地扶贫搬迁", "危房改造"} <= names("全县完成易地搬迁1200户,实施农村危房改造800户。", "Program")


def test_three_character_names_keep_their_last_character():
    assert "陈志强" in names("驻村第一书记陈志强在村里待了三年。", "Cadre")


def test_village_before_a_post_title():
    got = found("王家寨村支书杨德福带领村民发展茶产业。")
    assert ("Village", "王家寨村") in got and ("Cadre", "杨德福") in got
    assert ("Cadre", "王家寨") not in got


def test_all_titles_of_a_cadre():
    doc = build_pipeline()("县委常委、副县长张伟带队调研。")
    assert set(doc.user_data["pakg_titles"]["张伟"]) == {"县委常委", "副县长"}


def test_autonomous_prefecture_by_short_name():
    assert ("Prefecture", "黔西南布依族苗族自治州") in found("据悉,黔西南州共有贫困人口25万人。")


def test_quoted_name_with_its_own_head():
    assert "晴隆模式" in names("晴隆县“晴隆模式”被推广到全省。", "Program")


# -- cases found on articles from other provinces ------------------------------------------

def test_county_renamed_after_the_gazetteer_was_made():
    """湟中县 became 湟中区 in 2019; the table still says 县.  The text's name is kept."""
    got = found("走进湟中区拦隆口镇,一排排民宿依山而建。")
    assert ("County", "湟中区") in got and ("Township", "拦隆口镇") in got


def test_subtitle_naming_city_and_county_gives_the_county():
    from kg.components.subject import SubjectFinder
    assert SubjectFinder().find("标题\n——西宁市湟中区脱贫攻坚工作纪实\n正文。") == "湟中区"
    assert SubjectFinder().find("黑龙江桦南县:小木耳撑起大产业\n桦南县坚持产业扶贫。") == "桦南县"


@pytest.mark.parametrize("text, body", [
    ("青海省农业农村厅派驻卡阳村第一书记到任。", "青海省农业农村厅"),
    ("湟中区扶贫开发局局长说,全区贫困村全部退出。", "湟中区扶贫开发局"),
    ("由县脱贫攻坚领导小组统一调度。", "县脱贫攻坚领导小组"),
])
def test_departments_outside_the_organ_lexicon(text, body):
    assert body in names(text, "GovernmentBody")


def test_words_of_the_sentence_are_no_trade_name():
    assert not names("如今他在合作社当保安,每月收入2800元。", "Cooperative")


def test_registered_province_prefix_after_a_verb():
    got = names("我们村引进了黑龙江森宝食用菌有限公司,建起了木耳大棚。", "Enterprise")
    assert got == {"黑龙江森宝食用菌有限公司"}


def test_villager_after_a_blank_line_still_lives_in_the_village_of_the_story(tmp_path):
    from kg.extract import extract
    from kg.ingest import read_article
    (tmp_path / "a.txt").write_text("标题\n\n记者走进桦南县闫家镇东胜村,村里正在修路。\n \n"
                                    "村民张玉芬今年63岁。\n", encoding="utf-8")
    ex = extract(read_article(tmp_path / "a.txt", tmp_path), build_pipeline())
    assert ("张玉芬", "residentOf", "东胜村") in {(r.subject, r.predicate, r.object) for r in ex.relations}


@pytest.mark.parametrize("text, name", [
    ("昭觉县委副书记、县长哈布约布介绍,全县建成安置点27个。", "哈布约布"),
    ("驻村第一书记帕查有格带领村民种植马铃薯。", "帕查有格"),
    ("村党支部书记买买提·艾力说,村里建起了扶贫车间。", "买买提·艾力"),
])
def test_transliterated_minority_names_after_a_title(text, name):
    assert names(text, "Cadre") == {name}


def test_phrases_after_a_title_are_no_names():
    assert not names("县委书记亲自带领干部深入一线。", "Cadre")


def test_residential_communities_are_villages():
    got = found("黔西县锦绣街道新仁社区居民王小明在扶贫车间上班。")
    assert ("Village", "新仁社区") in got and ("Resident", "王小明") in got
    assert not names("各社区要做好安置工作。", "Village")


@pytest.mark.parametrize("text", ["村民开办了“春风十里”农家乐,年收入20多万元。",
                                  "大家“一心一意”谋发展。"])
def test_shop_names_and_idioms_are_no_programs(text):
    assert not names(text, "Program")


def test_autonomous_county_with_a_long_name_is_the_subject():
    from kg.components.subject import SubjectFinder
    text = "广西都安:石山深处奔小康\n都安瑶族自治县是主战场。深圳市龙华区与都安结对。都安瑶族自治县脱贫摘帽。"
    assert SubjectFinder().find(text) == "都安瑶族自治县"


def test_village_cadre_serves_in_the_village_named_earlier_in_the_sentence(tmp_path):
    from kg.extract import extract
    from kg.ingest import read_article
    (tmp_path / "a.txt").write_text("标题\n\n在澄江镇红渡村,村党支部书记、村委会主任韦国强带领群众种植火龙果。\n",
                                    encoding="utf-8")
    ex = extract(read_article(tmp_path / "a.txt", tmp_path), build_pipeline())
    assert ("韦国强", "servesIn", "红渡村") in {(r.subject, r.predicate, r.object) for r in ex.relations}


def test_anonymised_company_is_no_name():
    assert not names("深圳某科技公司在安置点开办扶贫车间。", "Enterprise")


def test_a_title_covers_the_names_listed_after_it():
    assert names("驻村工作队队员马国栋、王丽娟挨家挨户走访。", "Cadre") == {"马国栋", "王丽娟"}


def test_federation_of_cooperatives():
    assert "农民专业合作社联合社" in names("中庄村农民专业合作社联合社成立后,贫困户以土地入股。", "Cooperative")


def test_post_title_keeps_its_department():
    doc = build_pipeline()("都安瑶族自治县扶贫开发办公室主任覃志刚说,全县实施了产业扶贫。")
    assert doc.user_data["pakg_titles"]["覃志刚"] == ["扶贫开发办公室主任"]


def test_tibetan_name_containing_a_place_name():
    assert names("拉孜县驻村工作队队长扎西平措来自日喀则市林业和草原局。", "Cadre") == {"扎西平措"}


@pytest.mark.parametrize("text, body", [
    ("他来自日喀则市林业和草原局。", "日喀则市林业和草原局"),
    ("柞水县扶贫开发领导小组办公室相关负责人表示。", "柞水县扶贫开发领导小组办公室"),
])
def test_department_names_with_and_and_with_an_office(text, body):
    assert body in names(text, "GovernmentBody")


def test_post_of_a_county_department_named_by_unit_word():
    """The guide's settled convention: as written, proper names dropped, a bare level
    marker (县) kept."""
    doc = build_pipeline()("培训电商人才2100人次。县商务局局长周晓峰说,销售额达1.5亿元。")
    assert doc.user_data["pakg_titles"]["周晓峰"] == ["县商务局局长"]
    doc = build_pipeline()("培训电商人才2100人次。醴陵市商务局局长周晓峰说,销售额达1.5亿元。")
    assert doc.user_data["pakg_titles"]["周晓峰"] == ["商务局局长"]


def test_titles_as_written_drop_names_and_keep_level_markers():
    doc = build_pipeline()("河源村党支部书记王建新说。县农业农村局驻村工作队队长李光明、第一书记张红也在。"
                           "东山县委常委、组织部部长陈立国介绍。")
    titles = doc.user_data["pakg_titles"]
    assert titles["王建新"] == ["党支部书记"]
    assert titles["李光明"] == ["驻村工作队队长"]
    assert titles["陈立国"] == ["县委常委", "组织部部长"]


def test_title_words_are_no_names_and_unit_names_are_no_people():
    doc = build_pipeline()("县委常委、常务副县长李明亮说,县农业农村局副局长汪海燕也来了。")
    assert {m.name for m in doc._.candidates if m.type == "Cadre"} == {"李明亮", "汪海燕"}
    assert doc.user_data["pakg_titles"]["李明亮"] == ["县委常委", "常务副县长"]


def test_cadre_named_after_title_and_home_unit():
    assert names("长胜街村第一书记、县纪委干部程晓明告诉记者。", "Cadre") == {"程晓明"}


def test_local_township_before_a_village_starting_with_a_title_character(tmp_path):
    from kg.extract import extract
    from kg.ingest import read_article
    (tmp_path / "a.txt").write_text("红安县:老区换新颜\n\n红安县七里坪镇长胜街村是红军故里。\n", encoding="utf-8")
    ex = extract(read_article(tmp_path / "a.txt", tmp_path), build_pipeline())
    assert {("Township", "七里坪镇"), ("Village", "长胜街村")} <= {(m.type, m.name) for m in ex.mentions}


def test_banks_are_enterprises_but_a_quoted_bank_of_points_is_not():
    assert "中国农业银行" in names("红安县与中国农业银行签订协议。", "Enterprise")
    assert not names("推行“积分银行”制度。", "Enterprise")


def test_first_person_campaign_name_with_a_head():
    assert names("组织开展“我为扶贫做件事”活动。", "Program") == {"我为扶贫做件事"}
    assert not names("他说:“我们村变了样”。", "Program")


def test_villages_of_an_unlisted_county_keep_the_text_county(tmp_path):
    """涪口区 is not in the gazetteer; its 淦田镇 毛坪村 must not also land in the gazetteer's 渌口区."""
    from kg.cli import main
    from rdflib import Graph
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("标题\n——涪口区脱贫攻坚纪实\n\n涪口区淦田镇毛坪村的张良主是贫困户。\n",
                                           encoding="utf-8")
    assert main(["build", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "-q", "--no-cache"]) == 0
    labels = {str(o) for o in Graph().parse(tmp_path / "out" / "kg.ttl").objects()}
    assert "涪口区" in labels and "渌口区" not in labels


def test_stationed_cadre_serves_in_the_village_of_the_story(tmp_path):
    from kg.extract import extract
    from kg.ingest import read_article
    (tmp_path / "a.txt").write_text("标题\n\n东坝头乡张庄村是焦裕禄当年查风口的地方。驻村工作队员马建设说,村里发展起了民宿。\n",
                                    encoding="utf-8")
    ex = extract(read_article(tmp_path / "a.txt", tmp_path), build_pipeline())
    assert ("马建设", "servesIn", "张庄村") in {(r.subject, r.predicate, r.object) for r in ex.relations}


def test_program_head_after_a_few_more_words():
    assert names("探索出“三位一体”普惠金融模式。", "Program") == {"三位一体"}


def test_a_village_found_once_is_found_again_without_its_chain():
    doc = build_pipeline()("昭觉县城北乡沐恩邸社区建成了。2020年5月,一家人搬进了沐恩邸社区。")
    assert sum(1 for m in doc._.candidates if m.name == "沐恩邸社区") == 2


def test_provinces_and_prefectures_named_alone_but_not_in_datelines_or_names():
    text = ("新华社成都5月17日电\n村里的年轻人有的去了广东、浙江打工，有的到贵阳读书。"
            "国电电力甘肃公司派来了工作队。")
    got = found(text)
    assert ("Province", "广东省") in got and ("Province", "浙江省") in got and ("Prefecture", "贵阳市") in got
    assert ("Prefecture", "成都市") not in got            # where the report was filed
    assert ("Province", "甘肃省") not in got              # inside a company's name
