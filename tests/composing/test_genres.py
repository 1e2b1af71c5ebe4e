"""The genres beyond the summary: 工作要点 (points numbered on through the sections, targets
from declared rules), 专项工作汇报, 调研报告 and 工作简报, read from the built example's DOCX."""

import math
from pathlib import Path

import docx
import pytest

from example_ledgers import records
from project_copies import copy_project
from wenmi.cli import main

PLAN, SPECIAL, RESEARCH, BRIEF = ("2025年工作要点", "2024年农民工工作专项汇报",
                                  "新就业形态劳动者入会调研报告", "工作简报第12期")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("genres"))
    assert main(["build", PLAN, SPECIAL, RESEARCH, BRIEF, "--project", str(root)]) == 0
    return root / "outputs"


def styled(path: Path, style: str) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs if p.style.name == style]


def body_text(path: Path) -> str:
    return "".join(p.text for p in docx.Document(str(path)).paragraphs)


def test_plan_points_are_numbered_on_through_its_sections(built):
    document = built / f"{PLAN}.docx"
    sections = styled(document, "一级标题")
    assert [s[:2] for s in sections] == ["一、", "二、", "三、", "四、"]
    points = styled(document, "三级标题")
    assert [int(p.split(".")[0]) for p in points] == list(range(1, 13))       # never restarting


def test_plan_targets_follow_their_rules_from_this_years_figures(built):
    households = len(records("送温暖.csv"))                    # this year's 送温暖慰问户数
    target = math.ceil(households / 10) * 10                    # step 10, no growth
    text = body_text(built / f"{PLAN}.docx")
    assert f"慰问户数不少于{target}户" in text
    assert "年度目标的" in text and "%" in text.split("年度目标的")[1][:8]


def test_a_special_report_is_addressed_up_and_has_the_four_parts(built):
    document = docx.Document(str(built / f"{SPECIAL}.docx"))
    recipient = [p.text for p in document.paragraphs if p.text.endswith("：")][0]
    assert recipient == "市总工会："
    assert [s[2:] for s in styled(built / f"{SPECIAL}.docx", "一级标题")] == \
        ["基本情况", "主要做法", "存在的问题", "下一步打算"]


def test_a_research_report_has_its_parts_and_a_table(built):
    path = built / f"{RESEARCH}.docx"
    assert [s[2:] for s in styled(path, "一级标题")] == ["基本情况", "存在的问题", "对策建议"]
    document = docx.Document(str(path))
    assert len(document.tables) == 1
    assert [cell.text for cell in document.tables[0].rows[0].cells] == ["项目", "2024年", "2023年"]
    assert document.paragraphs[1].text.startswith("——关于")


def test_a_brief_is_short_news_without_headings(built):
    path = built / f"{BRIEF}.docx"
    document = docx.Document(str(path))
    assert not any(p.style.name.endswith("级标题") for p in document.paragraphs)
    assert "（2024年第12期）" in [p.text for p in document.paragraphs]
    households = len(records("送温暖.csv"))
    assert f"共走访慰问困难职工、农民工、劳动模范和一线职工{households}户" in body_text(path)
