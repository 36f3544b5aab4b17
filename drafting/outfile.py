"""Write a file whole or not at all: a temporary file beside it, then a rename.

`write_output` is for what a user names with `-o`: it never writes into a revision store
and never renames over a device or a pipe (it writes into those directly, as a shell
redirection would). `write_atomic` is the primitive the store itself uses.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from .errors import DraftingError

_STORE_FOLDERS = ("revisions", ".cache")  # inside drafts/<agreement>/


def _file_mode() -> int:
    """What open() would give a new file under the current umask (0644 under 022)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_atomic(path: Path, data: bytes | str, *, sync_folder: bool = False) -> None:
    """Write data to path: whole or not at all. With sync_folder, the rename itself is
    made durable too (the revision store needs that; an output file does not)."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise DraftingError("output folder does not exist", folder)
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as e:
        raise DraftingError(f"cannot write: {e.strerror}", path) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), _file_mode())  # mkstemp makes 0600 whatever the umask
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException as e:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(e, OSError):
            raise DraftingError(f"cannot write: {e.strerror}", path) from None
        raise
    if sync_folder:
        folder_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(folder_fd)
        finally:
            os.close(folder_fd)


def write_output(path: Path, data: bytes | str) -> None:
    """Write a file the user asked for with -o."""
    _refuse_store_paths(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        info = None
    except OSError as e:
        raise DraftingError(f"cannot write: {e.strerror}", path) from None
    if info is None or stat.S_ISREG(info.st_mode):
        write_atomic(path, data)
    elif stat.S_ISCHR(info.st_mode) or stat.S_ISFIFO(info.st_mode):
        _write_in_place(path, data.encode("utf-8") if isinstance(data, str) else data)
    elif stat.S_ISDIR(info.st_mode):
        raise DraftingError("is a folder: give a file name", path)
    else:
        raise DraftingError("not a regular file, a terminal or a pipe: refusing to write "
                            "to it", path)


def _refuse_store_paths(path: Path) -> None:
    """Revisions are facts: no output may land among them, nor in the cache or the lock,
    whether named directly or through a link."""
    for target in (Path(os.path.realpath(path.parent or ".")) / path.name,
                   Path(os.path.realpath(path))):
        folders = (target, *target.parents)
        for folder in folders:
            in_store = (folder.name in _STORE_FOLDERS and folder != target) or (
                folder == target and folder.name == ".lock")
            if in_store and folder.parent.parent.name == "drafts":
                raise DraftingError("refusing to write into the revision store "
                                    f"({folder.parent.name}/{folder.name}): choose another "
                                    "output file", path)


def _write_in_place(path: Path, data: bytes) -> None:
    """A device (/dev/stdout, /dev/null) or a named pipe: written as it is, never replaced."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CLOEXEC)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)
    except OSError as e:
        raise DraftingError(f"cannot write: {e.strerror}", path) from None
