"""Benchmark: how many figures of real documents Wenmi words exactly as the office wrote them.

Reads hand-checked figures (the development set ../shared/reference/truth/*.json, or the
truth files given; fields described in its README) and keeps the quantities written in
Arabic digits: counts, money, percentages, measures, durations, ages, ranges. For each it
asks whether a template expression gives the exact surface from the figure's value, unit
and qualifier — `{{ x }}`, `{{ x|多 }}`, `{{ x|万(4) }}`, `{{ x|范围(y, 样式="至") }}` … —
under one set of project wording rules per document. 近 is part of the wording ("近1500名");
达, 以上, 左右 stand outside it. An approximation's value is the middle of what its text
stands for (the reading of wenmi.wording): "1300多家" 1350, "20多万人次" 250000, "近1500名" 1450.

Three shares, each for the base revision (default main, checked out with `git worktree`
into a temporary folder) beside the working tree:
  defaults    the expressions without arguments, the default rules;
  + rules     the same expressions, each document with the project rules that suit it best;
  + arguments also per-figure arguments (位数, 量词, 样式, 单位两端).
Then the breakdown by kind and the figures the working tree cannot word, and two counts
from the texts that bear on two defaults: where 余/多 stand beside 万, and how many significant
digits written approximations keep.

Usage: python benchmarks/wording.py [--base REV] [truth.json ...]
"""

from __future__ import annotations

import itertools
import json
import re
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

from revisions import REPO, checked_out

TRUTH = REPO.parent / "shared" / "reference" / "truth"
QUANTITY_KINDS = ("count", "money", "money_range", "percent", "ratio", "measure", "duration",
                  "frequency", "age", "range")

ASCII_TILDE = "an ASCII ~, which Wenmi never writes (BRIEF §4): its ranges read 500～1000元"
# (expression, takes per-figure arguments); x is the figure, y the high end of a range
EXPRESSIONS = [(expression, False) for expression in (
    "{{ x }}", "{{ x|数值 }}", "{{ x|万元 }}", "{{ x|亿元 }}", "{{ x|元 }}", "{{ x|百分比 }}",
    "{{ x|余 }}", "{{ x|多 }}", "{{ x|近 }}", "{{ x|万 }}", "{{ x|亿 }}", "{{ x|范围(y) }}")]
EXPRESSIONS += [(f"{{{{ x|{kind}({digits}) }}}}", True) for kind in "余多近" for digits in range(1, 5)]
EXPRESSIONS += [(f"{{{{ x|{scale}({digits}{words}) }}}}", True) for scale in "万亿"
                for digits in range(5) for words in ("", ", 量词=''")]
EXPRESSIONS += [(f"{{{{ x|范围(y, 样式='{style}'{both}) }}}}", True) for style in "~—-～至"
                for both in ("", ", 单位两端=true")]
# the project rules tried for each document (wenmi.wording.WordingRules, the default first),
# each with the expressions it can change: the others are rendered once, with its default
RULE_CHOICES = {
    "approx_digits": ((2, 1, 3), re.compile(r"\|[余多近]")),
    "approx_before_wan": ((True, False), re.compile(r"\|[余多近]")),
    "range_style": (("～", "—", "-", "至"), re.compile(r"范围\(y\)")),
    "wan_from": ((None, 10_000, 100_000), re.compile(r"\{\{ x \}\}")),
}
RULE_SETS = list(itertools.product(*(values for values, _ in RULE_CHOICES.values())))


# ---------------------------------------------------------------- the figures

def quantity_figures(paths: list[Path]) -> list[dict]:
    """The Arabic-digit quantities of the truth files, each with the text Wenmi must give
    (`target`) and the value it words (`real`)."""
    from wenmi.wording import read_wording   # the working tree's reading, for every version

    cases = []
    for path in paths:
        truth = json.loads(path.read_text(encoding="utf-8"))
        for document in truth["documents"]:
            for figure in document["figures"]:
                value = figure.get("value")
                if figure["kind"] not in QUANTITY_KINDS or figure.get("numeral") != "arabic" \
                        or not isinstance(value, (int, float)):
                    continue
                qualifier = figure.get("qualifier")
                target = ("近" if qualifier == "近" else "") + figure["surface"]
                real, kept = value, None
                if qualifier in ("余", "多", "近") and "value_max" not in figure:
                    try:
                        reading = read_wording(target)
                    except ValueError:
                        reading = None
                    if reading is not None and reading.qualifier == qualifier:
                        half = reading.step / 2
                        real = float(reading.value - half if qualifier == "近" else reading.value + half)
                        kept = len(reading.value.normalize().as_tuple().digits) \
                            if reading.value >= 100 else None
                cases.append({"document": document["doc_id"], "id": figure["id"],
                              "kind": figure["kind"], "target": target, "real": real,
                              "high": figure.get("value_max"), "unit": figure.get("unit") or "",
                              "digits": _decimals(value, figure.get("unit")), "kept": kept,
                              "note": figure.get("note", "")})
    return cases


