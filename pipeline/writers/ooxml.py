"""Raw WordprocessingML helpers the python-docx API does not offer.

python-docx sets only the Latin font slots, knows no character-unit indents, PAGE fields
or language tags, and stamps every zip entry with the current time. Each helper here
fills one such gap on a python-docx element (the shared styles and page set-up) or writes
a piece of a body as text (`indent_xml`, `escape`), so `docx.py` can speak in styles and
blocks. Lengths in WordprocessingML: twips (1/20 pt) for indents and character
spacing, hundredths of a character for the *Chars indent forms.
"""

from __future__ import annotations

import dataclasses
import datetime
import io
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass

from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Pt
from lxml import etree

from ..translated import xml_reason
from ..typography import WORD_JOINER

THEME_FONT_ATTRIBUTES = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")

# Schema order of the children of w:rPr and w:pPr that python-docx cannot insert itself;
# Word rejects a file whose children are out of order.
RUN_PROPERTY_ORDER = (
    "w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps",
    "w:strike", "w:dstrike", "w:outline", "w:shadow", "w:emboss", "w:imprint", "w:noProof",
    "w:snapToGrid", "w:vanish", "w:webHidden", "w:color", "w:spacing", "w:w", "w:kern",
    "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd",
    "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout",
    "w:specVanish", "w:oMath",
)
PARAGRAPH_PROPERTY_ORDER = (
    "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr",
    "w:widowControl", "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs",
    "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct",
    "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
    "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap",
    "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl",
    "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)


def _put_child(parent, tag: str, order: tuple[str, ...], **attributes: str):
    """Replace `parent`'s `tag` child with a new one, placed where the schema wants it."""
    parent.remove_all(tag)
    child = OxmlElement(tag, attrs={qn(f"w:{name}"): value for name, value in attributes.items()})
    parent.insert_element_before(child, *order[order.index(tag) + 1:])
    return child


def set_fonts(rPr, name: str) -> None:
    """Name `name` in every font slot, East Asian included, and drop the theme fonts.

    Theme attributes win over explicit names in Word, so they must go, not merely be
    outranked.
    """
    rFonts = rPr.get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rFonts.set(qn(slot), name)
    for attribute in THEME_FONT_ATTRIBUTES:
        rFonts.attrib.pop(qn(attribute), None)


def strip_theme_fonts(root) -> None:
    """Remove theme font attributes from every w:rFonts below `root` (styles, docDefaults)."""
    for rFonts in root.iter(qn("w:rFonts")):
        for attribute in THEME_FONT_ATTRIBUTES:
            rFonts.attrib.pop(qn(attribute), None)


def set_character_spacing(rPr, points: float) -> None:
    """Expand (positive) or condense (negative) the gap between characters by `points`."""
    _put_child(rPr, "w:spacing", RUN_PROPERTY_ORDER, val=str(round(points * 20)))


def indent_attributes(char_points: float, *, first_line: float = 0, left: float = 0,
                      right: float = 0, hanging: float = 0) -> dict[str, str]:
    """The w:ind attributes for indents in characters of `char_points` each, in both forms.

    Word reads the *Chars attributes and ignores the twips; LibreOffice reads only the
    twips. Writing both keeps the two in step. Zero values are written too, so a paragraph
    can cancel an indent its style inherits.
    """
    attributes = {}
    first_line_edge = ("hanging", hanging) if hanging else ("firstLine", first_line)
    for kind, chars in (("left", left), ("right", right), first_line_edge):
        attributes[f"{kind}Chars"] = str(round(chars * 100))
        attributes[kind] = str(round(chars * char_points * 20))
    return attributes


def set_indents(pPr, char_points: float, **indents: float) -> None:
    """Set a paragraph (style) element's indents; see `indent_attributes`."""
    ind = pPr.get_or_add_ind()
    ind.attrib.clear()
    for name, value in indent_attributes(char_points, **indents).items():
        ind.set(qn(f"w:{name}"), value)


def indent_xml(char_points: float, **indents: float) -> str:
    """The w:ind element as text, for bodies written as text; see `indent_attributes`."""
    attributes = indent_attributes(char_points, **indents)
    return "<w:ind " + " ".join(f'w:{name}="{value}"' for name, value in attributes.items()) + "/>"


# Characters XML 1.0 does not allow (control characters other than tab and line breaks);
# a ledger cell pasted from another program can carry one.
NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def escape(text: str) -> str:
    """`text` as XML character data or a double-quoted attribute value."""
    return NOT_IN_XML.sub("", text).replace("&", "&amp;").replace("<", "&lt;") \
        .replace(">", "&gt;").replace('"', "&quot;")


def set_outline_level(pPr, level: int) -> None:
    """Give a paragraph style an outline level (0 = top) so the navigation pane lists it."""
    pPr.get_or_add_outlineLvl().set(qn("w:val"), str(level))


def reset_doc_defaults(styles_root, font: str, size: float) -> None:
    """Replace the template's defaults (theme fonts, 11 pt, 10 pt after, 1.15 lines, en-US).

    The automatic gap between Chinese characters and digits is switched off as well: it
    widens "2024年12月20日" at every change of script, which breaks the character counts
    the 署名 and date are placed by, and the 28 characters of a line. (Word and WPS obey
    this; LibreOffice 7.4 ignores it on import and keeps its gap of 1/5 character.)
    """
    defaults = styles_root.find(qn("w:docDefaults"))
    rPr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    set_fonts(rPr, font)
    rPr.sz_val = Pt(size)
    _put_child(rPr, "w:szCs", RUN_PROPERTY_ORDER, val=str(round(size * 2)))
    _put_child(rPr, "w:lang", RUN_PROPERTY_ORDER, val="en-US", eastAsia="zh-CN", bidi="ar-SA")
    pPr = defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}")
    for automatic_gap in ("w:autoSpaceDE", "w:autoSpaceDN"):
        _put_child(pPr, automatic_gap, PARAGRAPH_PROPERTY_ORDER, val="0")
    spacing = pPr.find(qn("w:spacing"))
    spacing.attrib.clear()
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")
    spacing.set(qn("w:lineRule"), "auto")


