"""Style and list ids in content copied from the older file (a deleted paragraph, the old
properties a w:pPrChange or w:rPrChange records) made to name the same definitions in the
newer file: an id means nothing outside its own styles.xml or numbering.xml (ECMA-376
Part 1, 17.7.4.17 and 17.9.15), so a reject-all would otherwise show another style or
list, or none.

A style is found in the newer file by its name (w:name, case aside, within its type);
one the newer file lacks is copied in (under its id where that is free), with the styles
it is based on or linked to; one the older file does not define either is dropped, with a
warning. A list (w:numId) is the newer file's list of the same levels or
the same w:nsid (Word's own list identifier), that of the same id first; else its
definition (w:num and its w:abstractNum) is copied in under free ids.
"""

from __future__ import annotations

import copy

from lxml import etree

from ..readers.docx.xml import w
from .parts import Parts
from .walk import shape

_STYLE_REFS = {w("pStyle"): "paragraph", w("rStyle"): "character", w("tblStyle"): "table"}
# a style's references to other styles, and the type of style each names (same: None)
_STYLE_LINKS = {w("basedOn"): {}, w("next"): {},
                w("link"): {"paragraph": "character", "character": "paragraph"}}
_NUMBERING_TYPE = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
                   "numbering")
_NUMBERING_CONTENT = "application/vnd.openxmlformats-officedocument.wordprocessingml." \
    "numbering+xml"
_TEMPLATE_IDS = {w("nsid"), w("tmpl")}  # numbering's own identifiers, not its levels
REFS = (*_STYLE_REFS, w("numId"))


class Definitions:
    """Maps the older file's style and list ids to the newer file's, copying lists in."""

    def __init__(self, old: Parts, new: Parts, warnings: list[str]):
        self.old, self.new = old, new
        self.warnings = warnings  # what could not be mapped, for the user
        self._styles: dict[tuple[str, str], str | None] = {}
        self._lists: dict[str, str] = {}
        self._names = [_style_names(p) for p in (old, new)]

    def fit(self, node: etree._Element) -> bool:
        """Point a style or list reference copied from the older file at the newer file's
        definition; False when it is to be dropped."""
        value = node.get(w("val")) or ""
        if node.tag == w("numId"):
            if value != "0":  # 0: no list
                node.set(w("val"), self._list(value))
            return True
        found = self._style(_STYLE_REFS[node.tag], value)
        if found is None:
            return False
        node.set(w("val"), found)
        return True

    def name(self, kind: str, new_id: str) -> str | None:
        """The name (lower case) of the newer file's style `new_id` of `kind`, copies
        included."""
        return self._names[1].get((kind, new_id))

    def _style(self, kind: str, old_id: str) -> str | None:
        key = (kind, old_id)
        if key not in self._styles:
            old_names, new_names = self._names
            name = old_names.get(key)
            same = next((sid for (k, sid), n in new_names.items() if k == kind and n == name),
                        None) if name is not None else None
            self._styles[key] = same
            if same is None and name is not None:
                self._styles[key] = self._copied_style(kind, old_id)
            elif same is None:
                self.warnings.append(f"{self.old.source}: its {kind} style {old_id!r} is "
                                     "not defined; text copied from it is given the newer "
                                     "file's default style")
        return self._styles[key]

    def _copied_style(self, kind: str, old_id: str) -> str | None:
        """The older file's style copied into the newer file's styles, under its id where
        that is free; what it is based on, followed by or linked to, made the newer file's
        too."""
        old_part, new_part = (p.related(p.main, "styles") for p in (self.old, self.new))
        if old_part is None or new_part is None:
            return None
        style = next((st for st in self.old.xml(old_part).findall(w("style"))
                      if st.get(w("styleId")) == old_id and
                      (st.get(w("type")) or "paragraph") == kind), None)
        if style is None:
            return None
        taken = {sid for _, sid in self._names[1]}
        new_id, n = old_id, 1
        while new_id in taken:
            n += 1
            new_id = f"{old_id}{n}"
        self._styles[(kind, old_id)] = new_id  # before its links, which may come back here
        self._names[1][(kind, new_id)] = self._names[0][(kind, old_id)]
        style = copy.deepcopy(style)
        style.set(w("styleId"), new_id)
        for child in list(style):
            link = _STYLE_LINKS.get(child.tag)
            if link is not None:
                found = self._style(link.get(kind, kind), child.get(w("val")) or "")
                if found is None:
                    style.remove(child)
                else:
                    child.set(w("val"), found)
        for num_id in style.iter(w("numId")):
            self.fit(num_id)
        self.new.xml(new_part).append(style)
        return new_id

    def _list(self, old_id: str) -> str:
        if old_id not in self._lists:
            self._lists[old_id] = self._same_list(old_id) or self._copied_list(old_id) or old_id
        return self._lists[old_id]

    def _same_list(self, old_id: str) -> str | None:
        """The newer file's list defined as the older one's, the one of the same id first."""
        old_num, root = _num(_numbering(self.old), old_id), _numbering(self.new)
        if old_num is None or root is None:
            return None
        levels, nsid = _levels(self.old, old_num), _nsid(self.old, old_num)
        nums = sorted(root.findall(w("num")), key=lambda n: n.get(w("numId")) != old_id)
        return next((n.get(w("numId")) for n in nums
                     if _overrides(n) == _overrides(old_num) and (
                         _levels(self.new, n) == levels or
                         (nsid is not None and _nsid(self.new, n) == nsid))), None)

    def _copied_list(self, old_id: str) -> str | None:
        old_root = _numbering(self.old)
        num = _num(old_root, old_id)
        abstract = _abstract(old_root, num) if num is not None else None
        if num is None or abstract is None:
            return None
        root = _numbering(self.new)
        if root is None:
            root = self._new_numbering(old_root)
        abstract_id = str(1 + max((int(v) for a in root.findall(w("abstractNum"))
                                   if (v := a.get(w("abstractNumId"), "")).isdigit()),
                                  default=-1))
        num_id = str(1 + max((int(v) for n in root.findall(w("num"))
                              if (v := n.get(w("numId"), "")).isdigit()), default=0))
        abstract, num = copy.deepcopy(abstract), copy.deepcopy(num)
        abstract.set(w("abstractNumId"), abstract_id)
        for child in abstract.findall(w("numStyleLink")) + abstract.findall(w("styleLink")):
            abstract.remove(child)  # a style link names a style of the older file
        num.set(w("numId"), num_id)
        num.find(w("abstractNumId")).set(w("val"), abstract_id)
        nums = root.findall(w("num"))
        if nums:
            nums[0].addprevious(abstract)  # every w:abstractNum precedes every w:num
        else:
            root.append(abstract)
        last = root.findall(w("num"))
        (last[-1].addnext(num) if last else abstract.addnext(num))
        return num_id

    def _new_numbering(self, old_root: etree._Element | None) -> etree._Element:
        """The newer file has no lists: a numbering part of its own, empty."""
        assert old_root is not None
        root = copy.deepcopy(old_root)
        root[:] = []
        name = self.new.free_name("word/numbering.xml")
        self.new.add_part(name, etree.tostring(root), _NUMBERING_CONTENT)
        self.new.add_rel(self.new.main, _NUMBERING_TYPE, name, False)
        return self.new.xml(name)


