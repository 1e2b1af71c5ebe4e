"""Writers: one module per format, each a function `write(document) -> bytes`.

FORMATS is the one table of formats — name, file extension, writer — that the driver, the
lane and the spec validation all read; a new format is one module and one line here. The
writers are imported when first used, so commands that write nothing do not load
python-docx.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:        # naming the formats does not load the document model
    from ..model import Bundle, Document


@dataclass(frozen=True)
class Format:
    """An output format: its file extension and the module whose `write` makes its bytes."""
    extension: str
    module: str                      # under pipeline/writers/
    label: str                       # how the format is named to the user

    @property
    def write(self) -> Callable[[Document | Bundle], bytes]:
        return importlib.import_module(f".{self.module}", __name__).write


FORMATS: dict[str, Format] = {
    "docx": Format(".docx", "docx", "Word 文档"),
    "html": Format(".html", "html", "网页"),
    "md": Format(".md", "markdown", "Markdown"),
    "txt": Format(".txt", "plaintext", "纯文本（供 OA 系统粘贴）"),
    "pdf": Format(".pdf", "pdf", "PDF（经 LibreOffice 转换）"),
    "xlsx": Format(".xlsx", "xlsx", "Excel 表格（推荐名单）"),
}
DOCUMENT_FORMATS = ("docx", "html", "md", "txt", "pdf")   # what a report or a dossier may be written as
DEFAULT_FORMATS = ("docx", "html", "md")   # a report that names none (pdf needs LibreOffice)
