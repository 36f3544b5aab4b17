"""Is this .docx a file Word accepts? Every XML part with a schema is validated against the
ECMA-376 transitional schemas in ../shared/schemas/ (after Markup Compatibility processing,
ECMA-376 Part 3: what mc:Ignorable lists is dropped, mc:AlternateContent keeps its
mc:Fallback), then what the schemas cannot say is checked: tracked-change ids unique,
bookmark and comment ranges paired, relationship targets present, every part's content type
declared; and, for word/commentsExtended.xml (replies, done), which has no schema among
the ECMA-376 ones (it is Microsoft's extension, [MS-DOCX] 2.6.5): each w15:commentEx names
the w14:paraId of a comment's last paragraph, once, and answers one that exists; likewise
word/people.xml's w15:person entries against [MS-DOCX]'s CT_People.

`problems(data)` returns one line per problem ("word/document.xml:12: ..."); the conftest
runs it on every .docx the toolkit writes during the tests.
"""

from __future__ import annotations

import functools
import io
import os
import posixpath
import zipfile
from collections import Counter
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = Path(os.environ.get("DRAFTING_SCHEMAS", ROOT.parent / "shared" / "schemas")) \
    / "ecma-376-transitional"

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
XML_NS = "http://www.w3.org/XML/1998/namespace"

# namespace -> schema file (relative to SCHEMAS) for the roots of the parts a .docx holds
_SCHEMA_FILES = {
    W: "wml.xsd",
    "http://schemas.openxmlformats.org/drawingml/2006/main": "dml-main.xsd",
    "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties":
        "shared-documentPropertiesExtended.xsd",
    "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties":
        "shared-documentPropertiesCustom.xsd",
    "http://schemas.openxmlformats.org/officeDocument/2006/customXml":
        "shared-customXmlDataProperties.xsd",
    "http://schemas.openxmlformats.org/officeDocument/2006/bibliography":
        "shared-bibliography.xsd",
    "http://schemas.openxmlformats.org/package/2006/metadata/core-properties":
        "opc-xsd/opc-coreProperties.xsd",
    CT: "opc-xsd/opc-contentTypes.xsd",
    PKG_REL: "opc-xsd/opc-relationships.xsd",
}
# What the schemas import without a file: the xml: attributes, and Dublin Core for the
# core properties (whose real schemas live on the web, which we never fetch).
_SHIMS = {
    XML_NS: """<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"
        targetNamespace="http://www.w3.org/XML/1998/namespace">
      <xs:attribute name="space"><xs:simpleType><xs:restriction base="xs:NCName">
        <xs:enumeration value="default"/><xs:enumeration value="preserve"/>
      </xs:restriction></xs:simpleType></xs:attribute>
      <xs:attribute name="lang" type="xs:language"/></xs:schema>""",
    "http://purl.org/dc/elements/1.1/": """<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"
        targetNamespace="http://purl.org/dc/elements/1.1/" elementFormDefault="qualified"
        xmlns="http://purl.org/dc/elements/1.1/">
      <xs:import namespace="http://www.w3.org/XML/1998/namespace"/>
      <xs:complexType name="SimpleLiteral"><xs:simpleContent><xs:extension base="xs:string">
        <xs:attribute ref="xml:lang" use="optional"/></xs:extension></xs:simpleContent>
      </xs:complexType>
      <xs:element name="any" type="SimpleLiteral" abstract="true"/>
      """ + "".join(f'<xs:element name="{n}" substitutionGroup="any"/>' for n in (
        "title", "creator", "subject", "description", "publisher", "contributor", "date",
        "type", "format", "identifier", "source", "language", "relation", "coverage",
        "rights")) + "</xs:schema>",
    "http://purl.org/dc/terms/": """<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"
        targetNamespace="http://purl.org/dc/terms/" elementFormDefault="qualified"
        xmlns:dc="http://purl.org/dc/elements/1.1/">
      <xs:import namespace="http://purl.org/dc/elements/1.1/"/>
      <xs:complexType name="W3CDTF"><xs:simpleContent><xs:restriction base="dc:SimpleLiteral"/>
      </xs:simpleContent></xs:complexType>
      <xs:element name="created" substitutionGroup="dc:any"/>
      <xs:element name="modified" substitutionGroup="dc:any"/></xs:schema>""",
}

