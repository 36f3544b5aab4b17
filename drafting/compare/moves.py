"""Moved runs of words: a sentence or clause cut from one place and pasted in another.

After the word diff, every deleted run is searched for stretches of at least
MIN_MOVED_WORDS words that reappear inside an inserted run elsewhere. Those stretches are
split out of their runs and tagged with one move id at both ends, so that writers show them
as moved (green) instead of as a deletion and an unrelated insertion.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from ..model import DELETE, INSERT, BlockChange, Move, Op
from .align import MIN_MOVED_WORDS
from .tokens import TOKEN, WORD


@dataclass
class _Run:
    entry: int  # index into the block changes
    op: int  # index into that block's ops
    words: list[str]  # normalised words
    starts: list[int]  # char offset of each word in op.text
    ends: list[int]


def _runs(blocks: list[BlockChange], kind: str) -> list[_Run]:
    runs = []
    for e, block in enumerate(blocks):
        if block.role == "from":
            continue  # a whole moved block is already one move
        for k, op in enumerate(block.ops):
            if op.op != kind or op.move:
                continue
            words, starts, ends = [], [], []
            for m in TOKEN.finditer(op.text):
                if WORD.match(m.group()):
                    words.append(m.group().lower())
                    starts.append(m.start())
                    ends.append(m.end())
            if len(words) >= MIN_MOVED_WORDS:
                runs.append(_Run(e, k, words, starts, ends))
    return runs


def find_moved_runs(blocks: list[BlockChange], first_id: int,
                    where: Callable[[BlockChange, str], str]
                    ) -> tuple[list[BlockChange], list[Move]]:
    """Return the block changes with moved runs split out and tagged, and the moves."""
    deleted, inserted = _runs(blocks, DELETE), _runs(blocks, INSERT)
    if not deleted or not inserted:
        return blocks, []
    n = MIN_MOVED_WORDS
    index: dict[tuple[str, ...], list[tuple[int, int]]] = {}
    for r, run in enumerate(inserted):
        for w in range(len(run.words) - n + 1):
            index.setdefault(tuple(run.words[w : w + n]), []).append((r, w))
    used_ins: dict[int, list[tuple[int, int]]] = {}
    cuts: dict[tuple[int, int], list[tuple[int, int, str]]] = {}  # (entry, op) -> spans
    moves: list[Move] = []
    for run in deleted:
        w = 0
        while w <= len(run.words) - n:
            hit = _first_free(index.get(tuple(run.words[w : w + n]), []), used_ins, n)
            if hit is None:
                w += 1
                continue
            r, iw = hit
            target = inserted[r]
            length = n
            taken = used_ins.get(r, [])
            while (w + length < len(run.words) and iw + length < len(target.words)
                   and run.words[w + length] == target.words[iw + length]
                   and not any(a <= iw + length < b for a, b in taken)):
                length += 1
            move_id = f"m{first_id + len(moves)}"
            used_ins.setdefault(r, []).append((iw, iw + length))
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


def _first_free(hits: list[tuple[int, int]], used: dict[int, list[tuple[int, int]]], n: int
                ) -> tuple[int, int] | None:
    """The first hit whose n words overlap no stretch already claimed by another move."""
    for r, w in hits:
        if all(b <= w or w + n <= a for a, b in used.get(r, [])):
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
