"""Reading the YAML specs: every entry keeps its file:line; mistakes name their place."""

from datetime import date

import pytest

from wenmi.errors import WenmiError
from wenmi.reading.specs import load_project
from wenmi.wording import WordingRules

GOOD = """\
project:
  organization: 示例县总工会
  year: 2024
sources:
  送温暖:
    file: 台账/送温暖.csv
    previous: 台账/上年送温暖.csv
    columns:
      慰问金额: money
      类别: {type: category, values: [困难职工, 农民工]}
figures:
  职工总数: {value: 1.2万, unit: 人, previous: 11000}
metrics:
  慰问人数:
    source: 送温暖
    agg: count
    unit: 人
  农民工人数:
    source: 送温暖
    agg: count
    where: 类别 == "农民工"
    unit: 人
  农民工占比:
    share: [农民工人数, 慰问人数]
reports:
  年度总结:
    genre: 工作总结
    body: 正文/总结.md
    title: "{{ 项目.单位 }}{{ 项目.年度 }}年工作总结"
    date: 2024-12-20
    numbering: {continuous_level3: true, level3_mark: "、"}
"""


def project_with(tmp_path, text, name="项目.yaml"):
    (tmp_path / "inputs").mkdir(exist_ok=True)
    (tmp_path / "inputs" / name).write_text(text, encoding="utf-8")
    return tmp_path


def error_of(tmp_path, text) -> WenmiError:
    with pytest.raises(WenmiError) as caught:
        load_project(project_with(tmp_path, text))
    return caught.value


def test_a_good_spec_is_read_with_lines(tmp_path):
    project = load_project(project_with(tmp_path, GOOD))
    assert project.organization == "示例县总工会" and project.year == 2024
    source = project.sources["送温暖"]
    assert source.defined_at == "inputs/项目.yaml:5"
    assert [(c.name, c.type, c.values) for c in source.columns] == [
        ("慰问金额", "money", ()), ("类别", "category", ("困难职工", "农民工"))]
    assert project.literals["职工总数"].value == 12000
    assert project.literals["职工总数"].previous == 11000
    share = project.metrics["农民工占比"]
    assert (share.quotient, share.operands, share.unit, share.digits) == (
        "share", ("农民工人数", "慰问人数"), "%", 1)
    assert project.metrics["农民工人数"].defined_at == "inputs/项目.yaml:18"
    report = project.reports["年度总结"]
    assert report.date == date(2024, 12, 20)
    assert report.issuer == "示例县总工会"          # defaults to the organization
    assert report.continuous_level3 and report.level3_mark == "、"
    assert report.formats == ("docx", "html", "md")


def test_sections_may_be_spread_over_several_files(tmp_path):
    head, tail = GOOD.split("metrics:\n")
    project_with(tmp_path, head, "a.yaml")
    project = load_project(project_with(tmp_path, "metrics:\n" + tail, "b.yaml"))
    assert project.metrics["慰问人数"].defined_at == "inputs/b.yaml:2"


def test_bad_yaml_names_line_and_column(tmp_path):
    error = error_of(tmp_path, "project:\n  organization: 甲\n  year 2024\n")
    assert error.file == "inputs/项目.yaml"
    assert error.place.startswith("第3行")
    assert "YAML 格式错误" in error.message


def test_duplicate_keys_are_refused_with_both_lines(tmp_path):
    error = error_of(tmp_path, GOOD.replace("  year: 2024\n", "  year: 2024\n  year: 2025\n"))
    assert error.place == "第4行第3列"
    assert "第3行" in error.message


def test_a_name_declared_in_two_files_names_the_first(tmp_path):
    project_with(tmp_path, GOOD, "a.yaml")
    error = error_of(tmp_path, "figures:\n  职工总数: {value: 1, unit: 人}\n")
    assert "inputs/a.yaml:12" in error.message


