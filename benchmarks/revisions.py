"""A git revision checked out beside the working tree, for benchmarks that compare the two."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


@contextmanager
def checked_out(revision: str, folder: Path) -> Iterator[Path]:
    """`revision` in a detached `git worktree` under `folder`, removed afterwards."""
    older = folder / "revision"
    subprocess.run(["git", "worktree", "add", "--detach", "--quiet", str(older), revision],
                   cwd=REPO, check=True)
    try:
        yield older
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(older)], cwd=REPO, check=True)
