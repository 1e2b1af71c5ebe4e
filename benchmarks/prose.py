"""Benchmark: reading the prose of real documents against their hand-checked truth.

For each document of the development set (shared/reference/truth/*.json), finds the quantities
of every clean paragraph with `find_quantities` and compares them with the truth's figures:
a figure is found when a quantity has its exact surface at its place in the paragraph (for a
figure in Chinese numerals, where the truth's surface may run on into the noun counted, when
the stated surface begins it: "四项" for "四项措施").
Prints recall and precision (all figures, and Arabic-numeral figures only, the truth's strict
test), how often value, unit, qualifier and kind agree on the found ones, and every miss and
extra. Then runs `check --text`'s rules on each document and prints the inconsistent claims
of the truth it finds and its false alarms. The time is printed beside a yardstick timed in the same run (a bare digit-run regex
over the same paragraphs), with the ratio.

Usage: python benchmarks/prose.py [TRUTH_DIR]   (default: ../shared/reference/truth)
"""

from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from wenmi.prose.check import check_document  # noqa: E402
from wenmi.prose.quantities import find_quantities  # noqa: E402

DEFAULT_TRUTH = Path(__file__).resolve().parent.parent.parent / "shared/reference/truth"
ROUNDS = 20


def truth_documents(folder: Path) -> list[dict]:
    return [document for path in sorted(folder.glob("*.json"))
            for document in json.loads(path.read_text(encoding="utf-8"))["documents"]]


def placed_figures(document: dict) -> dict[int, list[tuple[int, dict]]]:
    """The truth's figures by paragraph, each with its start in the clean paragraph text (the
    truth's offsets are into the raw file: the n-th figure is found after the one before)."""
    texts = {p["i"]: p["text"] for p in document["paragraphs"]}
    placed: dict[int, list[tuple[int, dict]]] = {}
    for figure in sorted(document["figures"], key=lambda f: f["offset"]):
        earlier = placed.setdefault(figure["para"], [])
        cursor = earlier[-1][0] + 1 if earlier else 0
        earlier.append((texts[figure["para"]].find(figure["surface"], cursor), figure))
    return placed


def matching(figure: dict, start: int, stated: dict) -> tuple[int, str] | None:
    """The stated quantity that is this figure: same start and surface; for a figure in Chinese
    numerals the truth's surface may carry the noun counted ("四项措施" for the stated "四项")."""
    if (start, figure["surface"]) in stated:
        return start, figure["surface"]
    if figure["numeral"] == "hanzi":
        return next((key for key in stated if key[0] == start and figure["surface"].startswith(key[1])),
                    None)
    return None


# Which finding kind reports which kind of the truth's claims.
CLAIM_KIND = {"conflict": "repeated", "repeated_value": "repeated", "count_pair": "repeated",
              "enumeration_count": "enumeration", "enumeration_sequence": "enumeration",
              "ordinal_count": "enumeration", "temporal_conflict": "year", "time_consistency": "year",
              "time_span": "year", "parts_vs_total": "total", "part_le_total": "total",
              "entity_conflict": "issuer", "count_rate": "rate", "rate_pair": "rate",
              "common_base": "rate", "percent_sum": "rate", "ratio_check": "rate"}


def claims_found(documents: list[dict]) -> None:
    """`check_document` on each document's clean paragraphs against the truth's claims: the
    inconsistent ones found (a finding of the claim's kind naming one of its figures, or of its
    kind anywhere in the document when the claim names none) and the findings no inconsistent
    claim accounts for (false alarms)."""
    caught, slips, alarms = 0, 0, []
    for document in documents:
        texts = [p["text"] for p in document["paragraphs"]]
        findings = check_document(texts)
        figures = {f["id"]: (f["para"], f["surface"]) for f in document["figures"]}
        used = set()
        for claim in document["claims"]:
            if claim["status"] != "inconsistent":
                continue
            slips += 1
            wanted = {figures[i] for i in claim["figures"]}
            match = next((n for n, f in enumerate(findings) if f.kind == CLAIM_KIND.get(claim["type"])
                          and (any((f.paragraph - 1, q.surface) in wanted for q in f.figures)
                               or not f.figures or claim["type"] == "conflict" and not wanted)), None)
            if match is None:
                print(f"  missed {document['doc_id']} {claim['id']} {claim['type']}: {claim['statement'][:70]}")
                continue
            caught += 1
            used.add(match)
            print(f"  found  {document['doc_id']} {claim['id']} {claim['type']}: {findings[match].message[:70]}")
        alarms += [f"{document['doc_id']} ¶{f.paragraph} {f.kind}: {f.message}"
                   for n, f in enumerate(findings) if n not in used]
    print(f"claims: {caught} of {slips} inconsistent claims found, {len(alarms)} false alarms")
    print("\n".join(f"  false alarm {line}" for line in alarms))


