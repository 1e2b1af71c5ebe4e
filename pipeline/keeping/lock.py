"""One build at a time per project: an exclusive lock on .wenmi/lock in the project folder.

The operating system holds the lock for as long as the process that took it lives, so a
build that crashes or is killed never leaves a stale lock behind. On Linux and macOS it is
a POSIX record lock (lockf), which belongs to the process alone: the workers a batch build
forks do not inherit it, so a worker that outlived its build could not keep every later
build out. (Such a lock does not keep out the process that holds it, so the locks this
process holds are also noted in `_HELD`.) The file itself only tells the second build who
holds it. Whoever takes the lock first removes what a killed holder left: the hidden
temporary files of its staged outputs.
Before that, the folders a build writes in (.wenmi/, outputs/ and those in it) are checked
to lie in the project: a link from outputs/ to elsewhere would have the build write there.
"""

from __future__ import annotations

import datetime
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import WenmiError
from ..reading.specs import Project
from ..translated import os_reason
from . import STATE_FOLDER

LOCKED_BYTE = 1 << 20                    # Windows: the byte locked, well past the holder's note

try:
    import fcntl
except ImportError:                      # Windows
    fcntl = None
    import msvcrt

_HELD: set[str] = set()                 # lock files this process holds (lockf would grant them again)
TEMPORARY_NAME = re.compile(r"\..+\.[0-9a-f]{8}\.tmp")      # staging.Staging.temporary, any build's token


@contextmanager
def build_lock(project: Project) -> Iterator[None]:
    """Hold the project's build lock, or stop with a clear message if another build has it."""
    refuse_links_out(project)
    path = project.root / STATE_FOLDER / "lock"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(path, "a+", encoding="utf-8")
    except OSError as error:
        raise WenmiError(f"无法建立生成记录（{STATE_FOLDER}/lock）：{os_reason(error)}", file=f"{STATE_FOLDER}/",
                         hint=f"项目文件夹须可写；{STATE_FOLDER} 须是一个文件夹（若是同名文件，请改名或删除）") from None
    with handle:
        if fcntl and str(path.resolve()) in _HELD or not _try_lock(handle):
            handle.seek(0)
            holder = handle.read().strip() or "另一个进程"
            raise WenmiError(f"另一次生成正在进行（{holder}），为免两次生成交错写入，本次未做任何改动",
                             file=str(path), hint="等它结束后再运行")
        handle.seek(0)
        handle.truncate()
        handle.write(f"进程 {os.getpid()}，开始于 {datetime.datetime.now():%Y-%m-%d %H:%M:%S}")
        handle.flush()
        _HELD.add(str(path.resolve()))
        remove_leftovers(project.outputs)
        try:
            yield
        finally:
            _HELD.discard(str(path.resolve()))
            handle.truncate(0)
            _unlock(handle)


def refuse_links_out(project: Project) -> None:
    """Refuse to write when .wenmi/, outputs/ or a folder in outputs/ is a link to a place
    outside the project and its external folders."""
    folders = [project.root / STATE_FOLDER, project.outputs]
    if project.outputs.is_dir():
        folders += [path for path in project.outputs.iterdir() if path.is_symlink()]
    for folder in folders:
        if (folder.is_symlink() or folder.exists()) and not project.within(folder):
            raise WenmiError(f"这是指向项目文件夹之外（{folder.resolve()}）的链接，为免把文件写到别处，未做任何改动",
                             file=project.shown(folder),
                             hint="把它换成项目中的普通文件夹；确需写到项目之外，在 project 的 "
                                  "external_folders 中列出那个文件夹")


def remove_leftovers(outputs: Path) -> None:
    """Remove the temporary files of an earlier build that was stopped before it could
    discard them (killed, or the power went). Only the lock's holder calls this, so no
    running build's files can be among them."""
    if outputs.is_dir():
        for path in outputs.rglob(".*.tmp"):
            if TEMPORARY_NAME.fullmatch(path.name) and path.is_file():
                path.unlink(missing_ok=True)


def _try_lock(handle) -> bool:
    try:
        if fcntl:
            fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        else:
            _to_locked_byte(handle)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
    except OSError:
        return False
    return True


def _unlock(handle) -> None:
    if fcntl:
        fcntl.lockf(handle, fcntl.LOCK_UN)
    else:
        _to_locked_byte(handle)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)


def _to_locked_byte(handle) -> None:
    """Put the file's position on the byte Windows locks (msvcrt locks from there). Windows
    lets no other process read a locked byte, so it is one far past the holder's note, which
    the next build reads to say who holds the lock; a byte past the end can be locked."""
    handle.flush()
    os.lseek(handle.fileno(), LOCKED_BYTE, os.SEEK_SET)
