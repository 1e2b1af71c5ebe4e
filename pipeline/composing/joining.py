"""Joining texts the way a person writes them, so fields put side by side do not stutter."""

from __future__ import annotations

from collections.abc import Iterable

SHORTEST_OVERLAP = 2   # one shared character is usually meant twice: 县人民医院 + 院长


def overlap_join(first: str, second: str) -> str:
    """`first` then `second`, written once where the end of `first` is the start of `second`:
    县交通运输工会 + 工会副主席 → 县交通运输工会副主席, 青禾机械厂 + 青禾机械厂厂长 → 青禾机械厂厂长.

    Only an overlap of two characters or more is merged: a single shared character is
    usually a word in its own right on each side (县人民医院院长, 客运站站长).
    """
    first, second = first.strip(), second.strip()
    for length in range(min(len(first), len(second)), SHORTEST_OVERLAP - 1, -1):
        if first.endswith(second[:length]):
            return first + second[length:]
    return first + second


INNER_QUOTES = str.maketrans("“”", "‘’")


def quoted(texts: str | Iterable[str]) -> str:
    """Each text in “”, its own double quotes turned single (a project named “百日无事故”
    竞赛 is quoted as “‘百日无事故’竞赛”): one text or several side by side, “甲”“乙”."""
    if isinstance(texts, str):
        texts = [texts]
    return "".join(f"“{text.translate(INNER_QUOTES)}”" for text in texts if text)
