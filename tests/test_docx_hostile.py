"""Hostile .docx files are refused with one clear line, before anything big is inflated or
any entity expanded. Every file here is built in the test; none is read from disk except
through read_bytes, and nothing is ever written by the reader."""

from __future__ import annotations

import random
import re
import string
import struct
import zipfile
from pathlib import Path

import pytest
from hostile_docx import (
    CONTENT_TYPES,
    DOCUMENT_RELS,
    PACKAGE_RELS,
    W_NS,
    document_xml,
    docx,
    package,
)

from drafting.errors import DraftingError
from drafting.readers.docx import read_bytes


def declare_sizes(data: bytes, sizes: dict[str, tuple[int, int]]) -> bytes:
    """Rewrite the central directory so that entries declare other (compressed,
    uncompressed) sizes than they have: a header that lies."""
    buf = bytearray(data)
    at = buf.find(b"PK\x01\x02")
    while at >= 0:
        name_len = struct.unpack_from("<H", buf, at + 28)[0]
        name = bytes(buf[at + 46 : at + 46 + name_len]).decode()
        if name in sizes:
            struct.pack_into("<II", buf, at + 20, *sizes[name])
        at = buf.find(b"PK\x01\x02", at + 46)
    return bytes(buf)


def refused(data: bytes) -> str:
    with pytest.raises(DraftingError) as caught:
        read_bytes(data, "hostile.docx")
    text = str(caught.value)
    assert "\n" not in text and text.startswith("hostile.docx: ")
    return caught.value.message


def test_the_minimal_package_itself_is_readable() -> None:
    assert [b.text for b in read_bytes(docx(), "ok.docx").accepted.blocks] == ["Hello."]


def test_not_a_zip() -> None:
    assert refused(b"Dear colleagues, please find our draft attached.") == \
        "not a Word .docx file: not a zip archive"


def test_png_renamed_docx() -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(50)
    assert refused(png) == "not a Word .docx file: it is a PNG image"


def test_old_binary_doc_or_encrypted_docx() -> None:
    assert refused(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500)).startswith(
        "not a Word .docx file: it is an old binary .doc or a password-protected document")


@pytest.mark.parametrize("keep", [0.5, -10])
def test_truncated_zip(keep: float) -> None:
    data = docx()
    cut = data[: int(len(data) * keep)] if keep > 0 else data[: int(keep)]
    assert refused(cut) == "damaged or truncated .docx (the zip archive has no end record)"


def test_zip_bomb_declaring_a_huge_part() -> None:
    """A header claiming 1 GB: refused from the directory alone, nothing inflated."""
    data = declare_sizes(docx(), {"word/document.xml": (1_000_000, 1 << 30)})
    assert refused(data) == ("refused: word/document.xml would unpack to 1073741824 bytes "
                             "(limit 100000000; possible zip bomb)")


def test_zip_bomb_of_zeros() -> None:
    """A real bomb within the size limit: 50 MB of zeros deflate to about 50 kB."""
    data = docx(**{"word/media/zeros.bin": bytes(50_000_000)})
    assert len(data) < 100_000
    message = refused(data)
    assert message.startswith("refused: word/media/zeros.bin is compressed ")
    assert message.endswith(" to 1 (limit 100; possible zip bomb)")


def test_parts_too_large_in_total() -> None:
    names = [f"word/media/image{k}.png" for k in range(4)]
    data = docx(**{name: b"x" for name in names})
    data = declare_sizes(data, {name: (1_000_000, 90_000_000) for name in names})
    assert re.fullmatch(r"refused: the parts would unpack to 360\d{6} bytes in total "
                        r"\(limit 300000000; possible zip bomb\)", refused(data))


