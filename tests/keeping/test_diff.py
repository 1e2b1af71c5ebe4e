"""`wenmi diff` after a one-cell correction, and `wenmi explain`."""

import csv
import json
import re
import shutil
from pathlib import Path

import openpyxl
import pytest

from example_ledgers import INPUTS, money, records
from wenmi.build import build
from wenmi.cli import main
from project_copies import (BATCH, EXCHANGE, SUMMARY, copy_project, edit, move_second_row,
                           warmth_of, warmth_rows)

UNION = "双河镇总工会"
BASE = Path(__file__).resolve().parents[1] / "bad_inputs" / "base"


def rank_of(root, union: str) -> int:
    """The union's place in the 工作总结's table of unions by 慰问金额, from the copied ledger."""
    unions = {row[1] for row in warmth_rows(root)[1:-1]}
    return 1 + sum(warmth_of(root, other) > warmth_of(root, union) for other in unions)


@pytest.fixture(scope="module")
def corrected(tmp_path_factory):
    """The example built, row 2 of 送温暖 moved to 双河镇总工会, built again: the root, the
    union's 慰问金额 as printed before and after, and its place in the table before and after."""
    root = copy_project(tmp_path_factory.mktemp("diff"))
    build(root)
    old_amount, old_rank = money(warmth_of(root, UNION)), rank_of(root, UNION)
    move_second_row(root, UNION)
    build(root)
    return root, old_amount, money(warmth_of(root, UNION)), old_rank, rank_of(root, UNION)


def test_diff_names_the_changed_figure_with_old_and_new_text_and_where_cited(corrected, capsys):
    root, old, new, old_rank, new_rank = corrected
    assert main(["diff", "--project", str(root)]) == 0
    out = capsys.readouterr().out
    assert f"各基层工会送温暖金额[{UNION}]：{old} → {new}" in out
    row = f"{new_rank} | {UNION} | {new}"
    opening = f"“{row[:16]}……”" if len(row) > 16 else f"“{row}”"
    cited = re.search(rf"引用于：{SUMMARY} 第(\d+)段 {re.escape(opening)}（{re.escape(new)}）\n", out)
    assert cited, out
    assert EXCHANGE not in out                              # it cites nothing that changed
    # the table row citing it follows, old and new, under the paragraph number cited and
    # the paragraph's first words
    assert (f"  {SUMMARY} 第{cited[1]}段 {opening}：\n"
            f"    - {old_rank} | {UNION} | {old}\n"
            f"    + {row}\n") in out


def test_diff_json_is_for_machines(corrected, capsys):
    root, old, new, _, _ = corrected
    assert main(["diff", "--project", str(root), "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    # the union's amount in the top-five table; in the attachment listing every union, its
    # amount and that of the union the row was moved from
    assert {f["名称"] for f in found["数字"]} == {f"各基层工会送温暖金额[{UNION}]", f"各基层工会送温暖资金[{UNION}]",
                                                  "各基层工会送温暖资金[县商贸流通业工会联合会]"}
    figure = next(f for f in found["数字"] if f["名称"] == f"各基层工会送温暖金额[{UNION}]")
    assert (figure["原写法"], figure["新写法"]) == (old, new)
    assert {c["文件"] for c in figure["引用"]} == {SUMMARY}
    # the 工作总结's table, and in the batch the dossiers of the two unions' nominees, the
    # roster listing their figures and the merged print file
    changed = {change["文件"] for change in found["段落"]}
    with open(root / "inputs/先进/推荐对象.csv", encoding="utf-8-sig", newline="") as stream:
        affected = {row["名称"] for row in csv.DictReader(stream)
                    if row["所属工会"] in (UNION, "县商贸流通业工会联合会")}
    dossiers = {name for name in changed if name.startswith(f"{BATCH}/") and "-" in name}
    assert changed == {SUMMARY, f"{BATCH}/推荐名单汇总表", f"{BATCH}/事迹材料合订本"} | dossiers
    assert {name.rsplit("-", 1)[-1] for name in dossiers} == affected
    assert any(new in text for change in found["段落"] for text in change["新文"])


def test_diff_since_an_unknown_build_says_which_exist(corrected, capsys):
    root, *_ = corrected
    assert main(["diff", "--project", str(root), "--since", "19990101-000000"]) == 2
    assert "没有编号为“19990101-000000”的生成记录" in capsys.readouterr().err


def test_explain_prints_rule_source_and_rows(capsys):
    assert main(["explain", "--project", str(INPUTS.parent), "送温暖慰问户数"]) == 0
    out = capsys.readouterr().out
    rows = records("送温暖.csv")
    assert "inputs/台账/2024/送温暖.csv" in out and f"共 {len(rows)} 行" in out
    assert "其余" in out and f"{len(rows) - 20} 行未列出" in out
    assert rows[0]["姓名"] in out                           # the first row is listed with its cells


def test_explain_suggests_close_names(capsys):
    assert main(["explain", "--project", str(INPUTS.parent), "送温暖户数"]) == 2
    assert "送温暖慰问户数" in capsys.readouterr().err


def test_diff_of_the_merged_print_file_is_the_changed_dossiers_paragraphs(corrected, capsys):
    """The print file repeats every dossier's headings; its changed paragraphs are exactly
    those of the dossiers that changed, no repeated heading mismatched."""
    root = corrected[0]
    assert main(["diff", "--project", str(root), "--json"]) == 0
    found = json.loads(capsys.readouterr().out)["段落"]
    merged = f"{BATCH}/事迹材料合订本"
    dossiers = {change["文件"] for change in found if change["文件"].startswith(f"{BATCH}/") and "-" in change["文件"]}
    assert dossiers
    for side in ("原文", "新文"):
        assert sorted(text for change in found if change["文件"] == merged for text in change[side]) == \
            sorted(text for change in found if change["文件"] in dossiers for text in change[side])


def test_explain_shows_amounts_of_an_xlsx_ledger_as_the_ledger_does(tmp_path, capsys):
    """Amounts read from a workbook are floats: 1000, not 1000.0."""
    root = tmp_path / "项目"
    shutil.copytree(BASE, root)
    workbook = openpyxl.Workbook()
    workbook.active.title = "明细"
    for row in csv.reader((root / "inputs/台账/慰问.csv").read_text(encoding="utf-8").splitlines()):
        workbook.active.append([float(cell.replace(",", "")) if cell.replace(",", "").isdigit() else cell
                                for cell in row])
    workbook.save(root / "inputs/台账/慰问.xlsx")
    edit(root / "inputs/数据源.yaml", "file: 台账/慰问.csv", "file: 台账/慰问.xlsx")
    assert main(["explain", "--project", str(root), "慰问金额"]) == 0
    out = capsys.readouterr().out
    assert "数值：3500元" in out
    rows = [line.split() for line in out.splitlines() if re.match(r"\s+\d+\s", line)]
    assert [row[1] for row in rows] == ["1000", "800", "1200", "500"]     # the 金额 column first
    assert ".0" not in out
