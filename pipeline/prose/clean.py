"""Cleaning a document copied from the web or a word processor, every change recorded.

Nothing is dropped silently: each step returns what it removed (`Removal`) or repaired
(`Repair`), with the exact text, so `wenmi import` can list it and a reader can check it.
The rules are about how such pages are made, not about one page:

- whole paragraphs of site furniture: breadcrumbs, time stamps and upload notes, a site
  abstract or 简介 that repeats the body, the title repeated with the site's name, a table
  of contents above the text, download prompts, disclaimers, paywall notes, "相关推荐" and
  everything after it, a page's print/close/feedback links;
- paragraphs repeated word for word;
- characters: pinyin that converters put after characters ("權(quán)益"), private-use
  characters, spaces inside a sentence, "‚ ‛" used as quotes, Markdown "**";
- mojibake from GBK bytes read one byte out of step, repaired only where re-encoding the
  garbled span and shifting it by one byte gives common characters back exactly.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace

from .outline import marker_of
from .reader import RawParagraph

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_PUNCT = "，。、；：？！“”‘’（）《》〈〉【】—…·,.;:?!()"


@dataclass(frozen=True)
class Removal:
    """Text taken out: `kind` is junk, pinyin, duplicate, markup or space."""
    kind: str
    text: str
    why: str = ""                     # for the report: which rule (导航、免责声明……)
    place: str = ""                   # where in the file: "第12行", "第3段"


@dataclass(frozen=True)
class Repair:
    """Text put right: `kind` is mojibake, quote or paragraph; `before` as read."""
    kind: str
    before: str
    after: str
    place: str = ""


class Log:
    """What cleaning did, in the order it did it; also the spans it could not repair."""

    def __init__(self) -> None:
        self.removed: list[Removal] = []
        self.repaired: list[Repair] = []
        self.flagged: list[str] = []      # suspected mojibake left as it is

    def remove(self, kind: str, text: str, why: str = "", place: str = "") -> None:
        self.removed.append(Removal(kind, text, why, place))

    def repair(self, kind: str, before: str, after: str, place: str = "") -> None:
        self.repaired.append(Repair(kind, before, after, place))

    def absorb(self, other: "Log", place: str) -> None:
        """Take on what one paragraph's log recorded, placed at that paragraph."""
        self.removed += [replace(r, place=r.place or place) for r in other.removed]
        self.repaired += [replace(r, place=r.place or place) for r in other.repaired]
        self.flagged += [f"{place}：{text}" for text in other.flagged]


# ---------------------------------------------------------------- whole paragraphs

def _rule(pattern: str) -> re.Pattern:
    return re.compile(pattern)


