"""`wenmi import`: documents written for the purpose (fictional offices and figures) are read,
cleaned, outlined, turned into a project, and built back to the same words."""

import json
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from wenmi.build import build
from wenmi.cli import main
from wenmi.errors import WenmiError
from wenmi.prose.importer import as_json, read_document
from wenmi.prose.scaffold import project_files, write_project

SUMMARY = """青禾县总工会2023年工作总结

2023年，全县各级工会围绕中心、服务大局，各项工作取得新进展。现将有关情况总结如下：

一、主要工作及成效

（一）组织建设不断加强

全年新建基层工会46个，发展会员3280人，入会率达92.5%。

1.健全组织体系。全县建成乡镇工会服务站18个，覆盖职工1.26万人。

2.规范工会经费。收缴工会经费532.6万元，同比增长8.3%。

（二）帮扶救助扎实有效

“两节”期间走访慰问困难职工280余户，发放慰问金42.38万元；为156名困难职工子女发放助学金，每人500～1000元不等。

二、存在的问题

一是基层工会活力不足。部分企业工会活动少。

二是服务手段比较单一。线上服务平台使用率不高。

三、2024年工作打算

持续推进“12351”职工服务热线建设，按照青工发〔2023〕8号文件要求抓好落实。

青禾县总工会
2023年12月28日
"""


def read_json(path: Path, simplified: bool = False) -> dict:
    return as_json(read_document(path, simplified))


def imported(tmp_path: Path, source: Path) -> Path:
    """The project imported from `source`, built; its folder."""
    target = tmp_path / "项目"
    reading = read_document(source)
    write_project(project_files(reading), target)
    build(target)
    return target


def docx_paragraphs(path: Path) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs if p.text.strip()]


def test_a_text_summary_builds_back_to_its_own_words(tmp_path):
    source = tmp_path / "总结.txt"
    source.write_text(SUMMARY, encoding="utf-8")
    project = imported(tmp_path, source)
    expected = [line for line in SUMMARY.splitlines() if line.strip()]
    built = docx_paragraphs(project / "outputs" / "青禾县总工会2023年工作总结.docx")
    assert built == expected


def test_figures_become_declared_placeholders_and_dates_stay_kept(tmp_path):
    source = tmp_path / "总结.txt"
    source.write_text(SUMMARY, encoding="utf-8")
    project = tmp_path / "项目"
    write_project(project_files(read_document(source)), project)
    body = (project / "inputs" / "正文" / "青禾县总工会2023年工作总结.md").read_text("utf-8")
    figures = (project / "inputs" / "数字.yaml").read_text("utf-8")
    assert "{{ 新建基层工会数 }}" in body and "新建基层工会数: {value: 46, unit: \"个\"" in figures
    assert "{{ 收缴工会经费 }}" in body and "{{ 同比增长比例 }}" in body and '{value: "532.6万", unit: "元"' in figures
    assert "{{ 覆盖职工人数|万 }}" in body
    assert "|范围(" in body
    assert "12351{#保留#}" in body and "2023{#保留#}年" in body
    assert "# 主要工作及成效" in body and "### 健全组织体系。" in body
    assert "- 基层工会活力不足。" in body and "- 服务手段比较单一。" in body
    assert main(["check", "--project", str(project)]) == 0     # no typed-in number left to warn about


def test_the_json_reading_has_the_shape_other_tools_read(tmp_path):
    source = tmp_path / "总结.txt"
    source.write_text(SUMMARY, encoding="utf-8")
    reading = read_json(source)
    assert set(reading) == {"documents", "removed", "repaired"}
    document = reading["documents"][0]
    assert document["title"] == "青禾县总工会2023年工作总结"
    assert document["headings"][:3] == [
        {"level": 1, "marker": "一、", "text": "主要工作及成效"},
        {"level": 2, "marker": "（一）", "text": "组织建设不断加强"},
        {"level": 3, "marker": "1.", "text": "健全组织体系"},
    ]
    assert {"level": 2, "marker": "一是", "text": "基层工会活力不足"} in document["headings"]
    money = next(f for f in document["figures"] if f["surface"] == "42.38万元")
    assert money == {"surface": "42.38万元", "value": 423800, "unit": "元", "qualifier": None}
    assert {"surface": "280余户", "value": 280, "unit": "户", "qualifier": "余"} in document["figures"]
    assert document["paragraphs"][-2:] == ["青禾县总工会", "2023年12月28日"]


