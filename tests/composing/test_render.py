"""Rendering: one sandboxed environment, figures marked with their ids, filters per BRIEF §4."""

from datetime import date

import pytest
import yaml

from wenmi.errors import WenmiError
from wenmi.figures import FigureTable, Provenance
from wenmi.reading.specs import Project, ReportSpec
from wenmi.composing.render import Renderer
from wenmi.figures import figure_text, unmarked
from wenmi.wording import DEFAULT_RULES, WordingRules
from helpers import make_figure

FIGURES = {
    "慰问金额": make_figure("慰问金额", 323800, "元", 2, previous=287500),
    "慰问人数": make_figure("慰问人数", 1253, "人", previous=1253),
    "来访人次": make_figure("来访人次", 283, "人次"),
    "办结率": make_figure("办结率", 90.9091, "%", 1, previous=88.0),
    "小额": make_figure("小额", 5800, "元", 2),
    "困难户": make_figure("困难户", 12, "户"),
    "外出务工人数": make_figure("外出务工人数", 220000, "人"),
    "会员人数": make_figure("会员人数", 66656, "人"),
    "参训人次": make_figure("参训人次", 12345, "人次"),
    "筹集资金": make_figure("筹集资金", 1_254_300, "元", 2),
    "最少期数": make_figure("最少期数", 1, "期"),
    "最多期数": make_figure("最多期数", 2, "期"),
}
FIGURES["各镇金额"] = FigureTable(
    "各镇金额", "各镇送温暖金额", "基层工会", "慰问金额",
    (("城关镇", make_figure("各镇金额[城关镇]", 120000, "元", 2)),
     ("河西镇", make_figure("各镇金额[河西镇]", 98000, "元", 2))),
    Provenance("inputs/指标.yaml:9", "合计(慰问金额)", ()))


def renderer(tmp_path, body, genre="---\n标题: {{ 报告.标题 | tojson }}\n---\n{{ 正文 }}",
             rules=DEFAULT_RULES):
    (tmp_path / "inputs" / "正文").mkdir(parents=True)
    (tmp_path / "templates").mkdir()
    (tmp_path / "inputs" / "正文" / "b.md").write_text(body, encoding="utf-8")
    (tmp_path / "templates" / "总结.md.j2").write_text(genre, encoding="utf-8")
    project = Project(root=tmp_path, organization="示例县总工会", year=2024, wording=rules)
    report = ReportSpec(name="r", defined_at="inputs/报告.yaml:2", genre="总结",
                        body="正文/b.md", title="{{ 项目.单位 }}{{ 项目.年度 }}年工作总结",
                        date=date(2024, 12, 20), issuer="示例县总工会")
    return Renderer(project, FIGURES), report


def render(tmp_path, body, rules=DEFAULT_RULES):
    engine, report = renderer(tmp_path, body, rules=rules)
    return engine.render_report(report)


@pytest.mark.parametrize("body, text", [
    ("{{ 慰问金额 }}", "32.38万元"),
    ("{{ 小额 }}", "5800元"),
    ("{{ 慰问人数 }}", "1253人"),
    ("{{ 慰问人数|数值 }}名", "1253名"),
    ("{{ 办结率 }}", "90.9%"),
    ("{{ 慰问金额|万元 }}", "32.38万元"),
    ("{{ 小额|万元 }}", "0.58万元"),
    ("{{ 慰问金额|元 }}", "323800元"),
    ("{{ 来访人次|余 }}", "280余人次"),
    ("{{ 慰问金额|同比 }}", "同比增长12.6%"),
    ("{{ 慰问人数|同比 }}", "与上年持平"),
    ("{{ 慰问金额|上年 }}", "28.75万元"),
    ("{{ 困难户|中文数字 }}", "十二"),
    ("{{ 小额|范围(慰问金额) }}", "5800～323800元"),
    ("{{ 困难户|比例(慰问人数) }}", "1:104.4"),
    ("{{ 慰问人数|万 }}", "0.13万人"),
    ("{{ 慰问金额|万 }}", "32.38万元"),
])
def test_filters_follow_the_brief(tmp_path, body, text):
    assert unmarked(render(tmp_path, body)).rstrip().endswith(text)


@pytest.mark.parametrize("body, text", [
    ("{{ 外出务工人数 }}", "220000人"),
    ("{{ 外出务工人数|万 }}", "22万人"),
    ("{{ 外出务工人数|万(量词=\"\") }}以上", "22万以上"),
    ("{{ 会员人数|万 }}", "6.67万人"),
    ("{{ 会员人数|万(4) }}", "6.6656万人"),
    ("{{ 筹集资金|万 }}", "125.43万元"),
    ("{{ 慰问人数|多 }}", "1200多人"),
    ("{{ 慰问人数|多(1) }}", "1000多人"),
    ("{{ 会员人数|余 }}", "6.6万余人"),
    ("{{ 会员人数|余(量词=\"名\") }}", "6.6万余名"),
    ("{{ 参训人次|多(3) }}", "12300多人次"),
    ("{{ 筹集资金|多 }}", "120多万元"),
    ("{{ 慰问人数|近(1) }}", "近2000人"),
    ("{{ 来访人次|近 }}", "近290人次"),
    ("{{ 最少期数|范围(最多期数) }}", "1～2期"),
    ("{{ 最少期数|范围(最多期数, 样式=\"至\") }}", "1至2期"),
    ("{{ 最少期数|范围(最多期数, 样式=\"-\") }}", "1-2期"),
    ("{{ 小额|范围(慰问金额, 样式=\"—\", 单位两端=true) }}", "5800元—323800元"),
])
def test_wording_filters(tmp_path, body, text):
    assert unmarked(render(tmp_path, body)).rstrip().endswith(text)


