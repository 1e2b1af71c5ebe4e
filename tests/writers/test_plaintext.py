"""The txt writer gives what an office pastes into an OA system: no markup, paragraphs indented
by two ideographic spaces, headings with their numbers, tables as tab-separated rows."""

from helpers import make_figure
from wenmi.model import Attachment, Document, Enumeration, FigureText, Heading, Paragraph, Table, Text
from wenmi.writers import FORMATS, DOCUMENT_FORMATS
from wenmi.writers.plaintext import write

MONEY = make_figure("慰问金额", 286400, "元", 2)
INDENT = "\u3000\u3000"


def sample_document() -> Document:
    blocks = (
        Paragraph((Text("全年慰问困难职工，发放慰问金"), FigureText("28.64万元", MONEY), Text("。"))),
        Heading(1, (Text("主要工作"),), label="一、"),
        Heading(3, (Text("健全组织。"),), label="1.", run_in=(Text("新建基层工会"), Text("18个", bold=True),
                                                           Text("。"))),
        Enumeration(items=((Text("经费使用不够规范；"),), (Text("整改较慢。"),)), merged=True,
                    lead=(Text("主要问题："),), labels=("一是", "二是")),
        Table(caption=(Text("各乡镇慰问金额"),), header=("乡镇", "慰问金额"),
              rows=(((Text("城关镇\n东片"),), (Text("9.12万元"),)), ((Text("白石乡"),), (Text("6.58万元"),)))),
    )
    attachment = Attachment("慰问资金明细", (Table((), ("序号", "乡镇"), (((Text("1"),), (Text("城关镇"),)),)),))
    return Document(title="青禾县总工会2024年工作总结", subtitle="——在全县工会工作会议上的报告",
                    recipient="县委办公室", blocks=blocks, attachments=(attachment,),
                    issuer="青禾县总工会", date="2024年12月20日")


def lines_of(data: bytes) -> list[str]:
    assert data.startswith("\ufeff".encode("utf-8"))
    text = data.decode("utf-8-sig")
    assert "\n" not in text.replace("\r\n", "")          # Windows line ends throughout
    return text.split("\r\n")


def test_txt_is_a_document_format():
    assert FORMATS["txt"].extension == ".txt" and "txt" in DOCUMENT_FORMATS


def test_txt_has_no_markup_and_indents_paragraphs_and_headings():
    lines = lines_of(write(sample_document()))
    assert lines[:5] == ["青禾县总工会2024年工作总结", "——在全县工会工作会议上的报告", "", "县委办公室：",
                         INDENT + "全年慰问困难职工，发放慰问金28.64万元。"]
    assert lines[5:8] == [INDENT + "一、主要工作", INDENT + "1.健全组织。新建基层工会18个。",
                          INDENT + "主要问题：一是经费使用不够规范；二是整改较慢。"]
    assert not any(mark in "".join(lines) for mark in ("**", "<", "#", "|"))


def test_txt_tables_are_tab_separated_rows_under_their_caption():
    lines = lines_of(write(sample_document()))
    start = lines.index("各乡镇慰问金额")
    assert lines[start + 1:start + 4] == ["乡镇\t慰问金额", "城关镇 东片\t9.12万元", "白石乡\t6.58万元"]


def test_txt_back_matter_then_the_attachment():
    lines = lines_of(write(sample_document()))
    start = lines.index(INDENT + "附件：慰问资金明细")
    # the date is 7 characters wide and sits 2 from the right of a 28-character line: 19 in;
    # the issuer (6 wide) starts 2 before the date, 17 in
    assert lines[start + 1:start + 4] == ["", "\u3000" * 17 + "青禾县总工会", "\u3000" * 19 + "2024年12月20日"]
    assert lines[start + 4:] == ["", "附件", "", "慰问资金明细", "", "序号\t乡镇", "1\t城关镇", ""]
