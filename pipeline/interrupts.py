"""Stopping a command cleanly when it is asked to stop.

Ctrl-C raises KeyboardInterrupt; a `kill`, a service manager's SIGTERM or a closed
terminal's SIGHUP would end the process on the spot, leaving a build's staged files behind.
`stop_on_signals` has those raise `Stopped` (a KeyboardInterrupt) instead, so a build
discards what it staged and releases its lock on the way out, whichever signal it was.
While a build renames its files into place and records them (`deferred`), a stop waits
until that is done: outputs and their record never disagree.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager

STOPPING_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP")
                         if hasattr(signal, name))


class Stopped(KeyboardInterrupt):
    """The command was asked to stop by `signal_number`; `finished` when the work it was
    deferred for was done first."""

    def __init__(self, signal_number: int, finished: bool = False):
        super().__init__(signal_number, finished)
        self.signal_number = signal_number
        self.finished = finished


_deferring = 0
_pending: int | None = None


def stop_on_signals() -> None:
    """Raise `Stopped` in the main thread on SIGINT, SIGTERM and SIGHUP (the command's)."""
    for number in STOPPING_SIGNALS:
        signal.signal(number, _stop)


def _stop(number: int, frame) -> None:
    global _pending
    if _deferring:
        _pending = number
        return
    raise Stopped(number)


@contextmanager
def deferred() -> Iterator[None]:
    """Hold a stop asked for inside the block until the block is done, then raise it."""
    global _deferring, _pending
    _deferring += 1
    try:
        yield
    finally:
        _deferring -= 1
    if not _deferring and _pending is not None:
        number, _pending = _pending, None
        raise Stopped(number, finished=True)
