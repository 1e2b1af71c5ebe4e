"""Benchmark: a folder of units' returns read and checked, beside bare pandas in the same run.

300 returns (one XLSX per unit, 200 rows each, a title row, 填报单位 in A2, the form's
version in I2, a 合计 row) are read by `inspect_project` as one `files:` source: each return's
unit matched to a roster of 300, its version, 合计 row, column rules (required, unique,
min) and a per_unit check, then the combined ledger's figures (sums with each unit's part,
a by-table over 填报单位). Two returns are faulty and two units missing, so the 报送情况 has
something to say. The yardstick, timed in turns with it: bare pandas reading the same 300
sheets (`read_excel`, calamine engine, as Wenmi uses), dropping the 合计 rows,
concatenating and summing the same columns; it checks nothing.
`--csv` does the same with CSV returns as offices export them: no title rows, the unit in
the file name (no version cell; the old form is a renamed column), yardstick `read_csv`.

Usage: python benchmarks/returns.py [--units 300] [--rows 200] [--repeat 3] [--csv]
"""

from __future__ import annotations

import argparse
import random
import tempfile
from pathlib import Path

import openpyxl
import pandas as pd
from ledgers import in_turns

from wenmi.reading.inspection import inspect_project
from wenmi.reading.specs import load_project

HEADER = ["序号", "基层工会", "职工人数", "参保人数", "女职工参保", "参保金额", "理赔人次", "理赔金额"]
SUMMED = HEADER[2:]
XLSX_FORM = """\
    sheet: 参保情况
    skip_rows: 2
    unit: {cell: A2}
    version: {cell: I2, value: 2024版}"""
SPECS = """\
project: {{organization: 测试市总工会, year: 2024}}
sources:
  互助保障:
    files: 报表/*.{suffix}
{form}
    faulty: leave_out
    units: [{units}]
    columns:
      序号: {{type: integer, required: true, unique: true}}
      基层工会: {{type: text, required: true}}
      职工人数: {{type: integer, required: true, min: 1}}
      参保人数: {{type: integer, required: true, min: 0}}
      女职工参保: {{type: integer, min: 0}}
      参保金额: {{type: money, min: 0}}
      理赔人次: {{type: integer, min: 0}}
      理赔金额: {{type: money, min: 0}}
metrics:
  职工人数: {{source: 互助保障, agg: sum, column: 职工人数, unit: 人}}
  参保人数: {{source: 互助保障, agg: sum, column: 参保人数, unit: 人}}
  理赔金额: {{source: 互助保障, agg: sum, column: 理赔金额, unit: 元}}
  报送单位数: {{source: 互助保障, agg: nunique, column: 填报单位, unit: 个}}
  各单位参保人数: {{source: 互助保障, agg: sum, column: 参保人数, by: 填报单位, sort: desc, unit: 人}}
checks:
  参保不超过职工: {{assert: 参保人数 <= 职工人数, per_unit: true}}
"""


def unit_rows(rng: random.Random, unit: str, rows: int) -> list[list]:
    found = []
    for number in range(1, rows + 1):
        staff = rng.randint(20, 400)
        insured = rng.randint(staff // 2, staff)
        claims = rng.randint(0, 8)
        found.append([number, f"{unit}第{number}基层工会", staff, insured, rng.randint(0, insured),
                      insured * 50, claims, claims * rng.randint(5, 30) * 100])
    return found


def make_project(root: Path, units: int, rows: int, csv: bool) -> None:
    rng = random.Random(20250106)
    names = [f"第{number}乡镇总工会" for number in range(1, units + 1)]
    folder = root / "inputs" / "报表"
    folder.mkdir(parents=True)
    suffix = "csv" if csv else "xlsx"
    (root / "inputs" / "项目.yaml").write_text(
        SPECS.format(units=", ".join(names), suffix=suffix, form="" if csv else XLSX_FORM), encoding="utf-8")
    for index, unit in enumerate(names[:-2]):             # the last two have not returned
        data = unit_rows(rng, unit, rows)
        total = ["合计", None] + [sum(row[c] for row in data) for c in range(2, len(HEADER))]
        if index == 7:
            total[3] += 1                                 # a wrong 合计
        version = "表式：2023版" if index == 11 else "表式：2024版"
        top = [["2024年度职工互助保障参保情况统计表"], [f"填报单位：{unit}", *[None] * 7, version]]
        if csv:
            header = [name.replace("理赔人次", "赔付人次") for name in HEADER] if index == 11 else HEADER
            lines = [",".join("" if cell is None else str(cell) for cell in row)
                     for row in [header, *data, total]]
            (folder / f"{unit}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
            continue
        book = openpyxl.Workbook(write_only=True)
        sheet = book.create_sheet("参保情况")
        for row in [*top, HEADER, *data, total]:
            sheet.append(row)
        book.save(folder / f"{unit}.xlsx")


def bare_pandas(root: Path, csv: bool) -> int:
    """The yardstick: every return read, its 合计 row dropped, all concatenated and summed."""
    frames = []
    for path in sorted((root / "inputs" / "报表").iterdir()):
        frame = pd.read_csv(path) if csv else \
            pd.read_excel(path, sheet_name="参保情况", skiprows=2, engine="calamine")
        frames.append(frame[frame["序号"] != "合计"])
    combined = pd.concat(frames, ignore_index=True)
    sums = combined[SUMMED].apply(pd.to_numeric).sum()
    return int(sums["参保人数"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=300)
    parser.add_argument("--rows", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--csv", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        make_project(root, args.units, args.rows, args.csv)
        project = load_project(root)
        inspection = inspect_project(root, project)
        status = inspection.returns["互助保障"]
        assert len(status.returns) == args.units - 2 and len(status.missing) == 2
        assert len(status.faulty) == 2 and not inspection.problems.errors
        counted = (args.units - 4) * args.rows
        assert len(inspection.ledgers["互助保障"].frame) == counted
        turns = in_turns(lambda: inspect_project(root, project), lambda: bare_pandas(root, args.csv),
                         args.repeat)
        kind = "CSV" if args.csv else "XLSX"
        print(f"{args.units} returns ({kind}) × {args.rows} rows, {counted} rows counted, "
              f"{len(inspection.problems.items)} problems found")
        print("  " + turns.line("wenmi", "pandas"))


if __name__ == "__main__":
    main()
