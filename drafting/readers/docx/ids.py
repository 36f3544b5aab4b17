"""Stable block ids carried by a Word file: our Word writer marks each block's paragraph
with a hidden bookmark "_Dft_" + 12 hex digits of an HMAC of the block id keyed with the
workspace's secret (model.bookmark_name), and lists bookmark -> level in a custom XML
part. Only our workspace can map the tokens back: the caller passes the tokens of the ids
it knows. Our team's internal copies also list id, clause and edition in that part."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace

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


def identities(package: Package, known_ids: Iterable[str] | Mapping[str, Identity]
               ) -> dict[str, Identity]:
    """Bookmark name -> identity: from the custom XML part, else from known ids (plain
    ids, named by their unkeyed hash, or a mapping token -> identity)."""
    out = dict(known_ids) if isinstance(known_ids, Mapping) else {
        bookmark_name(block_id): Identity(block_id) for block_id in known_ids}
    for name, data in _ids_parts(package):
        package.budget.xml(data, name)
        root = parse(data, name, package.source)
        if root.tag != f"{{{IDS_NAMESPACE}}}blocks":
            continue
        for block in root.iter(f"{{{IDS_NAMESPACE}}}block"):
            bookmark, block_id = block.get("bookmark"), block.get("id")
            edition, level = block.get("edition") or "", block.get("level") or ""
            depth = int(level) if level.isdigit() else None
            if bookmark and block_id:
                out[bookmark] = Identity(block_id, block.get("clause"),
                                         int(edition) if edition.isdigit() else None, depth)
            elif bookmark in out:  # a file for the other side: the level only
                out[bookmark] = replace(out[bookmark], level=depth)
    return out


def written_by_us(package: Package) -> bool:
    """Whether our Word writer made the file (it carries our ids part): its header and
    footer are then ours too, made from the revision's status, side and number."""
    return next(_ids_parts(package), None) is not None


def _ids_parts(package: Package) -> Iterator[tuple[str, bytes]]:
    for name in package.names():
        if _CUSTOM_PART.fullmatch(name):
            data = package.read(name)
            if IDS_NAMESPACE.encode() in data:  # not someone else's (SharePoint's, ...)
                yield name, data
