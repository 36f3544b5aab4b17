"""The store's index, `drafts/<agreement>/.cache/index.json`: what `log` and refs need of
each revision, so that the revision files are not parsed on every command.

The index is a convenience and never an authority. It is trusted only when its checksum
matches (an edited index is rebuilt) and, entry by entry, when the revision file still has
the size, times and inode it had when it was read: an index copied from another clone or
machine, or left over from a file that changed since, is read again from the revisions.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
from pathlib import Path
from typing import Any

from .errors import DraftingError
from .lineage import is_revision_id
from .model import Document
from .outfile import write_atomic

MAX_INDEX_BYTES = 50_000_000
VERSION = 2
_GITIGNORE = "# made by drafting: the cache belongs to this clone, not to git\n*\n"
_TYPES: dict[str, tuple[type, ...]] = {
    "id": (str,), "side": (str,), "parent": (str, type(None)), "time": (str,),
    "author": (str,), "message": (str,), "articles": (int,), "words": (int,),
    "inputs": (str,), "seq": (int, type(None)), "merges": (list,), "stat": (list,)}


def signature(info: os.stat_result) -> list[int]:
    """What changes whenever the file does (ctime cannot be set back by a user), and differs
    on another machine or clone."""
    return [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino]


def entry(record: dict[str, Any], rev_id: str, stat_signature: list[int],
          document: Document | None = None) -> dict[str, Any]:
    """The index entry of a revision record (whose document, when already read, is given);
    ValueError (or KeyError, TypeError) when the record's fields are missing or of the
    wrong type."""
    if document is None:
        document = Document.from_dict(record["document"])
    made = {"id": rev_id, "side": record["side"], "parent": record["parent"],
            "time": record["time"], "author": record["author"], "message": record["message"],
            "articles": document.article_count(), "words": document.word_count(),
            "inputs": record["inputs"], "seq": record.get("seq"),
            "merges": record.get("merges", []), "stat": stat_signature}
    if not valid(rev_id, {**made, "stat": [0, 0, 0, 0]}):
        raise ValueError("'side', 'parent', 'seq', 'merges', 'time', 'author' or 'message'")
    return made


def valid(key: str, value: Any) -> bool:
    if not isinstance(value, dict) or set(value) != set(_TYPES) or value["id"] != key:
        return False
    if not all(isinstance(value[k], types) and not isinstance(value[k], bool)
               for k, types in _TYPES.items()):
        return False
    parent, seq, stat_signature = value["parent"], value["seq"], value["stat"]
    return (all(is_revision_id(r) for r in ([] if parent is None else [parent])
                + value["merges"])
            and (seq is None or seq >= 1)
            and len(stat_signature) == 4 and all(type(n) is int for n in stat_signature))


def checksum(entries: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(entries, sort_keys=True).encode()).hexdigest()


def load(path: Path) -> dict[str, dict[str, Any]]:
    """The valid entries of the index at path ({} when there is none, or it is not ours)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return {}
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return {}
        try:
            index = json.loads(handle.read(MAX_INDEX_BYTES + 1))
        except (OSError, ValueError, RecursionError):
            return {}
    if not (isinstance(index, dict) and index.get("version") == VERSION
            and isinstance(index.get("entries"), dict)
            and index.get("checksum") == checksum(index["entries"])):
        return {}
    return {k: v for k, v in index["entries"].items() if valid(k, v)}


def save(path: Path, entries: dict[str, dict[str, Any]]) -> None:
    """Best effort: the index only saves re-reading immutable files. Its folder carries a
    .gitignore, so that `git add -A` leaves it out."""
    index = {"version": VERSION, "checksum": checksum(entries), "entries": entries}
    with contextlib.suppress(OSError, DraftingError):
        if not path.parent.is_dir():
            path.parent.mkdir()
            write_atomic(path.parent / ".gitignore", _GITIGNORE)
        write_atomic(path, json.dumps(index, ensure_ascii=False))
