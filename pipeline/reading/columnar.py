"""Big CSV ledgers at pandas speed: a regular CSV read by pyarrow, column by column.

Most ledgers are regular: every record is one line and has as many cells as the first.
`read_regular_csv` reads such a file with pyarrow's CSV reader (in C++) into one
`TextColumn` per column; a file that is not regular — a line break inside a quoted cell, a
short or long row, a lone carriage return — is left to the cell-by-cell reader
(ledgers.py), which names the place of whatever is wrong. A `TextColumn` answers what
ledgers.py asks of a column of cells with array operations, and types the common cells
("1200", "12.5", "2024-03-05", any text) at once; only the cells written the office's way
("1,200", "1.2万", "１２", "90%", "—"…) are parsed one by one, each distinct one once, by the
same parsers and with the same messages as every cell of a file that is not regular
(tests/reading/test_columnar.py holds the two readers to that).
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as arrow_csv

from ..inputfiles import INVISIBLE
from ..numbers import BLANK_MARKERS

# what str.strip() removes (no whitespace character lies above U+3000), for the same strip
PYTHON_SPACES = "".join(character for character in map(chr, range(0x3001)) if character.isspace())
# numbers typed at once: what parse_number reads the same way, exactly (float64 holds them)
PLAIN_DIGITS = 15
PLAIN_DECIMAL = r"^[0-9]{1,15}\.[0-9]{1,15}$"
NUMBER_TYPES = ("number", "money", "percent")
UTF8_BOM = b"\xef\xbb\xbf"
PROBED_CELLS = 100
BLOCK_BYTES = 8 * 2**20          # what one of pyarrow's threads parses at a time
LONGEST_MARKER = max(len(marker.encode()) for marker in BLANK_MARKERS)   # in UTF-8 bytes


@dataclass(frozen=True)
class RegularCsv:
    first: list[list[str]]          # the cells of the rows above the data, and of two at least
    row_numbers: np.ndarray         # the line of each record
    body: list[TextColumn]          # the records below the rows above the data, by column


def read_regular_csv(data: bytes, top_rows: int) -> RegularCsv | None:
    """The records of UTF-8 CSV `data` (without a BOM), the data starting below its first
    `top_rows`; None when the file is not regular or has no data."""
    if data.startswith(UTF8_BOM):           # pyarrow would drop it, the csv module keeps it
        return None
    if _lone_return(data) or _holds_invisible(data):
        return None
    first_line = data[:data.find(b"\n")] if b"\n" in data else data
    width = len(next(csv.reader([first_line.decode("utf-8", "replace")]), [""]))
    try:
        table = arrow_csv.read_csv(
            pa.py_buffer(data),
            # blocks parsed side by side, a big file's columns then joined (a copy that costs
            # less than the parsing saves); a small file is one block
            read_options=arrow_csv.ReadOptions(autogenerate_column_names=True, use_threads=True,
                                               block_size=BLOCK_BYTES),
            parse_options=arrow_csv.ParseOptions(newlines_in_values=b'"' in data,
                                                 ignore_empty_lines=True),
            convert_options=arrow_csv.ConvertOptions(
                column_types={f"f{index}": pa.string() for index in range(width)},
                strings_can_be_null=False, quoted_strings_can_be_null=False))
    except pa.ArrowInvalid:          # a row of another width, not UTF-8 after all, a quote left open
        return None
    lines = _record_lines(data, table.num_rows)
    # a record that spans lines (a quoted line break) leaves fewer records than lines; an
    # empty line among the first rows is a row of the header (or of the title's neighbours)
    top = max(top_rows, 2)
    if lines is None or table.num_rows != len(lines) or table.num_columns != width \
            or len(lines) <= top_rows or lines[min(top, len(lines)) - 1] != min(top, len(lines)):
        return None
    first = [list(row.values()) for row in table.slice(0, top).to_pylist()]
    rows = np.arange(table.num_rows - top_rows)
    body = [TextColumn.of(column.slice(top_rows).combine_chunks(), rows) for column in table.columns]
    return RegularCsv(first, lines, body)


def _lone_return(data: bytes) -> bool:
    """Whether a carriage return in `data` is not followed by a line feed (an old Mac's line
    end, which the csv module reads as Python reads text files)."""
    if b"\r" not in data:
        return False
    characters = np.frombuffer(data, dtype=np.uint8)
    returns = np.flatnonzero(characters == ord("\r"))
    return returns[-1] + 1 == len(data) or bool((characters[returns + 1] != ord("\n")).any())


def _holds_invisible(data: bytes) -> bool:
    """Whether `data` holds a character inputfiles.INVISIBLE finds beyond the control
    characters (U+007F, a figure mark…; `_record_lines` looks for those): such a file is left
    to the cell-by-cell reader, whose text cells name it. Each lead byte is looked for once."""
    singles, sequences = _invisible_bytes()
    if any(bytes([code]) in data for code in singles if code >= 0x20):
        return True
    characters = np.frombuffer(data, dtype=np.uint8)
    for lead in {sequence[0] for sequence in sequences}:
        if bytes([lead]) not in data:
            continue
        starts = np.flatnonzero(characters == lead)
        for sequence in (sequence for sequence in sequences if sequence[0] == lead):
            found = starts[starts + len(sequence) <= len(characters)]
            for offset, byte in enumerate(sequence[1:], start=1):
                found = found[characters[found + offset] == byte]
            if len(found):
                return True
    return False


@functools.cache
def _invisible_bytes() -> tuple[list[int], tuple[bytes, ...]]:
    """The characters INVISIBLE finds, as UTF-8: those of one byte, and the others (none lies
    beyond U+FFFF)."""
    characters = np.arange(0x10000, dtype="<u4").tobytes().decode("utf-32-le", "surrogatepass")
    found = [match.group().encode() for match in INVISIBLE.finditer(characters)]
    return [code[0] for code in found if len(code) == 1], tuple(code for code in found if len(code) > 1)


def _record_lines(data: bytes, records: int) -> np.ndarray | None:
    """The 1-based number of the line of each of the `records` pyarrow read from `data` (it
    skips empty lines; a carriage return is followed by a line feed), or None when `data`
    holds a control character INVISIBLE finds. Most files have one line feed a record and
    no other control character: counting the bytes below U+0020 settles that without
    finding them."""
    characters = np.frombuffer(data, dtype=np.uint8)
    below_space = characters < 0x20
    last_line_fed = data.endswith(b"\n")
    if np.count_nonzero(below_space) + (not last_line_fed) == records and b"\r" not in data:
        return np.arange(1, records + 1)
    controls = np.flatnonzero(below_space)                  # line feeds, mostly
    kinds = characters[controls]
    if np.isin(kinds, _invisible_bytes()[0]).any():
        return None
    feeds = controls[kinds == ord("\n")]
    if len(feeds) + (not last_line_fed) == records:
        return np.arange(1, records + 1)
    gaps = np.diff(feeds, prepend=-1)          # each line's length, its line feed included
    empty = gaps == 1
    empty[gaps == 2] = characters[feeds[gaps == 2] - 1] == ord("\r")
    if not last_line_fed:                     # the last line, without a line feed
        empty = np.append(empty, False)
    return np.flatnonzero(~empty) + 1


@dataclass(frozen=True)
class TextColumn:
    """A column of text cells held by pyarrow, answering what ledgers.py asks of its columns
    (ledgers._Column) with array operations. Its cells are not deduplicated as _Column's are:
    hashing a million distinct names or serial numbers costs more than it saves."""
    codes: np.ndarray          # the rows, as positions in `cells`
    cells: pa.StringArray      # every cell, stripped as str.strip() strips
    blanks: np.ndarray         # whether each cell is blank (numbers.is_blank)
    plain: np.ndarray | None   # every cell's value when all are plain (`_plain_values`)

    @classmethod
    def of(cls, cells: pa.StringArray, rows: np.ndarray) -> TextColumn:
        """The column of `cells`, one per row (`rows`: 0…n-1, shared by a table's columns)."""
        plain = _plain_values(cells)
        if plain is not None:       # nothing to strip, nothing blank
            return cls(rows, cells, np.zeros(len(cells), dtype=bool), plain)
        stripped = pc.utf8_trim(cells, characters=PYTHON_SPACES)
        if pc.any(pc.less_equal(pc.binary_length(stripped), LONGEST_MARKER)).as_py():
            blanks = _flags(pc.is_in(stripped, value_set=pa.array(sorted(BLANK_MARKERS))))
        else:                       # names, units, kinds: all longer than any blank marker
            blanks = np.zeros(len(cells), dtype=bool)
        return cls(rows, stripped, blanks, None)

    def rows(self, which: np.ndarray) -> TextColumn:
        return replace(self, codes=self.codes[which])

    def value(self, code: int) -> str:
        return self.cells[code].as_py()

    def cell(self, row: int) -> str:
        return self.value(int(self.codes[row]))

    def blank(self) -> np.ndarray:
        return self._of_rows(self.blanks)

    def filled(self) -> np.ndarray:
        """Whether each row's cell has any text ("—" has, "" has not)."""
        if self.plain is not None:
            return np.ones(len(self.codes), dtype=bool)
        return self._of_rows(_flags(pc.not_equal(self.cells, "")))

    def codes_containing(self, character: str) -> list[int]:
        """The cells whose text contains `character`, not a digit or "-" (a total's 计)."""
        if self.plain is not None:  # digits and dates only
            return []
        return np.flatnonzero(_flags(pc.match_substring(self.cells, character))).tolist()

    def typed(self, column_type: str, allowed: tuple[str, ...],
              parse: Callable[[int], object]) -> np.ndarray | pa.Array:
        """Each row's value as `column_type` (ledgers.py's types): plain cells ("1200",
        "12.5", "2024-03-05", any text) at once, each other distinct cell of the rows by
        `parse(code)` (the position of its first row's cell), in order of first appearance,
        so the first that cannot be read is the one nearest the top."""
        if column_type in ("text", "category"):
            if allowed:      # a value not allowed raises, at its first row
                self._parse_rest(self.blanks | _flags(pc.is_in(self.cells, value_set=pa.array(allowed))),
                                 parse, None)
            texts = pc.if_else(pa.array(self.blanks), pa.scalar(None, pa.string()), self.cells) \
                if self.blanks.any() else self.cells
            return texts if len(self.codes) == len(self.cells) else texts.take(self.codes)
        if self.plain is not None and self.plain.dtype.kind == ("M" if column_type == "date" else "f"):
            return self._of_rows(self.plain)          # datetime64 or float64, as wanted
        done = self.blanks.copy()
        if column_type == "date":            # few distinct days: every one parsed once
            values = np.full(len(done), np.datetime64("NaT"), dtype="datetime64[D]")
        else:
            plain = ~done & _flags(pc.ascii_is_decimal(self.cells)) \
                & (pc.binary_length(self.cells).to_numpy(zero_copy_only=False) <= PLAIN_DIGITS)
            rest = np.flatnonzero(~done & ~plain)
            if column_type in NUMBER_TYPES and len(rest):
                plain[rest] = _flags(pc.match_substring_regex(self.cells.take(rest), PLAIN_DECIMAL))
            plain_cells = pc.if_else(pa.array(plain), self.cells, pa.scalar(None, pa.string()))
            values = pc.cast(plain_cells, pa.float64()).to_numpy(zero_copy_only=False)
            done |= plain
        self._parse_rest(done, parse, values)
        return self._of_rows(values)

    def _of_rows(self, by_cell: np.ndarray) -> np.ndarray:
        """Each row's entry of `by_cell`, without a copy when the rows are every cell in order
        (no total row or blank row was left out)."""
        return by_cell if len(self.codes) == len(self.cells) else by_cell[self.codes]

    def _parse_rest(self, done: np.ndarray, parse: Callable[[int], object],
                    values: np.ndarray | None) -> None:
        """Parse the cells the rows hold that are not `done`, each distinct one once, into
        `values` (None: only to see that they can be)."""
        held = np.zeros(len(done), dtype=bool)
        held[self.codes] = True
        positions = np.flatnonzero(held & ~done)
        if not len(positions):
            return
        cells = self.cells if len(positions) == len(self.cells) else self.cells.take(positions)
        indices = pc.dictionary_encode(cells).indices.to_numpy(zero_copy_only=False)
        # the dictionary is in order of first appearance: each first one raises the running maximum
        first = np.flatnonzero(np.diff(np.maximum.accumulate(indices), prepend=-1) > 0)
        parsed = [parse(int(positions[index])) for index in first.tolist()]
        if values is not None:
            values[positions] = np.array(parsed, dtype=values.dtype)[indices]


def _plain_values(cells: pa.StringArray) -> np.ndarray | None:
    """Every cell's value when each is plain in one way — digits (float64, as parse_number
    reads them) or a date written 2024-03-05 (datetime64[D]) — else None. Such a column has
    no cell to strip, parse or call blank. A cast is tried on the whole column only once its
    first cells pass: one that fails on many cells costs pyarrow a dozen passes."""
    for kind in (pa.uint64(), pa.date32()):
        if kind == pa.uint64() and not _only_digits(cells):     # the cast reads "0x1F" too
            continue
        try:
            pc.cast(cells.slice(0, PROBED_CELLS), kind)
            values = pc.cast(cells, kind)
        except (pa.ArrowInvalid, OverflowError):
            continue
        if kind == pa.date32():
            return values.to_numpy(zero_copy_only=False)
        return values.to_numpy(zero_copy_only=False).astype(float)
    return None


def _only_digits(cells: pa.StringArray) -> bool:
    """Whether the cells' text, end to end, is ASCII digits only (an empty cell the cast
    refuses), seen in the array's own bytes: a tenth of the time of ascii_is_decimal."""
    _, offsets, text = cells.buffers()
    if text is None:                # every cell empty
        return True
    ends = np.frombuffer(offsets, dtype=np.int32, count=len(cells) + 1, offset=4 * cells.offset)
    characters = np.frombuffer(text, dtype=np.uint8)[ends[0]:ends[-1]]
    return bool((characters - np.uint8(ord("0")) < 10).all())


def _flags(mask: pa.BooleanArray) -> np.ndarray:
    return mask.to_numpy(zero_copy_only=False)
