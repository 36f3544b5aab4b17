"""`draft joint`: open the drafts and build their joint text (outputs.JOINT writes it)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from .errors import DraftingError
from .inputs import Source, is_file_argument, open_source
from .negotiate.joint import build
from .outputs import JointResult

MAX_DRAFTS = 26  # parties told apart by a letter when one side gives several drafts


def side_key(source: Source) -> str:
    return source.side or re.sub(r"[^A-Za-z0-9-]", "", Path(source.ref).stem)[:20] or "side"


def _in_agreement_order(sources: list[Source], root: Path | None) -> list[Source]:
    """The agreement's order of sides (drafts of one side, and files, as given)."""
    orders: dict[str, list[str]] = {}

    def rank(n: int) -> tuple[int, int]:
        revision = sources[n].revision
        if revision is None:
            return (1 << 30, n)
        if revision.agreement not in orders:
            from .workspace import Workspace, find_workspace, load_agreement

            ws = Workspace(root) if root else find_workspace(Path.cwd())
            orders[revision.agreement] = list(load_agreement(ws, revision.agreement).sides)
        sides = orders[revision.agreement]
        return (sides.index(revision.side) if revision.side in sides else len(sides), n)

    return [sources[n] for n in sorted(range(len(sources)), key=rank)]


def _every_party(agreement: str, root: Path | None) -> list[str]:
    """An agreement named alone: the latest draft of each side that has one."""
    from .build import open_store
    from .workspace import Workspace, find_workspace, load_agreement

    ws = Workspace(root) if root else find_workspace(Path.cwd())
    loaded = load_agreement(ws, agreement)
    built = {info.side for info in open_store(ws, loaded).infos()}
    sides = [side for side in loaded.sides if side in built]
    if len(sides) < 2:
        raise DraftingError(f"a joint text needs two or more drafts; {agreement} has drafts "
                            f"of {len(sides)} side{'' if len(sides) == 1 else 's'}")
    return [f"{agreement}@{side}" for side in sides]


def make_joint(refs: Sequence[str], base_ref: str | None, root: Path | None,
               lead: str | None = None) -> JointResult:
    """The joint text of the drafts refs name; one agreement named alone stands for the
    latest draft of each of its sides."""
    if len(refs) == 1 and "@" not in refs[0] and not is_file_argument(refs[0]):
        refs = _every_party(refs[0], root)
    if len(refs) < 2:
        raise DraftingError("a joint text needs two or more drafts")
    if len(refs) > MAX_DRAFTS:
        raise DraftingError(f"too many drafts for one joint text: {len(refs)} "
                            f"(at most {MAX_DRAFTS})")
    sources = _in_agreement_order([open_source(ref, root) for ref in refs], root)
    keys = [side_key(s) for s in sources]
    for key in set(keys):  # several drafts of one side: tell them apart by letter
        if keys.count(key) > 1:
            letters = iter("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
            keys = [f"{k}-{next(letters)}" if k == key else k for k in keys]
    base = open_source(base_ref, root).document if base_ref else None
    lead_key = _lead(lead, keys) if lead else None
    joint = build([(k, s.name, s.document) for k, s in zip(keys, sources, strict=True)],
                  base, lead_key)
    return JointResult(joint, tuple(sources), base_ref, root)


def _lead(wanted: str, keys: list[str]) -> str:
    for key in keys:
        if key.lower() == wanted.lower():
            return key
    raise DraftingError(f"--numbering {wanted}: not one of the parties ({', '.join(keys)})")
