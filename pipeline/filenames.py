"""Output file names that are valid on Windows, macOS and Linux, and unique in their folder.

Used for dossiers (named from nominee-sheet fields), batch folders and report files (named
after reports) and anything else whose name comes from user data.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from pathlib import Path

from .errors import WenmiError
from .inputfiles import OUTSIDE_HINT, within

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


def pattern_fields(pattern: str) -> list[str]:
    """The field names of a file name pattern such as "{序号}-{单位}-{名称}", in order.

    A pattern only names fields: no format specification ("{序号:02d}"), conversion
    ("{名称!r}"), attribute or index, which would let a pattern build a name of any length
    or reach into Python objects. ValueError, in Chinese, says what is wrong."""
    fields = []
    for _, field, spec, conversion in _parsed(pattern):
        if field is None:
            continue
        if not field.strip():
            raise ValueError("有一对空的花括号“{}”；花括号中应写列名，如 {名称}")
        if spec or conversion or any(mark in field for mark in ".[]{}"):
            written = field + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
            raise ValueError(f"“{{{written}}}”中只能写列名，不能带“:”“!”“.”“[”等格式（序号会自动补零）")
        fields.append(field)
    return fields


def fill_pattern(pattern: str, values: dict[str, str]) -> str:
    """The pattern with each field replaced by its value, as text; nothing else is done to
    it (`pattern_fields` has refused what str.format would do beyond that)."""
    return "".join(literal + (values[field] if field is not None else "")
                   for literal, field, _, _ in _parsed(pattern))


def _parsed(pattern: str) -> list[tuple[str, str | None, str | None, str | None]]:
    """string.Formatter's reading of a pattern, its ValueError said in Chinese."""
    import string
    try:
        return list(string.Formatter().parse(pattern))
    except ValueError:
        raise ValueError("花括号不成对；要在文件名中写花括号本身，请写成“{{”或“}}”") from None


def inside(folder: Path, relative: str) -> Path:
    """`folder / relative` resolved, refused unless it stays inside `folder` (no "..", no
    absolute path, no link leading out): where a name from a spec or a request may be
    written or read."""
    target = folder / relative
    if not within(target, (folder,)):
        raise WenmiError(f"路径“{relative}”指向项目文件夹之外，未做任何改动", hint=OUTSIDE_HINT)
    return target.resolve()
