r"""HYPERLINK fields read as Word reads them, so that the links policy (links.py) sees every
link a Word file holds: a network share as Word writes it (`"\\\\server\\share"`) or bare,
escaped quotes, \l anchors, \o tooltips, and an address made by a field nested in the code;
and each file we write for the other side applies the policy to them."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import docx
import pytest
from click.testing import CliRunner
from docx.oxml import parse_xml
from hostile_docx import document_xml
from hostile_docx import docx as bare_docx
from lxml import etree

from drafting.cli import main
from drafting.model import LINK
from drafting.readers.docx import read_bytes
from drafting.readers.docx.fieldcode import hyperlink

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
UNC = r"\\server\share\plan.docx"  # as Word shows it; its field code doubles each backslash
BRIEF = "file:///C:/Users/alice/brief.docx"

CODES = [
    (r' HYPERLINK "\\\\server\\share\\plan.docx" ', UNC),
    (r" HYPERLINK \\server\share\plan.docx ", UNC),
    (r'HYPERLINK "\\\\server\\share\\plan.docx" \o "our fallback"', UNC),
    (r'HYPERLINK \o "https://example.org/" "\\\\server\\share\\plan.docx"', UNC),
    (r'HYPERLINK \m "\\\\server\\share\\plan.docx"', UNC),
    (r'hyperlink "file:///C:/Users/alice/a b.docx" \t "_blank"', "file:///C:/Users/alice/a b.docx"),
    (r'HYPERLINK "https://example.org/a\"b" \o "say \"hi\""', 'https://example.org/a"b'),
    (r'HYPERLINK \l "article-3"', "#article-3"),
    (r'HYPERLINK "https://example.org/" \l "p2" \o "t"', "https://example.org/#p2"),
    (r'HYPERLINK "javascript:alert(1)"', "javascript:alert(1)"),
    (r"HYPERLINK https://example.org/x", "https://example.org/x"),
    (r'HYPERLINK "unterminated', "unterminated"),
    (r"HYPERLINK \o", ""),
    (r"REF _Ref1 \h", ""),
]


@pytest.mark.parametrize(("code", "target"), CODES)
def test_a_field_code_gives_the_target_word_follows(code: str, target: str) -> None:
    assert hyperlink(code) == target


def _complex(code: str, result: str) -> str:
    """A complex field (begin, code, separate, result, end) as runs."""
    return ('<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r><w:instrText xml:space="preserve">{escape(code)}</w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            f'<w:r><w:t>{escape(result)}</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>')


def _links(data: bytes) -> list[tuple[str, str]]:
    """(text, target) of each link the reader finds, in order."""
    blocks = read_bytes(data, "fields.docx").accepted.blocks
    return [(b.text[m.start:m.end], m.value) for b in blocks for m in b.marks if m.kind == LINK]


@pytest.mark.parametrize(("code", "target"), [c for c in CODES if c[1]])
def test_a_complex_and_a_simple_field_are_links_to_that_target(code: str, target: str) -> None:
    body = (f"<w:p><w:r><w:t xml:space=\"preserve\">See </w:t></w:r>{_complex(code, 'it')}</w:p>"
            f'<w:p><w:fldSimple w:instr="{escape(code, {chr(34): "&quot;"})}">'
            "<w:r><w:t>this</w:t></w:r></w:fldSimple></w:p>")
    assert _links(bare_docx(document_xml(body))) == [("it", target), ("this", target)]


def _nested_address(address: str) -> str:
    """HYPERLINK "{ QUOTE ... }": the address is the result of a field inside the code."""
    return ('<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            '<w:r><w:instrText xml:space="preserve"> HYPERLINK "</w:instrText></w:r>'
            + _complex(' QUOTE "x" ', address) +
            '<w:r><w:instrText xml:space="preserve">" </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>the plan</w:t></w:r>'
            '<w:r><w:fldChar w:fldCharType="end"/></w:r>')


def test_an_address_made_by_a_nested_field_is_read() -> None:
    body = f"<w:p>{_nested_address(BRIEF)}</w:p>"
    assert _links(bare_docx(document_xml(body))) == [("the plan", BRIEF)]


def test_thirty_thousand_open_fields_give_each_text_its_innermost_link() -> None:
    """Fields nest without bound (no element does): each text asks one field for its
    link. Every 1000th field is a HYPERLINK, the others QUOTE; text stands inside each
    field and after each one ends."""
    n = 30_000
    opened = "".join(
        '<w:r><w:fldChar w:fldCharType="begin"/><w:instrText>'
        + (f'HYPERLINK "https://example.org/{k}"' if k % 1000 == 0 else "QUOTE x")
        + f'</w:instrText><w:fldChar w:fldCharType="separate"/><w:t>{k} </w:t></w:r>'
        for k in range(n))
    closed = "".join(f'<w:r><w:fldChar w:fldCharType="end"/><w:t>/{k} </w:t></w:r>'
                     for k in reversed(range(n)))
    (block,) = read_bytes(bare_docx(document_xml(f"<w:p>{opened}{closed}</w:p>")),
                          "f.docx").accepted.blocks
    words = block.text.split()
    assert len(words) == 2 * n
    links = {m.value for m in block.marks if m.kind == LINK}
    assert links == {f"https://example.org/{k}" for k in range(0, n, 1000)}

    def link_at(word: str) -> str | None:
        at = re.search(rf"(?<!\S){re.escape(word)}(?!\S)", block.text).start()
        return next((m.value for m in block.marks if m.kind == LINK and m.start <= at < m.end),
                    None)

    assert link_at("1999") == "https://example.org/1000"  # inside 1000, not yet 2000
    assert link_at("/2000") == "https://example.org/1000"  # 2000 ended, 1000 still open
    assert link_at("/1000") == "https://example.org/0"
    assert link_at("/0") is None


def field_docx(codes: list[str], text: str = "Para") -> bytes:
    """A Word file of one paragraph per code: "Para i " then a field "link i" with it."""
    document = docx.Document()
    for i, code in enumerate(codes):
        paragraph = document.add_paragraph(f"{text} {i} ")
        for run in etree.fromstring(f'<w:p xmlns:w="{W_NS}">{_complex(code, f"link {i}")}</w:p>'):
            paragraph._p.append(parse_xml(etree.tostring(run)))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def draft(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def _everything(path: Path) -> bytes:
    with zipfile.ZipFile(path) as z:
        return b"".join(z.read(n) for n in z.namelist())


SHARE_CODES = [CODES[0][0], CODES[1][0], CODES[3][0], 'HYPERLINK "https://example.org/ok"']


def test_an_export_writes_field_links_to_shares_as_text_only(tmp_path: Path) -> None:
    source, out = tmp_path / "theirs.docx", tmp_path / "out.docx"
    source.write_bytes(field_docx(SHARE_CODES))
    result = draft("export", str(source), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert b"server" not in _everything(out)
    text = "".join(etree.fromstring(zipfile.ZipFile(out).read("word/document.xml")).itertext())
    assert "Para 0 link 0" in text and "Para 2 link 2" in text
    assert result.stderr.splitlines()[-1] == (
        rf"draft: warning: {out}: 1 link ({UNC}) written as text only: they name local files "
        "or run script; --internal keeps links to files")


def test_a_model_redline_and_an_html_diff_carry_no_share(tmp_path: Path) -> None:
    old, new = tmp_path / "old.md", tmp_path / "new.docx"
    old.write_text("Nothing.\n")
    new.write_bytes(field_docx(SHARE_CODES))
    redline, page = tmp_path / "redline.docx", tmp_path / "diff.html"
    result = draft("export", str(new), "--against", str(old), "-o", str(redline))
    assert result.exit_code == 0, result.stderr
    assert b"server" not in _everything(redline)
    assert f"1 link ({UNC}) written as text only" in result.stderr
    result = draft("diff", str(old), str(new), "-o", str(page))
    assert result.exit_code == 1, result.stderr
    html = page.read_text()
    assert "server" not in html and "<a>link 0</a>" in html and "<a>link 2</a>" in html
    assert '<a href="https://example.org/ok">link 3</a>' in html
    assert f"1 link ({UNC}) shown as text only" in result.stderr


def test_a_word_pair_redline_names_the_newer_files_field_links(tmp_path: Path) -> None:
    old, new, out = tmp_path / "old.docx", tmp_path / "new.docx", tmp_path / "redline.docx"
    old.write_bytes(field_docx(SHARE_CODES[:1], "Old"))
    new.write_bytes(field_docx(SHARE_CODES[:1], "New"))
    result = draft("export", str(new), "--against", str(old), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[-1] == (
        rf"draft: warning: {out}: 1 link ({UNC}) kept as new.docx has them "
        "(the redline is written into that file): they name local files or run script")


def test_inspect_finds_a_share_made_by_a_nested_field(tmp_path: Path) -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("See ")
    for run in etree.fromstring(f'<w:p xmlns:w="{W_NS}">{_nested_address(BRIEF)}</w:p>'):
        paragraph._p.append(parse_xml(etree.tostring(run)))
    path = tmp_path / "nested.docx"
    document.save(path)
    result = CliRunner().invoke(main, ["inspect", str(path)])
    assert result.exit_code == 1, result.output
    assert ("  review  local links: 1 hyperlink(s) to files on a computer or network, or to "
            f"script: {BRIEF}") in result.output.splitlines()
