"""Benchmark: is the working tree quicker than a git revision at the batch build?

This machine's speed changes by a third from one minute to the next, more than most
changes gain, so two versions timed minutes apart cannot be compared. This script builds
the synthetic batch of benchmarks/batch.py (N nominees, 50,000-row ledger) with both
versions in turns — A B, then B A, for each pair — each build into a fresh copy of the
project, and prints for each version the best and median wall and CPU seconds and, pair
by pair, how much the working tree gained.

Usage: python benchmarks/compare.py REVISION [N] [--pairs K]
  e.g. python benchmarks/compare.py HEAD~3 1000 --pairs 10
The revision is checked out with `git worktree` into a temporary folder, removed afterwards.
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from batch import REPO, make_project, quiet_disk, run
from revisions import checked_out

PAIRS = 8


def main() -> None:
    args = sys.argv[1:]
    if not args or args[0].startswith("-"):
        raise SystemExit(__doc__)
    revision = args[0]
    count = int(next((arg for arg in args[1:] if arg.isdigit()), 1000))
    pairs = int(args[args.index("--pairs") + 1]) if "--pairs" in args else PAIRS
    with tempfile.TemporaryDirectory(prefix="wenmi-compare-") as folder:
        folder = Path(folder)
        with checked_out(revision, folder) as older:
            compare({revision: older, "working tree": REPO}, folder, count, pairs)


def compare(versions: dict[str, Path], folder: Path, count: int, pairs: int) -> None:
    project = folder / "project"
    make_project(project, count)
    names = list(versions)
    # every copy is made before any build is timed: copying thousands of files while
    # another version runs would slow that one alone
    copies = {(pair, name): folder / f"{pair}-{index}" for pair in range(pairs)
              for index, name in enumerate(names)}
    for copy in [*copies.values(), *(folder / f"warm-up-{index}" for index in range(len(names)))]:
        shutil.copytree(project, copy)
    for index, name in enumerate(names):                 # compiled modules, page cache
        run(folder / f"warm-up-{index}", code=versions[name])
    written = list((folder / "warm-up-0" / "outputs" / "批量事迹材料").iterdir())
    disk = quiet_disk(folder, [path.stat().st_size for path in written])
    os.sync()
    timings: dict[str, list[tuple[float, float]]] = {name: [] for name in names}
    for pair in range(pairs):
        for name in names if pair % 2 == 0 else reversed(names):
            wall, (user, system), _, _ = run(copies[pair, name], code=versions[name])
            timings[name].append((wall, user + system))
    print(f"dossiers: {count}  pairs: {pairs} (each version builds a fresh copy, in turns)  "
          f"yardstick: {len(written)} files of the same sizes written with open() {disk:.2f} s")
    for name in names:
        walls, cpus = zip(*timings[name])
        print(f"{name:>14}: wall {min(walls):.2f} s best, {statistics.median(walls):.2f} s median;"
              f"  CPU {min(cpus):.2f} s best, {statistics.median(cpus):.2f} s median")
    old, new = (timings[name] for name in names)
    gains = [before[0] - after[0] for before, after in zip(old, new)]
    print(f"working tree quicker by (wall, pair by pair): median {statistics.median(gains):+.2f} s, "
          f"quicker in {sum(gain > 0 for gain in gains)} of {pairs} pairs")


if __name__ == "__main__":
    main()
