"""Writers: one module per format, each a function `write(document) -> bytes`.

The driver looks a format up here and does all file I/O; a new format is one module and
one line in WRITERS.
"""

from __future__ import annotations

from collections.abc import Callable

from ..model import Document
from . import docx, html, markdown

WRITERS: dict[str, Callable[[Document], bytes]] = {
    "docx": docx.write,
    "html": html.write,
    "md": markdown.write,
}

EXTENSIONS = {"docx": ".docx", "html": ".html", "md": ".md"}