# (why, pattern): a paragraph matching the pattern is site furniture, not the document.
JUNK_RULES = (
    ("导航", _rule(r"^(?:首页|主页|当前位置|您的位置|你的位置|您现在的位置)[：:]?\s*\S{0,12}(?:\s*[>»›/|｜]\s*|\s+)\S")),
    ("页面链接", _rule(r"^(?:[【\[]?(?:我要反馈|我要纠错|返回顶部|打印本页|打印|关闭窗口|关闭|收藏本文|加入收藏|"
                      r"分享到|分享|返回列表|返回首页|举报|纠错|字号|大|中|小)[】\]]?[\s|｜/:：]*){1,8}$")),
    ("上一篇/下一篇", _rule(r"^(?:上一篇|下一篇|上一页|下一页)[：:]")),
    ("网页信息", _rule(r"^(?:发布)?(?:时间|日期)[：:]\s*\d{4}[-/.年]\d{1,2}.{0,60}"
                      r"(?:来源|作者|浏览|点击|阅读|下载|上传|版权|分类|栏目|字号|编辑|$)")),
    ("网页信息", _rule(r"(?:下载本文|会员上传|版权反馈|阅读量[：:]|浏览次数[：:]|浏览量[：:]|点击数[：:]|"
                      r"字体[：:]?\s*[【\[]?大[】\]]?\s*[【\[]?中[】\]]?\s*[【\[]?小)")),
    ("网页信息", _rule(r"^(?:来源|作者|责任编辑|责编|编辑|本版编辑|本版责编|文章来源|信息来源)[：:]\s*\S{1,30}$")),
    ("网站简介", _rule(r"^(?:【?简介】?[：:]).*(?:小编|整理|本站|文库|范文|网站)")),
    ("下载提示", _rule(r"(?:^下载.{0,60}(?:word|Word|WORD|\.docx?|格式文档|文档)$|将本文档下载|点此处?下载|"
                      r"文档为\s*docx?\s*格式|请勿使用迅雷|下载地址|免费下载|立即下载)")),
    ("免责声明", _rule(r"(?:^免责声明|^【?声明】?[：:].{0,40}(?:本文|本站|本网|网友|用户|互联网)|版权归原作者|"
                      r"如有侵权|侵犯您的|本网站不拥有|本站不拥有|仅代表作者本人观点|转载请注明)")),
    ("付费提示", _rule(r"^.{0,10}(?:剩余\s*\d+\s*字|查看全文|阅读全文|余下全文|全文阅读|开通\s*VIP|开通会员|"
                      r"付费阅读|付费下载|登录后(?:查看|阅读|下载)|试读结束|完整内容请|内容已隐藏|点击查看更多)"
                      r".{0,30}$")),
    ("报刊版面", _rule(r"^(?:.{0,20}第\s*\d{1,3}\s*版(?:[：:].{0,20})?|版面[：:].{0,30})$")),
)
RELATED = _rule(r"^(?:相关(?:范文)?推荐|相关文章|相关阅读|相关文档|相关资料|猜你喜欢|热门推荐|推荐阅读|"
                r"延伸阅读|热门文章|最新文章|更多相关|精彩推荐|本文相关)[：:]?.{0,10}$")
ABSTRACT = _rule(r"^【?(?:摘要|内容摘要|内容提要|导读|导语|简介)】?[：:]")
TOC_HEAD = _rule(r"^(?:本文)?(?:目\s*录|文章目录|内容目录)[：:]?$")
SEPARATOR = _rule(r"^第\s*[一二三四五六七八九十百零〇\d]+\s*篇\s*[：:]\s*(.*)$")
SENTENCE_END = _rule(r"[。！？!?]")


def site_junk(paragraph: str) -> str | None:
    """Why a paragraph is site furniture ("导航", "免责声明"…), or None if it is text."""
    if len(paragraph) > 300:
        return None
    for why, pattern in JUNK_RULES:
        if pattern.search(paragraph):
            return why
    return None


def separator_title(paragraph: str) -> str | None:
    """The title after a site's "第二篇:" line that starts the next bundled document."""
    found = SEPARATOR.match(paragraph)
    return found.group(1).strip() if found and len(paragraph) <= 80 else None


def is_related_heading(paragraph: str) -> bool:
    """"相关推荐" and the like: the site's links to other pages, to the end of the page."""
    return bool(RELATED.match(paragraph))


def repeats_body(paragraph: str, others: list[str]) -> bool:
    """Whether most sentences of a site abstract are found elsewhere in the page."""
    text = ABSTRACT.sub("", paragraph)
    sentences = [s for s in re.split(r"[。！？；]", text) if len(s) >= 8]
    body = "\n".join(others)
    return bool(sentences) and sum(s in body for s in sentences) * 2 >= len(sentences)


def is_abstract(paragraph: str) -> bool:
    return bool(ABSTRACT.match(paragraph))


def is_toc_heading(paragraph: str) -> bool:
    return bool(TOC_HEAD.match(paragraph))


# ---------------------------------------------------------------- characters

PRIVATE_USE = re.compile("[\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd]")
MARKUP = re.compile(r"\*\*")
LOW_QUOTES = {"\u201a": "“", "\u201b": "”"}
TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
SYLLABLE = re.compile(
    r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:iang|iong|uang|ueng|ang|eng|ing|ong|ian|iao|uai|uan|van|üan|ai|ei|ao|ou|an|en|er|in|un|vn|ün|"
    r"ia|ie|iu|ua|uo|ui|ue|ve|üe|a|o|e|i|u|v|ü)|hm|hng|ng|m|n")
