"""`--reference-doc FILE.docx`: the Word file whose styles, numbering definitions, page
setup, fonts and theme our files take (writers/docx_package.py keeps only those). It may
come from anywhere, so it is read as hostile before python-docx sees it: the package
checks every Word file gets, no DOCTYPE or entity in any part, a bounded number of
relationships, and one main document whose styles, numbering, fonts, theme and settings
relationships each point, once, at a part of that kind."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from .errors import DraftingError

MAX_RELATIONSHIPS = 10_000  # in one .rels part: as many as a package may hold parts
# relationship type (last segment) -> root element of the part it must point at
TAKEN = {"styles": "styles", "numbering": "numbering", "fontTable": "fonts",
         "theme": "theme", "settings": "settings"}


def checked_reference(path: Path | None) -> Path | None:
    if path is None:
        return None
    from .readers.docx.package import MAX_FILE_BYTES, Package

    if path.stat().st_size > MAX_FILE_BYTES:
        raise DraftingError("reference document too large", path)
    package = Package(path.read_bytes(), str(path))
    for name in package.names():  # counted in the bytes first: 500,000 would cost seconds
        if name.endswith(".rels") and \
                package.read(name).count(b"Relationship") > 2 * MAX_RELATIONSHIPS + 2:
            raise _too_many(name, path)
    for name in package.names():
        if name.endswith((".xml", ".rels")):
            root = package.xml(name)  # refuses DOCTYPEs and entities
            if name.endswith(".rels") and len(root) > MAX_RELATIONSHIPS:
                raise _too_many(name, path)
    mains = [target for kind, target in package.relationships("") if kind == "officeDocument"]
    if len(mains) != 1 or not package.has(mains[0]):
        raise DraftingError("not a Word document (no main document part)", path)
    main, seen = mains[0], set()
    for kind, target in package.relationships(main):
        if kind not in TAKEN:
            continue
        if kind in seen:
            raise DraftingError(f"refused as reference document: {main} has more than one "
                                f"{kind} relationship", path)
        seen.add(kind)
        if target == main or not package.has(target) or \
                etree.QName(package.xml(target)).localname != TAKEN[kind]:
            raise DraftingError(f"refused as reference document: its {kind} relationship "
                                f"points at {target}, which is not a {kind} part", path)
    return path


def _too_many(name: str, path: Path) -> DraftingError:
    return DraftingError(f"refused as reference document: {name} has more than "
                         f"{MAX_RELATIONSHIPS:,} relationships", path)
