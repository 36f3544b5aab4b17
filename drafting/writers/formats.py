"""Output formats: one table of names and file extensions, shared by every command that
writes, and a per-command table of writers keyed by those names.

The rule every command follows: `--format` if given, else the extension of `-o FILE`, else
the command's default; an explicit `--format` that contradicts `-o`'s extension is an
error, and so is a binary format with no file to write it to."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from ..errors import DraftingError


@dataclass(frozen=True)
class Format:
    name: str  # what --format takes
    extensions: tuple[str, ...]  # the first is the one suggested
    description: str
    binary: bool = False


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("term", (".txt",), "plain text as on a terminal (colour only on a terminal)"),
    Format("md", (".md", ".markdown"), "Markdown"),
    Format("html", (".html", ".htm"), "a self-contained HTML page"),
    Format("json", (".json",), "JSON"),
    Format("csv", (".csv",), "comma-separated values (a spreadsheet)"),
    Format("docx", (".docx",), "a Word document", binary=True),
    Format("svg", (".svg",), "an SVG chart"),
)}


def format_of(path: str | Path) -> Format | None:
    """The format a file name asks for, by its extension (None when it names none)."""
    suffix = Path(path).suffix.lower()
    return next((f for f in FORMATS.values() if suffix in f.extensions), None)


class Written(NamedTuple):
    """A writer's output with the warnings writing it gave (each line naming its file),
    for a writer whose output can lose something of its input: the CLI prints them."""

    data: str | bytes
    warnings: tuple[str, ...] = ()


Writer = Callable[[Any], "str | bytes | Written"]


class Writers:
    """The formats one command writes, each with its writer: a function of the command's
    result (one object) returning text or bytes. The CLI takes `--format`'s choices from
    here, so a format added here is at once accepted, documented and checked against -o.

        PROGRESS = Writers("progress", default="term")

        @PROGRESS.writer("svg")
        def _svg(result: ProgressResult) -> str: ...
    """

    def __init__(self, command: str, default: str):
        self.command = command
        self.default = default
        self._writers: dict[str, Writer] = {}

    def writer(self, name: str) -> Callable[[Writer], Writer]:
        if name not in FORMATS:
            raise ValueError(f"unknown format {name!r}: add it to FORMATS first")

        def register(func: Writer) -> Writer:
            self._writers[name] = func
            return func

        return register

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self._writers)

    def extensions(self) -> str:
        """'.md, .html or .docx': the file names this command can write."""
        exts = [FORMATS[n].extensions[0] for n in self.names]
        return ", ".join(exts[:-1]) + f" or {exts[-1]}" if len(exts) > 1 else exts[0]

    def choose(self, fmt: str | None, output: str | None) -> Format:
        """The format to write, by the rule above; a DraftingError when they disagree."""
        by_name = FORMATS[fmt] if fmt else None
        if by_name and by_name.name not in self._writers:
            raise DraftingError(f"{self.command} cannot write --format {fmt} "
                                f"(it writes {', '.join(self.names)})")
        by_file = format_of(output) if output else None
        if output and by_file is None and by_name is None:
            hint = ", or give --format" if len(self.names) > 1 else ""
            raise DraftingError(f"cannot tell the format from the file name {output!r}: name "
                                f"it {self.extensions()}{hint}")
        if by_name and by_file and by_name != by_file:
            raise DraftingError(f"--format {by_name.name} contradicts -o {output} (a "
                                f"{by_file.extensions[0]} file): name the file "
                                f"{by_name.extensions[0]} or drop --format")
        if by_name is None and by_file is not None and by_file.name not in self._writers:
            raise DraftingError(f"{self.command} cannot write {by_file.extensions[0]} files "
                                f"({output}): use {self.extensions()}")
        chosen = by_name or by_file or FORMATS[self.default]
        if chosen.binary and not output:
            raise DraftingError(f"--format {chosen.name} needs an output file: -o "
                                f"FILE{chosen.extensions[0]}")
        return chosen

    def render(self, fmt: Format, result: Any) -> str | bytes | Written:
        return self._writers[fmt.name](result)
