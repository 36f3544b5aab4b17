"""Builders of .docx files, sound or hostile, made in memory: the hostile-file tests and
bench/hostile_bench.py make the same files from these.

The costly cases stay inside every package limit (part size, compression ratio, entry
count): what explodes is the work of reading them, which only the reader's budgets bound.
"""

from __future__ import annotations

import io
import random
import string
import warnings
import zipfile

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    b'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    b'officedocument.wordprocessingml.document.main+xml"/></Types>')
PACKAGE_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
    b'.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    b'openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    b'Target="word/document.xml"/></Relationships>')
DOCUMENT_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
    b'.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    b'openxmlformats.org/officeDocument/2006/relationships/numbering" '
    b'Target="numbering.xml"/></Relationships>')


def document_xml(body: str = "<w:p><w:r><w:t>Hello.</w:t></w:r></w:p>") -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W_NS}">'
            f"<w:body>{body}</w:body></w:document>").encode()


def package(parts: dict[str, bytes] | list[tuple[str, bytes]],
            method: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(out, "w", method) as z:
        warnings.simplefilter("ignore")  # duplicate names are one of the hostile cases
        for name, data in parts.items() if isinstance(parts, dict) else parts:
            z.writestr(name, data)
    return out.getvalue()


def docx(document: bytes | None = None, **extra: bytes) -> bytes:
    parts = {"[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": PACKAGE_RELS,
             "word/document.xml": document if document is not None else document_xml()}
    parts.update(extra)
    return package(parts)


def numbering_xml(level_text: str, fmt: str = "decimal", start: int = 1) -> bytes:
    """A one-level list, numId 1."""
    return (f'<w:numbering xmlns:w="{W_NS}"><w:abstractNum w:abstractNumId="1"><w:lvl '
            f'w:ilvl="0"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{level_text}"/></w:lvl></w:abstractNum>'
            '<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num></w:numbering>').encode()


def styles_xml(styles: str) -> bytes:
    return f'<w:styles xmlns:w="{W_NS}">{styles}</w:styles>'.encode()


def numbered_docx(level_text: str, paragraphs: int, fmt: str = "decimal", start: int = 1,
                  seed: int = 1) -> bytes:
    """`paragraphs` paragraphs in a one-level list whose w:lvlText is `level_text`, each
    with a word of random letters (so that many of them still deflate like real text)."""
    rng = random.Random(seed)
    item = ('<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr>'
            "<w:r><w:t>{}</w:t></w:r></w:p>")
    words = ("".join(rng.choices(string.ascii_lowercase, k=8)) for _ in range(paragraphs))
    return docx(document_xml("".join(item.format(word) for word in words)),
                **{"word/_rels/document.xml.rels": DOCUMENT_RELS,
                   "word/numbering.xml": numbering_xml(level_text, fmt, start)})


def empty_paragraphs(count: int, seed: int = 1) -> bytes:
    """`count` empty paragraphs carrying the revision-save ids Word writes (random, so that
    the part deflates no better than real XML and passes the compression-ratio check)."""
    rng = random.Random(seed)
    body = "".join(f'<w:p w:rsidR="{rng.getrandbits(32):08X}" '
                   f'w:rsidRDefault="{rng.getrandbits(32):08X}"/>' for _ in range(count))
    return docx(document_xml(body))


def nested_insertions(levels: int, body: str) -> bytes:
    """`levels` tracked insertions nested around the runs `body`, in one paragraph."""
    return docx(document_xml("<w:p>" + '<w:ins w:id="1" w:author="X">' * levels + body
                             + "</w:ins>" * levels + "</w:p>"))


def tracked_changes(count: int) -> bytes:
    """One paragraph with `count` tracked insertions of one word each."""
    body = "".join(f'<w:ins w:id="{k}" w:author="A" w:date="2026-01-01T00:00:00Z"><w:r>'
                   f"<w:t>w{k} </w:t></w:r></w:ins>" for k in range(count))
    return docx(document_xml(f"<w:p>{body}</w:p>"))


def empty_runs(count: int, seed: int = 1) -> bytes:
    """One paragraph of `count` empty runs, each with a revision-save id: two XML nodes
    (a tag and an attribute) apiece, and no text."""
    rng = random.Random(seed)
    runs = "".join(f'<w:r w:rsidR="{rng.getrandbits(32):08X}"/>' for _ in range(count))
    return docx(document_xml(f"<w:p>{runs}</w:p>"))


def paragraph_bomb(paragraphs: int = 400_000, part_bytes: int = 99_000_000) -> bytes:
    """The file of the report: a docx of about a megabyte whose word/document.xml inflates
    to just under the part size limit (100 MB) with hundreds of thousands of empty
    paragraphs, padded with white space and given a little entropy (a random save id)
    so that it stays inside the compression-ratio limit."""
    rng = random.Random(1)
    pad = " " * (part_bytes // paragraphs - 26)
    body = "".join(f'<w:p w:rsidR="00000{rng.getrandbits(12):03X}"/>{pad}'
                   for _ in range(paragraphs))
    return docx(document_xml(body))


def exact_xml_bytes(total: int) -> bytes:
    """A docx whose parsed parts (_rels/.rels and word/document.xml) hold exactly `total`
    bytes: 10,000 empty paragraphs with random save ids, padded with white space."""
    rng = random.Random(1)
    paragraphs = [f'<w:p w:rsidR="{rng.getrandbits(160):040X}" '
                  f'w:rsidP="{rng.getrandbits(160):040X}"/>' for _ in range(10_000)]
    pad, extra = divmod(total - len(document_xml("".join(paragraphs))) - len(PACKAGE_RELS),
                        len(paragraphs))  # libxml2 refuses text nodes over 10 MB
    body = " " * extra + (" " * pad).join(paragraphs) + " " * pad
    return docx(document_xml(body))


def long_text(paragraphs: int, characters: int, seed: int = 1) -> bytes:
    """`paragraphs` paragraphs of `characters` random letters and spaces each."""
    rng = random.Random(seed)
    letters = string.ascii_lowercase + "     "
    body = "".join(f"<w:p><w:r><w:t>{''.join(rng.choices(letters, k=characters))}</w:t>"
                   "</w:r></w:p>" for _ in range(paragraphs))
    return docx(document_xml(body))


def table(rows: int, cells: int = 1, span: int = 1, merge: str = "") -> str:
    """A w:tbl of `rows` rows of `cells` cells, each spanning `span` grid columns and
    carrying w:vMerge `merge` ("restart" on the first row, plain w:vMerge below) when
    given; each cell holds one paragraph naming its row."""
    props = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
    out = []
    for r in range(rows):
        vmerge = ('<w:vMerge w:val="restart"/>' if r == 0 else "<w:vMerge/>") if merge else ""
        tc = (f"<w:tc><w:tcPr>{props}{vmerge}</w:tcPr><w:p><w:r><w:t>r{r}</w:t></w:r></w:p>"
              "</w:tc>")
        out.append("<w:tr>" + tc * cells + "</w:tr>")
    return "<w:tbl>" + "".join(out) + "</w:tbl>"


def nested_tables(depth: int, inner: str = "<w:p><w:r><w:t>deep</w:t></w:r></w:p>") -> str:
    """`inner` in a cell of a table in a cell of a table ... `depth` tables deep."""
    return "<w:tbl><w:tr><w:tc>" * depth + inner + "</w:tc></w:tr></w:tbl>" * depth
