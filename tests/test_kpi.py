"""Numeric targets read from plan sentences (importers.kpi).

The sentence cases are every numeric phrase of the 2020 scene plan (000_*.txt,
intros and milestones) plus the 十四五 plan's goal sentences; the expected
targets were written by hand from the document.
"""
from __future__ import annotations

from datetime import date

import pytest

from importers import SOURCES_DIR, read_document, scene_plan
from importers.dates import MONTH, Due
from importers.kpi import extract_targets, name_similarity, parse_quantity, scene_kpis
from importers.parsed import ParsedItem, ParsedMilestone, ParsedPlan, SourceRef
from importers.text import normalize


def brief(sentence: str) -> list[tuple]:
    """(name, comparator, value, value_max, unit, target_text) of each target."""
    return [(t.name, t.comparator, t.value, t.value_max, t.unit, t.target_text)
            for t in extract_targets(sentence)]


@pytest.mark.parametrize("sentence, expected", [
    # 000 杭州-1: intro and milestone 5
    ("进一步整合家政行业资源数据,依托杭州家政信用平台和“钱江分”,推出1-2个“信用+家政服务”应用场景。",
     [("“信用+家政服务”应用场景", ">=", 1, 2, "个", "1-2个")]),
    ("正式上线,并与政企合作再推出1款个性化“信用+家政”产品。",
     [("个性化“信用+家政”产品", "=", 1, None, "款", "1款")]),
    # 杭州-1 萧山 county variant: intro and milestone 2
    ("萧山区推动信息港小镇结合钱江分,优化创新券、会议租赁、商配消费等应用场景,计划新增1-2个场景应用,对于实际入住企业推出一系列奖励优惠活动。",
     [("场景应用", ">=", 1, 2, "个", "1-2个")]),
    ("2020年9月底前,新增1-2个场景应用;", [("场景应用", ">=", 1, 2, "个", "1-2个")]),
    # 杭州-2: "目前共有2类信用产品" is the present, the 1-2款 the goal
    ("杭州e融平台于2019年10月上线推广,目前共有2类信用产品;下一步将持续优化杭州e融平台功能,"
     "并在余杭区相关园区推广平台运用,与相关银行合作推出1-2款信用产品。",
     [("信用产品", ">=", 1, 2, "款", "1-2款")]),
    ("与相关银行合作推出1-2款信用产品,提供更精准信贷服务。", [("信用产品", ">=", 1, 2, "款", "1-2款")]),
    # 宁波-1 (spaces between number and unit), 宁波-3 慈溪
    ("依托宁波个人信用分“天一”研究开发“信易行”守信激励应用, 持续优化操作细则和流程, 推出 1-2 个信易行应用场景。",
     [("信易行应用场景", ">=", 1, 2, "个", "1-2个")]),
    ("2020 年 12 月底前, 完成本轮优化提升工作, 推出 1-2 个信用产品。",
     [("信用产品", ">=", 1, 2, "个", "1-2个")]),
    # 温州-1 场景二: a target growing over milestones
    ("（2）2020年6月底前，增加信用旅游景点达到10个以上；", [("信用旅游景点", ">=", 10, None, "个", "10个以上")]),
    ("增加信用旅游景点达到15个以上，进一步完善优惠政策。", [("信用旅游景点", ">=", 15, None, "个", "15个以上")]),
    # 温州-3
    ("“农民资产受托代管融资”模式向小微企业拓展，争取小微企业新增信用贷款3亿元。",
     [("小微企业新增信用贷款", "=", 3, None, "亿元", "3亿元")]),
    # 嘉兴-1 场景一 / 场景二 (the age is no target)
    ("完成户籍18岁以上个人信用试评价，确定3家银行应用方案；", [("银行应用方案", "=", 3, None, "家", "3家")]),
    ("完成与嘉兴银行、邮储银行、禾城农商行3家银行应用场景联调测试；",
     [("银行应用场景联调测试", ">=", 3, None, "家", "3家")]),
    ("上线试运行，并且合作单位不少于6家。", [("合作单位", ">=", 6, None, "家", "不少于6家")]),
    # 金华-3
    ("探索开展“信义金”至少进1个社区试点。", [("社区试点", ">=", 1, None, "个", "至少进1个")]),
    # 衢州-2 龙游: intro and milestone 4
    ("进一步完善评价体系，优化差异化的监管措施，并将现有溪口镇模式向 3-5 个乡镇推广，继续提升基层治理能力。",
     [("乡镇", ">=", 3, 5, "个", "3-5个")]),
    ("完善守信激励和失信惩戒措施，并向 3-5 个乡镇推广；", [("乡镇", ">=", 3, 5, "个", "3-5个")]),
    # 舟山-1 (the age in milestone 2 is no target)
    ("完成与 5 个以上首批激励场景单位合作，并联动测试；", [("激励场景单位", ">=", 5, None, "个", "5个以上")]),
    ("累计完成与 8 个以上激励场景单位合作，并联动测试。", [("激励场景单位", ">=", 8, None, "个", "8个以上")]),
    # 舟山-2
    ("完成优化油气企业信用评价模型，完成浙江自贸试验区 5000 家以上油气企业信用评价和排名；",
     [("油气企业信用评价和排名", ">=", 5000, None, "家", "5000家以上")]),
    # 舟山-3 milestones 3 and 4
    ("完成 4 场辖区内园区地推活动和 2 场银企对接会；",
     [("辖区内园区地推活动", ">=", 4, None, "场", "4场"), ("银企对接会", ">=", 2, None, "场", "2场")]),
    ("完成 2000 家企业的注册和实名认证，完成授信企业数超过 1600 家。",
     [("企业注册和实名认证", ">=", 2000, None, "家", "2000家"),
      ("授信企业数", ">", 1600, None, "家", "超过1600家")]),
    # 台州-1: intro, milestone 3, milestone 4 (the cumulative 全覆盖 figure only)
    ("重点推进个人信用评价结果在“先诊疗后付费”场景中的应用，实现市级8家医疗机构全覆盖，持续优化使用体验。",
     [("市级医疗机构", "=", 8, None, "家", "8家")]),
    ("完成4家市级医疗机构接入个人“信用分”；", [("市级医疗机构", ">=", 4, None, "家", "4家")]),
    ("完成4家市级医疗机构接入个人“信用分”，实现市级8家医疗机构全覆盖，持续优化使用体验。",
     [("市级医疗机构", "=", 8, None, "家", "8家")]),
    # 台州-2
    ("完成银企融资对接系统全流程应用浙江省公共信用评价，提升银企对接效率50%以上。",
     [("银企对接效率", ">=", 50, None, "%", "50%以上")]),
    # full-width digits and signs
    ("推出１－２个信用产品，提升银企对接效率５０％以上",
     [("信用产品", ">=", 1, 2, "个", "1-2个"), ("银企对接效率", ">=", 50, None, "%", "50%以上")]),
    ("完成授信企业数超过1,600家", [("授信企业数", ">", 1600, None, "家", "超过1600家")]),
])
def test_targets_of_plan_sentences(sentence, expected):
    assert brief(sentence) == expected


