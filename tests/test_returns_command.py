"""报送情况 on the command line: `wenmi check` prints each returns source's summary after its
warnings, and `wenmi returns` prints it — with what is wrong in each return left out —
even when the project has errors that stop `check`. The units are worked out here from the
return files (tests/example_returns.py), not through Wenmi."""

import pytest

from example_returns import FOLDER, counted, returns, roster, summed_columns
from project_copies import copy_project, edit
from wenmi.cli import main

GLOB = f"inputs/{FOLDER.as_posix()}/*.xlsx"


def expected_lines() -> list[str]:
    towns, columns = returns(), summed_columns()
    faulty = [unit for unit in roster() if unit in towns and not counted(towns[unit], columns)]
    missing = [unit for unit in roster() if unit not in towns]
    return [f"报送情况（互助保障，{GLOB}）：应报 {len(roster())} 个单位，已报 {len(towns)} 个"
            f"（无误 {len(towns) - len(faulty)} 个、有误 {len(faulty)} 个），未报 {len(missing)} 个",
            f"  未报送：{'、'.join(missing)}"] + [
        f"  有误未计入：{unit}（inputs/{FOLDER.as_posix()}/{towns[unit].path.name}）" for unit in faulty]


def test_check_prints_the_returns_after_its_warnings(tmp_path, capsys):
    root = copy_project(tmp_path)
    assert main(["check", "--project", str(root)]) == 0
    printed = capsys.readouterr()
    lines = printed.out.splitlines()
    assert lines[:-1] == expected_lines()
    assert lines[-1].startswith("校验通过：")
    assert "北岭乡总工会尚未报送" in printed.err                     # the warnings, on stderr


def test_returns_prints_them_with_each_faulty_returns_problems_despite_errors(tmp_path, capsys):
    root = copy_project(tmp_path)
    edit(root / "inputs" / "台账" / "2024" / "送温暖.csv", ",800,", ",约800,")    # an error elsewhere
    assert main(["check", "--project", str(root)]) == 2
    assert "报送情况" not in capsys.readouterr().out

    assert main(["returns", "--project", str(root)]) == 0
    lines = capsys.readouterr().out.splitlines()
    summary = expected_lines()
    assert lines[:len(summary)] == summary
    problems = lines[len(summary):]
    towns = returns()
    total = sum(row["参保人数"] for row in towns["石桥镇总工会"].rows)
    assert problems[:2] == ["  石桥镇总工会的问题：",
                            f"    工作表“参保情况”第13行“参保人数”列：合计行写的是{towns['石桥镇总工会'].totals['参保人数']}，"
                            f"但上面{len(towns['石桥镇总工会'].rows)}行相加是{total}"]
    assert problems[2] == "  杨集乡总工会的问题："
    assert problems[3] == f"    报表表式版本不符：I2 单元格是“{towns['杨集乡总工会'].version}”，应为“2024版”"
    assert len(problems) == 5 and "表头中没有声明的列" in problems[4]


def test_returns_names_one_source_and_refuses_an_unknown_one(tmp_path, capsys):
    root = copy_project(tmp_path)
    assert main(["returns", "互助保障", "--project", str(root)]) == 0
    assert capsys.readouterr().out.startswith(expected_lines()[0])
    assert main(["returns", "送温暖", "--project", str(root)]) == 2
    assert "“送温暖”不是用 files 声明的单位报表数据源；现有：互助保障" in capsys.readouterr().err


def test_returns_is_in_the_help_in_chinese(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "returns   各单位报表的报送情况" in capsys.readouterr().out
