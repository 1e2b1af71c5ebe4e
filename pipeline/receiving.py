"""One unit's return received in the workbench (a late one, or one sent again corrected):
whose it is, and which file of the source's folder it goes to — the unit's own file, or a
new one named after the unit. It is then rehearsed and accepted as a replaced ledger is
(replacing.py): a return is just an input file that replaces another, or joins the folder.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .errors import WenmiError
from .filenames import safe_file_name, unique_names
from .reading.returns import ReturnsStatus, unit_of
from .reading.specs import Project, SourceSpec, returns_files

WILDCARDS = "*?["
BY_HAND = "请把这份报表直接放进文件夹，文件名须符合 files 的写法"


@dataclass(frozen=True)
class Received:
    """Where a received return goes."""
    unit: str                   # the roster's name of its unit
    relative: str               # its place under inputs/
    replaces: str               # the unit's file it replaces, as messages show it; "" when new (新报送)


def place_return(project: Project, source: SourceSpec, status: ReturnsStatus, path: Path,
                 name: str) -> Received:
    """Where the return at `path` (sent as `name`, the name the sender gave it, which only
    names the unit when the source takes units from file names) goes: its unit found as
    `wenmi check` finds it, the file `status` counts for that unit, else a new file. A return
    whose unit is not recognised raises the error `wenmi check` would give it."""
    unit = unit_of(project, source, path, name)
    files = {project.shown(file): file for file in returns_files(project.inputs, source.file)}
    before = next((files[r.file] for r in status.returns if r.unit == unit and r.file in files), None)
    if before is None:
        return Received(unit, _new_file(source, unit, path.suffix.lower(), project.inputs), "")
    if before.suffix.lower() != path.suffix.lower():
        raise WenmiError(f"{unit}原来的报表是 {before.suffix[1:].upper()} 文件，请上传同样格式的文件"
                         f"（收到的是 {path.suffix[1:].upper()}）", file=project.shown(before))
    return Received(unit, before.relative_to(project.inputs).as_posix(), project.shown(before))


def _new_file(source: SourceSpec, unit: str, suffix: str, inputs: Path) -> str:
    """The place under inputs/ of a unit's first return: the `*` of the source's glob
    replaced by the unit's name (made safe for a file name, and told apart from a file
    already there: 北岭乡总工会（2）.xlsx)."""
    glob = PurePosixPath(source.file)
    head, star, tail = glob.name.partition("*")
    if not star or any(mark in glob.parent.as_posix() + head + tail for mark in WILDCARDS):
        raise WenmiError(f"不知道新报送单位的报表该用什么文件名：数据源“{source.name}”的 files 写作“{source.file}”",
                         hint=BY_HAND)
    ending = tail if tail.lower().endswith(suffix) else tail + suffix
    folder = inputs / glob.parent
    names = [file.name for file in folder.iterdir()] if folder.is_dir() else []
    taken = [name[len(head):len(name) - len(ending)] for name in names
             if name.casefold().startswith(head.casefold()) and name.casefold().endswith(ending.casefold())]
    name = f"{head}{unique_names([safe_file_name(unit)], taken)[0]}{ending}"
    if not fnmatch.fnmatchcase(name, glob.name):
        raise WenmiError(f"新报送单位的报表文件名“{name}”不符合数据源“{source.name}”的 files 写法“{source.file}”",
                         hint=BY_HAND)
    return (glob.parent / name).as_posix()