def test_header_understating_a_part_cannot_inflate_it() -> None:
    """The directory says 1000 bytes, the data inflates to 50 MB: reading stops at the
    declared size and the checksum gives the lie away."""
    body = "<w:p><w:r><w:t>" + "A" * 50_000_000 + "</w:t></w:r></w:p>"
    data = docx(document_xml(body))
    data = declare_sizes(data, {"word/document.xml": (len(data) // 2, 1000)})
    message = refused(data)
    assert message.startswith("damaged .docx: cannot read word/document.xml (Bad CRC-32")


def test_too_many_entries() -> None:
    extra = {f"word/media/n{k}.xml": b"" for k in range(20_000)}
    assert refused(docx(**extra)) == "refused: the zip archive has 20003 entries (limit 10000)"


def test_unsupported_compression_is_never_inflated() -> None:
    """bzip2 and lzma inflate a whole chunk in one call, so their size is not bounded."""
    parts = {"[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": PACKAGE_RELS,
             "word/document.xml": document_xml()}
    message = refused(package(parts, zipfile.ZIP_BZIP2))
    assert message == "refused: [Content_Types].xml uses an unsupported compression method (12)"


def test_duplicate_entry_names() -> None:
    data = package([("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", PACKAGE_RELS),
                    ("word/document.xml", document_xml()),
                    ("word/document.xml", document_xml("<w:p/>"))])  # type: ignore[arg-type]
    assert refused(data) == "refused: the zip archive holds word/document.xml twice"


BILLION_LAUGHS = f"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>
"""

EXTERNAL_ENTITY = f"""<?xml version="1.0"?>
<!DOCTYPE w:document [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>&secret;</w:t></w:r></w:p></w:body></w:document>
"""

DTD_REFUSED = ("refused: word/document.xml declares a DOCTYPE or entities, which Word files "
               "never contain (possible entity bomb)")


def test_billion_laughs() -> None:
    assert refused(docx(BILLION_LAUGHS.encode())) == DTD_REFUSED


def test_external_entity() -> None:
    assert refused(docx(EXTERNAL_ENTITY.encode())) == DTD_REFUSED


def test_entities_in_utf16_are_seen_too() -> None:
    xml = EXTERNAL_ENTITY.replace('encoding="UTF-8"', "").replace(
        '<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-16"?>')
    assert refused(docx(xml.encode("utf-16"))) == DTD_REFUSED


def test_entity_in_another_part_is_refused() -> None:
    rels = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "http://example.com/">]>'
            + PACKAGE_RELS.split(b"?>", 1)[1])
    assert refused(docx(**{"_rels/.rels": rels})) == DTD_REFUSED.replace(
        "word/document.xml", "_rels/.rels")


def test_missing_document_part() -> None:
    data = package({"[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": PACKAGE_RELS})
    assert refused(data) == "not a Word document (no word/document.xml)"


def test_a_spreadsheet_is_not_a_word_document() -> None:
    rels = PACKAGE_RELS.replace(b"word/document.xml", b"xl/workbook.xml")
    workbook = (b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                b"<sheets/></workbook>")
    data = package({"[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": rels,
                    "xl/workbook.xml": workbook})
    assert refused(data) == "not a Word document (xl/workbook.xml has no w:document body)"


def test_malformed_xml() -> None:
    message = refused(docx(document_xml("<w:p><w:r><w:t>unclosed</w:r></w:p>")))
    assert message.startswith("malformed XML in word/document.xml: ")


def test_absurdly_deep_xml() -> None:
    deep = "<w:sdt><w:sdtContent>" * 300 + "</w:sdtContent></w:sdt>" * 300
    message = refused(docx(document_xml(deep)))
    assert message.startswith("malformed XML in word/document.xml: Excessive depth")


def test_paths_outside_the_package_are_never_extracted(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Entries named "../x" or "/x" are ignored: the reader never writes to disk."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    data = docx(**{"../evil.txt": b"owned", "/tmp/evil.txt": b"owned",
                   "word/../../evil.txt": b"owned"})
    assert [b.text for b in read_bytes(data, "odd.docx").accepted.blocks] == ["Hello."]
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["work"]


def test_a_huge_list_start_gives_a_short_label() -> None:
    """Letters repeat ("aa", "bbb"): start at two billion must not build a 77 MB label."""
    numbering = (f'<w:numbering xmlns:w="{W_NS}"><w:abstractNum w:abstractNumId="1"><w:lvl '
                 'w:ilvl="0"><w:start w:val="2000000000"/><w:numFmt w:val="lowerLetter"/>'
                 '<w:lvlText w:val="(%1)"/></w:lvl></w:abstractNum>'
                 '<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num></w:numbering>')
    body = ('<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr>'
            "<w:r><w:t>Item.</w:t></w:r></w:p>")
    data = docx(document_xml(body), **{"word/_rels/document.xml.rels": DOCUMENT_RELS,
                                       "word/numbering.xml": numbering.encode()})
    assert [b.label for b in read_bytes(data, "n.docx").accepted.blocks] == ["(2000000000)"]


def test_nested_revisions_do_not_multiply_their_text() -> None:
    """200 insertions nested around 1 MB of text: each change keeps at most 100,000
    characters of it, not a full copy per level."""
    text = "".join(random.Random(1).choices(string.ascii_letters + " ", k=1_000_000))
    body = ('<w:ins w:id="1" w:author="X">' * 200 + f"<w:r><w:t>{text}</w:t></w:r>"
            + "</w:ins>" * 200)
    word = read_bytes(docx(document_xml(f"<w:p>{body}</w:p>")), "nested.docx")
    assert len(word.changes) == 200
    assert {len(c.text) for c in word.changes} == {100_001}
    assert word.accepted.blocks[0].text == " ".join(text.split())
