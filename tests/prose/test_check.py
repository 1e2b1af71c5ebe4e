"""`wenmi check --text`: each rule on documents written here for the purpose (fictional
content), one that breaks it and one that keeps it; files as .txt, .md and .docx; --json."""

import json

import docx

from wenmi.cli import main
from wenmi.prose.check import bounds, check_document, check_text
from wenmi.prose.quantities import find_quantities


def kinds(paragraphs):
    return [(f.kind, f.paragraph) for f in check_document(paragraphs)]


def only(paragraphs, kind):
    found = [f for f in check_document(paragraphs) if f.kind == kind]
    assert len(found) == 1, found
    return found[0]


# 6. one quantity stated twice

def test_a_count_of_the_whole_stated_twice_with_values_that_cannot_both_hold_is_reported():
    finding = only(["柳河县总工会2024年工作总结",
                    "柳河县有进城务工人员4.2万人，分布在各乡镇企业。",
                    "一、基本情况",
                    "全县进城务工人数达到5万人以上，其中女职工占四成。"], "repeated")
    assert finding.paragraph == 4 and "5万人以上" in finding.message and "4.2万人" in finding.message
    assert [q.surface for q in finding.figures] == ["4.2万人", "5万人"]


def test_restating_a_count_within_its_rounding_or_approximation_is_not_a_contradiction():
    assert kinds(["柳河县总工会2024年工作总结",
                  "柳河县有进城务工人员4.2万人。",
                  "全县进城务工人数4万多人，较上年有所增加。",
                  "全县进城务工人员约4.15万人参加了各类活动。"]) == []


def test_parallel_statements_about_different_units_and_parts_are_not_one_quantity():
    assert kinds(["2024年先进集体事迹材料合订本",
                  "2024年，全县东坝镇工会共走访慰问困难职工12户，发放慰问金1.2万元。",
                  "2024年，全县西岭镇工会共走访慰问困难职工15户，发放慰问金1.6万元。",
                  "全县会员8000人，其中农民工3000人。",
                  "全县新发展会员900人，其中农民工300人。"]) == []


def test_a_target_beside_this_years_count_is_not_a_second_statement_of_it():
    """A plan states next year's figure as a requirement or an aim beside this year's."""
    assert kinds(["柳河县总工会2025年工作要点",
                  "2024年，全县新建基层工会13个，完成年度目标的108.3%。2025年全县工会工作的总体要求是：",
                  "一、扩大组织覆盖",
                  "1.抓好新建工会。把新就业形态作为重点，全年新建基层工会不少于15个。",
                  "2.推进规范运行。全县新建基层工会力争达到16个，会员不少于6000人。"]) == []


# 7. enumerations

def test_a_lone_yi_shi_and_gaps_in_inline_and_heading_numbers_are_reported():
    found = check_document(["2024年工作要点",
                            "一、组织建设",
                            "全年重点抓好三件事。一是扩大覆盖面，新建工会20个。",
                            "二、帮扶工作",
                            "（一）送温暖",
                            "（三）金秋助学",
                            "1.摸清底数。",
                            "2.分类施策。",
                            "4.跟踪问效。",
                            "主要形式有：①上门走访；③电话回访。"])
    messages = [(f.paragraph, f.message) for f in found]
    assert (3, "列举只有一是，没有二是") in messages
    assert (6, "编号不连续：（一）之后是（三）") in messages
    assert (9, "编号不连续：2.之后是4.") in messages
    assert (10, "列举不连续：①之后是③") in messages


def test_numbering_restarts_under_each_heading_and_yi_shi_runs_on_over_paragraphs():
    assert kinds(["2024年工作总结",
                  "一、组织建设", "（一）扩面", "（二）提质",
                  "二、帮扶工作", "（一）送温暖", "1.走访。", "2.慰问。", "（二）助学",
                  "存在的问题", "一是覆盖不够平衡。", "二是帮扶手段单一。",
                  "下一步，一是完善机制，二是加强队伍，三是强化考核。"]) == []


