"""A real batch build killed while its workers render: SIGKILL (nothing can run) and SIGTERM
(the build stops itself). No worker may outlive it, SIGTERM must leave no staged file and no
lock behind, and the next build must succeed and leave no temporary file either.

The project is benchmarks/batch.py's synthetic one, large enough that the build is caught
while its forked workers are staging dossiers (the test waits for that state; it measures
no time)."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from batch import make_project  # noqa: E402

NOMINEES = 300
WAIT = 300                                   # seconds: a very slow machine, not a measurement

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="finds the workers in /proc")


def wenmi(root: Path, **options) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "wenmi", "build", "--project", str(root)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **options)


def children(pid: int) -> list[int]:
    """The live processes whose parent is `pid`."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def temporaries(root: Path) -> list[Path]:
    return [path for path in (root / "outputs").rglob(".*.tmp")]


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("killed") / "项目"
    make_project(root, NOMINEES)
    return root


def caught_rendering(root: Path) -> tuple[subprocess.Popen, list[int]]:
    """A build of `root`, once its workers have started and dossiers are being staged."""
    build = wenmi(root)
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        workers = children(build.pid)
        if workers and temporaries(root):
            return build, workers
        assert build.poll() is None, f"生成在被中止前就结束了：{build.communicate()}"
        time.sleep(0.01)
    build.kill()
    pytest.fail("生成一直没有开始写入文件")


@pytest.mark.parametrize("stop", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_a_killed_batch_build_leaves_no_worker_and_the_next_build_cleans_up(project, tmp_path, stop):
    root = tmp_path / "项目"
    subprocess.run(["cp", "-r", str(project), str(root)], check=True)
    build, workers = caught_rendering(root)

    os.kill(build.pid, stop)
    _, err = build.communicate(timeout=WAIT)

    deadline = time.monotonic() + WAIT
    while any(alive(worker) for worker in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(alive(worker) for worker in workers), "子进程在生成被中止后仍在运行"
    if stop == signal.SIGTERM:                   # stopped cleanly: nothing staged, lock free
        assert build.returncode == 128 + signal.SIGTERM
        assert "已中断，未写入任何文件" in err and "Traceback" not in err
        assert temporaries(root) == []
        assert (root / ".wenmi" / "lock").read_text(encoding="utf-8") == ""
        assert not (root / ".wenmi" / "manifest.json").exists()
    else:
        assert build.returncode == -signal.SIGKILL
        assert temporaries(root), "被杀死的生成本应留下临时文件（否则本测试没有测到清理）"

    again = wenmi(root)
    out, err = again.communicate(timeout=WAIT)
    assert again.returncode == 0, err
    assert "另一次生成正在进行" not in err
    assert temporaries(root) == []
    dossiers = list((root / "outputs").rglob("*.docx"))
    assert len(dossiers) == NOMINEES + 1                  # and the roster
