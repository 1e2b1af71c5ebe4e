"""The Jinja2 sandbox every body and template renders in: what it may read, how much work it
may do, and what Jinja says when it stops, in Chinese.

Jinja's own sandbox keeps a template away from Python's internals; it does not stop one that
never finishes or that fills the memory: `{{ 'x' * 10**9 }}`, `{{ 9 ** 999999999 }}`, loops
in loops over range(100000). Here every operation that can make a huge value in one step —
repetition (`*`), powers (`**`), joining (`~`, `+`, the join and replace filters), padding
(center, indent, "%9999999d", "{:>9999999}") — is checked before it runs; the text a render
gives is counted as it is produced; and a render that runs longer than RENDER_SECONDS is
stopped at the template line it had reached. Those two limits grow with the rows of the
tables among the figures a render is given (TEXT_PER_ROW and SECONDS_PER_ROW a row): a table
big because the data is big builds, a template over a small project is stopped as before,
and every single operation keeps its fixed bound. Constant expressions are not folded when a
template is compiled (Jinja would compute `9 ** 999999999` right then, unchecked).
Templates are read from templates/ and inputs/ only, through pipeline/inputfiles.py: inside
the project, regular files, within the size limit.
"""

from __future__ import annotations

import functools
import re
import signal
import string
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import jinja2
from jinja2.compiler import CodeGenerator
from jinja2.loaders import split_template_path
from jinja2.sandbox import MAX_RANGE, ImmutableSandboxedEnvironment, SecurityError
from jinja2.utils import generate_lorem_ipsum

from ..errors import WenmiError
from ..figures import FigureTable
from ..inputfiles import OUTSIDE_HINT, read_text

MAX_TEXT = 5_000_000       # characters one render may give, or one string or list may hold
MAX_BITS = 4096            # a whole number a template computes (about 1,200 digits)
RENDER_SECONDS = 5         # one render of one body or template
TEXT_PER_ROW = 500         # characters, and seconds, a render may add to those for each row
SECONDS_PER_ROW = 0.0005   # of the tables among its figures: ten times what a row takes
MAX_LOREM = 100            # paragraphs lipsum() may make
# string methods that make a text longer than what they are given; the filters of the same
# name are bounded instead
EXPANDING_METHODS = frozenset({"center", "ljust", "rjust", "zfill", "expandtabs", "replace", "join"})
PERCENT_FIELD = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(\*|\d+)?(?:\.(\*|\d+))?")


class BoundExceeded(Exception):
    """A template asked for more work or memory than a document needs; the message says
    which, in Chinese, and the render stops at the template's line."""


def _too_long(size: int, limit: int | None = None) -> BoundExceeded:
    return BoundExceeded(f"模板要生成的文字或列表过长（约 {size:,} 项，上限 {limit or MAX_TEXT:,}），已停止")