# a parenthesised group of lower-case Latin letters (with tone marks) right after a Han character
ANNOTATION = re.compile(rf"(?<=[{HAN}])[(（]([a-z{TONED}ü]{{1,7}}(?: [a-z{TONED}ü]{{1,7}}){{0,3}})[)）]")
# the end of an annotation whose "(" was eaten by a garbled character before it
STRAY_ANNOTATION = re.compile(rf"(?<=[{HAN}?？\ufffd])([a-z{TONED}ü]{{1,7}})\)")
INNER_SPACE_ANY = re.compile(rf"(?<=[{HAN}{CJK_PUNCT}])[ \u00a0\u3000]+(?=\S)")
MEANT_SPACE = re.compile(rf"(?<![{HAN}])[{HAN}] [{HAN}](?![{HAN}])|(?<=[{HAN}]) (?=[{HAN}]{{1,4}}[：:])")
INNER_SPACE = re.compile(rf"(?<=[{HAN}{CJK_PUNCT}])[ \u00a0]+(?=[{HAN}])")
# characters a GBK byte stream read out of step turns Chinese into: kana, bopomofo, Greek,
# Cyrillic, box drawing, and the replacement mark
SUSPICIOUS = re.compile("[\u3040-\u30ff\u3100-\u312f\u0391-\u03c9\u0401-\u0451\u2500-\u257f\ufffd]")
# a stretch between two ASCII characters: out-of-step reading is put back in step by the
# first single-byte character, so a garbled span never crosses one
GARBLE_RUN = re.compile("[^\x00-\x3e\x40-\x7f]{3,}")
LOST_MARK = re.compile("[?\ufffd]")


