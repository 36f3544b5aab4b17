"""A joint negotiating text built from the drafts of two or more parties.

Text every party shares stands plain; where drafts differ, each distinct wording appears
once, labelled with every party that proposes it, at the smallest sensible span: the
phrase that differs, not the paragraph ("within [US, ROK: thirty (30)][DPRK: ninety (90)]
days"). A block that some parties do not have at all is bracketed whole, the parties
without it standing for "—".

One party leads: its draft gives the order of the blocks and their numbers, and every
other draft is compared with it (block alignment and word diff, `compare`). Each party's
changes to the lead's text are "hunks" in the lead's character offsets; hunks of different
parties that overlap or touch form one difference, and each party's wording there is the
lead's text with that party's hunks applied. Nothing depends on the order in which the
other drafts are given: blocks that the lead lacks are grouped by the same method, led by
a draft chosen by its content.

With a base (the last agreed or last sent text) the same is done against the base's
text, as diff3 does for two: each difference records which parties changed the base text
there and, by its wordings, whether they agree. A change to base text that stood outside
square brackets reopens agreed language, and is flagged as such.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from ..compare import EXACT, compare
from ..compare.align import align
from ..compare.tokens import tokenize
from ..compare.words import TokenCodec, diff_tokens, new_engine
from ..model import DELETE, EQUAL, INSERT, Block, BlockChange, Document, Op
from .brackets import parse

_JOIN_GAP = re.compile(r"\s*\S+(\s+\S+)?\s*")  # at most two words between two differences
_SENTENCE_END = re.compile(r"[.;:]\s*$|[.;:]\s")


@dataclass(frozen=True)
class Segment:
    """Shared text (options empty), or each present party's wording where they differ."""

    text: str = ""
    options: tuple[tuple[str, str], ...] = ()  # (party key, its text), in the parties' order
    changed: tuple[str, ...] = ()  # with a base: the parties that changed the base text here
    reopened: bool = False  # changes base text that stood outside brackets

    def text_for(self, party: str) -> str:
        if not self.options:
            return self.text
        return next(text for key, text in self.options if key == party)

    def groups(self) -> tuple[tuple[tuple[str, ...], str], ...]:
        """Each distinct wording once with the parties proposing it, in the order of each
        wording's first proposer."""
        return _group(self.options)

    @property
    def alike(self) -> bool:
        """Whether the parties that changed the base text here changed it the same way."""
        return len({self.text_for(key) for key in self.changed}) <= 1


@dataclass(frozen=True)
class JointBlock:
    versions: dict[str, Block]  # party -> its block; the others propose no such block
    segments: tuple[Segment, ...]  # the text of the parties present
    lead: str  # the party whose label and level the block shows
    changed: tuple[str, ...] = ()  # with a base, when some parties lack the block: who
    # added it (the base lacks it) or who deleted it (the base has it)
    reopened: bool = False  # a deletion of agreed base text

    @property
    def differs(self) -> bool:
        return any(s.options for s in self.segments)

    def absent(self, parties: Iterable[str]) -> tuple[str, ...]:
        return tuple(p for p in parties if p not in self.versions)


@dataclass(frozen=True)
class JointText:
    title: str
    parties: tuple[tuple[str, str], ...]  # (key, display name), in the agreement's order
    lead: str  # whose order and numbering the joint text follows
    blocks: tuple[JointBlock, ...]
    base: bool = False
    names: dict[str, str] = field(default_factory=dict)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(key for key, _ in self.parties)

    def choose(self, party: str) -> Document:
        """That party's draft, taking its alternative everywhere."""
        blocks = []
        for joint in self.blocks:
            version = joint.versions.get(party)
            if version is not None:
                text = "".join(s.text_for(party) for s in joint.segments)
                refs = version.refs if text == version.text else ()
                blocks.append(replace(version, text=text, refs=refs))
        return Document(self.title, tuple(blocks))

    def tag(self, party: str) -> str:
        """How a party is named inside brackets: "US", "DPRK"."""
        return re.sub(r"[^A-Z0-9-]", "", party.upper()) or "SIDE"

    def tags(self, parties: Iterable[str]) -> str:
        return ", ".join(self.tag(p) for p in parties)

    def points(self) -> list[tuple[tuple[tuple[str, ...], str], ...]]:
        """Every open point: the groups of parties (and their wording) at each difference,
        a block some parties lack counting once, differences inside it each again."""
        out = []
        for block in self.blocks:
            absent = block.absent(self.keys)
            if absent:
                present = tuple(k for k in self.keys if k in block.versions)
                out.append(tuple(sorted(((present, "text"), (absent, "")),
                                        key=lambda g: self.keys.index(g[0][0]))))
            out += [s.groups() for s in block.segments if s.options]
        return out

    def differences(self) -> int:
        return len(self.points())

    def alone(self) -> dict[str, int]:
        """Per party, the open points where no other party proposes its wording."""
        counts = dict.fromkeys(self.keys, 0)
        for groups in self.points():
            for members, _ in groups:
                if len(members) == 1:
                    counts[members[0]] += 1
        return counts

    def changes(self) -> list[tuple[tuple[str, ...], bool, bool]]:
        """With a base: (parties that changed the base, whether alike, reopened) for each
        place the base text was changed."""
        out = []
        for block in self.blocks:
            if block.changed:
                out.append((block.changed, True, block.reopened))
            out += [(s.changed, s.alike, s.reopened) for s in block.segments if s.changed]
        return out


