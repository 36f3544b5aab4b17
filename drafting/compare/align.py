"""Block alignment: which block of the old document became which block of the new one.

Structure first, words later. Sections (a heading and the blocks under it) are paired by
stable id, then by identical content, then by similarity; blocks are then paired inside
each pair of sections the same way; blocks still unpaired between the same two pairs are
paired with each other (a heading line that moved leaves its paragraphs in order). Whatever
is left over is tested for moves, so that a paragraph carried to another Article is one
move rather than a deletion and an insertion.

Similarity is the share of words kept in order, a longest common subsequence of words
(see `similarity`): sets of distinct words cannot tell apart two paragraphs written in the
same small vocabulary. A gap too large to pair optimally is cut at anchors first: items that
share shingles (runs of a few words) found in no other item of the gap, in order.
"""

from __future__ import annotations

import zlib
from collections import Counter
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from itertools import chain, compress, pairwise, repeat
from typing import Protocol

from ..model import Block
from .patience import identical_pairs, increasing
from .tokens import Options

SECTION_SIMILARITY = 0.5  # sections paired in place when their words overlap this much
BLOCK_SIMILARITY = 0.5  # paragraphs likewise
MOVE_SIMILARITY = 0.75  # a block found elsewhere must be this close to count as moved
ORDER_FLOOR = 0.35  # items whose words agree in order less than this are not alike
MIN_MOVED_WORDS = 8  # a moved edited block, or a moved run of words, has at least this many
_DP_LIMIT = 4000  # gap sizes (old x new) up to which pairing is optimal; beyond, anchors
# Items on a side of a gap up to which every shingle of every item may anchor it. A larger
# gap (a file of tens of thousands of paragraphs, every one edited) is first paired in
# order at its ends while the items there are alike, one similarity per item, and what is
# left is anchored on sampled shingles only (about one in _SAMPLE, short items too), so
# that its cost stays a few similarities and shingles per item. Real gaps stay far below.
MAX_SHINGLED_GAP = 10_000
_ALL_PAIRS_LIMIT = 20_000  # leftovers (old x new) all scored for moves; beyond, candidates
_READER_ID = "auto:"  # ids a reader made of a block's position in its file
_SHINGLE = 4  # words in an anchor shingle
_SAMPLE = 8  # about one word in this many starts a shingle (chosen by the word itself)
_CANDIDATES = 3  # partners scored per item when not all pairs are
_BITS = [1 << k for k in range(1024)]  # the bit of each word position, grown as needed
# Items longer than this (words) are not given the exact LCS: its bit masks would take
# memory and time quadratic in their length (a 1,000,000-word paragraph: tens of GB).
# Their order is judged on the words that start anchor shingles (about one in _SAMPLE,
# chosen by the word, so the same on both sides) when those fit, else they are not
# alike. Real sections and paragraphs stay far below it.
MAX_LCS_WORDS = 20_000


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


class _Sampled(dict[str, bool]):
    """Whether a word starts an anchor shingle: about one word in _SAMPLE, chosen by the
    word itself (so the same on both sides), found once per word."""

    def __missing__(self, word: str) -> bool:
        chosen = self[word] = zlib.crc32(word.encode()) % _SAMPLE == 0
        return chosen


