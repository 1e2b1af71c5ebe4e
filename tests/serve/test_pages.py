"""The workbench's pages say what the library says: check problems with their ledger row,
every figure with its wording, last year and source, charts, the rows behind a figure,
documents with their figures' provenance, downloads of what was built — and a corrected
ledger rehearsed, accepted and built with hand-edited outputs left alone."""

import io
import zipfile
from urllib.parse import quote

import pytest

from example_ledgers import INPUTS
from helpers import document_xml, paragraph_texts
from project_copies import BATCH, SUMMARY, WARMTH, warmth_total
from wenmi.numbers import format_money
from workbench import EXTRA_COLUMN, client, corrected_ledger, csrf, finished, fresh, warned_project

LAST_YEAR = INPUTS / "台账" / "2023" / "送温暖.csv"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return warned_project(tmp_path_factory.mktemp("pages") / "项目")


@pytest.fixture(scope="module")
def opened(built):
    return client(built)


def test_overview_counts_problems_and_lists_outputs(opened, built):
    page = opened.get("/").text
    assert '<div class="n">1</div>个警告' in page and '<div class="n">0</div>个错误' in page
    assert f"/download?path={quote(SUMMARY)}.docx" in page
    time = (built / ".wenmi" / "manifest.json").read_text(encoding="utf-8").split('"time": "')[1][:19]
    assert time.replace("T", " ") in page


def test_check_shows_the_problem_with_its_ledger_row(opened):
    page = opened.get("/check").text
    assert "inputs/台账/2024/送温暖.csv" in page and "未在数据源“送温暖”的 columns 中声明" in page
    assert f'<td class="hit">{EXTRA_COLUMN}</td>' in page         # the header cell it is about


def test_figures_give_wording_last_year_change_and_source(opened):
    page = opened.get("/figures", params={"q": "送温暖慰问金额"}).text
    this_year = warmth_total((INPUTS / "台账" / "2024" / "送温暖.csv").read_bytes())
    last_year = warmth_total(LAST_YEAR.read_bytes())
    assert f"<strong>{format_money(this_year)}</strong>" in page
    assert format_money(last_year) in page
    assert f"同比增长{(this_year / last_year - 1) * 100:.1f}%" in page
    assert "合计(慰问金额)" in page and "inputs/台账/2024/送温暖.csv" in page