def test_a_stated_count_is_checked_against_the_items_listed_after_it():
    finding = only(["2024年工作汇报",
                    "县总工会主要采取了以下三项措施。",
                    "（一）建立台账", "（二）分类帮扶", "（三）跟踪回访", "（四）公开公示"], "enumeration")
    assert finding.paragraph == 2 and "三项" in finding.message and "4项" in finding.message
    finding = only(["2024年工作汇报", "维权服务主要有四种形式：①来访接待；②热线咨询；③法律援助。"],
                   "enumeration")
    assert "四种" in finding.message and "3项" in finding.message
    finding = only(["2024年工作要点", "突出“建会入会、帮扶救助、技能提升”四大重点，推动工作上台阶。"],
                   "enumeration")
    assert "四大" in finding.message and "3项" in finding.message
    assert kinds(["2024年工作汇报", "县总工会主要采取了以下两项措施。", "（一）建立台账", "（二）分类帮扶",
                  "通过三个渠道动员职工入会。①企业工会；②行业工会；③区域工会。",
                  "会议确定了两个议题，一是经费管理，二是换届选举，三是会员发展。"]) == []


# 8. the year a report covers

def test_a_title_year_over_a_body_that_reports_another_year_throughout_is_reported():
    finding = only(["市总工会2024年工会工作总结",
                    "2024年，全市各级工会团结奋进。",
                    "2022年全市新建工会组织120个。",
                    "2022年双节期间，共慰问困难职工800户。",
                    "尽管2022年我们做了大量工作，仍有不足。"], "year")
    assert finding.paragraph == 3 and "2024年" in finding.message and "3处写的是2022年" in finding.message


def test_comparisons_citations_plans_and_a_date_line_of_the_next_january_are_not_other_years():
    assert kinds(["市总工会2024年工会工作总结",
                  "（2025年1月6日）",
                  "2024年，全市新建工会组织120个，比2023年增加10个。",
                  "按照《关于做好2023年度帮扶工作的通知》要求，与2023年相比，慰问户数增长。",
                  "2025年，我们将继续努力。"]) == []


def test_a_date_line_years_away_from_the_title_is_reported():
    finding = only(["市总工会2024年工会工作总结", "2024年，全市工会工作稳步推进。", "2021年12月20日"],
                   "year")
    assert "2021年" in finding.message and finding.paragraph == 3


# 9. parts against totals

def test_parts_that_exceed_their_total_or_do_not_make_it_are_reported():
    over = only(["报告", "全年共走访慰问职工120户，其中困难职工80户、农民工50户。"], "total")
    assert "80户 + 50户 = 130户" in over.message and "120户" in over.message
    single = only(["报告", "全县会员1.2万人，其中农民工1.5万人。"], "total")
    assert "1.5万人" in single.message
    listed = only(["报告", "全年共举办培训6期，分别为电工2期、焊工3期。"], "total")
    assert "5期" in listed.message and "6期" in listed.message
    summed = only(["报告", "为职工购买车票300张；包车运送职工420人次，专列运送180人次，共计帮助700名职工返乡。"],
                  "total")
    assert "420人次 + 180人次 = 600人次" in summed.message and "共计700名" in summed.message


def test_parts_within_their_total_in_every_form_pass():
    assert kinds(["报告",
                  "全年共走访慰问职工120户，其中困难职工80户、农民工40户。",
                  "服务职工20多万人次（其中法律咨询5万多人次、来访接待3万多人次）。",
                  "全年资助学生44名。其中，资助本科生34名，资助农民工子女17名。",
                  "慰问困难职工65户、农民工30户、一线职工33户，共计128户。",
                  "共发放1.2万元，其中助学金8000元、慰问金4000元。"]) == []


# 10. the issuer

