#!/usr/bin/python3
"""Ask a real LibreOffice what it sees in Word files; print JSON.

Runs under Debian's python3 (the only interpreter with `uno`): tests call it as a
subprocess. One private headless LibreOffice serves all the files of one call.

  lo_probe.py inspect FILE.docx...      text, list labels, notes, tracked changes, comments
                                        (author, text, anchored text), accept/reject,
                                        tables (rows, cells) and notes with their marks,
                                        after accept-all and after reject-all; header,
                                        footer and text-box texts (accepted, rejected),
                                        the body's link texts after reject-all
  lo_probe.py pdf FILE.docx OUTDIR      convert to PDF (comments in the margin where
                                        this LibreOffice can: ExportNotesInMargin, 7.5+)

This LibreOffice (Debian's nogui build, 7.4) aborts when it opens a view of a document
with comments (the comment windows need UI files the nogui build lacks). So a file with
comments is read twice: its comments, as LibreOffice imported them, from the document
model alone (no view); its pages, text and LibreOffice's own accept-all and reject-all
from a copy without the comment marks (which carry no text). Which comments survive
accept-all and reject-all is read from the model with the deleted (or the inserted) text
of every tracked change removed: what accepting (or rejecting) does to the text.
  lo_probe.py compare OLD NEW OUT       LibreOffice's own Compare Document, timed
  lo_probe.py reading FILE.docx...      what a reader sees, all changes accepted: body
                                        paragraphs, notes, text frames, pictures, formulas,
                                        headers and footers

Exit status: 0 ok, 2 bad input, 3 LibreOffice failed or timed out.
"""

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
import zipfile

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException


def props(**values):
    out = []
    for key, value in values.items():
        p = PropertyValue()
        p.Name, p.Value = key, value
        out.append(p)
    return tuple(out)


def url(path):
    return uno.systemPathToFileUrl(os.path.abspath(path))


class Office:
    """A private LibreOffice: own profile, own pipe, killed with its process group."""

    def __init__(self, timeout):
        self.timeout = timeout

    def __enter__(self):
        self.tmp = tempfile.mkdtemp(prefix="lo-probe-")
        pipe = "probe" + uuid.uuid4().hex
        self.proc = subprocess.Popen(
            ["soffice", "--headless", "--invisible", "--nologo", "--norestore", "--nodefault",
             "--nolockcheck", "-env:UserInstallation=" + url(os.path.join(self.tmp, "p")),
             f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True)
        self.timer = threading.Timer(self.timeout, self.kill)
        self.timer.daemon = True
        self.timer.start()
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local)
        while True:
            try:
                self.ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except NoConnectException:
                if self.proc.poll() is not None:
                    raise SystemExit(3) from None
                time.sleep(0.1)
        self.smgr = self.ctx.ServiceManager
        self.desktop = self.smgr.createInstanceWithContext("com.sun.star.frame.Desktop", self.ctx)
        return self

    def kill(self):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)

    def __exit__(self, *exc):
        with contextlib.suppress(Exception):
            self.desktop.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=20)
        self.kill()
        self.timer.cancel()
        shutil.rmtree(self.tmp, ignore_errors=True)
        return False

    def load(self, path):
        copy = os.path.join(tempfile.mkdtemp(dir=self.tmp), os.path.basename(path))
        shutil.copy(path, copy)  # LibreOffice's lock files stay in our folder
        doc = self.desktop.loadComponentFromURL(url(copy), "_blank", 0, props(Hidden=True))
        if doc is None or not doc.supportsService("com.sun.star.text.TextDocument"):
            raise SystemExit(2)
        return doc

    def load_model(self, path):
        """The document model only, without a view: what LibreOffice imported."""
        doc = self.smgr.createInstanceWithContext("com.sun.star.text.TextDocument", self.ctx)
        doc.load(props(URL=url(path), FilterName="MS Word 2007 XML", Hidden=True))
        return doc

    def dispatch(self, doc, command, **args):
        helper = self.smgr.createInstanceWithContext("com.sun.star.frame.DispatchHelper",
                                                     self.ctx)
        return helper.executeDispatch(doc.getCurrentController().getFrame(), command, "", 0,
                                      props(**args))


def paragraphs(doc):
    """Body paragraphs (tables flattened) as {text, label, style}."""
    out = []
    enum = doc.getText().createEnumeration()
    while enum.hasMoreElements():
        element = enum.nextElement()
        if element.supportsService("com.sun.star.text.Paragraph"):
            out.append({"text": element.getString(),
                        "label": element.getPropertyValue("ListLabelString"),
                        "style": element.getPropertyValue("ParaStyleName")})
        elif element.supportsService("com.sun.star.text.TextTable"):
            for name in element.getCellNames():
                out.append({"text": element.getCellByName(name).getString(), "label": "",
                            "style": "table"})
    return out


