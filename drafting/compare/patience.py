"""Patience matching: pairs of equal items of two sequences, anchored on the items that
occur once on each side (Bram Cohen's patience diff), so that the work stays near linear
however different the sequences are. Used to align blocks and to diff very long blocks.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence

from .fastdiff import diff_main


def identical_pairs(old: Sequence[Hashable], new: Sequence[Hashable],
                    limit: int = 4000) -> list[tuple[int, int]]:
    """Order-preserving pairs of equal keys, patience style: common ends, then keys that
    occur once on each side as anchors (their longest increasing run), recursively between
    anchors; diff-match-patch only for stretches without anchors of at most `limit`
    (old x new) items; larger ones stay unpaired. Unlike a plain O(ND) diff this stays
    fast when nearly every item differs."""
    out: list[tuple[int, int]] = []
    stack = [(0, len(old), 0, len(new))]
    while stack:
        a0, a1, b0, b1 = stack.pop()
        while a0 < a1 and b0 < b1 and old[a0] == new[b0]:
            out.append((a0, b0))
            a0, b0 = a0 + 1, b0 + 1
        while a0 < a1 and b0 < b1 and old[a1 - 1] == new[b1 - 1]:
            a1, b1 = a1 - 1, b1 - 1
            out.append((a1, b1))
        if a0 >= a1 or b0 >= b1 or set(old[a0:a1]).isdisjoint(new[b0:b1]):
            continue  # nothing left on one side, or nothing in common
        count_old = Counter(old[a0:a1])
        count_new = Counter(new[b0:b1])
        where_new = {new[j]: j for j in range(b0, b1) if count_new[new[j]] == 1}
        anchors = [(i, where_new[old[i]]) for i in range(a0, a1)
                   if count_old[old[i]] == 1 and old[i] in where_new]
        if anchors:
            prev_i, prev_j = a0 - 1, b0 - 1
            for i, j in [*increasing(anchors), (a1, b1)]:
                if i - prev_i > 1 and j - prev_j > 1:
                    stack.append((prev_i + 1, i, prev_j + 1, j))
                if i < a1:
                    out.append((i, j))
                prev_i, prev_j = i, j
        elif (a1 - a0) * (b1 - b0) <= limit:
            codes: dict[Hashable, str] = {}
            a, b = a0, b0
            for op, chars in diff_main(_encode(old[a0:a1], codes), _encode(new[b0:b1], codes)):
                n = len(chars)
                if op == 0:
                    out.extend((a + k, b + k) for k in range(n))
                a += n if op <= 0 else 0
                b += n if op >= 0 else 0
    return sorted(out)


def _encode(keys: Sequence[Hashable], codes: dict[Hashable, str]) -> str:
    """One character per distinct key (skipping surrogates), for diff-match-patch."""
    for key in keys:
        if key not in codes:
            n = 0x100 + len(codes)
            codes[key] = chr(n + 0x800 if n >= 0xD800 else n)
    return "".join(map(codes.__getitem__, keys))


def increasing(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Longest run of pairs (in order of their first element) whose second element
    increases: patience sorting, O(n log n)."""
    tails: list[int] = []  # tails[k]: index in pairs of the smallest tail of a run of k+1
    back: list[int] = [-1] * len(pairs)
    for n, (_, j) in enumerate(pairs):
        k = _bisect_tails(pairs, tails, j)
        if k > 0:
            back[n] = tails[k - 1]
        if k == len(tails):
            tails.append(n)
        else:
            tails[k] = n
    run = []
    n = tails[-1] if tails else -1
    while n >= 0:
        run.append(pairs[n])
        n = back[n]
    return run[::-1]


def _bisect_tails(pairs: list[tuple[int, int]], tails: list[int], j: int) -> int:
    lo, hi = 0, len(tails)
    while lo < hi:
        mid = (lo + hi) // 2
        if pairs[tails[mid]][1] < j:
            lo = mid + 1
        else:
            hi = mid
    return lo
