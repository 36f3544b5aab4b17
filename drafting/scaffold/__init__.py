"""`draft init`: a new workspace with a small example that builds and diffs at once."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from ..errors import DraftingError


def create_workspace(target: Path) -> list[Path]:
    """Copy the example into target (which must be empty or absent); return the files."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise DraftingError("refusing to initialise a folder that is not empty", target)
    files = resources.files(__package__) / "files"
    written: list[Path] = []

    def copy(node, dest: Path) -> None:  # type: ignore[no-untyped-def]
        for child in sorted(node.iterdir(), key=lambda c: c.name):
            if child.is_dir():
                copy(child, dest / child.name)
            else:
                dest.mkdir(parents=True, exist_ok=True)
                (dest / child.name).write_bytes(child.read_bytes())
                written.append(dest / child.name)

    copy(files, target)
    return written
