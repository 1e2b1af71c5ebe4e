"""What the operating system and the parsers report, said in Chinese.

Python's OSError, json and lxml describe a problem in English ("No space left on device",
"Expecting value: line 1 column 1"); the office reads Chinese. Each function here gives the
Chinese reason for one kind of error, from its code or position rather than its words, so a
library that rewords its messages changes nothing.
"""

from __future__ import annotations

import errno
import json

_OS_REASONS = {
    errno.ENOENT: "找不到这个文件或文件夹",
    errno.EACCES: "没有权限",
    errno.EPERM: "没有权限（操作被系统拒绝）",
    errno.ENOSPC: "磁盘空间已满",
    errno.EDQUOT: "超出了磁盘配额",
    errno.EROFS: "所在的磁盘或文件夹是只读的",
    errno.EEXIST: "已有同名的文件或文件夹",
    errno.ENOTDIR: "路径中应是文件夹的一处是个文件",
    errno.EISDIR: "这是一个文件夹，不是文件",
    errno.ENOTEMPTY: "文件夹不是空的",
    errno.ENAMETOOLONG: "文件名或路径太长",
    errno.EMFILE: "同时打开的文件太多",
    errno.ENFILE: "同时打开的文件太多",
    errno.EBUSY: "文件正被其他程序占用",
    errno.ETXTBSY: "文件正被其他程序占用",
    errno.EIO: "磁盘读写出错（磁盘或网络盘可能有故障）",
    errno.ELOOP: "符号链接形成了循环",
    errno.EXDEV: "不能跨磁盘移动",
    errno.EINVAL: "路径或文件名无效（可能含有系统不允许的字符）",
    errno.ENXIO: "设备不存在（可能是未连接的管道）",
}


def os_reason(error: OSError) -> str:
    """The Chinese reason of an OSError, by its code; the system's own words after it when
    the code is not one the office is likely to meet."""
    known = _OS_REASONS.get(error.errno)
    if known is not None:
        return known
    return f"操作系统报告错误（{error.strerror or error}）"


def json_reason(error: json.JSONDecodeError) -> str:
    """Where a JSON text stops being JSON, in Chinese."""
    return f"不是有效的 JSON（第{error.lineno}行第{error.colno}列）"


def xml_reason(error: Exception) -> str:
    """Where an XML part stops being XML (lxml's XMLSyntaxError), in Chinese."""
    line = getattr(error, "lineno", None)
    return f"不是有效的 XML（第{line}行）" if line else "不是有效的 XML"
