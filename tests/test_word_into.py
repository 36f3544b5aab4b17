"""A redline of two Word files is written into the newer file (drafting/wordcompare).

On every pair of the Open-XML-PowerTools comparer's test set: LibreOffice opens our
redline, its accept-all gives the text (paragraphs, table cells, notes, headers and
footers) LibreOffice reads in the newer input and its reject-all the text of the older
one; the redline keeps the
newer file's tables, notes, images and hyperlinks (counted); and it is as valid as the
newer input (the schemas, and the checks of docxcheck.py).
"""

from __future__ import annotations

import csv
import io
import itertools
import zipfile
from pathlib import Path

import docxcheck
import pytest
from conftest import CORPUS, lo_probe, need_corpus
from lxml import etree

from drafting.wordcompare import redline_files
from drafting.wordcompare.pending import ACCEPT, resolve

WC = CORPUS / "docx" / "compare" / "oxpt-WC"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_STORIES = ("word/document.xml", "word/footnotes.xml", "word/endnotes.xml")


def wc_pairs() -> list[tuple[str, str, str]]:
    listing = WC / "expected_revision_counts.csv"
    if not listing.exists():
        return []
    with listing.open() as f:
        return [(row["test_id"], row["original"].split("/")[-1], row["revised"].split("/")[-1])
                for row in csv.DictReader(f)]


PAIRS = wc_pairs()
IDS = [p[0] for p in PAIRS]
# Where LibreOffice's reject-all does not give back the older text, and why
LIBREOFFICE_LIMITS = {
    "WC-1210": "a paragraph inserted right before a table: LibreOffice keeps an empty "
               "paragraph when it rejects a paragraph mark followed by a table (its own "
               "Compare Document's redline of this pair leaves three)",
}


def counts(data: bytes, mode: str = ACCEPT) -> dict[str, int]:
    """Tables, footnote and endnote references, images and hyperlinks of a file with its
    tracked changes accepted (or rejected)."""
    out = dict.fromkeys(("tables", "footnotes", "endnotes", "images", "hyperlinks"), 0)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in _STORIES:
            if name not in z.namelist():
                continue
            root = etree.fromstring(z.read(name))
            resolve(root, mode)
            out["tables"] += len(root.findall(f".//{{{W}}}tbl"))
            out["footnotes"] += len(root.findall(f".//{{{W}}}footnoteReference"))
            out["endnotes"] += len(root.findall(f".//{{{W}}}endnoteReference"))
            out["images"] += len(root.findall(f".//{{{W}}}drawing")) + len(
                root.findall(f".//{{{W}}}pict"))
            out["hyperlinks"] += sum(1 for link in root.iter(f"{{{W}}}hyperlink")
                                     if "".join(link.itertext()).strip())  # one that shows
    return out


@pytest.fixture(scope="module")
def wc(tmp_path_factory) -> dict:
    """Every pair's redline, and LibreOffice's reading of it and of the inputs."""
    need_corpus("docx", "compare", "oxpt-WC")
    if not PAIRS:
        pytest.skip("expected_revision_counts.csv not found in the WC corpus")
    out = tmp_path_factory.mktemp("wc")
    made = {}
    for test_id, old, new in PAIRS:
        result = redline_files((WC / old).read_bytes(), (WC / new).read_bytes(), old, new,
                               "Reviewer")
        path = out / f"{test_id}.docx"
        path.write_bytes(result.data)
        made[test_id] = (path, result)
    inputs = sorted({name for _, old, new in PAIRS for name in (old, new)})
    files = [str(made[t][0]) for t in IDS] + [str(WC / n) for n in inputs]
    read = {Path(r["file"]).name: r for r in lo_probe("inspect", *files)}
    return {"made": made, "read": read}


def _texts(paragraphs: list[dict]) -> list[str]:
    """The text of each paragraph and cell; LibreOffice puts a zero-width joiner in the
    empty cells of a row it tracks as inserted or deleted, which is not text."""
    return [p["text"].replace("\u200d", "") for p in paragraphs]