_REVISION_TAGS = {f"{{{W}}}{t}" for t in (
    "ins", "del", "moveFrom", "moveTo", "rPrChange", "pPrChange", "sectPrChange",
    "tblPrChange", "tblGridChange", "tcPrChange", "trPrChange", "tblPrExChange",
    "numberingChange", "cellIns", "cellDel", "cellMerge")}
_STORIES = ("document", "header", "footer", "footnotes", "endnotes", "comments")


def available() -> bool:
    return (SCHEMAS / "wml.xsd").is_file()


@functools.cache
def _schema() -> etree.XMLSchema:
    """One schema for every namespace: a driver that imports the shims first, so that the
    location-less xml: imports inside wml.xsd find it already loaded."""
    folder = Path(os.environ.get("TMPDIR", "/tmp")) / f"drafting-docxcheck-{os.getuid()}"
    folder.mkdir(exist_ok=True)
    imports = []
    for n, (namespace, text) in enumerate(_SHIMS.items()):
        shim = folder / f"shim{n}.xsd"
        if not shim.exists() or shim.read_text() != text:
            shim.write_text(text)
        imports.append((namespace, shim.as_uri()))
    imports += [(ns, (SCHEMAS / f).as_uri()) for ns, f in _SCHEMA_FILES.items()]
    driver = ('<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">'
              + "".join(f'<xs:import namespace="{ns}" schemaLocation="{loc}"/>'
                        for ns, loc in imports) + "</xs:schema>")
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    return etree.XMLSchema(etree.fromstring(driver.encode(), parser,
                                            base_url=(folder / "driver.xsd").as_uri()))


def markup_compatibility(root: etree._Element) -> etree._Element:
    """What an ECMA-376-only consumer sees: ignorable namespaces dropped, alternate content
    replaced by its fallback, mc: attributes removed."""
    for alt in list(root.iter(f"{{{MC}}}AlternateContent")):
        parent = alt.getparent()
        fallback = alt.find(f"{{{MC}}}Fallback")
        if parent is None:
            continue
        index = parent.index(alt)
        parent.remove(alt)
        for child in reversed(list(fallback) if fallback is not None else []):
            parent.insert(index, child)
    ignorable: set[str] = set()
    for element in root.iter():
        listed = element.get(f"{{{MC}}}Ignorable")
        if listed:
            ignorable |= {element.nsmap[p] for p in listed.split() if p in element.nsmap}
    ignorable.discard(W)
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            continue
        if etree.QName(element).namespace in ignorable | {MC}:
            if element.getparent() is not None:
                element.getparent().remove(element)
            continue
        for name in list(element.attrib):
            if etree.QName(name).namespace in ignorable | {MC}:
                del element.attrib[name]
    return root


def _content_types(parts: dict[str, bytes]) -> tuple[dict[str, str], dict[str, str]]:
    root = etree.fromstring(parts["[Content_Types].xml"])
    defaults = {d.get("Extension", "").lower(): d.get("ContentType", "")
                for d in root.iter(f"{{{CT}}}Default")}
    overrides = {o.get("PartName", "").lstrip("/"): o.get("ContentType", "")
                 for o in root.iter(f"{{{CT}}}Override")}
    return defaults, overrides


def _rels_of(name: str) -> str:
    folder, base = posixpath.split(name)
    return posixpath.join(folder, "_rels", base + ".rels")


def problems(data: bytes) -> list[str]:
    """Every schema error and broken invariant of the package, one line each."""
    out: list[str] = []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        parts = {i.filename: z.read(i.filename) for i in z.infolist() if not i.is_dir()}
    if "[Content_Types].xml" not in parts:
        return ["[Content_Types].xml: missing"]
    defaults, overrides = _content_types(parts)
    trees: dict[str, etree._Element] = {}
    parser = etree.XMLParser(no_network=True, resolve_entities=False, huge_tree=True)
    for name, body in parts.items():
        if name != "[Content_Types].xml":
            extension = posixpath.basename(name).rpartition(".")[2].lower()
            if name not in overrides and extension not in defaults:
                out.append(f"{name}: no content type declared")
        for part_name in overrides:
            if part_name not in parts:
                out.append(f"[Content_Types].xml: override for missing part /{part_name}")
                overrides[part_name] = ""  # report once
        if not (name.endswith((".xml", ".rels")) or name in overrides):
            continue
        try:
            trees[name] = etree.fromstring(body, parser)
        except etree.XMLSyntaxError as e:
            out.append(f"{name}: not well-formed XML: {e}")
    out = list(dict.fromkeys(out))
    out += _schema_errors(trees)
    out += _relationship_problems(parts, trees)
    out += _revision_problems(trees)
    out += _range_problems(trees)
    out += _thread_problems(trees)
    out += _people_problems(trees)
    return out


