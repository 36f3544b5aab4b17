"""`draft inspect FILE.docx`: what a sender or receiver should know is inside a Word file,
as Word's Document Inspector and metadata cleaners show it. Nothing is fetched and
nothing is run: external targets are only listed.

Each finding is "review" (something a sender may not mean to send: comments, pending
tracked changes, hidden text, personal information, custom XML, embedded objects, macros,
external links that Word would follow, fields that pull content in, document variables,
a thumbnail of a page) or "info" (worth knowing, sent on purpose as a rule: hyperlinks,
the title, editing-session ids). The file is read as hostile, within the Word reader's
package and work limits.
"""

from __future__ import annotations

import posixpath
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ...errors import DraftingError
from ...links import SHARED
from ...links import kind as kind_of_link
from . import fieldcode
from .package import MAX_FILE_BYTES, Package
from .xml import w

REVIEW, INFO = "review", "info"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_CORE = {"{http://purl.org/dc/elements/1.1/}creator": "author",
         "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"
         "lastModifiedBy": "last modified by",
         "{http://purl.org/dc/elements/1.1/}description": "comments",
         "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}keywords":
             "keywords",
         "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}category":
             "category",
         "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"
         "contentStatus": "status"}
_APP = ("Company", "Manager", "Template", "HyperlinkBase")
_REVISIONS = ("ins", "del", "moveFrom", "moveTo", "rPrChange", "pPrChange", "sectPrChange",
              "tblPrChange", "trPrChange", "tcPrChange", "numberingChange")
_PULLING = re.compile(r"^\s*(INCLUDETEXT|INCLUDEPICTURE|LINK|DDE|DDEAUTO|IMPORT|INCLUDE)\b",
                      re.IGNORECASE)
_STORY = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes|comments)\.xml")
_W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
_W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
IDS_NAMESPACE = "urn:drafting:ids"


@dataclass(frozen=True)
class Finding:
    severity: str  # REVIEW or INFO
    category: str
    detail: str
    items: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, object]:
        return {"severity": self.severity, "category": self.category, "detail": self.detail,
                "items": list(self.items)}


@dataclass
class Inspection:
    file: str
    findings: list[Finding] = field(default_factory=list)

    @property
    def to_review(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == REVIEW]

    def add(self, severity: str, category: str, detail: str, items: list[str] | None = None
            ) -> None:
        self.findings.append(Finding(severity, category, detail, tuple(items or ())))

    def to_dict(self) -> dict[str, object]:
        return {"file": self.file, "review": len(self.to_review),
                "findings": [f.to_dict() for f in self.findings]}


def inspect_file(path: Path) -> Inspection:
    from ..files import read_limited

    return inspect_bytes(read_limited(path, MAX_FILE_BYTES), str(path))


def inspect_bytes(data: bytes, name: str) -> Inspection:
    package = Package(data, name)
    if not any(kind == "officeDocument" for kind, _ in package.relationships("")):
        raise DraftingError("not a Word document (no main document part)", name)
    out = Inspection(name)
    _properties(package, out)
    stories = {n: package.xml(n) for n in sorted(package.names()) if _STORY.fullmatch(n)}
    _tracked_changes(stories, out)
    _comments(package, stories, out)
    _hidden_text(stories, out)
    codes = _fields(stories, out)
    _settings(package, out)
    _custom_xml(package, out)
    _parts(package, out)
    _external(package, out, codes)
    return out


def _text(element: etree._Element | None) -> str:
    return " ".join("".join(element.itertext()).split()) if element is not None else ""


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _properties(package: Package, out: Inspection) -> None:
    said = []
    if package.has("docProps/core.xml"):
        for element in package.xml("docProps/core.xml"):
            if element.tag in _CORE and _text(element):
                said.append(f'{_CORE[element.tag]} "{_short(_text(element))}"')
    if package.has("docProps/app.xml"):
        for element in package.xml("docProps/app.xml"):
            local = etree.QName(element).localname
            value = _text(element)
            if local in _APP and value and value not in ("Normal", "Normal.dotm", "Normal.dot"):
                said.append(f'{local.lower()} "{_short(value)}"')
    if said:
        out.add(REVIEW, "properties", "document properties say " + ", ".join(said), said)
    if package.has("docProps/custom.xml"):
        names = [p.get("name") or "?" for p in package.xml("docProps/custom.xml")]
        if names:
            out.add(REVIEW, "custom properties", f"{len(names)}: " + ", ".join(names), names)


