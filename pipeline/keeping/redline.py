"""The reviewer's redline: the new DOCX with every change since the old one as a Word
tracked change (w:del / w:ins), so a leader can accept or reject each in Word or WPS.

The new file is taken as it is and only annotated: paragraphs and tables are matched between
the two files by their text, a table's rows again row by row, and inside a changed paragraph
(or cell) the words are compared sentence by sentence, a figure's run being one piece of its
own. So a changed figure is deleted and inserted exactly where it stands, a reworded sentence
as a whole, a row that left a ranking as a deleted row and one that entered it as an
inserted row; unchanged text keeps its runs, formatting and bookmarks untouched. Rejecting
every change gives the old file's text, accepting every change the new file's.
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
    new_body = new_root.find(qn("w:body"))
    marker = _Marker(when, _largest_id(new_root))
    old_units, new_units = _units(old_body), _units(new_body)
    for op, i1, i2, j1, j2 in reversed(paragraph_opcodes([text_of(u) for u in old_units],
                                                         [text_of(u) for u in new_units])):
        if op == "equal":
            continue
        pairs = 0                                # paragraph with paragraph, table with table
        while pairs < min(i2 - i1, j2 - j1) and \
                old_units[i1 + pairs].tag == new_units[j1 + pairs].tag:
            pairs += 1
        for old_unit, new_unit in zip(old_units[i1:i1 + pairs], new_units[j1:j1 + pairs]):
            if new_unit.tag == TABLE:
                marker.table(old_unit, new_unit)
            else:
                marker.paragraph(old_unit, new_unit)
        for new_unit in new_units[j1 + pairs:j2]:
            marker.inserted(new_unit)
        anchor = new_units[j1 + pairs - 1] if j1 + pairs > 0 else None
        for old_unit in reversed(old_units[i1 + pairs:i2]):
            copied = marker.deleted(old_unit)
            if anchor is not None:
                anchor.addnext(copied)
            else:
                new_units[0].addprevious(copied)
    return repack(new, {DOCUMENT_PART: serialize(new_root)})


TABLE, ROW, CELL, PARAGRAPH = qn("w:tbl"), qn("w:tr"), qn("w:tc"), qn("w:p")


def _units(body) -> list:
    """What the body is compared by: its paragraphs and its tables, in order."""
    return [child for child in body if child.tag in (PARAGRAPH, TABLE)]


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

    def inserted(self, unit) -> None:
        """A paragraph or table only the new file has, marked inserted throughout."""
        if unit.tag == TABLE:
            for row in unit.iter(ROW):
                self.inserted_row(row)
            return
        self._wrap_runs(unit, "ins")
        _mark_paragraph_end(unit, self.change("ins"))

    def deleted(self, unit):
        """A copy of a paragraph or table only the old file has, all of it deleted."""
        if unit.tag == TABLE:
            copied = copy.deepcopy(unit)
            for row in copied.iter(ROW):
                self._delete_row_content(row)
            return copied
        copied = self._deleted_copy(unit)
        _mark_paragraph_end(copied, self.change("del"))
        return copied

    def table(self, old_table, new_table) -> None:
        """Mark a changed table row by row: rows only the old table has are deleted rows
        (w:del in w:trPr), rows only the new one has inserted rows, and a row found in both
        (by its text outside a 序号 column, or by the first words of a reworded row) has
        its changed cells marked like paragraphs."""
        old_rows, new_rows = old_table.findall(ROW), new_table.findall(ROW)
        serial = _serial_column(old_rows, new_rows)
        old_keys = [_row_key(row, serial) for row in old_rows]
        new_keys = [_row_key(row, serial) for row in new_rows]
        for op, i1, i2, j1, j2 in reversed(paragraph_opcodes(old_keys, new_keys)):
            olds, news = old_rows[i1:i2], new_rows[j1:j2]
            if op == "equal" or (len(olds) == len(news) and
                                 all(_same_row(o, n, serial) for o, n in zip(olds, news))):
                for old_row, new_row in zip(olds, news):
                    self.row(old_row, new_row)
                continue
            for new_row in news:
                self.inserted_row(new_row)
            copies = [self.deleted_row(row) for row in olds]
            if j1 < len(new_rows):               # before the block's first new row, or the next row
                for copied in copies:
                    new_rows[j1].addprevious(copied)
            else:
                for copied in reversed(copies):
                    new_rows[-1].addnext(copied)

    def row(self, old_row, new_row) -> None:
        """Mark the cells that differ between two rows matched as the same row."""
        for old_cell, new_cell in zip(old_row.findall(CELL), new_row.findall(CELL)):
            for old_p, new_p in zip(old_cell.findall(PARAGRAPH), new_cell.findall(PARAGRAPH)):
                if text_of(old_p) != text_of(new_p):
                    self.paragraph(old_p, new_p)

    def inserted_row(self, row) -> None:
        _row_properties(row).append(self.change("ins"))
        for paragraph in row.iter(PARAGRAPH):
            self._wrap_runs(paragraph, "ins")

    def deleted_row(self, row):
        copied = copy.deepcopy(row)
        self._delete_row_content(copied)
        return copied

    def _delete_row_content(self, row) -> None:
        """Mark a copied row deleted, its cells' runs turned into deleted text."""
        _row_properties(row).append(self.change("del"))
        for paragraph in list(row.iter(PARAGRAPH)):
            paragraph.getparent().replace(paragraph, self._deleted_copy(paragraph))

    def _deleted_copy(self, old_p):
        """A copy of a paragraph with its runs as one deletion (bookmarks left out: their
        names and ids belong to the old file)."""
        copied = copy.deepcopy(old_p)
        for child in list(copied):
            if child.tag != qn("w:pPr"):
                copied.remove(child)
        deletion = self.change("del")
        deletion.extend(_deleted(run) for run in old_p.findall(qn("w:r")))
        copied.append(deletion)
        return copied

    def _wrap_runs(self, paragraph, kind: str) -> None:
        for run in paragraph.findall(qn("w:r")):
            self._wrap(run, kind)

    def _wrap(self, run, kind: str) -> None:
        wrapper = self.change(kind)
        run.addprevious(wrapper)
        wrapper.append(run)


