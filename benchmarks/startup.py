"""How long a command takes to start, beside `python -c "import pandas"` timed in the same run.

Each command runs as a whole process on a copy of the example project that has been built
(twice, a sentence added between, so `wenmi diff` has two builds to compare), so `wenmi
build` finds nothing to do. The commands and the yardstick are timed in turns (this
machine's speed drifts by a third within minutes), ROUNDS times each; the medians are
printed with their ratio to the yardstick's and, beside `python -c pass` (the floor: a
Python that starts and stops), how much more each takes. Modules are compiled once, as an
office's installed copy has them (this machine's environment says not to write them).
Targets (issue 11): a no-op build under 0.15 s and at most 0.4 × `import pandas`.

    python benchmarks/startup.py [ROUNDS]
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WENMI = [sys.executable, "-m", "wenmi"]
ENVIRONMENT = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
FLOOR = "python -c pass (floor)"


def timed(command: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env=ENVIRONMENT)
    return time.perf_counter() - started


def main(rounds: int = 15) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "项目"
        root.mkdir()
        for part in ("inputs", "templates"):
            shutil.copytree(REPO / part, root / part)
        subprocess.run([*WENMI, "build", "--project", str(root)], check=True, capture_output=True,
                       env=ENVIRONMENT)     # and compiles the modules
        with open(root / "inputs/正文/2024年度工作总结.md", "a", encoding="utf-8") as body:
            body.write("\n全年工作得到上级工会肯定。\n")      # a second build, for `wenmi diff`
        subprocess.run([*WENMI, "build", "--project", str(root)], check=True, capture_output=True)
        commands = {
            "import pandas (yardstick)": [sys.executable, "-c", "import pandas"],
            FLOOR: [sys.executable, "-c", "pass"],
            "wenmi build (nothing to do)": [*WENMI, "build", "--project", str(root)],
            "wenmi --help": [*WENMI, "--help"],
            "wenmi list": [*WENMI, "list", "--project", str(root)],
            "wenmi diff": [*WENMI, "diff", "--project", str(root)],
            "wenmi explain 送温暖慰问金额": [*WENMI, "explain", "送温暖慰问金额", "--project", str(root)],
        }
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(rounds):
            for name, command in commands.items():
                times[name].append(timed(command, root))
    medians = {name: statistics.median(values) for name, values in times.items()}
    yardstick, floor = medians["import pandas (yardstick)"], medians[FLOOR]
    print(f"{'command':32} {'median':>8} {'best':>8} {'× import pandas':>16} {'− python -c pass':>17}")
    for name, values in times.items():
        print(f"{name:32} {medians[name]:7.3f}s {min(values):7.3f}s {medians[name] / yardstick:15.2f}× "
              f"{medians[name] - floor:+15.3f}s")


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:2]))