def _schema_errors(trees: dict[str, etree._Element]) -> list[str]:
    if not available():
        return []  # tests that need the schemas themselves skip; see test_docx_valid.py
    schema = _schema()
    out = []
    for name, tree in trees.items():
        namespace = etree.QName(tree).namespace
        if namespace not in _SCHEMA_FILES or (name.startswith("customXml/item")
                                              and "Props" not in name):
            continue  # custom XML data is anyone's vocabulary; w14/w15 parts have no schema
        copy = markup_compatibility(etree.fromstring(etree.tostring(tree)))
        if schema.validate(copy):
            continue
        out += [f"{name}: {_short(e.path)}: {_short(e.message)}" for e in schema.error_log]
    return out


def _short(text: str) -> str:
    """Clark names as prefixed names, for one readable line."""
    for prefix, namespace in (("w", W), ("r", R), ("a", _A)):
        text = text.replace(f"{{{namespace}}}", f"{prefix}:")
    return text.replace("/*[local-name()='", "/").replace("']", "")


def _relationship_problems(parts: dict[str, bytes], trees: dict[str, etree._Element]
                           ) -> list[str]:
    out = []
    for name, tree in trees.items():
        if not name.endswith(".rels"):
            continue
        folder = posixpath.dirname(posixpath.dirname(name))
        source = posixpath.join(folder, posixpath.basename(name)[: -len(".rels")])
        ids = Counter()
        for rel in tree.iter(f"{{{PKG_REL}}}Relationship"):
            ids[rel.get("Id")] += 1
            target = rel.get("Target") or ""
            if rel.get("TargetMode") == "External":
                continue
            path = target[1:] if target.startswith("/") else posixpath.normpath(
                posixpath.join(folder, target))
            if path not in parts:
                out.append(f"{name}: relationship {rel.get('Id')} points at missing {path}")
        out += [f"{name}: relationship id {i} used {n} times" for i, n in ids.items() if n > 1]
        if source in trees:
            used = {v for el in trees[source].iter() for k, v in el.attrib.items()
                    if k.startswith(f"{{{R}}}")}
            out += [f"{source}: r:id {i} has no relationship" for i in sorted(used - set(ids))]
    for name, tree in trees.items():
        if name.endswith(".rels") or _rels_of(name) in parts:
            continue
        if any(k.startswith(f"{{{R}}}") for el in tree.iter() for k in el.attrib):
            out.append(f"{name}: uses relationship ids but has no relationships part")
    return out


def _story_parts(trees: dict[str, etree._Element]) -> list[tuple[str, etree._Element]]:
    return [(n, t) for n, t in trees.items()
            if n.startswith("word/") and posixpath.basename(n).startswith(_STORIES)]


def _revision_problems(trees: dict[str, etree._Element]) -> list[str]:
    seen: Counter[str] = Counter()
    for _, tree in _story_parts(trees):
        for el in tree.iter(*_REVISION_TAGS):
            seen[el.get(f"{{{W}}}id")] += 1
    return [f"revision id {i} used {n} times" for i, n in seen.items() if n > 1] + \
        (["a tracked change has no w:id"] if None in seen else [])


def _range_problems(trees: dict[str, etree._Element]) -> list[str]:
    out = []
    names: Counter[str] = Counter()
    for name, tree in _story_parts(trees):
        for kind in ("bookmark", "commentRange"):
            starts = Counter(e.get(f"{{{W}}}id") for e in tree.iter(f"{{{W}}}{kind}Start"))
            ends = Counter(e.get(f"{{{W}}}id") for e in tree.iter(f"{{{W}}}{kind}End"))
            for i in sorted(set(starts) | set(ends), key=str):
                if starts[i] != 1 or ends[i] != 1:
                    out.append(f"{name}: {kind} {i}: {starts[i]} start(s), {ends[i]} end(s)")
        names.update(e.get(f"{{{W}}}name") for e in tree.iter(f"{{{W}}}bookmarkStart"))
    out += [f"bookmark name {n} used {c} times" for n, c in names.items() if c > 1]
    comments = trees.get("word/comments.xml")
    defined = set() if comments is None else {
        c.get(f"{{{W}}}id") for c in comments.iter(f"{{{W}}}comment")}
    referenced = {e.get(f"{{{W}}}id") for _, t in _story_parts(trees)
                  for e in t.iter(f"{{{W}}}commentReference")}
    out += [f"comment reference {i} has no comment" for i in sorted(referenced - defined)]
    out += [f"comment {i} is never referenced" for i in sorted(defined - referenced)]
    return out