def _decimals(value: float, unit: str | None) -> int:
    """The digits a metric would declare: 2 for money, else as many as the value shows."""
    if unit == "元":
        return 2
    text = repr(float(value))
    return 0 if text.endswith(".0") else len(text.split(".")[1])


# ---------------------------------------------------------------- one version's wordings

def word_all(cases: list[dict]) -> list[list[tuple[int, int]]]:
    """In a child process with one version's `wenmi` importable: for each case, the
    (rules index, expression index) pairs that give its target exactly."""
    import dataclasses

    Figure, Provenance = _found("Figure", "wenmi.figures"), _found("Provenance", "wenmi.figures")
    Project = _found("Project", "wenmi.reading.specs", "wenmi.project")
    environment = _found("environment", "wenmi.composing.render", "wenmi.render")
    unmarked = _found("unmarked", "wenmi.figures", "wenmi.render")
    try:
        from wenmi.wording import WordingRules
    except ImportError:            # a version without project wording rules: its defaults only
        rule_sets, default = [None], None
    else:
        rule_sets = [WordingRules(**dict(zip(RULE_CHOICES, choice))) for choice in RULE_SETS]
        default = WordingRules()
    provenance = Provenance("", "", ())
    figures = [(Figure("x", "x", case["real"], case["unit"], case["digits"], provenance),
                Figure("y", "y", case["high"], case["unit"], case["digits"], provenance)
                if case["high"] is not None else None) for case in cases]
    matches: list[list[tuple[int, int]]] = [[] for _ in cases]
    environments: dict = {}
    with tempfile.TemporaryDirectory() as folder:
        def texts(rules, expression: str) -> list[str | None]:
            if rules not in environments:
                extra = {} if rules is None else {"wording": rules}
                environments[rules] = environment(Project(root=Path(folder), organization="",
                                                          year=2024, **extra))
            try:
                template = environments[rules].from_string(expression)
            except Exception:  # noqa: BLE001 — a filter or argument this version lacks
                return [None] * len(cases)
            return [_rendered(template, unmarked, x, y) if ("范围" in expression) == (y is not None)
                    else None for x, y in figures]

        for expression_index, (expression, _) in enumerate(EXPRESSIONS):
            untouched = {name: getattr(default, name) for name, (_, touches) in RULE_CHOICES.items()
                         if default is not None and not touches.search(expression)}
            outputs: dict = {}
            for rules_index, rules in enumerate(rule_sets):
                rules = rules and dataclasses.replace(rules, **untouched)
                if rules not in outputs:
                    outputs[rules] = texts(rules, expression)
                for number, text in enumerate(outputs[rules]):
                    if text == cases[number]["target"]:
                        matches[number].append((rules_index, expression_index))
    return matches


def _found(name: str, *modules: str):
    """`name` from the first of `modules` that has it (the package's layout changes)."""
    import importlib
    for module in modules:
        try:
            return getattr(importlib.import_module(module), name)
        except (ImportError, AttributeError):
            continue
    raise ImportError(f"{name} not found in {', '.join(modules)}")


def _rendered(template, unmarked, x, y) -> str | None:
    try:
        return unmarked(template.render(x=x, y=y))
    except Exception:  # noqa: BLE001 — not a wording this figure can take
        return None


def run_version(code: Path, cases: list[dict], folder: Path) -> list[list[tuple[int, int]]]:
    """`word_all` in a child process that imports `wenmi` from the package folder `code`."""
    importable = folder / f"import-{len(list(folder.iterdir()))}"
    importable.mkdir()
    (importable / "wenmi").symlink_to(code, target_is_directory=True)
    child = subprocess.run([sys.executable, __file__, "--child", str(importable)],
                           input=json.dumps(cases), capture_output=True, text=True)
    if child.returncode:
        raise SystemExit(f"the child for {code} failed:\n{child.stderr}")
    return [[tuple(pair) for pair in found] for found in json.loads(child.stdout)]


# ---------------------------------------------------------------- measuring

def worded(cases: list[dict], matches, with_rules: bool, with_arguments: bool
           ) -> tuple[list[bool], dict[str, int]]:
    """Which cases some expression words exactly: the default rules (index 0) or each
    document's best rules, with or without per-figure arguments; and the rules chosen."""
    usable = [[(rules, expression) for rules, expression in found
               if (with_arguments or not EXPRESSIONS[expression][1]) and (with_rules or rules == 0)]
              for found in matches]
    by_document: dict[str, list[int]] = defaultdict(list)
    for number, case in enumerate(cases):
        by_document[case["document"]].append(number)
    result, chosen = [False] * len(cases), {}
    for document, numbers in by_document.items():
        score = Counter(rules for number in numbers for rules in {r for r, _ in usable[number]})
        chosen[document] = min(score, key=lambda rules: (-score[rules], rules)) if score else 0
        for number in numbers:
            result[number] = any(rules == chosen[document] for rules, _ in usable[number])
    return result, chosen