class Comparisons:
    """compare() of a draft with the lead, kept for drafts that come back: progress builds
    a joint text after every revision, and all but one of the drafts in it are the same
    objects as the round before."""

    def __init__(self) -> None:
        self._done: dict[tuple[int, int], tuple[Document, Document, tuple[BlockChange, ...]]] = {}

    def __call__(self, draft: Document, lead: Document) -> tuple[BlockChange, ...]:
        key = (id(draft), id(lead))
        hit = self._done.get(key)
        if hit is None or hit[0] is not draft or hit[1] is not lead:
            hit = self._done[key] = (draft, lead, compare(draft, lead).blocks)
        return hit[2]


def build(drafts: Sequence[tuple[str, str, Document]], base: Document | None = None,
          lead: str | None = None, comparisons: Comparisons | None = None) -> JointText:
    """The joint text of the drafts, (key, display name, document) in the parties' order;
    lead (default: the last party) gives the order and numbers. With base, how each
    difference arose. comparisons: to reuse the work of an earlier build."""
    if len(drafts) < 2:
        raise ValueError("a joint text needs two or more drafts")
    keys = [key for key, _, _ in drafts]
    if len(set(keys)) != len(keys):
        raise ValueError(f"parties named twice: {keys}")
    docs = {key: doc for key, _, doc in drafts}
    lead = lead or keys[-1]
    if lead not in docs:
        raise ValueError(f"the lead {lead!r} is not one of the parties")
    rows = _rows({k: list(range(len(docs[k].blocks))) for k in keys}, docs, lead,
                 comparisons or Comparisons())
    texts = _BaseTexts(base, docs) if base is not None else None
    order = {k: n for n, k in enumerate(keys)}
    blocks = tuple(_joint_block(row, docs, texts, order) for row in rows)
    title = docs[lead].title or next((d.title for d in docs.values() if d.title), "")
    parties = tuple((key, name) for key, name, _ in drafts)
    return JointText(title, parties, lead, blocks, base is not None, dict(parties))


# -- rows: which blocks of which parties stand together ---------------------------------

@dataclass
class _Row:
    lead: str
    members: dict[str, int]  # party -> index of its block
    ops: dict[str, tuple[Op, ...]] = field(default_factory=dict)  # party -> diff to lead's


def _rows(blocks: dict[str, list[int]], docs: Mapping[str, Document], lead: str,
          compared: Comparisons) -> list[_Row]:
    """Rows in the lead's order; blocks the lead lacks stand where they stood in their own
    draft, grouped among themselves by the same method."""
    own = blocks[lead]
    spine = [_Row(lead, {lead: i}) for i in own]
    gaps: list[dict[str, list[int]]] = [{} for _ in range(len(own) + 1)]
    lead_doc = _subset(docs[lead], own)
    others = [(p, indices) for p, indices in blocks.items() if p != lead and indices]
    for party, indices in others:
        position = 0  # spine rows passed so far
        for change in compared(_subset(docs[party], indices), lead_doc):
            if change.in_old and change.in_new:
                row = spine[change.new_index]  # type: ignore[index]
                row.members[party] = indices[change.old_index]  # type: ignore[index]
                row.ops[party] = change.ops
            elif change.in_old:
                gaps[position].setdefault(party, []).append(indices[change.old_index])  # type: ignore[index]
            if change.in_new:
                position = change.new_index + 1  # type: ignore[operator]
    out: list[_Row] = []
    for n, gap in enumerate(gaps):
        if gap:
            out += _rows(gap, docs, _content_lead(gap, docs), compared)
        if n < len(spine):
            out.append(spine[n])
    return out


def _subset(doc: Document, indices: list[int]) -> Document:
    if len(indices) == len(doc.blocks):
        return doc
    return Document(doc.title, tuple(doc.blocks[i] for i in indices))


def _content_lead(blocks: dict[str, list[int]], docs: Mapping[str, Document]) -> str:
    """A lead chosen by content alone, so that the order of the drafts does not matter:
    the most blocks, then the most text, then the first text (then the name)."""
    def key(party: str) -> tuple[int, int, tuple[str, ...], str]:
        texts = tuple(docs[party].blocks[i].text for i in blocks[party])
        return (-len(texts), -sum(map(len, texts)), texts, party)

    return min(blocks, key=key)


