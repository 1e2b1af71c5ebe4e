"""The DOCX writer lays a 公文 out per GB/T 9704 in named styles a user can restyle.

One hand-built document (a fictional county federation's summary) covers every block
type. The expected numbers are worked out here from the standard's millimetres, points
and characters, not read back from the writer's constants.
"""

from __future__ import annotations

import datetime
import io
import random
import re
import zipfile
import zlib

import docx
import pytest
from hypothesis import example, given, settings, strategies as st
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.shared import Mm, Pt

from helpers import W, make_figure
from wenmi.model import Attachment, Document, Enumeration, FigureText, Heading, Paragraph, Table, Text
from wenmi.writers.docx import column_widths, write
from wenmi.writers.ooxml import DOCUMENT_PART, repack, zip_entry
from wenmi.writers.text import signature_indents, text_width

TWIPS_PER_CHAR = 16 * 20             # one 16 pt character in twentieths of a point


MONEY = make_figure("慰问金额", 415600, "元", 2)
TOWN_MONEY = tuple(make_figure(f"慰问金额[{town}]", yuan, "元", 2)
                   for town, yuan in (("东岭镇", 152000), ("溪口乡", 98600), ("柳湾镇", 165000)))
STATIONS = make_figure("驿站数", 23, "个", 2)

FILLER = ("围绕职工群众最关心的就业、收入、安全等问题，机关干部分片包干、逐户走访，"
          "把服务送到车间班组和项目工地，做到底数清、情况明、措施实。")


ATTACHMENTS = (
    Attachment("2024年送温暖资金发放明细表。",
               (Table((), ("乡镇", "慰问金额"), (((Text("东岭镇"),), (FigureText("15.2万元", TOWN_MONEY[0]),)),)),)),
    Attachment("基层工会职工驿站名录", (Paragraph((Text("东岭镇职工驿站、溪口乡职工驿站。"),)),)),
)


def sample_document(attachments=ATTACHMENTS) -> Document:
    """A 工作总结 long enough for three pages, with every block type and two levels of each."""
    blocks = (
        Paragraph((Text("2024年，县总工会紧扣服务职工这条主线，全年筹集送温暖资金"),
                   FigureText("41.56万元", MONEY), Text("，各项工作取得新进展。现将有关情况报告如下："))),
        Heading(1, (Text("主要工作及成效"),), label="一、"),
        Heading(2, (Text("筑牢基层组织根基"),), label="（一）"),
        Paragraph((Text(FILLER * 2),)),
        Heading(3, (Text("夯实组织基础。"),), label="1.",
                run_in=(Text("全年新建职工驿站"), FigureText("23个", STATIONS),
                        Text("，实现乡镇全覆盖，"), Text("做到建一个成一个", bold=True), Text("。"))),
        Heading(3, (Text("拓展服务阵地"),), label="2."),
        Heading(4, (Text("建设职工书屋"),), label="（1）"),
        Paragraph((Text(FILLER),)),
        Heading(4, (Text("开展技能比武。"),), label="（2）",
                run_in=(Text("联合人社部门举办焊工、电工比武，参赛职工踊跃。"),)),
        Heading(2, (Text("做实困难职工帮扶"),), label="（二）"),
        Enumeration(items=((Text("建立困难职工动态台账，每季度更新一次。"),),
                           (Text("推行“一户一策”帮扶，由机关干部结对跟进。"),)),
                    labels=("一是", "二是")),
        Table(caption=(Text("表1　2024年各乡镇送温暖资金"),), header=("乡镇", "慰问户数", "慰问金额"),
              rows=(((Text("东岭镇"),), (Text("76"),), (FigureText("15.2万元", TOWN_MONEY[0]),)),
                    ((Text("溪口乡"),), (Text("49"),), (FigureText("9.86万元", TOWN_MONEY[1]),)),
                    ((Text("柳湾镇"),), (Text("83"),), (FigureText("16.5万元", TOWN_MONEY[2]),)))),
        Paragraph((Text("机关干部王鎔同志牵头整理帮扶档案。" + FILLER * 3),)),
        Heading(1, (Text("存在的问题"),), label="二、"),
        Enumeration(items=((Text("部分基层工会经费使用不够规范；"),),
                           (Text("职工驿站利用率不均衡。"),)),
                    merged=True, lead=(Text("主要问题："),), labels=("一是", "二是")),
        Paragraph((Text(FILLER * 4),)),
        Paragraph((Text(FILLER * 4),)),
    )
    return Document(title="青禾县总工会2024年工作总结", subtitle="——在全县工会工作会议上的报告",
                    blocks=blocks, recipient="县委、县政府", attachments=attachments,
                    issuer="青禾县总工会", date="2024年12月20日")