@pytest.mark.parametrize(("test_id", "old", "new"), PAIRS, ids=IDS)
def test_accept_all_gives_the_newer_file(wc, test_id, old, new):
    ours, theirs = wc["read"][f"{test_id}.docx"], wc["read"][new]
    assert _texts(ours["accepted"]) == _texts(theirs["accepted"])
    assert ours["accepted_notes"] == theirs["accepted_notes"]
    assert ours["accepted_margins"] == theirs["accepted_margins"]


@pytest.mark.parametrize(("test_id", "old", "new"), PAIRS, ids=IDS)
def test_reject_all_gives_the_older_file(wc, test_id, old, new):
    if test_id in LIBREOFFICE_LIMITS:
        pytest.xfail(LIBREOFFICE_LIMITS[test_id])
    ours, theirs = wc["read"][f"{test_id}.docx"], wc["read"][old]
    assert _texts(ours["rejected"]) == _texts(theirs["accepted"])
    assert ours["rejected_notes"] == theirs["accepted_notes"]
    assert ours["rejected_margins"] == theirs["accepted_margins"]


@pytest.mark.parametrize(("test_id", "old", "new"), PAIRS, ids=IDS)
def test_changed_pairs_have_tracked_changes_by_the_newer_side(wc, test_id, old, new):
    ours, theirs_old, theirs_new = (wc["read"][f"{test_id}.docx"], wc["read"][old],
                                    wc["read"][new])
    differ = (theirs_old["accepted"], theirs_old["accepted_notes"]) != (
        theirs_new["accepted"], theirs_new["accepted_notes"])
    if differ:  # (an image or equation changed is a change LibreOffice's text cannot see)
        assert ours["redlines"]
    assert {r["author"] for r in ours["redlines"]} <= {"Reviewer"}


@pytest.mark.parametrize(("test_id", "old", "new"), PAIRS, ids=IDS)
def test_the_redline_keeps_what_the_newer_file_holds(wc, test_id, old, new):
    """Counted after accept-all against the newer file, after reject-all against the older
    one (what the older file alone had is copied in, relationships and all)."""
    path, _ = wc["made"][test_id]
    assert counts(path.read_bytes()) == counts((WC / new).read_bytes())
    assert counts(path.read_bytes(), "reject") == counts((WC / old).read_bytes())


def test_the_pairs_hold_each_kind_counted(wc):
    """So that the count above is not vacuous: tables, footnotes, images and hyperlinks
    each occur in some pair's redline (accepted). The set has no endnotes: the test below
    makes some."""
    total = dict.fromkeys(("tables", "footnotes", "images", "hyperlinks"), 0)
    for path, _ in wc["made"].values():
        for kind, n in counts(path.read_bytes()).items():
            if kind in total:
                total[kind] += n
    assert all(total.values()), total


_DANGLING = ("points at missing", "has no relationship")  # docxcheck's words for them


@pytest.mark.parametrize(("test_id", "old", "new"), PAIRS, ids=IDS)
def test_the_redline_is_as_valid_as_the_newer_file(wc, test_id, old, new):
    """Both ways (the older file's parts are what a redline carries in): nothing the
    newer file is free of, and no relationship to a missing part nor id to a missing
    relationship at all, inherited or not (no WC input has one)."""
    path, _ = wc["made"][test_id]
    backward = redline_files((WC / new).read_bytes(), (WC / old).read_bytes(), new, old,
                             "Reviewer").data
    for data, newer in ((path.read_bytes(), new), (backward, old)):
        inherited = set(docxcheck.problems((WC / newer).read_bytes()))
        found = docxcheck.problems(data)
        assert [p for p in found if p not in inherited] == []
        assert [p for p in found if any(d in p for d in _DANGLING)] == []


def _word_file(path: Path, paragraphs: list[tuple[str, str]]) -> Path:
    import docx

    document = docx.Document()
    for style, text in paragraphs:
        document.add_paragraph(text, style=style)
    zoom = document.settings.element.find(f"{{{W}}}zoom")  # python-docx's template lacks
    zoom.set(f"{{{W}}}percent", "100")  # the value the schema requires
    document.save(str(path))
    return path


