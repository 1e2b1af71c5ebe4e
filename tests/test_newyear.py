"""`wenmi new-year` on a copy of the example: the roll, what `check` then says is missing,
nothing of the old year touched, and a new year that builds once its data is in."""

import shutil
from pathlib import Path

import docx
import openpyxl
import pytest

from project_copies import copy_project, edit, snapshot
from wenmi.cli import main
from wenmi.figures import Figure, Provenance
from wenmi.newyear import shifted
from wenmi.reading.specs import TargetSpec
from wenmi.reading.targets import target_figure

LEDGERS = ("送温暖.csv", "金秋助学.csv", "法律援助案件.csv", "职工热线.csv", "培训与劳动竞赛.csv",
           "个人业绩.csv", "荣誉.csv", "集体情况.csv", "建功立业.csv", "建会与会员.xlsx")


@pytest.fixture
def rolled(tmp_path, capsys) -> tuple[Path, dict, str]:
    root = copy_project(tmp_path / "项目")
    assert main(["build", "2024年度工作总结", "--project", str(root)]) == 0
    before = snapshot(root)
    assert main(["new-year", "--project", str(root)]) == 0
    return root, before, capsys.readouterr().out


def test_nothing_of_the_old_year_is_overwritten(rolled):
    root, before, _ = rolled
    after = snapshot(root)
    changed = {name for name in before if after.get(name) != before[name]}
    assert changed == {f"inputs/{name}" for name in ("报告.yaml", "数据源.yaml", "指标.yaml", "目标.yaml",
                                                     "项目.yaml", "先进.yaml")}
    for name in changed:                                   # kept as they were
        assert after[f"inputs/往年配置/2024/{Path(name).name}"] == before[name]


def test_the_specs_move_on_a_year_keeping_their_comments(rolled):
    root, before, out = rolled
    sources = (root / "inputs/数据源.yaml").read_text(encoding="utf-8")
    assert "file: 台账/2025/送温暖.csv" in sources and "previous: 台账/2024/送温暖.csv" in sources
    assert "# 数据源：每个台账（CSV 或 XLSX）在这里登记一次" in sources
    reports = (root / "inputs/报告.yaml").read_text(encoding="utf-8")
    assert "2025年度工作总结:" in reports and "date: 2025-12-20" in reports
    assert "2026年工作要点:" in reports and "# 下一年度工作要点" in reports
    assert "year: 2025" in (root / "inputs/项目.yaml").read_text(encoding="utf-8")
    body = root / "inputs/正文/2025年度工作总结.md"
    assert body.read_bytes() == before["inputs/正文/2024年度工作总结.md"]
    assert "2024年度工作总结 → 2025年度工作总结" in out


def test_new_ledgers_have_the_header_and_no_row(rolled):
    root, before, _ = rolled
    for name in LEDGERS[:-1]:
        old = before[f"inputs/台账/2024/{name}"]
        assert (root / "inputs/台账/2025" / name).read_bytes() == old.splitlines(keepends=True)[0]
    sheet = openpyxl.load_workbook(root / "inputs/台账/2025/建会与会员.xlsx")["明细"]
    old_sheet = openpyxl.load_workbook(root / "inputs/台账/2024/建会与会员.xlsx")["明细"]
    assert sheet.max_row == 2
    assert [c.value for c in sheet[2]] == [c.value for c in old_sheet[2]]


def test_check_lists_every_missing_ledger_and_figure_instead_of_zeros(rolled, capsys):
    root, _, _ = rolled
    assert main(["check", "--project", str(root)]) == 2
    err = capsys.readouterr().err
    # 12 towns' returns not in yet: a warning each; last year's two faulty ones still say so
    assert "发现 15 个错误、15 个警告" in err
    assert "inputs/台账/2025/互助保障/*.xlsx\n  警告：城关镇总工会尚未报送" in err
    assert "错误：2025年的单位报表还没有一份可以计入汇总" in err
    for name in LEDGERS:
        assert f"inputs/台账/2025/{name}\n  错误：台账还没有2025年的数据（只有表头）" in err
    assert "数字“全县职工总数”还没有填2025年的数值（上年为126000）" in err
    assert "数字“上年定的新建工会目标”还没有填2025年的数值" in err
    assert "数字“慰问标准上限”还没有填2025年的数值（上年为2000）" in err
    assert "未定义" not in err


def test_with_its_data_in_the_new_year_builds(rolled, capsys):
    root, _, _ = rolled
    for name in LEDGERS:                     # this year's data stands in for next year's
        shutil.copyfile(root / "inputs/台账/2024" / name, root / "inputs/台账/2025" / name)
    for path in (root / "inputs/台账/2024/互助保障").iterdir():
        shutil.copyfile(path, root / "inputs/台账/2025/互助保障" / path.name)
    edit(root / "inputs/指标.yaml", "全县职工总数: {", "全县职工总数: {value: 13万, ")
    edit(root / "inputs/目标.yaml", "上年定的新建工会目标: {", "上年定的新建工会目标: {value: 15, ")
    for bound, yuan in (("下限", 500), ("上限", 2000)):          # the new year's 送温暖 policy
        edit(root / "inputs/指标.yaml", f"慰问标准{bound}: {{", f"慰问标准{bound}: {{value: {yuan}, ")
    assert main(["check", "--project", str(root)]) == 0
    assert main(["build", "2025年度工作总结", "--project", str(root)]) == 0
    document = docx.Document(str(root / "outputs/2025年度工作总结.docx"))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "青禾县总工会2025年工作总结"
    assert "2025年12月20日" in texts
    assert (root / "outputs/2024年度工作总结.docx").exists()         # the old year's output stays


def test_rolling_backwards_is_refused(tmp_path, capsys):
    root = copy_project(tmp_path / "项目")
    assert main(["new-year", "2023", "--project", str(root)]) == 2
    assert "新年度（2023）应晚于项目当前年度（2024）" in capsys.readouterr().err


def test_years_around_this_one_move_on_and_others_stay():
    assert shifted("2024年度工作总结", 2024, 1) == "2025年度工作总结"
    assert shifted("2025年工作要点", 2024, 1) == "2026年工作要点"
    assert shifted("2023年对比2020年", 2024, 1) == "2024年对比2020年"
    assert shifted("12345人", 2024, 1) == "12345人"


@pytest.mark.parametrize("base, growth, step, expected", [
    (13, 10, 5, 15), (128, 0, 10, 130), (130, 0, 10, 130), (2650, 10, 100, 3000),
    (5693, 5, 500, 6000), (100, 10, 1, 110), (7, 0, 1, 7),
])
def test_targets_grow_by_their_rate_and_round_up_to_their_step(base, growth, step, expected):
    figure = Figure("基数", "基数", base, "个", 0, Provenance("inputs/指标.yaml:1", "计数", ()))
    target = target_figure(TargetSpec("目标", "inputs/目标.yaml:3", "目标", "基数", growth, step),
                           {"基数": figure})
    assert (target.value, target.unit) == (expected, "个")
    assert "基数" in target.provenance.rule and target.provenance.defined_at == "inputs/目标.yaml:3"