@pytest.mark.parametrize("sentence", [
    "完成户籍18岁以上个人信用试评价，确定酒店住宿领域应用方案；",  # age
    "完成户籍 18 周岁以上个人信用试评价，并正式发布上线“自在分”模型；",  # age
    "若顾客申请赔付且符合赔付资格的，相应商家应在3天内缴付赔付款至诚信基金专户。",  # duration
    "实施提前2个月到延迟2个月不等的奖惩措施，引导公立医疗机构重视医保信用。",  # duration
    "全面推动行政许可、行政处罚等行政行为信息7个工作日内上网公开。",  # duration
    "2020年底完成“医信付”平台与“信安分”评分系统对接，“信安分”达到一定分值的市民可享受免押住院"
    "及住院总费用5万元以内的先出院一周后付费等优惠。",  # a benefit's condition
    "完成 E 周融金融综合服务平台 2.0 改造方案；",  # a version
    "(1) 2020 年 6 月底前, 完成现有慈溪市企业信用信息云服务平台升级改造任务;",  # dates
    "结合3月推出的应用情况,完善家政服务员跟踪评价和信用记录体系;",  # a month
    "慈溪市企业信用信息云服务平台目前归集整合市场监管、税务、公安、法院等 28 个部门和单位的涉企数据,"
    " 致力于为金融机构和政府部门提供信用信息查询服务。",  # the present
    "杭州e融平台于2019年10月上线推广,目前共有2类信用产品",  # the present
    "构建“信用+绿色出行”交通应用场景，使绿谷分A、AA、AAA级的市民享受新能源汽车租赁不同等级优惠。",  # ratings
    "新增二维码智能扫描提取企业是否诚信经营、商品质量等信息，实行一铺一码；",
])
def test_not_targets(sentence):
    assert extract_targets(sentence) == []


