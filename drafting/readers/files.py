"""Reading an input file: one clear line for a missing, oversized or unreadable file."""

from __future__ import annotations

from pathlib import Path

from ..errors import DraftingError


def read_limited(path: Path, limit: int) -> bytes:
    try:
        if path.stat().st_size > limit:
            raise DraftingError(f"file too large (over {limit} bytes)", path)
        return path.read_bytes()
    except FileNotFoundError:
        raise DraftingError("no such file", path) from None
    except IsADirectoryError:
        raise DraftingError("is a folder, not a file", path) from None
    except OSError as e:
        raise DraftingError(f"cannot read: {e.strerror}", path) from None
