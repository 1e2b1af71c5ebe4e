"""Units' returns (reading/returns.py): a folder of one form's copies becomes one ledger,
with who is missing and who is wrong named by unit and file, all in one run. Expected
figures are computed from the return files with openpyxl / csv, not through Wenmi."""

import csv
import os
import shutil
from pathlib import Path

import pytest
from example_returns import returns as town_returns
from wenmi.errors import WenmiError
from wenmi.keeping.manifest import input_hashes
from wenmi.problems import ERROR, WARNING
from wenmi.reading.explain import explain_lines
from wenmi.reading.inspection import inspect_project
from wenmi.reading.ledgers import UNIT_COLUMN
from wenmi.reading.returns import FAULTY, LEFT_OUT, RETURNED
from wenmi.reading.specs import load_project

ROOT = Path(__file__).resolve().parents[2]
RETURNS = ROOT / "inputs" / "台账" / "2024" / "互助保障"
SHOWN = "inputs/台账/2024/互助保障"
ROSTER = ["城关镇总工会", "青禾街道总工会", "河西街道总工会", "柳林镇总工会", "石桥镇总工会", "白沙镇总工会",
          "杨集乡总工会", "南湖镇总工会", "北岭乡总工会", "东坝镇总工会", "龙泉镇总工会", "高庄乡总工会"]
LEFT_OUT_UNITS = {"石桥镇总工会", "杨集乡总工会"}


# ---------------------------------------------------------------- the example project

def example_returns() -> dict[str, list[dict]]:
    """Each return's data rows by the unit its A2 cell names (tests/example_returns.py)."""
    return {unit: town.rows for unit, town in town_returns().items()}


@pytest.fixture(scope="module")
def inspection():
    return inspect_project(ROOT)


def test_check_lists_exactly_the_missing_and_faulty_returns_of_the_example(inspection):
    about_returns = [(p.level, p.file, p.message) for p in inspection.problems.items
                     if "互助保障" in (p.file or "")]
    stone, yang = f"石桥镇总工会（{SHOWN}/石桥镇总工会.xlsx）", f"杨集乡总工会（{SHOWN}/杨集乡总工会.xlsx）"
    assert sorted((level, file) for level, file, _ in about_returns) == sorted([
        (WARNING, f"{SHOWN}/*.xlsx"), (WARNING, f"{SHOWN}/*.xlsx"), (WARNING, stone), (WARNING, yang), (WARNING, yang)])
    messages = {file: [m for _, f, m in about_returns if f == file] for _, file, _ in about_returns}
    assert messages[f"{SHOWN}/*.xlsx"] == ["北岭乡总工会尚未报送", "高庄乡总工会尚未报送"]
    wrong_total = example_returns()["石桥镇总工会"]
    assert messages[stone] == [f"合计行写的是{sum(r['参保人数'] for r in wrong_total) + 10}，"
                               f"但上面{len(wrong_total)}行相加是{sum(r['参保人数'] for r in wrong_total)}"]
    version, header = messages[yang]
    assert version == "报表表式版本不符：I2 单元格是“表式：2023版”，应为“2024版”"
    assert "没有声明的列“农民工参保、理赔人次”" in header and "（“赔付人次”像是改了名的“理赔人次”）" in header
    places = {p.place for p in inspection.problems.items if p.file == stone}
    assert places == {f"工作表“参保情况”第{4 + len(wrong_total)}行“参保人数”列"}
    assert all("暂不计入汇总" in p.hint for p in inspection.problems.items if p.file in (stone, yang))
    assert not inspection.problems.errors


