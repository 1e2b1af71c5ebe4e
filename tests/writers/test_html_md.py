"""The HTML and Markdown writers print the numbered model as it is, with the same words.

One hand-built document (a fictional county federation) covers every block type; the
expected strings are written out here, not derived from the writers' helpers.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from wenmi.figures import Figure, Provenance, SourceRef
from wenmi.model import Attachment, Document, Enumeration, FigureText, Heading, Paragraph, Table, Text
from wenmi.writers import html as html_writer
from wenmi.writers import markdown as markdown_writer

WARMTH_SOURCE = SourceRef(source="送温暖", file="ledgers/送温暖台账.xlsx", sheet="2024年",
                          filter='类别 == "困难职工"', rows=57)
WARMTH = Figure(id="慰问金额", label="困难职工慰问金额", value=286400, unit="元", digits=2,
                provenance=Provenance(defined_at="inputs/metrics.yaml:8", rule="sum(慰问金额)",
                                      sources=(WARMTH_SOURCE,)))
MEMBERS_SOURCE = SourceRef(source="会员", file="ledgers/会员.csv", sheet=None, filter="", rows=1342)
MEMBERS = Figure(id="新会员数", label="新发展会员人数", value=1342, unit="人", digits=0,
                 provenance=Provenance(defined_at="inputs/metrics.yaml:15", rule="count()",
                                       sources=(MEMBERS_SOURCE,)))
TOWN_A = Figure(id="慰问金额[城关镇]", label="城关镇慰问金额", value=91200, unit="元", digits=2,
                provenance=WARMTH.provenance)
TOWN_B = Figure(id="慰问金额[白石乡]", label="白石乡慰问金额", value=65800, unit="元", digits=2,
                provenance=WARMTH.provenance)


ATTACHMENTS = (
    Attachment("2024年送温暖资金明细表",
               (Table((), ("乡镇", "慰问金额"), (((Text("城关镇"),), (FigureText("9.12万元", TOWN_A),)),)),)),
    Attachment("基层工会组建情况统计表", (Paragraph((Text("全县共有基层工会312个。"),)),)),
)


def sample_document(issuer: str = "青禾县总工会", attachments: tuple = ATTACHMENTS,
                    blocks: tuple = ()) -> Document:
    """A small 工作总结 with numbered headings, enumerations, a table and figures."""
    body = (
        Paragraph((Text("2024年，县总工会围绕服务职工主线，扎实推进各项工作。现将有关情况总结如下："),)),
        Heading(1, (Text("主要工作及成效"),), label="一、"),
        Heading(2, (Text("扩大工会组织覆盖"),), label="（一）"),
        Heading(3, (Text("健全组织。"),), label="1.",
                run_in=(Text("全县新建基层工会18个，新发展会员"), FigureText("1342人", MEMBERS),
                        Text("。"))),
        Heading(3, (Text("强化帮扶"),), label="2."),
        Heading(4, (Text("困难职工帮扶"),), label="（1）"),
        Paragraph((Text("春节期间走访慰问困难职工，发放慰问金"), FigureText("28.64万元", WARMTH),
                   Text("，开展“春风&暖心”行动，"), Text("做到应帮尽帮", bold=True), Text("。"))),
        Table(caption=(Text("表1 各乡镇送温暖资金"),), header=("乡镇|片区", "慰问金额"),
              rows=(((Text("城关镇|东片"),), (FigureText("9.12万元", TOWN_A),)),
                    ((Text("白石乡"),), (FigureText("6.58万元", TOWN_B),)))),
        Heading(1, (Text("存在的问题"),), label="二、"),
        Enumeration(items=((Text("经费使用不够规范；"),),
                           (Text("满意度<80%的单位整改较慢。"),)),
                    merged=True, lead=(Text("主要问题："),), labels=("一是", "二是")),
        Heading(1, (Text("下一步工作打算"),), label="三、"),
        Enumeration(items=((Text("深化产业工会建设。"),), (Text("提升服务阵地效能。"),)),
                    labels=("一是", "二是")),
    )
    return Document(title="青禾县总工会2024年工作总结", subtitle="——在全县工会工作会议上的报告",
                    blocks=blocks or body, recipient="县委办公室", attachments=attachments,
                    issuer=issuer, date="2024年12月20日")


@pytest.fixture(scope="module")
def page() -> str:
    return html_writer.write(sample_document()).decode("utf-8")


@pytest.fixture(scope="module")
def markdown() -> str:
    return markdown_writer.write(sample_document()).decode("utf-8")


class _Elements(HTMLParser):
    """Collects, in order, every text-bearing element of the body: (tag, attrs, text)."""
    TEXT_TAGS = {"h1", "h2", "h3", "h4", "h5", "p", "caption", "th", "td", "span", "strong"}

    def __init__(self, page: str):
        super().__init__()
        self.found: list[list] = []
        self.open: list[list] = []
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        if tag in self.TEXT_TAGS:
            element = [tag, dict(attrs), ""]
            self.found.append(element)
            self.open.append(element)

    def handle_endtag(self, tag):
        if tag in self.TEXT_TAGS:
            self.open.pop()

    def handle_data(self, data):
        for element in self.open:
            element[2] += data


def elements(page: str, *tags: str) -> list[tuple[str, dict, str]]:
    return [tuple(element) for element in _Elements(page).found if element[0] in tags]


def html_lines(page: str) -> list[str]:
    """The visible text, one entry per paragraph, heading, caption or table cell."""
    blocks = elements(page, "h1", "h2", "h3", "h4", "h5", "p", "caption", "th", "td")
    return [text.strip() for _, _, text in blocks if text.strip()]


def markdown_lines(markdown: str) -> list[str]:
    """The text with Markdown marks removed, one entry per line or table cell."""
    lines = []
    for line in markdown.splitlines():
        line = line.strip()
        if not line or re.fullmatch(r"\|( --- \|)+", line):
            continue
        cells = re.split(r"(?<!\\)\|", line)[1:-1] if line.startswith("|") else [line]
        for cell in cells:
            cell = re.sub(r"^#+ ", "", cell.strip()).replace("**", "")
            lines.append(re.sub(r"\\(.)", r"\1", cell).strip())
    return lines


# ---------------------------------------------------------------- HTML

def test_html_headings_keep_their_labels_levels_and_order(page):
    assert [(tag, text) for tag, _, text in elements(page, "h1", "h2", "h3", "h4", "h5")] == [
        ("h1", "青禾县总工会2024年工作总结"),
        ("h2", "一、主要工作及成效"),
        ("h3", "（一）扩大工会组织覆盖"),
        ("h4", "2.强化帮扶"),
        ("h5", "（1）困难职工帮扶"),
        ("h2", "二、存在的问题"),
        ("h2", "三、下一步工作打算"),
        ("h1", "2024年送温暖资金明细表"),
        ("h1", "基层工会组建情况统计表"),
    ]


def test_html_run_in_heading_is_emphasised_inside_its_paragraph(page):
    run_in = [text for tag, attrs, text in elements(page, "p") if attrs.get("class") == "run-in"]
    assert run_in == ["1.健全组织。全县新建基层工会18个，新发展会员1342人。"]
    assert '<p class="run-in"><strong class="level-3">1.健全组织。</strong>全县新建' in page


def test_html_figure_span_names_its_rows(page):
    spans = [(attrs, text) for _, attrs, text in elements(page, "span")
             if attrs.get("data-figure") == "慰问金额"]
    assert len(spans) == 1
    attrs, text = spans[0]
    assert text == "28.64万元" and attrs["class"] == "figure"
    for expected in ("指标：困难职工慰问金额", "计算：sum(慰问金额)", "定义：inputs/metrics.yaml:8",
                     "ledgers/送温暖台账.xlsx", "工作表“2024年”", '条件：类别 == "困难职工"',
                     "行数：57"):
        assert expected in attrs["title"]
    members = [attrs["title"] for _, attrs, _ in elements(page, "span")
               if attrs.get("data-figure") == "新会员数"]
    assert "条件：全部行" in members[0] and "行数：1342" in members[0]


def test_html_table_cells_carry_figures_and_header_repeats(page):
    assert [text for _, _, text in elements(page, "caption")] == ["表1 各乡镇送温暖资金"]
    # the body's table, then the first attachment's
    assert [text for _, _, text in elements(page, "th")] == ["乡镇|片区", "慰问金额", "乡镇", "慰问金额"]
    assert [text for _, _, text in elements(page, "td")] == [
        "城关镇|东片", "9.12万元", "白石乡", "6.58万元", "城关镇", "9.12万元"]
    figures = [attrs["data-figure"] for _, attrs, _ in elements(page, "span") if "data-figure" in attrs]
    assert "慰问金额[城关镇]" in figures and "慰问金额[白石乡]" in figures
    assert "<thead><tr><th>" in page and "thead { display: table-header-group }" in page


def test_html_prints_on_a4_with_gbt9704_margins_and_body_sizes(page):
    assert '<html lang="zh-CN">' in page
    assert "@page { size: A4; margin: 37mm 26mm 35mm 28mm }" in page
    assert "font-size: 16pt; line-height: 28pt" in page
    assert "text-indent: 2em" in page
    assert '"仿宋_GB2312"' in page and '"黑体"' in page and '"楷体_GB2312"' in page


def test_html_is_self_contained(page):
    assert "http" not in page
    assert not re.search(r"\b(src|href)\s*=", page)
    assert "@import" not in page and "url(" not in page


def test_html_escapes_text(page):
    assert "满意度&lt;80%" in page and "满意度<80%" not in page
    assert "春风&amp;暖心" in page and "春风&暖心" not in page
    assert "满意度<80%" in " ".join(html_lines(page))


def test_html_enumerations_merged_and_separate(page):
    paragraphs = [text for _, _, text in elements(page, "p")]
    assert "主要问题：一是经费使用不够规范；二是满意度<80%的单位整改较慢。" in paragraphs
    assert paragraphs.index("一是深化产业工会建设。") + 1 == paragraphs.index("二是提升服务阵地效能。")


def test_html_front_and_back_matter(page):
    paragraphs = [text for _, _, text in elements(page, "p")]
    assert paragraphs[:2] == ["——在全县工会工作会议上的报告", "县委办公室："]
    start = paragraphs.index("附件：1.2024年送温暖资金明细表")
    assert paragraphs[start:start + 4] == ["附件：1.2024年送温暖资金明细表", "2.基层工会组建情况统计表",
                                           "青禾县总工会", "2024年12月20日"]
    assert '<span class="attachment-lead">附件：</span>1.2024年送温暖资金明细表' in page


def test_html_single_attachment_is_not_numbered():
    page = html_writer.write(sample_document(attachments=(Attachment("经费收支明细表", (Paragraph((Text("见表。"),)),)),))).decode("utf-8")
    assert '<span class="attachment-lead">附件：</span>经费收支明细表</p>' in page


@pytest.mark.parametrize("issuer, issuer_inset, date_inset", [
    # The date "2024年12月20日" is 3 full-width + 8 half-width = 7 characters wide.
    # Short issuer (6): date inset 2, so it starts 9 in; the issuer starts 2 further left, at
    # 11, and being 6 wide stands 11 − 6 = 5 in.
    ("青禾县总工会", "5", "2"),
    # Long issuer (16): issuer inset 2, starts 18 in; the date starts at 16 and ends 16 − 7 = 9 in.
    ("青禾县总工会经费审查委员会办公室", "2", "9"),
])
def test_html_signature_insets_follow_the_date_rule(issuer, issuer_inset, date_inset):
    page = html_writer.write(sample_document(issuer=issuer)).decode("utf-8")
    assert f'<p style="padding-right: {issuer_inset}em">{issuer}</p>' in page
    assert f'<p style="padding-right: {date_inset}em">2024年12月20日</p>' in page


# ---------------------------------------------------------------- Markdown

def test_markdown_headings_and_run_in_paragraph(markdown):
    lines = markdown.splitlines()
    expected = ["# 青禾县总工会2024年工作总结", "## 一、主要工作及成效", "### （一）扩大工会组织覆盖",
                "**1.健全组织。**全县新建基层工会18个，新发展会员1342人。", "#### 2.强化帮扶",
                "##### （1）困难职工帮扶", "## 二、存在的问题", "## 三、下一步工作打算"]
    positions = [lines.index(line) for line in expected]
    assert positions == sorted(positions)
    assert lines[1:5] == ["", "——在全县工会工作会议上的报告", "", "县委办公室："]


def test_markdown_table_with_bold_caption_and_escaped_pipes(markdown):
    lines = markdown.splitlines()
    start = lines.index("**表1 各乡镇送温暖资金**")
    assert lines[start + 1:start + 6] == [
        "",
        r"| 乡镇\|片区 | 慰问金额 |",
        "| --- | --- |",
        r"| 城关镇\|东片 | 9.12万元 |",
        "| 白石乡 | 6.58万元 |",
    ]


def test_markdown_enumerations_bold_and_back_matter(markdown):
    lines = markdown.splitlines()
    assert "主要问题：一是经费使用不够规范；二是满意度<80%的单位整改较慢。" in lines
    assert lines.index("一是深化产业工会建设。") + 2 == lines.index("二是提升服务阵地效能。")
    assert "春节期间走访慰问困难职工，发放慰问金28.64万元，开展“春风&暖心”行动，**做到应帮尽帮**。" in lines
    start = lines.index("附件：1.2024年送温暖资金明细表  ")
    assert lines[start:start + 5] == ["附件：1.2024年送温暖资金明细表  ",
                                      "\u3000\u3000\u30002.基层工会组建情况统计表",
                                      "", "青禾县总工会  ", "2024年12月20日"]


def test_markdown_escapes_what_would_become_structure():
    blocks = (Paragraph((Text("#3号楼职工之家已建成"),)),
              Paragraph((Text("- 号码"), Text("后缀*与_下划线"))),
              Paragraph((Text("2024. 年度"),)),
              Heading(1, (Text("建设[示范]点"),), label="一、"))
    lines = markdown_writer.write(sample_document(blocks=blocks)).decode("utf-8").splitlines()
    assert r"\#3号楼职工之家已建成" in lines
    assert r"\- 号码后缀\*与\_下划线" in lines
    assert r"2024\. 年度" in lines
    assert r"## 一、建设\[示范\]点" in lines


# ---------------------------------------------------------------- both

def test_a_table_without_caption_gets_no_empty_caption():
    """A pipe table with no "表：" line before it: Markdown's "****" would be a rule."""
    table = Table(caption=(), header=("乡镇", "户数"), rows=(((Text("城关镇"),), (Text("12"),)),))
    document = sample_document(blocks=(table,))
    text = markdown_writer.write(document).decode("utf-8")
    assert "****" not in text and "| 乡镇 | 户数 |" in text
    assert "<caption>" not in html_writer.write(document).decode("utf-8")