class _Features:
    """What similarity and anchoring see of each item (block or section) of one side,
    computed once and only when asked: its words (lower case), the set of them, the bit
    masks of where each word stands (for the LCS), and its anchor shingles."""

    def __init__(self, words: Callable[[int], list[str]], chosen: _Sampled | None = None):
        self.words_of = words
        self.chosen = _Sampled() if chosen is None else chosen  # shared by both sides
        self._words: dict[int, list[str]] = {}
        self._bags: dict[int, frozenset[str]] = {}
        self._masks: dict[int, dict[str, int]] = {}
        self._shingles: dict[int, list[tuple[str, ...]]] = {}
        self._ends: dict[tuple[int, int, int], int] = {}

    def words(self, item: int) -> list[str]:
        if item not in self._words:
            self._words[item] = self.words_of(item)
        return self._words[item]

    def bag(self, item: int) -> frozenset[str]:
        if item not in self._bags:
            self._bags[item] = frozenset(self.words(item))
        return self._bags[item]

    def masks(self, item: int) -> dict[str, int]:
        if item not in self._masks:
            words = self.words(item)
            masks: dict[str, int] = {}
            get = masks.get
            for w, bit in zip(words, _bits(len(words)), strict=False):
                masks[w] = get(w, 0) | bit
            self._masks[item] = masks
        return self._masks[item]

    def keeps(self, item: int, other: _Features, other_item: int, need: float) -> bool:
        """Whether a cheap lower bound of the LCS of two items' words reaches `need`:
        their shared start and end."""
        return self.shared_ends(item, other, other_item) >= need

    def shared_ends(self, item: int, other: _Features, other_item: int) -> int:
        """`_shared_ends` of two items, remembered: a section's bound and its blocks'
        pairing ask for the same pairs of blocks."""
        key = (item, id(other), other_item)
        if key not in self._ends:
            self._ends[key] = _shared_ends(self.words(item), other.words(other_item))
        return self._ends[key]

    def shingles(self, item: int, sampled: bool = False) -> list[tuple[str, ...]]:
        """The item's anchor shingles: every one of a short item unless `sampled`."""
        if item not in self._shingles:
            words = self.words(item)
            if len(words) <= _SHINGLE:
                self._shingles[item] = [tuple(words)] if words else []
                return self._shingles[item]
            every = zip(*(words[k:] for k in range(_SHINGLE)), strict=False)  # one at each word
            if len(words) < _SHINGLE * _SAMPLE:  # too short to sample: every shingle
                self._shingles[item] = list(every)
            else:
                self._shingles[item] = list(compress(every, map(self.chosen.__getitem__, words)))
        words = self.words(item)
        if sampled and _SHINGLE < len(words) < _SHINGLE * _SAMPLE:
            return list(compress(self._shingles[item], map(self.chosen.__getitem__, words)))
        return self._shingles[item]


class _SectionFeatures(_Features):
    """The features of sections, made of their blocks' (so nothing is split twice)."""

    def __init__(self, blocks: _Features, sections: list[_Section]):
        super().__init__(lambda k: list(chain.from_iterable(map(blocks.words, self.parts(k)))),
                         blocks.chosen)
        self.blocks, self.sections = blocks, sections

    def parts(self, item: int) -> range:
        return range(self.sections[item].start, self.sections[item].end)

    def shingles(self, item: int, sampled: bool = False) -> list[tuple[str, ...]]:
        if sampled:
            return list(chain.from_iterable(self.blocks.shingles(k, True)
                                            for k in self.parts(item)))
        if item not in self._shingles:
            self._shingles[item] = list(chain.from_iterable(map(self.blocks.shingles,
                                                                self.parts(item))))
        return self._shingles[item]

    def keeps(self, item: int, other: _Features, other_item: int, need: float) -> bool:
        """Also the shared ends of their blocks taken in order from the first, or from
        the last: words kept in blocks kept in order are kept in the section. On a text
        edited everywhere this spares most sections the LCS and its bit masks."""
        assert isinstance(other, _SectionFeatures)
        mine, theirs = self.parts(item), other.parts(other_item)
        n = min(len(mine), len(theirs))
        ends, blocks = self.blocks.shared_ends, other.blocks
        if sum(map(ends, mine[:n], repeat(blocks), theirs[:n])) >= need:
            return True
        if len(mine) != len(theirs) and sum(map(ends, mine[-n:], repeat(blocks),
                                                theirs[-n:])) >= need:
            return True
        return super().keeps(item, other, other_item, need)

    def bag(self, item: int) -> frozenset[str]:
        if item not in self._bags:
            self._bags[item] = frozenset().union(*map(self.blocks.bag, self.parts(item)))
        return self._bags[item]

    def masks(self, item: int) -> dict[str, int]:
        """Each block's masks shifted to where the block starts: one operation per word
        of a block's set of words instead of one per word of the section (in a section of
        thousands of words, each of them an operation on an integer that long)."""
        if item not in self._masks:
            masks: dict[str, int] = {}
            get = masks.get
            at = 0
            for k in self.parts(item):
                for w, bits in self.blocks.masks(k).items():
                    masks[w] = get(w, 0) | bits << at
                at += len(self.blocks.words(k))
            self._masks[item] = masks
        return self._masks[item]