def test_the_status_names_who_returned_who_did_not_and_who_is_left_out(inspection):
    status = inspection.returns["互助保障"]
    assert status.expected == tuple(ROSTER)
    assert status.missing == ("北岭乡总工会", "高庄乡总工会")
    assert [r.unit for r in status.returns] == [u for u in ROSTER if u not in status.missing]
    states = {r.unit: r.state for r in status.returns}
    assert {u for u, s in states.items() if s == LEFT_OUT} == LEFT_OUT_UNITS
    assert {u for u, s in states.items() if s == RETURNED} == set(ROSTER) - LEFT_OUT_UNITS - set(status.missing)
    rows = {r.unit: r.rows for r in status.returns}
    independent = example_returns()
    assert rows["城关镇总工会"] == len(independent["城关镇总工会"])
    assert next(r.file for r in status.returns if r.unit == "龙泉镇总工会") == \
        f"{SHOWN}/2024年互助保障报表_龙泉镇.xlsx"
    lines = status.lines()
    assert lines[0].startswith("报送情况（互助保障，") and "应报 12 个单位，已报 10 个（无误 8 个、有误 2 个），未报 2 个" in lines[0]
    assert "  未报送：北岭乡总工会、高庄乡总工会" in lines


def test_the_figures_equal_independent_sums_over_the_counted_returns(inspection):
    counted = {unit: rows for unit, rows in example_returns().items() if unit not in LEFT_OUT_UNITS}
    figures = inspection.figures
    every = [row for rows in counted.values() for row in rows]
    assert figures["互助保障报送单位数"].value == len(counted) == 8
    assert figures["互助保障覆盖基层工会数"].value == len(every)
    for metric, column in (("互助保障参保人数", "参保人数"), ("互助保障职工人数", "职工人数"),
                           ("互助保障理赔人次", "理赔人次"), ("互助保障理赔金额", "理赔金额"),
                           ("互助保障参保金额", "参保金额"), ("互助保障农民工参保人数", "农民工参保")):
        assert figures[metric].value == sum(row[column] for row in every), metric
        parts = dict(figures[metric].provenance.sources[0].units)
        assert parts == {unit: sum(row[column] for row in rows) for unit, rows in counted.items()}
    table = dict((key, cell.value) for key, cell in figures["各乡镇互助保障参保人数"].rows)
    assert table == {unit: sum(row["参保人数"] for row in rows) for unit, rows in counted.items()}
    assert figures["互助保障参保率"].value == pytest.approx(
        100 * sum(r["参保人数"] for r in every) / sum(r["职工人数"] for r in every))


def test_the_combined_ledger_keeps_each_rows_unit_file_and_row(inspection):
    ledger = inspection.ledgers["互助保障"]
    assert list(ledger.frame.columns[:2]) == [UNIT_COLUMN, "序号"]
    assert [part.unit for part in ledger.parts] == [u for u in ROSTER if u not in LEFT_OUT_UNITS
                                                     and u not in ("北岭乡总工会", "高庄乡总工会")]
    last = len(ledger.frame) - 1
    assert ledger.frame[UNIT_COLUMN][last] == "龙泉镇总工会"
    first, final = ledger.parts[0], ledger.parts[-1]
    assert (first.start, first.file) == (0, f"{SHOWN}/城关镇-互助保障统计表.xlsx")
    assert final.start <= last and final.file == f"{SHOWN}/2024年互助保障报表_龙泉镇.xlsx"
    assert ledger.row_numbers[0] == 4          # two rows of title and 填报单位, then the header


def test_explain_names_every_units_file_and_part():
    lines = explain_lines(ROOT, "互助保障参保人数")
    counted = example_returns()["柳林镇总工会"]
    assert f"    柳林镇总工会：{sum(r['参保人数'] for r in counted)}人（{SHOWN}/柳林镇总工会.xlsx）" in lines
    assert "  各单位报表（8 份）：" in lines


def test_every_return_is_in_the_fingerprint():
    project = load_project(ROOT)
    hashes = input_hashes(project, project.reports["2024年度工作总结"])
    assert {f"{SHOWN}/{path.name}" for path in RETURNS.glob("*.xlsx")} <= set(hashes)


# ---------------------------------------------------------------- small projects

