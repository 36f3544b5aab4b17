"""`draft init`: a new workspace with a small example that builds and diffs at once: two
delegations sharing a river (bilateral, positions only), or six parties in two recorded
rounds of talks (multilateral), for joint texts and progress among many."""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

from ..errors import DraftingError

EXAMPLES = {  # name -> what to do first in it: (command, why)
    "bilateral": (("draft build treaty --side north", "record North's draft"),
                  ("draft build treaty --side south", "and South's"),
                  ("draft diff treaty@north treaty@south", "what South proposes otherwise")),
    "multilateral": (("draft joint talks", "the joint text of every party's latest draft"),
                     ("draft progress talks", "open points round by round")),
}

# What a workspace never commits: the rebuildable index, the store's lock, and temporary
# files an interrupted write can leave (revisions themselves are committed and shared).
GITIGNORE = """\
# drafting: rebuildable caches, locks and interrupted writes; revisions are committed
drafts/*/.cache/
drafts/*/.lock
drafts/*/revisions/*.tmp
"""



def create_workspace(target: Path, example: str = "bilateral") -> list[Path]:
    """Copy the example into target (which must be empty or absent); return the files."""
    if example not in EXAMPLES:
        raise DraftingError(f"no example {example!r} (there are: {', '.join(EXAMPLES)})")
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise DraftingError("refusing to initialise a folder that is not empty", target)
    files = resources.files(__package__) / example
    written: list[Path] = []

    def copy(node, dest: Path) -> None:  # type: ignore[no-untyped-def]
        for child in sorted(node.iterdir(), key=lambda c: c.name):
            if child.is_dir():
                copy(child, dest / child.name)
            else:
                dest.mkdir(parents=True, exist_ok=True)
                (dest / child.name).write_bytes(child.read_bytes())
                written.append(dest / child.name)

    created = not target.exists()
    try:
        copy(files, target)
        (target / ".gitignore").write_text(GITIGNORE, encoding="utf-8")
        written.append(target / ".gitignore")
    except OSError as e:  # nothing half-written: remove what was created
        for path in reversed(written):
            path.unlink(missing_ok=True)
        if created:
            shutil.rmtree(target, ignore_errors=True)
        raise DraftingError(f"cannot create the workspace: {e.strerror}",
                            e.filename or target) from None
    return written