def similarity(old: _Features, i: int, new: _Features, j: int, floor: float = 0.0) -> float:
    """How alike two items are, from 0 (nothing shared) to 1 (the same): the overlap of
    their sets of words (Dice), provided their words also agree in order. The order test
    is the longest common subsequence of the words (repeats counted) over their mean
    length: 0.9 or more for a paragraph with a few words edited, about 0.5 for a
    rewording that keeps the gist, at most 0.25 for two unrelated paragraphs written in
    the same 100 words, whose sets of words overlap up to 0.8 (measured by
    bench/diff_bench.py on 2,000 pairs). Below ORDER_FLOOR
    the items are not alike whatever their words (0). The LCS is computed only when the
    overlap reaches `floor` (what the caller would accept), and only as far as needed."""
    a, b = old.bag(i), new.bag(j)
    total = len(a) + len(b)
    if not total:
        return 1.0
    if 2 * min(len(a), len(b)) < total * 0.3:  # too different in size to matter
        return 2 * min(len(a), len(b)) / total
    dice = 2 * len(a & b) / total
    if dice < floor or dice == 0:
        return dice
    return dice if in_order(old, i, new, j) else 0.0


def in_order(old: _Features, i: int, new: _Features, j: int) -> bool:
    """Whether the words of two items agree in order: their longest common subsequence
    is at least ORDER_FLOOR of their mean length (see `similarity`)."""
    words_a, words_b = old.words(i), new.words(j)
    need = ORDER_FLOOR * (len(words_a) + len(words_b)) / 2
    if old.keeps(i, new, j, need):
        return True
    if max(len(words_a), len(words_b)) > MAX_LCS_WORDS:
        return _sampled_order(words_a, words_b, old.chosen) >= ORDER_FLOOR
    return _lcs_reaches(old.masks(i), len(words_a), words_b, need)


def _sampled_order(a: list[str], b: list[str], chosen: _Sampled) -> float:
    """`_order` of two long word lists on their sampled words; 0 when even those are too
    many for the exact LCS."""
    a = [w for w in a if chosen[w]]
    b = [w for w in b if chosen[w]]
    if not a and not b:
        return 0.0
    if max(len(a), len(b)) > MAX_LCS_WORDS:
        return 0.0
    masks: dict[str, int] = {}
    for w, bit in zip(a, _bits(len(a)), strict=False):
        masks[w] = masks.get(w, 0) | bit
    return 2 * _lcs_length(masks, len(a), b) / (len(a) + len(b))


def _bits(n: int) -> list[int]:
    """The bits of the first n word positions (_BITS, grown as needed)."""
    while len(_BITS) < n:
        _BITS.extend(1 << k for k in range(len(_BITS), 2 * len(_BITS)))
    return _BITS


def _shared_ends(a: list[str], b: list[str]) -> int:
    """Words of a shared start and a shared end: a lower bound of the LCS that is cheap
    for a paragraph with a few words edited (its LCS need not be computed)."""
    n = min(len(a), len(b))
    start = 0
    while start < n and a[start] == b[start]:
        start += 1
    end = 0
    while end < n - start and a[-1 - end] == b[-1 - end]:
        end += 1
    return start + end


def _order(old: _Features, i: int, new: _Features, j: int) -> float:
    """Twice the longest common subsequence of the words of two items over their length."""
    words_a, words_b = old.words(i), new.words(j)
    total = len(words_a) + len(words_b)
    if max(len(words_a), len(words_b)) > MAX_LCS_WORDS:
        return _sampled_order(words_a, words_b, old.chosen)
    return 2 * _lcs_length(old.masks(i), len(words_a), words_b) / total if total else 1.0