def _toneless(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("ü", "v"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).replace("v\u0308", "v")


def is_pinyin(text: str, need_tone: bool) -> bool:
    """Whether `text` is one or more pinyin syllables (with a tone mark, if `need_tone`)."""
    if need_tone and not any(ch in TONED for ch in text):
        return False
    return all(SYLLABLE.fullmatch(_toneless(word)) for word in text.split())


def strip_pinyin(text: str, log: Log, converter_page: bool) -> str:
    """Remove converter pinyin; toneless syllables too on a page full of annotations."""
    def drop(found: re.Match) -> str:
        if is_pinyin(found.group(1), need_tone=not converter_page):
            log.remove("pinyin", found.group())
            return ""
        return found.group()
    text = ANNOTATION.sub(drop, text)
    if converter_page:
        text = STRAY_ANNOTATION.sub(drop, text)
    return text


def count_annotations(text: str) -> int:
    """How many tone-marked pinyin annotations a text holds: a converter's page has many."""
    return sum(1 for found in ANNOTATION.finditer(text) if is_pinyin(found.group(1), True))


def strip_private_use(text: str, log: Log) -> str:
    for found in PRIVATE_USE.findall(text):
        log.remove("junk", found, "私用区字符")
    return PRIVATE_USE.sub("", text)


def strip_markup(text: str, log: Log) -> str:
    for found in MARKUP.findall(text):
        log.remove("markup", found)
    return MARKUP.sub("", text)


def fix_quotes(text: str, log: Log) -> str:
    """‚ ‛ (low and reversed single quotes) typed for “ ”, as some converters do: only
    when they come in pairs, so a lone comma-like mark is left alone."""
    if not any(mark in text for mark in LOW_QUOTES) or text.count("\u201a") != text.count("\u201b"):
        return text
    for mark, quote in LOW_QUOTES.items():
        for _ in range(text.count(mark)):
            log.repair("quote", mark, quote)
        text = text.replace(mark, quote)
    return text


def strip_inner_spaces(text: str, log: Log) -> str:
    """A space inside a sentence of Chinese prose, where a line was once wrapped.

    Only in a paragraph with sentence punctuation and one such space: spaces in a title,
    between a signature and its date, or between the lines of a song are meant, and so is
    the space that pads a two-character name ("马 文") or opens a new item ("… 结尾曲：")."""
    found = list(INNER_SPACE.finditer(text))
    if len(found) != 1 or not re.search(r"[，。；,;]", text) or MEANT_SPACE.search(text):
        return text
    log.remove("space", found[0].group())
    return INNER_SPACE.sub("", text)


def _common(ch: str) -> bool:
    """A character of everyday Chinese prose: GB2312 level 1 or its punctuation rows."""
    try:
        code = ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return len(code) == 1 or 0xB0 <= code[0] <= 0xD7 or code[0] in (0xA1, 0xA3)


def _plausible(text: str) -> bool:
    """Prose, not another garble: at least 90% everyday characters, all of them in GB2312."""
    try:
        text.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return sum(map(_common, text)) >= 0.9 * len(text)


def _shifted(span: str) -> str | None:
    """The text a garbled span came from, when re-encoding proves it: the span's GBK bytes,
    shifted by one byte, decode to everyday characters that encode back to the same bytes."""
    try:
        data = span.encode("gbk")
    except UnicodeEncodeError:
        return None
    for shifted in (data[1:], data[1:-1]):
        if len(shifted) < 4 or len(shifted) % 2:
            continue
        try:
            original = shifted.decode("gbk")
        except UnicodeDecodeError:
            continue
        if original.encode("gbk") == shifted and _plausible(original):
            return original
    return None


def repair_mojibake(text: str, log: Log) -> str:
    """Garbled spans repaired where re-encoding proves the original, flagged where not.

    Read one byte out of step, GBK text turns into other characters until an invalid pair
    puts the reader back in step, where one character is lost ("?" or "\ufffd"). So the
    garble is the stretch just before a lost character, or before the end of a stretch of
    non-ASCII text that holds characters Chinese prose does not (kana, bopomofo…). The
    longest such stretch whose shifted bytes read as prose is repaired; a lost character
    stays marked, and is listed for a person to fill in."""
    def fix(found: re.Match) -> str:
        run = found.group()
        ends = [m.start() for m in LOST_MARK.finditer(run)]
        if SUSPICIOUS.search(run.replace("\ufffd", "")):
            ends.append(len(run))
        pieces, done = [], 0
        for end in ends:
            for start in range(max(done, end - 12), end - 1):
                stretch = run[start:end]
                original = _shifted(stretch)
                if original and not _plausible(stretch):
                    log.repair("mojibake", stretch, original)
                    pieces += [run[done:start], original]
                    done = end
                    break
            else:
                if SUSPICIOUS.search(run[max(done, end - 12):end + 1]):
                    log.flagged.append(run[max(0, end - 6):end + 6])
        return "".join(pieces) + run[done:]
    return GARBLE_RUN.sub(fix, text)


# ---------------------------------------------------------------- the page, then each document

SITE_WORDS = re.compile(r"小编|整理了|本站|本网|文库|范文|网友|网站")


def clean_page(paragraphs: list[RawParagraph], log: Log) -> list[list[RawParagraph]]:
    """The documents of a page, each a list of clean paragraphs; the site's furniture and
    the separators between bundled documents ("第二篇:…") are removed and logged."""
    converter_page = count_annotations("\n".join(p.text for p in paragraphs)) >= 3
    cleaned, logs = [], []
    for paragraph in paragraphs:        # each paragraph's own log: a junk one is logged whole
        own = Log()
        text = strip_private_use(paragraph.text, own)
        text = strip_markup(text, own)
        text = fix_quotes(text, own)
        text = repair_mojibake(text, own)
        text = strip_pinyin(text, own, converter_page).strip()
        if text:
            cleaned.append(replace(paragraph, text=text))
            logs.append((paragraph.text, own))
    texts = [p.text for p in cleaned]
    junk: dict[int, str] = {}
    separators = [i for i, text in enumerate(texts) if separator_title(text) is not None]
    if separators and re.match(r"第\s*[一1]\s*篇", texts[separators[0]]):
        junk.update({i: "网页页头" for i in range(separators[0])})
    for index in separators:
        junk[index] = "分篇标记"
    for index, text in enumerate(texts):
        if index in junk:
            continue
        if is_related_heading(text):
            end = next((s for s in separators if s > index), len(texts))
            junk.update({i: "相关推荐" for i in range(index, end)})
        elif why := site_junk(text):
            junk[index] = why
        elif is_abstract(text) and (SITE_WORDS.search(text) or repeats_body(
                text, [t for i, t in enumerate(texts) if i != index])):
            junk[index] = "网站摘要"
        elif _title_with_site(text, texts):
            junk[index] = "标题重复"
    junk.update(_table_of_contents(texts, junk))
    documents: list[list[RawParagraph]] = [[]]
    for index, paragraph in enumerate(cleaned):
        if index in separators and documents[-1]:
            documents.append([])
        raw, own = logs[index]
        if index in junk:
            log.remove("junk", raw, junk[index], paragraph.place)
        else:
            log.absorb(own, paragraph.place)
            documents[-1].append(paragraph)
    return [document for document in documents if document]


def _title_with_site(text: str, texts: list[str]) -> bool:
    """"标题_书名" or "标题-网站名": the page title repeating a paragraph of the page."""
    found = re.match(r"^(.{4,60}?)\s*[_|｜]\s*\S.{0,40}$", text)
    return bool(found) and found.group(1) in texts


def _table_of_contents(texts: list[str], junk: dict[int, str]) -> dict[int, str]:
    """A contents list above the text: the lines after a 目录 line, or three numbered lines in
    a row near the top, each repeated later as the start of a paragraph."""
    def repeated_later(index: int) -> bool:
        entry = re.sub(r"[.…·\s]*\d+$", "", texts[index]).strip()    # without its page number
        return len(entry) >= 2 and len(texts[index]) <= 60 and \
            any(later.startswith(entry) for later in texts[index + 1:])

    top = [i for i in range(min(len(texts), 60)) if i not in junk]
    heading = next((i for i in top if is_toc_heading(texts[i])), None)
    if heading is not None:
        found = {heading: "目录"}
        for index in range(heading + 1, len(texts)):
            if not repeated_later(index):
                break
            found[index] = "目录"
        return found
    run: list[int] = []
    for index in top:
        if marker_of(texts[index]) is not None and repeated_later(index):
            run.append(index)
        elif len(run) >= 3:
            break
        else:
            run = []
    return {i: "目录" for i in run} if len(run) >= 3 else {}


def clean_document(paragraphs: list[RawParagraph], log: Log) -> list[RawParagraph]:
    """One document's paragraphs: split where the raw text ran two together, spaces inside
    sentences removed, paragraphs repeated word for word removed (a short one only when it
    is the title, given again near the top)."""
    split = []
    for index, paragraph in enumerate(paragraphs):
        following = [p.text for p in paragraphs[index + 1:index + 4]]
        parts = _split(paragraph.text, following)
        if len(parts) > 1:
            log.repair("paragraph", paragraph.text, "\n".join(parts), paragraph.place)
        split += [replace(paragraph, text=part) for part in parts]
    seen: set[str] = set()
    cleaned = []
    for position, paragraph in enumerate(split):
        own = Log()
        text = strip_inner_spaces(paragraph.text, own)
        log.absorb(own, paragraph.place)
        title_again = position < 6 and cleaned and text == cleaned[0].text   # the page's and the article's
        if text in seen and (len(text) >= 15 or title_again):
            log.remove("duplicate", text, place=paragraph.place)
            continue
        seen.add(text)
        cleaned.append(replace(paragraph, text=text))
    return cleaned


def _split(text: str, following: list[str]) -> list[str]:
    """A paragraph that holds two: a heading and its text joined by a space ("一、… 一年来，…"),
    or the next item of a numbered series run into this one ("3.……。4.……" when the next
    paragraph is 5.)."""
    marker = marker_of(text)
    if marker is None:
        return [text]
    spaces = INNER_SPACE_ANY.findall(text)
    head, space, rest = text.partition(spaces[0]) if len(spaces) == 1 else (text, "", "")
    if space and len(head) - len(marker.text) <= 36 and not SENTENCE_END.search(head) and len(rest) >= 10 \
            and (marker_of(rest) is not None or re.search(r"[。，,；]", rest)) and "《" not in head:
        return [head] + _split(rest, following)
    nxt = next((marker_of(t) for t in following if marker_of(t) and marker_of(t).kind == marker.kind), None)
    if nxt is not None and nxt.number == marker.number + 2:
        for found in re.finditer(r"(?<=[。；;！？])", text):
            inner = marker_of(text[found.end():])
            if inner is not None and inner.kind == marker.kind and inner.number == marker.number + 1:
                return [text[:found.end()], text[found.end():]]
    return [text]
