"""How well `wenmi import` reads the development set, and how fast.

Run: .venv/bin/python benchmarks/import_reference.py [REFERENCE_DIR]

Against the hand-checked truth in shared/reference/truth/ (002 and 004) it prints heading
precision/recall/F1 (a heading matches on marker and text; levels are counted apart),
figure recall and precision (surfaces compared per document as multisets, Arabic-numeral
figures and all figures), junk and pinyin removed, body paragraphs kept word for word, and
the time to import a 10,000-character document, beside a yardstick timed in the same run:
Python-Markdown converting the same text.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import markdown

from wenmi.prose.importer import as_json, read_document
from wenmi.prose.scaffold import project_files

REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference"


def _headings(nodes: list[dict]) -> list[dict]:
    found = []
    for node in nodes:
        if node.get("present_in_body", True) is not False:
            found.append(node)
        found += _headings(node.get("children", []))
    return found


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 1.0


def measure(reference: Path) -> dict[str, Counter]:
    totals: dict[str, Counter] = {"headings": Counter(), "figures": Counter(), "arabic": Counter(),
                                  "junk": Counter(), "paragraphs": Counter()}
    for truth_file in sorted((reference / "truth").glob("*.json")):
        truth = json.loads(truth_file.read_text("utf-8"))
        reading = as_json(read_document(reference / truth["seed_file"]))
        found_docs = reading["documents"]
        text = "\n".join(p for d in found_docs for p in d["paragraphs"])
        for index, document in enumerate(truth["documents"]):
            found = found_docs[index] if index < len(found_docs) else {"headings": [], "figures": [], "paragraphs": []}
            expected = Counter((h["marker"], h["text"]) for h in _headings(document["outline"]))
            got = Counter((h["marker"], h["text"]) for h in found["headings"])
            levels = {(h["marker"], h["text"]): h["level"] for h in _headings(document["outline"])}
            totals["headings"].update(truth=sum(expected.values()), found=sum(got.values()),
                                      matched=sum((expected & got).values()),
                                      level_right=sum(1 for h in found["headings"]
                                                      if levels.get((h["marker"], h["text"])) == h["level"]))
            surfaces = Counter(f["surface"] for f in found["figures"])
            for key, figures in (("figures", document["figures"]),
                                 ("arabic", [f for f in document["figures"] if f["numeral"] == "arabic"])):
                wanted = Counter(f["surface"] for f in figures)
                mine = surfaces if key == "figures" else Counter(
                    {s: n for s, n in surfaces.items() if any(ch.isdigit() for ch in s)})
                totals[key].update(truth=sum(wanted.values()), found=sum(mine.values()),
                                   matched=sum((wanted & mine).values()))
            kept = set(found["paragraphs"])
            totals["paragraphs"].update(truth=len(document["paragraphs"]),
                                        kept=sum(p["text"] in kept for p in document["paragraphs"]))
        seed = (reference / truth["seed_file"]).read_text("utf-8")
        for span in truth["junk_spans"]:
            if span["kind"] == "spurious_space":
                joined = seed[span["offset"] - 3:span["offset"]] + seed[span["end"]:span["end"] + 1]
                gone = joined.replace(" ", "") in text.replace("\n", "")
            else:
                lines = [line.strip() for line in span["text"].split("\n") if line.strip()]
                gone = not any(line in text for line in lines if len(line) > 1) \
                    and not (len(span["text"]) == 1 and span["text"] in text)
            totals["junk"].update(truth=1, removed=int(gone))
        for _, annotation in truth.get("pinyin_annotations", []) or []:
            totals["junk"].update(truth=1, removed=int(annotation not in text))
    return totals


def timed(function, repeat: int = 5) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    reference = Path(sys.argv[1]) if len(sys.argv) > 1 else REFERENCE
    totals = measure(reference)
    h = totals["headings"]
    precision, recall = _ratio(h["matched"], h["found"]), _ratio(h["matched"], h["truth"])
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0
    print(f"标题：precision {precision:.3f}  recall {recall:.3f}  F1 {f1:.3f} "
          f"（{h['matched']}/{h['truth']}，层级正确 {h['level_right']}/{h['found']}）")
    for key, name in (("arabic", "数字（阿拉伯数字）"), ("figures", "数字（全部，含汉字数字）")):
        f = totals[key]
        print(f"{name}：recall {_ratio(f['matched'], f['truth']):.3f}  "
              f"precision {_ratio(f['matched'], f['found']):.3f}（{f['matched']}/{f['truth']}，找到 {f['found']}）")
    j, p = totals["junk"], totals["paragraphs"]
    print(f"网页杂项与拼音：去掉 {_ratio(j['removed'], j['truth']):.3f}（{j['removed']}/{j['truth']}）")
    print(f"正文段落：逐字保留 {_ratio(p['kept'], p['truth']):.3f}（{p['kept']}/{p['truth']}）")

    seed = (reference / "002_04b9fb9c21690cfb.txt").read_text("utf-8")
    sample = (seed * 2)[:10_000]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "样本.txt"
        path.write_text(sample, "utf-8")
        read_document(path)                                  # imports and caches warmed
        importing = timed(lambda: project_files(read_document(path), "样本"))
        yardstick = timed(lambda: markdown.markdown(sample))
    print(f"导入 10,000 字的文档：{importing * 1000:.0f} ms；尺度：Python-Markdown 转换同一文本 "
          f"{yardstick * 1000:.0f} ms；比值 {importing / yardstick:.1f}")


if __name__ == "__main__":
    main()
