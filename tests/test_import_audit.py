"""The other side's Word file: import it as their revision, diff it, audit it for edits
that were not tracked. Files are made with our exporter, then edited the way a Word user
would: with tracked changes (w:ins / w:del), or silently."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import copy_workspace
from lxml import etree

from drafting.cli import main
from drafting.inputs import open_source

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def draft(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def sent(tmp_path) -> tuple[Path, Path]:
    """A workspace with the example's history, and the US round-2 text exported as sent."""
    root = copy_workspace(tmp_path / "ws", with_revisions=True)
    out = tmp_path / "sent.docx"
    assert draft("-C", str(root), "export", "phased-agreement@us", "-o", str(out)
                 ).exit_code == 0
    return root, out


def rewrite(path: Path, target: Path, change) -> Path:  # type: ignore[no-untyped-def]
    """Copy a .docx, passing word/document.xml through change(xml text) -> xml text."""
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(target, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                data = change(data.decode()).encode()
            dst.writestr(item, data)
    return target


def tracked_edit(xml: str, old: str, new: str, author: str = "DPRK delegation") -> str:
    """What Word writes when a reviewer with Track Changes on replaces `old` by `new`:
    the run is split, `old` becomes a w:del and `new` a w:ins."""
    root = etree.fromstring(xml.encode())
    t = next(t for t in root.iter(f"{{{W}}}t") if t.text and old in t.text)
    run = t.getparent()
    before, after = t.text.split(old, 1)
    stamp = {f"{{{W}}}author": author, f"{{{W}}}date": "2026-11-20T10:00:00Z"}

    def make(text: str, tag: str = "t") -> etree._Element:
        r = etree.Element(f"{{{W}}}r")
        node = etree.SubElement(r, f"{{{W}}}{tag}")
        node.text = text
        node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        return r

    deletion = etree.Element(f"{{{W}}}del", {f"{{{W}}}id": "9001", **stamp})
    deletion.append(make(old, "delText"))
    insertion = etree.Element(f"{{{W}}}ins", {f"{{{W}}}id": "9002", **stamp})
    insertion.append(make(new))
    parent, index = run.getparent(), run.getparent().index(run)
    parent.remove(run)
    for offset, element in enumerate((make(before), deletion, insertion, make(after))):
        parent.insert(index + offset, element)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                          standalone=True).decode()


def test_import_records_the_accepted_text_with_provenance(sent, tmp_path):
    root, sent_file = sent
    theirs = rewrite(sent_file, tmp_path / "theirs.docx", lambda xml: tracked_edit(
        xml, "complete within forty-five (45) days", "complete within sixty (60) days"))
    r = draft("-C", str(root), "import", str(theirs), "--agreement", "phased-agreement",
              "--side", "dprk", "-m", "Reply by e-mail")
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith("recorded phased-agreement@r5 ")
    assert r.stdout.endswith("; 2 tracked changes by DPRK delegation accepted\n")
    assert r.stderr == (f"draft: warning: {theirs}: 2 pending tracked changes (1 insertion, "
                        "1 deletion by DPRK delegation) accepted; --pending reject|refuse to "
                        "change that\n")
    revision = open_source("phased-agreement@r5", root).revision
    assert revision.side == "dprk" and revision.message == "Reply by e-mail"
    assert revision.author == "DPRK delegation"  # the tracked changes' author, not the OS user
    assert revision.origin["file"] == "theirs.docx"
    assert revision.origin["sha256"] == hashlib.sha256(theirs.read_bytes()).hexdigest()
    assert revision.origin["tracked_change_authors"] == ["DPRK delegation"]
    cessation = revision.document.find("nuclear.freeze#cessation")
    assert cessation is not None and "within sixty (60) days" in cessation.text
    r = draft("-C", str(root), "diff", "phased-agreement@us", "phased-agreement@r5", "--stat")
    assert r.exit_code == 1 and "blocks: 1 changed, 0 inserted, 0 deleted;" in r.output
    again = draft("-C", str(root), "import", str(theirs), "--agreement", "phased-agreement",
                  "--side", "dprk")
    assert again.stdout.startswith("unchanged, same as phased-agreement@r5 ")


