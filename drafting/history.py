"""An agreement's revisions read back as a negotiation: bracket counts round by round."""

from __future__ import annotations

from .build import open_store
from .errors import DraftingError
from .negotiate.progress import Round, rounds
from .workspace import Workspace, load_agreement


def progress(ws: Workspace, agreement_name: str) -> tuple[list[Round], tuple[str, str]]:
    agreement = load_agreement(ws, agreement_name)
    sides = tuple(agreement.sides)
    if len(sides) != 2:
        raise DraftingError(f"progress compares two sides; {agreement_name} has {len(sides)}",
                            agreement.path)
    store = open_store(ws, agreement)
    history = [(i.seq, i.short, i.side, i.time, store.load(i.id).document)
               for i in store.infos()]
    if not history:
        raise DraftingError(f"{agreement_name} has no revisions yet "
                            f"(run 'draft build {agreement_name} --side SIDE')")
    return rounds(history, (sides[0], sides[1])), (sides[0], sides[1])