def test_diff_and_export_of_two_word_files_write_into_the_newer_one(tmp_path):
    from click.testing import CliRunner

    from drafting.cli import main

    old = _word_file(tmp_path / "ours.docx", [("Heading 1", "Article 1"),
                                              ("Normal", "The Parties shall cooperate.")])
    new = _word_file(tmp_path / "theirs.docx", [("Heading 1", "Article 1"),
                                                ("Normal", "The Parties may cooperate.")])
    runner = CliRunner()
    outputs = []
    for args in (["diff", str(old), str(new), "-o", str(tmp_path / "a.docx")],
                 ["diff", str(old), str(new), "-o", str(tmp_path / "b.docx")],
                 ["export", str(new), "--against", str(old), "-o", str(tmp_path / "c.docx")]):
        result = runner.invoke(main, args)
        assert result.exit_code == (1 if args[0] == "diff" else 0), result.output
        outputs.append((tmp_path / args[-1]).read_bytes())
    assert outputs[0] == outputs[1] == outputs[2]  # deterministic, the same either way
    with zipfile.ZipFile(io.BytesIO(outputs[0])) as ours, zipfile.ZipFile(new) as theirs:
        assert ours.namelist() == theirs.namelist()
        assert ours.read("word/styles.xml") == theirs.read("word/styles.xml")
        body = etree.fromstring(ours.read("word/document.xml"))
    deleted = [t.text for t in body.iter(f"{{{W}}}delText")]
    inserted = [t.text for e in body.iter(f"{{{W}}}ins") for t in e.iter(f"{{{W}}}t")]
    assert (deleted, inserted) == (["shall"], ["may"])
    assert {e.get(f"{{{W}}}author") for e in body.iter(f"{{{W}}}ins", f"{{{W}}}del")} == {
        "theirs.docx"}
    refused = runner.invoke(main, ["diff", str(old), str(new), "-o", str(tmp_path / "d.docx"),
                                   "--reference-doc", str(old)])
    assert refused.exit_code == 2 and "keeps the newer file's own styles" in refused.output
    assert not (tmp_path / "d.docx").exists()


ARTICLE_1 = ["The Parties shall cooperate in good faith on every matter this Agreement covers.",
             "Each Party shall designate a contact point within thirty days of signature.",
             "The contact points shall meet at least once a year, alternately in each Party."]
ARTICLE_2 = ["This Agreement shall enter into force on the date of its signature.",
             "Either Party may denounce it by notice in writing to the other Party."]
ARTICLE_3 = ["Amendments to this Agreement shall be agreed in writing by both Parties."]
INSERTED = "The Parties shall review this Agreement every five years after its entry into force."


def _treaty(path: Path, articles: list[list[str]], preamble: str | None = None) -> Path:
    paragraphs = [("Normal", preamble)] if preamble else []
    for n, article in enumerate(articles, 1):
        paragraphs.append(("Heading 1", f"Article {n}"))
        paragraphs.extend(("List Number", text) for text in article)
    return _word_file(path, paragraphs)


def test_reject_all_of_a_treaty_keeps_its_paragraphs_headings_and_labels(tmp_path):
    """A paragraph moved to another Article, one inserted before a heading and one before
    the first heading: LibreOffice's reject-all gives back every paragraph of the older
    file with its style and list label (none joined, split, or turned from a heading into
    a paragraph), accept-all the newer; and so both ways, the insertions made deletions."""
    old = _treaty(tmp_path / "old.docx", [ARTICLE_1, ARTICLE_2, ARTICLE_3])
    new = _treaty(tmp_path / "new.docx", [[ARTICLE_1[0], ARTICLE_1[2]],
                                          [*ARTICLE_2, ARTICLE_1[1], INSERTED], ARTICLE_3],
                  preamble="The Parties to this Agreement have agreed as follows.")
    forward, backward = tmp_path / "forward.docx", tmp_path / "backward.docx"
    forward.write_bytes(redline_files(old.read_bytes(), new.read_bytes(), "old.docx",
                                      "new.docx", "Them").data)
    backward.write_bytes(redline_files(new.read_bytes(), old.read_bytes(), "new.docx",
                                       "old.docx", "Us").data)
    ours, theirs, read_old, read_new = lo_probe("inspect", str(forward), str(backward),
                                                str(old), str(new))

    def shown(paragraphs: list[dict]) -> list[tuple[str, str, str]]:
        return [(p["style"], p["label"], p["text"]) for p in paragraphs]

    assert shown(ours["rejected"]) == shown(theirs["accepted"]) == shown(
        read_old["paragraphs"])
    assert shown(ours["accepted"]) == shown(theirs["rejected"]) == shown(
        read_new["paragraphs"])
    assert ("Heading 1", "", "Article 3") in shown(ours["rejected"])


