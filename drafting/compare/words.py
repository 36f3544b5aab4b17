"""Word-level diff of two texts on diff-match-patch.

diff-match-patch compares characters. Mapping each distinct token (word, space run or
punctuation mark) to one character makes it compare tokens instead, so a change can never
begin or end inside a word; its semantic cleanup then merges fragmented edits into the
phrase-level replacements a lawyer reads ("[-jumps over-][+walks past+]").
"""

from __future__ import annotations

import functools
import re
from collections.abc import Hashable, Sequence

from diff_match_patch import diff_match_patch

from ..model import DELETE, EQUAL, INSERT, OBJECT_OPEN, Op
from .fastdiff import diff_main
from .patience import identical_pairs
from .tokens import EXACT, Options, tokenize

_DMP_OPS = {0: EQUAL, -1: DELETE, 1: INSERT}
_MODALS = re.compile(r"\b(shall|may|must|should|will|can|could|might|would)\b", re.I)
_NUMBER = re.compile(r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
                     r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|"
                     r"thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|"
                     r"million|first|second|third|fourth|fifth|half|twice)\b", re.I)
_NOT_WORD = re.compile(r"[\W_]")
_REMEMBERED_KIND = 64  # characters of a change whose kind is remembered (see change_kind)
_PATIENCE_ABOVE = 4_000_000  # tokens (old x new) beyond which a diff is anchored first
_PATIENCE_GAP = 250_000  # stretches between anchors up to this size get diff-match-patch
# Tokens (old + new) of one word diff, above which it is made of coarser units: sentences,
# else the whole text. Its cost grows with the changes it finds (cleanup and classing run
# in Python): 100,000 tokens (some 100 pages in one paragraph) with every other word
# changed take about 2 CPU seconds. Real paragraphs stay far below it.
MAX_DIFF_TOKENS = 100_000
_SENTENCE_END = re.compile(r"[.;:!?]")
_FIRST_CODE = 0x100  # leave ASCII and Latin-1 alone; skip surrogates below
_SURROGATES = range(0xD800, 0xE000)


def new_engine() -> diff_match_patch:
    dmp = diff_match_patch()
    dmp.Diff_Timeout = 0  # no clock in the result: the same inputs give the same diff
    return dmp


class TokenCodec:
    """Maps tokens (or any hashable keys) to single characters; one codec serves a whole
    comparison, so equal tokens get equal characters on both sides."""

    def __init__(self, options: Options = EXACT):
        self.options = options
        self._codes: dict[Hashable, str] = {}

    def encode(self, tokens: Sequence[Hashable]) -> str:
        keys = list(map(self.options.key, tokens)) if self.options.any else tokens
        codes = self._codes
        try:
            return "".join(map(codes.__getitem__, keys))
        except KeyError:
            for key in keys:
                if key not in codes:
                    n = _FIRST_CODE + len(codes)
                    if n >= _SURROGATES.start:
                        n += len(_SURROGATES)
                    codes[key] = chr(n)
            return "".join(map(codes.__getitem__, keys))


def diff_tokens(old: list[str], new: list[str], codec: TokenCodec,
                dmp: diff_match_patch | None = None) -> list[Op]:
    """Ops turning old tokens into new tokens, cleaned up and classified."""
    dmp = dmp or new_engine()
    old, new = bounded(old, new)
    a, b = codec.encode(old), codec.encode(new)
    # Diff in one canonical direction and mirror, so that swapping the two sides swaps
    # insertions and deletions exactly (the semantic cleanup alone is not symmetric).
    swap = old > new  # by the tokens themselves: the characters depend on encoding order
    diffs = _diff_main(b, a, dmp) if swap else _diff_main(a, b, dmp)
    dmp.diff_cleanupSemantic(diffs)
    if swap:
        diffs = [(-code, chars) for code, chars in diffs]
    ops: list[Op] = []
    i = j = 0
    for code, chars in diffs:
        n = len(chars)
        op = _DMP_OPS[code]
        if op == EQUAL:  # keep the new side's spelling (they differ only in ignored ways)
            text = "".join(new[j : j + n])
            i, j = i + n, j + n
        elif op == DELETE:
            text = "".join(old[i : i + n])
            i += n
        else:
            text = "".join(new[j : j + n])
            j += n
        ops.append(Op(op, text))
    return classify(ops, codec.options)


def bounded(old: list[str], new: list[str]) -> tuple[list[str], list[str]]:
    """The units to diff: the tokens, or where there are more than MAX_DIFF_TOKENS of
    them, sentences (a run of tokens to a full stop, colon, semicolon, question or
    exclamation mark and the space after it), or where even those are too many, each
    whole text as one unit."""
    if len(old) + len(new) <= MAX_DIFF_TOKENS:
        return old, new
    old, new = _sentences(old), _sentences(new)
    if len(old) + len(new) <= MAX_DIFF_TOKENS:
        return old, new
    return ["".join(old)], ["".join(new)]


