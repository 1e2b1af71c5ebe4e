"""Benchmark: `wenmi build` of a batch of N synthetic 先进事迹材料, timed as a whole process.

Generates a project (fixed seed) with N nominees — each with three 事迹 paragraphs and six
per-nominee figures — joined to a 50,000-row ledger, runs `wenmi build` on it and prints
documents per second, wall seconds, CPU seconds and peak memory (the process and its
workers together, sampled every 50 ms from /proc). The first build is timed three times, each in a fresh
copy: this machine's speed changes by a third from one minute to the next, so best and
median are printed. Usage: python benchmarks/batch.py [N] [--xlsx] [--stories] [--keep]
(--xlsx: the ledger as an XLSX workbook, as most offices keep it; --stories: a 事迹/<编号>.md
per nominee)

The warm-up build (compiled modules, page cache) runs in a copy of the project, and
nothing is deleted until the timing is over. On an ext4 without a journal (this machine's
disk) creating a file for a minute or more after thousands were deleted anywhere near it
costs up to a millisecond, not 0.05-0.1 ms, the inode allocator stepping over each recently
deleted inode: before timing, the benchmark waits (up to five minutes) until plain open()
of files of the same sizes is quick again. Two yardsticks show the state of the machine at
the time: `import pandas` in a fresh process, and that open() of the same files.
"""

from __future__ import annotations

import csv
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import openpyxl

SEED = 20241225
LEDGER_ROWS = 50_000
REPEAT = 3                              # first builds timed, each in a fresh copy
QUIET_FILE_SECONDS = 0.15e-3            # a file's creation on a quiet disk here: 0.05-0.1 ms
QUIET_WAIT, QUIET_TRIES = 30, 11        # seconds between tries of the disk, and how many
# Run from the code folder (cwd), as the package folder pipeline/: any revision runs the same
# way, whatever name it installs under (its modules import each other relatively).
WENMI = [sys.executable, "-m", "pipeline"]
REPO = Path(__file__).resolve().parent.parent

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀英华慧巧美兰霞平刚桂英建国志红梅玉海燕春晓东林波辉鹏斌宇浩凯"
PLACES = ["城关镇", "柳溪镇", "双河镇", "白沙镇", "河西镇", "东坝镇", "石桥乡", "青山乡", "开发区", "新城区"]
TRADES = ["机械厂", "纺织公司", "供电所", "卫生院", "中学", "公交公司", "建工集团", "食品厂", "物流公司", "农业合作社"]
POSTS = ["班组长", "技术员", "车间主任", "工会主席", "护士长", "教师", "驾驶员", "质检员", "工程师", "站长"]
DEEDS = [
    "坚持在生产一线摸索改进工艺，把{n}项小改小革整理成操作要点，在车间推广使用。",
    "主动带徒传艺，手把手教会新进职工掌握关键工序，徒弟中有{n}人已能独立顶岗。",
    "遇到急难险重任务总是冲在前面，{n}次在夜间抢修中连续坚守，保障了生产正常运行。",
    "关心身边困难职工，逢年过节上门看望，先后帮助{n}户家庭解决实际困难。",
    "积极参加职工技能比武，在比赛中取得好成绩，带动班组{n}名职工报名参加技能培训。",
    "认真落实安全生产责任制，牵头排查隐患{n}处，所在班组连续多年未发生安全事故。",
]
CATEGORIES = ["先进个人", "优秀工会工作者", "劳动模范", "先进集体", "工人先锋号"]

TEMPLATE = """---
标题: {{ (对象.名称 ~ ("同志先进事迹材料" if 对象.类别 in ["先进个人", "优秀工会工作者", "劳动模范"] else "先进集体事迹材料")) | tojson }}
署名: {{ 报告.署名 | tojson }}
日期: {{ 报告.日期 | tojson }}
---

{{ 对象.名称 }}，现任{{ 对象.单位 }}{{ 对象.职务 }}。

# 立足岗位，干在实处

{{ 对象.事迹一 }}

# 带头攻坚，勇挑重担

{{ 对象.事迹二 }}全年参与帮扶{{ 帮扶人次 }}，经办帮扶项目{{ 帮扶件数 }}。

# 关爱职工，传递温暖

{{ 对象.事迹三 }}发放帮扶资金{{ 帮扶金额 }}，户均{{ 户均金额 }}，覆盖困难职工{{ 帮扶户数 }}，其中农民工{{ 农民工户数 }}。
"""