def _styled(path: Path, bold: bool, style: str) -> Path:
    import docx

    document = docx.Document()
    p = document.add_paragraph("The ", style=style)
    p.add_run("Parties").bold = bold
    p.add_run(" shall cooperate.")
    document.add_paragraph("This paragraph is the same in both.")
    document.settings.element.find(f"{{{W}}}zoom").set(f"{{{W}}}percent", "100")
    document.save(str(path))
    return path


def test_formatting_changed_on_kept_text_is_a_tracked_format_change(tmp_path):
    """A word made bold (w:rPrChange) and a paragraph given another style (w:pPrChange):
    LibreOffice sees both as format changes, and its reject-all gives back the style."""
    old = _styled(tmp_path / "old.docx", False, "Normal")
    new = _styled(tmp_path / "new.docx", True, "Quote")
    out = tmp_path / "redline.docx"
    out.write_bytes(redline_files(old.read_bytes(), new.read_bytes(), "old.docx", "new.docx",
                                  "Them").data)
    with zipfile.ZipFile(out) as z:
        body = etree.fromstring(z.read("word/document.xml"))
    changed = [r for r in body.iter(f"{{{W}}}r")
               if r.find(f"{{{W}}}rPr/{{{W}}}rPrChange") is not None]
    assert ["".join(r.itertext()) for r in changed] == ["Parties"]
    assert changed[0].find(f"{{{W}}}rPr/{{{W}}}rPrChange/{{{W}}}rPr/{{{W}}}b").get(
        f"{{{W}}}val") == "0"
    assert len(body.findall(f".//{{{W}}}pPrChange")) == 1
    assert not body.findall(f".//{{{W}}}ins") and not body.findall(f".//{{{W}}}del")
    (ours, theirs_old) = lo_probe("inspect", str(out), str(old))
    assert {r["type"] for r in ours["redlines"]} == {"Format", "ParagraphFormat"}
    assert [p["style"] for p in ours["rejected"]] == [p["style"] for p in theirs_old[
        "paragraphs"]]


def test_bad_or_hostile_word_files_are_refused_with_one_line(tmp_path):
    import hostile_docx
    from click.testing import CliRunner

    from drafting.cli import main
    from drafting.errors import DraftingError

    good = hostile_docx.docx()
    for bad, says in ((b"\x89PNG\r\n\x1a\n" + b"0" * 100, "it is a PNG image"),
                      (hostile_docx.docx(b"<w:document"), "malformed XML in word/document.xml"),
                      (hostile_docx.package([("[Content_Types].xml",
                                              hostile_docx.CONTENT_TYPES)]),
                       "not a Word document")):
        for old, new in ((good, bad), (bad, good)):
            with pytest.raises(DraftingError, match=says):
                redline_files(old, new, "old.docx", "new.docx", "R")
        (tmp_path / "bad.docx").write_bytes(bad)
        (tmp_path / "good.docx").write_bytes(good)
        result = CliRunner().invoke(main, ["diff", str(tmp_path / "good.docx"),
                                           str(tmp_path / "bad.docx"), "-o",
                                           str(tmp_path / "out.docx")])
        assert result.exit_code == 2 and says in result.output
        assert not (tmp_path / "out.docx").exists()


