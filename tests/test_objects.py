"""Opaque objects carried with an identity and their readable text: pictures (by the
sha256 of their bytes), SmartArt (its texts), equations (linear text), fields (their
result), text boxes (where they are anchored), hyperlinks; counted on the real usgpo
document against the XML; the reader's budget on formatted runs."""

from __future__ import annotations

import hashlib
import io
import posixpath
import re
import zipfile
from collections import Counter

import docx
import pytest
from conftest import need_corpus
from lxml import etree
from test_docx_hostile import refused

from drafting.compare import compare
from drafting.readers.docx import budget, read_bytes, read_file
from drafting.readers.docx.objects import equation

WC = ("docx", "compare", "oxpt-WC")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
M = "http://schemas.openxmlformats.org/officeDocument/2006/math"


def texts(name: str) -> list[str]:
    return [b.text for b in read_file(need_corpus(*WC, name)).accepted.blocks]


def diff(old: str, new: str) -> list[tuple[str, str]]:
    a = read_file(need_corpus(*WC, old)).accepted
    b = read_file(need_corpus(*WC, new)).accepted
    return [(op.op, op.text) for change in compare(a, b).blocks for op in change.ops
            if op.op != "equal"]


def media_digests(path) -> list[str]:
    """The first six hex digits of the sha256 of each picture the body embeds, in order,
    found without our reader: a:blip r:embed -> document.xml.rels -> the part's bytes."""
    with zipfile.ZipFile(path) as z:
        body = etree.fromstring(z.read("word/document.xml"))
        rels = etree.fromstring(z.read("word/_rels/document.xml.rels"))
        targets = {r.get("Id"): r.get("Target") for r in rels}
        return [hashlib.sha256(z.read(posixpath.normpath(posixpath.join(
            "word", targets[blip.get(f"{R}embed")])))).hexdigest()[:6]
            for blip in body.iter(f"{A}blip")]


# -- pictures ------------------------------------------------------------------------------

@pytest.mark.corpus
def test_a_picture_is_a_token_named_by_its_bytes() -> None:
    path = need_corpus(*WC, "WC013-Image-Before.docx")
    (digest,) = media_digests(path)
    assert texts("WC013-Image-Before.docx") == [f"⟦image · {digest}⟧"]


@pytest.mark.corpus
def test_a_replaced_picture_is_a_change() -> None:
    old, new = "WC013-Image-Before.docx", "WC013-Image-After.docx"
    (a,), (b,) = (media_digests(need_corpus(*WC, n)) for n in (old, new))
    assert a != b  # replaced whole, a change of kind "object"
    assert diff(old, new) == [("delete", f"⟦image · {a}⟧"), ("insert", f"⟦image · {b}⟧")]
    a_doc, b_doc = (read_file(need_corpus(*WC, n)).accepted for n in (old, new))
    assert {op.kind for c in compare(a_doc, b_doc).blocks for op in c.ops} == {"object"}


@pytest.mark.corpus
@pytest.mark.parametrize(("old", "new"), [
    ("WC016-Para-Image-Para.docx", "WC016-Para-Image-Para-w-Deleted-Image.docx"),
    ("WC017-Image.docx", "WC017-Image-After.docx"),
    ("WC022-Image-Math-Para-Before.docx", "WC022-Image-Math-Para-After.docx"),
    ("WC023-Table-4-Row-Image-Before.docx", "WC023-Table-4-Row-Image-After-Delete-1-Row.docx"),
])
def test_a_removed_picture_is_a_deletion(old: str, new: str) -> None:
    removed = Counter(media_digests(need_corpus(*WC, old))) - Counter(
        media_digests(need_corpus(*WC, new)))  # WC023 has the same picture twice
    assert removed
    deleted = [text for op, text in diff(old, new) if op == "delete"]
    assert sorted(removed.elements()) == sorted(
        re.fullmatch(r"⟦image · (\w+)⟧", t).group(1) for t in deleted
        if t.startswith("⟦image"))


# -- equations, SmartArt, fields, hyperlinks -------------------------------------------------