# -- segments inside a row ---------------------------------------------------------------

def _joint_block(row: _Row, docs: Mapping[str, Document], texts: _BaseTexts | None,
                 order: Mapping[str, int]) -> JointBlock:
    present = sorted(row.members, key=order.__getitem__)
    versions = {p: docs[p].blocks[row.members[p]] for p in present}
    base_index = texts.base_block(versions) if texts else None
    changed: tuple[str, ...] = ()
    reopened = False
    if texts is not None and len(present) < len(order):
        if base_index is None:  # the parties that have it added it
            changed = tuple(present)
        else:  # the others deleted it
            changed = tuple(k for k in order if k not in versions)
            reopened = texts.agreed_block(base_index)
    if len(present) == 1:
        segments: tuple[Segment, ...] = (Segment(text=versions[present[0]].text),)
    elif texts is not None and base_index is not None:
        segments = texts.segments(base_index, versions, present)
    else:
        lead_text = versions[row.lead].text
        hunks = {p: _hunks(row.ops[p]) for p in present if p != row.lead}
        segments = _phrases([seg for _, _, seg in _merge(
            lead_text, hunks, present, row.lead, tuple(present) if texts else ())])
    return JointBlock(versions, segments, row.lead, changed, reopened)


def _hunks(ops: Iterable[Op]) -> list[tuple[int, int, str]]:
    """A party's changes to the lead's text, (start, end, its text), in the lead's
    offsets: each maximal run of ops that are not equal. ops turn its text into the lead's."""
    out: list[tuple[int, int, str]] = []
    pos = 0
    start, own = None, ""
    for op in ops:
        if op.op == EQUAL:
            if start is not None:
                out.append((start, pos, own))
                start, own = None, ""
            pos += len(op.text)
            continue
        if start is None:
            start = pos
        if op.op == INSERT:  # text the lead has
            pos += len(op.text)
        else:  # text the party has
            own += op.text
    if start is not None:
        out.append((start, pos, own))
    return out


def _merge(reference: str, hunks: Mapping[str, list[tuple[int, int, str]]],
           present: Sequence[str], owner: str | None, changed: tuple[str, ...] = ()
           ) -> list[tuple[int, int, Segment]]:
    """Shared runs of the reference text, and a difference wherever hunks of any party
    overlap or touch, each with its span in the reference; owner is the party whose text
    the reference is (None for a base)."""
    spans = sorted((s, e) for party_hunks in hunks.values() for s, e, _ in party_hunks)
    clusters: list[list[int]] = []
    for s, e in spans:
        if clusters and s <= clusters[-1][1]:
            clusters[-1][1] = max(clusters[-1][1], e)
        else:
            clusters.append([s, e])
    cursor = dict.fromkeys(hunks, 0)  # each party's next hunk
    out: list[tuple[int, int, Segment]] = []
    pos = 0
    for start, end in clusters:
        if start > pos:
            out.append((pos, start, Segment(text=reference[pos:start])))
        options = []
        for party in present:
            if party == owner:
                options.append((party, reference[start:end]))
                continue
            text, at = "", start
            party_hunks = hunks[party]
            while cursor[party] < len(party_hunks) and party_hunks[cursor[party]][0] <= end:
                s, e, own = party_hunks[cursor[party]]
                text += reference[at:s] + own
                at = e
                cursor[party] += 1
            options.append((party, text + reference[at:end]))
        out.append((start, end, _difference(reference[start:end], tuple(options), owner,
                                            changed)))
        pos = end
    if pos < len(reference) or not out:
        out.append((pos, len(reference), Segment(text=reference[pos:])))
    return out


def _difference(reference: str, options: tuple[tuple[str, str], ...], owner: str | None,
                changed: tuple[str, ...]) -> Segment:
    texts = {text for _, text in options}
    if owner is None:  # against a base: who changed it, and is anything left to choose
        changed = tuple(p for p, text in options if text != reference)
        if len(texts) == 1:
            return Segment(text=options[0][1], changed=changed)
    elif len(texts) == 1:
        return Segment(text=options[0][1])
    return Segment(options=options, changed=changed)


