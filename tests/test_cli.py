"""The `wenmi` command as the office uses it: commands, Chinese messages, exit codes, and
bad input that stops the build before any file is touched."""

import gc
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from example_ledgers import INPUTS
from wenmi.cli import main
from project_copies import copy_project, edit, fresh_copy, snapshot


def line_of(file: str, text: str, after: int = 0) -> str:
    """“第N行” of the first line of an example input holding `text` (or `after` lines below
    it), as messages name it."""
    lines = (INPUTS / file).read_text(encoding="utf-8").splitlines()
    return f"第{next(number for number, line in enumerate(lines, 1) if text in line) + after}行"


@pytest.fixture(scope="module")
def built_once(tmp_path_factory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("built"))
    assert main(["build", "--project", str(root)]) == 0
    return root


@pytest.fixture
def project(built_once, tmp_path) -> Path:
    """A fresh copy of the built example, outputs included."""
    return fresh_copy(built_once, tmp_path)


def missing_ledger(root: Path) -> None:
    (root / "inputs/台账/2024/职工热线.csv").unlink()


def broken_yaml(root: Path) -> None:
    edit(root / "inputs/指标.yaml", "  热线受理件数:\n", "  热线受理件数: [1, 2\n")


def unknown_column(root: Path) -> None:
    edit(root / "inputs/指标.yaml", "    column: 资助金额\n", "    column: 资助金\n")


def unknown_metric(root: Path) -> None:
    edit(root / "inputs/正文/2024年度工作总结.md", "全年资助学生{{ 金秋助学人数|数值 }}名",
         "全年资助学生{{ 金秋助学总人数|数值 }}名")


def unknown_filter(root: Path) -> None:
    edit(root / "inputs/正文/2024年度工作总结.md", "人均{{ 人均助学金额 }}", "人均{{ 人均助学金额|千元 }}")


def text_in_number_cell_csv(root: Path) -> None:
    edit(root / "inputs/台账/2024/送温暖.csv", ",困难职工,—,800,", ",困难职工,—,八百,")


def text_in_number_cell_xlsx(root: Path) -> None:
    path = root / "inputs/台账/2024/建会与会员.xlsx"
    workbook = openpyxl.load_workbook(path)
    workbook["明细"]["H5"] = "约50"
    workbook.save(path)


def zero_denominator(root: Path) -> None:
    with (root / "inputs/指标.yaml").open("a", encoding="utf-8") as specs:
        specs.write("  特大案件数:\n    source: 法律援助\n    agg: count\n"
                    "    where: 涉及人数 > 100000\n    unit: 件\n"
                    "  特大案件办结率:\n    rate: [法律援助办结案件数, 特大案件数]\n")


# (how the input goes wrong, words the message must contain); an unclosed "[" is found by
# YAML on the line after it
BAD_INPUTS = [
    (missing_ledger, ["台账/2024/职工热线.csv"]),
    (broken_yaml, ["inputs/指标.yaml", f"{line_of('指标.yaml', '  热线受理件数:', after=1)}第10列", "YAML 格式错误"]),
    (unknown_column, ["inputs/指标.yaml", line_of("指标.yaml", "  金秋助学金额:"), "资助金", "没有这一列"]),
    (unknown_metric, ["2024年度工作总结.md", line_of("正文/2024年度工作总结.md", "全年资助学生"),
                     "金秋助学总人数"]),
    (unknown_filter, ["2024年度工作总结.md", line_of("正文/2024年度工作总结.md", "人均{{ 人均助学金额 }}"),
                     "千元"]),
    (text_in_number_cell_csv, ["送温暖.csv", "第3行", "“慰问金额”列", "八百"]),
    (text_in_number_cell_xlsx, ["建会与会员.xlsx", "工作表“明细”", "第5行", "“会员总数”列"]),
    (zero_denominator, ["inputs/指标.yaml", "特大案件办结率", "分母“特大案件数”为0"]),
]


@pytest.mark.parametrize("spoil, words", BAD_INPUTS, ids=[spoil.__name__ for spoil, _ in BAD_INPUTS])
def test_bad_input_gives_one_chinese_message_and_leaves_outputs_as_they_were(project, capsys, spoil, words):
    before = snapshot(project / "outputs")
    spoil(project)
    assert main(["build", "--project", str(project)]) == 2
    captured = capsys.readouterr()
    message = captured.err
    assert message.startswith("错误：") and "Traceback" not in message
    for word in words:
        assert word in message, f"提示中缺少“{word}”：{message}"
    assert snapshot(project / "outputs") == before