def test_html_and_markdown_carry_the_same_text_in_the_same_order(page, markdown):
    from_html, from_markdown = html_lines(page), markdown_lines(markdown)
    assert from_html == from_markdown
    assert from_html[0] == "青禾县总工会2024年工作总结" and from_html[-1] == "全县共有基层工会312个。"
    assert len(from_html) == 35


def test_html_prints_like_the_docx(page):
    """A4 with the GB/T 9704 margins and "— N —" page numbers outside on odd and even pages, a
    caption kept with its table, heading weights as the DOCX styles have them."""
    style = re.search(r"<style>(.*)</style>", page, re.S).group(1)
    assert "@page { size: A4; margin: 37mm 26mm 35mm 28mm }" in style
    for side in ("right", "left"):
        rule = re.search(rf"@page :{side} {{ @bottom-{side} {{ ([^}}]*) }}", style).group(1)
        assert 'content: "— " counter(page) " —"' in rule and "font-size: 14pt" in rule
    assert re.search(r"caption \{[^}]*break-after: avoid", style)
    weights = {selector.strip(): weight for selector, weight in
               re.findall(r"([^{}]+)\{[^}]*font-weight: (\w+)", style)}
    assert weights["h2, .run-in .level-1"] == weights["h3, .run-in .level-2"] == "normal"   # 黑体, 楷体
    assert weights["h4, .run-in .level-3"] == "bold"                                       # 仿宋加粗
    assert weights["h5, .run-in .level-4"] == "normal"
    assert weights["th"] == "bold"                          # the DOCX header row is bold 仿宋