def _phrases(segments: list[Segment]) -> tuple[Segment, ...]:
    """Join differences separated by at most two shared words of the same sentence (that
    divide the parties the same way, and alike in who changed them) into one phrase, and
    keep parentheses whole: "within [US: thirty (30)][DPRK: ninety (90)] days" rather than
    two brackets around the words and numbers."""
    out: list[Segment] = []
    for seg in segments:
        if (seg.options and len(out) >= 2 and out[-2].options and not out[-1].options
                and (out[-2].changed, out[-2].reopened) == (seg.changed, seg.reopened)
                and _camps(out[-2]) == _camps(seg) and _joinable(out[-1].text)):
            shared = out.pop().text
            first = out.pop()
            seg = Segment(options=tuple((key, text + shared + seg.text_for(key))
                                        for key, text in first.options),
                          changed=seg.changed, reopened=seg.reopened)
        if out and out[-1].options and not seg.options and seg.text.startswith(")") \
                and any(t.count("(") > t.count(")") for _, t in out[-1].options):
            last = out.pop()
            out.append(Segment(options=tuple((k, t + ")") for k, t in last.options),
                               changed=last.changed, reopened=last.reopened))
            seg = Segment(text=seg.text[1:], changed=seg.changed, reopened=seg.reopened)
        if out and not seg.options and not out[-1].options and not seg.changed \
                and not out[-1].changed:
            out[-1] = Segment(text=out[-1].text + seg.text)
        elif seg.text or seg.options or seg.changed:
            out.append(seg)
    return tuple(out)


def _camps(segment: Segment) -> set[tuple[str, ...]]:
    """How a difference divides the parties."""
    return {members for members, _ in segment.groups()}


def _joinable(shared: str) -> bool:
    return bool(_JOIN_GAP.fullmatch(shared)) and not _SENTENCE_END.search(shared)


def _group(options: Iterable[tuple[str, str]]) -> tuple[tuple[tuple[str, ...], str], ...]:
    groups: dict[str, list[str]] = {}
    for key, text in options:
        groups.setdefault(text, []).append(key)
    return tuple((tuple(members), text) for text, members in groups.items())


# -- against a base ------------------------------------------------------------------------

class _BaseTexts:
    """The base's blocks aligned with each draft, its agreed (unbracketed) ranges, and the
    word diff of a base block with each party's block."""

    def __init__(self, base: Document, docs: Mapping[str, Document]):
        self.base = base
        self.base_of = {p: {j: i for i, j in align(base.blocks, d.blocks, EXACT)
                            .old_to_new.items()} for p, d in docs.items()}
        self.index_of = {p: {id(b): n for n, b in enumerate(d.blocks)} for p, d in
                         docs.items()}
        self.agreed = _bracketed_ranges(base)
        self.codec = TokenCodec()
        self.dmp = new_engine()
        self.memo: dict[tuple[int, str], list[tuple[int, int, str]]] = {}

    def base_block(self, versions: Mapping[str, Block]) -> int | None:
        """The base block most parties' blocks came from (the first party's on a tie)."""
        found = [self.base_of[p].get(self.index_of[p][id(b)]) for p, b in versions.items()]
        counts = Counter(i for i in found if i is not None)
        if not counts:
            return None
        top = max(counts.values())
        return next(i for i in found if i is not None and counts[i] == top)

    def agreed_block(self, index: int) -> bool:
        text = self.base.blocks[index].text
        return bool(text.strip()) and not self.inside(index, 0, len(text))

    def segments(self, index: int, versions: Mapping[str, Block], present: Sequence[str]
                 ) -> tuple[Segment, ...]:
        base_text = self.base.blocks[index].text
        hunks = {party: self._hunks(index, versions[party].text) for party in present}
        segments = [Segment(seg.text, seg.options, seg.changed,
                            not self.inside(index, start, end)) if seg.changed else seg
                    for start, end, seg in _merge(base_text, hunks, present, None)]
        return _phrases(segments)

    def _hunks(self, index: int, text: str) -> list[tuple[int, int, str]]:
        """A party's changes to base block index; parties often share a wording, so each
        distinct one is diffed once."""
        base_text = self.base.blocks[index].text
        if text == base_text:
            return []
        key = (index, text)
        if key not in self.memo:
            ops = diff_tokens(tokenize(base_text), tokenize(text), self.codec, self.dmp)
            self.memo[key] = _hunks(_mirror(ops))
        return self.memo[key]

    def inside(self, block: int, start: int, end: int) -> bool:
        """Whether base text [start, end) (an insertion point when empty) lies within
        square brackets, brackets included, i.e. was not yet agreed."""
        for s, e in self.agreed.get(block, ()):  # s: the "[", e: the "]"
            if (s <= start and end <= e + 1) or (start == end and s < start <= e):
                return True
        return False


def _mirror(ops: Iterable[Op]) -> list[Op]:
    """Ops from base to party, turned into ops from party to base (the base is the
    reference text whose offsets hunks use)."""
    flip = {INSERT: DELETE, DELETE: INSERT, EQUAL: EQUAL}
    return [Op(flip[op.op], op.text, op.kind, op.move) for op in ops]


def _bracketed_ranges(doc: Document) -> dict[int, list[tuple[int, int]]]:
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
