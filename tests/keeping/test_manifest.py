"""The build manifest and what it drives: incremental builds, protection of hand edits, the lock."""

import csv
import hashlib
import json

import pytest

from example_ledgers import money, records, total
from helpers import Composed
from wenmi.reading import inspection as inspection_module
from wenmi.build import build
from wenmi.cli import main
from wenmi.keeping.lock import build_lock
from wenmi.reading.specs import load_project
from project_copies import (BATCH, EXCHANGE, REPORTS, RETURNS_TABLE_FILES, SUMMARY, copy_project, move_second_row,
                           raise_first_amount)


@pytest.fixture
def root(tmp_path):
    root = copy_project(tmp_path)
    build(root)
    return root


def manifest_of(root):
    return json.loads((root / ".wenmi" / "manifest.json").read_text(encoding="utf-8"))


def files(root):
    return {p.relative_to(root): p.read_bytes() for p in (root / "outputs").rglob("*.*") if p.is_file()}


def top_level(paths):
    """The names of the reports' own files, without the batch report's folder."""
    return {path.name for path in paths if path.parent.name == "outputs"}


def test_manifest_records_inputs_figures_citations_and_written_hashes(root):
    manifest = manifest_of(root)
    batch_files = {f"{BATCH}/{path.name}" for path in (root / "outputs" / BATCH).iterdir()}
    assert len(batch_files) == 35                         # 32 dossiers, roster ×2, merged file
    assert set(manifest["outputs"]) == batch_files | RETURNS_TABLE_FILES | {
        f"{r}.{f}" for r in REPORTS for f in ("docx", "html", "md")}
    record = manifest["outputs"][f"{SUMMARY}.docx"]
    written = (root / "outputs" / f"{SUMMARY}.docx").read_bytes()
    assert record["sha256"] == hashlib.sha256(written).hexdigest()
    ledger = (root / "inputs/台账/2024/送温暖.csv").read_bytes()
    inputs = manifest["inputs"][SUMMARY]          # listed once per report
    assert inputs["inputs/台账/2024/送温暖.csv"] == hashlib.sha256(ledger).hexdigest()
    assert "templates/工作总结.md.j2" in inputs and "inputs/报告.yaml" in inputs
    fingerprint = json.dumps(inputs, ensure_ascii=False, sort_keys=True).encode("utf-8")
    assert record["inputs"] == hashlib.sha256(fingerprint).hexdigest()
    stories = manifest["inputs"][BATCH]
    assert sum(name.startswith("inputs/先进/事迹/") for name in stories) == \
        len(list((root / "inputs/先进/事迹").iterdir()))
    # each of the batch's 35 records holds the fingerprint, not every story's hash again
    assert all(len(r["inputs"]) == 64 for r in manifest["outputs"].values())
    amount = money(total(records("送温暖.csv"), "慰问金额"))
    figure = manifest["figures"]["送温暖慰问金额"]
    assert figure["text"] == amount and figure["sources"][0]["file"] == "inputs/台账/2024/送温暖.csv"
    cited = [c for c in record["citations"] if c["figure"] == "送温暖慰问金额" and c["text"] == amount]
    assert cited
    for citation in cited:
        assert amount in record["paragraphs"][citation["paragraph"] - 1]


def test_a_build_with_nothing_changed_renders_nothing(root, monkeypatch, capsys):
    before = files(root)

    def must_not_read(*args, **kwargs):
        raise AssertionError("nothing changed, yet the build read the ledgers")

    monkeypatch.setattr(inspection_module, "inspect_or_stop", must_not_read)
    assert main(["build", "--project", str(root)]) == 0
    assert "已跳过" in capsys.readouterr().out
    assert files(root) == before


def test_one_changed_cell_rewrites_exactly_the_outputs_that_cite_it(root):
    before_documents = Composed(root).documents
    stamps = {p.name: p.stat().st_mtime_ns for p in (root / "outputs").glob("*.*") if p.is_file()}
    move_second_row(root)
    after_documents = Composed(root).documents
    changed = {name for name in before_documents if before_documents[name] != after_documents[name]}
    assert changed == {SUMMARY}             # the ledger row is cited by the 工作总结 only

    built = build(root)

    assert top_level(o.path for o in built.written) == {f"{SUMMARY}.{f}" for f in ("docx", "html", "md")}
    assert top_level(built.unchanged) == {f"{r}.{f}" for r in REPORTS if r != SUMMARY
                                          for f in ("docx", "html", "md")}
    for path in (root / "outputs").glob(f"{EXCHANGE}.*"):
        assert path.stat().st_mtime_ns == stamps[path.name]
    # in the batch, only a nominee that is one of the two unions cites the moved row (a
    # union's totals are no person's figures), and the roster and merged print file list it
    moved = {"县商贸流通业工会联合会", "双河镇总工会"}
    with open(root / "inputs/先进/推荐对象.csv", encoding="utf-8-sig", newline="") as stream:
        nominees = list(csv.DictReader(stream))
    affected = {row["名称"] for row in nominees if row["名称"] in moved}
    assert affected and any(row["所属工会"] in moved and row["名称"] not in moved for row in nominees)
    rewritten = {o.path.name for o in built.written if o.path.parent.name == BATCH}
    assert {name for name in rewritten if "-" in name} == {
        name for name in rewritten if name.removesuffix(".docx").rsplit("-", 1)[-1] in affected}
    assert len([name for name in rewritten if "-" in name]) == len(affected)
    assert {"推荐名单汇总表.docx", "推荐名单汇总表.xlsx", "事迹材料合订本.docx"} <= rewritten