@pytest.fixture(scope="module")
def data() -> bytes:
    return write(sample_document())


@pytest.fixture(scope="module")
def output(data):
    return docx.Document(io.BytesIO(data))


def _part(data: bytes, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return package.read(name).decode("utf-8")


def _paragraphs(output, style: str):
    return [p for p in output.paragraphs if p.style.name == style]


def _indent(paragraph_or_style, attribute: str) -> str | None:
    """An attribute of w:ind on a style or a paragraph, as written in the XML."""
    element = getattr(paragraph_or_style, "element", None)
    if element is None:                         # a paragraph: python-docx names it _p
        element = paragraph_or_style._p
    ind = element.pPr.find(f"{W}ind")
    return None if ind is None else ind.get(f"{W}{attribute}")


def _east_asian_font(element) -> str | None:
    fonts = element.find(f"{W}rPr/{W}rFonts")
    return None if fonts is None else fonts.get(f"{W}eastAsia")


# -- page ------------------------------------------------------------------------------

def test_page_is_a4_with_the_standard_margins(output):
    section = output.sections[0]
    for actual, millimetres in ((section.page_width, 210), (section.page_height, 297),
                                (section.top_margin, 37), (section.bottom_margin, 35),
                                (section.left_margin, 28), (section.right_margin, 26),
                                (section.footer_distance, 25)):
        assert abs(actual - Mm(millimetres)) <= Pt(0.05), millimetres


def test_text_block_is_156_by_225_mm_and_has_no_line_grid(output, data):
    section = output.sections[0]
    width = section.page_width - section.left_margin - section.right_margin
    height = section.page_height - section.top_margin - section.bottom_margin
    assert abs(width - Mm(156)) <= Pt(0.1) and abs(height - Mm(225)) <= Pt(0.1)
    assert "docGrid" not in _part(data, "word/document.xml")


# -- styles ----------------------------------------------------------------------------

STYLE_FONTS = {
    "Normal": ("仿宋_GB2312", 16), "公文标题": ("方正小标宋简体", 22), "公文副标题": ("楷体_GB2312", 16),
    "主送机关": ("仿宋_GB2312", 16), "一级标题": ("黑体", 16), "二级标题": ("楷体_GB2312", 16),
    "三级标题": ("仿宋_GB2312", 16), "四级标题": ("仿宋_GB2312", 16), "表格标题": ("黑体", 16),
    "表格文字": ("仿宋_GB2312", 14), "附件说明": ("仿宋_GB2312", 16), "署名": ("仿宋_GB2312", 16),
    "成文日期": ("仿宋_GB2312", 16), "页码": ("宋体", 14),
}


@pytest.mark.parametrize("name", STYLE_FONTS)
def test_named_style_carries_its_font_in_every_slot(output, name):
    font, size = STYLE_FONTS[name]
    style = output.styles[name]
    fonts = style.element.find(f"{W}rPr/{W}rFonts")
    assert {fonts.get(f"{W}{slot}") for slot in ("eastAsia", "ascii", "hAnsi")} == {font}
    assert style.font.size == Pt(size)
    assert style.font.color.rgb is None


def test_no_theme_fonts_are_left(data):
    for part in ("word/styles.xml", "word/document.xml", "word/footer1.xml"):
        xml = _part(data, part)
        assert not re.search(r"w:(asciiTheme|hAnsiTheme|eastAsiaTheme|cstheme)=", xml), part


def test_doc_defaults_have_no_space_after_and_chinese_language(data):
    defaults = _part(data, "word/styles.xml").split("</w:docDefaults>")[0]
    assert 'w:after="0"' in defaults and 'w:line="240"' in defaults
    assert 'w:eastAsia="zh-CN"' in defaults and 'w:eastAsia="en-US"' not in defaults
    assert '<w:sz w:val="32"/><w:szCs w:val="32"/>' in defaults           # 16 pt everywhere
    # no automatic gap between Chinese and digits: "2024年12月20日" stays 7 characters wide
    assert '<w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/>' in defaults


def test_body_is_exact_28pt_justified_and_indented_two_characters(output):
    normal = output.styles["Normal"]
    layout = normal.paragraph_format
    assert layout.line_spacing_rule == WD_LINE_SPACING.EXACTLY and layout.line_spacing == Pt(28)
    assert layout.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert layout.space_after == 0 and layout.space_before == 0
    assert _indent(normal, "firstLineChars") == "200"
    assert _indent(normal, "firstLine") == str(2 * TWIPS_PER_CHAR) == "640"
    spacing = normal.element.find(f"{W}rPr/{W}spacing")
    assert spacing.get(f"{W}val") == "-5"   # −0.25 pt in twentieths


@pytest.mark.parametrize("name,level,bold", [("一级标题", 0, False), ("二级标题", 1, False),
                                             ("三级标题", 2, True), ("四级标题", 3, False)])
def test_heading_styles_are_outlined_indented_and_plain(output, name, level, bold):
    style = output.styles[name]
    assert style.base_style.name == "Normal"
    assert style.element.pPr.find(f"{W}outlineLvl").get(f"{W}val") == str(level)
    assert bool(style.font.bold) is bold
    assert _indent(style, "firstLineChars") == "200" and _indent(style, "firstLine") == "640"
    layout = style.paragraph_format
    assert layout.line_spacing == Pt(28) and layout.space_before == 0 and layout.space_after == 0


def test_table_text_is_single_spaced_without_indent(output):
    style = output.styles["表格文字"]
    assert style.paragraph_format.line_spacing == 1.0
    assert _indent(style, "firstLineChars") == "0" and _indent(style, "firstLine") == "0"


# -- front matter and body -------------------------------------------------------------

def test_title_subtitle_blank_line_and_recipient_with_colon(output):
    texts = [(p.style.name, p.text) for p in output.paragraphs[:4]]
    assert texts == [("公文标题", "青禾县总工会2024年工作总结"),
                     ("公文副标题", "——在全县工会工作会议上的报告"),
                     ("Normal", ""), ("主送机关", "县委、县政府：")]
    assert output.styles["公文标题"].paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_headings_print_their_labels_in_order(output):
    headings = [(p.style.name, p.text) for p in output.paragraphs if p.style.name.endswith("级标题")]
    assert [text.split("。")[0] for _, text in headings] == [
        "一、主要工作及成效", "（一）筑牢基层组织根基", "1.夯实组织基础", "2.拓展服务阵地",
        "（1）建设职工书屋", "（2）开展技能比武", "（二）做实困难职工帮扶", "二、存在的问题"]
    assert [name for name, _ in headings][:5] == ["一级标题", "二级标题", "三级标题", "三级标题",
                                                  "四级标题"]


def test_label_and_heading_text_share_one_run(output):
    heading = next(p for p in output.paragraphs if p.text == "（一）筑牢基层组织根基")
    assert [run.text for run in heading.runs] == ["（一）筑牢基层组织根基"]
    assert "numPr" not in heading._p.xml                    # no Word auto-numbering


def test_run_in_heading_is_one_paragraph_with_a_bold_lead(output):
    paragraph = next(p for p in output.paragraphs if p.text.startswith("1.夯实"))
    assert paragraph.text == "1.夯实组织基础。全年新建职工驿站23个，实现乡镇全覆盖，做到建一个成一个。"
    assert paragraph.style.name == "三级标题" and paragraph.style.font.bold
    lead, *body = paragraph.runs
    assert lead.text == "1.夯实组织基础。" and lead.bold is None       # bold from the style
    assert [run.text for run in body] == ["全年新建职工驿站", "23个", "，实现乡镇全覆盖，",
                                          "做到建一个成一个", "。"]
    assert [run.bold for run in body] == [False, False, False, True, False]
    assert {_east_asian_font(run._r) for run in body} == {"仿宋_GB2312"}
    assert paragraph.paragraph_format.keep_with_next is False     # unlike a heading on its own


def test_run_in_level_4_heading_keeps_its_body_plain(output):
    paragraph = next(p for p in output.paragraphs if p.text.startswith("（2）"))
    assert paragraph.style.name == "四级标题"
    assert paragraph.text == "（2）开展技能比武。联合人社部门举办焊工、电工比武，参赛职工踊跃。"
    assert paragraph.runs[-1].bold is False


def test_separate_enumeration_gives_a_paragraph_per_item(output):
    texts = [p.text for p in output.paragraphs if p.text.startswith(("一是", "二是"))]
    assert texts == ["一是建立困难职工动态台账，每季度更新一次。",
                     "二是推行“一户一策”帮扶，由机关干部结对跟进。"]


def test_merged_enumeration_is_one_body_paragraph(output):
    merged = [p for p in output.paragraphs if p.text.startswith("主要问题")]
    assert [p.text for p in merged] == ["主要问题：一是部分基层工会经费使用不够规范；二是职工驿站利用率不均衡。"]
    assert merged[0].style.name == "Normal"


def test_figure_text_is_a_run_of_its_own(output):
    opening = _paragraphs(output, "Normal")[1]
    assert opening.text.startswith("2024年，县总工会")
    assert [run.text for run in opening.runs].count("41.56万元") == 1
    cell = output.tables[0].rows[2].cells[2].paragraphs[0]
    assert [run.text for run in cell.runs] == ["9.86万元"]


def test_character_outside_gb2312_falls_back_to_fangsong(output):
    run = next(r for p in output.paragraphs for r in p.runs if "鎔" in r.text)
    assert _east_asian_font(run._r) == "仿宋"
    ordinary = next(r for p in output.paragraphs for r in p.runs if r.text == "41.56万元")
    assert _east_asian_font(ordinary._r) is None            # the style's font applies
    # "—" fails Python's gb2312 codec, yet 楷体_GB2312 has it: only Han characters count
    subtitle = next(p for p in output.paragraphs if p.style.name == "公文副标题")
    assert subtitle.text.startswith("——") and _east_asian_font(subtitle.runs[0]._r) is None


# -- table -----------------------------------------------------------------------------

def test_table_has_caption_header_and_cells(output):
    caption = next(p for p in output.paragraphs if p.style.name == "表格标题")
    assert caption.text == "表1　2024年各乡镇送温暖资金"
    table = output.tables[0]
    assert [[cell.text for cell in row.cells] for row in table.rows] == [
        ["乡镇", "慰问户数", "慰问金额"], ["东岭镇", "76", "15.2万元"],
        ["溪口乡", "49", "9.86万元"], ["柳湾镇", "83", "16.5万元"]]
    assert all(run.bold for cell in table.rows[0].cells for run in cell.paragraphs[0].runs)
    assert {cell.paragraphs[0].style.name for row in table.rows for cell in row.cells} == {"表格文字"}


def test_table_header_repeats_and_rows_do_not_split(output):
    rows = output.tables[0]._tbl.tr_lst
    assert [tr.find(f"{W}trPr/{W}tblHeader") is not None for tr in rows] == [True, False, False, False]
    assert all(tr.find(f"{W}trPr/{W}cantSplit") is not None for tr in rows)


def test_table_spans_the_text_width_with_numbers_right_aligned(output):
    table = output.tables[0]
    # longest texts 镇名 3, 慰问户数 4, 慰问金额 4 characters, one more each for the margins
    widths = [column.width for column in table.columns]
    for width, share in zip(widths, (4, 5, 5)):
        assert abs(width - Mm(156) * share / 14) <= Pt(0.1)
    row = table.rows[1].cells
    assert row[0].paragraphs[0].alignment is None
    assert row[1].paragraphs[0].alignment == row[2].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT


def test_column_widths_follow_the_longest_text_of_each_column():
    table = Table(caption=(), header=("指标", "数值"),
                  rows=(((Text("金秋助学资助金额"),), (FigureText("13.95万元", MONEY),)),))
    # 8 characters + 1 against 2.5 + 2 + 1 (digits are half a character)
    assert [round(width.mm, 2) for width in column_widths(table)] == [96.83, 59.17]


# -- 附件说明, 署名, date --------------------------------------------------------------

def test_attachments_follow_a_blank_line_with_names_aligned(output):
    paragraphs = output.paragraphs
    first = next(i for i, p in enumerate(paragraphs) if p.style.name == "附件说明")
    assert paragraphs[first - 1].text == ""
    notes = _paragraphs(output, "附件说明")
    assert [p.text for p in notes] == ["附件：1.2024年送温暖资金发放明细表", "2.基层工会职工驿站名录"]
    # "附件：" is 3 characters: names start 2 + 3 characters in, the first line 3 earlier.
    assert [_indent(p, "left") for p in notes] == [str(5 * TWIPS_PER_CHAR)] * 2
    assert _indent(notes[0], "hanging") == str(3 * TWIPS_PER_CHAR)
    assert _indent(notes[1], "hanging") is None and _indent(notes[1], "firstLine") == "0"


def test_single_attachment_has_no_number():
    single = docx.Document(io.BytesIO(write(sample_document(attachments=ATTACHMENTS[1:]))))
    assert [p.text for p in _paragraphs(single, "附件说明")] == ["附件：基层工会职工驿站名录"]


def test_each_attachment_starts_a_page_with_its_label_top_left_and_its_title_on_line_three(output):
    paragraphs = output.paragraphs
    labels = [i for i, p in enumerate(paragraphs) if p.style.name == "附件标签"]
    assert [paragraphs[i].text for i in labels] == ["附件1", "附件2"]
    for i in labels:
        assert paragraphs[i].paragraph_format.page_break_before
        assert paragraphs[i + 1].text == paragraphs[i + 3].text == ""
        assert paragraphs[i + 2].style.name == "公文标题"
    assert [paragraphs[i + 2].text for i in labels] == ["2024年送温暖资金发放明细表。", "基层工会职工驿站名录"]
    assert paragraphs[labels[1] + 4].text == "东岭镇职工驿站、溪口乡职工驿站。"
    style = output.styles["附件标签"]
    assert _east_asian_font(style.element) == "黑体"
    assert style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.LEFT
    assert _indent(style, "firstLine") == "0"
    # the first attachment's content is its table, after the title and a blank line
    body = list(output.element.body)
    after_title = body.index(paragraphs[labels[0] + 3]._p) + 1
    assert body[after_title].tag == f"{W}tbl"
    cells = ["".join(t.text for t in tc.iter(f"{W}t")) for tc in body[after_title].iter(f"{W}tc")]
    assert cells == ["乡镇", "慰问金额", "东岭镇", "15.2\u2060万\u2060元"]


def test_signature_and_date_are_right_aligned_with_computed_insets(output):
    issuer, date = _paragraphs(output, "署名")[0], _paragraphs(output, "成文日期")[0]
    before_attachments = next(i for i, p in enumerate(output.paragraphs) if p.style.name == "附件标签")
    last_three = output.paragraphs[before_attachments - 3:before_attachments]
    assert [p.text for p in last_three] == ["", "青禾县总工会", "2024年12月20日"]
    assert [p._p for p in last_three[1:]] == [issuer._p, date._p]
    # date: 3 Chinese characters + 8 digits = 7 characters, wider than the 6 of the issuer,
    # so the date sits 2 characters in and the issuer 2 + 7 + 2 − 6 = 5 characters in.
    assert _indent(date, "right") == str(2 * TWIPS_PER_CHAR)
    assert _indent(issuer, "right") == str(5 * TWIPS_PER_CHAR)
    assert _indent(date, "rightChars") == "200" and _indent(issuer, "rightChars") == "500"
    assert output.styles["署名"].paragraph_format.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    # the blank line, the 署名 and the date go to a new page together or not at all
    assert last_three[0].paragraph_format.keep_with_next
    assert output.styles["署名"].paragraph_format.keep_with_next


@pytest.mark.parametrize("issuer,date,expected", [
    ("青禾县总工会", "2024年12月20日", (5, 2)),           # 6 and 7 wide: issuer shifts left
    ("青禾县总工会办公室经费审查委员会", "2024年12月20日", (2, 9)),  # 16 wide: issuer 2 in
    ("青禾县总工会机关", "2024年1月5日", (2, 2)),          # 8 and 6 wide: both fit exactly
    ("青禾县总工会机关", "2024年12月5日", (2.5, 2)),       # 8 and 6.5 wide
    ("", "2024年12月20日", (11, 2)),                     # no issuer: date 2 in
    ("青禾县总工会", "", (2, 6)),                         # no date: issuer 2 in
])
def test_signature_indents(issuer, date, expected):
    assert signature_indents(issuer, date) == expected


def test_text_width_counts_ascii_as_half():
    assert text_width("2024年12月20日") == 7
    assert text_width("附件：") == 3 and text_width("1.") == 1


# -- page numbers ----------------------------------------------------------------------

def test_odd_and_even_footers_carry_a_dashed_page_field(output, data):
    section = output.sections[0]
    assert "<w:evenAndOddHeaders" in _part(data, "word/settings.xml")
    assert not section.different_first_page_header_footer
    for footer, alignment, side in ((section.footer, "right", "right"),
                                    (section.even_page_footer, "left", "left")):
        paragraph = footer.paragraphs[0]
        assert paragraph.style.name == "页码"
        assert paragraph.text == "— 1 —"
        xml = paragraph._p.xml
        kinds = re.findall(r'w:fldCharType="(\w+)"', xml)
        assert kinds == ["begin", "separate", "end"]
        assert re.search(r"<w:instrText[^>]*> PAGE </w:instrText>", xml)
        assert f'<w:jc w:val="{alignment}"/>' in xml
        assert _indent(paragraph, side) == str(14 * 20)    # one 14 pt character


# -- files -----------------------------------------------------------------------------

def test_same_document_gives_identical_bytes(data):
    assert write(sample_document()) == data


def test_file_times_come_from_the_document_date(data, output):
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert {entry.date_time for entry in package.infolist()} == {(2024, 12, 20, 0, 0, 0)}
    assert output.core_properties.created.year == 2024
    assert output.core_properties.title == "青禾县总工会2024年工作总结"


def test_the_package_holds_only_the_parts_a_document_needs(data):
    """python-docx's template also carries Word 2010's copy of the styles, a preview picture
    of another document, an empty bibliography and web settings; none of them is written,
    and every part left is declared and related, so Word opens the file without repair."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        names = set(package.namelist())
        types = package.read("[Content_Types].xml").decode()
        relations = package.read("_rels/.rels").decode() + package.read("word/_rels/document.xml.rels").decode()
    assert names == {"[Content_Types].xml", "_rels/.rels", "docProps/core.xml", "docProps/app.xml",
                     "word/document.xml", "word/_rels/document.xml.rels", "word/styles.xml",
                     "word/settings.xml", "word/fontTable.xml", "word/theme/theme1.xml",
                     "word/numbering.xml", "word/footer1.xml", "word/footer2.xml"}
    declared = set(re.findall(r'PartName="/([^"]+)"', types))
    assert declared == {name for name in names if not name.endswith(".rels") and name != "[Content_Types].xml"}
    targets = set(re.findall(r'Target="([^"]+)"', relations))
    assert {"word/document.xml", "docProps/core.xml", "styles.xml", "footer1.xml"} <= targets
    assert not re.search(r"thumbnail|stylesWithEffects|customXml|webSettings", types + relations)
    assert len(data) < 20_000                    # it was 39 KB with the template's baggage


def test_only_the_table_styles_in_use_are_defined_and_theme_fonts_resolve_for_chinese(data, output):
    table_styles = {style.name for style in output.styles if style.type == 3}   # WD_STYLE_TYPE.TABLE
    assert table_styles == {"Normal Table", "Table Grid"}
    assert all(table.style.name == "Table Grid" for table in output.tables)
    assert '<w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/>' in _part(data, "word/settings.xml")


# 900 bytes whose last 64 repeat its first: compressed alike only when the window reaches back
# the whole part (a 1 KB window minus zlib's look-ahead does not)
REPEATED_FAR_BACK = (lambda start, middle: start + middle + start)(
    random.Random(1).randbytes(64), random.Random(2).randbytes(772))


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=40_000) | st.text(alphabet="职工会员<w:t>1234 ", max_size=12_000).map(str.encode))
@example(b"")
@example(b"a" * 250)
@example(b"ab" * 16_000)
@example(bytes(range(256)) * 130)
@example(REPEATED_FAR_BACK)
def test_a_part_is_compressed_to_the_bytes_of_the_default_window(data):
    """zip_entry sizes zlib's window to the part; the compressed bytes must be exactly those
    of the default 32 KB window, and unpack to the part."""
    entry = zip_entry("word/document.xml", data)
    default = zlib.compressobj(6, zlib.DEFLATED, -15)
    assert entry.deflated == default.compress(data) + default.flush()
    assert zlib.decompress(entry.deflated, -15) == data and entry.size == len(data)


def test_repack_swaps_a_part_and_keeps_the_others_with_their_times():
    """The parts not replaced are copied compressed as they are (a stored one is compressed),
    each keeping its time unless a time is given for all."""
    written = io.BytesIO()
    with zipfile.ZipFile(written, "w") as package:
        package.writestr(zipfile.ZipInfo("[Content_Types].xml", (2023, 5, 6, 7, 8, 10)), b"types",
                         compress_type=zipfile.ZIP_STORED)
        package.writestr(zipfile.ZipInfo(DOCUMENT_PART, (2023, 5, 6, 7, 8, 10)), b"<old/>" * 50,
                         compress_type=zipfile.ZIP_DEFLATED)
        package.writestr(zipfile.ZipInfo("word/styles.xml", (2024, 1, 2, 3, 4, 6)), b"<styles/>" * 50,
                         compress_type=zipfile.ZIP_DEFLATED)
    repacked = repack(written.getvalue(), {DOCUMENT_PART: b"<new/>"})
    with zipfile.ZipFile(io.BytesIO(repacked)) as package:
        assert package.testzip() is None
        assert [(info.filename, info.date_time) for info in package.infolist()] == [
            ("[Content_Types].xml", (2023, 5, 6, 7, 8, 10)), (DOCUMENT_PART, (2023, 5, 6, 7, 8, 10)),
            ("word/styles.xml", (2024, 1, 2, 3, 4, 6))]
        assert [package.read(name) for name in package.namelist()] == [b"types", b"<new/>", b"<styles/>" * 50]
    stamped = repack(written.getvalue(), when=datetime.datetime(2024, 12, 20))
    with zipfile.ZipFile(io.BytesIO(stamped)) as package:
        assert {info.date_time for info in package.infolist()} == {(2024, 12, 20, 0, 0, 0)}
        assert package.read(DOCUMENT_PART) == b"<old/>" * 50
