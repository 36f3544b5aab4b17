"""Who a Word file says wrote it: the author and last-modified-by of docProps/core.xml."""

from __future__ import annotations

from .package import Package

_CP = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"
_DC = "{http://purl.org/dc/elements/1.1/}"


def core_authors(package: Package) -> tuple[str | None, str | None]:
    """(last modified by, creator), each None when absent or blank."""
    part = next((name for kind, name in package.relationships("")
                 if kind in ("core-properties", "metadata/core-properties")),
                "docProps/core.xml")
    if not package.has(part):
        return None, None
    root = package.xml(part)

    def text(tag: str) -> str | None:
        element = root.find(tag)
        value = " ".join((element.text or "").split()) if element is not None else ""
        return value[:200] or None

    return text(f"{_CP}lastModifiedBy"), text(f"{_DC}creator")