def same(found, expected) -> bool:
    if isinstance(found, (int, float)) and isinstance(expected, (int, float)):
        return abs(found - expected) <= 1e-9 * max(1, abs(expected))
    return str(found) == str(expected)


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_TRUTH
    documents = truth_documents(folder)
    tally = {"all": [0, 0, 0], "arabic": [0, 0, 0]}     # found, expected, stated
    agree = {"value": 0, "unit": 0, "qualifier": 0, "kind": 0}
    misses, extras, disagreements = [], [], []
    paragraphs = [p["text"] for d in documents for p in d["paragraphs"]]
    for document in documents:
        placed = placed_figures(document)
        for paragraph in document["paragraphs"]:
            stated = {(q.start, q.surface): q for q in find_quantities(paragraph["text"])}
            matched_keys = set()
            for start, figure in placed.get(paragraph["i"], []):
                key = matching(figure, start, stated)
                arabic = figure["numeral"] == "arabic"
                for name in ("all", "arabic") if arabic else ("all",):
                    tally[name][1] += 1
                    tally[name][0] += key is not None
                if key is None:
                    misses.append(f"{document['doc_id']} ¶{paragraph['i']} {figure['surface']!r}"
                                  f" … {figure['clause'][:40]}")
                    continue
                matched_keys.add(key)
                quantity = stated[key]
                for field in agree:
                    if same(getattr(quantity, field), figure[field]):
                        agree[field] += 1
                    else:
                        disagreements.append(f"{figure['surface']!r} {field}: "
                                             f"{getattr(quantity, field)!r} (truth {figure[field]!r})")
            for key, quantity in stated.items():
                arabic = bool(re.search("[0-9０-９]", quantity.surface))
                for name in ("all", "arabic") if arabic else ("all",):
                    tally[name][2] += 1
                if key not in matched_keys:
                    extras.append(f"{document['doc_id']} ¶{paragraph['i']} {quantity.surface!r} "
                                  f"({quantity.kind})")
    for name, (found, expected, stated) in tally.items():
        print(f"figures ({name}): recall {found / expected:.3f} ({found}/{expected}), "
              f"precision {found / stated:.3f} ({found}/{stated})")
    matched = tally["all"][0]
    print("agreement on found figures: " + ", ".join(f"{field} {count / matched:.3f}"
                                                     for field, count in agree.items()))
    for title, lines in (("missed", misses), ("extra", extras), ("disagreeing", disagreements)):
        print(f"\n{title} ({len(lines)}):")
        print("\n".join(f"  {line}" for line in lines))

    print("\nclaims (check --text):")
    claims_found(documents)

    started = time.perf_counter()
    for _ in range(ROUNDS):
        for text in paragraphs:
            find_quantities(text)
    finder = (time.perf_counter() - started) / ROUNDS
    digits = re.compile(r"[0-9]+")
    started = time.perf_counter()
    for _ in range(ROUNDS):
        for text in paragraphs:
            digits.findall(text)
    yardstick = (time.perf_counter() - started) / ROUNDS
    characters = sum(map(len, paragraphs))
    print(f"\ntime over {characters} characters: find_quantities {finder * 1000:.1f} ms, "
          f"yardstick (digit runs) {yardstick * 1000:.2f} ms, ratio {finder / yardstick:.0f}")


if __name__ == "__main__":
    main()
