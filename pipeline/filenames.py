"""Output file names that are valid on Windows, macOS and Linux, and unique in their folder.

Used for dossiers (named from nominee-sheet fields), batch folders and report files (named
after reports) and anything else whose name comes from user data.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from pathlib import Path

from .errors import WenmiError

MAX_STEM = 60                           # characters of a file name before its extension
MAX_STEM_BYTES = 180                    # UTF-8 bytes: most file systems allow 255 per name
FORBIDDEN = set('<>:"/\\|?*') | {chr(code) for code in range(32)} | {"\x7f"}
# Windows' device names, refused as a name before any extension: "nul.txt", "CON .docx" too.
RESERVED = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
            *(f"{port}{n}" for port in ("COM", "LPT") for n in [*"0123456789", "¹", "²", "³"])}


def safe_file_name(text: str) -> str:
    """`text` made into one file name valid on Windows, macOS and Linux.

    Separators and the characters Windows refuses become "_", leading dots and trailing
    dots and spaces go (a hidden file, or a name Windows silently changes), reserved device
    names (CON, NUL, COM1…) get a "_", and the name is cut to MAX_STEM characters and
    MAX_STEM_BYTES bytes. The result never leaves its folder: it holds no separator and is
    never "." or "..".
    """
    name = unicodedata.normalize("NFC", text)
    name = "".join("_" if ch in FORBIDDEN else ch for ch in name)
    name = " ".join(name.split()).lstrip(". ")
    cut = name[:MAX_STEM]
    while len(cut.encode("utf-8")) > MAX_STEM_BYTES:
        cut = cut[:-1]
    name = cut.rstrip(". ")
    if name.split(".")[0].rstrip().upper() in RESERVED:
        name = f"{name}_"
    return name or "未命名"


def unique_names(names: Iterable[str], taken: Iterable[str] = ()) -> list[str]:
    """Each name, with "（2）", "（3）"… added to a repeat, in order, so the result is the same
    every run. Names differing only in letter case count as equal (Windows, macOS)."""
    used = {name.casefold() for name in taken}
    unique = []
    for name in names:
        candidate, count = name, 1
        while candidate.casefold() in used:
            count += 1
            candidate = f"{name}（{count}）"
        used.add(candidate.casefold())
        unique.append(candidate)
    return unique



def within(folder: Path, relative: str) -> Path:
    """`folder / relative`, refused unless it stays inside `folder` (no "..", no absolute
    path, no link leading out): where a name from a spec or a request may be written."""
    target = (folder / relative).resolve()
    if not target.is_relative_to(folder.resolve()):
        raise WenmiError(f"路径“{relative}”指向项目文件夹之外，未做任何改动",
                         hint="数据源的 file 须是 inputs/ 之下的相对路径")
    return target
