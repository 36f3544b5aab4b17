"""Stable block ids carried by a Word file: our Word writer marks each block's paragraph
with a hidden bookmark "_Dft_" + 12 hex digits of sha256(block id), and lists bookmark ->
id, clause and edition in a custom XML part. When that part is gone (another editor
dropped it) the bookmarks still name known ids by their hash."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ...model import bookmark_name
from .package import Package
from .xml import parse

IDS_NAMESPACE = "urn:drafting:ids"
_CUSTOM_PART = re.compile(r"customXml/item\d+\.xml")


@dataclass(frozen=True, slots=True)
class Identity:
    id: str
    clause: str | None = None
    edition: int | None = None
    level: int | None = None  # a paragraph's level, which Word numbering cannot show


def identities(package: Package, known_ids: Iterable[str]) -> dict[str, Identity]:
    """Bookmark name -> identity: from the custom XML part, else from known ids."""
    out = {bookmark_name(block_id): Identity(block_id) for block_id in known_ids}
    for name in package.names():
        if not _CUSTOM_PART.fullmatch(name):
            continue
        data = package.read(name)
        if IDS_NAMESPACE.encode() not in data:
            continue  # someone else's custom XML (SharePoint properties, ...)
        package.budget.xml(data, name)
        root = parse(data, name, package.source)
        if root.tag != f"{{{IDS_NAMESPACE}}}blocks":
            continue
        for block in root.iter(f"{{{IDS_NAMESPACE}}}block"):
            bookmark, block_id = block.get("bookmark"), block.get("id")
            if bookmark and block_id:
                edition, level = block.get("edition") or "", block.get("level") or ""
                out[bookmark] = Identity(block_id, block.get("clause"),
                                         int(edition) if edition.isdigit() else None,
                                         int(level) if level.isdigit() else None)
    return out
