"""Phasing side by side: the shipped example's two sides, in every format, read back by
LibreOffice."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, lo_probe

from drafting.cli import main


def run(args, cwd: Path = ROOT):
    return CliRunner().invoke(main, ["-C", str(cwd), *args], catch_exceptions=False)


def test_matrix_of_the_shipped_example():
    r = run(["phasing", "phased-agreement@us", "phased-agreement@dprk"])
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    assert lines[2] == ("US's draft (phased-agreement@us, r3 c43f304864; 167 obligations) "
                        "compared with DPRK's draft (phased-agreement@dprk, r4 f79fab7386; "
                        "163 obligations)")
    assert lines[4] == "| Phase | Who | US's draft | DPRK's draft |"
    phase_one_us = next(x for x in lines if x.startswith("| Phase One"))
    assert phase_one_us == (
        "| Phase One: Freeze and Verification | US must (DPRK receives) | Art. 10 Humanitarian "
        "Exemptions (20 days)<br>Art. 11 Security Assurances<br>Art. 13 Recovery of Remains | "
        "Art. 10 Humanitarian Exemptions (15 days)<br>Art. 11 Nature of Sanctions Relief<br>"
        "Art. 12 Exemptions from Security Council Measures (15 days)<br>Art. 13 National "
        "Measures of the United States (30 days)<br>Art. 14 Security Assurances<br>Art. 16 "
        "Recovery of Remains |")
    assert "| Institutional and Final Provisions | Both Parties | Art. 27 Settlement of " \
           "Disputes (7 days; 30 days)" in r.output
    moved = lines[lines.index("## What moved between phases") + 2:][:2]
    assert moved == [
        "- Nature of Sanctions Relief, Exemptions from Security Council Measures, National "
        "Measures of the United States (Articles 18-20 in US's draft, Phase Two) stand in "
        "Phase One in DPRK's draft (Articles 11-13)",
        "- Peace Regime on the Korean Peninsula (Article 24 in US's draft, Phase Two) stands "
        "in Phase One in DPRK's draft (Article 17)"]
    assert "- 4.1 The Freeze shall be complete: 45 -> 60 days from the date of entry into " \
           "force of this Agreement (+15 days)" in lines
    assert "- 14.3 The United States shall refrain from conducting large-scale joint military " \
           "exercises on and around the Korean …" in lines  # only in DPRK's draft
    only_us = lines[lines.index("## Obligations only in US's draft") + 2:
                    lines.index("## Obligations only in DPRK's draft") - 1]
    assert "- 30.2 The Parties shall apply provisionally, from the date of signature, the " \
           "provisions on the Joint …" in only_us


def test_json_and_refusals(tmp_path):
    data = json.loads(run(["phasing", "phased-agreement@us", "phased-agreement@dprk",
                           "--format", "json"]).output)
    assert [p["phase"] for p in data["phases"]] == [
        "General Provisions", "Phase One: Freeze and Verification",
        "Phase Two: Dismantlement and Normalisation", "Institutional and Final Provisions"]
    freeze = data["phases"][1]["drafts"]["dprk"]["dprk"][0]
    assert freeze["article"] == "Article 4" and freeze["title"] == \
        "Freeze of Fissile Material Production"
    assert {"old_label": "4.1", "new_label": "4.1", "difference": 15}.items() <= \
        data["time_limits"][0].items()
    (tmp_path / "a.md").write_text("## Article 1\n\nThe Parties shall meet.\n")
    r = CliRunner().invoke(main, ["-C", str(ROOT), "phasing", str(tmp_path / "a.md"),
                                  "phased-agreement@us"])
    assert r.exit_code == 2
    assert r.stderr == ("draft: error: phasing compares two revisions of one agreement, "
                        "not files\n")


def test_same_side_twice_is_two_rounds():
    r = run(["phasing", "phased-agreement@us~2", "phased-agreement@us"])
    assert r.exit_code == 0
    assert "| Phase | Who | US r1's draft | US r3's draft |" in r.output


def test_html_for_print(tmp_path):
    out = tmp_path / "phasing.html"
    assert run(["phasing", "phased-agreement@us", "phased-agreement@dprk", "-o", str(out)]
               ).exit_code == 0
    page = out.read_text()
    assert "@page { size: A4 landscape" in page and "thead { display: table-header-group; }" \
        in page
    assert page.count('<tr class="first">') == 4  # one group of rows per phase
    assert "<li>Art. 4 Freeze of Fissile Material Production</li>" in page


@pytest.mark.office
def test_word_file_in_libreoffice(tmp_path):
    out = tmp_path / "phasing.docx"
    assert run(["phasing", "phased-agreement@us", "phased-agreement@dprk", "-o", str(out)]
               ).exit_code == 0
    xml = zipfile.ZipFile(out).read("word/document.xml").decode()
    assert 'w:orient="landscape"' in xml and "<w:tblHeader/>" in xml
    (found,) = lo_probe("inspect", str(out))
    cells = [p["text"] for p in found["paragraphs"] if p["style"] == "table"]
    assert cells[:4] == ["Phase", "Who", "US's draft", "DPRK's draft"]
    assert "Phase One: Freeze and Verification" in cells
    assert any(c.startswith("Art. 4 Freeze of Fissile Material Production\n") for c in cells)
    texts = [p["text"] for p in found["paragraphs"]]
    assert "What moved between phases" in texts
    assert 2 <= found["pages"] <= 6
    again = tmp_path / "again.docx"
    run(["phasing", "phased-agreement@us", "phased-agreement@dprk", "-o", str(again)])
    assert again.read_bytes() == out.read_bytes()


@pytest.mark.office
def test_obligations_word_file_in_libreoffice(tmp_path):
    out = tmp_path / "obligations.docx"
    assert run(["obligations", "phased-agreement@us", "-o", str(out)]).exit_code == 0
    (found,) = lo_probe("inspect", str(out))
    cells = [p["text"] for p in found["paragraphs"] if p["style"] == "table"]
    assert cells[:7] == ["label", "bearer", "modality", "action", "time limit", "conditions",
                         "phase"]
    assert len(cells) == 7 * 168
    assert cells[7 * 9:7 * 9 + 3] == ["4.1", "The Freeze", "shall"]
