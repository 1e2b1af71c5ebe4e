"""`wenmi refresh <edited.docx>`: new figures into a DOCX the office has already polished.

Every figure in a generated DOCX sits in a bookmark (see writers/ooxml.py). Refresh finds
the output the file was made from (the one at its path, or for a renamed copy the recorded
DOCX with most nearly its bookmark names and title), and for each bookmark puts the latest
build's text in place of the old one, in the bookmark's first run so its formatting stays. Nothing outside the
bookmarks is touched. A figure is replaced only when the file still shows a text Wenmi
once wrote there; one retyped by hand, or a bookmark whose text was deleted, is reported,
never guessed. A backup copy is written to outputs/.history/ before the file is changed.
A refreshed output (the recorded file itself, not a copy elsewhere) is noted in the
manifest, so builds stop calling it edited until its figures change again.
"""

from __future__ import annotations

import datetime
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from docx.oxml.ns import qn

from ..errors import WenmiError
from ..figures import BOOKMARK_PREFIX
from ..inputfiles import DOCUMENT_LIMIT, read_bytes, zip_checked
from ..reading.specs import Project, load_project
from ..writers.ooxml import DOCUMENT_PART, document_xml, repack, serialize, text_of
from .lock import build_lock
from .manifest import HISTORY, Manifest, recorded_texts, sha256


@dataclass
class Refreshed:
    """What refresh did and what it left for a person, each as (figure label, place, …)."""
    output: str = ""                                    # the recorded output it matched
    updated: list[tuple[str, str, str, str]] = field(default_factory=list)   # label, place, old, new
    kept_by_hand: list[tuple[str, str, str]] = field(default_factory=list)   # label, place, text
    deleted: list[tuple[str, str]] = field(default_factory=list)            # label, old text
    backup: Path | None = None


def refresh(root: Path, edited: Path, now: datetime.datetime | None = None) -> Refreshed:
    """Update the marked figures of `edited` in place from the project's latest build,
    holding the build lock: a build must not write the manifest meanwhile."""
    project = load_project(root)
    with build_lock(project):
        return _refresh(project, edited, now or datetime.datetime.now())


def _refresh(project: Project, edited: Path, now: datetime.datetime) -> Refreshed:
    manifest = Manifest.load(project)
    zip_checked(edited, str(edited))
    package = read_bytes(edited, str(edited), DOCUMENT_LIMIT)
    try:
        tree = document_xml(package)
    except ValueError as error:
        raise WenmiError(f"无法读取这份 DOCX：{error}", file=str(edited),
                         hint="确认文件未被损坏，并已另存为 .docx 格式") from None
    marks = _bookmarks(tree)
    key, record = _matching_output(manifest, tree, set(marks), edited)
    labels = manifest.data.get("figures", {})
    history = recorded_texts(manifest, key)
    result = Refreshed(output=key)
    for citation in record["citations"]:
        label = labels.get(citation["figure"], {}).get("label", citation["figure"])
        runs = marks.get(citation["bookmark"])
        current = text_of(*(runs or []))
        if not current:
            result.deleted.append((label, citation["text"]))
        elif current == citation["text"]:
            continue
        elif current not in history.get(citation["bookmark"], ()):
            result.kept_by_hand.append((label, _place(runs), current))
        else:
            _replace(runs, citation["text"])
            result.updated.append((label, _place(runs), current, citation["text"]))
    if result.updated:
        result.backup = _backup(project, edited, now)
        package = repack(package, {DOCUMENT_PART: serialize(tree)})
        temporary = edited.with_name(f".{edited.name}.{os.urandom(4).hex()}.tmp")
        temporary.write_bytes(package)
        try:
            os.replace(temporary, edited)
        except PermissionError:         # Windows, while Word or WPS has the file open
            temporary.unlink()
            result.backup.unlink()
            raise WenmiError("无法改写这份 DOCX，可能正在 Word 或 WPS 中打开", file=str(edited),
                             hint="关闭该文件后重新运行 wenmi refresh") from None
    if _is_recorded(manifest, edited, key) and manifest.edited(manifest.project.outputs / key):
        manifest.refreshed(manifest.project.outputs / key, sha256(package))
    return result


def _backup(project: Project, edited: Path, now: datetime.datetime) -> Path:
    """A copy of the file as it was, under outputs/.history/ (where it sits in outputs/,
    or by its name when it lies elsewhere), stamped with `now`."""
    try:
        relative = edited.resolve().relative_to(project.outputs.resolve())
    except ValueError:
        relative = Path(edited.name)
    backup = project.outputs / HISTORY / relative.parent / \
        f"{edited.stem}.备份-{now:%Y%m%d-%H%M%S}{edited.suffix}"
    backup.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(edited, backup)
    return backup


