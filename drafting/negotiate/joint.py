"""A joint negotiating text built from two sides' drafts.

Text both sides share stands plain; where they differ, both wordings stand side by side as
alternatives labelled by side, at the smallest sensible span: the phrase that differs, not
the paragraph ("within [US: forty-five (45)][DPRK: sixty (60)] days").

With a base (the last agreed or last sent text) each difference is classified by a
three-way comparison of base, A and B, as in diff3: changed only by A, only by B, by both
alike, or by both differently (a conflict). A change to base text that stood outside
square brackets reopens agreed language, and is flagged as such.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..compare import EXACT, compare
from ..compare.align import align
from ..compare.tokens import tokenize
from ..compare.words import TokenCodec, diff_tokens, new_engine
from ..model import DELETE, EQUAL, INSERT, Block, Document
from .brackets import parse

ONLY_A, ONLY_B, BOTH_ALIKE, CONFLICT = "a", "b", "alike", "conflict"
_JOIN_GAP = re.compile(r"\s*\S+(\s+\S+)?\s*")  # at most two words between two differences
_SENTENCE_END = re.compile(r"[.;:]\s*$|[.;:]\s")


@dataclass(frozen=True)
class Segment:
    """Shared text (options empty), or each side's wording where they differ."""

    text: str = ""
    options: tuple[tuple[str, str], ...] = ()  # (side key, text), in the sides' order
    status: str | None = None  # with a base: ONLY_A, ONLY_B, BOTH_ALIKE or CONFLICT
    reopened: bool = False  # changes base text that stood outside brackets

    def text_for(self, side: str) -> str:
        if not self.options:
            return self.text
        return next(text for key, text in self.options if key == side)


@dataclass(frozen=True)
class JointBlock:
    versions: dict[str, Block]  # side key -> that side's block (absent: no such block)
    segments: tuple[Segment, ...]

    @property
    def differs(self) -> bool:
        return any(s.options for s in self.segments)


@dataclass(frozen=True)
class JointText:
    title: str
    sides: tuple[tuple[str, str], tuple[str, str]]  # (key, display name) of A and B
    blocks: tuple[JointBlock, ...]
    base: bool = False
    names: dict[str, str] = field(default_factory=dict)

    def choose(self, side: str) -> Document:
        """That side's draft, taking its alternative everywhere."""
        blocks = []
        for joint in self.blocks:
            version = joint.versions.get(side)
            if version is not None:
                text = "".join(s.text_for(side) for s in joint.segments)
                refs = version.refs if text == version.text else ()
                blocks.append(Block(version.kind, version.level, version.id, version.label,
                                    text, version.clause, version.edition, refs))
        return Document(self.title, tuple(blocks))

    def tag(self, side: str) -> str:
        """How a side is named inside brackets: "US", "DPRK"."""
        return re.sub(r"[^A-Z0-9-]", "", side.upper()) or "SIDE"

    def differences(self) -> int:
        return sum(1 for b in self.blocks for s in b.segments if s.options)

    def counts(self) -> dict[str, int]:
        """Differences by classification (with a base), and reopened agreed text."""
        out: dict[str, int] = {}
        for block in self.blocks:
            for s in block.segments:
                if s.status:
                    out[s.status] = out.get(s.status, 0) + 1
                if s.reopened:
                    out["reopened"] = out.get("reopened", 0) + 1
        return out


def build(a: Document, b: Document, sides: tuple[tuple[str, str], tuple[str, str]],
          base: Document | None = None) -> JointText:
    """The joint text of A and B (and, with base, how each difference arose)."""
    key_a, key_b = sides[0][0], sides[1][0]
    comparison = compare(a, b)
    classifier = _ThreeWay(base, a, b, key_a, key_b) if base is not None else None
    blocks = []
    for change in comparison.blocks:
        versions = {}
        if change.in_old and change.old is not None:
            versions[key_a] = change.old
        if change.in_new and change.new is not None:
            versions[key_b] = change.new
        if len(versions) == 2:
            if classifier is not None:
                segments = classifier.segments(change.old_index, change.new_index)
            else:
                segments = _two_way(change.ops, key_a, key_b)
        else:
            only = key_a if key_a in versions else key_b
            text = versions[only].text
            options = ((key_a, text), (key_b, "")) if only == key_a else ((key_a, ""),
                                                                          (key_b, text))
            status, reopened = (classifier.lone(change.old_index if only == key_a else
                                                change.new_index, only)
                                if classifier else (None, False))
            segments = (Segment(options=options, status=status, reopened=reopened),)
        blocks.append(JointBlock(versions, tuple(segments)))
    return JointText(b.title or a.title, sides, tuple(blocks), base is not None,
                     dict(sides))