def test_baseline_stated_in_the_same_sentence():
    """舟山-3's intro: each 2019 figure goes to the target it measures."""
    sentence = ("持续优化 E 周融金融综合服务平台功能，完善数据共享机制，组织园区推广普及，"
                "完成 2000 家企业的注册和实名认证，完成授信企业数超过 1600 家"
                "（2019 年已注册企业 527 家，授信企业 383 家）。")
    registered, credited = extract_targets(sentence)
    assert (registered.name, registered.comparator, registered.value) == ("企业注册和实名认证", ">=", 2000)
    assert (registered.baseline, registered.baseline_year, registered.baseline_text) == (527, 2019, "527家")
    assert (credited.name, credited.comparator, credited.value) == ("授信企业数", ">", 1600)
    assert (credited.baseline, credited.baseline_year) == (383, 2019)
    assert registered.phrase == "完成2000家企业的注册和实名认证"
    assert credited.phrase.startswith("完成授信企业数超过1600家（2019年")


@pytest.mark.parametrize("sentence, expected", [
    ("到2025年底，提升公共信用信息数据归集合规率到95%，行政许可、行政处罚数据合规率分别达99%和98%，"
     "纳入公共信用评价守信和不良信息数据量“翻一番”，公共信用评价覆盖个体工商户、乡镇（街道）政府。",
     [("公共信用信息数据归集合规率", ">=", 95, None, "%", "到95%"),
      ("行政许可数据合规率", ">=", 99, None, "%", "达99%"),
      ("行政处罚数据合规率", ">=", 98, None, "%", "98%"),
      ("纳入公共信用评价守信和不良信息数据量", ">=", None, None, None, "翻一番")]),
    ("到2025年底，政府部门公共信用信息年查询调用量达到1000万人次以上。",
     [("政府部门公共信用信息年查询调用量", ">=", 1000, None, "万人次", "1000万人次以上")]),
    ("到2025年底，重点领域信用监管机制覆盖数量“翻一番”，“双随机、一公开”抽查信用关联度达到80%以上。",
     [("重点领域信用监管机制覆盖数量", ">=", None, None, None, "翻一番"),
      ("“双随机、一公开”抽查信用关联度", ">=", 80, None, "%", "80%以上")]),
    ("到2025年底，全省信用服务业营业收入规模突破130亿元，全省小微企业信用贷款达到1.5万亿元，"
     "企业严重失信率控制在1.5%以内，无不良信息企业占比提升至92%。",
     [("全省信用服务业营业收入规模", ">", 130, None, "亿元", "突破130亿元"),
      ("全省小微企业信用贷款", ">=", 1.5, None, "万亿元", "达到1.5万亿元"),
      ("企业严重失信率", "<=", 1.5, None, "%", "1.5%以内"),
      ("无不良信息企业占比", ">=", 92, None, "%", "提升至92%")]),
    ("“十四五”时期，争取每个地市至少成立1个信用惠民联盟，全省信用惠民联盟数量不低于11个。",
     [("信用惠民联盟", ">=", 1, None, "个", "至少成立1个"),
      ("全省信用惠民联盟数量", ">=", 11, None, "个", "不低于11个")]),
    # an elliptical clause shares the name's rest and the verb of the one before
    ("到2025年底，争取完成国家试点示范创建3个，省级创建20个。",
     [("国家试点示范创建", ">=", 3, None, "个", "3个"),
      ("省级试点示范创建", ">=", 20, None, "个", "20个")]),
])
def test_targets_of_the_five_year_plan(sentence, expected):
    assert brief(sentence) == expected


