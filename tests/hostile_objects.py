"""Builders of .docx files whose pictures attack the reader: a part near the package's
size limit that every one of thousands of drawings names, extents of 10^18 EMU, and
relationships that point outside the package or at a file on disk. The tests and
bench/hostile_bench.py make the same files from these."""

from __future__ import annotations

import random

from hostile_docx import W_NS, docx

WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
PIC = "http://schemas.openxmlformats.org/drawingml/2006/picture"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
IMAGE = f"{R}/image"


def drawing(rid: str, cx: int | str = 914400, cy: int | str = 914400) -> str:
    """One inline picture naming relationship `rid`, `cx` by `cy` EMU."""
    return (f'<w:r><w:drawing><wp:inline><wp:extent cx="{cx}" cy="{cy}"/><wp:docPr id="1" '
            f'name="Picture 1"/><a:graphic><a:graphicData uri="{PIC}"><pic:pic><pic:nvPicPr>'
            '<pic:cNvPr id="0" name="a.png"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill>'
            f'<a:blip r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
            "<pic:spPr/></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>")


CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    b'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    b'relationships+xml"/><Default Extension="png" ContentType="image/png"/>'
    b'<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    b'officedocument.wordprocessingml.document.main+xml"/></Types>')


def pictures_docx(runs: str, relationships: str, text: str = "Annex.", **parts: bytes) -> bytes:
    """A one-paragraph document of `text` then `runs`, with `relationships` (Relationship
    elements)."""
    body = (f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W_NS}" '
            f'xmlns:wp="{WP}" xmlns:a="{A}" xmlns:pic="{PIC}" xmlns:r="{R}"><w:body><w:p>'
            f"<w:r><w:t>{text}</w:t></w:r>{runs}</w:p></w:body></w:document>").encode()
    rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            f'openxmlformats.org/package/2006/relationships">{relationships}</Relationships>')
    return docx(body, **{"[Content_Types].xml": CONTENT_TYPES,
                         "word/_rels/document.xml.rels": rels.encode(), **parts})


def image_rel(rid: str, target: str, external: bool = False) -> str:
    mode = ' TargetMode="External"' if external else ""
    return f'<Relationship Id="{rid}" Type="{IMAGE}" Target="{target}"{mode}/>'


def compressible(size: int, ratio: int = 90, seed: int = 1) -> bytes:
    """`size` bytes that deflate about `ratio` to 1: random bytes, then zeros."""
    noise = random.Random(seed).randbytes(size // ratio)
    return noise + bytes(size - len(noise))


def one_big_picture_many_times(count: int, size: int) -> bytes:
    """`count` drawings of one picture part of `size` bytes that deflates ~90 to 1."""
    return pictures_docx(drawing("rId1") * count, image_rel("rId1", "media/image1.png"),
                         **{"word/media/image1.png": compressible(size)})



def one_big_picture_many_ids(count: int, size: int, text: str = "Annex.") -> bytes:
    """`count` drawings, each through its own relationship id, of one picture part."""
    rels = "".join(image_rel(f"rId{i}", "media/image1.png") for i in range(1, count + 1))
    runs = "".join(drawing(f"rId{i}") for i in range(1, count + 1))
    return pictures_docx(runs, rels, text, **{"word/media/image1.png": compressible(size)})
