"""`wenmi check --text`: contradictions in documents written here for the purpose (fictional
content), as .txt, .md and .docx."""


import docx

from wenmi.cli import main
from wenmi.textcheck import check_rates, check_text, check_totals, check_years

CONSISTENT = """关于2024年度职工之家建设情况的报告

2024年，全县53家企业中已建立职工之家48家，建家率为90.6%；其中42家签订了集体合同，签订率为79.2%。
全年共走访慰问职工120户，其中困难职工80户、农民工40户。
"""

CONTRADICTORY = """关于2024年度职工之家建设情况的报告

2023年，全县53家企业中已建立职工之家48家，建家率为90.6%；其中42家签订了集体合同，签订率为80%。
全年共走访慰问职工120户，其中困难职工80户、农民工50户。
全年共举办培训6期，分别为电工2期、焊工3期。
"""


def test_a_rate_its_counts_do_not_give_is_reported_with_the_sentence():
    paragraph = "全县53家企业中已建立职工之家48家，建家率为90.6%；其中42家签订了集体合同，签订率为80%。"
    [message] = check_rates(paragraph)
    assert "其中42家签订了集体合同，签订率为80%。" in message
    assert f"42 ÷ 53 = {42 / 53 * 100:.1f}%" in message


def test_rates_at_their_stated_precision_and_rates_about_other_things_pass():
    assert check_rates("受理来电300件，办结297件，办结率99%。") == []
    assert check_rates("受理来电300件，办结297件，办结率99.0%。") == []
    assert check_rates("培训300人次，满意率98%。") == []   # no count pair near 98%


def test_a_rate_is_checked_rounded_half_up_as_wenmi_prints_it():
    """1 ÷ 8 = 12.5%: Wenmi writes 13%, so 13% agrees and 12% (round-half-even) does not."""
    assert check_rates("全县8家企业，其中1家建会，建会率为13%。") == []
    (warning,) = check_rates("全县8家企业，其中1家建会，建会率为12%。")
    assert "写的是12%，但同段的 1 ÷ 8 = 12.5%" in warning
    assert check_rates("全县1.2万名职工，其中3000名参加培训，参训率为25%。") == []   # 万 scaled


def test_parts_more_than_their_total_and_listed_parts_that_differ_are_reported():
    [over] = check_totals("全年共走访慰问职工120户，其中困难职工80户、农民工50户。")
    assert "130户" in over and "120户" in over
    [listed] = check_totals("全年共举办培训6期，分别为电工2期、焊工3期。")
    assert "5期" in listed and "6期" in listed
    assert check_totals("全年共走访慰问职工120户，其中困难职工80户、农民工30户。") == []
    assert check_totals("全年共发放1.2万元，其中助学金8000元、慰问金4000元。") == []


def test_a_title_year_the_body_never_mentions_is_reported():
    [(paragraph, message)] = check_years("2024年工作总结", ["2023年，全县……", "来年继续努力。"])
    assert paragraph == 2 and "2024年" in message and "2023年，全县……" in message
    assert check_years("2024年工作总结", ["2024年，与2023年相比……"]) == []


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
    assert len(from_text) == 4
    assert {p.place for p in from_text} == {"第2段", "第3段", "第4段"}


def test_the_command_is_quiet_on_a_consistent_document_and_strict_fails_otherwise(tmp_path, capsys):
    good, bad = tmp_path / "好.md", tmp_path / "坏.md"
    good.write_text(CONSISTENT, encoding="utf-8")
    bad.write_text(CONTRADICTORY, encoding="utf-8")
    assert main(["check", "--text", str(good)]) == 0
    assert "未发现矛盾" in capsys.readouterr().out
    assert main(["check", "--text", str(bad)]) == 0
    assert "签订率为80%" in capsys.readouterr().err
    assert main(["check", "--text", str(bad), "--strict"]) == 2
    assert main(["check", "--text", str(tmp_path / "无.pdf")]) == 2
