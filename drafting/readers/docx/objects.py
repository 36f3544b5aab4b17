"""Opaque objects of a Word file as visible tokens in the text, so that the diff sees one
added, removed or replaced: `⟦image: alt text · 3fa2c1⟧` (the first six hex digits of the
sha256 of the picture's bytes, its alt text when it has one), `⟦chart · 9b01de⟧`,
`⟦SmartArt: its texts · in order⟧`, `⟦shape: alt text⟧`, `⟦object: Excel.Sheet.12⟧` (an
embedded OLE object, by its program id) and `⟦equation: A=πr^2⟧` (OMML as linear text, in
the manner of UnicodeMath: a/b, x^2, x_i, √(x), ∑_(i=1)^n). Text boxes are read by the
walker (body.py) and shown where they are anchored, as `⟦text box: ...⟧`.

A picture linked from outside the file (r:link, TargetMode="External") is named by its
address and never fetched. Square brackets are negotiating brackets; the tokens use
U+27E6/U+27E7 so that `draft brackets` never counts them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

from lxml import etree

from ...model import OBJECT_CLOSE, OBJECT_OPEN
from .package import Package
from .xml import MC, M, R, w

A = "http://schemas.openxmlformats.org/drawingml/2006/main"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
V = "urn:schemas-microsoft-com:vml"
OFFICE = "urn:schemas-microsoft-com:office:office"
DGM = "http://schemas.openxmlformats.org/drawingml/2006/diagram"
C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
_EXTERNAL_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
TEXT_BOX = w("txbxContent")
HASH_DIGITS = 6
ACCEPTED, ORIGINAL = 0, 1


def token(kind: str, text: str = "", identity: str = "") -> str:
    """`⟦kind: text · identity⟧`, leaving out what is empty."""
    body = kind + (f": {text}" if text else "") + (f" · {identity}" if identity else "")
    return f"{OBJECT_OPEN}{body}{OBJECT_CLOSE}"


Token = tuple[str, str]  # (what it stands for: "image", "chart"...; the token itself)


def _token(kind: str, text: str = "", identity: str = "") -> Token:
    return kind, token(kind, text, identity)


def _m(tag: str) -> str:
    return f"{{{M}}}{tag}"


class Objects:
    """Tokens for the objects of one part of one package (a picture's r:embed is resolved
    through the relationships of the part it stands in)."""

    def __init__(self, package: Package | None) -> None:
        self.package = package
        self.part = ""
        self._rels: dict[str, dict[str, tuple[str, bool]]] = {}
        # part -> digest: each part is inflated and hashed once however many drawings (and
        # readings) name it, so the bytes hashed stay within the package's total limit
        self._digests: dict[str, str] = {}
        self.linked = 0  # pictures linked from outside the file (named, never fetched)
        self.ole = 0

    def target(self, rid: str | None, part: str | None = None) -> tuple[str, bool] | None:
        """(target, external) of relationship `rid` of `part` (default: the current one)."""
        if not rid or self.package is None:
            return None
        part = self.part if part is None else part
        if part not in self._rels:
            self._rels[part] = _relationship_map(self.package, part)
        return self._rels[part].get(rid)

    def _digest(self, rid: str | None, part: str | None = None) -> str:
        found = self.target(rid, part)
        if found is None:
            return "missing"
        target, external = found
        if external:
            self.linked += 1
            return "linked " + hashlib.sha256(target.encode()).hexdigest()[:HASH_DIGITS]
        assert self.package is not None
        if not self.package.has(target):
            return "missing"
        if target not in self._digests:
            self._digests[target] = hashlib.sha256(self.package.read(target)).hexdigest()
        return self._digests[target][:HASH_DIGITS]

    # -- DrawingML and VML --------------------------------------------------------------

    def drawing(self, element: etree._Element) -> list[Token]:
        """The tokens of a w:drawing (text boxes inside it are the walker's)."""
        alt = _alt(element.find(f".//{{{WP}}}docPr"))
        data = element.find(f".//{{{A}}}graphicData")
        uri = (data.get("uri") or "") if data is not None else ""
        if uri.endswith("/diagram") and data is not None:
            return [self._smartart(data, alt)]
        if uri.endswith("/chart") and data is not None:
            chart = data.find(f"{{{C}}}chart")
            rid = chart.get(f"{{{R}}}id") if chart is not None else None
            return [_token("chart", alt, self._digest(rid))]
        pictures = [self._picture(blip, alt) for blip in element.iter(f"{{{A}}}blip")]
        if pictures:
            return pictures
        if element.find(f".//{TEXT_BOX}") is not None:
            return []
        return [_token("shape", alt)]

    def _picture(self, blip: etree._Element, alt: str) -> Token:
        rid = blip.get(f"{{{R}}}embed") or blip.get(f"{{{R}}}link")
        return _token("image", alt, self._digest(rid))

    def _smartart(self, data: etree._Element, alt: str) -> Token:
        """SmartArt: the texts of its data part, in order, and its pictures' identities."""
        ids = data.find(f"{{{DGM}}}relIds")
        found = self.target(ids.get(f"{{{R}}}dm")) if ids is not None else None
        texts: list[str] = []
        if found and not found[1] and self.package is not None and self.package.has(found[0]):
            root = self.package.xml(found[0])
            for point in root.iter(f"{{{DGM}}}pt"):
                said = "".join(t.text or "" for t in point.iter(f"{{{A}}}t")).strip()
                if said:
                    texts.append(said)
                for blip in point.iter(f"{{{A}}}blip"):
                    rid = blip.get(f"{{{R}}}embed") or blip.get(f"{{{R}}}link")
                    texts.append("image " + self._digest(rid, found[0]))
        return _token("SmartArt", " · ".join(texts) or alt)

    def pict(self, element: etree._Element) -> list[Token]:
        """The tokens of a VML w:pict or the picture of a w:object."""
        alt = ""
        for shape in element.iter(f"{{{V}}}shape", f"{{{V}}}rect", f"{{{V}}}oval"):
            alt = alt or (shape.get("alt") or "").strip()
        images = [_token("image", alt, self._digest(img.get(f"{{{R}}}id")))
                  for img in element.iter(f"{{{V}}}imagedata")]
        if images or element.find(f".//{TEXT_BOX}") is not None:
            return images
        return [_token("shape", alt)]

    def ole(self, element: etree._Element) -> list[Token]:
        """An embedded (or linked) OLE object: its program id; its text is not ours to read."""
        self.ole += 1
        found = element.find(f".//{{{OFFICE}}}OLEObject")
        program = (found.get("ProgID") or "") if found is not None else ""
        return [_token("object", program)]


def object_warnings(objects: Objects, pulling: dict[str, int]) -> list[str]:
    """What the reader kept of objects only by name, and fields whose content comes from
    outside the file."""
    out = []
    if objects.linked:
        out.append(f"{objects.linked} picture{'s' * (objects.linked > 1)} linked from outside "
                   "the file, named by address only (never fetched)")
    if objects.ole:
        out.append(f"{objects.ole} embedded object{'s' * (objects.ole > 1)} (OLE) kept as a "
                   "⟦object⟧ token only: their content is not read")
    for name, n in sorted(pulling.items()):
        out.append(f"{n} {name} field{'s' * (n > 1)} pull content from outside the file: "
                   "the result last saved in it is read, never fetched")
    return out


def _alt(doc_pr: etree._Element | None) -> str:
    """The alt text a reader of the document is given: description, else title (never the
    generated name "Picture 3")."""
    if doc_pr is None:
        return ""
    said = (doc_pr.get("descr") or doc_pr.get("title") or "").split()
    return " ".join(said)


def _relationship_map(package: Package, part: str) -> dict[str, tuple[str, bool]]:
    """rId -> (target part, False) or (external address, True) for one part."""
    import posixpath

    folder, base = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", base + ".rels")
    if not package.has(rels):
        return {}
    out: dict[str, tuple[str, bool]] = {}
    for rel in package.xml(rels).iter(_EXTERNAL_REL):
        rid, target = rel.get("Id") or "", rel.get("Target") or ""
        if rel.get("TargetMode") == "External":
            out[rid] = (target, True)
        elif target:
            name = target[1:] if target.startswith("/") else posixpath.join(folder, target)
            out[rid] = (posixpath.normpath(name), False)
    return out


# -- equations: OMML as linear text -------------------------------------------------------

_SKIPPED_MATH = {_m(t) for t in ("rPr", "ctrlPr", "fPr", "sSupPr", "sSubPr", "sSubSupPr",
                                 "sPrePr", "radPr", "naryPr", "dPr", "funcPr", "accPr",
                                 "barPr", "limLowPr", "limUppPr", "groupChrPr", "boxPr",
                                 "borderBoxPr", "phantPr", "mPr", "mcPr", "eqArrPr",
                                 "oMathParaPr", "argPr")} | {w("rPr"), f"{{{MC}}}Fallback"}


def equation(element: etree._Element, view: int) -> str:
    """An m:oMath or m:oMathPara as one line of linear text in one reading (w:ins content
    is not in the original, w:del content not in the accepted text)."""
    return " ".join(_math(element, view).split())


def _group(text: str) -> str:
    """An operand as linear math writes it: one character (or a bracketed group) bare,
    anything longer in parentheses."""
    return text if len(text) <= 1 or (text[0] in "([{" and text[-1] in ")]}") else f"({text})"


def _val(element: etree._Element, path: str, default: str) -> str:
    found = element.find(path)
    if found is None:
        return default
    return found.get(_m("val"), default)


def _part(element: etree._Element, name: str, view: int) -> str:
    found = element.find(_m(name))
    return "" if found is None else _math(found, view)


def _math(element: etree._Element, view: int) -> str:
    tag = element.tag
    if tag in _SKIPPED_MATH:
        return ""
    if (tag == w("ins") and view == ORIGINAL) or (tag == w("del") and view == ACCEPTED):
        return ""
    if tag in (_m("t"), w("t"), w("delText")):
        return element.text or ""
    rule = _RULES.get(tag)
    if rule is not None:
        return rule(element, view)
    return "".join(_math(child, view) for child in _children(element))


def _children(element: etree._Element) -> Iterator[etree._Element]:
    for child in element:
        if isinstance(child.tag, str):
            yield child


def _fraction(e: etree._Element, v: int) -> str:
    return f"{_group(_part(e, 'num', v))}/{_group(_part(e, 'den', v))}"


def _script(e: etree._Element, v: int) -> str:
    base, sub, sup = _part(e, "e", v), _part(e, "sub", v), _part(e, "sup", v)
    return base + (f"_{_group(sub)}" if sub else "") + (f"^{_group(sup)}" if sup else "")


def _pre(e: etree._Element, v: int) -> str:
    sub, sup = _part(e, "sub", v), _part(e, "sup", v)
    return (f"_{_group(sub)}" if sub else "") + (f"^{_group(sup)}" if sup else "") + " " + \
        _part(e, "e", v)


def _radical(e: etree._Element, v: int) -> str:
    degree, base = _part(e, "deg", v), _part(e, "e", v)
    return f"√({degree}&{base})" if degree else f"√{_group(base)}"


def _nary(e: etree._Element, v: int) -> str:
    """∑_(i=1)^n x: the operator (∫ unless said), its limits, then its operand."""
    symbol = _val(e, f"{_m('naryPr')}/{_m('chr')}", "∫")
    sub, sup = _part(e, "sub", v), _part(e, "sup", v)
    return symbol + (f"_{_group(sub)}" if sub else "") + (f"^{_group(sup)}" if sup else "") \
        + " " + _part(e, "e", v)


def _delimited(e: etree._Element, v: int) -> str:
    props = f"{_m('dPr')}/"
    begin, end = _val(e, props + _m("begChr"), "("), _val(e, props + _m("endChr"), ")")
    separator = _val(e, props + _m("sepChr"), "|")
    return begin + separator.join(_math(x, v) for x in e.findall(_m("e"))) + end


def _function(e: etree._Element, v: int) -> str:
    name, arg = _part(e, "fName", v), _part(e, "e", v)
    return name + (arg if arg.startswith("(") else f" {arg}")


def _accent(e: etree._Element, v: int) -> str:
    return _group(_part(e, "e", v)) + _val(e, f"{_m('accPr')}/{_m('chr')}", "\u0302")


def _bar(e: etree._Element, v: int) -> str:
    return _group(_part(e, "e", v)) + "\u0305"


def _limit(e: etree._Element, v: int) -> str:
    mark = "_" if e.tag == _m("limLow") else "^"
    return _part(e, "e", v) + mark + _group(_part(e, "lim", v))


def _matrix(e: etree._Element, v: int) -> str:
    rows = ["&".join(_math(x, v) for x in row.findall(_m("e"))) for row in e.findall(_m("mr"))]
    return "■(" + "@".join(rows) + ")"


def _array(e: etree._Element, v: int) -> str:
    return "█(" + "@".join(_math(x, v) for x in e.findall(_m("e"))) + ")"


_RULES = {_m("f"): _fraction, _m("sSup"): _script, _m("sSub"): _script,
          _m("sSubSup"): _script, _m("sPre"): _pre, _m("rad"): _radical, _m("nary"): _nary,
          _m("d"): _delimited, _m("func"): _function, _m("acc"): _accent, _m("bar"): _bar,
          _m("limLow"): _limit, _m("limUpp"): _limit, _m("m"): _matrix,
          _m("eqArr"): _array}