def test_import_markdown_and_text(sent, tmp_path):
    root, _ = sent
    md = tmp_path / "theirs.md"
    shown = draft("-C", str(root), "show", "phased-agreement@dprk").output
    md.write_text(shown)
    r = draft("-C", str(root), "import", str(md), "-a", "phased-agreement", "-s", "dprk")
    assert r.exit_code == 0 and r.output.startswith("unchanged, same as phased-agreement@r4 ")
    md.write_text(shown.replace("sixty (60) days", "ninety (90) days", 1))
    r = CliRunner().invoke(main, ["-C", str(root), "import", str(md), "-a", "phased-agreement",
                                  "-s", "dprk"], env={"DRAFTING_AUTHOR": "Ri Song-chol"})
    assert r.exit_code == 0 and r.output.startswith("recorded phased-agreement@r5 ")
    assert open_source("phased-agreement@r5", root).revision.author == "Ri Song-chol"
    r = draft("-C", str(root), "diff", "phased-agreement@dprk~1", "phased-agreement@r5",
              "--stat")
    assert "blocks: 1 changed, 0 inserted, 0 deleted; 2 words inserted, 2 deleted" in r.output


def test_diff_takes_docx_paths_in_every_format(sent, tmp_path):
    root, sent_file = sent
    other = tmp_path / "dprk.docx"
    assert draft("-C", str(root), "export", "phased-agreement@dprk", "-o", str(other)
                 ).exit_code == 0
    for fmt in ("term", "md", "html", "json"):
        r = draft("-C", str(root), "diff", str(sent_file), str(other), "--format", fmt)
        assert r.exit_code == 1, (fmt, r.stderr)
        assert "sixty" in r.output
    data = json.loads(draft("-C", str(root), "diff", str(sent_file), str(other), "--format",
                            "json").output)
    expected = json.loads(draft("-C", str(root), "diff", "phased-agreement@us",
                                "phased-agreement@dprk", "--format", "json").output)
    assert data["stats"] == expected["stats"]  # read back from Word: the same comparison
    elsewhere = tmp_path / "elsewhere"
    copy_workspace(elsewhere)  # another workspace cannot map our tokens to clauses ...
    outside = json.loads(draft("-C", str(elsewhere), "diff", str(sent_file), str(other),
                               "--format", "json").output)
    def ids(result: dict) -> set[str]:
        return {(b.get("new") or b.get("old"))["id"] for b in result["blocks"]}

    assert ids(outside).isdisjoint(ids(expected))
    assert {(b.get("new") or b.get("old"))["clause"] for b in outside["blocks"]} == {None}
    assert outside["stats"]["words_inserted"] > 0  # ... yet compares the texts
    out = tmp_path / "redline.docx"
    assert draft("diff", str(sent_file), str(other), "--format", "docx", "-o", str(out)
                 ).exit_code == 1


def test_audit_clean_when_every_change_was_tracked(sent, tmp_path):
    root, sent_file = sent
    theirs = rewrite(sent_file, tmp_path / "tracked.docx", lambda xml: tracked_edit(
        xml, "at each regular meeting", "at every meeting"))
    r = draft("-C", str(root), "audit", str(theirs), "--against", "phased-agreement@us")
    assert r.exit_code == 0, r.output
    assert "clean: with its 2 tracked changes by DPRK delegation rejected it is exactly " \
           "phased-agreement@us" in r.output


def test_audit_finds_an_untracked_edit_and_says_where(sent, tmp_path):
    root, sent_file = sent
    silent = rewrite(sent_file, tmp_path / "silent.docx",
                     lambda xml: xml.replace("within twenty-one (21) days",
                                             "within thirty-one (31) days", 1))
    r = draft("-C", str(root), "audit", str(silent), "--against", "phased-agreement@us",
              "--color", "never")
    assert r.exit_code == 1
    assert "UNTRACKED EDITS" in r.output
    assert "@@ Article 7 — Return of Agency Inspectors" in r.output
    assert "within [-twenty-one-]{+thirty-one+} ([-21-]{+31+}) days" in r.output


