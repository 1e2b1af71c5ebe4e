"""The bad-input corpus: one case per way the office's input can go wrong.

Every case spoils a fresh copy of the small project in base/ (already built once, so
outputs/ holds earlier results) and runs `wenmi build`. Each must exit 2 with a Chinese
message naming the kind of problem, the file and the place, no traceback, and outputs/
byte for byte as it was. Cases that are warnings run with `--strict`, after `wenmi check`
without it has passed: so it is --strict that turns the warning into an error.

The base project has an ordinary report (总结) and a batch report (先进材料, inputs/先进.yaml).
"""

import io
import os
import shutil
import sys
import zipfile
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


def fifo(path: Path) -> None:
    """`path` replaced by a named pipe: reading it would wait for a writer for ever."""
    path.unlink(missing_ok=True)
    os.mkfifo(path)


def link(path: Path, target: Path) -> None:
    """`path` replaced by a symbolic link to `target`."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)
    path.symlink_to(target)


def outside(root: Path, name: str, text: str = "秘密,1\n") -> Path:
    """A file beside the project, outside it."""
    path = root.parent / name
    path.write_text(text, encoding="utf-8")
    return path


def moved_outside(root: Path, folder: str) -> None:
    """`folder` moved beside the project and linked back: its files as they were."""
    target = root.parent / f"外部-{Path(folder).name}"
    shutil.move(root / folder, target)
    (root / folder).symlink_to(target)


def append_body(root: Path, line: str) -> None:
    append(root / "inputs/正文.md", f"\n{line}\n")     # the body's third line


def zip_bomb(root: Path) -> None:
    """An XLSX ledger whose sheet holds 20 MB of blanks that compress to a few kilobytes."""
    use_xlsx(root, [HEADER, [1, "甲", "农民工", 800, 1, "2024-01-02"]])
    path = root / "inputs/台账/慰问.xlsx"
    with zipfile.ZipFile(path) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = parts[sheet].replace(b"</worksheet>", b" " * 20_000_000 + b"</worksheet>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)


def merged_category(root: Path) -> None:
    """An XLSX ledger whose 类别 is merged over rows 2 and 3 (Excel keeps it in C2 only)."""
    use_xlsx(root, [HEADER, [1, "甲", "困难职工", 1000, 3, "2024-01-10"],
                    [2, "乙", None, 800, 2, "2024-01-12"], [3, "丙", "农民工", 1200, 4, "2024-01-15"],
                    [4, "丁", "农民工", 500, 1, "2024-01-20"], ["合计", None, None, 3500, 10, None]])
    path = root / "inputs/台账/慰问.xlsx"
    workbook = openpyxl.load_workbook(path)
    workbook.active.merge_cells("C2:C3")
    workbook.save(path)


def manifest(root: Path, text: str) -> None:
    (root / ".wenmi/manifest.json").write_text(text, encoding="utf-8")


def wenmi_is_a_file(root: Path) -> None:
    shutil.rmtree(root / ".wenmi")
    (root / ".wenmi").write_text("不是文件夹", encoding="utf-8")


HEADER = ["序号", "姓名", "类别", "金额", "人数", "日期"]
BATCH = "inputs/先进.yaml"
NOMINEES = "inputs/先进/推荐对象.csv"
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

    # issue 12.1 and its siblings: anything but a regular file within its size limit
    ("ledger_is_a_pipe", lambda r: fifo(r / LEDGER),
     False, "不是普通文件", LEDGER, None),
    ("ledger_links_to_dev_zero", lambda r: link(r / LEDGER, Path("/dev/zero")),
     False, "指向项目文件夹之外", "inputs/数据源.yaml", "第3行"),
    ("ledger_too_large", lambda r: os.truncate(r / LEDGER, 101 * 1024 * 1024),
     False, "文件太大", LEDGER, None),
    ("ledger_is_a_folder", lambda r: ((r / LEDGER).unlink(), (r / LEDGER).mkdir()),
     False, "文件夹", LEDGER, None),
    ("body_is_a_pipe", lambda r: fifo(r / "inputs/正文.md"),
     False, "不是普通文件", "inputs/正文.md", None),
    ("spec_is_a_pipe", lambda r: os.mkfifo(r / "inputs/额外.yaml"),
     False, "不是普通文件", "inputs/额外.yaml", None),
    ("story_is_a_pipe", lambda r: fifo(r / "inputs/先进/事迹/GR01.md"),
     False, "不是普通文件", "inputs/先进/事迹/GR01.md", None),
    ("template_too_large", lambda r: os.truncate(r / "templates/总结.md.j2", 11 * 1024 * 1024),
     False, "文件太大", "templates/总结.md.j2", None),
    # 12.2: names that cannot name a file, or anything
    ("report_name_with_nul", lambda r: edit(r / "inputs/报告.yaml", "  总结:", '  "总\\0结":'),
     False, "不可见的控制字符", "inputs/报告.yaml", "第2行"),
    ("report_name_with_newline", lambda r: edit(r / "inputs/报告.yaml", "  总结:", '  "总\\n结":'),
     False, "含有换行、制表符", "inputs/报告.yaml", "第2行"),
    ("metric_name_with_tab", lambda r: edit(r / "inputs/指标.yaml", "  慰问户数:", '  "慰问\\t户数":'),
     False, "含有换行、制表符", "inputs/指标.yaml", "第2行"),
    ("report_output_reserved_name", lambda r: edit(r / "inputs/报告.yaml", "formats: [md]", "formats: [md]\n    output: CON"),
     False, "不能用于文件名", "inputs/报告.yaml", "第8行"),
    ("report_output_trailing_dot", lambda r: edit(r / "inputs/报告.yaml", "formats: [md]", "formats: [md]\n    output: 总结."),
     False, "不能用于文件名", "inputs/报告.yaml", "第8行"),
    ("yaml_escape_makes_control_char", lambda r: edit(r / "inputs/报告.yaml", '"{{ 项目.年度 }}年', '"{{ 项目.年度 }}\\x07年'),
     False, "不可见的控制字符", "inputs/报告.yaml", "第5行"),
    # 12.3: a file name pattern is column names and text, nothing more
    ("file_name_huge_width", lambda r: edit(r / BATCH, '"{序号}-{名称}"', '"{名称:>9999999999}"'),
     False, "只能写列名", BATCH, "第13行"),
    ("file_name_format_spec", lambda r: edit(r / BATCH, '"{序号}-{名称}"', '"{序号:02d}-{名称}"'),
     False, "只能写列名", BATCH, "第13行"),
    ("file_name_unbalanced_brace", lambda r: edit(r / BATCH, '"{序号}-{名称}"', '"{序号}-{名称"'),
     False, "花括号不成对", BATCH, "第13行"),
    ("file_name_reaches_attribute", lambda r: edit(r / BATCH, '"{序号}-{名称}"', '"{名称.__class__}"'),
     False, "只能写列名", BATCH, "第13行"),
    ("file_name_unknown_column", lambda r: edit(r / BATCH, '"{序号}-{名称}"', '"{序号}-{姓名}"'),
     False, "不是推荐对象表的列", BATCH, "第7行"),
    # 12.4: the build record and its folder
    ("manifest_of_wrong_shape", lambda r: manifest(r, "[]"),
     False, "不是文秘写下的格式", ".wenmi/manifest.json", None),
    ("manifest_record_of_wrong_shape", lambda r: manifest(r, '{"outputs": {"总结.md": 1}, "figures": {}}'),
     False, "不是文秘写下的格式", ".wenmi/manifest.json", None),
    ("manifest_not_json", lambda r: manifest(r, "{"),
     False, "不是有效的 JSON（第1行第2列）", ".wenmi/manifest.json", None),
    ("wenmi_folder_is_a_file", wenmi_is_a_file,
     False, "已有同名的文件或文件夹", ".wenmi/", None),
    # 12.5 and 12.7: a template's work is bounded, and stopped at its line
    ("template_repeats_a_billion_times", lambda r: append_body(r, "{{ '字' * 10**9 }}"),
     False, "过长", "inputs/正文.md", "第3行"),
    ("template_huge_power", lambda r: append_body(r, "{{ 9 ** 999999999 }}"),
     False, "计算结果过大", "inputs/正文.md", "第3行"),
    ("template_never_ends", lambda r: append_body(r, "{% for i in range(100000) %}{% for j in range(100000) %}"
                                                     "{% endfor %}{% endfor %}"),
     False, "仍未结束", "inputs/正文.md", "第3行"),
    ("template_doubles_a_text", lambda r: append_body(r, "{% set n = namespace(s='字') %}{% for i in range(60) %}"
                                                         "{% set n.s = n.s ~ n.s %}{% endfor %}"),
     False, "过长", "inputs/正文.md", "第3行"),
    ("template_centers_in_a_billion", lambda r: append_body(r, "{{ '字'|center(1000000000) }}"),
     False, "过长", "inputs/正文.md", "第3行"),
    ("template_format_width", lambda r: append_body(r, "{{ '%0999999999d' % 1 }}"),
     False, "宽度", "inputs/正文.md", "第3行"),
    ("template_padding_method", lambda r: append_body(r, "{{ '字'.ljust(10**9) }}"),
     False, "ljust 方法", "inputs/正文.md", "第3行"),
    ("template_range_too_big", lambda r: append_body(r, "{{ range(10**9)|list }}"),
     False, "range 的范围太大", "inputs/正文.md", "第3行"),
    ("template_for_without_end", lambda r: append_body(r, "{% for x in 慰问户数 %}"),
     False, "没有结束", "inputs/正文.md", "第3行"),
    ("template_unknown_tag", lambda r: append_body(r, "{% 强调 %}"),
     False, "未知的标签", "inputs/正文.md", "第3行"),
    ("template_include_leaves_project", lambda r: (link(r / "templates/外部.md.j2", outside(r, "外部.md")),
                                                   append_body(r, '{% include "外部.md.j2" %}')),
     False, "指向项目文件夹之外", "templates/外部.md.j2", None),
    # 12.6, 12.11 siblings: text no document can hold
    ("ledger_cell_with_control_char", lambda r: edit(r / LEDGER, "1,甲,", "1,甲\x0b甲,"),
     False, "不可见的控制字符", LEDGER, "第2行“姓名”列"),
    ("ledger_cell_with_mark_char", lambda r: edit(r / LEDGER, "2,乙,", "2,乙\ue001,"),
     False, "文秘内部使用的字符", LEDGER, "第3行“姓名”列"),
    ("nominee_cell_with_control_char", lambda r: edit(r / NOMINEES, "甲,", "甲\x01,"),
     False, "不可见的控制字符", NOMINEES, "第2行“名称”列"),
    ("body_with_control_char", lambda r: edit(r / "inputs/正文.md", "全年慰问", "全年\x1b慰问"),
     False, "不可见的控制字符", "inputs/正文.md", "第1行第3列"),
    # 12.8: a zip bomb is judged by its declared sizes, before anything is inflated
    ("xlsx_zip_bomb", zip_bomb,
     False, "压缩炸弹", "inputs/台账/慰问.xlsx", None),
    # 12.10: cells merged over data rows are filled down, and said so
    ("xlsx_merged_data_cells_strict", merged_category,
     True, "合并单元格 C2:C3", "inputs/台账/慰问.xlsx", "工作表“明细”第2行“类别”列"),
    # 12.12: a story file no nominee's 编号 names
    ("story_of_no_nominee_strict", lambda r: write(r / "inputs/先进/事迹/GR09.md", "无人认领的事迹。\n"),
     True, "没有对应的推荐对象", "inputs/先进/事迹/GR09.md", None),
    # 12.14: inputs and outputs stay inside the project
    ("source_outside_project", lambda r: (outside(r, "secret.csv"),
                                          edit(r / "inputs/数据源.yaml", "file: 台账/慰问.csv", "file: ../../secret.csv")),
     False, "指向项目文件夹之外", "inputs/数据源.yaml", "第3行"),
    ("source_absolute_path", lambda r: edit(r / "inputs/数据源.yaml", "file: 台账/慰问.csv", "file: /etc/passwd"),
     False, "指向项目文件夹之外", "inputs/数据源.yaml", "第3行"),
    ("ledger_links_outside", lambda r: link(r / LEDGER, outside(r, "别处.csv", (r / LEDGER).read_text(encoding="utf-8"))),
     False, "指向项目文件夹之外", "inputs/数据源.yaml", "第3行"),
    ("body_outside_project", lambda r: (outside(r, "外部.md", "外部正文\n"),
                                        edit(r / "inputs/报告.yaml", "body: 正文.md", "body: ../../外部.md")),
     False, "指向项目文件夹之外", "inputs/报告.yaml", "第4行"),
    ("genre_outside_project", lambda r: edit(r / "inputs/报告.yaml", "genre: 总结", "genre: ../../../总结"),
     False, "指向项目文件夹之外", "inputs/报告.yaml", "第3行"),
    ("stories_outside_project", lambda r: edit(r / BATCH, "stories: 先进/事迹", "stories: ../../事迹"),
     False, "指向项目文件夹之外", BATCH, "第12行"),
    ("category_template_outside_project", lambda r: edit(r / BATCH, "{template: 先进}", "{template: ../../先进}"),
     False, "指向项目文件夹之外", BATCH, "第9行"),
    ("outputs_link_outside", lambda r: moved_outside(r, "outputs"),
     False, "指向项目文件夹之外", "outputs", None),
    ("batch_folder_links_outside", lambda r: moved_outside(r, "outputs/先进材料"),
     False, "指向项目文件夹之外", "outputs/先进材料", None),
    # 12.17: a title row above the header
    ("title_row_above_header", lambda r: edit(r / LEDGER, "序号,", "2024年度慰问台账,,,,,\n序号,"),
     False, "表头中没有声明的列", LEDGER, "第1行"),
    ("xlsx_title_merged_across", lambda r: (use_xlsx(r, [["2024年度慰问台账"], HEADER, [1, "甲", "农民工", 800, 1, "2024-01-02"]]),
                                            _merge_first_row(r)),
     False, "表头有两列都叫", "inputs/台账/慰问.xlsx", "工作表“明细”第1行"),
    # 12.19: the parsers' English said in Chinese
    ("yaml_value_starts_with_at", lambda r: edit(r / "inputs/报告.yaml", "genre: 总结", "genre: @总结"),
     False, "值不能以“@”开头", "inputs/报告.yaml", "第3行"),
    ("yaml_bracket_not_closed", lambda r: edit(r / "inputs/报告.yaml", "formats: [md]", "formats: [md"),
     False, "方括号", "inputs/报告.yaml", "第"),
]


def _merge_first_row(root: Path) -> None:
    path = root / "inputs/台账/慰问.xlsx"
    workbook = openpyxl.load_workbook(path)
    workbook.active.merge_cells("A1:F1")
    workbook.save(path)


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
    assert len(CASES) > 80
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