def _lcs_reaches(masks: dict[str, int], m: int, b: list[str], need: float) -> bool:
    """Whether the LCS of a (as in `_lcs_length`) and b is at least `need`: the LCS
    computation, stopped as soon as the answer is known (every 16 words, the LCS so far
    either reaches `need` or cannot any more: the answer does not depend on where the
    checks fall, as each word adds at most one to the LCS)."""
    full = (1 << m) - 1
    v = full
    get = masks.get
    for k in range(0, len(b), 16):
        for w in b[k : k + 16]:
            u = v & get(w, 0)
            v = (v + u) | (v - u)  # bits above m: carries, cut off only where counted
        have = m - (v & full).bit_count()
        if have >= need or have + max(0, len(b) - k - 16) < need:
            return have >= need
    return m - (v & full).bit_count() >= need


def _lcs_length(masks: dict[str, int], m: int, b: list[str]) -> int:
    """Length of the longest common subsequence of a (given as the bit mask of the
    positions of each of its m words) and b, bit-parallel: O(len(b)) operations on
    m-bit integers (Hyyrö, "Bit-parallel LCS-length computation revisited", 2004). The
    carries of the addition past bit m are not cut off at each word: bits only carry
    upwards and the masks have none there, so the low m bits come out the same, and
    what gathers above them (one carry per word at most) stays a few bits."""
    full = (1 << m) - 1
    v = full
    get = masks.get
    for w in b:
        u = v & get(w, 0)
        v = (v + u) | (v - u)
    return m - (v & full).bit_count()