def test_a_thousand_figures_are_paged_and_filtered(opened, built):
    everything = opened.get("/figures", params={"scope": "nominees"}).text
    count = int(everything.split("共 ")[1].split(" 个数字")[0])
    nominees = len((INPUTS / "先进" / "推荐对象.csv").read_text(encoding="utf-8-sig").strip().splitlines()) - 1
    assert count == nominees * 8                           # eight per-nominee metrics in 先进.yaml
    assert everything.count("推荐对象 ") == 50 and f"第 1 / {-(-count // 50)} 页" in everything
    last = opened.get("/figures", params={"scope": "nominees", "page": 999}).text
    assert last.count("推荐对象 ") == count - 50 * (count // 50)
    one = opened.get("/figures", params={"scope": "nominees", "q": "本单位慰问户数"}).text
    assert one.count("推荐对象 ") == nominees


def test_charts_are_svg_with_both_years_and_the_top_groups(opened):
    chart = opened.get("/chart.svg", params={"name": "送温暖慰问金额"})
    assert chart.headers["content-type"] == "image/svg+xml"
    assert format_money(warmth_total(LAST_YEAR.read_bytes())) in chart.text and "2023年" in chart.text
    groups = opened.get("/chart.svg", params={"name": "各基层工会送温暖金额"}).text
    assert "双河镇总工会" in groups and "<script" not in groups


def test_explain_lists_the_rows_behind_a_figure(opened):
    page = opened.get("/explain", params={"name": "送温暖慰问金额"}).text
    rows = len((INPUTS / "台账" / "2024" / "送温暖.csv").read_text(encoding="utf-8-sig").strip().splitlines()) - 2
    assert f"共 {rows} 行（全表 {rows} 行）" in page and "龚浩民" in page


def test_preview_highlights_figures_with_their_provenance(opened):
    document = opened.get("/document", params={"name": SUMMARY}).text
    total = format_money(warmth_total((INPUTS / "台账" / "2024" / "送温暖.csv").read_bytes()))
    assert f'data-figure="送温暖慰问金额"' in document and f">{total}</span>" in document
    assert "计算：合计(慰问金额)" in document and ".figure { background" in document
    nominees = opened.get("/preview", params={"name": BATCH, "q": "GR01"}).text
    assert "共 1 名" in nominees
    dossier = opened.get("/document", params={"name": BATCH, "key": "GR01"}).text
    assert 'class="figure"' in dossier


def test_downloads_give_the_built_files_and_nothing_else(opened, built):
    docx = opened.get("/download", params={"path": f"{SUMMARY}.docx"})
    assert docx.content == (built / "outputs" / f"{SUMMARY}.docx").read_bytes()
    assert "attachment" in docx.headers["content-disposition"]
    for path in ("../inputs/项目.yaml", "/etc/passwd", ".history/x.docx", "不存在.docx"):
        assert opened.get("/download", params={"path": path}).status_code == 404
    archive = zipfile.ZipFile(io.BytesIO(opened.get("/download/zip", params={"name": BATCH}).content))
    folder = built / "outputs" / BATCH
    assert sorted(archive.namelist()) == sorted(f"{BATCH}/{p.name}" for p in folder.iterdir() if p.is_file())


def test_a_corrected_ledger_is_rehearsed_then_accepted_and_built(built, tmp_path):
    root = fresh(built, tmp_path)
    edited = root / "outputs" / f"{SUMMARY}.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\n领导批注。\n", encoding="utf-8")
    original, corrected = (root / WARMTH).read_bytes(), corrected_ledger(tmp_path / "更正")
    opened = client(root)
    posted = opened.post("/ledgers/upload", data={"csrf": csrf(), "source": "送温暖"},
                         files={"file": ("更正后.csv", corrected, "text/csv")})
    rehearsed = finished(opened, posted.headers["location"])
    before, after = format_money(warmth_total(original)), format_money(warmth_total(corrected))
    assert f"<del>{before}</del>" in rehearsed and f"<ins>{after}</ins>" in rehearsed
    assert (root / WARMTH).read_bytes() == original                # nothing replaced yet
    upload = rehearsed.split('action="/uploads/')[1].split("/accept")[0]
    accepted = opened.post(f"/uploads/{upload}/accept", data={"csrf": csrf()})
    done = finished(opened, accepted.headers["location"])
    assert "生成完成" in done and f"outputs/{SUMMARY}.md 在生成后被手工修改过" in done
    assert (root / WARMTH).read_bytes() == corrected
    kept = list((root / ".wenmi" / "history" / "台账" / "2024").glob("送温暖.*.csv"))
    assert [path.read_bytes() for path in kept] == [original]
    assert edited.read_text(encoding="utf-8").endswith("领导批注。\n")
    texts = paragraph_texts(document_xml(root / "outputs" / f"{SUMMARY}.docx"))
    assert any(after in text for text in texts) and not any(before in text for text in texts)
    changes = opened.get("/changes").text
    assert "送温暖慰问金额" in changes and f"<ins>{after}</ins>" in changes
    assert "个警告" in opened.get("/").text and '<div class="n">0</div>个警告' in opened.get("/").text


def test_a_ledger_with_errors_is_refused_with_its_problems_and_nothing_replaced(built, tmp_path):
    root = fresh(built, tmp_path)
    original = (root / WARMTH).read_bytes()
    bad = original.replace(",800,".encode(), ",约800,".encode(), 1)
    opened = client(root)
    posted = opened.post("/ledgers/upload", data={"csrf": csrf(), "source": "送温暖"},
                         files={"file": ("送温暖.csv", bad, "text/csv")})
    page = finished(opened, posted.headers["location"])
    assert "台账没有替换" in page and "第3行“慰问金额”列" in page and "接受并生成" not in page
    assert (root / WARMTH).read_bytes() == original
    assert not any((root / ".wenmi" / "uploads").iterdir())


def test_a_docx_downloads_as_pdf_where_libreoffice_is_installed(opened, built):
    from wenmi.serve.app import _pdf_available
    answer = opened.get("/download/pdf", params={"path": f"{SUMMARY}.docx"})
    if _pdf_available():
        assert answer.status_code == 200 and answer.content.startswith(b"%PDF")
        assert f"{SUMMARY}.pdf" in answer.headers["content-disposition"].replace(quote(SUMMARY), SUMMARY)
    else:
        assert answer.status_code == 404 and "LibreOffice" in answer.text
    assert opened.get("/download/pdf", params={"path": f"{SUMMARY}.md"}).status_code == 404
