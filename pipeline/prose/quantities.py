"""Every quantity a Chinese sentence states, as offices write them: "32.38万元", "280余人次",
"20多万人次", "近1500名", "1:0.5", "500元~1000元", "2013年12月9日", "陕工发〔2011〕11号", and in
Chinese numerals where they count something ("四项措施", "一个多小时", "万名职工").

The conventions are those of the hand-checked reading of real documents in
shared/reference/truth/ (its README): the surface is the number, an internal 余/多, 万/亿 and the
measure word; the words around it (近, 约, 达, 以上, 左右 …) are its qualifier, not its surface;
万 is multiplied out, a percentage is 0–100, a date an ISO-like string ("XXXX-05" when the year
is not written), an identifier or document number the string itself.

Every run of Arabic digits is either part of one quantity or a list marker ("1、", "(2)");
Chinese numerals count only before a measure word and outside quotation marks (a quoted
"“四大建设”" or "“五个万”" names a slogan, it does not count).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

__all__ = ["Quantity", "find_quantities", "hanzi_number"]


@dataclass(frozen=True)
class Quantity:
    """One quantity as the text states it."""
    surface: str                    # text[start:end]: number, internal 余/多, 万/亿, measure word
    start: int
    end: int
    value: float | int | str | None  # base units (32.38万元 → 323800); dates "2013-12-09"/"XXXX-05"
    unit: str | None                # simplified measure word: 元, 人, 人次, %, 户, ratio …; None for dates
    qualifier: str | None           # 余/多/近/约/以上/左右/不等/内/仅/超 …, else 达, else None
    kind: str                       # count, money, percent, ratio, measure, duration, age, range,
    #                                 money_range, date, date_range, ordinal, identifier, doc_number
    value_max: float | int | str | None = None   # the upper end of a range ("1-2期" → 2)
    total_marker: str | None = None  # 共/共计/合计/总计/累计 opening the same comma clause


# One character for one character, so offsets into the matched copy are offsets into the text:
# full-width digits and signs, traditional measure words and qualifiers.
_SAME_LENGTH = str.maketrans(
    "０１２３４５６７８９％：∶．，；～－–［］（）〇○萬億個項張輛場屆歲戶餘幾兩達約僅噸畝臺條類種間處筆隊組級週時鐘計總來內數課學點倍",
    "0123456789%::.,;~--[]()〇〇万亿个项张辆场届岁户余几两达约仅吨亩台条类种间处笔队组级周时钟计总来内数课学点倍")

_NUMBER = r"(?:[0-9]{1,3}(?:,[0-9]{3})+(?![0-9])|[0-9]+)(?:\.[0-9]+)?"
_SCALES = {"千万": 10_000_000, "百万": 1_000_000, "万": 10_000, "亿": 100_000_000, "千": 1_000}
_SCALE = "|".join(_SCALES)

# Measure words by kind, as offices write them after a number. Longer words are tried first.
_UNITS = {
    "money": ["元"],
    "measure": ["平方公里", "平方米", "立方米", "公里", "千米", "公顷", "千瓦时", "千瓦", "千克",
                "公斤", "米", "亩", "吨", "斤"],
    "duration": ["个工作日", "工作日", "个小时", "小时", "分钟", "个月", "个星期", "星期", "周年",
                 "周", "天", "年", "学时", "课时"],
    "age": ["周岁", "岁"],
    "percent": ["个百分点"],
    "ratio": ["倍"],
    "count": ["人(次)", "人（次）", "人次", "户次", "家次", "件次", "场次", "批次", "项次", "份册",
              "个", "人", "名", "户", "家", "项", "件", "次", "场", "期", "所", "份", "册", "本",
              "张", "套", "节", "辆", "支", "起", "条", "篇", "台", "座", "处", "间", "位", "批",
              "类", "种", "届", "部", "笔", "宗", "趟", "轮", "班", "队", "组", "村", "校", "块",
              "株", "棵", "头", "只", "箱", "袋", "瓶", "首", "幅", "例", "栋", "幢", "层", "门",
              "对", "封", "台次", "架次"],
}
_UNIT_KIND = {unit: kind for kind, units in _UNITS.items() for unit in units}
_UNIT = "|".join(re.escape(u) for u in sorted(_UNIT_KIND, key=len, reverse=True))
# The unit as the truth writes it: without the 个 of "个月", "人(次)" read as 人次.
_UNIT_NAME = {"个工作日": "工作日", "个小时": "小时", "个月": "月", "个星期": "星期",
              "人(次)": "人次", "人（次）": "人次", "周岁": "岁"}

_HANZI_DIGIT = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
                "七": 7, "八": 8, "九": 9}
_HANZI_POWER = {"十": 10, "百": 100, "千": 1000}
_HANZI = "[一二两三四五六七八九十百千万]"
_HANZI_MANY = "(?:[二两三四五六七八九]|[二三四五六七八九]?十[一二三四五六七八九几]?|[一二三四五六七八九]?[百千万])"
_YEAR = "(?:19|20)[0-9]{2}"
_MONTH = "(?:1[0-2]|0?[1-9])"
_DAY = "(?:3[01]|[12][0-9]|0?[1-9])"
_DASH = r"\s*(?:[-~—]|至)\s*"

_PATTERNS = [
    # list markers first: "1、", "2." opening a sentence ("2.12351热线…" too), "(3)" anywhere.
    ("marker", r"(?:^|(?<=[。；;:！？!?\s]))[0-9]{1,2}\s*[、.](?![0-9]{1,3}(?![0-9]))|\([0-9]{1,2}\)"),
    ("doc_number", r"[\u4e00-\u9fff]{1,6}[〔\[【(][0-9]{4}[〕\]】)]第?[0-9]+号"),
    ("phone", r"0[0-9]{2,3}-[0-9]{7,8}(?![0-9])"),
    ("year_range", rf"(?P<y1>{_YEAR})年?{_DASH}(?P<y2>{_YEAR})年"),
    ("date_span", rf"(?:(?P<sy>{_YEAR})年)?(?P<sm>{_MONTH})月(?P<sd>{_DAY})日{_DASH}"
                  rf"(?:(?:(?P<ey>{_YEAR})年)?(?P<em_>{_MONTH})月)?(?P<ed_>{_DAY})日|"
                  rf"(?P<ty>{_YEAR})年(?P<tm>{_MONTH})月{_DASH}(?:(?P<ty2>{_YEAR})年)?(?P<tm2>{_MONTH})月"),
    ("month_range", rf"(?P<m1>{_MONTH})(?P<of1>月份?)?{_DASH}(?P<m2>{_MONTH})月份?(?![0-9])"),
    ("date", rf"(?P<y>{_YEAR})年(?P<m>{_MONTH})月(?:(?P<d>{_DAY})日)?|"
             rf"(?P<y_>{_YEAR})[-/.](?P<m_>{_MONTH})[-/.](?P<d_>{_DAY})(?![0-9])|"
             rf"(?P<ym>{_MONTH})月(?:(?P<dm>{_DAY})日|份)?(?![0-9])|"
             rf"(?P<yo>{_YEAR})年"),
    ("hanzi_date", "(?P<hy>[〇一二三四五六七八九]{4})年(?:(?P<hm>十[一二]?|[一二三四五六七八九])月"
                   "(?:(?P<hd>[二三]?十[一二三四五六七八九]?|[一二三四五六七八九])日)?)?"),
    ("quarter", r"(?:第)?(?P<q>[一二三四1-4])季度"),
    ("event_date", rf"(?P<em>{_MONTH})[·•・](?P<ed>{_DAY})(?![0-9])"),
    ("ratio", rf"(?P<a>{_NUMBER}):(?P<b>{_NUMBER})"),
    ("percent_range", rf"(?P<p1>{_NUMBER})%?{_DASH}(?P<p2>{_NUMBER})%"),
    ("percent", rf"(?P<p>{_NUMBER})(?:%|(?P<pa>余|多)?个百分点)"),
    ("hanzi_percent", r"百分之(?P<hp>[0-9]+(?:\.[0-9]+)?|[一二三四五六七八九十百]+)"),
    ("ordinal", rf"第(?P<o>{_NUMBER})(?P<ou>{_UNIT})?"),
    ("range", rf"(?P<r1>{_NUMBER})(?P<rs1>{_SCALE})?(?P<ru1>{_UNIT})?{_DASH}"
              rf"(?P<r2>{_NUMBER})(?P<rs2>{_SCALE})?(?P<ru2>{_UNIT})"),
    ("odd_hours", rf"(?P<h>{_NUMBER})个(?P<ha>多|半)(?P<hu>小时|月|星期|工作日)"),
    ("amount", rf"(?P<n>{_NUMBER})(?P<a1>余|多)?(?P<s>{_SCALE})?(?P<a2>余|多)?(?P<u>{_UNIT})?"),
    ("hanzi_time", rf"(?<!第)(?P<tn>一|{_HANZI_MANY})(?:个(?P<ta>多|半)?)?"
                   r"(?P<tu>小时|月|星期|周|天|年)(?P<tl>来)?"),
    ("hanzi_count", rf"(?<!第)(?P<cp>前|近|连续)?(?P<cn>十几|{_HANZI_MANY})"
                    r"(?P<cu>个|项|种|次|名|大|条|类|届|批|位|方面)"),
]
_SCAN = re.compile("|".join(f"(?P<{name}>{pattern})" for name, pattern in _PATTERNS))

# Words right before or after a quantity that qualify it, as the truth normalises them.
_BEFORE = [("将近", "近"), ("接近", "近"), ("近", "近"), ("大约", "约"), ("约", "约"),
           ("达到", "达"), ("高达", "达"), ("多达", "达"), ("达", "达"), ("超过", "超"),
           ("超", "超"), ("逾", "逾"), ("仅", "仅"), ("最多", "最多"), ("不低于", "不低于"),
           ("不少于", "不少于"), ("不足", "不足"), ("不到", "不到"), ("至少", "至少")]
_AFTER = [("以上", "以上"), ("左右", "左右"), ("不等", "不等"), ("以下", "以下"), ("以内", "以内"),
          ("上下", "上下")]
# A qualifier word that is the end of another word: 签约, 最近, 下达 …
_NOT_QUALIFYING = {"约": "签履节制公合预邀特相违集条", "近": "最附临亲贴靠就将接", "达": "到下发表传通送抵直高多",
                   "超": "高赶"}
_TOTAL = re.compile(r"共计|合计|总计|累计|一共|总共|(?<!公)共(?!享|建|同|产|青|识|赢|商|治|担|性|鸣|事|勉|渡|"
                    r"庆|度|创|进|筑|决|助|谋|融|处|存|振|生|济|和|用|通|有的)")
_CLAUSE_END = "，,；;。！？!?：:（(\n"
_QUOTES = {"“": "”", "‘": "’", "\"": "\"", "「": "」"}


def find_quantities(text: str) -> list[Quantity]:
    """Every quantity stated in `text`, in reading order."""
    matched = text.translate(_SAME_LENGTH)
    found = []
    for match in _SCAN.finditer(matched):
        quantity = _read(match, matched)
        if quantity is None:
            continue
        qualifiers = _qualifiers(matched, quantity)
        found.append(_with(quantity, text, qualifiers, _total_marker(matched, quantity.start, found)))
    return found


def hanzi_number(numeral: str) -> int:
    """A number in Chinese numerals: 十二 → 12, 二十 → 20, 两 → 2, 一百零五 → 105, 万 → 10000."""
    total, section, digit = 0, 0, None
    for char in numeral:
        if char in _HANZI_DIGIT:
            digit = _HANZI_DIGIT[char]
        elif char in _HANZI_POWER:
            section += (1 if digit is None else digit) * _HANZI_POWER[char]
            digit = None
        elif char == "万":
            total += (section + (digit or 0) or 1) * 10_000
            section, digit = 0, None
    return total + section + (digit or 0)


def _exact(digits: str, scale: str | None = None) -> int | float:
    """"32.38" with 万 → 323800: computed in Decimal, an int when it is whole."""
    number = Decimal(digits.replace(",", "")) * _SCALES.get(scale or "", 1)
    return int(number) if number == number.to_integral_value() else float(number)


def _date(year: str | None, month: str | None = None, day: str | None = None) -> str:
    parts = [year or "XXXX"] + [f"{int(p):02d}" for p in (month, day) if p]
    return "-".join(parts)


def _read(match: re.Match, text: str) -> _Draft | None:
    """The quantity one scanner match stands for (None for a list marker or a slogan)."""
    kind = match.lastgroup
    start, end = match.span()
    group = match.group
    if kind == "marker":
        return None
    if kind == "doc_number":
        start += _doc_number_prefix(group(0))
        return _Draft(start, end, None, None, "doc_number")
    if kind == "phone":
        return _Draft(start, end, None, None, "identifier")
    if kind == "year_range":
        return _Draft(start, end, int(group("y1")), None, "date_range", int(group("y2")))
    if kind == "date_span":
        if group("ty"):
            return _Draft(start, end, _date(group("ty"), group("tm")), None, "date_range",
                          _date(group("ty2") or group("ty"), group("tm2")))
        year, month = group("sy"), group("sm")
        return _Draft(start, end, _date(year, month, group("sd")), None, "date_range",
                      _date(group("ey") or year, group("em_") or month, group("ed_")))
    if kind == "month_range":
        return _Draft(start, end, _date(None, group("m1")), None, "date_range", _date(None, group("m2")))
    if kind == "date":
        if group("y"):
            return _Draft(start, end, _date(group("y"), group("m"), group("d")), None, "date")
        if group("y_"):
            return _Draft(start, end, _date(group("y_"), group("m_"), group("d_")), None, "date")
        if group("ym"):
            return _Draft(start, end, _date(None, group("ym"), group("dm")), None, "date")
        return _Draft(start, end, int(group("yo")), None, "date")
    if kind == "hanzi_date":
        year = "".join(str(_HANZI_DIGIT[c]) for c in group("hy"))
        month, day = (str(hanzi_number(group(g))) if group(g) else None for g in ("hm", "hd"))
        return _Draft(start, end, _date(year, month, day) if month else int(year), None, "date")
    if kind == "quarter":
        quarter = group("q")
        return _Draft(start, end, f"XXXX-Q{_HANZI_DIGIT.get(quarter, quarter)}", None, "date")
    if kind == "event_date":
        return _Draft(start, end, _date(None, group("em"), group("ed")), None, "date")
    if kind == "ratio":
        first, second = _exact(group("a")), _exact(group("b"))
        return _Draft(start, end, second / first if first else None, "ratio", "ratio")
    if kind == "percent_range":
        return _Draft(start, end, _exact(group("p1")), "%", "range", _exact(group("p2")))
    if kind == "percent":
        unit = "%" if group(0).endswith("%") else "个百分点"
        return _Draft(start, end, _exact(group("p")), unit, "percent", internal=group("pa"))
    if kind == "hanzi_percent":
        number = group("hp")
        value = _exact(number) if number[0].isdigit() else hanzi_number(number)
        return _Draft(start, end, value, "%", "percent")
    if kind == "ordinal":
        unit = group("ou")
        return _Draft(start, end, _exact(group("o")), _UNIT_NAME.get(unit, unit), "ordinal")
    if kind == "range":
        return _range(match, text)
    if kind == "odd_hours":
        half = group("ha") == "半"
        value = _exact(group("h")) + (0.5 if half else 0)
        return _Draft(start, end, value, group("hu"), "duration", internal=None if half else "多")
    if kind == "amount":
        return _amount(match, text)
    if _quoted(text, start, end) or _named(text, start, end):
        return None
    if kind == "hanzi_time":
        numeral, unit = group("tn"), group("tu")
        if numeral == "一" and unit in ("天", "星期") or numeral == "一" and unit == "年" and not group("tl"):
            return None      # 一天天, 一年一度: words, not durations
        internal = "多" if group("ta") == "多" else None
        value = hanzi_number(numeral) + (0.5 if group("ta") == "半" else 0)
        return _Draft(start, end, value, unit, "duration", internal=internal)
    numeral, unit = group("cn"), group("cu")
    value = hanzi_number(numeral.removesuffix("几"))
    if unit == "届" and not group("cp") or unit == "大" and 10 < value <= 20:
        return None         # 十八届三中全会, 党的十八大: names, not counts
    if group("cp") and unit != "届":
        start += len(group("cp"))          # 近 and 连续 qualify; 前七届 is the truth's surface
    return _Draft(start, end, value, None if unit == "大" else unit, "count",
                  internal="多" if numeral.endswith("几") else None)


@dataclass
class _Draft:
    """A quantity before the words around it are read."""
    start: int
    end: int
    value: float | int | str | None
    unit: str | None
    kind: str
    value_max: float | int | str | None = None
    internal: str | None = None        # 余/多 inside the surface


def _doc_number_prefix(found: str) -> int:
    """How many leading characters of a matched document number are not its issuer's code:
    "意见和陕工发〔2011〕11号" starts at 陕."""
    code = found[:next(i for i, c in enumerate(found) if not "\u4e00" <= c <= "\u9fff")]
    return max((code.rfind(word) + len(word) for word in ("和", "及", "与", "的", "按照", "根据",
                                                          "依据", "印发", "即", "见") if word in code),
               default=0)


def _range(match: re.Match, text: str) -> _Draft | None:
    group = match.group
    first_unit, unit = group("ru1"), group("ru2")
    if first_unit and first_unit != unit:
        return None
    low, high = _exact(group("r1"), group("rs1") or group("rs2")), _exact(group("r2"), group("rs2"))
    kind = "money_range" if unit == "元" else "range"
    return _Draft(match.start(), match.end(), low, _UNIT_NAME.get(unit, unit), kind, high)


def _amount(match: re.Match, text: str) -> _Draft:
    """A number with its 余/多, 万/亿 and measure word; without a measure word, a year (2011全省),
    an identifier (the 12351 hotline) or a bare count."""
    group = match.group
    start, end = match.span()
    digits, scale, unit = group("n"), group("s"), group("u")
    internal = group("a1") or group("a2")
    if unit is None:
        if not scale and not internal and re.fullmatch(_YEAR, digits) and text[end:end + 1] != "%":
            return _Draft(start, end, int(digits), None, "date")
        if not scale and not internal and _identifier(text, start, end):
            return _Draft(start, end, None, None, "identifier")
        return _Draft(start, end, _exact(digits, scale), _implied_unit(text, start), "count",
                      internal=internal)
    if unit == "年" and text[end:end + 1] == "来":
        end += 1
    elif text[end:end + 1] == "余" and not internal and text[end + 1:end + 2] not in "额下款量粮地生留数":
        end, internal = end + 1, "余"               # "30名余孤儿": 余 after the measure word
    return _Draft(start, end, _exact(digits, scale), _UNIT_NAME.get(unit, unit), _UNIT_KIND[unit],
                  internal=internal)


def _identifier(text: str, start: int, end: int) -> bool:
    """Whether a bare number of five or more digits is a number to dial or quote, not a count:
    in quotation marks ("“12351”维权热线"), or beside 热线/电话/编号 …"""
    if not re.fullmatch("[0-9]{5,}", text[start:end]):
        return False
    near = text[max(0, start - 6):start] + "|" + text[end:end + 4]
    return _quoted(text, start, end) or re.search("热线|电话|专线|号码|编号|邮编|代码|QQ|微信|信箱", near) is not None


def _implied_unit(text: str, start: int) -> str | None:
    """The measure word a bare number takes from its clause: "外出务工人数达到25万" counts 人."""
    clause = text[_clause_start(text, start):start]
    found = re.search(r"([人户家名件次])数", clause)
    return found.group(1) if found else None


def _clause_start(text: str, position: int) -> int:
    return max(text.rfind(mark, 0, position) for mark in _CLAUSE_END) + 1


def _quoted(text: str, start: int, end: int) -> bool:
    """Whether the span sits inside quotation marks that close within the same sentence."""
    for opening, closing in _QUOTES.items():
        before = text.rfind(opening, 0, start)
        if before < 0 or (opening != closing and text.rfind(closing, before, start) >= 0):
            continue
        after = text.find(closing, end)
        if after >= 0 and "。" not in text[before:after]:
            if opening != closing or text.count(opening, 0, before) % 2 == 0:
                return True
    return False


def _named(text: str, start: int, end: int) -> bool:
    """Whether Chinese numerals name something rather than count: followed at once by another
    numeral (千家万户, 三会一课), naming a plan (三年行动计划), or inside a title (《七月草原》)."""
    if re.match(_HANZI, text[end:end + 1]) or re.match("(?:行动)?(?:计划|规划|纲要)", text[end:end + 4]):
        return True
    return text.rfind("《", 0, start) > text.rfind("》", 0, start)


def _qualifiers(text: str, draft: _Draft) -> list[str]:
    """Qualifiers in reading order: the word before, 余/多 inside, the word after."""
    found = []
    for word, name in _BEFORE:
        at = draft.start - len(word)
        if at >= 0 and text.startswith(word, at):
            if text[at - 1:at] and text[at - 1] in _NOT_QUALIFYING.get(word, ""):
                continue
            found.append(name)
            break
    if draft.internal:
        found.append(draft.internal)
    for word, name in _AFTER:
        if text.startswith(word, draft.end):
            found.append(name)
            break
    else:
        if draft.kind == "duration" and text.startswith("内", draft.end):
            found.append("内")
    return found


def _total_marker(text: str, start: int, earlier: list[Quantity]) -> str | None:
    """共/共计/合计/总计/累计 when it opens the clause of this quantity and no earlier quantity of
    the clause took it."""
    clause = _clause_start(text, start)
    markers = list(_TOTAL.finditer(text, clause, start))
    if not markers:
        return None
    marker = markers[-1]
    if any(q.start >= marker.end() and q.kind not in ("date", "date_range") for q in earlier):
        return None
    return marker.group(0)


def _with(draft: _Draft, text: str, qualifiers: list[str], total_marker: str | None) -> Quantity:
    """The finished quantity: its surface as written, an identifier's value the string itself,
    an approximation or bound before 达 as the qualifier."""
    primary = next((q for q in qualifiers if q != "达"), qualifiers[0] if qualifiers else None)
    surface = text[draft.start:draft.end]
    return Quantity(surface=surface, start=draft.start, end=draft.end,
                    value=surface if draft.kind in ("identifier", "doc_number") else draft.value, unit=draft.unit, qualifier=primary, kind=draft.kind,
                    value_max=draft.value_max, total_marker=total_marker)
