"""The build lock: one build at a time, and never a lock that outlives the build holding it."""

import os
import shutil
import signal
from pathlib import Path

from wenmi.cli import main
from wenmi.keeping.lock import build_lock
from wenmi.reading.specs import load_project

BASE = Path(__file__).resolve().parents[1] / "bad_inputs" / "base"


def test_a_lock_whose_holder_died_is_free_though_its_worker_lives(tmp_path, capsys):
    """A build forks workers and is killed while it holds the lock; a worker that outlives
    it still has the lock file open. The next build must not be kept out by it."""
    root = tmp_path / "项目"
    shutil.copytree(BASE, root)
    project = load_project(root)
    told, tell = os.pipe()
    build = os.fork()
    if build == 0:                                     # the build: takes the lock, forks, dies
        try:
            with build_lock(project):
                worker = os.fork()
                if worker == 0:                        # its worker: lives on with the descriptor
                    signal.pause()
                os.write(tell, str(worker).encode())
                os._exit(0)                            # dies holding the lock, unlocking nothing
        finally:
            os._exit(1)
    assert os.waitpid(build, 0)[1] == 0
    worker = int(os.read(told, 32))
    try:
        assert "进程" in (root / ".wenmi/lock").read_text(encoding="utf-8")   # a holder's note
        assert main(["build", "--project", str(root)]) == 0, capsys.readouterr().err
    finally:
        os.kill(worker, signal.SIGKILL)
        os.close(told), os.close(tell)
