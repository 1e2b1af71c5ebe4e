"""Timings of regeneration on a copy of the example project: first build, a no-op build,
a rebuild after one ledger cell changed (a row moved to another 基层工会: the 工作总结's
table and the two unions' dossiers change), and a forced full rebuild — once for the two
ordinary reports alone (the batch report's spec and sheet removed from the copy) and once
for the whole example with its batch report (35 files).

Run: .venv/bin/python benchmarks/rebuild.py [repeats]
"""

import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from wenmi.build import build

REPO = Path(__file__).resolve().parent.parent
LEDGER = Path("inputs") / "台账" / "2024" / "送温暖.csv"


def timed(action) -> tuple[float, object]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


BATCH_INPUTS = (Path("inputs") / "先进.yaml", Path("inputs") / "先进")


def one_round(with_batch: bool) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for name in ("inputs", "templates"):
            shutil.copytree(REPO / name, root / name)
        if not with_batch:
            (root / BATCH_INPUTS[0]).unlink()
            shutil.rmtree(root / BATCH_INPUTS[1])
        first, _ = timed(lambda: build(root))
        noop, built = timed(lambda: build(root))
        assert not built.written and built.skipped
        ledger = root / LEDGER
        ledger.write_text(ledger.read_text(encoding="utf-8-sig").replace(
            "县商贸流通业工会联合会,贺辉志", "双河镇总工会,贺辉志", 1), encoding="utf-8-sig")
        cell, built = timed(lambda: build(root))
        reports = {o.path.name for o in built.written if o.path.parent == root / "outputs"}
        assert reports == {f"2024年度工作总结.{ext}" for ext in ("docx", "html", "md")}
        forced, _ = timed(lambda: build(root, force=True))
        return {"首次生成": first, "无变化重建": noop, "改一格后重建": cell, "--force 全部重建": forced}


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    for with_batch, title in ((False, "2 份报告 × 3 种格式"), (True, "另加批量事迹材料 35 个文件")):
        rounds = [one_round(with_batch) for _ in range(repeats)]
        print(f"示例项目（{title}），{repeats} 轮中位数：")
        for name in rounds[0]:
            print(f"  {name:<14}{statistics.median(r[name] for r in rounds) * 1000:8.0f} 毫秒")


if __name__ == "__main__":
    main()