def _is_recorded(manifest: Manifest, edited: Path, key: str) -> bool:
    """Whether `edited` is the output recorded under `key` (not a copy of it elsewhere)."""
    try:
        return manifest.key(edited.resolve()) == key
    except ValueError:
        return False


def _bookmarks(tree) -> dict[str, list]:
    """Wenmi's bookmarks by name, each with the runs between its start and its end.

    A bookmark whose end is not in the same paragraph (its text was cut across paragraphs)
    gets no runs, and is reported like a deleted one.
    """
    found: dict[str, list] = {}
    for start in tree.iter(qn("w:bookmarkStart")):
        name = start.get(qn("w:name")) or ""
        if not name.startswith(BOOKMARK_PREFIX):
            continue
        runs, ended = [], False
        for sibling in start.itersiblings():
            if sibling.tag == qn("w:bookmarkEnd") and sibling.get(qn("w:id")) == start.get(qn("w:id")):
                ended = True
                break
            runs += [sibling] if sibling.tag == qn("w:r") else list(sibling.iter(qn("w:r")))
        found[name] = runs if ended else []
    return found


def _matching_output(manifest: Manifest, tree, names: set[str], edited: Path) -> tuple[str, dict]:
    """The recorded DOCX output the file was made from: the one at its path when it is
    still in outputs/; otherwise the one whose bookmarks are most nearly the file's (a
    merged print file holds every dossier's, so a dossier is not taken for it), then the
    one with the same title and most of the same paragraphs (the dossiers of a batch share
    their bookmark names, two nominees may share a name), then the same file name."""
    records = {key: record for key, record in manifest.outputs.items() if record["format"] == "docx"}
    try:
        key = manifest.key(edited.resolve())
    except ValueError:                           # not under outputs/
        key = None
    if key in records:
        return key, records[key]
    paragraphs = [text_of(paragraph) for paragraph in tree.iter(qn("w:p"))]
    title, texts = paragraphs[:1], set(paragraphs)

    def likeness(key: str) -> tuple[float, bool, int, bool]:
        record = records[key]
        recorded = {c["bookmark"] for c in record["citations"]}
        shared = len(names & recorded) / len(names | recorded) if names | recorded else 0.0
        return (shared, record["paragraphs"][:1] == title, len(texts & set(record["paragraphs"])),
                Path(key).name == edited.name)

    scores = {key: likeness(key) for key in records}
    ranked = sorted(records, key=scores.get, reverse=True)
    if not ranked or scores[ranked[0]][0] == 0:
        raise WenmiError("这份文件中没有文秘生成的数字标记，或项目中没有它的生成记录", file=str(edited),
                         hint="确认 --project 指向生成它的项目，且文件是由 wenmi build 生成后修改的")
    tied = [key for key in ranked if scores[key] == scores[ranked[0]]]
    if len(tied) > 1:
        raise WenmiError(f"这份文件与多份生成记录同样相像（{'、'.join(tied[:3])}……），无法确定对应哪一份",
                         file=str(edited), hint="对 outputs/ 中原来的文件运行 wenmi refresh，或不要改动标题")
    return ranked[0], records[ranked[0]]


def _replace(runs: list, text: str) -> None:
    """`text` into the first text of the runs, the rest emptied: formatting stays."""
    texts = [t for run in runs for t in run.iter(qn("w:t"))]
    texts[0].text = text
    for other in texts[1:]:
        other.text = ""


def _place(runs: list) -> str:
    """Where a figure stands, for people: the start of its paragraph."""
    paragraph = runs[0].getparent()
    while paragraph is not None and paragraph.tag != qn("w:p"):
        paragraph = paragraph.getparent()
    words = text_of(paragraph) if paragraph is not None else ""
    return f"“{words[:18]}……”" if len(words) > 18 else f"“{words}”"


def refresh_lines(result: Refreshed, shown: str) -> list[str]:
    """What `wenmi refresh` prints."""
    lines = [f"{shown}（对应生成记录中的 {result.output}）："]
    lines += [f"  已更新 {label}：{old} → {new}（{place}）" for label, place, old, new in result.updated]
    lines += [f"  未改动 {label}：这里的“{text}”是手工改写的，请人工核对（{place}）"
              for label, place, text in result.kept_by_hand]
    lines += [f"  未找到 {label}（原文“{old}”）：标记处的文字已被删除，未自动补回"
              for label, old in result.deleted]
    if not result.updated:
        lines.append("  没有需要更新的数字，文件未改动。")
    else:
        lines.append(f"  共更新 {len(result.updated)} 处；修改前的文件已备份为 {result.backup}")
    return lines
