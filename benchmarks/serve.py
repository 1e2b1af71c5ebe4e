"""Benchmark: page loads of `wenmi serve`, through the real server, on the example project
(built once) and on a synthetic batch of 1,000 nominees (benchmarks/batch.py's project:
8,000 rows on the figures page).

Each page is loaded once cold (the first load after the server started reads the project:
ledgers, figures, `wenmi check`) and then ROUNDS times; the median and the slowest warm load
are printed beside the yardstick, `import pandas` in a fresh process timed in the same run,
with their ratio to it. Usage: python benchmarks/serve.py [--nominees N]
"""

from __future__ import annotations

import argparse
import http.client
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote, urlsplit

from batch import make_project, pandas_import

ROUNDS = 10
REPO = Path(__file__).resolve().parent.parent
EXAMPLE_PAGES = ["/", "/check", "/figures", "/figures?scope=nominees&page=2", "/explain?name=送温暖慰问金额",
                 "/chart.svg?name=送温暖慰问金额", "/preview", "/preview?name=2024年度工作总结",
                 "/document?name=2024年度工作总结", "/preview?name=2024年度先进事迹材料",
                 "/document?name=2024年度先进事迹材料&key=GR01", "/changes", "/ledgers"]
BATCH_PAGES = ["/figures?scope=nominees", "/figures?scope=nominees&page=100", "/figures?q=N00999",
               "/preview?name=批量事迹材料", "/preview?name=批量事迹材料&q=N0050",
               "/document?name=批量事迹材料&key=N00500"]


class Workbench:
    """`wenmi serve` on a project, with the cookie its printed address gives."""

    def __init__(self, root: Path):
        self.process = subprocess.Popen([sys.executable, "-m", "wenmi", "serve", "--project", str(root),
                                         "--port", "0"], stdout=subprocess.PIPE, text=True, encoding="utf-8")
        address = urlsplit(self.process.stdout.readline().split("：", 1)[1].strip())
        self.host, self.port = address.hostname, address.port
        status, headers = self.get(f"/?{address.query}")
        assert status == 303, status
        self.cookie = headers["set-cookie"].split(";")[0]

    def get(self, path: str) -> tuple[int, dict]:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=600)
        connection.request("GET", quote(path, safe="/?=&"), headers={"Cookie": getattr(self, "cookie", "")})
        response = connection.getresponse()
        response.read()
        connection.close()
        return response.status, {name.lower(): value for name, value in response.getheaders()}

    def timed(self, path: str) -> float:
        started = time.perf_counter()
        status, _ = self.get(path)
        elapsed = time.perf_counter() - started
        assert status == 200, (path, status)
        return elapsed

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def measure(title: str, root: Path, pages: list[str], yardstick: float) -> None:
    bench = Workbench(root)
    try:
        print(f"\n{title}\n{'page':52} {'cold':>8} {'median':>8} {'slowest':>8} {'median/yardstick':>17}")
        for page in pages:
            cold = bench.timed(page)
            warm = [bench.timed(page) for _ in range(ROUNDS)]
            median = statistics.median(warm)
            print(f"{page:52} {cold * 1000:7.0f}ms {median * 1000:7.1f}ms {max(warm) * 1000:7.1f}ms "
                  f"{median / yardstick:16.3f}×")
    finally:
        bench.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nominees", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        example = Path(folder) / "example"
        for name in ("inputs", "templates"):
            shutil.copytree(REPO / name, example / name)
        subprocess.run([sys.executable, "-m", "wenmi", "build", "--project", str(example)],
                       check=True, capture_output=True)
        batch = Path(folder) / "batch"
        make_project(batch, args.nominees)
        yardstick = statistics.median(pandas_import() for _ in range(3))
        print(f"yardstick: `import pandas` in a fresh process, median of 3: {yardstick * 1000:.0f} ms")
        measure("example project (inputs/), built", example, EXAMPLE_PAGES, yardstick)
        measure(f"synthetic batch of {args.nominees} nominees", batch, BATCH_PAGES, yardstick)
        after = statistics.median(pandas_import() for _ in range(3))
        print(f"\nyardstick again at the end: {after * 1000:.0f} ms")


if __name__ == "__main__":
    main()