def links(doc):
    """Each stretch of body text that reads as a link: [text, its address, its character
    style], where it has an address or a link's style ("Internet Link", "Hyperlink")."""
    out = []
    enum = doc.getText().createEnumeration()
    while enum.hasMoreElements():
        element = enum.nextElement()
        if not element.supportsService("com.sun.star.text.Paragraph"):
            continue
        portions = element.createEnumeration()
        while portions.hasMoreElements():
            portion = portions.nextElement()
            address = portion.getPropertyValue("HyperLinkURL")
            style = portion.getPropertyValue("CharStyleName")
            if portion.getString() and (address or style in ("Internet Link", "Hyperlink")):
                out.append([portion.getString(), address, style])
    return out


def notes(doc):
    """The text of each footnote and endnote, in order."""
    out = {}
    for kind, notes_ in (("footnotes", doc.getFootnotes()), ("endnotes", doc.getEndnotes())):
        out[kind] = [notes_.getByIndex(k).getString() for k in range(notes_.getCount())]
    return out


def boxes(doc):
    """The text of each shape's text box (a DrawingML or VML text box), in draw order."""
    out = []
    page = doc.getDrawPage()
    for k in range(page.getCount()):
        shape = page.getByIndex(k)
        with contextlib.suppress(Exception):
            if shape.getPropertyValue("TextBox"):
                content = shape.getPropertyValue("TextBoxContent")
                out.append(content.getString() if content is not None else "")
    return out


def margins(doc):
    """The text of each header and footer of the page styles in use, by style name:
    {"Standard": {"HeaderText": "...", "FooterTextFirst": "..."}} (empty ones left out)."""
    out = {}
    styles = doc.getStyleFamilies().getByName("PageStyles")
    for name in sorted(styles.getElementNames()):
        style = styles.getByName(name)
        if not style.isInUse():
            continue
        found = {}
        for kind in ("Header", "Footer"):
            if not style.getPropertyValue(f"{kind}IsOn"):
                continue
            for variant in ("", "First", "Left"):
                with contextlib.suppress(Exception):
                    text = style.getPropertyValue(f"{kind}Text{variant}")
                    said = _without_page_numbers(text) if text is not None else ""
                    if said:
                        found[f"{kind}Text{variant}"] = said
        if found:
            out[name] = found
    return out


_PAGE_FIELDS = ("com.sun.star.text.textfield.PageNumber",
                "com.sun.star.text.textfield.PageCount")


def _without_page_numbers(text):
    """A header's or footer's text, its paragraphs one per line, without the page number
    and page count fields (numbers of the page laid out, not text of the file)."""
    lines = []
    paragraphs_ = text.createEnumeration()
    while paragraphs_.hasMoreElements():
        paragraph = paragraphs_.nextElement()
        if not paragraph.supportsService("com.sun.star.text.Paragraph"):
            continue
        parts = []
        portions = paragraph.createEnumeration()
        while portions.hasMoreElements():
            portion = portions.nextElement()
            if portion.getPropertyValue("TextPortionType") == "TextField" and any(
                    portion.getPropertyValue("TextField").supportsService(s)
                    for s in _PAGE_FIELDS):
                continue
            parts.append(portion.getString())
        lines.append("".join(parts))
    return "\n".join(lines).strip()


def redlines(doc):
    out = []
    enum = doc.getRedlines().createEnumeration()
    while enum.hasMoreElements():
        r = enum.nextElement()
        when = r.getPropertyValue("RedlineDateTime")
        text = None
        try:
            cursor = r.getPropertyValue("RedlineStart").getText().createTextCursorByRange(
                r.getPropertyValue("RedlineStart"))
            cursor.gotoRange(r.getPropertyValue("RedlineEnd"), True)
            text = cursor.getString()
        except Exception:
            pass
        out.append({"type": r.getPropertyValue("RedlineType"),
                    "author": r.getPropertyValue("RedlineAuthor"),
                    "date": f"{when.Year:04d}-{when.Month:02d}-{when.Day:02d}T"
                            f"{when.Hours:02d}:{when.Minutes:02d}:{when.Seconds:02d}",
                    "text": text})
    return out


def comments(doc):
    """Comments (annotation fields) in text order: author, initials, text, the text they
    are anchored to, and whether LibreOffice counts them resolved."""
    out = []
    enum = doc.getTextFields().createEnumeration()
    while enum.hasMoreElements():
        field = enum.nextElement()
        if not field.supportsService("com.sun.star.text.textfield.Annotation"):
            continue
        anchor = field.getAnchor()
        out.append({"author": field.getPropertyValue("Author"),
                    "initials": field.getPropertyValue("Initials"),
                    "text": field.getPropertyValue("Content"),
                    "anchored": anchor.getString(),
                    "resolved": bool(field.getPropertyValue("Resolved")),
                    "_at": _position(doc, anchor)})
    out.sort(key=lambda c: c.pop("_at"))
    return out