def _size(value) -> int:
    """How much a value holds: a text's characters, a list's items and the characters of
    the texts in it."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, (list, tuple)):
        return len(value) + sum(len(item) for item in value if isinstance(item, str))
    return 0


def _check_size(value) -> None:
    if _size(value) > MAX_TEXT:
        raise _too_long(_size(value))


def _check_bits(bits: int) -> None:
    if bits > MAX_BITS:
        raise BoundExceeded(f"模板中的计算结果过大（约 {bits * 3 // 10:,} 位数），已停止")


def _check_repeat(left, right) -> None:
    """`sequence * count`, `count * sequence` or a product of two whole numbers."""
    for sequence, count in ((left, right), (right, left)):
        if isinstance(count, int) and isinstance(sequence, (str, list, tuple)):
            if count > 0 and _size(sequence) * count > MAX_TEXT:
                raise _too_long(_size(sequence) * count)
            return
    if isinstance(left, int) and isinstance(right, int):
        _check_bits(abs(left).bit_length() + abs(right).bit_length())


def _check_power(base, exponent) -> None:
    if isinstance(base, int) and isinstance(exponent, int) and abs(base) > 1 and exponent > 0:
        _check_bits(abs(base).bit_length() * exponent)


def _check_widths(widths: Iterator[str | None]) -> None:
    """Field widths and precisions of a format: a number at most MAX_TEXT; none taken from
    the arguments ("*", a nested "{}")."""
    for width in widths:
        if width and (not width.isdigit() or int(width) > MAX_TEXT):
            raise BoundExceeded(f"格式中的宽度“{width}”过大或由参数给出，可能生成过长的文字，已停止")


def _check_percent_format(text) -> None:
    """"%9999999d" % 1: the widths of a printf-style format."""
    if isinstance(text, str):
        _check_widths(width for found in PERCENT_FIELD.finditer(text) for width in found.groups())


def _check_brace_format(text: str) -> None:
    """"{:>9999999}".format(1): the widths in the specifications of a str.format format."""
    try:
        fields = list(string.Formatter().parse(text))
    except ValueError:
        return                                       # str.format says what is wrong
    for _, _, spec, _ in fields:
        if spec and "{" in spec:
            _check_widths(["{}"])
        _check_widths(re.findall(r"\d+", spec or ""))


def _bounded(check):
    """A filter that has `check` look at its arguments before it runs; `check` returns them,
    an iterable made a list so that it can be looked at and still used."""
    def wrap(function):
        @functools.wraps(function)
        def bounded(*args, **kwargs):
            return function(*check(*args, **kwargs), **kwargs)
        return bounded
    return wrap


def _center_check(value, width=80, *rest):
    if isinstance(width, int) and width > MAX_TEXT:
        raise _too_long(width)
    return (value, width, *rest)


def _indent_check(text, width=4, *rest, **_):
    per_line = len(width) if isinstance(width, str) else width if isinstance(width, int) else 0
    size = len(str(text)) + (str(text).count("\n") + 1) * per_line
    if size > MAX_TEXT:
        raise _too_long(size)
    return (text, width, *rest)


def _replace_check(context, text, old, new, *rest, **kwargs):
    count = rest[0] if rest else kwargs.get("count")
    whole, part, replacement = str(text), str(old), str(new)
    times = whole.count(part) if part else len(whole) + 1
    times = min(times, count) if isinstance(count, int) and count >= 0 else times
    size = len(whole) + times * (len(replacement) - len(part))
    if size > MAX_TEXT:
        raise _too_long(size)
    return (context, text, old, new, *rest)


def _join_check(context, value, *rest, **kwargs):
    separator = rest[0] if rest else kwargs.get("d", "")
    items = [value] if isinstance(value, str) else list(value)
    size = sum(len(str(item)) for item in items) + len(str(separator)) * len(items)
    if size > MAX_TEXT:
        raise _too_long(size)
    return (context, value if isinstance(value, str) else items, *rest)


def _format_check(value, *args, **_):
    _check_percent_format(value)
    return (value, *args)


BOUNDED_FILTERS = {"center": _center_check, "indent": _indent_check, "replace": _replace_check,
                   "join": _join_check, "format": _format_check}


class _BoundedCode(CodeGenerator):
    """Jinja's code generator, with `a ~ b` joined by the environment, which counts."""

    def visit_Concat(self, node, frame) -> None:
        self.write("environment.joined((")
        for argument in node.nodes:
            self.visit(argument, frame)
            self.write(", ")
        self.write("))")


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox with bounded operations (see the module docstring)."""

    intercepted_binops = frozenset({"*", "**", "+", "%"})
    code_generator_class = _BoundedCode

    def __init__(self, **options):
        super().__init__(optimized=False, **options)
        for name, check in BOUNDED_FILTERS.items():
            self.filters[name] = _bounded(check)(self.filters[name])
        self.globals["lipsum"] = _lipsum

    def call_binop(self, context, operator: str, left, right):
        if operator == "*":
            _check_repeat(left, right)
        elif operator == "**":
            _check_power(left, right)
        elif operator == "%":
            _check_percent_format(left)
        result = super().call_binop(context, operator, left, right)
        if operator == "+":
            _check_size(result)
        return result

    def joined(self, parts) -> str:
        texts = [str(part) for part in parts]
        if sum(map(len, texts)) > MAX_TEXT:
            raise _too_long(sum(map(len, texts)))
        return "".join(texts)

    def is_safe_attribute(self, obj, attr: str, value) -> bool:
        if isinstance(obj, str) and attr in EXPANDING_METHODS:
            return False
        return super().is_safe_attribute(obj, attr, value)

    def wrap_str_format(self, value):
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        text = value.__self__

        @functools.wraps(wrapped)
        def bounded(*args, **kwargs):
            _check_brace_format(text)
            return wrapped(*args, **kwargs)
        return bounded


def _lipsum(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> str:  # noqa: A002
    """Jinja's lorem ipsum, at most MAX_LOREM paragraphs of at most 1,000 words."""
    if n > MAX_LOREM or max > 1000:
        raise BoundExceeded(f"lipsum 最多生成 {MAX_LOREM} 段、每段 1000 个词")
    return generate_lorem_ipsum(n, html, min, max)