def add_numbering(document: docx.Document) -> dict[int, str]:
    """A numbering part with one list of three levels: 一、 / （一） / 1., as Word writes it.
    Returns the numId per level."""
    numbering = document.part.numbering_part.element
    numbering.append(parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="7">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>'
        '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>'
        '</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="9"><w:abstractNumId w:val="7"/></w:num>'))
    return {0: "9", 1: "9", 2: "9"}


def numbered(document, text: str, level: int) -> None:
    paragraph = document.add_paragraph(text)
    paragraph._p.get_or_add_pPr().append(parse_xml(
        f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="9"/></w:numPr>'))


def test_a_docx_numbered_by_word_is_read_with_its_numbers_and_builds_back(tmp_path):
    document = docx.Document()
    add_numbering(document)
    document.add_paragraph("东川区总工会2023年工作要点")
    document.add_paragraph("全区工会工作的总体要求是：服务职工、建功立业。")
    numbered(document, "强化思想引领", 0)
    numbered(document, "深化宣传教育", 1)
    numbered(document, "组织宣讲活动。全年开展宣讲36场。", 2)
    numbered(document, "开展主题竞赛。参赛职工达2400人。", 2)
    numbered(document, "加强组织建设", 1)
    numbered(document, "扩大工会覆盖。新建工会27个。", 2)
    numbered(document, "维护职工权益", 0)
    document.add_paragraph("全年办结劳动争议案件58件。")
    source = tmp_path / "要点.docx"
    document.save(source)
    reading = read_json(source)["documents"][0]
    assert [(h["level"], h["marker"], h["text"]) for h in reading["headings"]] == [
        (1, "一、", "强化思想引领"), (2, "（一）", "深化宣传教育"), (3, "1.", "组织宣讲活动"),
        (3, "2.", "开展主题竞赛"), (2, "（二）", "加强组织建设"), (3, "1.", "扩大工会覆盖"),
        (1, "二、", "维护职工权益")]
    project = imported(tmp_path, source)
    built = docx_paragraphs(project / "outputs" / "东川区总工会2023年工作要点.docx")
    assert built == ["东川区总工会2023年工作要点", "全区工会工作的总体要求是：服务职工、建功立业。",
                     "一、强化思想引领", "（一）深化宣传教育", "1.组织宣讲活动。全年开展宣讲36场。",
                     "2.开展主题竞赛。参赛职工达2400人。", "（二）加强组织建设", "1.扩大工会覆盖。新建工会27个。",
                     "二、维护职工权益", "全年办结劳动争议案件58件。"]


def test_docx_headings_without_numbers_are_known_by_style_and_numbered_by_wenmi(tmp_path):
    document = docx.Document()
    document.add_paragraph("南岭镇工会工作汇报", style="Title")
    document.add_heading("职工之家建设", level=1)
    document.add_paragraph("全镇建成职工之家12个。")
    document.add_heading("困难帮扶", level=1)
    document.add_paragraph("全年帮扶困难职工64户。")
    source = tmp_path / "汇报.docx"
    document.save(source)
    reading = read_json(source)["documents"][0]
    assert reading["title"] == "南岭镇工会工作汇报"
    assert [(h["level"], h["marker"], h["text"]) for h in reading["headings"]] == [
        (1, None, "职工之家建设"), (1, None, "困难帮扶")]
    project = imported(tmp_path, source)
    assert docx_paragraphs(project / "outputs" / "南岭镇工会工作汇报.docx")[1:] == [
        "一、职工之家建设", "全镇建成职工之家12个。", "二、困难帮扶", "全年帮扶困难职工64户。"]


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-16", "utf-16-le", "utf-8-sig"])
def test_text_files_are_read_in_any_of_the_encodings_offices_save_in(tmp_path, encoding):
    source = tmp_path / "总结.txt"
    source.write_bytes(SUMMARY.replace("\n", "\r\n").encode(encoding))
    assert read_json(source)["documents"][0]["paragraphs"] == \
        [line for line in SUMMARY.splitlines() if line.strip()]


PAGE = """首页 > 范文 > 工作总结
白石乡工会工作总结
时间：2021-03-02 09:15 来源：网友投稿 浏览次数：128
【摘要】：全乡新建工会9个。发放慰问金3.5万元。
目录
一、基本情况
二、主要做法
白石乡工会工作总结_范文大全
白石乡工会工作总结
一、基本情况
全乡新建工会9个，覆盖职工860人(次)。
二、主要做法
发放慰问金3.5万元，惠及(市、区)两级困难职工。
发放慰问金3.5万元，惠及(市、区)两级困难职工。
免责声明：本文由网友上传，版权归原作者所有，如有侵权请联系删除。
相关推荐
白石乡工会工作计划
上一篇：白石乡工作计划
"""


def test_site_furniture_and_repeats_are_removed_and_each_removal_is_listed(tmp_path):
    source = tmp_path / "页面.txt"
    source.write_text(PAGE, encoding="utf-8")
    reading = read_json(source)
    assert reading["documents"][0]["paragraphs"] == [
        "白石乡工会工作总结", "一、基本情况", "全乡新建工会9个，覆盖职工860人(次)。", "二、主要做法",
        "发放慰问金3.5万元，惠及(市、区)两级困难职工。"]
    removed = [(r["kind"], r["text"]) for r in reading["removed"]]
    assert ("junk", "首页 > 范文 > 工作总结") in removed
    assert ("junk", "【摘要】：全乡新建工会9个。发放慰问金3.5万元。") in removed
    assert ("junk", "目录") in removed and ("junk", "白石乡工会工作总结_范文大全") in removed
    assert ("duplicate", "发放慰问金3.5万元，惠及(市、区)两级困难职工。") in removed
    assert ("junk", "上一篇：白石乡工作计划") in removed


def test_converter_pinyin_goes_and_real_parentheses_stay(tmp_path):
    source = tmp_path / "繁体.txt"
    source.write_text("維(wéi)護(hù)職(zhí)工(gōng)權(quán)益(yì)，覆蓋(市、區)兩級，共(1)項，服務300人(次)。",
                      encoding="utf-8")
    reading = read_json(source)
    assert reading["documents"][0]["paragraphs"] == ["維護職工權益，覆蓋(市、區)兩級，共(1)項，服務300人(次)。"]
    assert [r["text"] for r in reading["removed"] if r["kind"] == "pinyin"] == \
        ["(wéi)", "(hù)", "(zhí)", "(gōng)", "(quán)", "(yì)"]
    assert read_json(source, simplified=True)["documents"][0]["paragraphs"] == \
        ["维护职工权益，覆盖(市、区)两级，共(1)项，服务300人(次)。"]


def out_of_step(data: bytes) -> str:
    """GBK bytes read two at a time from the wrong byte, as a page that lost one byte shows
    them: each pair that is a character becomes that character, any other pair a "?"."""
    text = ""
    for at in range(0, len(data), 2):
        try:
            text += data[at:at + 2].decode("gbk")
        except UnicodeDecodeError:
            text += "?"
    return text


def test_mojibake_is_repaired_only_where_re_encoding_proves_it(tmp_path):
    original = "全年走访慰问困难职工家庭，发放慰问金和生活物资。"
    garbled = out_of_step(original.encode("gbk")[1:])
    source = tmp_path / "乱码.txt"
    source.write_text("标题\n" + garbled + "\n" + "这是什么?我们不知道。\n", encoding="utf-8")
    reading = read_json(source)
    repairs = [(r["from"], r["to"]) for r in reading["repaired"]]
    assert repairs and all(kind == "mojibake" for kind in {r["kind"] for r in reading["repaired"]})
    assert all(before in garbled and after in original for before, after in repairs)
    assert "".join(after for _, after in repairs) == "走访慰问职工家庭放慰问金和物资"
    assert reading["documents"][0]["paragraphs"][2] == "这是什么?我们不知道。"


def test_spaces_quotes_private_use_and_markup_are_cleaned(tmp_path):
    source = tmp_path / "杂.txt"
    source.write_text("标题\n开展‚安康杯‛竞赛，参赛职 工达1200人。\ue004\n**重点**工作有序推进，成效明显。\n",
                      encoding="utf-8")
    reading = read_json(source)
    assert reading["documents"][0]["paragraphs"][1:] == ["开展“安康杯”竞赛，参赛职工达1200人。",
                                                          "重点工作有序推进，成效明显。"]
    assert {r["kind"] for r in reading["removed"]} == {"space", "junk", "markup"}
    assert [(r["from"], r["to"]) for r in reading["repaired"]] == [("‚", "“"), ("‛", "”")]


def test_bundled_documents_become_several_reports(tmp_path):
    source = tmp_path / "合集.txt"
    source.write_text("工作总结合集\n第一篇：甲镇工会总结\n甲镇工会总结\n全镇新建工会5个。\n"
                      "第二篇：乙镇工会总结\n乙镇工会总结\n全镇新建工会7个。\n", encoding="utf-8")
    reading = read_document(source)
    assert [d.title for d in reading.documents] == ["甲镇工会总结", "乙镇工会总结"]
    files = project_files(reading)
    assert files.reports == ["甲镇工会总结", "乙镇工会总结"]
    project = tmp_path / "项目"
    write_project(files, project)
    build(project)
    assert docx_paragraphs(project / "outputs" / "乙镇工会总结.docx") == ["乙镇工会总结", "全镇新建工会7个。"]


def test_the_article_of_a_saved_web_page_is_imported_without_the_site(tmp_path):
    article = "".join(f"<p>全县第{n}季度新建基层工会{n * 3}个，发展会员{n * 120}人，工作稳步推进。</p>"
                      for n in range(1, 5))
    source = tmp_path / "页面.html"
    source.write_text(
        "<html><head><title>县工会季度工作汇报</title></head><body>"
        "<nav><a href='/'>首页</a> <a href='/a'>新闻中心</a> <a href='/b'>联系我们</a></nav>"
        f"<article><h1>县工会季度工作汇报</h1>{article}</article>"
        "<footer>版权所有 某某网站 备案号 12345</footer></body></html>", encoding="utf-8")
    document = read_json(source)["documents"][0]
    assert document["title"] == "县工会季度工作汇报"
    assert document["paragraphs"][1:] == [
        f"全县第{n}季度新建基层工会{n * 3}个，发展会员{n * 120}人，工作稳步推进。" for n in range(1, 5)]


def test_the_command_writes_a_project_and_never_overwrites_one(tmp_path, capsys):
    source = tmp_path / "总结.txt"
    source.write_text(SUMMARY, encoding="utf-8")
    target = tmp_path / "新项目"
    assert main(["import", str(source), "--into", str(target)]) == 0
    assert "已导入" in capsys.readouterr().out
    before = {p: p.read_bytes() for p in target.rglob("*") if p.is_file()}
    assert main(["import", str(source), "--into", str(target)]) == 2
    assert "为免覆盖" in capsys.readouterr().err
    assert {p: p.read_bytes() for p in target.rglob("*") if p.is_file()} == before


def test_json_output_prints_the_reading_and_writes_nothing(tmp_path, capsys, monkeypatch):
    source = tmp_path / "总结.txt"
    source.write_text(SUMMARY, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["import", str(source), "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["documents"][0]["title"] == "青禾县总工会2023年工作总结"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["总结.txt"]


def encrypted_office_file() -> bytes:
    """The start of an OLE compound file holding an EncryptedPackage stream, as Office
    saves a password-protected .docx."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500 + "EncryptedPackage".encode("utf-16-le")


@pytest.mark.parametrize("name, content, words", [
    ("空.txt", b"", "文件是空的"),
    ("二进制.txt", bytes(range(256)) * 8, "不是文本文件"),
    ("加密.docx", encrypted_office_file(), "设有打开密码"),
    ("旧版.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500, "旧版 Word"),
    ("坏.docx", b"PK\x03\x04not really a zip", "无法打开这个 Word 文件"),
    ("只有网页.txt", "首页 > 范文\n免责声明：本文由网友上传，版权归原作者所有。\n".encode(), "没有可导入的正文"),
])
def test_bad_input_gives_one_chinese_message_exit_2_and_no_project(tmp_path, capsys, name, content, words):
    source = tmp_path / name
    source.write_bytes(content)
    target = tmp_path / "项目"
    assert main(["import", str(source), "--into", str(target)]) == 2
    error = capsys.readouterr().err
    assert words in error and name in error and "Traceback" not in error
    assert not target.exists()


def test_a_missing_file_is_a_user_error(tmp_path):
    with pytest.raises(WenmiError, match="找不到"):
        read_document(tmp_path / "没有.docx")


def test_a_range_typed_with_an_ascii_tilde_comes_back_as_offices_print_it(tmp_path):
    source = tmp_path / "总结.txt"
    source.write_text(SUMMARY.replace("500～1000元", "500元~1000元"), encoding="utf-8")
    project = imported(tmp_path, source)
    body = (project / "inputs" / "正文" / "青禾县总工会2023年工作总结.md").read_text("utf-8")
    assert "|范围(" in body
    built = docx_paragraphs(project / "outputs" / "青禾县总工会2023年工作总结.docx")
    assert any("每人500～1000元不等" in paragraph for paragraph in built)
