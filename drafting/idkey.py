"""The workspace's secret for the block-id tokens our Word files carry.

A file sent to the other side marks each block with a bookmark named by an HMAC of the
block's id (model.bookmark_name): our workspace recomputes the tokens of the ids it knows
and so aligns a returned file by clause, while the file itself reveals nothing of our ids
(an unkeyed hash of "relief.snapback" could be checked against guesses). The key is made
on first need, readable by its owner only, in a folder that git ignores by itself.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

from .errors import DraftingError

KEY_BYTES = 32


def key_path(root: Path) -> Path:
    return root / "drafts" / ".private" / "id-key"


def saved_key(root: Path) -> bytes | None:
    """The key if the workspace has one: reading a file never creates it."""
    try:
        return _read(key_path(root))
    except FileNotFoundError:
        return None


def workspace_key(root: Path) -> bytes:
    """The workspace's key, created (atomically: concurrent first uses agree) if absent."""
    path = key_path(root)
    try:
        return _read(path)
    except FileNotFoundError:
        pass
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        ignore = folder / ".gitignore"
        if not ignore.exists():
            ignore.write_text("# secrets of this workspace: never commit\n*\n")
        tmp = folder / f".id-key.{os.getpid()}.{secrets.token_hex(4)}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(secrets.token_bytes(KEY_BYTES))
        try:
            os.link(tmp, path)  # fails if another process made the key first
        except FileExistsError:
            pass
        finally:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    except OSError as e:
        raise DraftingError(f"cannot create the workspace's id key: {e.strerror}", path) \
            from None
    return _read(path)


def _read(path: Path) -> bytes:
    if path.is_symlink():
        raise DraftingError("refused: the id key is a symbolic link", path)
    data = path.read_bytes()
    if len(data) != KEY_BYTES:
        raise DraftingError(f"damaged id key ({len(data)} bytes, expected {KEY_BYTES})",
                            path)
    return data
