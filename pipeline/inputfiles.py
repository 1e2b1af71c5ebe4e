"""Reading the office's files without being led astray.

Every file a project reads — specs, ledgers, bodies, templates, stories, a DOCX to refresh —
goes through the checks here before a byte of it is read: it must lie inside the project
folder (or a folder the project names in `external_folders`), be a regular file (a device
such as /dev/zero reads forever, a pipe blocks forever) and stay under a size limit. A zip
package (XLSX, DOCX) is also judged by the sizes its directory declares before anything is
inflated: a few megabytes that inflate to gigabytes is a zip bomb. Text read here holds no
control characters: they cannot be written into a DOCX and only ever come from a bad copy.
"""

from __future__ import annotations

import re
import stat
from pathlib import Path

from .errors import WenmiError, at_line
from .translated import os_reason

MB = 1024 * 1024
LEDGER_LIMIT = 100 * MB          # a CSV or XLSX ledger, as stored
TEXT_LIMIT = 10 * MB             # a YAML spec, a body, a template, a story
DOCUMENT_LIMIT = 100 * MB        # a DOCX given to refresh or check --text
UNPACKED_LIMIT = 500 * MB        # everything a zip package holds, inflated
RATIO_LIMIT = 200                # inflated : stored, for a part larger than RATIO_FROM
RATIO_FROM = 10 * MB

# C0 controls other than tab, line feed and carriage return, DEL, the two non-characters
# XML refuses, and the private-use characters that carry figure marks (figures.MARK_OPEN…)
INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ue000-\ue002]")
INVISIBLE_HINT = "删除这个字符（通常是从别处复制粘贴时带进来的），或重新输入这一处"
OUTSIDE_HINT = ("输入文件须放在项目文件夹中（台账、正文放在 inputs/ 下，模板放在 templates/ 下）；"
                "确需使用项目之外的文件夹，在 project 的 external_folders 中列出它")


def size_text(size: int) -> str:
    """A file size for people: 12.3 MB, 800 KB."""
    return f"{size / MB:.1f} MB" if size >= MB else f"{max(size // 1024, 1)} KB"


def regular_file(path: Path, shown: str, limit: int) -> None:
    """Refuse, before reading it, anything at `path` that is not a regular file of at most
    `limit` bytes. A symbolic link is judged by what it points to."""
    try:
        status = path.stat()
    except FileNotFoundError:
        raise WenmiError("找不到文件", file=shown) from None
    except OSError as error:
        raise WenmiError(f"无法读取这个文件：{os_reason(error)}", file=shown) from None
    if stat.S_ISDIR(status.st_mode):
        raise WenmiError("这是一个文件夹，不是文件", file=shown)
    if not stat.S_ISREG(status.st_mode):
        raise WenmiError("这不是普通文件（而是设备、管道或套接字等），读取它可能永远读不完或一直等待，未读取",
                         file=shown, hint="换成一个普通的文件")
    if status.st_size > limit:
        raise WenmiError(f"文件太大（{size_text(status.st_size)}），超过 {size_text(limit)} 的上限，未读取",
                         file=shown, hint="检查是否选错了文件；确需这么大时，请拆分成几个文件")


def read_bytes(path: Path, shown: str, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes (`regular_file`)."""
    regular_file(path, shown, limit)
    try:
        with path.open("rb") as stream:
            data = stream.read(limit + 1)
    except OSError as error:
        raise WenmiError(f"无法读取这个文件：{os_reason(error)}", file=shown) from None
    if len(data) > limit:                        # it grew after it was looked at
        raise WenmiError(f"文件太大，超过 {size_text(limit)} 的上限，未读取", file=shown)
    return data


def read_text(path: Path, shown: str, limit: int = TEXT_LIMIT) -> str:
    """A UTF-8 text file (a BOM is dropped), refused with the line of the first byte that is
    not UTF-8 or of the first control character."""
    data = read_bytes(path, shown, limit)
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise WenmiError("文件不是 UTF-8 编码，请用 UTF-8 另存", file=shown, place=at_line(line),
                         hint="记事本、WPS 另存时选择“UTF-8”编码") from None
    refuse_invisible(text, shown)
    return text


def refuse_invisible(text: str, shown: str) -> None:
    """Refuse a text holding a control character, at its line and column."""
    found = INVISIBLE.search(text)
    if found is not None:
        start = found.start()
        line = text.count("\n", 0, start) + 1
        column = start - (text.rfind("\n", 0, start) + 1) + 1
        raise WenmiError(invisible_message(found.group()), file=shown, place=at_line(line, column),
                         hint=INVISIBLE_HINT)


def invisible_message(character: str) -> str:
    return f"含有不可见的控制字符或文秘内部使用的字符（U+{ord(character):04X}），无法写入公文"


def zip_checked(path: Path, shown: str) -> None:
    """Refuse a zip package (XLSX, DOCX) whose parts would inflate beyond UNPACKED_LIMIT
    together, or a large part that inflates more than RATIO_LIMIT times: judged from the
    sizes the package declares, before anything is inflated. A file that is not a zip
    package passes: its reader says what is wrong with it."""
    import zipfile      # only for the ledgers and documents that are zip packages
    try:
        with zipfile.ZipFile(path) as package:
            parts = package.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    total = 0
    for part in parts:
        total += part.file_size
        if part.file_size > RATIO_FROM and part.file_size > RATIO_LIMIT * max(part.compress_size, 1):
            raise WenmiError(
                f"文件中的“{part.filename}”只有 {size_text(part.compress_size)}，解压后却有 "
                f"{size_text(part.file_size)}（压缩比超过 {RATIO_LIMIT} 倍），像是“压缩炸弹”，未读取",
                file=shown, hint="用 Excel/WPS 打开后另存为 .xlsx/.docx；确是正常文件时请拆分后再用")
    if total > UNPACKED_LIMIT:
        raise WenmiError(f"文件解压后共 {size_text(total)}，超过 {size_text(UNPACKED_LIMIT)} 的上限，未读取",
                         file=shown, hint="台账过大时请按年度或单位拆分")


def within(path: Path, folders: tuple[Path, ...]) -> bool:
    """Whether `path`, once every symbolic link and ".." in it is followed, lies in one of
    `folders` (themselves resolved)."""
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError):     # a loop of links: nothing outside can be read through it
        return True
    return any(resolved.is_relative_to(folder.resolve()) for folder in folders)