def _tracked_changes(stories: dict[str, etree._Element], out: Inspection) -> None:
    by_author: Counter[str] = Counter()
    for root in stories.values():
        for element in root.iter(*(w(t) for t in _REVISIONS)):
            by_author[element.get(w("author")) or "(no author)"] += 1
    if by_author:
        who = [f"{a} {n}" for a, n in by_author.most_common()]
        out.add(REVIEW, "tracked changes", f"{sum(by_author.values())} pending, by "
                f"{len(by_author)} author(s): " + ", ".join(who), who)


def _comments(package: Package, stories: dict[str, etree._Element], out: Inspection) -> None:
    root = stories.get("word/comments.xml")
    if root is None:
        return
    comments = root.findall(w("comment"))
    if not comments:
        return
    authors = Counter(c.get(w("author")) or "(no author)" for c in comments)
    replies = done = 0
    if package.has("word/commentsExtended.xml"):
        for ex in package.xml("word/commentsExtended.xml").iter(f"{{{_W15}}}commentEx"):
            replies += ex.get(f"{{{_W15}}}paraIdParent") is not None
            done += ex.get(f"{{{_W15}}}done") == "1"
    extra = (f"; {replies} replies" if replies else "") + (f"; {done} done" if done else "")
    items = [f"{c.get(w('author')) or '(no author)'}: {_short(_text(c))}" for c in comments]
    out.add(REVIEW, "comments", f"{len(comments)} by "
            + ", ".join(f"{a} {n}" for a, n in authors.most_common()) + extra, items)
    if package.has("word/people.xml"):
        people = [p.get(f"{{{_W15}}}author") or "?"
                  for p in package.xml("word/people.xml").iter(f"{{{_W15}}}person")]
        if people:
            out.add(REVIEW, "people", "reviewers' accounts listed: " + ", ".join(people),
                    people)


def _hidden_text(stories: dict[str, etree._Element], out: Inspection) -> None:
    hidden = []
    for root in stories.values():
        for run in root.iter(w("r")):
            rpr = run.find(w("rPr"))
            vanish = rpr.find(w("vanish")) if rpr is not None else None
            if vanish is not None and vanish.get(w("val")) not in ("0", "false", "off"):
                text = "".join(t.text or "" for t in run.iter(w("t"), w("delText")))
                if text.strip():
                    hidden.append(text)
    if hidden:
        out.add(REVIEW, "hidden text", f"{len(hidden)} hidden run(s): "
                f'"{_short(" ".join(" ".join(hidden).split()))}"', hidden)


def _fields(stories: dict[str, etree._Element], out: Inspection) -> list[str]:
    """Fields that pull content in; the field codes found, for _external (text in the
    result of a field nested in another's code is part of that code, as in Word)."""
    codes = []
    for root in stories.values():
        codes += [s.get(w("instr")) or "" for s in root.iter(w("fldSimple"))]
        open_codes: list[list[str] | None] = []  # per open field: its code, None past it
        coding: list[list[str]] = []  # the codes still being written, innermost last
        for element in root.iter(w("fldChar"), w("instrText"), w("t")):
            kind = element.get(w("fldCharType")) if element.tag == w("fldChar") else None
            if kind == "begin":
                open_codes.append([])
                coding.append(open_codes[-1])
            elif kind in ("separate", "end") and open_codes:
                if open_codes[-1] is not None:
                    codes.append("".join(coding.pop()))
                if kind == "end":
                    open_codes.pop()
                else:
                    open_codes[-1] = None
            elif kind is None and coding:
                coding[-1].append(element.text or "")
    pulling = [" ".join(c.split()) for c in codes if _PULLING.match(c)]
    if pulling:
        out.add(REVIEW, "fields", f"{len(pulling)} field(s) that pull content from "
                "elsewhere when updated: " + "; ".join(_short(p) for p in pulling), pulling)
    alt = sum(1 for root in stories.values() for _ in root.iter(w("altChunk")))
    if alt:
        out.add(REVIEW, "imported content", f"{alt} w:altChunk part(s) merged in on opening")
    return codes


