"""`draft comments FILE.docx|REF`: the reviewers' comments of a Word file, or those
recorded with a revision when its file was imported, each with the words it is anchored to
and the block (Article, paragraph) those words are in."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .compare.comments import Remarks, place
from .errors import DraftingError
from .inputs import WORD_SUFFIXES, Source, is_file_argument, read_document
from .model import Comment, Comparison, Document


@dataclass(frozen=True)
class CommentsResult:
    file: str
    comments: list[Comment]


def comments_of(spec: str, workspace_root: Path | None = None) -> CommentsResult:
    """A Word file's comments, or a revision's (recorded when its file was imported)."""
    if is_file_argument(spec):
        return file_comments(Path(spec), workspace_root)
    from .build import open_revision
    from .workspace import Workspace, find_workspace

    ws = Workspace(workspace_root) if workspace_root else find_workspace(Path.cwd())
    revision = open_revision(ws, spec)
    return CommentsResult(f"{spec} (r{revision.seq} {revision.short})",
                          stored_comments(revision.origin))


def stored_comments(origin: dict) -> list[Comment]:  # type: ignore[type-arg]
    return [Comment(**c) for c in origin.get("comments", [])]


def source_comments(source: Source) -> list[Comment]:
    """What a compared or exported text brings: a revision's recorded comments, a Word
    file's own (anchored to the blocks read from it), none for a text file."""
    if source.revision is not None:
        return stored_comments(source.revision.origin)
    path = Path(source.ref)
    if path.suffix.lower() not in WORD_SUFFIXES:
        return []
    from .readers.docx.package import MAX_FILE_BYTES
    from .readers.files import read_limited

    return word_comments(read_limited(path, MAX_FILE_BYTES), str(path), source.document)


def remarks_between(comparison: Comparison, old: Source, new: Source) -> Remarks:
    """Both sides' comments placed at the block changes of their comparison."""
    return place(comparison, source_comments(old), source_comments(new), short_ref(old),
                 short_ref(new))


def short_ref(source: Source) -> str:
    """How a comment says where it came in: "r3", or the file's name."""
    return f"r{source.revision.seq}" if source.revision else Path(source.ref).name


def file_comments(path: Path, workspace_root: Path | None = None) -> CommentsResult:
    from .readers.files import read_limited

    if path.suffix.lower() not in WORD_SUFFIXES:
        raise DraftingError("comments are read from Word files (.docx)", path)
    from .readers.docx.package import MAX_FILE_BYTES

    data = read_limited(path, MAX_FILE_BYTES)
    return CommentsResult(path.name, word_comments(data, str(path),
                                                   read_document(path, workspace_root)))


def word_comments(data: bytes, name: str, document: Document) -> list[Comment]:
    """The comments of a Word file's bytes, anchored to the blocks of its Document. (The
    Word reader is imported here, not at start: lxml costs a diff of two Markdown files a
    third of its start-up.)"""
    from .readers.docx.comments import anchor_blocks, read_comments
    from .readers.docx.package import Package

    package = Package(data, name)
    main = next((t for k, t in package.relationships("") if k == "officeDocument"),
                "word/document.xml")
    comments = read_comments(package, main)
    return anchor_blocks(comments, document) if comments else []


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