def _row_properties(row):
    """A row's w:trPr, made when missing (after a w:tblPrEx, before the cells)."""
    properties = row.find(qn("w:trPr"))
    if properties is None:
        properties = etree.Element(qn("w:trPr"))
        row.insert(1 if len(row) and row[0].tag == qn("w:tblPrEx") else 0, properties)
    return properties


def _cell_texts(row) -> list[str]:
    return [text_of(cell) for cell in row.findall(CELL)]


def _serial_column(old_rows, new_rows) -> int | None:
    """The column that numbers the rows 1, 2, 3… (序号) in both tables, if there is one:
    a row put in renumbers every row after it, so rows are matched without it."""
    def numbered(rows) -> set[int]:
        body = [_cell_texts(row) for row in rows if row.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is None]
        width = min((len(cells) for cells in body), default=0)
        return {column for column in range(width)
                if all(cells[column].strip() == str(number) for number, cells in enumerate(body, 1))}
    both = numbered(old_rows) & numbered(new_rows)
    return min(both) if both else None


def _row_key(row, serial: int | None) -> str:
    """The text a row is matched by: its cells' texts, the 序号 column left out."""
    return "\x1f".join(text for column, text in enumerate(_cell_texts(row)) if column != serial)


def _same_row(old_row, new_row, serial: int | None) -> bool:
    """Whether two differing rows in the same place are one row changed: as many cells, and
    the same first cell that holds no digit (its name: 单位, 姓名, 指标)."""
    def name(texts: list[str]) -> str:
        return next((text for column, text in enumerate(texts)
                     if column != serial and text.strip() and not any(ch.isdigit() for ch in text)), "")
    old_cells, new_cells = _cell_texts(old_row), _cell_texts(new_row)
    return len(old_cells) == len(new_cells) and name(old_cells) != "" and name(old_cells) == name(new_cells)


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
