"""The `draft` program's entry point. It imports the command line only once it can answer
Ctrl-C: an interrupt while the modules load (a third of a short command's time) is one
line and status 2, as it is once a command runs, not a traceback."""

from __future__ import annotations

import os
import sys

INTERRUPTED = "draft: error: interrupted\n"


def run() -> None:
    """Load the command line and run it; exit 2 on an interrupt it did not catch itself."""
    try:
        from .cli import run as command

        command()
    except KeyboardInterrupt:
        try:
            sys.stderr.write(INTERRUPTED)
            sys.stderr.flush()
        except (OSError, ValueError):
            pass
        os._exit(2)
