"""`draft comments FILE.docx`: the reviewers' comments of a Word file, each with the words
it is anchored to and the block (Article, paragraph) those words are in."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import DraftingError
from .inputs import WORD_SUFFIXES, read_document
from .readers.docx.comments import Comment, anchor_blocks, read_comments


@dataclass(frozen=True)
class CommentsResult:
    file: str
    comments: list[Comment]


def file_comments(path: Path, workspace_root: Path | None = None) -> CommentsResult:
    from .readers.docx.package import MAX_FILE_BYTES, Package
    from .readers.files import read_limited

    if path.suffix.lower() not in WORD_SUFFIXES:
        raise DraftingError("comments are read from Word files (.docx)", path)
    package = Package(read_limited(path, MAX_FILE_BYTES), str(path))
    main = next((t for k, t in package.relationships("") if k == "officeDocument"),
                "word/document.xml")
    comments = read_comments(package, main)
    if comments:
        comments = anchor_blocks(comments, read_document(path, workspace_root))
    return CommentsResult(path.name, comments)


def text_lines(result: CommentsResult) -> list[str]:
    """A heading line, then one line per comment (replies indented under what they
    answer)."""
    lines = [f"{result.file}: {len(result.comments)} comment(s)"]
    for c in result.comments:
        who = c.author + (f" ({c.initials})" if c.initials else "")
        where = " ".join(p for p in (c.label, f'on "{_short(c.quoted)}"' if c.quoted else "")
                         if p)
        state = " [done]" if c.done else ""
        indent = "    ↳ " if c.parent else "  "
        head = f"{indent}#{c.id} {who}{' ' + c.date[:10] if c.date else ''}"
        lines.append(f"{head}{' ' + where if where else ''}{state}: {c.text}"
                     .replace("\n", " / "))
    return lines


def _short(text: str, limit: int = 50) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