def _settings(package: Package, out: Inspection) -> None:
    settings = next((t for k, t in package.relationships(_main(package)) if k == "settings"),
                    None)
    if settings is None or not package.has(settings):
        return
    root = package.xml(settings)
    variables = [v.get(w("name")) or "?" for v in root.iter(w("docVar"))]
    if variables:
        out.add(REVIEW, "document variables", f"{len(variables)}: " + ", ".join(variables),
                variables)
    rsids = root.find(w("rsids"))
    if rsids is not None and len(rsids):
        out.add(INFO, "rsids", f"{len(rsids)} editing-session ids (they can tie copies of "
                "a file together)")


def _main(package: Package) -> str:
    return next(t for k, t in package.relationships("") if k == "officeDocument")


def _custom_xml(package: Package, out: Inspection) -> None:
    for name in sorted(package.names()):
        if not re.fullmatch(r"customXml/item\d+\.xml", name):
            continue
        root = package.xml(name)
        namespace = etree.QName(root).namespace or "(no namespace)"
        if namespace == IDS_NAMESPACE:
            if any(b.get("id") or b.get("clause") for b in root):
                out.add(REVIEW, "custom XML", f"{name}: drafting block ids, clauses and "
                        "editions (an --internal copy)")
            else:
                out.add(INFO, "custom XML", f"{name}: drafting paragraph levels only")
        elif len(root) or _text(root):
            out.add(REVIEW, "custom XML", f"{name}: data in {namespace}")


def _parts(package: Package, out: Inspection) -> None:
    names = package.names()
    macros = [n for n in names if re.search(r"vbaProject|vbaData|\.bin$", n) and
              "embeddings/" not in n and "printerSettings" not in n]
    if macros:
        out.add(REVIEW, "macros", ", ".join(macros), macros)
    embedded = [n for n in names if "/embeddings/" in f"/{n}"]
    if embedded:
        out.add(REVIEW, "embedded objects", f"{len(embedded)}: " + ", ".join(embedded),
                embedded)
    thumbnails = [t for k, t in package.relationships("") if k == "thumbnail"] + \
        [n for n in names if posixpath.basename(n).startswith("thumbnail")]
    if thumbnails:
        out.add(REVIEW, "thumbnail", "a picture of the first page as last saved: "
                + ", ".join(sorted(set(thumbnails))))


def _external(package: Package, out: Inspection, fields: list[str]) -> None:
    """External relationships; hyperlinks (relationships and HYPERLINK fields) to a file
    on a computer or network, or to script, are for review (links.py)."""
    links, others = [], []
    for name in sorted(package.names()):
        if not name.endswith(".rels"):
            continue
        for rel in package.xml(name).iter(_PKG_REL):
            if rel.get("TargetMode") != "External":
                continue
            kind = (rel.get("Type") or "").rsplit("/", 1)[-1]
            target = rel.get("Target") or ""
            (links if kind == "hyperlink" else others).append(f"{kind} {target}")
    if others:
        out.add(REVIEW, "external targets", f"{len(others)} that Word may fetch or open: "
                + "; ".join(_short(o, 80) for o in others), others)
    targets = [t.split(" ", 1)[1] for t in links] + \
        [t for t in map(fieldcode.hyperlink, fields) if t and not t.startswith("#")]
    unsafe = list(dict.fromkeys(t for t in targets if kind_of_link(t) != SHARED))
    if unsafe:
        out.add(REVIEW, "local links", f"{len(unsafe)} hyperlink(s) to files on a computer "
                "or network, or to script: " + "; ".join(_short(" ".join(u.split()), 80)
                                                          for u in unsafe),
                unsafe)
    if links:
        out.add(INFO, "hyperlinks", f"{len(links)} to outside the file", links)


def text_lines(inspection: Inspection) -> list[str]:
    """One line per finding, review first; a file with nothing to review says so."""
    review = inspection.to_review
    head = (f"{inspection.file}: {len(review)} finding(s) to review before sending"
            if review else f"{inspection.file}: nothing a sender would not mean to send")
    ordered = review + [f for f in inspection.findings if f.severity == INFO]
    return [head] + [f"  {f.severity:<6}  {f.category}: {f.detail}" for f in ordered]
