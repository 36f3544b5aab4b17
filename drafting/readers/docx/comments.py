"""Reviewers' comments in a Word file: word/comments.xml (author, initials, date, text)
and, where Word 2013+ wrote it, word/commentsExtended.xml (which comment answers which,
and which are marked done). Each comment is anchored to the words between its
w:commentRangeStart and w:commentRangeEnd in the body (the quoted text), read as the
accepted text reads (deleted words left out); `anchor_blocks` finds the block of a
Document those words belong to.

References: ECMA-376 Part 1, 17.13.4 (comments); [MS-DOCX] 2.6.5 (commentsEx).
"""

from __future__ import annotations

from dataclasses import replace

from lxml import etree

from ...model import Comment, Document, citations
from .package import Package
from .xml import w

W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
MAX_COMMENTS = 10_000


def _text(element: etree._Element) -> str:
    paragraphs = ["".join(t.text or "" for t in p.iter(w("t"))) for p in element.iter(w("p"))]
    return "\n".join(" ".join(p.split()) for p in paragraphs if p.strip())


def read_comments(package: Package, main: str = "word/document.xml",
                  quoted: bool = True) -> list[Comment]:
    """The file's comments in the order of comments.xml (empty when it has none); without
    `quoted`, the words they anchor to are not read (the body is not parsed)."""
    parts = {kind: part for kind, part in package.relationships(main) if package.has(part)}
    if "comments" not in parts:
        return []
    root = package.xml(parts["comments"])
    elements = root.findall(w("comment"))
    if len(elements) > MAX_COMMENTS:
        from ...errors import DraftingError

        raise DraftingError(f"refused: more than {MAX_COMMENTS} comments", package.source)
    words = _quoted(package.xml(main)) if quoted and package.has(main) else {}
    extended = _extended(package, parts.get("commentsExtended"))
    by_para: dict[str, str] = {}
    out = []
    for element in elements:
        cid = element.get(w("id")) or ""
        paras = element.findall(w("p"))
        para_id = paras[-1].get(f"{{{W14}}}paraId") if paras else None
        if para_id:
            by_para[para_id] = cid
        out.append(Comment(cid, element.get(w("author")) or "",
                           element.get(w("initials")) or "", element.get(w("date")) or "",
                           _text(element), words.get(cid, ""), parent=para_id))
    # `parent` held the comment's own paraId until here: now the answered comment's id
    resolved = []
    for comment in out:
        parent_para, done = extended.get(comment.parent or "", (None, False))
        resolved.append(replace(comment, parent=by_para.get(parent_para or ""), done=done))
    return resolved


def _extended(package: Package, part: str | None) -> dict[str, tuple[str | None, bool]]:
    """paraId of a comment's last paragraph -> (paraId of the one it answers, done)."""
    if part is None:
        return {}
    out = {}
    for ex in package.xml(part).iter(f"{{{W15}}}commentEx"):
        out[ex.get(f"{{{W15}}}paraId") or ""] = (ex.get(f"{{{W15}}}paraIdParent"),
                                                 ex.get(f"{{{W15}}}done") == "1")
    return out


def _quoted(document: etree._Element) -> dict[str, str]:
    """Comment id -> the accepted text between its range start and end."""
    open_ranges: dict[str, list[str]] = {}
    done: dict[str, str] = {}
    start, end, para, text = (w("commentRangeStart"), w("commentRangeEnd"), w("p"), w("t"))
    for element in document.iter(start, end, para, text):
        tag = element.tag
        if tag == start:
            open_ranges[element.get(w("id")) or ""] = []
        elif tag == end:
            cid = element.get(w("id")) or ""
            if cid in open_ranges:
                done[cid] = " ".join("".join(open_ranges.pop(cid)).split())
        elif tag == para:
            for pieces in open_ranges.values():
                pieces.append(" ")
        elif not _deleted(element):
            for pieces in open_ranges.values():
                pieces.append(element.text or "")
    return done


def _deleted(element: etree._Element) -> bool:
    parent = element.getparent()
    while parent is not None:
        if parent.tag in (w("del"), w("moveFrom")):
            return True
        parent = parent.getparent()
    return False


def anchor_blocks(comments: list[Comment], document: Document) -> list[Comment]:
    """Each comment with the block its quoted words are in: the first block whose text
    holds them (or, for words across paragraphs, their beginning), cited as the file
    prints its label (model.citations)."""
    texts = [(b, " ".join(b.text.split()), cited) for b, cited in
             zip(document.blocks, citations(document.blocks), strict=True)]
    out = []
    for comment in comments:
        words = comment.quoted
        hit = next((x for x in texts if words and words in x[1]), None) or next(
            (x for x in texts if words and words[:40] in x[1]), None)
        out.append(replace(comment, block=hit[0].id, label=hit[2]) if hit else comment)
    return out
