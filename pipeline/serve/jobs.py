"""Long work started from a page (a rehearsal, a build), one at a time, each in a process of
its own so the server stays responsive and a build's forked workers start from a process
with one thread. The page shows its progress by reloading itself until the work is done.
"""

from __future__ import annotations

import itertools
import multiprocessing
import queue
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field

from ..errors import WenmiError
from ..problems import ProblemsFound


@dataclass
class Task:
    """One piece of work and what is known of it so far."""
    id: str
    title: str                         # what the page says is going on
    done: int = 0                      # documents made, as the lane reports them
    total: int = 0
    state: str = "running"             # running, done, failed
    result: object = None              # what the work returned (plain data), once done
    error: str = ""                    # the Chinese message of a user error, or of a bug
    problems: list = field(default_factory=list)   # every problem, when the error held several
    subject: dict = field(default_factory=dict)    # what the work is about, for its page


class Tasks:
    """The tasks started since the server began; at most one running at a time."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._tasks: dict[str, Task] = {}
        self._ids = itertools.count(1)

    def get(self, task_id: str) -> Task | None:
        return self._tasks.get(task_id)

    def running(self) -> Task | None:
        return next((task for task in self._tasks.values() if task.state == "running"), None)

    def start(self, title: str, work: Callable, *args, subject: dict | None = None) -> Task:
        """Run `work(*args, progress=…)` in a new process; `work` must be a module-level
        function (the process is spawned) returning plain data."""
        with self._lock:
            if (busy := self.running()) is not None:
                raise WenmiError(f"“{busy.title}”还在进行，请等它完成后再试")
            task = Task(str(next(self._ids)), title, subject=subject or {})
            self._tasks[task.id] = task
        context = multiprocessing.get_context("spawn")
        messages = context.Queue()
        process = context.Process(target=_child, args=(messages, work, args), daemon=True)
        process.start()
        threading.Thread(target=self._follow, args=(task, process, messages), daemon=True).start()
        return task

    def _follow(self, task: Task, process, messages) -> None:
        """Take the child's messages until it says it is done or dies."""
        while True:
            alive = process.is_alive()      # asked first: a process that ended has flushed its queue
            try:
                kind, *payload = messages.get(timeout=1.0)
            except queue.Empty:
                if alive:
                    continue
                kind, payload = "failed", ["生成进程意外退出（可能是内存不足）", []]
            if kind == "progress":
                task.done, task.total = payload
                continue
            if kind == "done":
                task.result, task.state = payload[0], "done"
            else:
                task.error, task.problems = payload
                task.state = "failed"
            break
        process.join()


def _child(messages, work: Callable, args: tuple) -> None:
    """The spawned process: do the work, sending progress and then its result or error."""
    def progress(done: int, total: int) -> None:
        messages.put(("progress", done, total))
    try:
        messages.put(("done", work(*args, progress=progress)))
    except ProblemsFound as error:
        messages.put(("failed", "发现问题，未做任何改动", error.problems))
    except WenmiError as error:
        messages.put(("failed", str(error), []))
    except BaseException:
        messages.put(("failed", "文秘内部错误（不是您的输入有误）：\n" + traceback.format_exc(), []))
