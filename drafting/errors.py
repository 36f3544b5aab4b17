"""One exception type for every failure a user must read: a single line naming the file
(and line, where there is one). The CLI prints it and exits non-zero; nothing else is
supposed to reach the user as a traceback."""

from __future__ import annotations

from pathlib import Path


class DraftingError(Exception):
    def __init__(self, message: str, path: str | Path | None = None, line: int | None = None):
        self.message = " ".join(str(message).split())  # always one line
        self.path = str(path) if path is not None else None
        self.line = line
        super().__init__(str(self))

    def relative_to(self, root: Path) -> DraftingError:
        """The same error with an absolute path inside root shown relative to it, as
        `draft check` shows files."""
        if self.path and Path(self.path).is_absolute():
            for base in (root, root.resolve()):
                try:
                    relative = Path(self.path).relative_to(base).as_posix()
                except ValueError:
                    continue
                return DraftingError(self.message, relative, self.line)
        return self

    def __str__(self) -> str:
        where = self.path or ""
        if where and self.line:
            where += f":{self.line}"
        return f"{where}: {self.message}" if where else self.message
