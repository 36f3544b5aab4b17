"""The user's own cache folder for what is derived from a workspace's files (compiled
templates, parsed clause files): never inside a workspace, whose files may come from
elsewhere. DRAFTING_CACHE=off disables it; DRAFTING_CACHE=DIR moves it."""

from __future__ import annotations

import os
import pickle
import stat
import tempfile
from pathlib import Path
from typing import Any


def cache_folder(name: str) -> Path | None:
    setting = os.environ.get("DRAFTING_CACHE", "")
    if setting.lower() in ("0", "off", "no", "false"):
        return None
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "drafting"
    folder = Path(setting) / name if setting else base / name
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        info = folder.lstat()
    except OSError:
        return None
    if not _private(info):
        return None
    return folder


def _private(info: os.stat_result) -> bool:
    """A cached object is loaded with pickle, which runs code: only a real folder of the
    user's own that nobody else can write to is trusted (as Jinja does for its own)."""
    return (stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid()
            and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH))


def load(path: Path) -> Any:
    """What was stored at path, or None (absent, unreadable or from another version)."""
    try:
        with open(path, "rb") as handle:
            return pickle.load(handle)
    except Exception:  # a cache that cannot be read is a cache miss, whatever the reason
        return None


def store(path: Path, value: Any) -> None:
    """Replace path atomically; a failure only loses the cache."""
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        pass