def _numbering(parts: Parts) -> etree._Element | None:
    name = parts.related(parts.main, "numbering")
    return parts.xml(name) if name else None


def _num(root: etree._Element | None, num_id: str) -> etree._Element | None:
    if root is None:
        return None
    return next((n for n in root.findall(w("num")) if n.get(w("numId")) == num_id), None)


def _abstract(root: etree._Element, num: etree._Element) -> etree._Element | None:
    ref = num.find(w("abstractNumId"))
    wanted = ref.get(w("val")) if ref is not None else None
    return next((a for a in root.findall(w("abstractNum"))
                 if a.get(w("abstractNumId")) == wanted), None)


def _levels(parts: Parts, num: etree._Element) -> tuple | None:
    """What a list's levels say (formats, texts, indents), its template ids aside."""
    root = _numbering(parts)
    abstract = _abstract(root, num) if root is not None else None
    if abstract is None:
        return None
    return shape(c for c in abstract if c.tag not in _TEMPLATE_IDS)


def _nsid(parts: Parts, num: etree._Element) -> str | None:
    """Word's own identifier of a list (w:nsid), which stays when its levels are edited."""
    root = _numbering(parts)
    abstract = _abstract(root, num) if root is not None else None
    found = abstract.find(w("nsid")) if abstract is not None else None
    return found.get(w("val")) if found is not None else None


def _overrides(num: etree._Element) -> tuple:
    return shape(num.findall(w("lvlOverride")))


def _style_names(parts: Parts) -> dict[tuple[str, str], str]:
    """(type, style id) -> the style's name, lower case."""
    name = parts.related(parts.main, "styles")
    if name is None:
        return {}
    out = {}
    for style in parts.xml(name).findall(w("style")):
        named = style.find(w("name"))
        kind = style.get(w("type")) or "paragraph"
        if named is not None:
            out[(kind, style.get(w("styleId")) or "")] = (named.get(w("val")) or "").lower()
    return out
