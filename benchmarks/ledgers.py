"""Benchmark: big ledgers and wide grouped tables, each beside a yardstick timed in the same run.

csv / office: a project whose one ledger has 1,000,000 rows (CSV) with every column rule
declared (required, unique, min/max, category), a few metrics (count, sum, mean, four
wheres, a by-table) and a declared check, read by `inspect_project` (ledger, rules, metrics,
checks, lint; the specs are read once beforehand, 0.05 s whatever the ledger). In `csv` every
cell is plain; in `office` about one amount and one head count in a hundred are written the
way offices write them ("1,200", "0.12万", "１２", "—", "/", "无") and the rate column holds
"95%", so the cell-by-cell parsing they need is in the figure. The yardstick is bare pandas
on the same file in the same process: `pandas.read_csv`, the equivalent vectorised checks
(`to_numeric` where pandas read text, `to_datetime`, `isna`, `duplicated`, range and `isin`
masks) and the same aggregations; pandas cannot read the office's cells at all (NaN).
xlsx: the office ledger as a 50,000-row workbook (yardstick: `pandas.read_excel`, calamine).

table: a whole `wenmi build` (one Markdown report citing a by-table) of a project whose
table has 20,000, 80,000 and then 200,000 distinct keys, in process; yardstick:
`inspect_project` of the same project (the reading and the figures any build does first).
Time per key shows that the build grows linearly. (200,000 keys make about 6 million
characters of Markdown, more than the template sandbox's MAX_TEXT: a render's allowance
grows with the table rows it is given, composing/sandbox.py.)

Each timing is the best of `--repeat` runs (default 3), Wenmi's and the yardstick's in
turns, wall and CPU (this machine's two cores are shared: CPU time varies less), with the
median ratio of runs taken side by side.
Usage: python benchmarks/ledgers.py [csv|office|xlsx|table ...] [--rows N] [--keys N ...] [--repeat N]
"""

from __future__ import annotations

import argparse
import datetime
import random
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pandas as pd

from wenmi.build import build
from wenmi.reading.inspection import inspect_project
from wenmi.reading.specs import Project, load_project

SEED = 20241225
HEADER = ("序号", "姓名", "基层工会", "类别", "慰问金额", "人数", "完成率", "日期")
KINDS = ["困难职工", "农民工", "劳动模范", "一线职工"]
UNITS = [f"第{number}基层工会" for number in range(1, 201)]
AMOUNT_MAX = 10_000
CASES = ["csv", "office", "xlsx", "table"]


def office_amount(rng: random.Random, amount: int) -> str:
    """An amount as an office may type it: now and then with a thousands separator, in 万,
    in full-width digits."""
    style = rng.random()
    if style < 0.004:
        return f'"{amount:,}"'
    if style < 0.007:
        return f"{amount / 10_000:g}万"
    if style < 0.01:
        return str(amount).translate({ord(digit): ord(digit) + 0xFEE0 for digit in "0123456789"})
    return str(amount)


def ledger_rows(rows: int, office: bool):
    """The ledger's records as typed (strings), in a fixed order: plain, or (`office`) with
    about one amount and one head count in a hundred written the office's way and the rate
    with a percent sign."""
    rng = random.Random(SEED)
    for serial in range(1, rows + 1):
        amount = rng.randint(5, 50) * 100
        people, rate = rng.randint(1, 6), rng.randint(60, 100)
        if office:
            shown_amount, shown_rate = office_amount(rng, amount), f"{rate}%"
            shown_people = rng.choice(["—", "/", "无"]) if rng.random() < 0.01 else str(people)
        else:
            shown_amount, shown_people, shown_rate = str(amount), str(people), str(rate)
        yield (str(serial), f"职工{serial}", rng.choice(UNITS), rng.choice(KINDS), shown_amount,
               shown_people, shown_rate, f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}")


