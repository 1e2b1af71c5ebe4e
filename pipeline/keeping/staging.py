"""Staging: where a build puts its files until every one of them is made, so a reader never
sees half a document and a failed build leaves the previous outputs as they were."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import os
from collections.abc import Iterable
from pathlib import Path

from ..errors import WenmiError
from ..translated import os_reason
from .manifest import EDITED, NEW, Manifest, Output, sha256
from .redline import companion, redline_name


class Staging:
    """Where a build puts its files until every one of them is made.

    Each output to be written — new bytes, or with `force` a file edited by hand — is
    written as soon as it is made, by whichever process made it, to a hidden temporary file
    beside its final path, named with this build's token. `commit` then renames them into
    place, so a reader never sees half a document; `discard` removes them (and any folder
    made for them), so a failed build leaves the previous outputs as they were. Writing
    while other dossiers are still being rendered puts the file system's work on both
    cores.
    """

    def __init__(self, outputs_folder: Path, manifest: Manifest, force: bool,
                 redline_time: datetime.datetime | None = None):
        self.outputs_folder = outputs_folder
        self.manifest = manifest
        self.force = force
        self.redline_time = redline_time       # with --redline: the tracked changes' time
        self.token = os.urandom(4).hex()
        self.made_folders: list[Path] = []     # by this process, parents first

    def temporary(self, path: Path) -> Path:
        """Where `path` is staged; lock.remove_leftovers knows these names."""
        return path.with_name(f".{path.name}.{self.token}.tmp")

    def stage(self, output: Output) -> Output:
        """`output` staged: written to its temporary file when it is to be written, and
        returned with its hash and status (manifest.Manifest.status) in place of its bytes.
        A batch's first dossier is staged by the main process before any worker starts, so
        the folders are made (and noted) here. With `redline_time`, a DOCX written over an
        earlier one gets its （修订稿） made and staged too, by the same process: a
        correction every dossier cites makes a thousand of them, on every core."""
        staged = self._staged(output)
        if self.redline_time and output.format == "docx" and self.is_staged(staged) \
                and output.path.exists():
            try:
                marked = companion(output.path.read_bytes(), output.data, self.redline_time)
            except (OSError, ValueError) as error:
                reason = os_reason(error) if isinstance(error, OSError) else str(error)
                raise WenmiError(f"无法为它生成修订稿：原文件不是可读的 DOCX（{reason}）", file=str(output.path),
                                 hint="原文件可能被另存为其他格式；把它移出 outputs/ 后重新生成，"
                                      "或去掉 --redline") from None
            redline = Output(output.report, "docx", output.path.with_name(redline_name(output.path.stem)),
                             marked, output.text)
            staged = dataclasses.replace(staged, redline=self._staged(redline))
        return staged

    def _staged(self, output: Output) -> Output:
        digest = sha256(output.data)
        staged = dataclasses.replace(output, data=b"", sha256=digest,
                                     status=self.manifest.status(output.path, digest))
        if self.is_staged(staged):
            self._make_folder(output.path.parent)
            try:
                handle = os.open(self.temporary(output.path), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
                with os.fdopen(handle, "wb") as stream:
                    stream.write(output.data)
            except OSError as error:
                raise WenmiError(f"无法写入输出文件：{os_reason(error)}", file=str(output.path),
                                 hint="检查 outputs/ 是否可写、磁盘空间是否充足") from None
        return staged

    def _make_folder(self, folder: Path) -> None:
        if folder.is_dir():
            return
        missing = [folder, *(parent for parent in folder.parents if not parent.exists())]
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise WenmiError(f"无法建立输出文件夹：{os_reason(error)}", file=str(folder),
                             hint="检查 outputs/ 是否可写，其中是否有与文件夹同名的文件") from None
        self.made_folders += reversed(missing)

    def commit(self, staged: Iterable[Output]) -> None:
        """Rename the staged outputs into place (Windows refuses while Word has one open)."""
        for output in staged:
            try:
                os.replace(self.temporary(output.path), output.path)
            except PermissionError:
                self.discard()
                raise WenmiError("无法覆盖输出文件，可能正在 Word 或 WPS 中打开",
                                 file=str(output.path), hint="关闭该文件后重新生成") from None

    def is_staged(self, output: Output) -> bool:
        """Whether `stage` wrote the output's temporary file: new bytes, or with `force` a
        file edited by hand."""
        return output.status == NEW or self.force and output.status == EDITED

    def discard(self) -> None:
        """Remove every temporary file of this build, whoever wrote it, and the folders
        made for them when they are left empty."""
        for temporary in self.outputs_folder.rglob(f".*.{self.token}.tmp"):
            temporary.unlink(missing_ok=True)
        for folder in reversed(self.made_folders):
            with contextlib.suppress(OSError):
                folder.rmdir()
