"""Typed-in figure lint: numbers written into bodies and templates by hand, with their place,
and the markers that keep a deliberate literal."""


from wenmi.reading.lint import lint_file, typed_numbers
from wenmi.problems import Problems


def test_numbers_outside_jinja_are_found_with_line_and_column():
    lines = ["全年新建工会{{ 新建工会数 }}，走访企业36家。", "# 2025年工作打算", "发放1.2万元、３５户，占90%。"]
    expected = [(1, "36"), (2, "2025"), (3, "1.2"), (3, "３５"), (3, "90")]
    assert typed_numbers("\n".join(lines)) == [
        (line, lines[line - 1].index(number) + 1, number) for line, number in expected]


def test_jinja_expressions_statements_and_comments_are_not_typed_figures():
    text = "{% for 单位, 金额 in 表.rows[:3] %}{{ 金额|范围(2) }}{% endfor %}{# 2024 #}"
    assert typed_numbers(text) == []


def test_list_markers_and_codes_are_not_figures():
    text = "1. 第一项\n2) 第二项\n案件QHFY2024-023已办结，COVID19不计。"
    assert typed_numbers(text) == []


def test_markers_keep_a_literal_here_or_throughout_the_file():
    text = "拨打12351{#保留#}热线；{# 保留：2035、12345 #}到2035年，12345不计，12351计。"
    assert typed_numbers(text) == [(1, text.rindex("12351") + 1, "12351")]


def test_lint_file_warns_with_the_file_and_place(tmp_path):
    body = tmp_path / "正文.md"
    body.write_text("第一段{{ 甲 }}。\n\n全年培训800人次。\n", encoding="utf-8")
    problems = Problems()
    lint_file(body, "inputs/正文.md", problems)
    [warning] = problems.warnings
    assert (warning.file, warning.place) == ("inputs/正文.md", "第3行第5列")
    assert "800" in warning.message and not problems.errors