def test_another_county_federation_acting_as_the_issuer_is_reported_and_partners_are_not():
    finding = only(["关于做好农民工维权工作的经验材料",
                    "为农民工维权，柳河县总工会做了积极探索。",
                    "由于农民工流动性大，青山县总工会为此提出了“三个同样”的目标。",
                    "我们与青山县总工会、白水县总工会联合开展劳务协作，并赴白水县总工会学习。",
                    "柳河县总工会",
                    "2024年7月5日"], "issuer")
    assert finding.paragraph == 3 and "青山县总工会" in finding.message and "柳河县总工会" in finding.message


# 11. rates against their counts

def test_a_rate_its_own_counts_do_not_give_is_reported_only_when_about_the_same_subject():
    finding = only(["报告", "全县53家企业中已建立职工之家48家；其中42家签订了集体合同，签订率为80%。"], "rate")
    assert f"42家 ÷ 53家 = {42 / 53 * 100:.1f}%" in finding.message
    assert kinds(["报告",
                  "受理来电96件，办结93件，办结率96.9%，回访满意率94.6%。",   # 满意率: no count of it
                  "受理案件37件，办结36件，办结率97.3%。",
                  "全乡输出劳动力2000人次，其中经培训外出的210人，仅占总数的10%左右。",
                  "全县8家企业，其中1家建会，建会率为13%。"]) == []   # 12.5% rounded half-up


def test_approximations_are_ranges():
    first, more, over, near = find_quantities("22万人，20多万人次，25万以上，近1500名")
    assert bounds(first) == (215000, 225000)
    assert bounds(more) == (200000, 300000)
    assert bounds(over)[1] == float("inf")
    assert bounds(near) == (1500 * 0.85, 1500)


# files and the command

CONTRADICTORY = """关于2024年度职工之家建设情况的报告

2024年，全县53家企业中已建立职工之家48家；其中42家签订了集体合同，签订率为80%。
全年共走访慰问职工120户，其中困难职工80户、农民工50户。
主要做法有：一是建立台账。
"""


def test_the_text_file_and_the_docx_give_the_same_warnings(tmp_path):
    text_file = tmp_path / "报告.txt"
    text_file.write_text(CONTRADICTORY, encoding="utf-8")
    word_file = tmp_path / "报告.docx"
    document = docx.Document()
    for line in CONTRADICTORY.splitlines():
        document.add_paragraph(line)
    document.save(str(word_file))
    from_text, from_word = check_text(text_file), check_text(word_file)
    assert [p.message for p in from_text] == [p.message for p in from_word]
    assert [p.place for p in from_text] == ["第2段", "第3段", "第4段"]


def test_the_command_is_quiet_on_a_consistent_document_strict_fails_and_json_lists_the_figures(tmp_path, capsys):
    good, bad = tmp_path / "好.md", tmp_path / "坏.md"
    good.write_text("# 2024年工作总结\n\n2024年，全年共走访慰问职工120户，其中困难职工80户。\n", encoding="utf-8")
    bad.write_text(CONTRADICTORY, encoding="utf-8")
    assert main(["check", "--text", str(good)]) == 0
    assert "未发现矛盾" in capsys.readouterr().out
    assert main(["check", "--text", str(bad)]) == 0
    assert "签订率为80%" in capsys.readouterr().err
    assert main(["check", "--text", str(bad), "--strict"]) == 2
    capsys.readouterr()
    assert main(["check", "--text", str(bad), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["file"] == bad.as_posix()
    assert [(w["paragraph"], w["kind"]) for w in report["warnings"]] == [(2, "rate"), (3, "total"), (4, "enumeration")]
    total = report["warnings"][1]
    assert total["sentence"] == "全年共走访慰问职工120户，其中困难职工80户、农民工50户。"
    assert [(f["surface"], f["value"], f["unit"]) for f in total["figures"]] == \
        [("120户", 120, "户"), ("80户", 80, "户"), ("50户", 50, "户")]
    assert main(["check", "--text", str(tmp_path / "无.pdf")]) == 2