@pytest.mark.parametrize("change, message, line", [
    (("agg: count\n    unit: 人\n  农民工人数", "agg: total\n    unit: 人\n  农民工人数"),
     "agg“total”无效", 16),
    (("source: 送温暖\n    agg: count\n    where", "source: 慰问\n    agg: count\n    where"),
     "数据源“慰问”未在 sources 中声明", 19),
    (("share: [农民工人数, 慰问人数]", "share: [农民工人数, 参会人数]"), "“参会人数”不是已声明的指标", 24),
    (("慰问金额: money", "慰问金额: 金额"), "类型“金额”无效", 9),
    (("  year: 2024", "  year: 二〇二四"), "year", 3),
    (("date: 2024-12-20", "date: 2024-13-45"), "date", 30),
    (("    genre: 工作总结", "    genre: 工作总结\n    colour: red"), "未知的键“colour”", 28),
])
def test_spec_mistakes_name_the_entry_line(tmp_path, change, message, line):
    error = error_of(tmp_path, GOOD.replace(*change))
    assert message in error.message
    assert error.place == f"第{line}行"


def test_the_project_declares_its_wording_rules(tmp_path):
    spec = GOOD.replace("  year: 2024\n", "  year: 2024\n  wording:\n    wan_from: 10万\n"
                        "    approx_digits: 3\n    range_style: 至\n    measure_words: {人次: 人(次)}\n")
    rules = load_project(project_with(tmp_path, spec)).wording
    assert (rules.wan_from, rules.approx_digits, rules.approx_before_wan, rules.range_style) == (
        100000, 3, True, "至")
    assert rules.measure_word("人次") == "人(次)" and rules.measure_word("人") == "人"
    assert load_project(project_with(tmp_path, GOOD)).wording == WordingRules()


@pytest.mark.parametrize("wording, message, line", [
    ("  wording:\n    approx_digits: 2\n    range_style: 到\n", "range_style“到”应是", 6),
    ("  wording:\n    wan_from: 许多\n", "wan_from“许多”应是一个正数", 5),
    ("  wording: 万\n", "wording 应按“键: 值”列出", 4),
])
def test_wording_mistakes_name_their_line(tmp_path, wording, message, line):
    error = error_of(tmp_path, GOOD.replace("  year: 2024\n", "  year: 2024\n" + wording))
    assert message in error.message
    assert (error.file, error.place) == ("inputs/项目.yaml", f"第{line}行")


def test_quotient_loops_are_refused(tmp_path):
    spec = GOOD.replace("reports:", "  甲:\n    rate: [乙, 慰问人数]\n  乙:\n    rate: [甲, 慰问人数]\nreports:")
    error = error_of(tmp_path, spec)
    assert "循环引用" in error.message and "甲 → 乙 → 甲" in error.message


def test_missing_inputs_folder_is_explained(tmp_path):
    with pytest.raises(WenmiError, match="inputs/"):
        load_project(tmp_path)


TABLE_METRIC = "  各类别人数:\n    source: 送温暖\n    agg: count\n    by: 类别\n    unit: 人\nreports:"


def test_an_attachment_is_declared_with_its_content(tmp_path):
    spec = GOOD.replace("reports:", TABLE_METRIC) + (
        "    attachments:\n      - {title: 各类别慰问人数, table: 各类别人数}\n"
        "      - {title: \"{{ 项目.年度 }}年慰问名单\", body: 附件/名单.md}\n")
    attachments = load_project(project_with(tmp_path, spec)).reports["年度总结"].attachments
    assert [(a.title, a.table, a.body) for a in attachments] == [
        ("各类别慰问人数", "各类别人数", ""), ("{{ 项目.年度 }}年慰问名单", "", "附件/名单.md")]


@pytest.mark.parametrize("attachments, message", [
    ("[慰问名单]", "附件“慰问名单”没有内容"),                              # announced only
    ("[{title: 慰问名单}]", "应有且只有 table 或 body 之一"),
    ("[{title: 慰问名单, table: 各类别人数, body: a.md}]", "应有且只有 table 或 body 之一"),
    ("[{table: 各类别人数}]", "应有 title"),
    ("[{title: 慰问名单, table: 慰问人数}]", "“慰问人数”不是已声明的分组指标"),   # not a table
    ("[{title: 慰问名单, table: 参会人数}]", "“参会人数”不是已声明的分组指标"),   # not declared
])
def test_an_attachment_without_usable_content_is_a_mistake_at_its_line(tmp_path, attachments, message):
    spec = GOOD.replace("reports:", TABLE_METRIC) + f"    attachments: {attachments}\n"
    error = error_of(tmp_path, spec)
    assert message in error.message
    assert error.place == "第37行"      # the attachments line