@pytest.mark.corpus
def test_equations_read_as_linear_text() -> None:
    assert "⟦equation: A=πr^2⟧" in texts("WC021-Math-Before-1.docx")  # not "A=πr2"
    assert "⟦equation: x=(-b±√(b^2-4ac))/(2a)⟧" in texts("WC021-Math-After-2.docx")
    assert "⟦equation: (x+a)^n=∑_(k=0)^n (n/k)x^ka^(n-k)⟧" in \
        texts("WC022-Image-Math-Para-Before.docx")
    # WC012's newer file inserts "2" inside the equation as a pending tracked change
    word = read_file(need_corpus(*WC, "WC012-Math-After.docx"))
    assert "⟦equation: A=2πr^2⟧" in [b.text for b in word.accepted.blocks]
    assert "⟦equation: A=πr^2⟧" in [b.text for b in word.original.blocks]
    assert [c.kind for c in word.changes] == ["insert"]


def test_equation_shapes() -> None:
    def omml(xml: str) -> etree._Element:
        return etree.fromstring(f'<m:oMath xmlns:m="{M}">{xml}</m:oMath>')

    def r(t: str) -> str:
        return f"<m:r><m:t>{t}</m:t></m:r>"

    assert equation(omml(f"<m:f><m:num>{r('a+b')}</m:num><m:den>{r('2')}</m:den></m:f>"),
                    0) == "(a+b)/2"
    assert equation(omml(f"<m:sSub><m:e>{r('x')}</m:e><m:sub>{r('i')}</m:sub></m:sSub>"),
                    0) == "x_i"
    assert equation(omml(f"<m:rad><m:deg>{r('3')}</m:deg><m:e>{r('x')}</m:e></m:rad>"),
                    0) == "√(3&x)"
    matrix = f"<m:m><m:mr><m:e>{r('1')}</m:e><m:e>{r('0')}</m:e></m:mr>" \
        f"<m:mr><m:e>{r('0')}</m:e><m:e>{r('1')}</m:e></m:mr></m:m>"
    assert equation(omml(matrix), 0) == "■(1&0@0&1)"


@pytest.mark.corpus
def test_smartart_is_a_token_with_its_texts_and_pictures() -> None:
    (token,) = [t for t in texts("WC014-SmartArt-With-Image-Before.docx")
                if t.startswith("⟦SmartArt")]
    assert re.fullmatch(r"⟦SmartArt: Crusty · Test · Test2 · image [0-9a-f]{6}⟧", token)
    assert diff("WC014-SmartArt-With-Image-Before.docx",
                "WC014-SmartArt-With-Image-Deleted-After2.docx") == [("delete", token)]


@pytest.mark.corpus
def test_fields_keep_their_result_and_hyperlinks_their_address() -> None:
    assert diff("WC018-Field-Simple-Before.docx", "WC018-Field-Simple-After-1.docx") == [
        ("insert", "nice "), ("delete", " elit")]
    word = read_file(need_corpus(*WC, "WC019-Hyperlink-Before.docx"))
    links = [(b.text[m.start:m.end], m.value) for b in word.accepted.blocks for m in b.marks
             if m.kind == "link"]
    assert links == [("www.ericwhite.com", "http://www.ericwhite.com")]


# -- text boxes: read where they are anchored -----------------------------------------------

def test_a_text_box_stays_where_it_is_anchored(tmp_path) -> None:
    """No file of the corpus has a text box: this one is built as Word writes them, a
    DrawingML box with its VML fallback, anchored in the middle of a paragraph."""
    document = docx.Document()
    p = document.add_paragraph()
    p.add_run("Before the box ")
    box = etree.fromstring(
        '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
        'xmlns:v="urn:schemas-microsoft-com:vml"><mc:AlternateContent>'
        '<mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent>'
        '<w:p><w:r><w:t>Boxed one.</w:t></w:r></w:p><w:p><w:r><w:rPr><w:b/></w:rPr>'
        '<w:t>Boxed two.</w:t></w:r></w:p></w:txbxContent></wps:txbx></w:drawing>'
        '</mc:Choice><mc:Fallback><w:pict><v:textbox><w:txbxContent><w:p><w:r>'
        '<w:t>Boxed one.</w:t></w:r></w:p></w:txbxContent></v:textbox></w:pict>'
        '</mc:Fallback></mc:AlternateContent></w:r>')
    p._p.append(box)
    p.add_run(" and after it.")
    document.add_paragraph("Next paragraph.")
    out = io.BytesIO()
    document.save(out)
    (first, second) = read_bytes(out.getvalue(), "box.docx").accepted.blocks
    assert first.text == "Before the box ⟦text box: Boxed one. ¶ Boxed two.⟧ and after it."
    assert [(first.text[m.start:m.end], m.kind) for m in first.marks] == [
        ("⟦text box: Boxed one. ¶ Boxed two.⟧", "object"), ("Boxed two.", "bold")]
    assert second.text == "Next paragraph."