def test_a_user_error_in_a_real_process_exits_2_without_traceback(project):
    missing_ledger(project)
    result = subprocess.run([sys.executable, "-m", "wenmi", "check", "--project", str(project)],
                            capture_output=True, text=True, env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "职工热线.csv" in result.stderr


def test_a_reader_that_stops_early_is_not_an_internal_error():
    """`wenmi list | head -1`: the pipe is closed before wenmi writes to it."""
    process = subprocess.Popen([sys.executable, "-m", "wenmi", "list", "--project", str(INPUTS.parent)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    process.stdout.close()
    error = process.stderr.read().decode("utf-8")
    assert process.wait() == 0
    assert error == ""


def test_a_build_in_a_real_process_prints_its_summary_in_full(tmp_path):
    """`python -m wenmi` exits without tearing the interpreter down: what it printed
    must still all arrive."""
    root = copy_project(tmp_path)
    result = subprocess.run([sys.executable, "-m", "wenmi", "build", "--project", str(root)],
                            capture_output=True, text=True, env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert result.returncode == 0
    assert "错误" not in result.stderr     # the warnings about the example's late and faulty returns only
    assert all("互助保障" in line or line.startswith("  警告：") for line in result.stderr.splitlines())
    assert result.stdout.rstrip().splitlines()[-1].startswith("共写入 ")


def test_the_command_imports_and_runs_its_modules_without_the_cyclic_collector(monkeypatch):
    """`wenmi` (wenmi.wenmi) switches the collector off before pipeline/cli.py and what it
    imports are loaded, and leaves it off for the command."""
    import wenmi
    import wenmi.cli
    seen = []
    monkeypatch.setattr(wenmi.cli, "run", lambda: seen.append(gc.isenabled()))
    try:
        wenmi.wenmi()
    finally:
        gc.enable()
    assert seen == [False]


def test_help_is_in_chinese(capsys):
    with pytest.raises(SystemExit) as exit:
        main(["build", "--help"])
    assert exit.value.code == 0
    text = capsys.readouterr().out
    assert "用法：" in text and "报告名" in text and "输出格式" in text


def test_check_validates_without_writing(project, capsys):
    shutil.rmtree(project / "outputs")
    assert main(["check", "--project", str(project)]) == 0
    assert "份报告、1 份批量报告（32 名推荐对象）" in capsys.readouterr().out
    assert not (project / "outputs").exists()


def test_check_lists_the_nominee_sheets_problems_too(project, capsys):
    sheet = project / "inputs/先进/推荐对象.csv"
    lines = sheet.read_text(encoding="utf-8-sig").splitlines()
    lines[2] = lines[2].replace("GR02,先进个人", "GR01,先进个人")          # a second GR01
    sheet.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    (project / "inputs/先进/事迹/GR02.md").unlink()       # no longer any nominee's: a warning of its own
    assert main(["check", "--project", str(project)]) == 2
    assert "inputs/先进/推荐对象.csv\n  错误：第3行“编号”列：编号“GR01”重复（第一次在第2行）" in capsys.readouterr().err


def test_build_of_one_named_report_and_format(project, capsys):
    shutil.rmtree(project / "outputs")
    assert main(["build", "2024年经验交流材料", "--formats", "md", "--project", str(project)]) == 0
    assert [path.name for path in (project / "outputs").iterdir()] == ["2024年经验交流材料.md"]
    assert main(["build", "2025年度工作总结", "--project", str(project)]) == 2
    assert "没有名为“2025年度工作总结”的报告" in capsys.readouterr().err


def test_list_names_genre_sources_and_outputs(project, capsys):
    assert main(["list", "--project", str(project)]) == 0
    text = capsys.readouterr().out
    assert "2024年度工作总结\n  体裁：工作总结（templates/工作总结.md.j2）" in text
    assert "送温暖" in text and "outputs/2024年经验交流材料.docx" in text
    assert ("2024年度先进事迹材料（批量，每名推荐对象一份）\n  推荐对象表：inputs/先进/推荐对象.csv\n"
            "  类别（体裁）：先进个人（templates/先进个人.md.j2）") in text
    assert "按对象计算的指标：本人技术革新项数、本人合理化建议条数" in text
    assert "输出：outputs/2024年度先进事迹材料/，每份 docx，另有推荐名单汇总表.docx/.xlsx、事迹材料合订本.docx" in text


def test_figures_json_carries_value_text_and_provenance(project, capsys):
    assert main(["figures", "2024年经验交流材料", "--json", "--project", str(project)]) == 0
    rows = {row["名称"]: row for row in json.loads(capsys.readouterr().out)}
    amount = rows["送温暖慰问金额"]
    assert amount["单位"] == "元" and amount["写法"].endswith("万元")
    source = amount["来源"]["来源"][0]
    assert source["文件"] == "inputs/台账/2024/送温暖.csv" and source["行数"] == 128
    assert amount["来源"]["定义位置"].startswith("inputs/指标.yaml:")
    assert "热线诉求分类" not in rows          # cited only by the summary


def test_the_project_wording_rules_reach_figures_documents_and_the_record(project, capsys):
    edit(project / "inputs/项目.yaml", "  year: 2024\n",
         "  year: 2024\n  wording: {wan_from: 10万, approx_digits: 1}\n")
    assert main(["figures", "--json", "--project", str(project)]) == 0
    rows = {row["名称"]: row for row in json.loads(capsys.readouterr().out)}
    assert rows["全县职工总数"]["写法"] == "12.6万名"          # was 126000名
    assert main(["build", "--project", str(project)]) == 0
    summary = (project / "outputs/2024年度工作总结.md").read_text(encoding="utf-8")
    assert "全县10多万名职工" in summary and "全县12万多名职工" not in summary
    record = json.loads((project / ".wenmi/manifest.json").read_text(encoding="utf-8"))
    assert record["figures"]["全县职工总数"]["text"] == "12.6万名"


def test_init_scaffolds_a_project_that_builds_as_is(tmp_path, capsys):
    target = tmp_path / "新项目"
    assert main(["init", str(target)]) == 0
    for folder in ("inputs", "templates"):                # the example, byte for byte
        assert snapshot(target / folder) == snapshot(INPUTS.parent / folder), folder
    assert main(["check", "--project", str(target)]) == 0
    assert main(["build", "--project", str(target)]) == 0
    assert any(path.suffix == ".docx" for path in (target / "outputs").iterdir())
    capsys.readouterr()
    scaffolded = snapshot(target)
    assert main(["init", str(target)]) == 2           # never over an existing project
    assert "未做任何改动" in capsys.readouterr().err
    assert snapshot(target) == scaffolded


HEAVY = ("pandas", "numpy", "docx", "jinja2", "openpyxl", "python_calamine", "markdown", "lxml")


@pytest.mark.parametrize("command", [["build"], ["--help"], ["diff", "--json"]])
def test_commands_with_nothing_heavy_to_do_import_no_heavy_library(project, command):
    """A build that finds nothing to do, the help and diff start at once: none of them loads
    pandas, python-docx, Jinja2 and the rest (checked in a fresh interpreter)."""
    edit(project / "inputs/正文/2024年度工作总结.md", "\n", "\n全年工作得到上级工会肯定。\n")
    assert main(["build", "--project", str(project)]) == 0          # a second build, for diff
    arguments = command if command == ["--help"] else [*command, "--project", str(project)]
    script = ("import sys, wenmi.cli\n"
              "try:\n    status = wenmi.cli.main(sys.argv[1:])\nexcept SystemExit as stop:\n"
              "    status = stop.code\n"
              f"print('LOADED', sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
              "sys.exit(status)\n")
    result = subprocess.run([sys.executable, "-c", script, *arguments], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "LOADED []" in result.stdout
    if command == ["build"]:
        assert "输入未变，已跳过" in result.stdout


def test_check_still_checks_bodies_templates_and_stories_when_a_ledger_cannot_be_read(project, capsys):
    """A ledger error hides no other problem: names and syntax are checked without figures."""
    text_in_number_cell_xlsx(project)
    edit(project / "inputs/正文/2024年度工作总结.md", "\n", "\n{{ 送温暖慰问金 }}\n")
    story = project / "inputs/先进/事迹/GR01.md"
    story.write_text(story.read_text(encoding="utf-8") + "\n{% if %}\n", encoding="utf-8")
    assert main(["check", "--project", str(project)]) == 2
    err = capsys.readouterr().err
    assert "约50" in err                                               # the ledger's own error
    assert "inputs/正文/2024年度工作总结.md" in err and "未定义的占位符“送温暖慰问金”" in err
    assert "是否想写：送温暖慰问金额" in err
    assert "inputs/先进/事迹/GR01.md" in err and "模板语法错误" in err
    assert "未定义的占位符“对象”" not in err and "未定义的占位符“项目”" not in err
