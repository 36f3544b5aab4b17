"""Progress round by round: how many brackets each revision carries, and how many places
the parties' latest texts still differ after it (the open points of their joint text),
with, per party, the places where it stands alone. A falling count is how negotiators
measure progress; in a room of six, who is isolated on how many points is the next
question."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ..model import Document
from .brackets import parse
from .joint import Comparisons, build


@dataclass(frozen=True)
class Round:
    seq: int
    short: str
    side: str
    time: str
    spans: int  # bracketed spans in the revision's own text
    alternatives: int  # sets of alternatives in it
    strays: int  # unbalanced brackets in it
    open_points: int | None  # differences among the latest drafts of the parties that have
    # one (None: fewer than two have)
    parties: int = 0  # how many parties have a draft after this revision
    alone: dict[str, int] = field(default_factory=dict)  # party -> open points where no
    # other party proposes its wording

    def to_dict(self) -> dict[str, object]:
        return {**self.__dict__, "alone": dict(self.alone)}


def rounds(history: Sequence[tuple[int, str, str, str, Document]],
           sides: Sequence[str]) -> list[Round]:
    """history: (seq, short id, side, time, document) in sequence order; sides: every
    party, in the agreement's order (the last gives the joint text's order, as in
    `draft joint`)."""
    latest: dict[str, Document] = {}
    comparisons = Comparisons()  # one draft changes per revision: the others' work is kept
    out = []
    for seq, short, side, time, document in history:
        latest[side] = document
        report = parse(document)
        open_points, alone = None, {}
        present = [s for s in sides if s in latest]
        if len(present) >= 2:
            joint = build([(s, s, latest[s]) for s in present], comparisons=comparisons)
            open_points, alone = joint.differences(), joint.alone()
        out.append(Round(seq, short, side, time, len(report.spans), len(report.alternatives),
                         len(report.strays), open_points, len(present), alone))
    return out