def write_ledger_csv(path: Path, rows: int, office: bool) -> None:
    lines = [",".join(HEADER)] + [",".join(row) for row in ledger_rows(rows, office)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_ledger_xlsx(path: Path, rows: int) -> None:
    """The office ledger as a workbook, typed as Excel keeps it: plain numbers as numbers,
    dates as dates, the office's ways of writing as text."""
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("台账")
    sheet.append(HEADER)
    for row in ledger_rows(rows, office=True):
        cells = [int(cell) if cell.isascii() and cell.isdigit() else cell.strip('"') for cell in row]
        cells[-1] = datetime.date.fromisoformat(row[-1])
        sheet.append(cells)
    workbook.save(path)


def make_ledger_project(root: Path, ledger: str) -> None:
    (root / "inputs/台账").mkdir(parents=True)
    (root / "templates").mkdir()
    (root / "inputs/项目.yaml").write_text(
        "project: {organization: 测试县总工会, year: 2024}\n"
        f"sources:\n  慰问:\n    file: 台账/{ledger}\n    columns:\n"
        "      序号: {type: integer, required: true, unique: true}\n"
        "      姓名: {type: text, required: true}\n"
        "      基层工会: {type: text, required: true}\n"
        f"      类别: {{type: category, values: [{', '.join(KINDS)}], required: true}}\n"
        f"      慰问金额: {{type: money, required: true, min: 0, max: {AMOUNT_MAX}}}\n"
        "      人数: {type: integer, min: 1, max: 20}\n"
        "      完成率: {type: percent, min: 0, max: 100}\n"
        "      日期: date\n"
        "metrics:\n  户数: {source: 慰问, agg: count, unit: 户}\n"
        "  金额: {source: 慰问, agg: sum, column: 慰问金额, unit: 元}\n"
        "  平均人数: {source: 慰问, agg: mean, column: 人数, digits: 1}\n"
        + "".join(f"  {kind}户数: {{source: 慰问, agg: count, where: 类别 == \"{kind}\", unit: 户}}\n"
                  for kind in KINDS)
        + "  各基层工会金额: {source: 慰问, agg: sum, column: 慰问金额, by: 基层工会, top: 10, unit: 元}\n"
        "checks:\n  户数相加: 户数 == " + " + ".join(f"{kind}户数" for kind in KINDS) + "\n"
        "reports:\n  总结: {genre: 总结, body: 正文.md, title: 总结, date: 2024-12-20, formats: [md]}\n",
        encoding="utf-8")
    (root / "inputs/正文.md").write_text("慰问{{ 户数 }}，发放{{ 金额 }}。\n", encoding="utf-8")
    (root / "templates/总结.md.j2").write_text("---\n标题: {{ 报告.标题 | tojson }}\n---\n\n{{ 正文 }}\n",
                                             encoding="utf-8")


def bare_pandas(frame: pd.DataFrame) -> dict:
    """The vectorised equivalent of the declared rules and metrics, on a frame pandas read:
    columns pandas could not read as numbers converted with `to_numeric` (the office's ways
    of writing become NaN: pandas cannot read them at all)."""
    def numeric(name: str, suffix: str = "") -> pd.Series:
        column = frame[name]
        if pd.api.types.is_numeric_dtype(column):
            return column
        return pd.to_numeric(column.str.removesuffix(suffix) if suffix else column, errors="coerce")
    amount, people, rate = numeric("慰问金额"), numeric("人数"), numeric("完成率", "%")
    dates = pd.to_datetime(frame["日期"], format="%Y-%m-%d", errors="coerce")
    broken = {
        "序号": int(frame["序号"].isna().sum() + frame["序号"].duplicated().sum()),
        "姓名": int(frame["姓名"].isna().sum()),
        "基层工会": int(frame["基层工会"].isna().sum()),
        "类别": int((~frame["类别"].isin(KINDS)).sum()),
        "慰问金额": int((amount.isna() | (amount < 0) | (amount > AMOUNT_MAX)).sum()),
        "人数": int(((people < 1) | (people > 20)).sum()),
        "完成率": int(((rate < 0) | (rate > 100)).sum()),
        "日期": int(dates.isna().sum()),
    }
    kinds = frame["类别"].value_counts()
    by_unit = amount.groupby(frame["基层工会"]).sum().sort_values(ascending=False).head(10)
    return {"broken": broken, "户数": len(frame), "金额": amount.sum(), "平均人数": people.mean(),
            "kinds": kinds.to_dict(), "by_unit": by_unit.to_dict()}


@dataclass
class Turns:
    """Two actions timed in turns: the best wall and CPU seconds of each, and the median of
    the wall ratios of runs taken side by side (a pair of runs next to each other sees about
    the same machine; this one's speed changes from one minute to the next)."""
    wall: tuple[float, float]
    cpu: tuple[float, float]
    median_ratio: float

    def line(self, first: str, second: str) -> str:
        (one, other), (one_cpu, other_cpu) = self.wall, self.cpu
        return (f"{first}={one:.2f}s {second}={other:.2f}s ratio={one / other:.2f} "
                f"(side by side: median {self.median_ratio:.2f}; CPU {one_cpu:.2f}s / "
                f"{other_cpu:.2f}s = {one_cpu / other_cpu:.2f})")


def in_turns(first, second, repeat: int) -> Turns:
    walls: tuple[list[float], list[float]] = ([], [])
    cpus: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for action, wall, cpu in zip((first, second), walls, cpus):
            started, used = time.perf_counter(), time.process_time()
            action()
            wall.append(time.perf_counter() - started)
            cpu.append(time.process_time() - used)
    ratios = [one / other for one, other in zip(*walls)]
    return Turns((min(walls[0]), min(walls[1])), (min(cpus[0]), min(cpus[1])),
                 statistics.median(ratios))


def wenmi_inspection(root: Path, project: Project | None = None) -> None:
    inspection = inspect_project(root, project)
    assert not inspection.problems.errors, inspection.problems.items[:3]


def ledger_figures(kind: str, rows: int, repeat: int) -> None:
    """`kind`: csv (plain cells, which pandas reads as numbers itself), office (the same with
    the office's ways of writing) or xlsx (office, as a workbook)."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        ledger = "慰问.xlsx" if kind == "xlsx" else "慰问.csv"
        make_ledger_project(root, ledger)
        path = root / "inputs/台账" / ledger
        if kind == "xlsx":
            write_ledger_xlsx(path, rows)
            read = lambda: bare_pandas(pd.read_excel(path, engine="calamine"))   # noqa: E731
        else:
            write_ledger_csv(path, rows, office=kind == "office")
            read = lambda: bare_pandas(pd.read_csv(path))                        # noqa: E731
        project = load_project(root)   # the specs: the same 0.05 s whatever the ledger
        wenmi_inspection(root, project)   # warm: modules, page cache
        turns = in_turns(lambda: wenmi_inspection(root, project), read, repeat)
    print(f"{kind} rows={rows:,} " + turns.line("wenmi", "bare_pandas"), flush=True)


def make_table_project(root: Path, keys: int) -> None:
    """A ledger with one row per key and a report citing the by-table over them."""
    rng = random.Random(SEED)
    (root / "inputs/台账").mkdir(parents=True)
    (root / "templates").mkdir()
    lines = ["单位,金额"] + [f"单位{key:06d},{rng.randint(1, 999) * 10}" for key in range(keys)]
    (root / "inputs/台账/金额.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (root / "inputs/项目.yaml").write_text(
        "project: {organization: 测试县总工会, year: 2024}\n"
        "sources:\n  金额: {file: 台账/金额.csv, total_row: false, columns: {金额: money}}\n"
        "metrics:\n  各单位金额: {source: 金额, agg: sum, column: 金额, by: 单位, unit: 元}\n"
        "reports:\n  总结: {genre: 总结, body: 正文.md, title: 总结, date: 2024-12-20, formats: [md]}\n",
        encoding="utf-8")
    (root / "inputs/正文.md").write_text("表：各单位金额\n\n{{ 各单位金额 }}\n", encoding="utf-8")
    (root / "templates/总结.md.j2").write_text("---\n标题: {{ 报告.标题 | tojson }}\n---\n\n{{ 正文 }}\n",
                                             encoding="utf-8")


def table_figures(keys: int, repeat: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        make_table_project(root, keys)

        def whole_build() -> None:
            build(root, force=True)
        whole_build()
        turns = in_turns(whole_build, lambda: wenmi_inspection(root), repeat)
        written = (root / "outputs/总结.md").read_text(encoding="utf-8")
        assert written.count("\n|") >= keys, "the table lost rows"
    print(f"table keys={keys:,} ({turns.wall[0] / keys * 1e6:.0f} µs a key) "
          + turns.line("build", "inspect_project"), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("cases", nargs="*", choices=CASES, help="default: all of them")
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows of the CSV ledgers")
    parser.add_argument("--xlsx-rows", type=int, default=50_000)
    parser.add_argument("--keys", type=int, nargs="*", default=[20_000, 80_000, 200_000])
    parser.add_argument("--repeat", type=int, default=3)
    arguments = parser.parse_args()
    for case in arguments.cases or CASES:
        if case == "table":
            for keys in arguments.keys:
                table_figures(keys, arguments.repeat)
        else:
            ledger_figures(case, arguments.xlsx_rows if case == "xlsx" else arguments.rows,
                           arguments.repeat)


if __name__ == "__main__":
    main()