SPECS = """\
project: {{organization: 示例县总工会, year: 2024}}
sources:
  报表:
    files: 报表/*.csv
{source}
    columns:
      序号: {{type: integer, required: true, unique: true}}
      企业: {{type: text, required: true}}
      职工: {{type: integer, min: 0}}
      参保: {{type: integer, min: 0}}
metrics:
  职工数: {{source: 报表, agg: sum, column: 职工, unit: 人}}
  参保数: {{source: 报表, agg: sum, column: 参保, unit: 人}}
checks:
  参保不超过职工: {{assert: 参保数 <= 职工数, per_unit: true}}
"""
GOOD_ROWS = [["1", "甲厂", "100", "80"], ["2", "乙厂", "50", "50"]]


def project(tmp_path: Path, source: str = "", returns: dict[str, list[list[str]]] | None = None,
            above: dict[str, list[str]] | None = None) -> Path:
    """A project whose returns are CSV files named by unit (`returns`: file stem → rows),
    `above` giving rows above the header of some of them."""
    (tmp_path / "inputs" / "报表").mkdir(parents=True)
    (tmp_path / "inputs" / "项目.yaml").write_text(SPECS.format(source=source), encoding="utf-8")
    for stem, rows in (returns if returns is not None else {"东镇": GOOD_ROWS, "西镇": GOOD_ROWS}).items():
        with open(tmp_path / "inputs" / "报表" / f"{stem}.csv", "w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            for line in (above or {}).get(stem, []):
                writer.writerow([line])
            writer.writerow(["序号", "企业", "职工", "参保"])
            writer.writerows(rows)
    return tmp_path


def problems_of(root: Path) -> list[tuple[str, str, str]]:
    return [(p.level, p.file, p.message) for p in inspect_project(root).problems.items]


def test_without_a_roster_the_file_name_is_the_unit(tmp_path):
    inspection = inspect_project(project(tmp_path))
    assert inspection.problems.items == []
    assert inspection.figures["职工数"].value == 300
    assert dict(inspection.figures["参保数"].provenance.sources[0].units) == {"东镇": 130, "西镇": 130}
    assert [r.unit for r in inspection.returns["报表"].returns] == ["东镇", "西镇"]


def test_names_are_matched_to_the_roster_and_strays_and_missing_are_named(tmp_path):
    root = project(tmp_path, "    units: [东镇总工会, 西镇总工会, 南镇总工会]",
                   {"东镇": GOOD_ROWS, "2024年报表-西镇总工会": GOOD_ROWS, "北山": GOOD_ROWS})
    found = problems_of(root)
    assert (ERROR, "inputs/报表/北山.csv", "认不出这份报表是哪个单位的（文件名写的是“北山”）") in found
    assert (WARNING, "inputs/报表/*.csv", "南镇总工会尚未报送") in found
    status = inspect_project(root).returns["报表"]
    assert [r.unit for r in status.returns] == ["东镇总工会", "西镇总工会"]
    assert status.stray == ("inputs/报表/北山.csv",)


def test_the_unit_is_read_from_a_declared_cell_with_its_label(tmp_path):
    above = {"a": ["填报单位：东镇总工会    填报日期：2025年1月6日"], "b": ["填报单位: 西镇总工会"]}
    root = project(tmp_path, "    skip_rows: 1\n    unit: {cell: A1}\n    units: [东镇总工会, 西镇总工会]",
                   {"a": GOOD_ROWS, "b": GOOD_ROWS}, above)
    status = inspect_project(root).returns["报表"]
    assert [(r.unit, r.file) for r in status.returns] == [("东镇总工会", "inputs/报表/a.csv"),
                                                           ("西镇总工会", "inputs/报表/b.csv")]
    assert status.missing == ()


def test_two_returns_of_one_unit_are_an_error_naming_both_unless_newest_wins(tmp_path):
    returns = {"东镇": GOOD_ROWS, "东镇总工会": [["1", "甲厂", "999", "1"]]}
    root = project(tmp_path / "a", "    units: [东镇总工会]", returns)
    found = problems_of(root)
    assert (ERROR, "inputs/报表/东镇.csv",
            "东镇总工会有2份报表：inputs/报表/东镇.csv、inputs/报表/东镇总工会.csv") in found
    root = project(tmp_path / "b", "    units: [东镇总工会]\n    duplicates: newest", returns)
    older, newer = root / "inputs/报表/东镇总工会.csv", root / "inputs/报表/东镇.csv"
    os.utime(older, (1_700_000_000, 1_700_000_000))
    os.utime(newer, (1_800_000_000, 1_800_000_000))
    inspection = inspect_project(root)
    assert inspection.figures["职工数"].value == 150
    assert [p.level for p in inspection.problems.items] == [WARNING]
    assert "采用最后保存的inputs/报表/东镇.csv" in inspection.problems.items[0].message


def test_a_returns_own_total_rules_and_per_unit_checks_are_named_by_unit_and_file(tmp_path):
    returns = {"东镇": GOOD_ROWS + [["合计", "", "151", "130"]],
               "西镇": [["1", "甲厂", "100", "120"], ["1", "乙厂", "-5", "0"]]}
    found = problems_of(project(tmp_path, "", returns))
    files = {file for _, file, _ in found}
    assert files == {"东镇（inputs/报表/东镇.csv）", "西镇（inputs/报表/西镇.csv）", "inputs/报表/*.csv"}
    messages = " ".join(message for _, _, message in found)
    assert "合计行写的是151" in messages
    assert "应唯一" in messages and "不应小于0" in messages          # unique, min: every rule at once
    assert "校验“参保不超过职工”在本单位报表中不成立" in messages
    both = inspect_project(project(tmp_path / "c", "", {"西镇": [["1", "甲厂", "100", "120"]]}))
    problem, waiting = both.problems.items          # the one return was all there was
    assert waiting.file == "inputs/报表/*.csv"
    assert (problem.level, problem.file) == (ERROR, "西镇（inputs/报表/西镇.csv）")
    assert problem.message == "校验“参保不超过职工”在本单位报表中不成立：参保数 <= 职工数（参保数 = 120，职工数 = 100）"
    assert problem.hint.startswith("校验声明于 inputs/项目.yaml:")


def test_with_leave_out_a_faulty_return_is_a_warning_and_adds_no_row(tmp_path):
    returns = {"东镇": GOOD_ROWS, "西镇": [["1", "甲厂", "100", "120"]]}
    inspection = inspect_project(project(tmp_path, "    faulty: leave_out", returns))
    assert not inspection.problems.errors
    assert inspection.figures["职工数"].value == 150
    assert [(r.unit, r.state) for r in inspection.returns["报表"].returns] == [("东镇", RETURNED), ("西镇", LEFT_OUT)]
    faulty = inspect_project(project(tmp_path / "e", "", returns)).returns["报表"]
    assert [r.state for r in faulty.returns] == [RETURNED, FAULTY]


def test_missing_can_be_an_error_and_no_return_at_all_names_the_figures_waiting(tmp_path):
    found = problems_of(project(tmp_path, "    units: [东镇, 西镇, 南镇]\n    missing: error"))
    assert (ERROR, "inputs/报表/*.csv", "南镇尚未报送") in found
    none = problems_of(project(tmp_path / "n", "", {}))
    assert [(level, file) for level, file, _ in none] == [(ERROR, "inputs/报表/*.csv")]
    assert none[0][2].startswith("2024年的单位报表还没有一份可以计入汇总") and "职工数、参保数" in none[0][2]


def test_office_lock_files_and_hidden_files_are_not_returns(tmp_path):
    root = project(tmp_path)
    shutil.copy(root / "inputs/报表/东镇.csv", root / "inputs/报表/~$东镇.csv")
    shutil.copy(root / "inputs/报表/东镇.csv", root / "inputs/报表/.东镇.csv")
    assert [r.unit for r in inspect_project(root).returns["报表"].returns] == ["东镇", "西镇"]


def test_the_roster_can_be_a_sheet(tmp_path):
    root = project(tmp_path, "    units: 应报单位.csv")
    (root / "inputs" / "应报单位.csv").write_text("序号,单位名称\n1,东镇\n2,西镇\n3,北镇\n", encoding="utf-8")
    assert inspect_project(root).returns["报表"].missing == ("北镇",)


def test_a_unit_column_names_the_unit_and_may_not_name_two(tmp_path):
    (tmp_path / "inputs" / "报表").mkdir(parents=True)
    specs = SPECS.format(source="    unit: {column: 单位}").replace("      企业:", "      单位: text\n      企业:")
    (tmp_path / "inputs" / "项目.yaml").write_text(specs, encoding="utf-8")
    for name, units in (("a", ["东镇", "东镇"]), ("b", ["西镇", "北镇"])):
        (tmp_path / "inputs" / "报表" / f"{name}.csv").write_text(
            "序号,单位,企业,职工,参保\n" + "".join(f"{i},{u},厂{i},10,5\n" for i, u in enumerate(units, 1)),
            encoding="utf-8")
    inspection = inspect_project(tmp_path)
    assert [r.unit for r in inspection.returns["报表"].returns] == ["东镇", "西镇"]
    assert [(p.file, p.message) for p in inspection.problems.items] == [
        ("西镇（inputs/报表/b.csv）", "“单位”列中除了西镇，还有北镇的行")]


@pytest.mark.parametrize("source, words", [
    ("    file: 报表/东镇.csv", "file 和 files 只能写一个"),
    ("    unit: {cell: 第二行}", "unit 的 cell 应是单元格地址"),
    ("    unit: {sheet: A2}", "unit 写一项"),
    ("    missing: ignore", "missing 可用：warning、error"),
    ("    version: 2024版", "version 写成 {cell: H2, value: 2024版}"),
])
def test_returns_keys_are_checked_where_they_are_written(tmp_path, source, words):
    with pytest.raises(WenmiError) as caught:
        load_project(project(tmp_path, source))
    assert words in caught.value.message
    assert caught.value.file == "inputs/项目.yaml" and caught.value.place.startswith("第")


def test_files_needs_a_wildcard_and_returns_keys_need_files(tmp_path):
    root = project(tmp_path)
    specs = root / "inputs" / "项目.yaml"
    specs.write_text(specs.read_text(encoding="utf-8").replace("报表/*.csv", "报表/东镇.csv"), encoding="utf-8")
    with pytest.raises(WenmiError, match="files 应是带通配符的路径"):
        load_project(root)
    specs.write_text(specs.read_text(encoding="utf-8").replace("files: 报表/东镇.csv", "file: 报表/东镇.csv\n    units: [东镇]"),
                     encoding="utf-8")
    with pytest.raises(WenmiError, match="units 只用于一批单位报表"):
        load_project(root)


def test_a_per_unit_check_must_name_figures_of_one_returns_source(tmp_path):
    root = project(tmp_path)
    specs = root / "inputs" / "项目.yaml"
    specs.write_text(specs.read_text(encoding="utf-8") + "figures:\n  目标: {value: 100, unit: 人}\n"
                     "checks:\n  不超目标: {assert: 参保数 <= 目标, per_unit: true}\n", encoding="utf-8")
    specs.write_text(specs.read_text(encoding="utf-8").replace("checks:\n  参保不超过职工", "  参保不超过职工", 1)
                     .replace("  参保不超过职工: {assert: 参保数 <= 职工数, per_unit: true}\n", ""), encoding="utf-8")
    found = problems_of(root)
    assert found == [(ERROR, "inputs/项目.yaml", "校验“不超目标”写了 per_unit: true，但它的指标不全来自同一批单位报表")]


def test_an_unreadable_return_is_named_and_counted_as_faulty_not_missing(tmp_path):
    root = project(tmp_path, "    units: [东镇, 西镇]\n    faulty: leave_out")
    (root / "inputs/报表/西镇.csv").write_bytes(b"PK\x03\x04 not a csv")
    inspection = inspect_project(root)
    assert [(p.level, p.file) for p in inspection.problems.items] == [(WARNING, "inputs/报表/西镇.csv")]
    assert "其实是一个 Excel" in inspection.problems.items[0].message
    status = inspection.returns["报表"]
    assert status.missing == () and [(r.unit, r.state) for r in status.returns] == [("东镇", RETURNED), ("西镇", LEFT_OUT)]
    assert inspection.figures["职工数"].value == 150