SPEC = """project: {{organization: 青禾县总工会, year: 2024}}
sources:
  推荐对象: {{file: 推荐对象.csv, total_row: false}}
  帮扶台账:
    file: {ledger}
    total_row: false
    columns: {{帮扶金额: money, 帮扶人次: integer}}
metrics:
  帮扶件数: {{source: 帮扶台账, agg: count, unit: 件, per_nominee: {{column: 经办单位, nominee: 单位}}}}
  帮扶人次: {{source: 帮扶台账, agg: sum, column: 帮扶人次, unit: 人次, per_nominee: {{column: 经办单位, nominee: 单位}}}}
  帮扶金额: {{source: 帮扶台账, agg: sum, column: 帮扶金额, unit: 元, per_nominee: {{column: 经办单位, nominee: 单位}}}}
  帮扶户数: {{source: 帮扶台账, agg: nunique, column: 户主, unit: 户, per_nominee: {{column: 经办单位, nominee: 单位}}}}
  农民工户数:
    {{source: 帮扶台账, agg: count, where: 类别 == "农民工", unit: 户,
     per_nominee: {{column: 经办单位, nominee: 单位, missing: zero}}}}
  户均金额: {{ratio: [帮扶金额, 帮扶户数], unit: 元}}
reports:
  批量事迹材料:
    nominees: 推荐对象
    categories: {{{categories}}}
    required: [编号, 类别, 名称, 单位, 职务]
    date: 2024-12-25
    formats: [docx]
    roster:
      columns: [序号, 类别, 单位, {{姓名/集体名称: 名称}}, 职务, 帮扶件数, 帮扶金额, 户均金额]
      sort: [类别, 编号]
"""


def make_project(root: Path, count: int, ledger: str = "帮扶台账.csv", stories: bool = False) -> None:
    """The synthetic project: nominee sheet, 50,000-row ledger (CSV, or XLSX as most offices
    keep it when `ledger` ends so), spec and one template; with `stories`, each nominee's
    own 事迹/<编号>.md too, with placeholders, which the template puts after its opening."""
    rng = random.Random(SEED)
    (root / "inputs").mkdir(parents=True)
    (root / "templates").mkdir()
    units = [f"{place}{trade}" for place in PLACES for trade in TRADES]
    units += [f"{unit}{n}分部" for n in range(2, 2 + count // len(units)) for unit in units[:]]
    with open(root / "inputs/推荐对象.csv", "w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["编号", "类别", "名称", "单位", "职务", "事迹一", "事迹二", "事迹三"])
        for index in range(count):
            category = CATEGORIES[index % len(CATEGORIES)]
            unit = units[index % len(units)]
            name = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2))))
            deeds = [deed.format(n=rng.randint(2, 30)) + deed.format(n=rng.randint(2, 30))
                     for deed in rng.sample(DEEDS, 3)]
            writer.writerow([f"N{index + 1:05d}", category, name if index % 5 < 3 else f"{unit}班组",
                             unit, rng.choice(POSTS), *deeds])
    served = [units[index % len(units)] for index in range(count)]
    rows = [["序号", "经办单位", "户主", "类别", "帮扶金额", "帮扶人次"]]
    for index in range(LEDGER_ROWS):
        rows.append([index + 1, served[index % len(served)], rng.choice(SURNAMES) + rng.choice(GIVEN),
                     rng.choice(("困难职工", "农民工", "一线职工")),
                     rng.choice((500, 800, 1000, 1500, 2000)), rng.randint(1, 6)])
    if ledger.endswith(".xlsx"):
        workbook = openpyxl.Workbook(write_only=True)
        sheet = workbook.create_sheet("帮扶台账")
        for row in rows:
            sheet.append(row)
        workbook.save(root / "inputs" / ledger)
    else:
        with open(root / "inputs" / ledger, "w", encoding="utf-8", newline="") as stream:
            csv.writer(stream).writerows(rows)
    categories = ", ".join(f"{name}: 事迹" for name in CATEGORIES)
    spec, template = SPEC.format(categories=categories, ledger=ledger), TEMPLATE
    if stories:
        (root / "inputs/事迹").mkdir()
        for index in range(count):
            (root / f"inputs/事迹/N{index + 1:05d}.md").write_text(
                f"{{{{ 对象.名称 }}}}扎根一线{rng.randint(3, 25)}年，{{{{ 对象.单位 }}}}的职工遇到难事都愿意找他（她）。"
                f"全年参与帮扶{{{{ 帮扶人次 }}}}。\n\n{rng.choice(DEEDS).format(n=rng.randint(2, 30))}\n",
                encoding="utf-8")
        spec = spec.replace("    formats: [docx]\n", "    formats: [docx]\n    stories: 事迹\n")
        template = template.replace("{{ 对象.职务 }}。\n", "{{ 对象.职务 }}。\n\n{{ 正文 }}\n")
    (root / "inputs/项目.yaml").write_text(spec, encoding="utf-8")
    (root / "templates/事迹.md.j2").write_text(template, encoding="utf-8")


