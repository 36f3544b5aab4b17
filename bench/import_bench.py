"""Benchmark: read a 300-page Word agreement with tracked changes.

Run: python bench/import_bench.py [--words 100000] [--repeat 5] [--keep out.docx]
Generates an agreement of about 100,000 words (some 300 pages) with python-docx and lxml:
Article headings and numbered paragraphs and items from a real Word list definition,
tracked insertions, deletions and inserted paragraph marks by two authors, a table and
footnotes. Then times drafting.readers.docx.read_file on it (both readings, the change
list, labels, ids). Prints the median of the runs. Target: at most 2 s.
"""

from __future__ import annotations

import argparse
import io
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import docx
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml.ns import qn
from lxml import etree

sys.path.insert(0, str(Path(__file__).parent))
from diff_bench import WORDS

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
LIST = f"""<w:numbering xmlns:w="{W_NS}">
<w:abstractNum w:abstractNumId="90"><w:multiLevelType w:val="multilevel"/>
 <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="Article %1"/>
  <w:lvlJc w:val="center"/></w:lvl>
 <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2"/>
  <w:lvlJc w:val="left"/></w:lvl>
 <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="(%3)"/>
  <w:lvlJc w:val="left"/></w:lvl>
</w:abstractNum>
<w:num w:numId="90"><w:abstractNumId w:val="90"/></w:num>
</w:numbering>"""
AUTHORS = ("Delegation of Atlantis", "Delegation of Utopia")
DATE = "2026-03-01T09:00:00Z"


def w(tag: str) -> str:
    return qn(f"w:{tag}")


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(12, 28))]
    return " ".join(words).capitalize() + "."


def run(text: str, deleted: bool = False) -> etree._Element:
    """A run formatted the way Word writes them (fonts, size, language, revision-save id),
    so that the XML has the bulk of a real document's."""
    r = etree.Element(w("r"), {w("rsidR"): "00A51C2B", w("rsidRPr"): "004F7D31"})
    rpr = etree.SubElement(r, w("rPr"))
    etree.SubElement(rpr, w("rFonts"), {w("ascii"): "Times New Roman",
                                        w("hAnsi"): "Times New Roman", w("cs"): "Times New Roman"})
    etree.SubElement(rpr, w("sz"), {w("val"): "24"})
    etree.SubElement(rpr, w("szCs"), {w("val"): "24"})
    etree.SubElement(rpr, w("lang"), {w("val"): "en-GB"})
    t = etree.SubElement(r, w("delText" if deleted else "t"))
    t.text = text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return r


def revision(kind: str, n: int, child: etree._Element | None = None) -> etree._Element:
    mark = etree.Element(w(kind), {w("id"): str(n), w("author"): AUTHORS[n % 2],
                                   w("date"): DATE})
    if child is not None:
        mark.append(child)
    return mark


def paragraph(style: str | None, ilvl: int | None, text: str) -> etree._Element:
    p = etree.Element(w("p"))
    ppr = etree.SubElement(p, w("pPr"))
    if style:
        etree.SubElement(ppr, w("pStyle"), {w("val"): style})
    if ilvl is not None:
        numpr = etree.SubElement(ppr, w("numPr"))
        etree.SubElement(numpr, w("ilvl"), {w("val"): str(ilvl)})
        etree.SubElement(numpr, w("numId"), {w("val"): "90"})
    if text:
        p.append(run(text))
    return p


def generate(words: int, seed: int = 7) -> bytes:
    """An agreement of about `words` words: Articles of 2-5 numbered paragraphs, some with
    lettered items; about one paragraph in five has a word replaced (a deletion and an
    insertion), one item in ten is wholly inserted, one paragraph in twenty has a
    footnote, every 40th Article ends with a small table."""
    rng = random.Random(seed)
    document = docx.Document()
    numbering = document.part.numbering_part.element
    for child in list(numbering):
        numbering.remove(child)
    numbering.extend(etree.fromstring(LIST))
    sect = document.element.body.find(w("sectPr"))
    sect.addprevious(paragraph("Title", None, "Agreement between Atlantis and Utopia"))
    notes = [f'<w:footnotes xmlns:w="{W_NS}">']
    count = article = revisions = 0
    while count < words:
        article += 1
        sect.addprevious(paragraph("Heading2", 0, f"Provision {article}"))
        for k in range(rng.randint(2, 5)):
            head, _, tail = " ".join(sentence(rng) for _ in range(rng.randint(1, 4))) \
                .partition(" ")
            count += len(tail.split()) + 1
            p = paragraph(None, 1, head + " ")
            if rng.random() < 0.2:
                revisions += 2
                p.append(revision("del", revisions, run(rng.choice(WORDS) + " ", deleted=True)))
                p.append(revision("ins", revisions + 1, run(rng.choice(WORDS) + " ")))
            words_ = tail.split(" ")
            for at in range(0, len(words_), 6):  # Word splits text into many runs
                p.append(run(" ".join(words_[at : at + 6]) + " "))
            if rng.random() < 0.05:
                notes.append(f'<w:footnote w:id="{len(notes)}"><w:p><w:r><w:t>'
                             f"{sentence(rng)}</w:t></w:r></w:p></w:footnote>")
                reference = etree.SubElement(p, w("r"))
                etree.SubElement(reference, w("footnoteReference"), {w("id"): str(len(notes) - 1)})
            sect.addprevious(p)
            for _ in range(rng.randint(0, 3) if k == 1 else 0):
                text = sentence(rng)
                count += len(text.split())
                item = paragraph(None, 2, "")
                if rng.random() < 0.1:  # a wholly inserted item: its mark and its text
                    revisions += 2
                    etree.SubElement(item.find(w("pPr")), w("rPr")).append(
                        revision("ins", revisions))
                    item.append(revision("ins", revisions + 1, run(text)))
                else:
                    item.append(run(text))
                sect.addprevious(item)
        if article % 40 == 0:
            table = document.add_table(rows=3, cols=3)  # python-docx puts it before sectPr
            for cell in table._cells:
                cell.text = rng.choice(WORDS)
    notes.append("</w:footnotes>")
    part = Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, "".join(notes).encode(),
                document.part.package)
    document.part.relate_to(part, RT.FOOTNOTES)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--words", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--keep", type=Path, help="also save the generated .docx here")
    args = ap.parse_args()

    from drafting.readers.docx import read_file

    data = generate(args.words)
    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or Path(tmp) / "agreement.docx"
        path.write_bytes(data)
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            word = read_file(path)
            times.append(time.perf_counter() - start)
    doc = word.accepted
    median = statistics.median(times)
    print(f"read_file on {len(data) / 1e6:.1f} MB .docx: {doc.word_count():,} words, "
          f"{len(doc.blocks):,} blocks, {doc.article_count()} Articles, "
          f"{len(word.changes):,} tracked changes by {len(word.authors)} authors")
    print(f"  median of {args.repeat}: {median:.3f} s (min {min(times):.3f}, "
          f"max {max(times):.3f})")
    print(f"target <= 2 s: {'met' if median <= 2 else 'NOT met'} ({median:.3f} s)")


if __name__ == "__main__":
    main()