def _sentences(tokens: list[str]) -> list[str]:
    out: list[str] = []
    start = 0
    for k in range(1, len(tokens)):
        if tokens[k].isspace() and _SENTENCE_END.fullmatch(tokens[k - 1]):
            out.append("".join(tokens[start : k + 1]))
            start = k + 1
    if start < len(tokens):
        out.append("".join(tokens[start:]))
    return out


def _diff_main(a: str, b: str, dmp: diff_match_patch) -> list[tuple[int, str]]:
    """diff-match-patch's diff; for very long texts (a table of thousands of rows as one
    block), first anchored on the tokens found once on each side, as its O(ND) bisection
    would take seconds where nearly every row has a small change."""
    if len(a) * len(b) <= _PATIENCE_ABOVE:
        return diff_main(a, b)
    diffs: list[tuple[int, str]] = []
    i = j = 0  # next unmatched position on each side
    start = 0  # where the current run of matched items began in a
    pairs = identical_pairs(a, b, _PATIENCE_GAP)
    for x, y in [*pairs, (len(a), len(b))]:
        if x == i and y == j and x < len(a):  # the run of matched items goes on
            i, j = x + 1, y + 1
            continue
        if i > start:
            diffs.append((0, a[start:i]))
        if x > i:
            diffs.append((-1, a[i:x]))
        if y > j:
            diffs.append((1, b[j:y]))
        start, i, j = x, x + 1, y + 1
    if len(a) > start:
        diffs.append((0, a[start:]))
    dmp.diff_cleanupMerge(diffs)
    return diffs


def diff_text(old: str, new: str, options: Options = EXACT) -> list[Op]:
    """Word-level diff of two strings."""
    if old == new:
        return [Op(EQUAL, new)] if new else []
    return diff_tokens(tokenize(old), tokenize(new), TokenCodec(options))


def classify(ops: list[Op], options: Options = EXACT) -> list[Op]:
    """Order each change as delete-then-insert, label it with what kind of change it is,
    and turn the kinds the user asked to ignore back into equal text."""
    out: list[Op] = []
    i = 0
    while i < len(ops):
        if ops[i].op == EQUAL:
            _append(out, ops[i])
            i += 1
            continue
        j = i
        while j < len(ops) and ops[j].op != EQUAL:
            j += 1
        deleted = "".join(o.text for o in ops[i:j] if o.op == DELETE)
        inserted = "".join(o.text for o in ops[i:j] if o.op == INSERT)
        kind = change_kind(deleted, inserted)
        if _ignored(kind, options):
            _append(out, Op(EQUAL, inserted))
        else:
            if deleted:
                out.append(Op(DELETE, deleted, kind))
            if inserted:
                out.append(Op(INSERT, inserted, kind))
        i = j
    return out


def _append(out: list[Op], op: Op) -> None:
    """Append, merging adjacent equal runs."""
    if not op.text:
        return
    if out and out[-1].op == EQUAL and op.op == EQUAL:
        out[-1] = Op(EQUAL, out[-1].text + op.text)
    else:
        out.append(op)


def _ignored(kind: str, options: Options) -> bool:
    return (kind == "whitespace" and options.ignore_whitespace) or (
        kind == "punctuation" and options.ignore_punctuation) or (
        kind == "case" and options.ignore_case)


def change_kind(deleted: str, inserted: str) -> str:
    """What a change does, in the terms a reviewer triages by. Short changes repeat (a
    space, a comma, "shall" for "may" throughout), so their kinds are remembered."""
    if len(deleted) + len(inserted) <= _REMEMBERED_KIND:
        return _remembered_kind(deleted, inserted)
    return _kind(deleted, inserted)


def _kind(deleted: str, inserted: str) -> str:
    """(Splitting drops what the regex \\s matches: both take white space to be what
    str.isspace says.)"""
    if OBJECT_OPEN in deleted or OBJECT_OPEN in inserted:
        return "object"  # a picture, chart, shape or object added, removed or replaced
    if "".join(deleted.split()) == "".join(inserted.split()):
        return "whitespace"
    if _NOT_WORD.sub("", deleted) == _NOT_WORD.sub("", inserted):
        return "punctuation"
    if deleted.lower() == inserted.lower():
        return "case"
    if [m.lower() for m in _MODALS.findall(deleted)] != [m.lower() for m in
                                                         _MODALS.findall(inserted)]:
        return "modal"
    if _NUMBER.search(deleted) or _NUMBER.search(inserted):
        return "number"
    return "text"


_remembered_kind = functools.lru_cache(maxsize=4096)(_kind)
