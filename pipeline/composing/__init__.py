"""Composing: templates and bodies rendered and assembled into `Document`s.

Every kind of report yields `Job`s, one per document — an ordinary report one, a batch
report one per nominee plus its roster — and the lane (pipeline/lane.py) makes and writes
them all the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..model import Bundle, Document


@dataclass(frozen=True)
class Job:
    """One document to make: `make` composes it in whichever process the lane hands the job
    to, and the lane writes it to `stem` plus each format's extension."""
    report: str                                  # the report it belongs to
    stem: Path                                   # its output path without extension
    formats: tuple[str, ...]
    make: Callable[[], Document | Bundle]
    keep: bool = False                           # handed back once written (a merged print file is made of them)
