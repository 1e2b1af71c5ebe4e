"""The one lane every document takes from `Job` to files: made, written by each of its
formats' writers, and staged — by the process that made it.

Few documents are made here one after another. Many (a batch of dossiers) are shared out
in chunks between this process and one forked worker per further core, each taking the
next chunk whenever it is free, so no core idles while work is left; the first job is made
here alone before any worker starts, so the caches it fills (compiled templates, the
Markdown parser, the DOCX parts) are inherited. Results are put back in job order, so the
bytes are the same whoever made them, and with one core, or where fork does not exist
(Windows), everything is made here.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import signal
import sys
from collections.abc import Callable, Sequence

from .composing import Job
from .errors import WenmiError
from .keeping.manifest import Output, text_record
from .model import Bundle, Document
from .writers import FORMATS

PARALLEL_FROM = 48                      # below this, forking workers costs more than it saves
CHUNK = 25                              # jobs a process takes at a time
RESULT_WAIT = 1.0                       # seconds between checks that the workers still live
Progress = Callable[[int, int], None]   # (documents done, documents in all)
StageFile = Callable[[Output], Output]  # writes an output to its staged place (keeping/staging.py)
Made = tuple[Document | Bundle | None, list[Output]]   # a job's document (when kept) and files


def run(jobs: Sequence[Job], stage: StageFile, progress: Progress | None = None
        ) -> tuple[list[Output], list[Document]]:
    """Every job's files, each passed through `stage` by the process that made it, in job
    order; and the documents of the jobs marked `keep`, in job order."""
    if not jobs:
        return [], []
    chunks = [jobs[:1]] + [jobs[start:start + CHUNK] for start in range(1, len(jobs), CHUNK)]
    results: list[list[Made]] = [[] for _ in chunks]
    done = 0

    def finished(index: int, result: list[Made]) -> None:
        nonlocal done
        results[index] = result
        done += len(result)
        if progress:
            progress(done, len(jobs))

    finished(0, _make_chunk(chunks[0], stage))
    workers = min(os.cpu_count() or 1, len(chunks) - 1) - 1
    if len(jobs) >= PARALLEL_FROM and workers >= 1 and \
            "fork" in multiprocessing.get_all_start_methods():
        _in_parallel(chunks, stage, workers, finished)
    else:
        for index in range(1, len(chunks)):
            finished(index, _make_chunk(chunks[index], stage))
    made = [item for result in results for item in result]
    return ([file for _, files in made for file in files],
            [document for document, _ in made if document is not None])


def _make_chunk(chunk: Sequence[Job], stage: StageFile) -> list[Made]:
    """The files of a chunk of jobs, staged, with the documents that are to be kept (sending
    a document back from a worker costs about as much as writing it)."""
    made = []
    for job in chunk:
        document = job.make()
        text = text_record(document)
        files = [stage(Output(job.report, fmt, job.stem.with_name(job.stem.name + FORMATS[fmt].extension),
                              FORMATS[fmt].write(document), text))
                 for fmt in job.formats]
        made.append((document if job.keep else None, files))
    return made


def _in_parallel(chunks: list, stage: StageFile, workers: int,
                 finished: Callable[[int, list[Made]], None]) -> None:
    """Chunks 1… made by this process and `workers` forked ones, each taking the next chunk
    from a shared counter. Workers send their results, or the error that stopped them, back
    through a queue, and die with this process (a killed build leaves no worker behind).

    (A process pool would need this process to feed it; while it makes documents itself,
    its feeding thread waits for the interpreter lock and the workers starve.)
    """
    context = multiprocessing.get_context("fork")
    counter = context.Value("i", 1)
    returned = context.Queue()
    parent = os.getpid()

    def take() -> int | None:
        with counter.get_lock():
            index = counter.value
            counter.value += 1
        return index if index < len(chunks) else None

    def work() -> None:
        _die_with(parent)
        try:
            while os.getppid() == parent and (index := take()) is not None:
                returned.put((index, _make_chunk(chunks[index], stage), None))
        except BaseException as error:          # raised again in the parent
            returned.put((None, None, error))

    processes = [context.Process(target=work, daemon=True) for _ in range(workers)]
    for process in processes:
        process.start()
    try:
        taken_here = 0
        while (index := take()) is not None:
            finished(index, _make_chunk(chunks[index], stage))
            taken_here += 1
        for _ in range(len(chunks) - 1 - taken_here):
            index, result, error = _next_result(returned, processes)
            if error is not None:
                raise error
            finished(index, result)
    finally:
        for process in processes:
            process.kill()
            process.join()


def _die_with(parent: int) -> None:
    """Have the kernel end this worker when its parent dies (Linux); elsewhere the worker
    stops before its next chunk once its parent is gone (`os.getppid`)."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)   # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:
        os._exit(1)


def _next_result(returned, processes) -> tuple:
    """The next result a worker sent; an error when every worker has died without one."""
    while True:
        try:
            return returned.get(timeout=RESULT_WAIT)
        except queue.Empty:
            if not any(process.is_alive() for process in processes):
                raise WenmiError("生成文件的子进程意外退出",
                                 hint="可能是内存不足；关闭其他程序后重试") from None
