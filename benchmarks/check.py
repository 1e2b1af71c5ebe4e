"""Benchmark: `wenmi check` on a ledger of N rows with every column rule declared.

Generates a project (fixed seed) whose one ledger has N rows and required, unique, min and max
rules on its columns, plus declared checks and a body, then prints the wall seconds of
`inspect_project` (specs, ledger, rules, metrics, checks, lint) and of the whole `wenmi check`
process. Usage: python benchmarks/check.py [N]
"""

from __future__ import annotations

import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from wenmi.reading.inspection import inspect_project  # noqa: E402

SEED = 20241225
KINDS = ["困难职工", "农民工", "一线职工"]


def make_project(root: Path, rows: int) -> None:
    random.seed(SEED)
    (root / "inputs/台账").mkdir(parents=True)
    (root / "templates").mkdir()
    lines = ["序号,姓名,类别,金额,人数,日期"]
    for serial in range(1, rows + 1):
        lines.append(f"{serial},职工{serial},{random.choice(KINDS)},{random.randint(5, 50) * 100},"
                     f"{random.randint(1, 6)},2024-01-{random.randint(1, 28):02d}")
    (root / "inputs/台账/慰问.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (root / "inputs/项目.yaml").write_text(
        "project: {organization: 测试县总工会, year: 2024}\n"
        "sources:\n  慰问:\n    file: 台账/慰问.csv\n    columns:\n"
        "      序号: {type: integer, required: true, unique: true}\n"
        "      姓名: {type: text, required: true, unique: true}\n"
        f"      类别: {{type: category, values: [{', '.join(KINDS)}], required: true}}\n"
        "      金额: {type: money, required: true, min: 0, max: 10000}\n"
        "      人数: {type: integer, min: 1, max: 20}\n      日期: date\n"
        "metrics:\n  户数: {source: 慰问, agg: count, unit: 户}\n"
        "  金额: {source: 慰问, agg: sum, column: 金额, unit: 元}\n"
        + "".join(f"  {kind}户数: {{source: 慰问, agg: count, where: 类别 == \"{kind}\", unit: 户}}\n"
                  for kind in KINDS)
        + "checks:\n  户数相加: 户数 == " + " + ".join(f"{kind}户数" for kind in KINDS) + "\n"
        "reports:\n  总结: {genre: 总结, body: 正文.md, title: 总结, date: 2024-12-20, formats: [md]}\n",
        encoding="utf-8")
    (root / "inputs/正文.md").write_text("慰问{{ 户数 }}，发放{{ 金额 }}。\n" * 200, encoding="utf-8")
    (root / "templates/总结.md.j2").write_text("---\n标题: {{ 报告.标题 | tojson }}\n---\n\n{{ 正文 }}\n",
                                             encoding="utf-8")


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        make_project(root, rows)
        started = time.perf_counter()
        inspection = inspect_project(root)
        inspect_or_stop = time.perf_counter() - started
        assert not inspection.problems.items, inspection.problems.items
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "wenmi", "check", "--project", str(root)],
                       check=True, capture_output=True)
        whole = time.perf_counter() - started
    print(f"rows={rows} inspect_project={inspect_or_stop:.2f}s wenmi_check_process={whole:.2f}s")


if __name__ == "__main__":
    main()