def _with_tracked_insertion(data: bytes) -> bytes:
    """The file with its first run made a tracked insertion by someone else."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "word/document.xml":
                root = etree.fromstring(body)
                run = root.find(f".//{{{W}}}r")
                ins = etree.Element(f"{{{W}}}ins", {f"{{{W}}}id": "90", f"{{{W}}}author": "A",
                                                    f"{{{W}}}date": "2026-01-01T00:00:00Z"})
                run.addprevious(ins)
                ins.append(run)
                body = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                      standalone=True)
            dst.writestr(info, body)
    return out.getvalue()


def test_pending_changes_are_resolved_as_asked_or_refused(tmp_path):
    from drafting.errors import DraftingError

    plain = _word_file(tmp_path / "plain.docx", [("Normal", "The Parties agree."),
                                                 ("Normal", "They sign.")]).read_bytes()
    tracked = _with_tracked_insertion(plain)
    accepted = redline_files(plain, tracked, "old.docx", "new.docx", "R")
    rejected = redline_files(plain, tracked, "old.docx", "new.docx", "R", pending="reject")
    assert accepted.resolved == ("new.docx: has tracked changes of its own (1 insertion); "
                                 "accepted before comparing",)
    assert rejected.resolved == ("new.docx: has tracked changes of its own (1 insertion); "
                                 "rejected before comparing",)
    assert accepted.warnings == rejected.warnings == ()
    assert accepted.data != rejected.data
    with pytest.raises(DraftingError, match="tracked changes of its own"):
        redline_files(plain, tracked, "old.docx", "new.docx", "R", pending="refuse")
    untracked = redline_files(plain, plain, "old.docx", "new.docx", "R")
    assert untracked.warnings == untracked.resolved == ()


def _story_text(data: bytes, mode: str) -> list[str]:
    """The text (w:t) of each paragraph of the body that has some, tracked changes
    resolved, then that of each note referenced, in the order of the references."""
    def paragraphs(element: etree._Element) -> list[str]:
        texts = ("".join(t.text or "" for t in p.iter(f"{{{W}}}t"))
                 for p in element.iter(f"{{{W}}}p"))
        return [t for t in texts if t]

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        roots = {}
        for name in _STORIES:
            if name in z.namelist():
                roots[name] = etree.fromstring(z.read(name))
                resolve(roots[name], mode)
    body = roots["word/document.xml"]
    out = paragraphs(body)
    for kind in ("footnote", "endnote"):
        notes = roots.get(f"word/{kind}s.xml")
        found = {} if notes is None else {n.get(f"{{{W}}}id"): n
                                          for n in notes.iter(f"{{{W}}}{kind}")}
        for ref in body.iter(f"{{{W}}}{kind}Reference"):
            out += paragraphs(found[ref.get(f"{{{W}}}id")])
    return out


def _neighbours() -> list[tuple[Path, Path]]:
    folders: dict[Path, list[Path]] = {}
    for path in sorted((CORPUS / "docx").rglob("*.docx")):
        folders.setdefault(path.parent, []).append(path)
    return [pair for files in folders.values() for pair in itertools.pairwise(files)]


def test_every_neighbouring_pair_of_the_corpus_redlines_validly_both_ways():
    """Each two files side by side in a folder of the Word corpus (compare sets,
    tracked-change sets, numbering samples) whose newer file is valid: the redline is
    valid too (the suite's check of every file written), and resolving its tracked changes
    gives the newer file's text (accept) and the older file's (reject), paragraph by
    paragraph, notes included (the empty paragraphs are LibreOffice's tests' above)."""
    pairs = _neighbours() if (CORPUS / "docx").is_dir() else []
    if not pairs:
        pytest.skip(f"Word corpus not found at {CORPUS / 'docx'}")
    valid = [(old, new) for old, new in pairs if not docxcheck.problems(new.read_bytes())]
    assert len(valid) > 200
    failures = []
    for old, new in valid:
        data = redline_files(old.read_bytes(), new.read_bytes(), old.name, new.name, "R").data
        if _story_text(data, ACCEPT) != _story_text(new.read_bytes(), ACCEPT):
            failures.append(f"{old.name} -> {new.name}: accept-all is not the newer text")
        if _story_text(data, "reject") != _story_text(old.read_bytes(), ACCEPT):
            failures.append(f"{old.name} -> {new.name}: reject-all is not the older text")
    assert failures == []


_WORDS = ("the", "Parties", "shall", "may", "cooperate", "within", "thirty", "days", "1.2")


def _paragraph_lists():
    from hypothesis import strategies as st

    run = st.tuples(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=4), st.booleans())
    paragraph = st.tuples(st.sampled_from(("Normal", "Heading 1", "List Number")),
                          st.lists(run, min_size=1, max_size=3))
    return st.lists(paragraph, min_size=1, max_size=6)


def _runs_file(path: Path, paragraphs) -> Path:  # type: ignore[no-untyped-def]
    import docx

    document = docx.Document()
    for style, runs in paragraphs:
        p = document.add_paragraph(style=style)
        for words, bold in runs:
            p.add_run(" ".join(words) + " ").bold = bold
    document.save(str(path))
    return path


def test_any_edit_of_paragraphs_and_runs_accepts_and_rejects_to_the_two_files(tmp_path):
    """Property: for any two short documents (headings, numbered and plain paragraphs,
    runs bold or not), resolving the redline's tracked changes gives each paragraph of the
    newer file (accept) and of the older one (reject), in order."""
    from hypothesis import HealthCheck, given, settings

    @settings(max_examples=40, deadline=None, suppress_health_check=[
        HealthCheck.function_scoped_fixture])
    @given(_paragraph_lists(), _paragraph_lists())
    def check(old_paragraphs, new_paragraphs):  # type: ignore[no-untyped-def]
        old = _runs_file(tmp_path / "old.docx", old_paragraphs).read_bytes()
        new = _runs_file(tmp_path / "new.docx", new_paragraphs).read_bytes()
        data = redline_files(old, new, "old.docx", "new.docx", "R").data
        assert _story_text(data, ACCEPT) == _story_text(new, ACCEPT)
        assert _story_text(data, "reject") == _story_text(old, ACCEPT)

    check()


def test_a_picture_or_equation_both_files_have_is_no_change_whatever_they_declare(tmp_path):
    """Files of two Word versions declare different namespaces on their roots (Word 2016
    adds w16se, cx...): an unchanged picture or equation is still unchanged (it was
    deleted and inserted). WC021's two files differ by four deleted paragraphs only."""
    import base64

    import docx
    from conftest import rewrite_zip

    (tmp_path / "dot.png").write_bytes(base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAAB"
        "JRU5ErkJggg=="))
    document = docx.Document()
    document.add_paragraph("See the map: ").add_run().add_picture(str(tmp_path / "dot.png"))
    document.settings.element.find(f"{{{W}}}zoom").set(f"{{{W}}}percent", "100")
    buffer = io.BytesIO()
    document.save(buffer)
    new = buffer.getvalue()
    declared = rewrite_zip(new, {"word/document.xml": zipfile.ZipFile(io.BytesIO(new)).read(
        "word/document.xml").replace(b"<w:document ", b'<w:document xmlns:w16se="urn:x" ', 1)})
    result = redline_files(declared, new, "old.docx", "new.docx", "R")
    assert result.changes == 0 and result.warnings == ()
    need_corpus("docx", "compare", "oxpt-WC")
    old, new_file = WC / "WC021-Math-Before-1.docx", WC / "WC021-Math-Before-2.docx"
    result = redline_files(old.read_bytes(), new_file.read_bytes(), old.name, new_file.name,
                           "R")
    body = etree.fromstring(zipfile.ZipFile(io.BytesIO(result.data)).read("word/document.xml"))
    assert body.find(f".//{{{W}}}ins") is None
    deleted = ["".join(d.itertext()) for d in body.iter(f"{{{W}}}del")
               if d.getparent().tag == f"{{{W}}}p"]
    assert [text.split()[0] for text in deleted] == ["Video", "You", "This", "A=πr2"]
