"""The parts of one Word package, opened through the hostile-file checks of
readers/docx/package.py, edited in place and written back in the order they came, with
new parts at the end.

Relationships (ECMA-376 Part 2, 9.3): a part's are in "_rels/<name>.rels" beside it; an
internal target is a part name relative to the part's folder, an external one a URL
(TargetMode="External"). Content types (Part 2, 10.1): an Override per part name, else
a Default per file extension.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from dataclasses import dataclass

from lxml import etree

from ..errors import DraftingError
from ..readers.docx.package import Package
from ..readers.docx.xml import W_STRICT, R, W
from ..writers import docx_package

REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_REL = f"{{{REL_NS}}}Relationship"
_R = f"{{{R}}}"
_R_EMPTY = b'=""'
CONTENT_TYPES = "[Content_Types].xml"


@dataclass(frozen=True)
class Rel:
    id: str
    type: str  # the full URI
    target: str  # a part name, or a URL when external
    external: bool

    @property
    def kind(self) -> str:
        return self.type.rsplit("/", 1)[-1]


class Parts:
    """One package; `main` is its document part, `stories` the parts compared."""

    def __init__(self, package: Package):
        self.package = package
        self.source = package.source
        self.order = package.names()
        self._bytes: dict[str, bytes] = {}
        self._trees: dict[str, etree._Element] = {}
        self._rels: dict[str, dict[str, Rel]] = {}
        main = next((r.target for r in self.rels("").values() if r.kind == "officeDocument"),
                    "word/document.xml")
        if not self.has(main):
            raise DraftingError("not a Word document (no word/document.xml)", self.source)
        self.main = main
        root = self.xml(main)
        if root.tag == f"{{{W_STRICT}}}document":
            raise DraftingError("Strict Open XML is not supported: save it from Word as a "
                                "normal .docx", self.source)
        if root.tag != f"{{{W}}}document" or root.find(f"{{{W}}}body") is None:
            raise DraftingError(f"not a Word document ({main} has no w:document body)",
                                self.source)

    def has(self, name: str) -> bool:
        return name in self._bytes or name in self._trees or self.package.has(name)

    def read(self, name: str) -> bytes:
        if name in self._trees:
            return _serialise(self._trees[name])
        if name in self._bytes:
            return self._bytes[name]
        return self.package.read(name)

    def xml(self, name: str) -> etree._Element:
        """The parsed part, kept: edits to it are written back."""
        if name not in self._trees:
            self._trees[name] = self.package.xml(name) if name not in self._bytes else \
                etree.fromstring(self._bytes.pop(name))
        return self._trees[name]

    def replace(self, name: str, root: etree._Element) -> None:
        """Write `root` as the part `name` (a rebuilt root: new namespace declarations)."""
        self._bytes.pop(name, None)
        self._trees[name] = root

    def related(self, part: str, kind: str) -> str | None:
        """The first internal part `part` relates to with type `kind` ("footnotes")."""
        return next((r.target for r in self.rels(part).values()
                     if r.kind == kind and not r.external and self.has(r.target)), None)

    def rels(self, part: str) -> dict[str, Rel]:
        if part not in self._rels:
            out: dict[str, Rel] = {}
            name = rels_name(part)
            if self.has(name):
                folder = posixpath.dirname(part)
                for rel in self.xml(name).iter(_REL):
                    rid, target = rel.get("Id") or "", rel.get("Target") or ""
                    external = rel.get("TargetMode") == "External"
                    if not external:
                        target = posixpath.normpath(target[1:] if target.startswith("/")
                                                    else posixpath.join(folder, target))
                    out[rid] = Rel(rid, rel.get("Type") or "", target, external)
            self._rels[part] = out
        return self._rels[part]

    def add_rel(self, part: str, type_: str, target: str, external: bool,
                rid: str | None = None) -> str:
        """A new relationship of `part` (under `rid` if that is free); its id."""
        existing = self.rels(part)
        n = len(existing) + 1
        while f"rId{n}" in existing:
            n += 1
        rid = rid if rid and rid not in existing else f"rId{n}"
        name = rels_name(part)
        if not self.has(name):
            self._add_part(name, b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                           b'<Relationships xmlns="' + REL_NS.encode() + b'"/>')
        attrs = {"Id": rid, "Type": type_,
                 "Target": target if external else posixpath.relpath(
                     target, posixpath.dirname(part) or ".")}
        if external:
            attrs["TargetMode"] = "External"
        etree.SubElement(self.xml(name), _REL, attrs)
        existing[rid] = Rel(rid, type_, target, external)
        return rid

    def content_type(self, name: str) -> str | None:
        types = self.xml(CONTENT_TYPES)
        for override in types.iter(f"{{{CT_NS}}}Override"):
            if (override.get("PartName") or "").lstrip("/") == name:
                return override.get("ContentType")
        ext = posixpath.splitext(name)[1][1:].lower()
        for default in types.iter(f"{{{CT_NS}}}Default"):
            if (default.get("Extension") or "").lower() == ext:
                return default.get("ContentType")
        return None

    def add_part(self, name: str, data: bytes, content_type: str | None) -> None:
        """A new part under `name` (unused), declared with its content type."""
        self._add_part(name, data)
        if not content_type or self.content_type(name) == content_type:
            return
        ext = posixpath.splitext(name)[1][1:]
        types = self.xml(CONTENT_TYPES)
        if ext and ext.lower() not in ("xml", "rels") and not any(
                (d.get("Extension") or "").lower() == ext.lower()
                for d in types.iter(f"{{{CT_NS}}}Default")):
            default = etree.Element(f"{{{CT_NS}}}Default",
                                    {"Extension": ext, "ContentType": content_type})
            types.insert(0, default)  # the schema puts Defaults first (any order is valid)
        else:
            etree.SubElement(types, f"{{{CT_NS}}}Override",
                             {"PartName": "/" + name, "ContentType": content_type})

    def free_name(self, wanted: str) -> str:
        stem, ext = posixpath.splitext(wanted)
        name, n = wanted, 1
        while self.has(name):
            n += 1
            name = f"{stem}-{n}{ext}"
        return name

    def _add_part(self, name: str, data: bytes) -> None:
        self._bytes[name] = data
        self.order.append(name)

    def to_bytes(self, moment: dt.datetime) -> bytes:
        for name in self.order:
            self._drop_empty_ids(name)
        self._zoom_with_percent()
        return docx_package.stamped_zip([(name, self.read(name)) for name in self.order],
                                        moment)

    def _zoom_with_percent(self) -> None:
        """A w:zoom without the w:percent the schema requires (python-docx's template
        writes one) is given 100, what Word assumes."""
        settings = self.related(self.main, "settings")
        if settings is None or b"zoom" not in self.read(settings):
            return
        for zoom in self.xml(settings).iter(f"{{{W}}}zoom"):
            if zoom.get(f"{{{W}}}percent") is None:
                zoom.set(f"{{{W}}}percent", "100")

    def _drop_empty_ids(self, name: str) -> None:
        """An empty relationship id (r:blip="") in a part without relationships dangles:
        drop it (the schemas make those attributes optional)."""
        if not name.endswith(".xml") or self.has(rels_name(name)) or name in self._trees \
                or _R_EMPTY not in (data := self.read(name)) or R.encode() not in data:
            return
        for node in self.xml(name).iter():
            for key in [k for k, v in node.attrib.items() if k.startswith(_R) and not v]:
                del node.attrib[key]


def rels_name(part: str) -> str:
    folder, base = posixpath.split(part)
    return posixpath.join(folder, "_rels", base + ".rels")


def _serialise(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