class _Aligner:
    def __init__(self, old: Sequence[Block], new: Sequence[Block], options: Options):
        self.old, self.new, self.options = old, new, options
        self.old_norm = [options.normalise(b.text) for b in old]
        self.new_norm = [options.normalise(b.text) for b in new]
        self.result = Alignment()
        chosen = _Sampled()
        canon: dict[str, str] = {}

        def split(text: str) -> list[str]:
            """The words of a text, each word one string object on both sides, so that
            the sets, masks and shingles compare them by identity, not by their bytes."""
            words = text.lower().split()
            return list(map(canon.setdefault, words, words))

        self.blocks = (_Features(lambda i: split(self.old_norm[i]), chosen),
                       _Features(lambda j: split(self.new_norm[j]), chosen))
        self.sections: tuple[_SectionFeatures, _SectionFeatures] | None = None

    def run(self) -> Alignment:
        old_sections = self._sections(self.old, self.old_norm)
        new_sections = self._sections(self.new, self.new_norm)
        self.sections = (_SectionFeatures(self.blocks[0], old_sections),
                         _SectionFeatures(self.blocks[1], new_sections))
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
        self._pair_leftovers_in_place()
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

    def _pair_sections(self, old: list[_Section], new: list[_Section]
                       ) -> tuple[list[tuple[int, int]], set[tuple[int, int]]]:
        old_f, new_f = self.sections  # type: ignore[misc]

        def similar(a: int, b: int) -> float:
            if old[a].title and old[a].title == new[b].title:
                return 1.0
            return similarity(old_f, a, new_f, b, SECTION_SIMILARITY)

        in_order = self._pair_in_order([s.identity for s in old], [s.identity for s in new],
                                       similar, SECTION_SIMILARITY, (old_f, new_f))
        moved = self._pair_out_of_order(
            [s.identity for s in old], [s.identity for s in new], in_order, similar,
            lambda a: len(old_f.words(a)), MOVE_SIMILARITY, (old_f, new_f))
        return sorted([*in_order, *moved]), set(moved)

    # -- blocks -------------------------------------------------------------------------

    def _block_key(self, side: int, i: int, headings_alike: bool = True) -> Hashable:
        """What must be equal for two blocks to pair as identical. Outside paired sections
        two headings that are only a number ("Article 12") are not identical: which of
        them pairs is for the paragraphs around them to decide."""
        block = (self.old, self.new)[side][i]
        norm = (self.old_norm, self.new_norm)[side][i]
        if block.stable_id:
            return ("id", block.id)
        if block.is_heading and not norm and not headings_alike:
            return ("untitled", side, i)
        return (block.kind, norm)

    def _pair_blocks(self, old_range: Sequence[int], new_range: Sequence[int],
                     headings_alike: bool = True) -> list[tuple[int, int]]:
        """Order-preserving pairs of the blocks of two ranges. In two paired sections any
        two headings pair; elsewhere (`headings_alike` false) two headings of one level."""
        old_keys = [self._block_key(0, i, headings_alike) for i in old_range]
        new_keys = [self._block_key(1, j, headings_alike) for j in new_range]
        old_f, new_f = self.blocks

        def similar(a: int, b: int) -> float:
            i, j = old_range[a], new_range[b]
            if self.old[i].kind != self.new[j].kind:
                return 0.0
            if self.old[i].is_heading and (headings_alike
                                           or self.old[i].level == self.new[j].level):
                return 1.0  # the headings of two paired sections pair with each other
            score = similarity(old_f, i, new_f, j, BLOCK_SIMILARITY)
            if score < BLOCK_SIMILARITY and self.old[i].id == self.new[j].id and (
                    not self.old[i].id.startswith(_READER_ID) or in_order(old_f, i, new_f, j)):
                # the same place in the same clause; or in the document, if that is all
                # an id says, when the words agree in order
                score = BLOCK_SIMILARITY
            return score

        pairs = self._pair_in_order(old_keys, new_keys, similar, BLOCK_SIMILARITY,
                                    (_Subset(old_f, old_range), _Subset(new_f, new_range)))
        return [(old_range[a], new_range[b]) for a, b in pairs]

    def _pair_leftovers_in_place(self) -> None:
        """Blocks left unpaired between the same two in-order pairs of paragraphs are
        paired with each other when alike: a moved heading line, or sections that split
        or merged, put paragraphs that stayed in place into sections that do not pair.
        The headings in such a stretch are paired again with the rest, so that a heading
        paired across those paragraphs gives way to them."""
        result = self.result
        in_order = sorted((i, j) for i, j in result.old_to_new.items() if i not in result.moved)
        bounds = [(-1, -1), *((i, j) for i, j in in_order if not self.old[i].is_heading),
                  (len(self.old), len(self.new))]
        heading_pairs = {i: j for i, j in in_order if self.old[i].is_heading}
        paired_new = set(result.old_to_new.values())
        for (i0, j0), (i1, j1) in pairwise(bounds):
            if i1 - i0 <= 1 or j1 - j0 <= 1:
                continue
            new_left = [j for j in range(j0 + 1, j1) if j not in paired_new]
            if not new_left or all(i in result.old_to_new for i in range(i0 + 1, i1)):
                continue
            old_left = [i for i in range(i0 + 1, i1)
                        if i not in result.old_to_new or i in heading_pairs]
            for i in old_left:
                if i in heading_pairs:
                    del result.old_to_new[i]
            new_left = sorted({*new_left, *(heading_pairs[i] for i in old_left
                                            if i in heading_pairs)})
            for i, j in self._pair_blocks(old_left, new_left, headings_alike=False):
                result.pair(i, j)

    def _find_moved_blocks(self, group: int) -> None:
        """Blocks left unpaired on both sides that are the same (or nearly) are moves."""
        paired_new = set(self.result.old_to_new.values())
        old_left = [i for i in range(len(self.old)) if i not in self.result.old_to_new]
        new_left = [j for j in range(len(self.new)) if j not in paired_new]
        if not old_left or not new_left:
            return
        old_keys: list[Hashable] = [(self.old[i].kind, self.old_norm[i]) for i in old_left]
        new_keys: list[Hashable] = [(self.new[j].kind, self.new_norm[j]) for j in new_left]
        old_f, new_f = self.blocks

        def similar(a: int, b: int) -> float:
            i, j = old_left[a], new_left[b]
            if self.old[i].kind != self.new[j].kind or self.old[i].is_heading:
                return 0.0
            return similarity(old_f, i, new_f, j, MOVE_SIMILARITY)

        pairs = self._pair_out_of_order(old_keys, new_keys, [], similar,
                                        lambda a: len(old_f.words(old_left[a])),
                                        MOVE_SIMILARITY,
                                        (_Subset(old_f, old_left), _Subset(new_f, new_left)))
        for a, b in pairs:
            i = old_left[a]
            self.result.pair(i, new_left[b])
            self.result.moved.add(i)
            self.result.move_group[i] = group
            group += 1

    # -- pairing machinery --------------------------------------------------------------

    def _pair_in_order(self, old_keys: list[Hashable], new_keys: list[Hashable],
                       similar: Callable[[int, int], float], threshold: float,
                       features: tuple[_Shingled, _Shingled]) -> list[tuple[int, int]]:
        """Order-preserving pairs: identical keys by a sequence diff, then similar items
        inside each gap between them."""
        pairs = identical_pairs(old_keys, new_keys)
        # fill the gaps between identical runs with similar items
        out: list[tuple[int, int]] = []
        prev = (-1, -1)
        for pair in [*pairs, (len(old_keys), len(new_keys))]:
            gap_old = range(prev[0] + 1, pair[0])
            gap_new = range(prev[1] + 1, pair[1])
            out.extend(_pair_gap(gap_old, gap_new, similar, threshold, features))
            if pair[0] < len(old_keys):
                out.append(pair)
            prev = pair
        return out

    def _pair_out_of_order(self, old_keys: list[Hashable], new_keys: list[Hashable],
                           paired: list[tuple[int, int]], similar: Callable[[int, int], float],
                           size: Callable[[int], int], threshold: float,
                           features: tuple[_Shingled, _Shingled]) -> list[tuple[int, int]]:
        """Pairs among items left over anywhere: identical keys first (when unique on both
        sides), then the most similar, for items big enough to be worth calling a move.
        Beyond _ALL_PAIRS_LIMIT pairs, only partners that share anchor shingles are
        scored."""
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
        if len(old_rest) * len(new_rest) <= _ALL_PAIRS_LIMIT:
            candidates = [(a, b) for a in old_rest for b in new_rest]
        else:
            candidates = [(a, b) for a, partners in _sharing_shingles(
                old_rest, new_rest, features, unique=False) for b in partners]
        scored = sorted(((similar(a, b), a, b) for a, b in candidates),
                        key=lambda t: (-t[0], t[1], t[2]))
        for score, a, b in scored:
            if score < threshold:
                break
            if a not in taken_old and b not in taken_new:
                moves.append((a, b))
                taken_old.add(a)
                taken_new.add(b)
        return moves


