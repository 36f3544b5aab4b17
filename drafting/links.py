"""Which hyperlinks a file for the other side may carry.

A link read from a Word file or a Markdown revision can point anywhere: `file:///C:/Users/
...`, `\\\\server\\share\\plan.docx`, `smb://`, a relative path or a drive letter name a
file on someone's machine or network (and leak its folder names); `javascript:`,
`vbscript:` and `data:` run or carry content in a browser. Only web and mail addresses and
places inside the same document are shared: an allow-list, so that spellings a browser
forgives (`JaVaScRiPt:`, a tab inside the scheme) never pass as something else.

`draft export --internal` (our own team's copy) keeps links to files too; links that run
script are never written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .inputs import Source, is_word_pair
from .model import LINK, Document

SHARED, LOCAL, ACTIVE = "shared", "local", "active"
_SHARED = re.compile(r"(?:https?://|mailto:)\S+|#\S*", re.IGNORECASE)
_ACTIVE = re.compile(r"(?:javascript|vbscript|data|livescript):", re.IGNORECASE)
_SHOWN = 3  # addresses named in a warning; the rest are counted


def kind(address: str) -> str:
    """SHARED (http, https, mailto, #anchor), ACTIVE (script or inline content, after the
    white space and control characters a browser drops) or LOCAL (anything else)."""
    if _SHARED.fullmatch(address):
        return SHARED
    if _ACTIVE.match(re.sub(r"[\x00-\x20\x7f]+", "", address)):
        return ACTIVE
    return LOCAL


def written(address: str, internal: bool = False) -> bool:
    """Whether a link to `address` is written: shared ones always, links to files only in
    an internal copy, script never."""
    found = kind(address)
    return found == SHARED or (internal and found == LOCAL)


def withheld(documents: Iterable[Document], internal: bool = False) -> list[str]:
    """The distinct addresses of links in `documents` that are not written, in order."""
    out: dict[str, None] = {}
    for document in documents:
        for block in document.blocks:
            for mark in block.marks:
                if mark.kind == LINK and not written(mark.value, internal):
                    out.setdefault(mark.value)
    return list(out)


def said(addresses: list[str]) -> str:
    """`n link(s): a, b, c and k more`, for a warning."""
    one_line = [" ".join(a.split()) for a in addresses[:_SHOWN]]
    shown = ", ".join(a if len(a) <= 80 else a[:79] + "…" for a in one_line)
    more = f" and {len(addresses) - _SHOWN} more" if len(addresses) > _SHOWN else ""
    return f"{len(addresses)} link{'s' * (len(addresses) > 1)} ({shown}{more})"


def link_warnings(fmt: str, old: Source | None, new: Source, internal: bool = False
                  ) -> tuple[str, ...]:
    """What a file for the other side does with links it may not carry: an export, a
    redline rebuilt from the model and an HTML diff write their text only; a redline of
    two Word files keeps the newer file, links and all, and withholds the older file's
    (the redline's own warnings name those: wordcompare/carry.py)."""
    if fmt == "html":
        found = withheld([d.document for d in (old, new) if d])
        return (f"{said(found)} shown as text only: they name local files or run "
                "script",) if found else ()
    if fmt != "docx":
        return ()
    pair = old is not None and is_word_pair(old, new)
    found = withheld([new.document] if pair else [d.document for d in (old, new) if d],
                     internal)
    if not found:
        return ()
    if pair:
        return (f"{said(found)} kept as {new.name} has them (the redline is written "
                "into that file): they name local files or run script",)
    hint = "" if internal or all(kind(a) == ACTIVE for a in found) else \
        "; --internal keeps links to files"
    return (f"{said(found)} written as text only: they name local files or run "
            f"script{hint}",)
