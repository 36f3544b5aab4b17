"""An agreement's revisions read back as a negotiation: bracket counts and open points
round by round, among all the parties."""

from __future__ import annotations

from .build import open_store
from .errors import DraftingError
from .negotiate.progress import Round, rounds
from .workspace import Workspace, load_agreement


def progress(ws: Workspace, agreement_name: str) -> tuple[list[Round], tuple[str, ...]]:
    agreement = load_agreement(ws, agreement_name)
    sides = tuple(agreement.sides)
    store = open_store(ws, agreement)
    history = [(i.seq, i.short, i.side, i.time, store.load(i.id).document)
               for i in store.infos()]
    if not history:
        raise DraftingError(f"{agreement_name} has no revisions yet "
                            f"(run 'draft build {agreement_name} --side SIDE')")
    return rounds(history, sides), sides