def test_audit_refuses_a_hostile_file(sent, tmp_path):
    root, _ = sent
    bad = tmp_path / "image.docx"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    r = draft("-C", str(root), "audit", str(bad), "--against", "phased-agreement@us")
    assert r.exit_code == 2 and "PNG" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_import_of_a_file_that_is_not_word(sent, tmp_path):
    root, _ = sent
    bad = tmp_path / "notes.docx"
    bad.write_bytes(b"just text")
    r = draft("-C", str(root), "import", str(bad), "-a", "phased-agreement", "-s", "dprk")
    assert r.exit_code == 2 and r.stderr.startswith("draft: error: ")
    assert not list((root / "drafts/phased-agreement/revisions").glob("*.tmp"))
    assert len(list((root / "drafts/phased-agreement/revisions").glob("*.json"))) == 4


def test_imported_redline_file_reads_as_its_accepted_text(sent, tmp_path):
    root, _ = sent
    redline = tmp_path / "redline.docx"
    assert draft("-C", str(root), "diff", "phased-agreement@us", "phased-agreement@dprk",
                 "--format", "docx", "-o", str(redline)).exit_code == 1
    r = draft("-C", str(root), "import", str(redline), "-a", "phased-agreement", "-s", "dprk")
    # the redline's front matter, notes and summary table are not agreement text: with its
    # changes accepted it is DPRK's draft, which we have
    assert r.exit_code == 0 and r.stdout.startswith("unchanged, same as phased-agreement@r4 ")
    assert r.stdout.endswith(" (dprk): 32 articles, 4817 words; 317 tracked changes by "
                             "Democratic People's Republic of Korea accepted\n")


def set_core(path: Path, target: Path, modified_by: str) -> Path:
    """Copy a .docx with docProps/core.xml's lastModifiedBy replaced, as Word saves it."""
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(target, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "docProps/core.xml":
                root = etree.fromstring(data)
                ns = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"
                node = root.find(f"{ns}lastModifiedBy")
                if node is None:
                    node = etree.SubElement(root, f"{ns}lastModifiedBy")
                node.text = modified_by
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
            dst.writestr(item, data)
    return target


def test_importing_a_file_we_already_have_records_nothing(sent, tmp_path):
    root, sent_file = sent
    r = draft("-C", str(root), "import", str(sent_file), "-a", "phased-agreement", "-s", "dprk")
    assert r.exit_code == 0
    assert r.output.startswith("unchanged, same as phased-agreement@r3 ")
    assert " (us): 32 articles" in r.output
    assert len(list((root / "drafts/phased-agreement/revisions").glob("*.json"))) == 4


def test_imported_author_is_the_files_own(sent, tmp_path):
    root, sent_file = sent
    edited = rewrite(sent_file, tmp_path / "edited.docx", lambda xml: xml.replace(
        "within twenty-one (21) days", "within thirty-one (31) days", 1))
    theirs = set_core(edited, tmp_path / "theirs.docx", "Kim Song")
    r = draft("-C", str(root), "import", str(theirs), "-a", "phased-agreement", "-s", "dprk")
    assert r.exit_code == 0 and r.output.startswith("recorded phased-agreement@r5 ")
    assert open_source("phased-agreement@r5", root).revision.author == "Kim Song"
    again = set_core(rewrite(sent_file, tmp_path / "e2.docx", lambda xml: xml.replace(
        "within twenty-one (21) days", "within forty (40) days", 1)), tmp_path / "t2.docx", "X")
    r = draft("-C", str(root), "import", str(again), "-a", "phased-agreement", "-s", "dprk",
              "--author", "Ri Song-chol")
    assert open_source("phased-agreement@r6", root).revision.author == "Ri Song-chol"
