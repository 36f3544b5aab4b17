"""Block alignment: which block of the old document became which block of the new one.

Structure first, words later. Sections (a heading and the blocks under it) are paired by
stable id, then by identical content, then by similarity; blocks are then paired inside
each pair of sections the same way. Whatever is left over is tested for moves, so that a
paragraph carried to another Article is one move rather than a deletion and an insertion.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from diff_match_patch import diff_match_patch

from ..model import Block
from .tokens import Options
from .words import TokenCodec, new_engine

SECTION_SIMILARITY = 0.5  # sections paired in place when their words overlap this much
BLOCK_SIMILARITY = 0.5  # paragraphs likewise
MOVE_SIMILARITY = 0.75  # a block found elsewhere must be this close to count as moved
MIN_MOVED_WORDS = 8  # a moved edited block, or a moved run of words, has at least this many
_DP_LIMIT = 4000  # gap sizes (old x new) up to which pairing is optimal; beyond, greedy


@dataclass
class Alignment:
    """old_to_new[i] = j when old block i became new block j; `moved` holds the old
    indices of blocks paired out of order; `move_group` gives blocks that moved together
    (a whole section) the same group number."""

    old_to_new: dict[int, int] = field(default_factory=dict)
    moved: set[int] = field(default_factory=set)
    move_group: dict[int, int] = field(default_factory=dict)

    def pair(self, i: int, j: int) -> None:
        self.old_to_new[i] = j


@dataclass(frozen=True)
class _Section:
    start: int
    end: int  # exclusive
    identity: Hashable
    title: str


def align(old: Sequence[Block], new: Sequence[Block], options: Options) -> Alignment:
    aligner = _Aligner(old, new, options)
    return aligner.run()


class _Aligner:
    def __init__(self, old: Sequence[Block], new: Sequence[Block], options: Options):
        self.old, self.new, self.options = old, new, options
        self.old_norm = [options.normalise(b.text) for b in old]
        self.new_norm = [options.normalise(b.text) for b in new]
        self.dmp = new_engine()
        self.result = Alignment()
        self._words: dict[tuple[int, int], frozenset[str]] = {}  # (side, index) -> words

    def run(self) -> Alignment:
        old_sections = self._sections(self.old, self.old_norm)
        new_sections = self._sections(self.new, self.new_norm)
        section_pairs, moved_sections = self._pair_sections(old_sections, new_sections)
        group = 0
        for a, b in section_pairs:
            so, sn = old_sections[a], new_sections[b]
            pairs = self._pair_blocks(range(so.start, so.end), range(sn.start, sn.end))
            for i, j in pairs:
                self.result.pair(i, j)
                if (a, b) in moved_sections:
                    self.result.moved.add(i)
                    self.result.move_group[i] = group
            group += 1
        self._find_moved_blocks(group)
        return self.result

    # -- sections -----------------------------------------------------------------------

    def _sections(self, blocks: Sequence[Block], norm: list[str]) -> list[_Section]:
        starts = [i for i, b in enumerate(blocks) if b.is_heading]
        if not starts or starts[0] != 0:
            starts.insert(0, 0)
        bounds = [*starts, len(blocks)]
        sections = []
        for start, end in pairwise(bounds):
            if start == end:
                continue
            head = blocks[start]
            if head.is_heading and head.stable_id:
                identity: Hashable = ("id", head.id)
            elif head.is_heading and norm[start]:
                identity = ("title", norm[start])  # robust to edits in the body
            else:
                identity = ("text", *norm[start:end])
            title = norm[start] if head.is_heading else ""
            sections.append(_Section(start, end, identity, title))
        return sections

    def _section_words(self, side: int, section: _Section) -> frozenset[str]:
        key = (side + 2, section.start)  # cached beside the block bags
        if key not in self._words:
            norm = self.old_norm if side == 0 else self.new_norm
            self._words[key] = frozenset(
                " ".join(norm[section.start : section.end]).lower().split())
        return self._words[key]

    def _pair_sections(self, old: list[_Section], new: list[_Section]
                       ) -> tuple[list[tuple[int, int]], set[tuple[int, int]]]:
        def similar(a: int, b: int) -> float:
            if old[a].title and old[a].title == new[b].title:
                return 1.0
            return _dice(self._section_words(0, old[a]), self._section_words(1, new[b]))

        in_order = self._pair_in_order([s.identity for s in old], [s.identity for s in new],
                                       similar, SECTION_SIMILARITY)
        moved = self._pair_out_of_order(
            [s.identity for s in old], [s.identity for s in new], in_order, similar,
            lambda a: len(self._section_words(0, old[a])), MOVE_SIMILARITY)
        return sorted([*in_order, *moved]), set(moved)

    # -- blocks -------------------------------------------------------------------------

    def _pair_blocks(self, old_range: range, new_range: range) -> list[tuple[int, int]]:
        def identity(blocks: Sequence[Block], norm: list[str], i: int) -> Hashable:
            b = blocks[i]
            return ("id", b.id) if b.stable_id else (b.kind, norm[i])

        old_keys = [identity(self.old, self.old_norm, i) for i in old_range]
        new_keys = [identity(self.new, self.new_norm, j) for j in new_range]

        def similar(a: int, b: int) -> float:
            i, j = old_range[a], new_range[b]
            if self.old[i].kind != self.new[j].kind:
                return 0.0
            if self.old[i].is_heading:
                return 1.0  # the headings of two paired sections pair with each other
            score = _dice(self._word_bag(0, i), self._word_bag(1, j))
            if self.old[i].id and self.old[i].id == self.new[j].id:
                score = max(score, BLOCK_SIMILARITY)  # same place in the same clause
            return score

        pairs = self._pair_in_order(old_keys, new_keys, similar, BLOCK_SIMILARITY)
        return [(old_range[a], new_range[b]) for a, b in pairs]

    def _find_moved_blocks(self, group: int) -> None:
        """Blocks left unpaired on both sides that are the same (or nearly) are moves."""
        paired_new = set(self.result.old_to_new.values())
        old_left = [i for i in range(len(self.old)) if i not in self.result.old_to_new]
        new_left = [j for j in range(len(self.new)) if j not in paired_new]
        if not old_left or not new_left:
            return
        old_keys: list[Hashable] = [(self.old[i].kind, self.old_norm[i]) for i in old_left]
        new_keys: list[Hashable] = [(self.new[j].kind, self.new_norm[j]) for j in new_left]

        def similar(a: int, b: int) -> float:
            i, j = old_left[a], new_left[b]
            if self.old[i].kind != self.new[j].kind or self.old[i].is_heading:
                return 0.0
            return _dice(self._word_bag(0, i), self._word_bag(1, j))

        pairs = self._pair_out_of_order(old_keys, new_keys, [], similar,
                                        lambda a: len(self.old_norm[old_left[a]].split()),
                                        MOVE_SIMILARITY)
        for a, b in pairs:
            i = old_left[a]
            self.result.pair(i, new_left[b])
            self.result.moved.add(i)
            self.result.move_group[i] = group
            group += 1

    # -- pairing machinery --------------------------------------------------------------

    def _pair_in_order(self, old_keys: list[Hashable], new_keys: list[Hashable],
                       similar: Callable[[int, int], float], threshold: float
                       ) -> list[tuple[int, int]]:
        """Order-preserving pairs: identical keys by a sequence diff, then similar items
        inside each gap between them."""
        pairs = identical_pairs(old_keys, new_keys, self.dmp)
        # fill the gaps between identical runs with similar items
        out: list[tuple[int, int]] = []
        prev = (-1, -1)
        for pair in [*pairs, (len(old_keys), len(new_keys))]:
            gap_old = range(prev[0] + 1, pair[0])
            gap_new = range(prev[1] + 1, pair[1])
            out.extend(_pair_gap(gap_old, gap_new, similar, threshold))
            if pair[0] < len(old_keys):
                out.append(pair)
            prev = pair
        return out

    def _pair_out_of_order(self, old_keys: list[Hashable], new_keys: list[Hashable],
                           paired: list[tuple[int, int]], similar: Callable[[int, int], float],
                           size: Callable[[int], int], threshold: float
                           ) -> list[tuple[int, int]]:
        """Pairs among items left over anywhere: identical keys first (when unique on both
        sides), then the most similar, for items big enough to be worth calling a move."""
        used_old = {a for a, _ in paired}
        used_new = {b for _, b in paired}
        old_left = [a for a in range(len(old_keys)) if a not in used_old]
        new_left = [b for b in range(len(new_keys)) if b not in used_new]
        moves: list[tuple[int, int]] = []
        new_by_key: dict[Hashable, list[int]] = {}
        for b in new_left:
            new_by_key.setdefault(new_keys[b], []).append(b)
        old_count = Counter(old_keys[a] for a in old_left)
        for a in old_left:
            candidates = new_by_key.get(old_keys[a], [])
            if len(candidates) == 1 and old_count[old_keys[a]] == 1:
                moves.append((a, candidates[0]))
        taken_old = {a for a, _ in moves}
        taken_new = {b for _, b in moves}
        old_rest = [a for a in old_left if a not in taken_old and size(a) >= MIN_MOVED_WORDS]
        new_rest = [b for b in new_left if b not in taken_new]
        if len(old_rest) * len(new_rest) <= 250_000:
            scored = sorted(((similar(a, b), a, b) for a in old_rest for b in new_rest),
                            key=lambda t: (-t[0], t[1], t[2]))
            for score, a, b in scored:
                if score < threshold:
                    break
                if a not in taken_old and b not in taken_new:
                    moves.append((a, b))
                    taken_old.add(a)
                    taken_new.add(b)
        return moves

    def _word_bag(self, side: int, index: int) -> frozenset[str]:
        key = (side, index)
        if key not in self._words:
            norm = self.old_norm if side == 0 else self.new_norm
            self._words[key] = frozenset(norm[index].lower().split())
        return self._words[key]


def _pair_gap(gap_old: range, gap_new: range, similar: Callable[[int, int], float],
              threshold: float) -> list[tuple[int, int]]:
    """Best order-preserving pairing of two small runs by similarity."""
    p, q = len(gap_old), len(gap_new)
    if not p or not q:
        return []
    if p * q > _DP_LIMIT:
        return _pair_gap_greedy(gap_old, gap_new, similar, threshold)
    score = [[0.0] * (q + 1) for _ in range(p + 1)]
    for x in range(p - 1, -1, -1):
        for y in range(q - 1, -1, -1):
            s = similar(gap_old[x], gap_new[y])
            best = max(score[x + 1][y], score[x][y + 1])
            if s >= threshold:
                best = max(best, s + score[x + 1][y + 1])
            score[x][y] = best
    out = []
    x = y = 0
    while x < p and y < q:
        s = similar(gap_old[x], gap_new[y])
        if s >= threshold and abs(score[x][y] - (s + score[x + 1][y + 1])) < 1e-9:
            out.append((gap_old[x], gap_new[y]))
            x, y = x + 1, y + 1
        elif score[x][y] == score[x + 1][y]:
            x += 1
        else:
            y += 1
    return out


def _pair_gap_greedy(gap_old: range, gap_new: range, similar: Callable[[int, int], float],
                     threshold: float, window: int = 40) -> list[tuple[int, int]]:
    out = []
    y = 0
    for a in gap_old:
        best, best_y = threshold, None
        for k in range(y, min(len(gap_new), y + window)):
            s = similar(a, gap_new[k])
            if s >= best:
                best, best_y = s, k
        if best_y is not None:
            out.append((a, gap_new[best_y]))
            y = best_y + 1
    return out


def _dice(a: frozenset[str], b: frozenset[str]) -> float:
    """Overlap of two sets of distinct words, from 0 (none shared) to 1 (the same)."""
    total = len(a) + len(b)
    if not total:
        return 1.0
    if 2 * min(len(a), len(b)) < total * 0.3:  # too different in size to matter
        return 2 * min(len(a), len(b)) / total
    return 2 * len(a & b) / total


def identical_pairs(old: Sequence[Hashable], new: Sequence[Hashable],
                    dmp: diff_match_patch) -> list[tuple[int, int]]:
    """Order-preserving pairs of equal keys, patience style: common ends, then keys that
    occur once on each side as anchors (their longest increasing run), recursively between
    anchors; diff-match-patch only for small stretches without anchors. Unlike a plain
    O(ND) diff this stays fast when nearly every item differs."""
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
        if a0 >= a1 or b0 >= b1:
            continue
        count_old = Counter(old[a0:a1])
        count_new = Counter(new[b0:b1])
        where_new = {new[j]: j for j in range(b0, b1) if count_new[new[j]] == 1}
        anchors = [(i, where_new[old[i]]) for i in range(a0, a1)
                   if count_old[old[i]] == 1 and old[i] in where_new]
        if anchors:
            prev_i, prev_j = a0 - 1, b0 - 1
            for i, j in [*_increasing(anchors), (a1, b1)]:
                if i - prev_i > 1 and j - prev_j > 1:
                    stack.append((prev_i + 1, i, prev_j + 1, j))
                if i < a1:
                    out.append((i, j))
                prev_i, prev_j = i, j
        elif (a1 - a0) * (b1 - b0) <= _DP_LIMIT:
            codec = TokenCodec()
            a, b = a0, b0
            for op, chars in dmp.diff_main(codec.encode(old[a0:a1]), codec.encode(new[b0:b1]),
                                           False):
                n = len(chars)
                if op == 0:
                    out.extend((a + k, b + k) for k in range(n))
                a += n if op <= 0 else 0
                b += n if op >= 0 else 0
    return sorted(out)


def _increasing(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
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
