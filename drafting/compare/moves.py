"""Moved runs of words: a sentence or clause cut from one place and pasted in another.

After the word diff, every deleted run is searched for stretches of at least
MIN_MOVED_WORDS words that reappear inside an inserted run elsewhere. Those stretches are
split out of their runs and tagged with one move id at both ends, so that writers show them
as moved (green) instead of as a deletion and an unrelated insertion.

The work is linear in the words of the deleted and inserted runs: runs the word diff
already tokenised are not tokenised again, a run too short to hold a move is skipped
unread, an n-gram that starts more than _MAX_HITS stretches of inserted text (boilerplate)
seeds no move, and the words already claimed by a move are marked, not searched.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from ..model import DELETE, INSERT, BlockChange, Move, Op
from .align import MIN_MOVED_WORDS
from .tokens import TOKEN, WORD

_MAX_HITS = 16  # places an n-gram of inserted text may start before it counts as boilerplate
_MIN_CHARS = 2 * MIN_MOVED_WORDS - 1  # the shortest text that can hold MIN_MOVED_WORDS words

# tokens the word diff made of an op: change index -> op index -> tokens
Tokens = dict[int, dict[int, list[str]]]


@dataclass
class _Run:
    entry: int  # index into the block changes
    op: int  # index into that block's ops
    words: list[str]  # normalised words
    starts: list[int]  # char offset of each word in op.text
    ends: list[int]
    claimed: bytearray = field(default_factory=bytearray)  # 1 for a word a move took


def _runs(blocks: list[BlockChange], kind: str, tokens: Tokens) -> list[_Run]:
    runs = []
    for e, block in enumerate(blocks):
        if block.role == "from":
            continue  # a whole moved block is already one move
        known = tokens.get(e, {})
        for k, op in enumerate(block.ops):
            if op.op != kind or op.move or len(op.text) < _MIN_CHARS:
                continue
            words, starts, ends = [], [], []
            if k in known:
                pos = 0
                for token in known[k]:
                    if WORD.match(token):
                        words.append(token.lower())
                        starts.append(pos)
                        ends.append(pos + len(token))
                    pos += len(token)
            else:  # a whole block inserted or deleted: never tokenised before
                for m in TOKEN.finditer(op.text):
                    if WORD.match(m.group()):
                        words.append(m.group().lower())
                        starts.append(m.start())
                        ends.append(m.end())
            if len(words) >= MIN_MOVED_WORDS:
                runs.append(_Run(e, k, words, starts, ends, bytearray(len(words))))
    return runs


def find_moved_runs(blocks: list[BlockChange], first_id: int,
                    where: Callable[[BlockChange, str], str], tokens: Tokens | None = None
                    ) -> tuple[list[BlockChange], list[Move]]:
    """Return the block changes with moved runs split out and tagged, and the moves.
    `tokens` holds the tokens of the ops the word diff made, so as not to split them
    again."""
    deleted = _runs(blocks, DELETE, tokens or {})
    inserted = _runs(blocks, INSERT, tokens or {}) if deleted else []
    if not deleted or not inserted:
        return blocks, []
    n = MIN_MOVED_WORDS
    index: dict[tuple[str, ...], list[tuple[int, int]]] = {}
    for r, run in enumerate(inserted):
        for w in range(len(run.words) - n + 1):
            hits = index.setdefault(tuple(run.words[w : w + n]), [])
            if len(hits) <= _MAX_HITS:
                hits.append((r, w))
    cuts: dict[tuple[int, int], list[tuple[int, int, str]]] = {}  # (entry, op) -> spans
    moves: list[Move] = []
    for run in deleted:
        w = 0
        while w <= len(run.words) - n:
            hits = index.get(tuple(run.words[w : w + n]))
            hit = _first_free(hits, inserted, n) if hits and len(hits) <= _MAX_HITS else None
            if hit is None:
                w += 1
                continue
            r, iw = hit
            target = inserted[r]
            length = n
            while (w + length < len(run.words) and iw + length < len(target.words)
                   and run.words[w + length] == target.words[iw + length]
                   and not target.claimed[iw + length]):
                length += 1
            target.claimed[iw : iw + length] = b"\x01" * length
            move_id = f"m{first_id + len(moves)}"
            cuts.setdefault((run.entry, run.op), []).append(
                (run.starts[w], run.ends[w + length - 1], move_id))
            cuts.setdefault((target.entry, target.op), []).append(
                (target.starts[iw], target.ends[iw + length - 1], move_id))
            source, dest = blocks[run.entry], blocks[target.entry]
            moves.append(Move(move_id, "words", where(source, "old"), where(dest, "new"), length,
                              _excerpt(blocks[run.entry].ops[run.op].text[
                                  run.starts[w] : run.ends[w + length - 1]])))
            w += length
    if not moves:
        return blocks, []
    out = list(blocks)
    for (e, k), spans in cuts.items():
        ops = list(out[e].ops)
        ops[k : k + 1] = _split(ops[k], sorted(spans))
        out[e] = replace(out[e], ops=tuple(ops))
    return out, moves


def _first_free(hits: list[tuple[int, int]], inserted: list[_Run], n: int
                ) -> tuple[int, int] | None:
    """The first hit whose n words no move has claimed yet."""
    for r, w in hits:
        if inserted[r].claimed.find(1, w, w + n) < 0:
            return r, w
    return None


def _split(op: Op, spans: list[tuple[int, int, str]]) -> list[Op]:
    pieces = []
    pos = 0
    for start, end, move_id in spans:
        if start > pos:
            pieces.append(Op(op.op, op.text[pos:start], op.kind))
        pieces.append(Op(op.op, op.text[start:end], "move", move_id))
        pos = end
    if pos < len(op.text):
        pieces.append(Op(op.op, op.text[pos:], op.kind))
    return pieces


def _excerpt(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