def test_lower_is_better_when_capped():
    (t,) = extract_targets("企业严重失信率控制在1.5%以内")
    assert (t.comparator, t.direction) == ("<=", "lower")


@pytest.mark.parametrize("cell, expected", [
    ("93%", (93, None, "%", None)),
    ("8000万条", (8000, None, "万条", None)),
    ("98亿", (98, None, "亿元", None)),
    (">130亿", (130, None, "亿元", ">")),
    ("1-2 个", (1, 2, "个", ">=")),
    ("翻一番", None),
    ("覆盖五类主体（不含个体工商户、乡镇街道）", None),
])
def test_parse_quantity(cell, expected):
    q = parse_quantity(cell)
    assert (q and (q.value, q.value_max, q.unit, q.comparator)) == expected


def test_name_similarity():
    assert name_similarity("授信企业", "授信企业数") == 1
    assert name_similarity("注册企业", "企业注册和实名认证") > name_similarity("注册企业", "授信企业数")
    assert name_similarity("", "授信企业数") == 0


# --- scene_kpis on a hand-built plan -------------------------------------------

FILE = "000_test.txt"


def due(day: date, text: str) -> Due:
    return Due(text, day, MONTH)


def ms(seq: int, text: str, day: date, line: int) -> ParsedMilestone:
    return ParsedMilestone(seq, text, due(day, f"{day.year}年{day.month}月底前"),
                           SourceRef(FILE, line, f"({seq}) {text}"))


def small_plan() -> ParsedPlan:
    zhoushan = ParsedItem(
        key="舟山-3", kind="scene", number="3", name="信用+金融服务", city="舟山",
        source=SourceRef(FILE, 61, "3.信用+金融服务"), deadline=due(date(2020, 12, 31), "2020.12"),
        description="组织园区推广普及，完成 2000 家企业的注册和实名认证，完成授信企业数超过 1600 家"
                    "（2019 年已注册企业 527 家，授信企业 383 家）。",
        milestones=[
            ms(1, "完成 E 周融金融综合服务平台 2.0 改造方案", date(2020, 4, 30), 61),
            ms(3, "完成 4 场辖区内园区地推活动和 2 场银企对接会", date(2020, 10, 31), 61),
            ms(4, "完成 2000 家企业的注册和实名认证，完成授信企业数超过 1600 家", date(2020, 12, 31), 61),
        ],
    )
    taizhou = ParsedItem(
        key="台州-1", kind="scene", number="1", name="城市信用分应用", city="台州",
        source=SourceRef(FILE, 65, "1.城市信用分应用"), deadline=due(date(2020, 12, 31), "2020.12"),
        description="重点推进个人信用评价结果在“先诊疗后付费”场景中的应用，实现市级8家医疗机构全覆盖，持续优化使用体验。",
        milestones=[
            ms(3, "完成4家市级医疗机构接入个人“信用分”", date(2020, 9, 30), 65),
            ms(4, "完成4家市级医疗机构接入个人“信用分”，实现市级8家医疗机构全覆盖，持续优化使用体验",
               date(2020, 12, 31), 65),
        ],
    )
    wenzhou = ParsedItem(  # the targets sit in a sub-scene without city or deadline of its own
        key="温州-1", kind="scene", number="1", name="瓯江分应用", city="温州",
        source=SourceRef(FILE, 33, "1.瓯江分应用"), deadline=due(date(2020, 12, 31), "2020.12"),
        children=[ParsedItem(
            key="温州-1-场景二", kind="sub_scene", number="二", name="场景二",
            source=SourceRef(FILE, 35, "场景二：1.场景介绍：拓展信用旅游实施景区"),
            description="拓展信用旅游实施景区，新增信用合作景区2个。",
            milestones=[
                ms(2, "增加信用旅游景点达到10个以上", date(2020, 6, 30), 35),
                ms(3, "增加信用旅游景点达到15个以上，进一步完善优惠政策", date(2020, 12, 31), 35),
            ],
        )],
    )
    return ParsedPlan(doc_no="浙信用办〔2020〕5号", title="2020年市县信用应用重点场景工作推进计划",
                      issuer="浙江省信用浙江建设工作联席会议办公室", issue_date=date(2020, 4, 16),
                      plan_year=2020, kind="scene_plan", source_file=FILE,
                      items=[zhoushan, taizhou, wenzhou])


