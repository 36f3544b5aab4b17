"""The `draft` program's standard streams, which it may find closed or unwritable.

A stream closed before the program starts (`draft diff a b >&-`) is held by /dev/null, so
that no file the program opens takes its number (a file written to descriptor 1 would
receive whatever is printed), and writing to it fails. A write that fails (a full disk,
/dev/full, a closed stream) is one line on standard error and exit status 2, never a
traceback; a reader that has gone (`draft diff ... | head -1`) is not an error.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import sys

EXIT_ERROR = 2


class _Closed(io.RawIOBase):
    """A standard stream that was closed when the program started: writing to it fails."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name

    def writable(self) -> bool:
        return True

    def write(self, data: object) -> int:
        raise OSError(errno.EBADF, f"standard {self.name} was closed when draft started")


def hold_closed() -> None:
    """Hold each standard stream closed at start: its descriptor by /dev/null, its Python
    stream by one that refuses writes."""
    for fd, name in ((0, "input"), (1, "output"), (2, "error")):
        try:
            os.fstat(fd)
        except OSError:
            held = os.open(os.devnull, os.O_RDWR)  # the lowest free number: fd
            if held != fd:
                os.close(held)
                continue
            if fd:
                stream = io.TextIOWrapper(io.BufferedWriter(_Closed(name)), "utf-8")
                setattr(sys, "stdout" if fd == 1 else "stderr", stream)


def flush() -> OSError | None:
    """Flush standard output and error; the first write error (a reader that has gone,
    or a stream the command closed, is none)."""
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (BrokenPipeError, ValueError):
            pass
        except OSError as e:
            return e
    return None


def failed(error: OSError) -> int:
    """Say in one line, if standard error can still take it, that a write failed (an
    OSError that reaches the program's top is one: reading is reported by the command, as
    a DraftingError); the exit status."""
    where = f"{error.filename}: " if error.filename else "cannot write the output: "
    with contextlib.suppress(OSError, ValueError, AttributeError):
        sys.stderr.write(f"draft: error: {where}{error.strerror or error}\n")
        sys.stderr.flush()
    return EXIT_ERROR