class _Shingled(Protocol):
    """Anything that gives the anchor shingles of an item by its index."""

    def shingles(self, item: int, sampled: bool = False) -> list[tuple[str, ...]]: ...


class _Subset:
    """Features of the items of a range or list, indexed by position in it."""

    def __init__(self, features: _Features, items: Sequence[int]):
        self.features, self.items = features, items

    def shingles(self, item: int, sampled: bool = False) -> list[tuple[str, ...]]:
        return self.features.shingles(self.items[item], sampled)


def _sharing_shingles(old_items: Sequence[int], new_items: Sequence[int],
                      features: tuple[_Shingled, _Shingled], unique: bool,
                      sampled: bool = False) -> list[tuple[int, list[int]]]:
    """For each old item (in order), the (at most _CANDIDATES) new items sharing most
    shingles with it, most first: with `unique`, shingles found in one item only on each
    side (patience style); otherwise shingles found in at most _CANDIDATES items on each
    side. Linear in the shingles of the items (sampled ones only if `sampled`)."""
    limit = 1 if unique else _CANDIDATES

    def index(items: Sequence[int], side: _Shingled) -> dict[tuple[str, ...], list[int]]:
        where: dict[tuple[str, ...], list[int]] = {}
        for item in items:
            for shingle in side.shingles(item, sampled):
                found = where.setdefault(shingle, [])
                if not found or found[-1] != item:
                    found.append(item)
        return where

    old_where, new_where = index(old_items, features[0]), index(new_items, features[1])
    votes: dict[int, dict[int, int]] = {}
    for shingle, olds in old_where.items():
        news = new_where.get(shingle)
        if news is None or len(olds) > limit or len(news) > limit:
            continue
        for a in olds:
            of_a = votes.setdefault(a, {})
            for b in news:
                of_a[b] = of_a.get(b, 0) + 1
    return [(a, [b for b, _ in sorted(votes[a].items(), key=lambda t: (-t[1], t[0]))
                 [:_CANDIDATES]]) for a in old_items if a in votes]


