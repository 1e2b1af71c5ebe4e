"""Replacing an input file (a corrected ledger): first rehearsed, then done.

`rehearse` answers "what would change if this file replaced that one": it builds a copy of
the project with the new file in place and compares that build with the project's last
recorded one, exactly as `wenmi diff` will once the replacement is accepted and built. The
copy lives under the project's .wenmi/ folder (nothing is written outside the project) and
is removed afterwards; the project itself is not touched. `replace_input` then puts the
file in place, the old one kept under .wenmi/history/.
"""

from __future__ import annotations

import datetime
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .build import build
from .filenames import inside
from .keeping.diff import changes
from .keeping import STATE_FOLDER
from .keeping.manifest import Manifest
from .problems import Problem
from .reading.specs import load_project

HISTORY = "history"             # under .wenmi/: the input files that were replaced


@dataclass(frozen=True)
class Rehearsal:
    """What a build after the replacement would do."""
    changes: dict                   # as keeping/diff.py `changes`: figures, then paragraphs
    warnings: tuple[Problem, ...]   # what `wenmi check` would warn about then
    returns: dict                   # 报送情况 of each returns source then (ReturnsStatus)


def rehearse(root: Path, replacements: dict[str, bytes], progress=None) -> Rehearsal:
    """Build a copy of the project at `root` with `replacements` (new bytes by path under
    inputs/) and compare it with the last recorded build (with a first build of the copy as
    it is, when the project was never built). A problem in the new files is raised as the
    build raises it (`ProblemsFound`), every one at once."""
    project = load_project(root)
    manifest = Manifest.load(project)
    builds = manifest.builds()
    with tempfile.TemporaryDirectory(prefix="rehearsal-", dir=_wenmi_folder(project.root)) as folder:
        copy = Path(folder)
        for name in ("inputs", "templates"):
            shutil.copytree(project.root / name, copy / name, symlinks=False)
        if builds:
            (copy / STATE_FOLDER / "builds").mkdir(parents=True)
            for path in (manifest.folder / "manifest.json", manifest.folder / "builds" / f"{builds[-1]}.json"):
                shutil.copyfile(path, copy / path.relative_to(manifest.folder.parent))
        else:
            build(copy)
        for relative, data in replacements.items():
            inside(copy / "inputs", relative).write_bytes(data)
        built = build(copy, progress=progress)
        if not built.build_id:      # the same bytes as the first build's: nothing to make
            return Rehearsal({"自": "", "至": "", "数字": [], "段落": []}, built.warnings, built.returns)
        return Rehearsal(changes(load_project(copy)), built.warnings, built.returns)


def replace_input(root: Path, relative: str, data: bytes,
                  when: datetime.datetime | None = None) -> Path | None:
    """Put `data` at inputs/`relative`, the file it replaces moved first to
    .wenmi/history/<same path>.<time><suffix>; that path is returned (None for a new file).
    The new file is written beside its place and renamed, so no reader sees half of it."""
    inputs = root / "inputs"
    target = inside(inputs, relative)
    kept = None
    if target.exists():
        when = when or datetime.datetime.now()
        place = inside(_wenmi_folder(root) / HISTORY, target.relative_to(inputs.resolve()).as_posix())
        kept, copies = place.with_name(f"{place.stem}.{when:%Y%m%d-%H%M%S}{place.suffix}"), 1
        while kept.exists():        # replaced twice within a second
            copies += 1
            kept = place.with_name(f"{place.stem}.{when:%Y%m%d-%H%M%S}-{copies}{place.suffix}")
        kept.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(target, kept)
    temporary = target.with_name(f".{target.name}.{os.urandom(4).hex()}.tmp")
    temporary.parent.mkdir(parents=True, exist_ok=True)
    temporary.write_bytes(data)
    os.replace(temporary, target)
    return kept


def _wenmi_folder(root: Path) -> Path:
    folder = root / STATE_FOLDER
    folder.mkdir(exist_ok=True)
    return folder