def _two_way(ops, key_a: str, key_b: str) -> tuple[Segment, ...]:
    """Shared runs and differences from a word diff of A and B."""
    regions: list[list[str]] = []  # [shared text] or [a text, b text]
    for op in ops:
        if op.op == EQUAL:
            regions.append([op.text])
            continue
        if not regions or len(regions[-1]) == 1:
            regions.append(["", ""])
        regions[-1][0 if op.op == DELETE else 1] += op.text
    return _phrases([Segment(text=r[0]) if len(r) == 1 else
                     Segment(options=((key_a, r[0]), (key_b, r[1]))) for r in regions])


def _phrases(segments: list[Segment]) -> tuple[Segment, ...]:
    """Join differences separated by at most two shared words of the same sentence (and
    alike in status) into one phrase, and keep parentheses whole: "within [US: thirty
    (30)][DPRK: ninety (90)] days" rather than two brackets around the words and numbers."""
    out: list[Segment] = []
    for seg in segments:
        if (seg.options and len(out) >= 2 and out[-2].options and not out[-1].options
                and (out[-2].status, out[-2].reopened) == (seg.status, seg.reopened)
                and _joinable(out[-1].text)):
            shared = out.pop().text
            first = out.pop()
            seg = Segment(options=tuple((key, text + shared + seg.text_for(key))
                                        for key, text in first.options),
                          status=seg.status, reopened=seg.reopened)
        if out and out[-1].options and not seg.options and seg.text.startswith(")") \
                and any(t.count("(") > t.count(")") for _, t in out[-1].options):
            last = out.pop()
            out.append(Segment(options=tuple((k, t + ")") for k, t in last.options),
                               status=last.status, reopened=last.reopened))
            seg = Segment(text=seg.text[1:])
        if seg.text or seg.options or seg.status:
            out.append(seg)
    return tuple(out)


def _joinable(shared: str) -> bool:
    return bool(_JOIN_GAP.fullmatch(shared)) and not _SENTENCE_END.search(shared)