def remove_doc_grid(sectPr) -> None:
    """Drop the section's document grid: a line grid would override exact line spacing."""
    sectPr.remove_all("w:docGrid")


def add_page_field(paragraph) -> None:
    """Append a PAGE field as runs: begin, instruction, separator, a result "1", end.

    The result is what a reader sees until the application updates the field; Word and
    LibreOffice both recompute it per page.
    """
    def field_char(kind: str):
        return OxmlElement("w:fldChar", attrs={qn("w:fldCharType"): kind})

    instruction = OxmlElement("w:instrText", attrs={qn("xml:space"): "preserve"})
    instruction.text = " PAGE "
    paragraph.add_run()._r.append(field_char("begin"))
    paragraph.add_run()._r.append(instruction)
    paragraph.add_run()._r.append(field_char("separate"))
    paragraph.add_run("1")
    paragraph.add_run()._r.append(field_char("end"))


DOCUMENT_PART = "word/document.xml"


def document_xml(package: bytes):
    """The parsed word/document.xml of a DOCX package; ValueError, saying why in Chinese,
    when `package` is not one (not a zip, no document part, broken XML: a file saved over
    in another format)."""
    try:
        with zipfile.ZipFile(io.BytesIO(package)) as archive:
            return parse_xml(archive.read(DOCUMENT_PART))
    except zipfile.BadZipFile:
        raise ValueError("文件不是 zip 格式的 .docx（可能已损坏，或另存成了其他格式）") from None
    except KeyError:
        raise ValueError(f"文件中没有 {DOCUMENT_PART}，不是 Word 文档") from None
    except etree.XMLSyntaxError as error:
        raise ValueError(f"文件中的 {DOCUMENT_PART} {xml_reason(error)}") from None


