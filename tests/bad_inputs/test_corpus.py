"""The bad-input corpus: one case per way the office's input can go wrong.

Every case spoils a fresh copy of the small project in base/ (already built once, so
outputs/ holds earlier results) and runs `wenmi build`. Each must exit 2 with a Chinese
message naming the kind of problem, the file and the place, no traceback, and outputs/
byte for byte as it was. Cases that are warnings run with `--strict`, after `wenmi check`
without it has passed: so it is --strict that turns the warning into an error.
"""

import shutil
import sys
from pathlib import Path

import openpyxl
import pytest

from wenmi.cli import main

from project_copies import edit, fresh_copy, snapshot  # noqa: E402

BASE = Path(__file__).resolve().parent / "base"
LEDGER = "inputs/台账/慰问.csv"


@pytest.fixture(scope="module")
def built_base(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("base")
    shutil.copytree(BASE, root, dirs_exist_ok=True)
    assert main(["build", "--project", str(root)]) == 0
    return root


@pytest.fixture
def root(built_base, tmp_path) -> Path:
    """A fresh copy of the built base project, outputs included."""
    return fresh_copy(built_base, tmp_path)


def write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as stream:
        stream.write(text)


def use_xlsx(root: Path, rows, sheet: str = "明细", declared_sheet: str | None = "明细") -> None:
    """Replace the CSV ledger by an XLSX one holding `rows`."""
    workbook = openpyxl.Workbook()
    workbook.active.title = sheet
    for row in rows:
        workbook.active.append(row)
    workbook.save(root / "inputs/台账/慰问.xlsx")
    sheet_line = f"\n    sheet: {declared_sheet}" if declared_sheet else ""
    edit(root / "inputs/数据源.yaml", "file: 台账/慰问.csv", f"file: 台账/慰问.xlsx{sheet_line}")


HEADER = ["序号", "姓名", "类别", "金额", "人数", "日期"]
BOMB = "".join(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]\n" for i in range(1, 9))

# (case id, how the input goes wrong, strict, kind of problem, file, place)
CASES = [
    ("yaml_truncated", lambda r: write(r / "inputs/指标.yaml", "metrics:\n  慰问户数: {source: 慰问, agg: cou"),
     False, "YAML 格式错误", "inputs/指标.yaml", "第2行"),
    ("yaml_tab_indent", lambda r: edit(r / "inputs/报告.yaml", "    genre:", "\tgenre:"),
     False, "YAML 格式错误", "inputs/报告.yaml", "第3行"),
    ("yaml_unclosed_quote", lambda r: edit(r / "inputs/报告.yaml", '"{{ 项目.年度 }}年慰问工作总结"', '"{{ 项目.年度 }}年'),
     False, "YAML 格式错误", "inputs/报告.yaml", "第"),
    ("yaml_bomb", lambda r: write(r / "inputs/炸弹.yaml", "l0: &l0 [哈, 哈, 哈, 哈, 哈, 哈, 哈, 哈, 哈]\n" + BOMB),
     False, "展开后超过", "inputs/炸弹.yaml", "第1行"),
    ("yaml_duplicate_key", lambda r: append(r / "inputs/指标.yaml", "  慰问户数: {source: 慰问, agg: count}\n"),
     False, "重复出现", "inputs/指标.yaml", "第11行第3列"),
    ("yaml_name_declared_twice", lambda r: write(r / "inputs/另一份.yaml", "metrics:\n  慰问金额: {source: 慰问, agg: count}\n"),
     False, "重复声明（第一次在inputs/另一份.yaml:2）", "inputs/指标.yaml", "第3行"),
    ("yaml_not_utf8", lambda r: (r / "inputs/项目.yaml").write_bytes("project: {organization: 测试县总工会, year: 2024}\n".encode("gbk")),
     False, "不是 UTF-8", "inputs/项目.yaml", None),
    ("yaml_top_level_list", lambda r: write(r / "inputs/校验.yaml", "- 慰问户数 > 0\n"),
     False, "顶层应是", "inputs/校验.yaml", "第1行"),
    ("yaml_unknown_section", lambda r: append(r / "inputs/校验.yaml", "rules:\n  a: 1\n"),
     False, "未知的配置段", "inputs/校验.yaml", "第3行"),
    ("wrong_type_header_rows", lambda r: edit(r / "inputs/数据源.yaml", "file: 台账/慰问.csv", "file: 台账/慰问.csv\n    header_rows: 两行"),
     False, "header_rows", "inputs/数据源.yaml", "第4行"),
    ("wrong_column_type", lambda r: edit(r / "inputs/数据源.yaml", "姓名: text", "姓名: txt"),
     False, "类型“txt”无效", "inputs/数据源.yaml", "第6行"),
    ("wrong_type_min", lambda r: edit(r / "inputs/数据源.yaml", "min: 0, max: 5000", "min: 零, max: 5000"),
     False, "min 应是一个数", "inputs/数据源.yaml", "第8行"),
    ("min_on_text_column", lambda r: edit(r / "inputs/数据源.yaml", "姓名: text", "姓名: {type: text, min: 1}"),
     False, "只能用于数值列", "inputs/数据源.yaml", "第6行"),
    ("unknown_metric_key", lambda r: edit(r / "inputs/指标.yaml", "agg: count, unit: 户}", "agg: count, units: 户}"),
     False, "未知的键“units”", "inputs/指标.yaml", "第2行"),
    ("bad_report_date", lambda r: edit(r / "inputs/报告.yaml", "date: 2024-12-20", "date: 2024-13-45"),
     False, "date", "inputs/报告.yaml", "第6行"),
    ("metric_on_undeclared_source", lambda r: edit(r / "inputs/指标.yaml", "慰问户数: {source: 慰问,", "慰问户数: {source: 走访,"),
     False, "未在 sources 中声明", "inputs/指标.yaml", "第2行"),
    ("missing_ledger", lambda r: (r / LEDGER).unlink(),
     False, "找不到文件", LEDGER, None),
    ("empty_ledger", lambda r: write(r / LEDGER, ""),
     False, "文件是空的", LEDGER, None),
    ("ledger_in_big5", lambda r: (r / LEDGER).write_bytes("序號,姓名,類別,金額,人數,日期\n1,陳,農民工,800,1,2024-01-02\n".encode("big5")),
     False, "表头中没有声明的列", LEDGER, "第1行"),
    ("binary_named_csv", lambda r: (r / LEDGER).write_bytes(bytes(range(256)) * 40),
     False, "二进制", LEDGER, None),
    ("xlsx_named_csv", lambda r: (r / LEDGER).write_bytes(b"PK\x03\x04" + b"\x00" * 200),
     False, "Excel", LEDGER, None),
    ("corrupt_xlsx", lambda r: (use_xlsx(r, [HEADER]), (r / "inputs/台账/慰问.xlsx").write_bytes(b"PK\x03\x04broken")),
     False, "无法打开", "inputs/台账/慰问.xlsx", None),
    ("xlsx_sheet_missing", lambda r: use_xlsx(r, [HEADER, [1, "甲", "农民工", 800, 1, "2024-01-02"]], sheet="Sheet1"),
     False, "没有名为“明细”的工作表", "inputs/台账/慰问.xlsx", None),
    ("xlsx_formula_without_result", lambda r: use_xlsx(r, [HEADER, [1, "甲", "农民工", "=100*8", 1, "2024-01-02"]]),
     False, "公式", "inputs/台账/慰问.xlsx", "工作表“明细”第2行"),
    ("xlsx_text_in_number", lambda r: use_xlsx(r, [HEADER, [1, "甲", "农民工", "约800", 1, "2024-01-02"]]),
     False, "约800", "inputs/台账/慰问.xlsx", "工作表“明细”第2行“金额”列"),
    ("ragged_csv_row", lambda r: edit(r / LEDGER, "500,1,2024-01-20", "500,1,2024-01-20,多余"),
     False, "表头只有6列", LEDGER, "第5行"),
    ("huge_cell", lambda r: edit(r / LEDGER, "1000,3", '"' + "9" * 100_000 + '",3'),
     False, "不是合理的数值", LEDGER, "第2行“金额”列"),
    ("formula_typed_in_csv", lambda r: edit(r / LEDGER, "800,2", "=SUM(D2:D3),2"),
     False, "=SUM(D2:D3)", LEDGER, "第3行“金额”列"),
    ("text_in_number_cell", lambda r: edit(r / LEDGER, "800,2", "八百,2"),
     False, "八百", LEDGER, "第3行“金额”列"),
    ("category_not_allowed", lambda r: edit(r / LEDGER, "乙,农民工", "乙,外来务工"),
     False, "不是允许的取值", LEDGER, "第3行“类别”列"),
    ("bad_date", lambda r: edit(r / LEDGER, "2024-01-20", "2024-02-30"),
     False, "2024-02-30", LEDGER, "第5行“日期”列"),
    ("required_cell_blank", lambda r: edit(r / LEDGER, "4,丁", "—,丁"),
     False, "必填", LEDGER, "第5行“序号”列"),
    ("duplicate_key", lambda r: edit(r / LEDGER, "4,丁", "3,丁"),
     False, "应唯一", LEDGER, "第5行“序号”列"),
    ("negative_count", lambda r: (edit(r / LEDGER, "800,2,", "800,-2,"), edit(r / LEDGER, "3500,10", "3500,6")),
     False, "不应小于0", LEDGER, "第3行“人数”列"),
    ("over_maximum", lambda r: (edit(r / LEDGER, "500,1,", "9000,1,"), edit(r / LEDGER, "3500,10", "12000,10")),
     False, "不应大于5000", LEDGER, "第5行“金额”列"),
    ("total_row_differs", lambda r: edit(r / LEDGER, "3500,10", "3600,10"),
     False, "合计行写的是3600", LEDGER, "第6行“金额”列"),
    ("rows_after_total", lambda r: append(r / LEDGER, "5,戊,农民工,100,1,2024-02-01\n"),
     False, "合计行（第6行）之后", LEDGER, "第7行"),
    ("declared_column_missing", lambda r: edit(r / LEDGER, "序号,姓名,类别,金额", "序号,姓名,类型,金额"),
     False, "表头中没有声明的列“类别”", LEDGER, "第1行"),
    ("undeclared_column_strict", lambda r: (edit(r / LEDGER, "人数,日期\n", "人数,日期,备注\n")),
     True, "未在数据源“慰问”的 columns 中声明", LEDGER, "第1行“备注”列"),
    ("metric_on_unknown_column", lambda r: edit(r / "inputs/指标.yaml", "column: 金额", "column: 慰问金"),
     False, "没有这一列", "inputs/指标.yaml", "第3行"),
    ("where_syntax_error", lambda r: edit(r / "inputs/指标.yaml", 'where: 类别 == "困难职工"', 'where: 类别 = "困难职工"'),
     False, "where 条件写法有误", "inputs/指标.yaml", "第4行"),
    ("filter_matches_no_rows_strict", lambda r: append(r / "inputs/指标.yaml",
                                                       '  劳模户数: {source: 慰问, agg: count, where: 类别 == "劳模", unit: 户}\n'),
     True, "没有匹配到任何行", "inputs/指标.yaml", "第11行"),
    ("rate_over_zero", lambda r: append(r / "inputs/指标.yaml", "  大额户数: {source: 慰问, agg: count, where: 金额 > 4999}\n"
                                                        "  大额占比: {share: [困难户数, 大额户数]}\n"),
     False, "分母“大额户数”为0", "inputs/指标.yaml", "第12行"),
    ("check_fails", lambda r: edit(r / "inputs/校验.yaml", "困难户数 + 农民工户数", "困难户数"),
     False, "校验“户数相加”不成立", "inputs/校验.yaml", "第2行"),
    ("check_syntax_error", lambda r: edit(r / "inputs/校验.yaml", "==", "== =="),
     False, "表达式写法有误", "inputs/校验.yaml", "第2行"),
    ("check_unknown_figure", lambda r: edit(r / "inputs/校验.yaml", "困难户数 +", "困难人数 +"),
     False, "“困难人数”不是已算出的指标", "inputs/校验.yaml", "第2行"),
    ("check_tries_python", lambda r: append(r / "inputs/校验.yaml", '  越权: __import__("os").system("echo") == 0\n'),
     False, "不支持的写法", "inputs/校验.yaml", "第3行"),
    ("check_swing_warning_strict", lambda r: append(r / "inputs/校验.yaml",
                                                    "  金额不超过三千: {assert: 慰问金额 <= 3000, level: warning}\n"),
     True, "不成立", "inputs/校验.yaml", "第3行"),
    ("typed_in_figure_strict", lambda r: edit(r / "inputs/正文.md", "全年慰问", "全年走访企业36家，慰问"),
     True, "直接写入的数字“36”", "inputs/正文.md", "第1行第7列"),
    ("template_syntax_error", lambda r: edit(r / "templates/总结.md.j2", "{{ 正文 }}", "{{ 正文 }"),
     False, "模板语法错误", "templates/总结.md.j2", "第7行"),
    ("undefined_placeholder", lambda r: edit(r / "inputs/正文.md", "{{ 慰问金额 }}", "{{ 慰问总金额 }}"),
     False, "未定义的占位符“慰问总金额”", "inputs/正文.md", "第1行"),
    ("template_include_loop", lambda r: append(r / "inputs/正文.md", '{% include "正文.md" %}\n'),
     False, "互相包含", "inputs/正文.md", None),
    ("missing_body", lambda r: (r / "inputs/正文.md").unlink(),
     False, "找不到模板或正文文件", "inputs/正文.md", None),
    ("output_leaves_outputs", lambda r: edit(r / "inputs/报告.yaml", "formats: [md]", "formats: [md]\n    output: ../../逃逸"),
     False, "不能用于文件名", "inputs/报告.yaml", "第8行"),
]


@pytest.mark.parametrize("spoil, strict, kind, file, place", [case[1:] for case in CASES],
                         ids=[case[0] for case in CASES])
def test_bad_input_is_reported_with_its_place_and_outputs_stay(root, capsys,
                                                               spoil, strict, kind, file, place):
    before = snapshot(root / "outputs")
    spoil(root)
    if strict:                          # only a warning: without --strict it is shown, and passes
        assert main(["check", "--project", str(root)]) == 0, capsys.readouterr().err
        assert kind in capsys.readouterr().err
    assert main(["build", "--project", str(root)] + (["--strict"] if strict else [])) == 2
    message = capsys.readouterr().err
    assert message.startswith("错误：") and "Traceback" not in message
    line = next((line for line in message.splitlines() if kind in line), None)
    assert line is not None, f"没有“{kind}”：{message}"
    assert file in message
    if place:
        assert place in line, f"“{kind}”一行中没有位置“{place}”：{line}"
    assert len(message) < 3000
    assert snapshot(root / "outputs") == before
    assert not list((root / "outputs").glob("*.tmp"))


def test_corpus_is_large_enough_and_ids_are_unique():
    assert len(CASES) >= 40
    assert len({case[0] for case in CASES}) == len(CASES)


def test_every_problem_is_reported_at_once_grouped_by_file(root, capsys):
    edit(root / LEDGER, "4,丁", "3,丁")
    edit(root / LEDGER, "500,1,", "500,-1,")
    edit(root / LEDGER, "3500,10", "3500,8")
    edit(root / "inputs/正文.md", "全年慰问", "全年走访企业36家，慰问")
    assert main(["check", "--project", str(root)]) == 2
    message = capsys.readouterr().err
    assert "2 个错误、1 个警告" in message
    assert (f"{LEDGER}\n  错误：第5行“序号”列：应唯一，但与前面的行重复（值为“3”）"
            in message)
    assert "  错误：第5行“人数”列：不应小于0（值为“-1”）" in message
    assert "inputs/正文.md\n  警告：第1行第7列：直接写入的数字“36”" in message


def test_syntax_errors_in_two_yaml_files_are_both_reported(root, capsys):
    edit(root / "inputs/报告.yaml", "    genre:", "\tgenre:")
    write(root / "inputs/指标.yaml", "metrics: [")
    assert main(["check", "--project", str(root)]) == 2
    message = capsys.readouterr().err
    assert "inputs/报告.yaml\n  错误：第3行" in message and "inputs/指标.yaml\n  错误：" in message