@pytest.mark.parametrize("rules, body, text", [
    (WordingRules(wan_from=100000), "{{ 外出务工人数 }}，{{ 会员人数 }}", "22万人，66656人"),
    (WordingRules(wan_from=100000), "{{ 外出务工人数|数值 }}名", "220000名"),
    (WordingRules(approx_digits=1), "{{ 慰问人数|余 }}，{{ 筹集资金|多 }}", "1000余人，100多万元"),
    (WordingRules(approx_before_wan=False), "{{ 筹集资金|多 }}", "120万多元"),
    (WordingRules(range_style="至"), "{{ 最少期数|范围(最多期数) }}", "1至2期"),
    (WordingRules(measure_words=(("人次", "人(次)"),)), "{{ 来访人次 }}，{{ 来访人次|余 }}",
     "283人(次)，280余人(次)"),
])
def test_the_project_wording_rules_apply_to_every_figure(tmp_path, rules, body, text):
    assert unmarked(render(tmp_path, body, rules)).rstrip().endswith(text)


def test_a_table_follows_the_project_wording_rules(tmp_path):
    table = FigureTable("各镇人数", "各镇会员人数", "基层工会", "会员人数",
                        (("城关镇", make_figure("各镇人数[城关镇]", 123400, "人")),),
                        Provenance("inputs/指标.yaml:9", "计数", ()))
    engine, report = renderer(tmp_path, "{{ 各镇人数 }}", rules=WordingRules(wan_from=100000))
    engine.figures["各镇人数"] = table
    assert "| 1 | 城关镇 | 12.34万人 |" in unmarked(engine.render_report(report))


@pytest.mark.parametrize("body, message", [
    ("{{ 办结率|万 }}", "过滤器“万”不能用于百分比"),
    ("{{ 慰问人数|多(0) }}", "有效数字应是1到6之间的整数"),
    ("{{ 慰问人数|万(\"两\") }}", "小数位数应是0到8之间的整数"),
    ("{{ 小额|范围(慰问金额, 样式=\"/\") }}", "未知的范围样式“/”"),
])
def test_wording_filter_mistakes_are_user_errors(tmp_path, body, message):
    with pytest.raises(WenmiError, match=message) as caught:
        render(tmp_path, body)
    assert caught.value.file == "inputs/正文/b.md"


def test_each_figure_is_marked_with_its_id(tmp_path):
    out = render(tmp_path, "发放{{ 慰问金额 }}，{{ 慰问金额|同比 }}")
    assert "\ue000慰问金额\ue00132.38万元\ue002" in out
    assert "\ue000慰问金额\ue001同比增长12.6%\ue002" in out


def test_both_ends_of_a_range_are_marked_as_their_figures(tmp_path):
    out = render(tmp_path, "{{ 小额|范围(慰问金额) }}")
    assert "\ue000小额\ue0015800\ue002～\ue000慰问金额\ue001323800元\ue002" in out


def test_front_matter_title_renders_placeholders(tmp_path):
    front = render(tmp_path, "正文").split("---")[1]
    assert yaml.safe_load(front) == {"标题": "示例县总工会2024年工作总结"}


def test_a_group_table_renders_as_a_captioned_pipe_table(tmp_path):
    out = unmarked(render(tmp_path, "{{ 各镇金额 }}"))
    assert "表：各镇送温暖金额" in out
    assert "| 1 | 城关镇 | 12万元 |" in out and "| 2 | 河西镇 | 9.8万元 |" in out


def test_group_rows_can_be_iterated(tmp_path):
    body = "{% for 镇, 金额 in 各镇金额.rows %}{{ 镇 }}{{ 金额 }}{% if not loop.last %}、{% endif %}{% endfor %}"
    assert unmarked(render(tmp_path, body)).rstrip().endswith("城关镇12万元、河西镇9.8万元")


@pytest.mark.parametrize("body, message, line", [
    ("第一行\n\n{{ 慰问人 }}", "未定义的占位符“慰问人”", 3),
    ("{{ 慰问金额 | 万万元 }}", "未知的过滤器“万万元”", 1),
    ("一\n{% if %}", "模板语法错误", 2),
    ("一\n二\n{{ 来访人次|同比 }}", "没有上年数据", 3),
    ("{{ 慰问人数|万元 }}", "只能用于金额", 1),
    ("{{ 慰问金额.__class__ }}", "模板不允许访问", 1),
])
def test_template_mistakes_name_body_file_and_line(tmp_path, body, message, line):
    with pytest.raises(WenmiError) as caught:
        render(tmp_path, body)
    assert caught.value.file == "inputs/正文/b.md"
    assert message in caught.value.message
    assert caught.value.place == f"第{line}行"


def test_unknown_name_suggests_close_ones(tmp_path):
    with pytest.raises(WenmiError, match="是否想写：慰问人数"):
        render(tmp_path, "{{ 慰问人 }}")


def test_figure_text_chooses_wording_by_unit():
    assert figure_text(make_figure("a", 48260700, "元", 2)) == "4826.07万元"
    assert figure_text(make_figure("b", 125000000, "元", 2)) == "1.25亿元"
    assert figure_text(make_figure("c", 97, "%", 1)) == "97%"
    assert figure_text(make_figure("d", 17, "件")) == "17件"


def test_a_mistake_in_a_title_is_placed_at_the_reports_declaration(tmp_path):
    engine, report = renderer(tmp_path, "正文")
    report = ReportSpec(**{**report.__dict__, "title": "{{ 项目.单位 }}{{ 年份 }}年工作总结"})
    with pytest.raises(WenmiError) as raised:
        engine.render_report(report)
    assert (raised.value.file, raised.value.place) == ("inputs/报告.yaml", "第2行")
    assert raised.value.message.startswith("报告“r”的 title：未定义的占位符“年份”")
