"""The work the workbench runs in a process of its own (serve/jobs.py): a rehearsal of a
replaced ledger, and a build. Each returns plain data for its page."""

from __future__ import annotations

from pathlib import Path


def rehearsal(root: str, relative: str, upload: str, progress=None) -> dict:
    """What a build would change if the uploaded file replaced inputs/`relative`."""
    from ..replacing import rehearse
    rehearsed = rehearse(Path(root), {relative: Path(upload).read_bytes()}, progress)
    return {"changes": rehearsed.changes, "warnings": list(rehearsed.warnings)}


def building(root: str, progress=None) -> dict:
    """`wenmi build` as the command runs it: hand-edited files stay protected."""
    from ..build import build
    from ..cli import built_lines
    built = build(Path(root), progress=progress)
    return {"lines": built_lines(built), "warnings": list(built.warnings), "build": built.build_id}