def test_scene_kpis_of_a_small_plan():
    kpis = scene_kpis(small_plan())
    got = [(k.key, k.scope, k.city, k.item_key, k.milestone_seq, k.due.due, k.target.name,
            k.target.comparator, k.target.value, k.target.baseline, k.target.baseline_year)
           for k in kpis]
    assert got == [
        ("舟山-3#3:0", "item", "舟山", "舟山-3", 3, date(2020, 10, 31), "辖区内园区地推活动", ">=", 4, None, None),
        ("舟山-3#3:1", "item", "舟山", "舟山-3", 3, date(2020, 10, 31), "银企对接会", ">=", 2, None, None),
        # restated in the intro: the milestone's due, the intro's baseline
        ("舟山-3#4:0", "item", "舟山", "舟山-3", 4, date(2020, 12, 31), "企业注册和实名认证", ">=", 2000, 527, 2019),
        ("舟山-3#4:1", "item", "舟山", "舟山-3", 4, date(2020, 12, 31), "授信企业数", ">", 1600, 383, 2019),
        # growing target: 4 by September, all 8 by December (not a second 4)
        ("台州-1#3:0", "item", "台州", "台州-1", 3, date(2020, 9, 30), "市级医疗机构", ">=", 4, None, None),
        ("台州-1#4:0", "item", "台州", "台州-1", 4, date(2020, 12, 31), "市级医疗机构", "=", 8, None, None),
        ("温州-1-场景二#2:0", "item", "温州", "温州-1-场景二", 2, date(2020, 6, 30), "信用旅游景点", ">=", 10, None, None),
        ("温州-1-场景二#3:0", "item", "温州", "温州-1-场景二", 3, date(2020, 12, 31), "信用旅游景点", ">=", 15, None, None),
        # stated only in the intro: the (parent scene's) deadline applies
        ("温州-1-场景二#intro:0", "item", "温州", "温州-1-场景二", None, date(2020, 12, 31), "信用合作景区", "=", 2,
         None, None),
    ]


def test_scene_kpis_keep_their_source():
    kpis = {k.key: k for k in scene_kpis(small_plan())}
    from_milestone, from_intro = kpis["台州-1#4:0"], kpis["温州-1-场景二#intro:0"]
    assert from_milestone.source == SourceRef(
        FILE, 65, "(4) 完成4家市级医疗机构接入个人“信用分”，实现市级8家医疗机构全覆盖，持续优化使用体验")
    assert from_milestone.target.phrase == "实现市级8家医疗机构全覆盖"
    assert from_intro.source == SourceRef(FILE, 35, "拓展信用旅游实施景区，新增信用合作景区2个。")
    assert from_intro.due.text == "2020.12"


# --- scene_kpis on the real plan -----------------------------------------------