def _pair_gap(gap_old: range, gap_new: range, similar: Callable[[int, int], float],
              threshold: float, features: tuple[_Shingled, _Shingled]
              ) -> list[tuple[int, int]]:
    """Best order-preserving pairing of two runs by similarity: optimal for small runs;
    larger ones are first cut at anchors (the longest in-order chain of items that share
    shingles no other item of the run has, and are similar enough), then each piece is
    paired the same way. A large piece without anchors is paired in order from its ends
    while the items there are alike; what is left between is left unpaired."""
    p, q = len(gap_old), len(gap_new)
    if not p or not q:
        return []
    if p * q <= _DP_LIMIT:
        return _pair_gap_optimal(gap_old, gap_new, similar, threshold)
    huge = max(p, q) > MAX_SHINGLED_GAP
    if huge:
        ends = _pair_from_ends(gap_old, gap_new, similar, threshold, features)
        if ends is not None:
            return ends
    anchors = []
    for a, partners in _sharing_shingles(gap_old, gap_new, features, unique=True,
                                         sampled=huge):
        b = next((b for b in partners if similar(a, b) >= threshold), None)
        if b is not None:
            anchors.append((a, b))
    if not anchors and not huge:
        # Nothing anchors it (items that all look alike, such as copies of one paragraph
        # each edited differently): pair in order from the ends while the items are alike.
        return _pair_from_ends(gap_old, gap_new, similar, threshold, features) or []
    out = []
    prev = (gap_old.start - 1, gap_new.start - 1)
    for pair in [*increasing(anchors), (gap_old.stop, gap_new.stop)]:
        inner_old, inner_new = range(prev[0] + 1, pair[0]), range(prev[1] + 1, pair[1])
        if (len(inner_old), len(inner_new)) != (p, q):  # no anchor at all: leave the gap
            out.extend(_pair_gap(inner_old, inner_new, similar, threshold, features))
        if pair[0] < gap_old.stop:
            out.append(pair)
        prev = pair
    return out


def _pair_from_ends(gap_old: range, gap_new: range, similar: Callable[[int, int], float],
                    threshold: float, features: tuple[_Shingled, _Shingled]
                    ) -> list[tuple[int, int]] | None:
    """The gap paired in order at its ends while the items there are alike (see
    `_alike_ends`), and what is left between them as any gap; None if its first items
    and its last ones are not alike."""
    head, tail = _alike_ends(gap_old, gap_new, similar, threshold)
    if not head and not tail:
        return None
    inner_old = range(gap_old.start + len(head), gap_old.stop - len(tail))
    inner_new = range(gap_new.start + len(head), gap_new.stop - len(tail))
    return [*head, *_pair_gap(inner_old, inner_new, similar, threshold, features), *tail]


def _alike_ends(gap_old: range, gap_new: range, similar: Callable[[int, int], float],
                threshold: float) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """The pairs of a gap's first items in order while they are alike, and of its last
    ones (in order), at one similarity each."""
    n = min(len(gap_old), len(gap_new))
    head = 0
    while head < n and similar(gap_old[head], gap_new[head]) >= threshold:
        head += 1
    tail = 0
    while tail < n - head and similar(gap_old[-1 - tail], gap_new[-1 - tail]) >= threshold:
        tail += 1
    return (list(zip(gap_old[:head], gap_new[:head], strict=True)),
            list(zip(gap_old[len(gap_old) - tail:], gap_new[len(gap_new) - tail:],
                     strict=True)))