def bounded_render(template: jinja2.Template, context: Mapping[str, object]) -> str:
    """The template rendered, its text counted as it is produced and the whole render given
    its time: each bound with the allowance of the table rows in `context`."""
    rows = sum(len(value.rows) for value in context.values() if isinstance(value, FigureTable))
    most_text = MAX_TEXT + TEXT_PER_ROW * rows
    pieces, size = [], 0
    with _time_limit(RENDER_SECONDS + round(SECONDS_PER_ROW * rows)):
        for piece in template.generate(context):
            size += len(piece)
            if size > most_text:
                raise _too_long(size, most_text)
            pieces.append(piece)
    return "".join(pieces)


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Raise BoundExceeded in the code running when `seconds` have passed: a timer signal,
    where there is one and this is the main thread (the command, and each forked worker)."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum, frame):
        raise BoundExceeded(f"模板运行超过 {seconds:g} 秒仍未结束（循环或计算太多），已停止")
    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class ProjectLoader(jinja2.BaseLoader):
    """Templates from templates/, then inputs/ (bodies and stories, which `include` may also
    name), then the program's built-in genres; each read through pipeline/inputfiles.py, and
    a project's file refused when, links followed, it lies outside the project and its
    external folders."""

    def __init__(self, project, builtin: Path) -> None:
        self.project = project
        self.builtin = builtin

    def get_source(self, environment, template: str):
        pieces = split_template_path(template)       # refuses ".." with TemplateNotFound
        for folder in (self.project.templates, self.project.inputs, self.builtin):
            path = folder.joinpath(*pieces)
            if pieces and path.exists() and not path.is_dir():
                break
        else:
            raise jinja2.TemplateNotFound(template)
        shown = self.project.shown(path)
        if folder is not self.builtin and not self.project.within(path):
            raise WenmiError("这个模板或正文文件指向项目文件夹之外，未读取", file=shown, hint=OUTSIDE_HINT)
        text = read_text(path, shown)
        modified = _modified(path)
        return text, str(path), lambda: _modified(path) == modified


def _modified(path: Path) -> float | None:
    try:
        return path.stat().st_mtime
    except OSError:
        return None


# ---------------------------------------------------------------- Jinja's words in Chinese

TOKEN_WORDS = {"end of print statement": "}}", "end of statement block": "%}",
               "begin of print statement": "{{", "begin of statement block": "{%",
               "end of template": "文件末尾", "name": "名称", "string": "文字", "integer": "整数",
               "float": "小数", "end of statement": "%}"}