# (item, milestone, due, name, comparator, value, value_max, unit, baseline, baseline year),
# read from 000_d6ec9d57f268dd20.txt by hand; milestone None = stated in the intro only.
D = date
EXPECTED_000 = [
    ("杭州-1", 5, D(2020, 12, 31), "个性化“信用+家政”产品", "=", 1, None, "款", None, None),
    ("杭州-1", None, D(2020, 12, 31), "“信用+家政服务”应用场景", ">=", 1, 2, "个", None, None),
    ("杭州-1-萧山区", 2, D(2020, 9, 30), "场景应用", ">=", 1, 2, "个", None, None),
    ("杭州-2", 4, D(2020, 12, 31), "信用产品", ">=", 1, 2, "款", None, None),
    ("宁波-1", 2, D(2020, 12, 31), "信易行应用场景", ">=", 1, 2, "个", None, None),
    ("宁波-3", 2, D(2020, 12, 31), "信用产品", ">=", 1, 2, "个", None, None),
    ("温州-1-场景二", 2, D(2020, 6, 30), "信用旅游景点", ">=", 10, None, "个", None, None),
    ("温州-1-场景二", 3, D(2020, 12, 31), "信用旅游景点", ">=", 15, None, "个", None, None),
    ("温州-3", 2, D(2020, 12, 31), "小微企业新增信用贷款", "=", 3, None, "亿元", None, None),
    ("嘉兴-1-场景一", 1, D(2020, 4, 30), "银行应用方案", "=", 3, None, "家", None, None),
    ("嘉兴-1-场景一", 2, D(2020, 6, 30), "银行应用场景联调测试", ">=", 3, None, "家", None, None),
    ("嘉兴-1-场景二", 3, D(2020, 8, 31), "合作单位", ">=", 6, None, "家", None, None),
    ("金华-3", 3, D(2020, 12, 31), "社区试点", ">=", 1, None, "个", None, None),
    ("衢州-2", 4, D(2020, 9, 30), "乡镇", ">=", 3, 5, "个", None, None),
    ("舟山-1", 3, D(2020, 7, 31), "激励场景单位", ">=", 5, None, "个", None, None),
    ("舟山-1", 4, D(2020, 10, 31), "激励场景单位", ">=", 8, None, "个", None, None),
    ("舟山-2", 2, D(2020, 6, 30), "油气企业信用评价和排名", ">=", 5000, None, "家", None, None),
    ("舟山-3", 3, D(2020, 10, 31), "辖区内园区地推活动", ">=", 4, None, "场", None, None),
    ("舟山-3", 3, D(2020, 10, 31), "银企对接会", ">=", 2, None, "场", None, None),
    ("舟山-3", 4, D(2020, 12, 31), "企业注册和实名认证", ">=", 2000, None, "家", 527, 2019),
    ("舟山-3", 4, D(2020, 12, 31), "授信企业数", ">", 1600, None, "家", 383, 2019),
    ("台州-1", 3, D(2020, 9, 30), "市级医疗机构", ">=", 4, None, "家", None, None),
    ("台州-1", 4, D(2020, 12, 31), "市级医疗机构", "=", 8, None, "家", None, None),
    ("台州-2", 2, D(2020, 12, 31), "银企对接效率", ">=", 50, None, "%", None, None),
]


def test_scene_kpis_of_the_2020_scene_plan():
    path = next(SOURCES_DIR.glob("000_*.txt"))
    plan = scene_plan.parse(read_document(path), path.name)
    kpis = scene_kpis(plan)
    got = [(k.item_key, k.milestone_seq, k.due.due, k.target.name, k.target.comparator,
            k.target.value, k.target.value_max, k.target.unit, k.target.baseline,
            k.target.baseline_year) for k in kpis]
    assert got == EXPECTED_000
    assert len({k.key for k in kpis}) == len(kpis)
    items = {item.key: item for item in plan.walk_items()}
    for k in kpis:
        assert (k.scope, k.city) == ("item", items[k.item_key].city)
        assert k.source.file == path.name
        assert k.target.phrase in normalize(k.source.text)