W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
_ON_OFF = {"0", "1", "true", "false", "on", "off"}


def _thread_problems(trees: dict[str, etree._Element]) -> list[str]:
    """word/commentsExtended.xml against comments.xml: [MS-DOCX] 2.6.6 (commentEx) and
    2.6.2.6 (paraId: 8 hex digits, below 0x80000000, unique in the document)."""
    out = []
    para_ids: Counter[str] = Counter()
    for _, tree in _story_parts(trees):
        para_ids.update(p.get(f"{{{W14}}}paraId") for p in tree.iter(f"{{{W}}}p")
                        if p.get(f"{{{W14}}}paraId"))
    out += [f"w14:paraId {i} used {n} times" for i, n in para_ids.items() if n > 1]
    for i in para_ids:
        if len(i) != 8 or any(c not in "0123456789ABCDEFabcdef" for c in i) \
                or int(i, 16) >= 0x80000000:
            out.append(f"w14:paraId {i}: not 8 hex digits below 80000000")
    extended = trees.get("word/commentsExtended.xml")
    if extended is None:
        return out
    comments = trees.get("word/comments.xml")
    last = set() if comments is None else {
        ps[-1].get(f"{{{W14}}}paraId") for c in comments.iter(f"{{{W}}}comment")
        if (ps := c.findall(f"{{{W}}}p"))}
    rows = list(extended.iter(f"{{{W15}}}commentEx"))
    seen = Counter(ex.get(f"{{{W15}}}paraId") for ex in rows)
    for ex in rows:
        para, parent = ex.get(f"{{{W15}}}paraId"), ex.get(f"{{{W15}}}paraIdParent")
        where = f"word/commentsExtended.xml: commentEx {para}"
        if para not in last:
            out.append(f"{where}: no comment ends with that paragraph")
        if seen[para] > 1:
            out.append(f"{where}: listed {seen[para]} times")
        if parent is not None and (parent not in seen or parent == para):
            out.append(f"{where}: answers {parent}, which is no other comment")
        if ex.get(f"{{{W15}}}done", "0") not in _ON_OFF:
            out.append(f"{where}: done is not on/off")
    return list(dict.fromkeys(out))


def _people_problems(trees: dict[str, etree._Element]) -> list[str]:
    """Each w15:people part (reviewers' accounts, which has no ECMA-376 schema either)
    against [MS-DOCX]'s CT_People: w15:person elements only, each with a w15:author and
    at most one w15:presenceInfo, which has a w15:providerId and a w15:userId; an author
    listed once (Word keeps one account per name)."""
    out = []
    for name, root in trees.items():
        if root.tag != f"{{{W15}}}people":
            continue
        authors: Counter[str] = Counter()
        for person in root:
            where = f"{name}: {etree.QName(person).localname}"
            if person.tag != f"{{{W15}}}person":
                out.append(f"{where}: not a w15:person")
                continue
            author = person.get(f"{{{W15}}}author")
            if author is None:
                out.append(f"{where}: no w15:author")
            authors[author or ""] += 1
            infos = list(person)
            if len(infos) > 1 or any(i.tag != f"{{{W15}}}presenceInfo" or
                                     i.get(f"{{{W15}}}providerId") is None or
                                     i.get(f"{{{W15}}}userId") is None for i in infos):
                out.append(f"{where} {author!r}: other than one w15:presenceInfo with a "
                           "providerId and a userId")
        out += [f"{name}: {a!r} listed {n} times" for a, n in authors.items() if n > 1]
    return out


def assert_valid(data: bytes, what: str = "docx") -> None:
    found = problems(data)
    assert not found, f"{what}: {len(found)} problem(s):\n" + "\n".join(found[:40])