# -- the usgpo document: what we read, counted against its XML -------------------------------

@pytest.mark.corpus
def test_usgpo_formatting_links_and_pictures_are_all_read() -> None:
    path = need_corpus("docx", "tracked", "usgpo", "USLM-2_0-Review-Guide-v2_0_12-clean.docx")
    with zipfile.ZipFile(path) as z:
        body = etree.fromstring(z.read("word/document.xml"))
        rels = etree.fromstring(z.read("word/_rels/document.xml.rels"))
    address = {r.get("Id"): r.get("Target") for r in rels if r.get("TargetMode") == "External"}

    def on(run: etree._Element, tag: str) -> bool:
        found = run.find(f"{W}rPr/{W}{tag}")
        return found is not None and found.get(f"{W}val", "true") not in ("0", "false", "off")

    def chars(text: str) -> str:
        return "".join(text.split())

    runs = list(body.iter(f"{W}r"))
    xml_links = [h for h in body.iter(f"{W}hyperlink")]
    assert (sum(on(r, "b") for r in runs), sum(on(r, "i") for r in runs), len(xml_links),
            len(list(body.iter(f"{W}drawing")))) == (232, 98, 40, 7)
    word = read_file(path)
    blocks = word.accepted.blocks
    ours = Counter(m.kind for b in blocks for m in b.marks)
    for kind, tag in (("bold", "b"), ("italic", "i")):
        xml_text = chars("".join(t.text or "" for r in runs if on(r, tag)
                                 for t in r.iter(f"{W}t")))
        read = chars("".join(b.text[m.start:m.end] for b in blocks for m in b.marks
                             if m.kind == kind))
        title = chars(word.accepted.title) if kind == "bold" else ""  # the title is bold
        assert read == xml_text.replace(title, "", 1), kind
    links = [m.value for b in blocks for m in b.marks if m.kind == "link"]
    assert len(links) == 40 and ours["link"] == 40
    assert sorted(links) == sorted(address.get(h.get(f"{R}id"), "#" + (h.get(f"{W}anchor")
                                                                      or ""))
                                   for h in xml_links)
    pictures = [b.text[m.start:m.end] for b in blocks for m in b.marks
                if m.kind == "object" and m.value == "image"]
    assert [re.search(r"· (\w+)⟧", p).group(1) for p in pictures] == media_digests(path)


# -- hostile files: the budget on formatted runs ---------------------------------------------

def _bold_runs(n: int) -> bytes:
    """One paragraph of n bold runs, each its own formatted stretch."""
    document = docx.Document()
    p = document.add_paragraph()
    run = etree.fromstring(f'<w:r xmlns:w="{W[1:-1]}"><w:rPr><w:b/></w:rPr><w:t>x</w:t></w:r>')
    plain = etree.fromstring(f'<w:r xmlns:w="{W[1:-1]}"><w:t> </w:t></w:r>')
    for _ in range(n):
        p._p.append(etree.fromstring(etree.tostring(run)))
        p._p.append(etree.fromstring(etree.tostring(plain)))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_formatted_runs_just_under_the_limit_are_read(monkeypatch) -> None:
    monkeypatch.setitem(budget.LIMITS, "formatted runs", 1_000)
    word = read_bytes(_bold_runs(500), "under.docx")  # 500 in each reading: 1,000
    assert len(word.accepted.blocks[0].marks) == 500


def test_formatted_runs_just_over_the_limit_are_refused(monkeypatch) -> None:
    monkeypatch.setitem(budget.LIMITS, "formatted runs", 1_000)
    assert refused(_bold_runs(501)) == \
        "refused: more than 1000 formatted runs (the Word reader's limit)"