SYNTAX_MESSAGES = [
    (r"Unexpected end of template\. Jinja was looking for the following tags: (.+?)\. "
     r"The innermost block that needs to be closed is '(.+?)'\.",
     lambda m: f"“{{% {m[2]} %}}”没有结束：文件结束前缺少 {m[1].replace(' or ', ' 或 ')}"),
    (r"Unexpected end of template.*|unexpected end of template.*", lambda m: "模板意外结束（有未闭合的标签或括号）"),
    (r"Encountered unknown tag '(end\w+)'.*",
     lambda m: f"多余的“{{% {m[1]} %}}”，或前面缺少与它对应的开始标签"),
    (r"Encountered unknown tag '(.+?)'.*", lambda m: f"未知的标签“{{% {m[1]} %}}”"),
    (r"unexpected char (['\"])(.+?)\1 at \d+", lambda m: f"无法识别的字符“{m[2]}”（引号是否成对？）"),
    (r"unexpected '(.+?)', expected '(.+?)'",
     lambda m: f"此处不应出现“{_token(m[1])}”，应是“{_token(m[2])}”"),
    (r"unexpected '(.+?)'", lambda m: f"此处不应出现“{_token(m[1])}”（括号或花括号是否成对？）"),
    (r"expected token '(.+?)', got '(.+?)'",
     lambda m: f"此处应是“{_token(m[1])}”，却是“{_token(m[2])}”"),
    (r"Expected an expression, got '(.+?)'", lambda m: f"此处缺少表达式（遇到的是“{_token(m[1])}”）"),
    (r"Missing end of comment tag", lambda m: "注释 {# 没有用 #} 结束"),
    (r"Missing end of raw directive", lambda m: "{% raw %} 没有用 {% endraw %} 结束"),
    (r"block '(.+?)' defined twice", lambda m: f"块“{m[1]}”定义了两次"),
    (r"No test named '(.+?)'.*", lambda m: f"未知的测试“{m[1]}”"),
]


def _token(description: str) -> str:
    return TOKEN_WORDS.get(description, description)


def syntax_reason(english: str) -> str:
    """Jinja's syntax error message in Chinese; an unknown one is kept, as the detail."""
    for pattern, chinese in SYNTAX_MESSAGES:
        found = re.fullmatch(pattern, english, re.S)
        if found:
            return chinese(found)
    return f"无法识别的写法\n（原始信息：{english}）"


def runtime_reason(error: Exception) -> str | None:
    """What stopped a render, in Chinese, for the errors a template can cause; None for
    anything else (a bug in Wenmi)."""
    if isinstance(error, BoundExceeded):
        return str(error)
    if isinstance(error, MemoryError):
        return "模板占用的内存过多（生成的文字或列表太大），已停止"
    if isinstance(error, SecurityError):
        found = re.search(r"attribute '(.+?)' of '(.+?)' object", str(error))
        if found and found[2] == "str" and found[1] in EXPANDING_METHODS:
            return (f"模板不允许访问这里的内容：字符串的 {found[1]} 方法可能生成过长的文字；"
                    "请改用过滤器（如 x|replace(…)、列表|join(…)）")
        if found:
            return f"模板不允许访问这里的内容（“{found[1]}”属于程序内部，模板不能使用）"
        return "模板不允许访问这里的内容（这个对象不能在模板中调用）"
    if isinstance(error, OverflowError) and "Range too big" in str(error):
        return f"模板计算出错：range 的范围太大（最多 {MAX_RANGE:,} 项）"
    if isinstance(error, ZeroDivisionError):
        return "模板计算出错：除数为0"
    if isinstance(error, (TypeError, ValueError, KeyError, AttributeError, IndexError, OverflowError)):
        return f"模板计算出错：数据类型或取值不合适\n（原始信息：{error}）"
    if isinstance(error, jinja2.TemplateRuntimeError):
        return f"模板运行出错\n（原始信息：{error}）"
    return None