def test_force_rebuilds_everything(root):
    forced = build(root, force=True)
    assert len(forced.written) == 0                       # same bytes: nothing to rewrite
    assert len(forced.skipped) == 0                       # but nothing was skipped either
    assert top_level(forced.unchanged) == RETURNS_TABLE_FILES | {f"{r}.{f}" for r in REPORTS
                                                                 for f in ("docx", "html", "md")}
    assert len(forced.unchanged) == 3 * len(REPORTS) + 35 + len(RETURNS_TABLE_FILES)
    assert len(build(root, force=True).skipped) == 0      # nor the next time


def test_a_hand_edited_output_is_never_overwritten(root, capsys):
    edited = root / "outputs" / f"{SUMMARY}.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\n手工补充的一段。\n", encoding="utf-8")
    raise_first_amount(root)

    assert main(["build", "--project", str(root)]) == 0

    out = capsys.readouterr().out
    (advice,) = [line for line in out.splitlines() if f"outputs/{SUMMARY}.md 在生成后被手工修改过" in line]
    assert f"wenmi refresh outputs/{SUMMARY}" not in advice and "只能更新 DOCX" in advice and "--force" in advice
    assert edited.read_text(encoding="utf-8").endswith("手工补充的一段。\n")
    assert "已生成 outputs/2024年度工作总结.docx" in out     # the others are rebuilt
    assert main(["build", "--project", str(root)]) == 0    # and stays protected next time
    assert edited.read_text(encoding="utf-8").endswith("手工补充的一段。\n")


def test_force_moves_a_hand_edited_output_to_history_first(root):
    edited = root / "outputs" / f"{SUMMARY}.md"
    edited.write_text("手工改过的全文。\n", encoding="utf-8")

    built = build(root, force=True)

    (kept,) = (root / "outputs" / ".history").glob(f"{SUMMARY}.*.md")
    assert kept.read_text(encoding="utf-8") == "手工改过的全文。\n"
    assert built.set_aside == (kept,)
    assert "手工改过的全文" not in edited.read_text(encoding="utf-8")


def test_a_second_build_at_the_same_time_is_refused(root, capsys):
    with build_lock(load_project(root)):
        assert main(["build", "--project", str(root), "--force"]) == 2
    error = capsys.readouterr().err
    assert "另一次生成正在进行" in error and "进程" in error
    assert main(["build", "--project", str(root)]) == 0     # released afterwards


def test_each_figure_and_output_record_is_one_line_of_the_manifest(root):
    """So a changed figure shows in `git diff` as the lines of the records it changed (and
    a changed input as its report's line of input hashes)."""
    lines = (root / ".wenmi" / "manifest.json").read_text(encoding="utf-8").splitlines()
    manifest = manifest_of(root)
    for section in ("figures", "inputs", "outputs"):
        for key, record in manifest[section].items():
            found = [line for line in lines if line.startswith(f"  {json.dumps(key, ensure_ascii=False)}: ")]
            assert len(found) == 1, key
            assert json.loads("{" + found[0].rstrip(",") + "}") == {key: record}
    assert len(lines) == sum(len(manifest[section]) for section in ("figures", "inputs", "outputs")) \
        + len(manifest) + 5


def test_a_manifest_of_the_earlier_format_renders_once_and_keeps_the_files(root):
    """Format 1 kept every input hash in each output record: such a manifest's outputs are
    not current, so they are rendered once more, left alone as unchanged, and recorded anew."""
    manifest = manifest_of(root)
    for record in manifest["outputs"].values():
        record["inputs"] = manifest["inputs"][record["report"]]
    del manifest["inputs"]
    manifest["version"] = 1
    (root / ".wenmi" / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    before = files(root)
    built = build(root)
    assert not built.written and len(built.unchanged) == len(manifest["outputs"])
    assert files(root) == before and manifest_of(root)["version"] == 2
    assert not build(root).unchanged                     # current again: skipped
