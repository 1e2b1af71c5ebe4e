"""One build at a time per project: an exclusive lock on .wenmi/lock in the project folder.

The operating system holds the lock for as long as the process lives, so a build that
crashes or is killed never leaves a stale lock behind. The file itself only tells the
second build who holds it.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import WenmiError
from . import STATE_FOLDER

LOCKED_BYTE = 1 << 20                    # Windows: the byte locked, well past the holder's note

try:
    import fcntl
except ImportError:                      # Windows
    fcntl = None
    import msvcrt


@contextmanager
def build_lock(project_root: Path) -> Iterator[None]:
    """Hold the project's build lock, or stop with a clear message if another build has it."""
    path = project_root / STATE_FOLDER / "lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+", encoding="utf-8") as handle:
        if not _try_lock(handle):
            handle.seek(0)
            holder = handle.read().strip() or "另一个进程"
            raise WenmiError(f"另一次生成正在进行（{holder}），为免两次生成交错写入，本次未做任何改动",
                             file=str(path), hint="等它结束后再运行")
        handle.seek(0)
        handle.truncate()
        handle.write(f"进程 {os.getpid()}，开始于 {datetime.datetime.now():%Y-%m-%d %H:%M:%S}")
        handle.flush()
        try:
            yield
        finally:
            handle.truncate(0)
            _unlock(handle)


def _try_lock(handle) -> bool:
    try:
        if fcntl:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        else:
            _to_locked_byte(handle)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
    except OSError:
        return False
    return True


def _unlock(handle) -> None:
    if fcntl:
        fcntl.flock(handle, fcntl.LOCK_UN)
    else:
        _to_locked_byte(handle)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)


def _to_locked_byte(handle) -> None:
    """Put the file's position on the byte Windows locks (msvcrt locks from there). Windows
    lets no other process read a locked byte, so it is one far past the holder's note, which
    the next build reads to say who holds the lock; a byte past the end can be locked."""
    handle.flush()
    os.lseek(handle.fileno(), LOCKED_BYTE, os.SEEK_SET)