def repack(package: bytes, replace: dict[str, bytes] | None = None,
           when: datetime.datetime | None = None) -> bytes:
    """A zip package (DOCX, XLSX) again, with the parts in `replace` swapped in and every
    other part's compressed bytes copied as they are; each entry keeps its time, or with
    `when` is stamped with it, so equal input gives equal bytes (python-docx and openpyxl
    stamp the time of saving). Recompressing every part took 2 of the 3 ms a （修订稿）
    cost."""
    replace = replace or {}
    entries = []
    with zipfile.ZipFile(io.BytesIO(package)) as source:
        for info in source.infolist():
            if info.filename in replace or info.compress_type != zipfile.ZIP_DEFLATED:
                data = replace[info.filename] if info.filename in replace else source.read(info)
                entry = zip_entry(info.filename, data)
            else:
                entry = ZipEntry(info.filename, _compressed(package, info), info.CRC, info.file_size)
            entries.append(dataclasses.replace(
                entry, modified=None if when else datetime.datetime(*info.date_time)))
    return pack(entries, when)


def _compressed(package: bytes, info: zipfile.ZipInfo) -> bytes:
    """An entry's DEFLATE stream as it sits in `package`, after its local header."""
    name_length, extra_length = struct.unpack_from("<HH", package, info.header_offset + 26)
    start = info.header_offset + 30 + name_length + extra_length
    return package[start:start + info.compress_size]





DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
UNDATED = datetime.datetime(2000, 1, 1)


def document_stamp(date: str) -> datetime.datetime:
    """A document's own date ("2024年12月20日") as the time of its package, a fixed one
    when it has none: equal documents give equal bytes."""
    found = DATE.search(date)
    return datetime.datetime(*map(int, found.groups())) if found else UNDATED


@dataclass(frozen=True)
class ZipEntry:
    """One part of a package, compressed once and reusable in any number of packages."""
    name: str
    deflated: bytes                  # raw DEFLATE stream
    crc: int
    size: int                        # uncompressed length
    modified: datetime.datetime | None = None   # its own time (`repack`); None: the package's


# zlib keeps this far ahead of the byte it is compressing: a back-reference reaches at most
# the window's size minus this.
DEFLATE_LOOKAHEAD = 262


def zip_entry(name: str, data: bytes) -> ZipEntry:
    """`data` compressed as a zip entry, with a DEFLATE window just large enough for it.

    zlib sets up the default 32 KB window, and the buffers sized by it, for every
    compressor: 0.08 ms here, more than compressing a 4 KB dossier body. A window that
    holds the whole part (the part's length plus the look-ahead) finds the same matches, so
    the bytes are exactly those of the 32 KB window, made in half the time.
    """
    window_bits = min(15, max(9, (len(data) + DEFLATE_LOOKAHEAD - 1).bit_length()))
    compressor = zlib.compressobj(6, zlib.DEFLATED, -window_bits)
    return ZipEntry(name, compressor.compress(data) + compressor.flush(), zlib.crc32(data), len(data))


def pack(entries: list[ZipEntry], when: datetime.datetime | None) -> bytes:
    """A zip package of already compressed entries, each stamped with its own time or else
    `when`.

    The standard library's zipfile compresses on every write; a batch of a thousand
    documents shares all parts but document.xml, so those are compressed once and only
    copied here.
    """
    body, directory = io.BytesIO(), io.BytesIO()
    for entry in entries:
        moment = entry.modified or when
        time = (moment.hour << 11) | (moment.minute << 5) | (moment.second // 2)
        day = ((moment.year - 1980) << 9) | (moment.month << 5) | moment.day
        name = entry.name.encode("utf-8")
        offset = body.tell()
        body.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0x800, 8, time, day, entry.crc,
                               len(entry.deflated), entry.size, len(name), 0))
        body.write(name)
        body.write(entry.deflated)
        directory.write(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0x800, 8, time,
                                    day, entry.crc, len(entry.deflated), entry.size, len(name),
                                    0, 0, 0, 0, 0, offset))
        directory.write(name)
    start, central = body.tell(), directory.getvalue()
    body.write(central)
    body.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries),
                           len(central), start, 0))
    return body.getvalue()


def text_of(*elements) -> str:
    """The text a reader sees in OOXML elements (paragraphs, runs): their w:t, in order,
    without the invisible joiners that keep numbers with their units."""
    return "".join(text.text or "" for element in elements
                   for text in element.iter(qn("w:t"))).replace(WORD_JOINER, "")


def serialize(element) -> bytes:
    """An XML part as Word writes it: UTF-8 with a standalone declaration."""
    return etree.tostring(element, xml_declaration=True, encoding="UTF-8", standalone=True)