class _ThreeWay:
    """diff3 on words, block by block: base blocks are aligned with A's and B's blocks."""

    def __init__(self, base: Document, a: Document, b: Document, key_a: str, key_b: str):
        self.base, self.a, self.b = base, a, b
        self.key_a, self.key_b = key_a, key_b
        self.base_of_a = {j: i for i, j in align(base.blocks, a.blocks, EXACT).old_to_new.items()}
        self.base_of_b = {j: i for i, j in align(base.blocks, b.blocks, EXACT).old_to_new.items()}
        self.agreed = _agreed_ranges(base)
        self.codec = TokenCodec()
        self.dmp = new_engine()

    def lone(self, index: int | None, side: str) -> tuple[str, bool]:
        """A block only one side has: the other deleted it, or this side added it."""
        mapping = self.base_of_a if side == self.key_a else self.base_of_b
        base_index = mapping.get(index) if index is not None else None
        if base_index is None:  # this side added it
            return (ONLY_A if side == self.key_a else ONLY_B), False
        text = self.base.blocks[base_index].text
        reopened = bool(text.strip()) and not self._inside(base_index, 0, len(text))
        return (ONLY_B if side == self.key_a else ONLY_A), reopened  # the other deleted it

    def segments(self, ia: int | None, ib: int | None) -> tuple[Segment, ...]:
        a_text = self.a.blocks[ia].text  # type: ignore[index]
        b_text = self.b.blocks[ib].text  # type: ignore[index]
        base_index = self.base_of_a.get(ia) if ia is not None else None
        if base_index is None:
            base_index = self.base_of_b.get(ib) if ib is not None else None
        if base_index is None:  # both added a block here
            return tuple(Segment(text=s.text) if not s.options else
                         Segment(options=s.options, status=CONFLICT)
                         for s in _two_way(self._ops(a_text, b_text), self.key_a, self.key_b))
        return self._diff3(base_index, tokenize(self.base.blocks[base_index].text),
                           tokenize(a_text), tokenize(b_text))

    def _ops(self, old: str, new: str):
        return diff_tokens(tokenize(old), tokenize(new), self.codec, self.dmp)

    def _matches(self, base: list[str], other: list[str]) -> dict[int, int]:
        out, i, j = {}, 0, 0
        for op in diff_tokens(base, other, self.codec, self.dmp):
            n = len(tokenize(op.text))
            if op.op == EQUAL:
                out.update((i + k, j + k) for k in range(n))
            if op.op != INSERT:
                i += n
            if op.op != DELETE:
                j += n
        return out

    def _diff3(self, base_index: int, base: list[str], a: list[str], b: list[str]
               ) -> tuple[Segment, ...]:
        ma, mb = self._matches(base, a), self._matches(base, b)
        segments: list[Segment] = []
        i = ja = jb = 0
        offset = 0  # character offset in the base text of token i

        def chunk(i_end: int, ja_end: int, jb_end: int) -> None:
            nonlocal offset
            base_part = "".join(base[i:i_end])
            a_part, b_part = "".join(a[ja:ja_end]), "".join(b[jb:jb_end])
            start = offset
            offset += len(base_part)
            if a_part == b_part == base_part:
                segments.append(Segment(text=base_part))
                return
            if a_part == b_part:
                status, options = BOTH_ALIKE, ()
            elif a_part == base_part:
                status, options = ONLY_B, ((self.key_a, a_part), (self.key_b, b_part))
            elif b_part == base_part:
                status, options = ONLY_A, ((self.key_a, a_part), (self.key_b, b_part))
            else:
                status, options = CONFLICT, ((self.key_a, a_part), (self.key_b, b_part))
            reopened = not self._inside(base_index, start, start + len(base_part))
            segments.append(Segment(text=a_part if not options else "", options=options,
                                    status=status, reopened=reopened))

        for k in sorted(set(ma) & set(mb)):
            if ma[k] < ja or mb[k] < jb:
                continue  # keep the three sequences in step
            if k > i or ma[k] > ja or mb[k] > jb:
                chunk(k, ma[k], mb[k])
            i, ja, jb = k, ma[k], mb[k]
            chunk(k + 1, ja + 1, jb + 1)
            i, ja, jb = k + 1, ja + 1, jb + 1
        if i < len(base) or ja < len(a) or jb < len(b):
            chunk(len(base), len(a), len(b))
        return _phrases(list(_merge_shared(segments)))

    def _inside(self, block: int, start: int, end: int) -> bool:
        """Whether base text [start, end) (an insertion point when empty) lies within
        square brackets, brackets included, i.e. was not yet agreed."""
        for s, e in self.agreed.get(block, ()):  # s: the "[", e: the "]"
            if (s <= start and end <= e + 1) or (start == end and s < start <= e):
                return True
        return False


def _merge_shared(segments: list[Segment]) -> tuple[Segment, ...]:
    out: list[Segment] = []
    for s in segments:
        if out and not s.options and not out[-1].options and s.status is None \
                and out[-1].status is None:
            out[-1] = Segment(text=out[-1].text + s.text)
        else:
            out.append(s)
    return tuple(out)


def _agreed_ranges(doc: Document) -> dict[int, list[tuple[int, int]]]:
    """Character ranges of each block that stand inside outermost square brackets; the
    alternatives of one set ("[US: a][DPRK: b]") count as one range."""
    ranges: dict[int, list[tuple[int, int]]] = {}
    for span in parse(doc).spans:
        if span.depth:
            continue
        start, end = span.start, span.end
        for block in range(start.block, end.block + 1):
            s = start.offset if block == start.block else -1
            e = end.offset if block == end.block else len(doc.blocks[block].text) + 1
            spans = ranges.setdefault(block, [])
            text = doc.blocks[block].text
            if spans and s >= 0 and not text[spans[-1][1] + 1 : s].strip():
                spans[-1] = (spans[-1][0], e)  # adjacent alternative: one range
            else:
                spans.append((s, e))
    return ranges
