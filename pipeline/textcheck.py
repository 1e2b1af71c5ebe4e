"""`wenmi check --text FILE`: contradictions inside any finished document, made by Wenmi or not.

Three readings of the text, each a warning that quotes the sentence:
- a rate that its own paragraph's counts do not give ("53家……42家……签订率为80%": 42/53 is
  79.2%), judged only when some pair of counts in the same unit comes close to it;
- parts that do not add up to the total they belong to ("共120户，其中困难职工80户、农民工50户");
- a year in the title that the body never mentions while it mentions other years.
"""

from __future__ import annotations

import re
import sys
from itertools import permutations
from pathlib import Path

import docx

from .errors import WenmiError
from .numbers import format_number, parse_number
from .problems import Problem, Problems, grouped
from .typography import WORD_JOINER

UNITS = "人次|家|个|人|名|户|件|项|期|次|所|场|元"
COUNT = re.compile(rf"(?P<number>[0-9０-９][0-9０-９,，.]*)(?P<scale>万|亿)?(?P<unit>{UNITS})")
RATE = re.compile(r"(?P<context>[^，。；：,;]{0,12}?)(?P<number>[0-9０-９]+(?:\.[0-9]+)?)[%％]")
RATE_WORDS = ("率", "占", "比例", "比重")
TOTAL = re.compile(rf"(?:共|合计|总计|累计)[^，。；,;]{{0,12}}?(?P<total>{COUNT.pattern})"
                   r"[^。；;]{0,20}?(?P<kind>其中|分别为|分别是)(?P<parts>[^。；;]*)")
YEAR = re.compile(r"((?:19|20)[0-9]{2})年")
NEAR = 5.0   # percentage points: farther than this, the rate is about something the text omits


def read_document(path: Path) -> tuple[str, list[str]]:
    """The title and the body paragraphs of a .docx, .txt or .md file."""
    shown = path.as_posix()
    if not path.is_file():
        raise WenmiError("找不到文件", file=shown)
    suffix = path.suffix.lower()
    if suffix == ".docx":
        try:
            paragraphs = [p.text.replace(WORD_JOINER, "").strip() for p in docx.Document(str(path)).paragraphs]
        except Exception:  # a damaged file fails in zipfile or lxml, many ways
            raise WenmiError("无法打开这个 Word 文件：文件已损坏，或不是 .docx 格式", file=shown) from None
    elif suffix in (".txt", ".md"):
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            text = path.read_bytes().decode("gb18030", errors="replace")
        paragraphs = [re.sub(r"^#+\s*", "", line).strip() for line in text.splitlines()]
    else:
        raise WenmiError(f"不支持的文件类型“{suffix}”，可检查 .docx、.txt、.md", file=shown)
    paragraphs = [p for p in paragraphs if p and p != "---"]
    if not paragraphs:
        raise WenmiError("文件中没有文字", file=shown)
    return paragraphs[0], paragraphs[1:]


def _number(match: re.Match) -> float:
    return parse_number(match.group("number").rstrip(".，,") + (match.group("scale") or ""))


def _sentence(paragraph: str, position: int) -> str:
    start = max(paragraph.rfind(mark, 0, position) for mark in "。！？；") + 1
    ends = [i for i in (paragraph.find(mark, position) for mark in "。！？；") if i >= 0]
    return paragraph[start:min(ends) + 1 if ends else len(paragraph)].strip()


def check_rates(paragraph: str) -> list[str]:
    """Rates in the paragraph that no pair of its counts gives, though a pair comes close."""
    counts: dict[str, list[float]] = {}
    for match in COUNT.finditer(paragraph):
        counts.setdefault(match.group("unit"), []).append(_number(match))
    pairs = [(part, whole, part / whole * 100) for values in counts.values()
             for part, whole in permutations(values, 2) if 0 < part <= whole]
    found = []
    for match in RATE.finditer(paragraph):
        if not any(word in match.group("context") for word in RATE_WORDS):
            continue
        stated = float(match.group("number"))
        decimals = len(match.group("number").partition(".")[2])
        # rounded half-up as Wenmi prints rates (12.5 → 13), not Python's round (12.5 → 12)
        if not pairs or any(float(format_number(rate, decimals)) == stated for _, _, rate in pairs):
            continue
        part, whole, rate = min(pairs, key=lambda pair: abs(pair[2] - stated))
        if abs(rate - stated) <= NEAR:
            found.append(f"“{_sentence(paragraph, match.start('number'))}”：写的是{match.group('number')}%，"
                         f"但同段的 {part:g} ÷ {whole:g} = {rate:.{max(decimals, 1)}f}%")
    return found


def check_totals(paragraph: str) -> list[str]:
    """“共N…其中a、b” whose parts exceed N, and “共N…分别为a、b” whose parts differ from N."""
    found = []
    for match in TOTAL.finditer(paragraph):
        total_match = COUNT.match(match.group("total"))
        unit = total_match.group("unit")
        parts = [_number(part) for part in COUNT.finditer(match.group("parts"))
                 if part.group("unit") == unit]
        if len(parts) < 2:
            continue
        total, summed = _number(total_match), sum(parts)
        exhaustive = match.group("kind") != "其中"
        if summed > total + 1e-9 or exhaustive and abs(summed - total) > 1e-9:
            found.append(f"“{_sentence(paragraph, match.start('total'))}”：各部分相加为{summed:g}{unit}，"
                         f"与总数{total:g}{unit}不符")
    return found


def check_years(title: str, paragraphs: list[str]) -> list[tuple[int, str]]:
    """(paragraph number, message) when the title's year appears nowhere in the body."""
    title_years = set(YEAR.findall(title))
    years = [set(YEAR.findall(paragraph)) for paragraph in paragraphs]
    if not title_years or any(title_years & found for found in years):
        return []
    for index, (paragraph, found) in enumerate(zip(paragraphs, years), start=2):
        if found:
            position = YEAR.search(paragraph).start()
            return [(index, f"标题中的年份（{'、'.join(sorted(title_years))}年）在正文中没有出现，"
                            f"正文写的是“{_sentence(paragraph, position)}”")]
    return []


def check_text(path: Path) -> list[Problem]:
    """Every contradiction found in the document at `path`, as warnings."""
    title, paragraphs = read_document(path)
    problems = Problems()
    shown = path.as_posix()
    for index, message in check_years(title, paragraphs):
        problems.warn(message, shown, f"第{index}段")
    for index, paragraph in enumerate(paragraphs, start=2):   # the title is paragraph 1
        for message in check_rates(paragraph) + check_totals(paragraph):
            problems.warn(message, shown, f"第{index}段")
    return problems.items


def check_text_command(path: Path, strict: bool) -> int:
    """What `wenmi check --text` prints and returns: 0, or 2 for warnings under --strict."""
    found = check_text(path)
    if not found:
        print(f"未发现矛盾：{path.as_posix()} 中的比率、合计和年份前后一致。")
        return 0
    print(grouped(found), file=sys.stderr)
    print(f"共 {len(found)} 个警告。")
    return 2 if strict else 0