def share(flags: list[bool]) -> str:
    return f"{sum(flags)}/{len(flags)} ({100 * sum(flags) / len(flags):.1f}%)" if flags else "0/0"


def report(cases: list[dict], versions: dict[str, list]) -> None:
    names = list(versions)
    print(f"{len(cases)} quantity figures in Arabic digits, "
          f"{len({case['document'] for case in cases})} documents")
    print(f"{'':>14}" + "".join(f"{name:>26}" for name in names))
    table, chosen = {}, {}
    for name, matches in versions.items():
        table[name] = {}
        for label, rules, arguments in (("defaults", False, False), ("+ rules", True, False),
                                        ("+ arguments", True, True)):
            table[name][label], chosen[name, label] = worded(cases, matches, rules, arguments)
    for label in ("defaults", "+ rules", "+ arguments"):
        print(f"{label:>14}" + "".join(f"{share(table[name][label]):>26}" for name in names))
    print("\nby kind (+ arguments):")
    for kind in sorted({case["kind"] for case in cases}):
        numbers = [n for n, case in enumerate(cases) if case["kind"] == kind]
        print(f"{kind:>14}" + "".join(
            f"{share([table[name]['+ arguments'][n] for n in numbers]):>26}" for name in names))
    last = names[-1]
    print(f"\nrules the {last} chose per document (+ rules), where not the defaults:")
    for document, index in chosen[last, "+ rules"].items():
        if index:
            changed = {name: value for name, value, default in
                       zip(RULE_CHOICES, RULE_SETS[index], RULE_SETS[0]) if value != default}
            print(f"  {document}: {changed}")
    print(f"\nnot worded by the {last} (+ arguments):")
    for number, case in enumerate(cases):
        if not table[last]["+ arguments"][number]:
            print(f"  {case['id']:>9} {case['kind']:<12} {case['target']}  from {case['real']:g} "
                  f"{case['unit'] or '—'}  {case['note'] or ASCII_TILDE * ('~' in case['target'])}")
    print(f"not worded by the {last} with the defaults: " + "、".join(
        case["target"] for n, case in enumerate(cases) if not table[last]["defaults"][n]))
    newly = [case["target"] for n, case in enumerate(cases)
             if table[last]["+ arguments"][n] and not table[names[0]]["+ arguments"][n]]
    lost = [case["target"] for n, case in enumerate(cases)
            if table[names[0]]["+ arguments"][n] and not table[last]["+ arguments"][n]]
    print(f"worded now and not at {names[0]}: {'、'.join(newly) or '—'}")
    print(f"worded at {names[0]} and not now: {'、'.join(lost) or '—'}")
    habits(cases)


def habits(cases: list[dict]) -> None:
    """What the texts say about two rules' defaults: where 余/多 stand beside 万, and how many
    significant digits approximations keep (10多 could keep no more than one)."""
    approximations = [case["target"] for case in cases if re.search(r"[余多]", case["target"])
                      and case["high"] is None]
    before = [text for text in approximations if re.search(r"[0-9][余多][万亿]", text)]
    after = [text for text in approximations if re.search(r"[万亿][余多]", text)]
    round_after = [text for text in after if re.search(r"0[万亿][余多]", text)]
    print(f"\n余/多 beside 万: before 万 {len(before)} ({'、'.join(before) or '—'}), "
          f"after 万 {len(after)} ({'、'.join(after) or '—'}); a 万 count ending in 0 "
          f"followed by 万余/万多: {len(round_after)} ({'、'.join(round_after) or '—'})")
    kept = Counter(case["kept"] for case in cases if case["kept"] is not None)
    print("significant digits kept by the approximations from 100 up: "
          + ", ".join(f"{digits}: {count}" for digits, count in sorted(kept.items())))


def main() -> None:
    args = sys.argv[1:]
    if args[:1] == ["--child"]:
        sys.path.insert(0, args[1])
        # the editable install would hand out the working tree's modules that this version lacks
        sys.meta_path[:] = [finder for finder in sys.meta_path
                            if "__editable__" not in getattr(finder, "__module__", "")]
        json.dump(word_all(json.load(sys.stdin)), sys.stdout)
        return
    base = args[args.index("--base") + 1] if "--base" in args else "main"
    paths = [Path(arg) for arg in args if arg.endswith(".json")] or sorted(TRUTH.glob("*.json"))
    if not paths:
        raise SystemExit(f"没有找到标注文件（{TRUTH}/*.json），请在命令行给出")
    cases = quantity_figures(paths)
    with tempfile.TemporaryDirectory(prefix="wenmi-wording-") as folder:
        folder = Path(folder)
        with checked_out(base, folder) as older:
            versions = {base: run_version(older / "pipeline", cases, folder),
                        "working tree": run_version(REPO / "pipeline", cases, folder)}
    report(cases, versions)


if __name__ == "__main__":
    main()
