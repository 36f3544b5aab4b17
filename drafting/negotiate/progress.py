"""Progress round by round: how many brackets each revision carries, and how many places
the two sides' latest texts still differ after it (the brackets of their joint text).
A falling count is how negotiators measure progress."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..model import Document
from .brackets import parse
from .joint import build


@dataclass(frozen=True)
class Round:
    seq: int
    short: str
    side: str
    time: str
    spans: int  # bracketed spans in the revision's own text
    alternatives: int  # sets of alternatives in it
    strays: int  # unbalanced brackets in it
    open_points: int | None  # differences between the sides' latest texts (None: one side
    # has no revision yet)

    def to_dict(self) -> dict[str, object]:
        return dict(self.__dict__)


def rounds(history: Sequence[tuple[int, str, str, str, Document]],
           sides: tuple[str, str]) -> list[Round]:
    """history: (seq, short id, side, time, document) in sequence order."""
    latest: dict[str, Document] = {}
    out = []
    for seq, short, side, time, document in history:
        latest[side] = document
        report = parse(document)
        open_points = None
        if sides[0] in latest and sides[1] in latest:
            joint = build([(side, side, latest[side]) for side in sides])
            open_points = joint.differences()
        out.append(Round(seq, short, side, time, len(report.spans), len(report.alternatives),
                         len(report.strays), open_points))
    return out