def tree_memory(pid: int) -> tuple[int, int]:
    """Resident memory in bytes of `pid` and all its descendants, from /proc: the sum of
    their RSS, which counts twice the pages a forked worker still shares with its parent,
    and the sum of their PSS, which splits shared pages between the processes (what the
    tree really occupies).

    Descendants are followed through each thread's `children` file rather than by reading
    every process's stat: the sampler shares the two cores with the build it measures."""
    rss = pss = 0
    family = [pid]
    while family:
        member = family.pop()
        try:
            with open(f"/proc/{member}/smaps_rollup") as rollup:
                for line in rollup:
                    if line.startswith(("Rss:", "Pss:")):
                        kib = int(line.split()[1]) * 1024
                        rss, pss = (rss + kib, pss) if line[0:3] == "Rss" else (rss, pss + kib)
            for thread in os.listdir(f"/proc/{member}/task"):
                with open(f"/proc/{member}/task/{thread}/children") as children:
                    family += map(int, children.read().split())
        except (OSError, ValueError):
            continue                  # it ended between the listing and the reading
    return rss, pss


def run(root: Path, measure_memory: bool = False, code: Path = REPO
        ) -> tuple[float, tuple[float, float], tuple[int, int], str]:
    """Wall seconds, CPU seconds (user and system, workers included) and, with
    `measure_memory`, peak memory (RSS and PSS sums, else zeros) of one `wenmi build` of
    the project `root` by the pipeline in the folder `code`, and what it printed. Memory is
    measured in runs of its own: reading smaps_rollup 20 times a second costs the build
    CPU time and holds up its page faults."""
    started, used = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
    # an office's Python keeps compiled modules; this machine's environment says not to
    environment = {name: value for name, value in os.environ.items()
                   if name != "PYTHONDONTWRITEBYTECODE"}
    process = subprocess.Popen([*WENMI, "build", "--project", str(root)], cwd=code, env=environment,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak = [0, 0]

    def sample() -> None:
        while process.poll() is None:
            peak[:] = map(max, peak, tree_memory(process.pid))
            time.sleep(0.05)
    sampler = threading.Thread(target=sample)
    if measure_memory:
        sampler.start()
    output = process.communicate()[0]
    wall = time.perf_counter() - started
    if measure_memory:
        sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"wenmi build failed ({process.returncode}):\n{output}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - used.ru_utime, after.ru_stime - used.ru_stime)
    return wall, cpu, tuple(peak), output


def cpu_text(cpu: tuple[float, float]) -> str:
    user, system = cpu
    return f"{user + system:.2f} s ({user:.2f} user, {system:.2f} system)"


def pandas_import() -> float:
    """Seconds a fresh Python takes to import pandas: the machine's speed at the moment."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import pandas"], check=True)
    return time.perf_counter() - started


def disk_baseline(target: Path, sizes: list[int]) -> float:
    """Seconds to create files of `sizes` in the new folder `target` with plain open() and
    write(): what this disk charges for the files alone."""
    target.mkdir()
    contents = [os.urandom(size) for size in sizes]
    started = time.perf_counter()
    for number, data in enumerate(contents):
        with open(target / f"{number}.docx", "wb") as stream:
            stream.write(data)
    return time.perf_counter() - started


def quiet_disk(folder: Path, sizes: list[int]) -> float:
    """`disk_baseline` once the disk is quiet, waiting up to five minutes for it. For a
    minute or more after thousands of files were deleted (a test run, an earlier benchmark's
    clean-up) creating a file here costs up to ten times as much (see the module's
    docstring): that measures the disk's recent past, not the build."""
    attempt = 0
    while (seconds := disk_baseline(folder / f"disk-baseline-{attempt}", sizes)) / len(sizes) \
            > QUIET_FILE_SECONDS and attempt < QUIET_TRIES - 1:
        print(f"the disk is slow ({seconds:.2f} s for {len(sizes)} files: many were deleted "
              f"recently); waiting {QUIET_WAIT} s", file=sys.stderr, flush=True)
        time.sleep(QUIET_WAIT)
        attempt += 1
    return seconds


def main() -> None:
    count = int(next((arg for arg in sys.argv[1:] if arg.isdigit()), 1000))
    with tempfile.TemporaryDirectory(prefix="wenmi-bench-") as folder:
        warm_up = Path(folder) / "warm-up"
        make_project(warm_up, count, "帮扶台账.xlsx" if "--xlsx" in sys.argv else "帮扶台账.csv",
                     stories="--stories" in sys.argv)
        copies = [Path(folder) / f"timed-{number}" for number in range(REPEAT)]
        weighed = Path(folder) / "weighed"
        for copy in (*copies, weighed):
            shutil.copytree(warm_up, copy)
        run(warm_up)                                 # compiled modules, page cache
        written = list((warm_up / "outputs" / "批量事迹材料").iterdir())
        files = len(written)
        pandas_import()
        pandas = pandas_import()
        disk = quiet_disk(Path(folder), [path.stat().st_size for path in written])
        os.sync()               # the files written so far go to disk now, not during the timing
        firsts = [run(copy) for copy in copies]      # each into an empty outputs/
        again = run(copies[-1])                      # over the files of that build
        memory = [run(weighed, measure_memory=True)[2], run(weighed, measure_memory=True)[2]]
        print(f"dossiers: {count}  files written: {files}  ledger rows: {LEDGER_ROWS} "
              f"({'XLSX' if '--xlsx' in sys.argv else 'CSV'})"
              f"{'  a story file per nominee' if '--stories' in sys.argv else ''}")
        walls = sorted(wall for wall, _, _, _ in firsts)
        fastest = min(firsts, key=lambda first: first[0])
        rss, pss = memory[0]
        print(f"first build ({REPEAT} runs, each in a fresh copy): wall {walls[0]:.2f} s best, "
              f"{statistics.median(walls):.2f} s median  documents/s: {count / walls[0]:.0f} best  "
              f"CPU of the best {cpu_text(fastest[1])}  peak memory (process + workers, measured in a run of "
              f"its own): RSS {rss / 2**20:.0f} MiB, PSS {pss / 2**20:.0f} MiB")
        seconds, cpu, _, _ = again
        rss, pss = memory[1]
        print(f"same inputs again: wall {seconds:.2f} s  CPU {cpu_text(cpu)}  peak memory: "
              f"RSS {rss / 2**20:.0f} MiB, PSS {pss / 2**20:.0f} MiB")
        print(f"yardsticks: `import pandas` {pandas:.2f} s; {files} files of the same sizes "
              f"written with open() {disk:.2f} s")
        if "--keep" in sys.argv:
            print(firsts[-1][3])


if __name__ == "__main__":
    main()
