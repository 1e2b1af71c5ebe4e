"""End to end: the example project built by `wenmi build`, read back as a reader would.

Expected figures are computed here from the ledgers (tests/example_ledgers.py, which does not
use the pipeline), formatted by hand, and looked for in the DOCX, HTML and Markdown.
"""

import html
import os
import stat
import re
from collections import defaultdict
from pathlib import Path

import docx
import pytest

from example_ledgers import change, money, number, percent, records, total
from wenmi.keeping import staging as staging_module
from wenmi.cli import main
from wenmi.model import Enumeration, FigureText, Heading, Paragraph, plain
from helpers import Composed
from project_copies import (BATCH, EXCHANGE, SUMMARY, add_deed, copy_project, edit, fresh_copy,
                           raise_amount, raise_first_amount, snapshot, warmth_rows)

REPORTS = ("2024年度工作总结", "2024年经验交流材料")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("example"))
    assert main(["build", "--project", str(root)]) == 0
    return root


def docx_paragraphs(path: Path) -> list[tuple[str, str]]:
    """(style name, text) of every body paragraph, tables left out."""
    document = docx.Document(str(path))
    return [(p.style.name, p.text) for p in document.paragraphs]


def html_text(path: Path) -> str:
    source = path.read_text(encoding="utf-8")
    body = re.sub(r"<(style|script)\b.*?</\1>", "", source, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", body))


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


# ---------------------------------------------------------------- expected figures, by hand

def expected_figures() -> dict[str, str]:
    warmth, warmth_2023 = records("送温暖.csv"), records("送温暖.csv", "2023")
    cases = records("法律援助案件.csv")
    union, union_2023 = records("建会与会员.xlsx"), records("建会与会员.xlsx", "2023")
    hotline = records("职工热线.csv")
    closed = [row for row in cases if row["办结状态"] == "办结"]
    members, members_2023 = total(union, "会员总数"), total(union_2023, "会员总数")
    return {
        "送温暖慰问户数": f"{len(warmth)}户",
        "送温暖慰问金额": money(total(warmth, "慰问金额")),
        "送温暖同比": change(total(warmth, "慰问金额"), total(warmth_2023, "慰问金额")),
        "法律援助办结率": percent(len(closed), len(cases)),
        "挽回经济损失": money(total(cases, "挽回金额")),
        "会员总数": f"{members:.0f}人",
        "会员同比": change(members, members_2023),
        "热线办结率": percent(sum(row["办理状态"] == "办结" for row in hotline), len(hotline)),
        "新建工会数": f"{sum(row['建会类型'] == '新建' for row in union)}个",
    }


@pytest.mark.parametrize("ext", ["docx", "html", "md"])
def test_the_summary_states_the_figures_computed_from_the_ledgers(built, ext):
    path = built / "outputs" / f"2024年度工作总结.{ext}"
    if ext == "docx":
        document = docx.Document(str(path))
        cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
        text = "".join(p.text for p in document.paragraphs) + "".join(cells)
    elif ext == "html":
        text = html_text(path)
    else:
        text = path.read_text(encoding="utf-8")
    text = squeeze(text)
    for name, wording in expected_figures().items():
        assert wording in text, f"{ext} 中缺少 {name}：{wording}"


def test_the_group_table_lists_the_top_five_unions_by_amount(built):
    amounts = defaultdict(float)
    for row in records("送温暖.csv"):
        amounts[row["基层工会"]] += number(row["慰问金额"])
    top = sorted(amounts.items(), key=lambda item: -item[1])[:5]
    document = docx.Document(str(built / "outputs" / "2024年度工作总结.docx"))
    table = next(t for t in document.tables if "基层工会" in t.rows[0].cells[1].text)
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == ["序号", "基层工会", "慰问金额"]
    assert rows[1:] == [[str(rank), union, money(amount)] for rank, (union, amount) in enumerate(top, 1)]


# ---------------------------------------------------------------- the DOCX as a page

def test_docx_heading_sequence_is_numbered_as_in_gongwen(built):
    paragraphs = docx_paragraphs(built / "outputs" / "2024年度工作总结.docx")
    level1 = [text for style, text in paragraphs if style == "一级标题"]
    assert level1 == ["一、主要工作及成效", "二、存在的问题", "三、2025年工作打算"]
    level2 = [text.split("，")[0] for style, text in paragraphs if style == "二级标题"]
    assert level2[:7] == ["（一）坚持扩面提质", "（二）深化帮扶救助", "（三）实施金秋助学",
                          "（四）推广职工互助保障", "（五）强化维权服务", "（六）推进技能培训和劳动竞赛",
                          "（七）加强自身建设"]
    assert level2[7] == "（一）在扩大组织覆盖上持续用力"      # restarts under 三、
    level3 = [text for style, text in paragraphs if style == "三级标题"]
    assert level3[0].startswith("1.聚焦重点领域建会。围绕快递")
    assert level3[1].startswith("2.规范基层工会运行。")
    assert level3[2].startswith("1.分类施策精准帮扶。")     # restarts under （二）
    level4 = [text for style, text in paragraphs if style == "四级标题"]
    assert [text[:3] for text in level4] == ["（1）", "（2）"]


def test_docx_signs_off_and_then_prints_its_attachment_on_a_page_of_its_own(built):
    document = docx.Document(str(built / "outputs" / "2024年度工作总结.docx"))
    paragraphs = [p for p in document.paragraphs if p.text.strip()]
    label = next(i for i, p in enumerate(paragraphs) if p.style.name == "附件标签")
    assert [p.text for p in paragraphs[label - 3:label + 2]] == [
        "附件：2024年各基层工会送温暖资金发放情况", "青禾县总工会", "2024年12月20日",
        "附件", "2024年各基层工会送温暖资金发放情况"]
    assert paragraphs[label].paragraph_format.page_break_before
    assert paragraphs[label + 1].style.name == "公文标题"
    # the attachment's table: every union of the 送温暖 ledger, largest amount first
    by_union = defaultdict(float)
    for row in records("送温暖.csv"):
        by_union[row["基层工会"]] += number(row["慰问金额"])
    expected = sorted(by_union.items(), key=lambda item: (-item[1], item[0]))   # ties by name
    table = document.tables[-1]
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == ["序号", "基层工会", "慰问金额"]
    assert rows[1:] == [[str(i), union, money(amount)] for i, (union, amount) in enumerate(expected, 1)]


# ---------------------------------------------------------------- one text in three formats

@pytest.mark.parametrize("report", REPORTS)
def test_html_and_markdown_carry_the_docx_text(built, report):
    outputs = built / "outputs"
    docx_texts = [squeeze(text) for _, text in docx_paragraphs(outputs / f"{report}.docx") if text.strip()]
    html_body = squeeze(html_text(outputs / f"{report}.html"))
    markdown_body = squeeze(re.sub(r"[*#|]", "", (outputs / f"{report}.md").read_text(encoding="utf-8")))
    assert len(docx_texts) > 20
    for text in docx_texts:
        assert text in html_body, text[:40]
        assert text in markdown_body, text[:40]


# ---------------------------------------------------------------- a corrected figure

def figure_ids(block) -> set[str]:
    if isinstance(block, Heading):
        inlines = block.content + block.run_in
    elif isinstance(block, Paragraph):
        inlines = block.content
    elif isinstance(block, Enumeration):
        inlines = block.lead + tuple(span for item in block.items for span in item)
    else:
        inlines = tuple(span for row in (block.header, *block.rows) for cell in row for span in cell)
    return {re.split(r"[@\[]", span.figure.id)[0] for span in inlines if isinstance(span, FigureText)}


def test_changing_one_ledger_cell_changes_that_figure_everywhere_and_nothing_else(tmp_path):
    root = copy_project(tmp_path)
    before = Composed(root)
    rows = warmth_rows(root)
    assert rows[1][6] == "1900" and rows[-1][0] == "合计"
    old_total = int(number(rows[-1][6]))
    raise_first_amount(root, by=1000)                   # row 1: 1900 → 2900, and the 合计 row
    after = Composed(root)

    changed = {name for name, figure in after.figures.items() if figure != before.figures[name]}
    assert {"送温暖慰问金额", "户均慰问金额", "各基层工会送温暖金额"} <= changed
    assert all(after.project.metrics[name].source == "送温暖" or after.project.metrics[name].quotient
               for name in changed)
    new_total = money(old_total + 1000)
    for report in REPORTS:
        old_blocks, new_blocks = before.documents[report].blocks, after.documents[report].blocks
        assert len(old_blocks) == len(new_blocks)
        for old, new in zip(old_blocks, new_blocks):
            if old != new:
                assert figure_ids(new) & changed, f"{report} 中不含变动数字的段落也变了"
    summary = after.documents["2024年度工作总结"]
    cited = [span.text for block in summary.blocks if isinstance(block, Paragraph)
             for span in block.content
             if isinstance(span, FigureText) and span.figure.id == "送温暖慰问金额"]
    assert {text for text in cited if text.endswith("万元")} == {new_total}
    citing = {key for key, data in before.outputs.items() if money(old_total) in data.decode("utf-8", "replace")}
    assert {report for report, _ in citing} == {SUMMARY, EXCHANGE, "工作简报第12期"}
    for (report, fmt), data in after.outputs.items():
        if fmt != "docx":
            text = data.decode("utf-8")
            assert money(old_total) not in text, (report, fmt)
            assert (new_total in text) == ((report, fmt) in citing), (report, fmt)


def test_outputs_get_ordinary_file_permissions(built):
    umask = os.umask(0)
    os.umask(umask)
    paths = list((built / "outputs").rglob("*.*"))
    assert paths
    for path in paths:
        assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask, path.name


def test_a_build_failing_late_removes_what_it_staged_and_leaves_the_outputs_as_they_were(
        built, tmp_path, monkeypatch, capsys):
    """A nominee's new record makes its dossier new: it is staged as a temporary file while
    the batch is rendered, then the 工作总结's body fails. Every staged file goes again."""
    root = fresh_copy(built, tmp_path)
    before = snapshot(root / "outputs")
    add_deed(root, "GR01", "志愿服务", "无偿献血宣传")
    edit(root / "inputs/正文" / f"{SUMMARY}.md", "\n", "\n{{ 未声明的数字 }}\n")
    staged = []
    stage = staging_module.Staging.stage

    def noted(self, output):
        staged.append(stage(self, output))
        return staged[-1]
    monkeypatch.setattr(staging_module.Staging, "stage", noted)
    assert main(["build", "--project", str(root)]) == 2
    assert "未声明的数字" in capsys.readouterr().err
    assert any(output.status == "new" and output.path.parent.name == BATCH for output in staged)
    assert snapshot(root / "outputs") == before          # hidden temporary files included


def test_a_build_removes_the_temporary_files_a_killed_build_left(built, tmp_path):
    """A build stopped before it could discard (killed, power cut) leaves hidden temporary
    files; the next build, holding the build lock, removes them and nothing else."""
    root = fresh_copy(built, tmp_path)
    outputs = root / "outputs"
    stale = [outputs / f".{SUMMARY}.docx.0a1b2c3d.tmp", outputs / BATCH / ".01-名单.docx.ffffffff.tmp"]
    kept = [outputs / ".草稿.tmp", outputs / f".{SUMMARY}.docx.notatoken.tmp", outputs / "备忘.0a1b2c3d.tmp"]
    for path in stale + kept:
        path.write_bytes(b"half a file")
    raise_first_amount(root)
    assert main(["build", "--project", str(root)]) == 0
    assert [path.exists() for path in stale + kept] == [False, False, True, True, True]


def test_a_policy_range_is_a_declared_figure_not_the_range_of_the_payments(tmp_path, capsys):
    """慰问标准 is what the policy says: correcting the largest payments leaves its sentence as
    it was, and a payment outside the policy is reported by the declared check."""
    root = copy_project(tmp_path)

    def policy(composed) -> tuple[str, set[str]]:
        """The clause stating the policy, and the figures of its paragraph."""
        (content,) = [block.content for block in composed.documents[SUMMARY].blocks
                      if isinstance(block, Paragraph) and "慰问标准" in plain(block.content)]
        sentence = re.search(r"慰问标准[^，。]*", plain(content)).group()
        return sentence, {span.figure.id for span in content if isinstance(span, FigureText)}

    before_text, before_ids = policy(Composed(root))
    assert {"慰问标准下限", "慰问标准上限"} <= before_ids
    amounts = [number(row[6]) for row in warmth_rows(root)[1:-1]]
    largest = [row for row, amount in enumerate(amounts, start=1) if amount == max(amounts)]
    for row in largest:
        raise_amount(root, row, -100)
    after = Composed(root)
    assert after.figures["单户最高慰问金额"].value == max(amounts) - 100
    assert policy(after)[0] == before_text and "500" in before_text and "2000元" in before_text
    assert {"慰问标准下限", "慰问标准上限"} <= policy(after)[1]
    raise_amount(root, largest[0], 1000)                             # above the policy's 2000元
    assert main(["check", "--strict", "--project", str(root)]) == 2
    assert "校验“慰问金额符合标准”不成立" in capsys.readouterr().err
