"""The one user-error type.

Every problem the office can fix (a missing file, a bad cell, an unknown placeholder) is a
`WenmiError` carrying a Chinese message, the file and the place in it. The CLI catches this
type once, prints it and exits 2; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations


class WenmiError(Exception):
    """A problem in the user's input, reported as “文件：位置：说明”."""

    def __init__(self, message: str, *, file: str | None = None, place: str | None = None,
                 hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.file = file
        self.place = place
        self.hint = hint

    def __str__(self) -> str:
        where = "：".join(part for part in (self.file, self.place) if part)
        text = f"{where}：{self.message}" if where else self.message
        return f"{text}\n提示：{self.hint}" if self.hint else text


def at_line(line: int | None, column: int | None = None) -> str | None:
    """A place in a text file (YAML, CSV, template), 1-based, in Chinese."""
    if line is None:
        return None
    return f"第{line}行第{column}列" if column else f"第{line}行"


def at_cell(row: int, column: str | None = None, sheet: str | None = None) -> str:
    """A place in a ledger: sheet, row as the spreadsheet numbers it, column by its header."""
    parts = []
    if sheet:
        parts.append(f"工作表“{sheet}”")
    parts.append(f"第{row}行")
    if column:
        parts.append(f"“{column}”列")
    return "".join(parts)


def at_declaration(message: str, defined_at: str, hint: str | None = None) -> WenmiError:
    """An error about a YAML entry known by its "file:line" (as specs record it)."""
    file, _, line = defined_at.rpartition(":")
    return WenmiError(message, file=file or defined_at,
                      place=at_line(int(line)) if line.isdigit() else None, hint=hint)
