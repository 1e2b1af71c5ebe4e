"""Aligning two documents' paragraphs: which stayed, which were replaced, deleted or
inserted. The （修订稿） marks by it and `wenmi diff` reports by it, so both agree."""

from __future__ import annotations

import difflib
from collections import Counter


def paragraph_opcodes(old: list[str], new: list[str]) -> list[tuple[str, int, int, int, int]]:
    """How the `new` paragraphs follow from the `old`, as difflib's opcodes.

    difflib alone took 80 s on a 1,000-nominee roster: thousands of table cells repeat the
    same few texts (类别, 单位), and it weighs each against all its repeats. So paragraphs
    whose text occurs exactly once in each file are matched first, and difflib aligns only
    the stretches between two of them (patience diff). Of those anchors the chain kept in
    order is the heaviest, an anchor weighing as much as the equal paragraphs around it:
    when a new nominee renumbers a roster, each name, amid its row's equal cells, outweighs
    the serial number that is now another row's, as difflib's longest-block-first would have
    it.
    """
    old_counts, new_counts = Counter(old), Counter(new)
    place_in_new = {text: j for j, text in enumerate(new) if new_counts[text] == 1}
    anchors = [(i, place_in_new[text]) for i, text in enumerate(old)
               if old_counts[text] == 1 and text in place_in_new]
    weights = [1 + sum(0 <= i + step < len(old) and 0 <= j + step < len(new)
                       and old[i + step] == new[j + step] for step in NEIGHBOURS)
               for i, j in anchors]
    blocks, i, j = [], 0, 0
    for anchor_i, anchor_j in [*_heaviest_chain(anchors, weights, len(new)), (len(old), len(new))]:
        between = difflib.SequenceMatcher(None, old[i:anchor_i], new[j:anchor_j], autojunk=False)
        blocks += [(i + a, j + b, size) for a, b, size in between.get_matching_blocks() if size]
        blocks.append((anchor_i, anchor_j, 1 if anchor_i < len(old) else 0))
        i, j = anchor_i + 1, anchor_j + 1
    opcodes, i, j = [], 0, 0
    for a, b, size in blocks:
        if i < a or j < b:
            opcodes.append(("replace" if i < a and j < b else "delete" if i < a else "insert", i, a, j, b))
        if size:
            opcodes.append(("equal", a, a + size, b, b + size))
        i, j = a + size, b + size
    return opcodes


NEIGHBOURS = (-3, -2, -1, 1, 2, 3)          # paragraphs around an anchor that add to its weight


def _heaviest_chain(anchors: list[tuple[int, int]], weights: list[int], size: int) -> list[tuple[int, int]]:
    """The anchors (i, j), given in order of i, whose j rise too, of the largest total
    weight: for each anchor in turn, the heaviest chain ending before its j is looked up in
    a Fenwick tree over j (the best chain's weight and last anchor up to each place)."""
    tree = [(0, -1)] * (size + 1)                # (weight, anchor index) of the best chain

    def best_below(place: int) -> tuple[int, int]:
        """The heaviest chain ending at a j below `place`."""
        best = (0, -1)
        while place > 0:
            best, place = max(best, tree[place]), place & (place - 1)
        return best

    previous = []                                # each anchor's predecessor in its chain
    for index, ((_, j), weight) in enumerate(zip(anchors, weights)):
        best = best_below(j)
        previous.append(best[1])
        chain, place = (best[0] + weight, index), j + 1
        while place <= size:
            tree[place], place = max(tree[place], chain), place + (place & -place)
    chain, index = [], best_below(size)[1]
    while index >= 0:
        chain.append(anchors[index])
        index = previous[index]
    return chain[::-1]