def _pair_gap_optimal(gap_old: range, gap_new: range, similar: Callable[[int, int], float],
                      threshold: float) -> list[tuple[int, int]]:
    """Best order-preserving pairing of two small runs by similarity. When the runs are
    as long as each other and their items alike in order, the score of that pairing
    (more than p - 1 for p pairs) beats any other, which pairs at most p - 1 items of
    similarity at most 1: the rest of the table need not be computed. Likewise when one
    run is shorter (p items) and all of them can be paired with a score above p - 1:
    only pairings of all p can beat it, and those keep every pair within the band of
    |p - q| next to the diagonal, so only the band is computed (see `_pair_in_band`)."""
    p, q = len(gap_old), len(gap_new)
    known: dict[tuple[int, int], float] = {}
    if p == q:
        diagonal = [similar(a, b) for a, b in zip(gap_old, gap_new, strict=True)]
        if min(diagonal) >= threshold and sum(diagonal) > p - 1 + 1e-9:
            return list(zip(gap_old, gap_new, strict=True))
        known = {(x, x): s for x, s in enumerate(diagonal)}
    elif p < q:
        pairs = _pair_in_band(p, q, lambda x, y: similar(gap_old[x], gap_new[y]),
                              threshold, known)
        if pairs is not None:
            return [(gap_old[x], gap_new[y]) for x, y in pairs]
    else:
        pairs = _pair_in_band(q, p, lambda y, x: similar(gap_old[x], gap_new[y]),
                              threshold, known)
        if pairs is not None:
            return [(gap_old[x], gap_new[y]) for y, x in pairs]
        known = {(x, y): s for (y, x), s in known.items()}
    sim = [[known[x, y] if (x, y) in known else similar(a, b)
            for y, b in enumerate(gap_new)] for x, a in enumerate(gap_old)]
    return [(gap_old[x], gap_new[y]) for x, y in _pair_by_table(sim, threshold)]


def _pair_by_table(sim: list[list[float]], threshold: float) -> list[tuple[int, int]]:
    """The optimal pairing of a table of similarities (rows old, columns new): the most
    similarity in pairs of at least `threshold`, in order."""
    p, q = len(sim), len(sim[0]) if sim else 0
    score = [[0.0] * (q + 1) for _ in range(p + 1)]
    for x in range(p - 1, -1, -1):
        for y in range(q - 1, -1, -1):
            s = sim[x][y]
            best = max(score[x + 1][y], score[x][y + 1])
            if s >= threshold:
                best = max(best, s + score[x + 1][y + 1])
            score[x][y] = best
    out = []
    x = y = 0
    while x < p and y < q:
        s = sim[x][y]
        if s >= threshold and abs(score[x][y] - (s + score[x + 1][y + 1])) < 1e-9:
            out.append((x, y))
            x, y = x + 1, y + 1
        elif score[x][y] == score[x + 1][y]:
            x += 1
        else:
            y += 1
    return out


def _pair_in_band(p: int, q: int, similar: Callable[[int, int], float], threshold: float,
                  known: dict[tuple[int, int], float]) -> list[tuple[int, int]] | None:
    """The pairs `_pair_by_table` gives for p < q items, when the best pairing of all p
    scores above p - 1 (else None): computed on the cells within q - p of the diagonal
    only (their similarities left in `known`). Where all p pair, every score on the
    table's path is the best over pairings of all the items left, found in the band with
    the same sums, and a pairing of fewer items scores at most their number, below it:
    so the table would take the same pairs and skip the same new items."""
    width = q - p
    lost = float("-inf")
    best = [[0.0] * (width + 1)]  # best[p - x][y - x]: pairing all of x.. within y..
    for x in range(p - 1, -1, -1):
        below, row = best[-1], [lost] * (width + 1)
        for d in range(width, -1, -1):
            s = known[x, x + d] = similar(x, x + d)
            take = s + below[d] if s >= threshold else lost
            row[d] = max(take, row[d + 1]) if d < width else take
        best.append(row)
    if best[-1][0] <= p - 1 + 2e-9:
        return None
    out = []
    x = d = 0
    while x < p:
        s = known[x, x + d]
        if s >= threshold and abs(best[p - x][d] - (s + best[p - x - 1][d])) < 1e-9:
            out.append((x, x + d))
            x += 1
        else:
            d += 1
    return out
