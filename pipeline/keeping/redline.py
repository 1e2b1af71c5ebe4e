"""The reviewer's redline: the new DOCX with every change since the old one as a Word
tracked change (w:del / w:ins), so a leader can accept or reject each in Word or WPS.

The new file is taken as it is and only annotated: paragraphs are matched between the two
files by their text, and inside a changed paragraph the words are compared sentence by
sentence, a figure's run being one piece of its own. So a changed figure is deleted and
inserted exactly where it stands, a reworded sentence as a whole, and unchanged text keeps
its runs, formatting and bookmarks untouched.
"""

from __future__ import annotations

import copy
import datetime
import difflib
import re

from docx.oxml.ns import qn
from lxml import etree

from ..writers.ooxml import DOCUMENT_PART, document_xml, repack, serialize, text_of
from .alignment import paragraph_opcodes

AUTHOR = "Wenmi 数据更新"
SENTENCE = re.compile(r"[^。；！？]*[。；！？]?")


def redline_name(stem: str) -> str:
    return f"{stem}（修订稿）.docx"


def companion(old: bytes, new: bytes, when: datetime.datetime) -> bytes:
    """`new` with the differences from `old` as tracked changes by AUTHOR at `when`."""
    old_body = document_xml(old).find(qn("w:body"))
    new_root = document_xml(new)
    marker = _Marker(when, _largest_id(new_root))
    old_paragraphs = list(old_body.iter(qn("w:p")))
    new_paragraphs = list(new_root.find(qn("w:body")).iter(qn("w:p")))
    for op, i1, i2, j1, j2 in reversed(paragraph_opcodes([text_of(p) for p in old_paragraphs],
                                                         [text_of(p) for p in new_paragraphs])):
        if op == "equal":
            continue
        pairs = min(i2 - i1, j2 - j1)
        for old_p, new_p in zip(old_paragraphs[i1:i1 + pairs], new_paragraphs[j1:j1 + pairs]):
            marker.paragraph(old_p, new_p)
        for new_p in new_paragraphs[j1 + pairs:j2]:
            marker.inserted_paragraph(new_p)
        anchor = new_paragraphs[j1 + pairs - 1] if j1 + pairs > 0 else None
        for old_p in reversed(old_paragraphs[i1 + pairs:i2]):
            marker.deleted_paragraph(old_p, anchor, new_paragraphs[0])
    return repack(new, {DOCUMENT_PART: serialize(new_root)})


class _Marker:
    """Writes the w:ins and w:del elements, each with its own id."""

    def __init__(self, when: datetime.datetime, last_id: int):
        self.date = when.strftime("%Y-%m-%dT%H:%M:%SZ")
        self.last_id = last_id

    def change(self, kind: str):
        self.last_id += 1
        return etree.Element(qn(f"w:{kind}"), {qn("w:id"): str(self.last_id),
                                               qn("w:author"): AUTHOR, qn("w:date"): self.date})

    def paragraph(self, old_p, new_p) -> None:
        """Mark what differs between two matched paragraphs, piece by piece."""
        old_pieces = _pieces(old_p)
        new_pieces = _split_runs(new_p)
        matcher = difflib.SequenceMatcher(None, [text_of(r) for r in old_pieces],
                                          [text_of(r) for r in new_pieces], autojunk=False)
        for op, i1, i2, j1, j2 in reversed(matcher.get_opcodes()):
            if op == "equal":
                continue
            for run in new_pieces[j1:j2]:
                self._wrap(run, "ins")
            if i1 < i2:
                deletion = self.change("del")
                deletion.extend(_deleted(run) for run in old_pieces[i1:i2])
                if j1 < len(new_pieces):
                    _before_bookmark(new_pieces[j1].getparent() if j1 < j2 else new_pieces[j1]).addprevious(deletion)
                else:
                    new_p.append(deletion)

    def inserted_paragraph(self, new_p) -> None:
        for run in new_p.findall(qn("w:r")):
            self._wrap(run, "ins")
        _mark_paragraph_end(new_p, self.change("ins"))

    def deleted_paragraph(self, old_p, anchor, first) -> None:
        """A copy of a paragraph only the old file has, all of it deleted, after `anchor`."""
        copied = copy.deepcopy(old_p)
        for child in list(copied):
            if child.tag != qn("w:pPr"):
                copied.remove(child)
        deletion = self.change("del")
        deletion.extend(_deleted(run) for run in old_p.findall(qn("w:r")))
        copied.append(deletion)
        _mark_paragraph_end(copied, self.change("del"))
        if anchor is not None:
            anchor.addnext(copied)
        else:
            first.addprevious(copied)

    def _wrap(self, run, kind: str) -> None:
        wrapper = self.change(kind)
        run.addprevious(wrapper)
        wrapper.append(run)


def _pieces(paragraph) -> list:
    """Copies of a paragraph's runs, split at sentence ends (the old file stays as it was)."""
    return [piece for run in paragraph.findall(qn("w:r")) for piece in _split(copy.deepcopy(run))]


def _split_runs(paragraph) -> list:
    """The paragraph's own runs split in place at sentence ends; the new runs in order."""
    pieces = []
    for run in paragraph.findall(qn("w:r")):
        parts = _split(run)
        if len(parts) > 1:
            for part in parts:
                run.addprevious(part)
            paragraph.remove(run)
        pieces += parts
    return pieces


def _split(run) -> list:
    """A text run as one run per sentence, each with the run's formatting."""
    texts = run.findall(qn("w:t"))
    if len(texts) != 1 or len(list(run)) > 2:
        return [run]
    sentences = [part for part in SENTENCE.findall(texts[0].text or "") if part]
    if len(sentences) <= 1:
        return [run]
    parts = []
    for sentence in sentences:
        part = copy.deepcopy(run)
        part.find(qn("w:t")).text = sentence
        parts.append(part)
    return parts


def _deleted(run):
    """A copy of `run` as deleted text: its w:t become w:delText."""
    deleted = copy.deepcopy(run)
    for text in deleted.findall(qn("w:t")):
        text.tag = qn("w:delText")
    return deleted


def _before_bookmark(element):
    """Where deleted text goes in front of `element`: before the bookmark that opens there."""
    while element.getprevious() is not None and element.getprevious().tag == qn("w:bookmarkStart"):
        element = element.getprevious()
    return element


def _mark_paragraph_end(paragraph, mark) -> None:
    """Record the paragraph mark itself as inserted or deleted (w:pPr/w:rPr/w:ins|w:del)."""
    properties = paragraph.find(qn("w:pPr"))
    if properties is None:
        properties = etree.SubElement(paragraph, qn("w:pPr"))
        paragraph.insert(0, properties)
    run_properties = properties.find(qn("w:rPr"))
    if run_properties is None:
        run_properties = etree.SubElement(properties, qn("w:rPr"))
    run_properties.insert(0, mark)


def _largest_id(root) -> int:
    """The largest annotation id in use (bookmarks), so tracked changes get fresh ones."""
    ids = (element.get(qn("w:id")) for element in root.iter())
    return max((int(value) for value in ids if value and value.isdigit()), default=0)
