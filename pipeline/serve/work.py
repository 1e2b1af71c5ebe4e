"""The work the workbench runs in a process of its own (serve/jobs.py): a rehearsal of a
replaced ledger or of one unit's return, and a build. Each returns plain data for its page."""

from __future__ import annotations

from pathlib import Path


def rehearsal(root: str, relative: str, upload: str, progress=None) -> dict:
    """What a build would change if the uploaded file replaced inputs/`relative`."""
    from ..replacing import rehearse
    rehearsed = rehearse(Path(root), {relative: Path(upload).read_bytes()}, progress)
    return {"changes": rehearsed.changes, "warnings": list(rehearsed.warnings)}


def return_rehearsal(root: str, source: str, unit: str, relative: str, upload: str, progress=None) -> dict:
    """What a build would change if the uploaded return of `unit` went to inputs/`relative`
    in the folder of `source`; with the problems of that return (as `wenmi check` words
    them) apart from the project's other warnings, the state the return would then be in
    (已报送, 有误未计入…) and the source's 报送情况 then."""
    from ..reading.reported import problems_of
    from ..replacing import rehearse
    rehearsed = rehearse(Path(root), {relative: Path(upload).read_bytes()}, progress)
    own = problems_of(Path("inputs", relative).as_posix(), rehearsed.warnings)
    status = rehearsed.returns.get(source)
    return {"changes": rehearsed.changes, "problems": own,
            "warnings": [problem for problem in rehearsed.warnings if problem not in own],
            "state": next((r.state for r in status.returns if r.unit == unit), "") if status else "",
            "status": status.lines() if status else []}


def building(root: str, progress=None) -> dict:
    """`wenmi build` as the command runs it: hand-edited files stay protected."""
    from ..build import build
    from ..cli import built_lines
    built = build(Path(root), progress=progress)
    return {"lines": built_lines(built), "warnings": list(built.warnings), "build": built.build_id}