def _position(doc, anchor):
    """Where an anchor starts: (paragraph number, offset) in the body, for ordering."""
    text = doc.getText()
    cursor = text.createTextCursorByRange(text.getStart())
    try:
        cursor.gotoRange(anchor.getStart(), True)
        return len(cursor.getString())
    except Exception:
        return 0


_COMMENT_MARKS = re.compile(rb"<w:commentRange(?:Start|End)\b[^>]*/>|<w:commentReference\b[^>]*/>")


def has_comments(path):
    with zipfile.ZipFile(path) as z:
        return "word/comments.xml" in z.namelist()


def without_comment_marks(path, folder):
    """A copy whose body has no comment ranges or references (they carry no text)."""
    out = os.path.join(folder, os.path.basename(path))
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "word/document.xml":
                body = _COMMENT_MARKS.sub(b"", body)
            dst.writestr(info, body)
    return out


# Comments in the page margin, as Word prints them, where this LibreOffice can (7.5+);
# 7.4 ignores the option: each comment is then a PDF note, an icon at its place.
PDF_OPTIONS = props(ExportNotes=True, ExportNotesInMargin=True)


def convert_to_pdf(path, folder, tmp, timeout):
    """soffice --convert-to, which lays a file with comments out without the view this
    LibreOffice cannot open (a private profile; the same options as storeToURL)."""
    work = tempfile.mkdtemp(dir=tmp)
    options = json.dumps({p.Name: {"type": "boolean", "value": str(p.Value).lower()}
                          for p in PDF_OPTIONS})
    proc = subprocess.Popen(["soffice", "--headless", "--norestore", "--nolockcheck",
                             "-env:UserInstallation=" + url(os.path.join(work, "p")),
                             "--convert-to", "pdf:writer_pdf_Export:" + options, "--outdir",
                             folder, path], stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        if proc.wait(timeout=timeout) != 0:
            raise SystemExit(3)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        raise SystemExit(3) from None


def comments_after(office, path, removed):
    """The comments left once the text of every tracked change of type `removed` is
    gone (changes not recorded)."""
    doc = office.load_model(path)
    doc.setPropertyValue("RecordChanges", False)
    ranges = []
    enum = doc.getRedlines().createEnumeration()
    while enum.hasMoreElements():
        r = enum.nextElement()
        if r.getPropertyValue("RedlineType") == removed:
            ranges.append((r.getPropertyValue("RedlineStart"), r.getPropertyValue("RedlineEnd")))
    for start, end in ranges:
        with contextlib.suppress(Exception):
            cursor = start.getText().createTextCursorByRange(start)
            cursor.gotoRange(end, True)
            cursor.setString("")
    found = comments(doc)
    doc.close(True)
    return found


def note_marks(collection):
    """Each footnote or endnote: the number it shows where its mark is, and its text."""
    out = []
    for k in range(collection.getCount()):
        note = collection.getByIndex(k)
        out.append({"mark": note.getAnchor().getString(), "text": note.getString()})
    return out


def tables_in(text, out):
    """The tables of a text (the body, a cell) in document order, each followed by the
    tables nested in its cells."""
    enum = text.createEnumeration()
    while enum.hasMoreElements():
        element = enum.nextElement()
        if element.supportsService("com.sun.star.text.TextTable"):
            names = element.getCellNames()
            out.append({"rows": element.getRows().getCount(), "cells": len(names),
                        "texts": [element.getCellByName(n).getString() for n in names]})
            for name in names:
                tables_in(element.getCellByName(name), out)
    return out


def structure(doc):
    """The body's tables (nested ones too, headers' and footers' not; a floating table,
    which LibreOffice puts in a frame, after the others), with their rows and the text of
    each cell as LibreOffice lays it out, and the footnotes and endnotes."""
    tables = tables_in(doc.getText(), [])
    frames = doc.getTextFrames()
    for k in range(frames.getCount()):
        tables_in(frames.getByIndex(k).getText(), tables)
    return {"tables": tables, "footnotes": note_marks(doc.getFootnotes()),
            "endnotes": note_marks(doc.getEndnotes())}


def inspect(office, path):
    if has_comments(path):
        model = office.load_model(path)
        noted = comments(model)
        model.close(True)
        found = _inspect_view(office, without_comment_marks(path,
                                                            tempfile.mkdtemp(dir=office.tmp)))
        found.update(file=path, comments=noted,
                     accepted_comments=comments_after(office, path, "Delete"),
                     rejected_comments=comments_after(office, path, "Insert"))
        return found
    return _inspect_view(office, path)


def _inspect_view(office, path):
    doc = office.load(path)
    pages = doc.getCurrentController().getPropertyValue("PageCount")
    found = {"file": path, "pages": pages, "redlines": redlines(doc),
             "paragraphs": paragraphs(doc), "notes": notes(doc), "comments": [],
             "accepted_comments": [], "rejected_comments": []}
    office.dispatch(doc, ".uno:AcceptAllTrackedChanges")
    found["accepted"] = paragraphs(doc)
    found["accepted_notes"] = notes(doc)
    found["accepted_margins"] = margins(doc)
    found["accepted_boxes"] = boxes(doc)
    found["structure"] = structure(doc)
    doc.close(True)
    doc = office.load(path)
    office.dispatch(doc, ".uno:RejectAllTrackedChanges")
    found["rejected"] = paragraphs(doc)
    found["rejected_notes"] = notes(doc)
    found["rejected_links"] = links(doc)
    found["rejected_structure"] = structure(doc)
    found["rejected_margins"] = margins(doc)
    found["rejected_boxes"] = boxes(doc)
    doc.close(True)
    return found


def _texts(collection):
    return [collection.getByIndex(k).getString() for k in range(collection.getCount())]


def reading(office, path):
    """Everything a reader of the file sees once its tracked changes are accepted: the
    body's paragraphs ([text, in a table cell]), footnotes and endnotes, the text of text
    frames, each picture (its alt text and size: a replaced picture rarely keeps both),
    each embedded object (a formula's own text, where LibreOffice Math is installed) and
    the number of drawing objects (pictures, shapes, SmartArt)."""
    doc = office.load(path)
    office.dispatch(doc, ".uno:AcceptAllTrackedChanges")
    graphics = doc.getGraphicObjects()
    pictures = []
    for k in range(graphics.getCount()):
        g = graphics.getByIndex(k)
        size = g.getPropertyValue("Size")
        pictures.append({"description": g.getPropertyValue("Description"),
                         "title": g.getPropertyValue("Title"),
                         "size": [size.Width, size.Height]})
    embedded = doc.getEmbeddedObjects()
    objects = []
    for name in embedded.getElementNames():
        model = embedded.getByName(name).getEmbeddedObject()
        formula = None
        with contextlib.suppress(Exception):
            formula = model.getPropertyValue("Formula")
        objects.append({"formula": formula})
    found = {"file": path,
             "paragraphs": [[p["text"], p["style"] == "table"] for p in paragraphs(doc)],
             "footnotes": _texts(doc.getFootnotes()), "endnotes": _texts(doc.getEndnotes()),
             "frames": _texts(doc.getTextFrames()), "pictures": pictures,
             "objects": objects, "shapes": doc.getDrawPage().getCount(),
             "margins": margins(doc)}
    doc.close(True)
    return found


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    command, args = sys.argv[1], sys.argv[2:]
    timeout = float(os.environ.get("LO_TIMEOUT", "300"))
    for path in args[:2] if command != "pdf" else args[:1]:
        if not os.path.isfile(path):
            print(f"lo_probe: no such file: {path}", file=sys.stderr)
            return 2
    with Office(timeout) as office:
        if command == "inspect":
            result = [inspect(office, path) for path in args]
        elif command == "reading":
            result = [reading(office, path) for path in args]
        elif command == "pdf":
            out = os.path.join(args[1], os.path.splitext(os.path.basename(args[0]))[0] + ".pdf")
            if has_comments(args[0]):
                convert_to_pdf(args[0], args[1], office.tmp, timeout)
            else:
                doc = office.load(args[0])
                doc.storeToURL(url(out), props(FilterName="writer_pdf_Export",
                                               FilterData=uno.Any(
                                                   "[]com.sun.star.beans.PropertyValue",
                                                   PDF_OPTIONS)))
                doc.close(True)
            result = {"pdf": out}
        elif command == "compare":
            old, new, out = args
            doc = office.load(new)
            doc.getCurrentController().getPropertyValue("PageCount")  # finish layout first
            doc.setModified(True)
            start = time.perf_counter()
            office.dispatch(doc, ".uno:CompareDocuments", URL=url(old), NoAcceptDialog=True)
            seconds = time.perf_counter() - start
            count = len(redlines(doc))
            doc.storeToURL(url(out), props(FilterName="MS Word 2007 XML"))
            doc.close(True)
            result = {"seconds": seconds, "redlines": count}
        else:
            print(f"lo_probe: unknown command {command}", file=sys.stderr)
            return 2
    json.dump(result, sys.stdout, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
