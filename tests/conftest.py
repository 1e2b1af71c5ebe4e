"""Tests mirror pipeline/'s wings (reading/, composing/, writers/, keeping/); the shared
helpers beside this file (helpers, example_ledgers, project_copies) are importable from
every folder."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def _read_as_seen() -> None:
    """python-docx's Paragraph.text and Run.text as a reader sees them: without the
    invisible WORD JOINERs the DOCX writer puts between a number and its unit (a table
    cell's text is its paragraphs'). Tests that check the joiners read the XML itself."""
    from docx.text.paragraph import Paragraph
    from docx.text.run import Run

    from wenmi.typography import WORD_JOINER
    for kind in (Paragraph, Run):
        raw = kind.text
        kind.text = property(lambda self, raw=raw: raw.fget(self).replace(WORD_JOINER, ""), raw.fset)


_read_as_seen()
