"""A Word file that still carries pending tracked changes is read as it stands after
accepting them, with a warning that names them (count by author and kind); `--pending
reject` reads it with them rejected, `--pending refuse` refuses it in one line, exit 2,
nothing written. The same for diff, export --against and import."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import copy_workspace
from test_docx_reader import dele, ins, make_docx, p, r

from drafting.cli import main
from drafting.readers.docx import read_bytes
from drafting.readers.docx.pending import summary

WARNING = ("3 pending tracked changes (1 insertion, 1 deletion by Jane Doe; 1 insertion by "
           "Ann) accepted; --pending reject|refuse to change that")


def draft(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    """old.docx as sent; new.docx whose only difference is pending tracked changes."""
    old = tmp_path / "old.docx"
    old.write_bytes(make_docx(p(r("The Parties shall meet within thirty days."))))
    new = tmp_path / "new.docx"
    new.write_bytes(make_docx(
        p(r("The Parties shall meet within ") + dele("thirty", "Jane Doe") +
          ins("sixty", "Jane Doe") + r(" days.")) + p(ins("They shall report.", "Ann"))))
    return old, new


def test_summary_counts_by_author_and_kind(files) -> None:
    word = read_bytes(files[1].read_bytes(), "new.docx")
    assert summary(word.changes) == ("3 pending tracked changes (1 insertion, 1 deletion by "
                                     "Jane Doe; 1 insertion by Ann)")


def test_diff_accepts_pending_changes_by_default_and_says_so(files) -> None:
    old, new = files
    result = draft("diff", str(old), str(new), "--format", "json")
    assert result.exit_code == 1
    assert result.stderr == f"draft: warning: {new}: {WARNING}\n"
    ops = [op for b in json.loads(result.stdout)["blocks"] for op in b["ops"]]
    assert ["insert", "sixty", "number"] in ops and ["insert", "They shall report.", "text"] \
        in ops


def test_diff_with_pending_reject_reads_the_file_as_it_was(files) -> None:
    old, new = files
    result = draft("diff", str(old), str(new), "--pending", "reject")
    assert result.exit_code == 0  # rejecting every change gives back what was sent
    assert result.stderr == (f"draft: warning: {new}: 3 pending tracked changes (1 insertion, "
                             "1 deletion by Jane Doe; 1 insertion by Ann) rejected "
                             "(--pending reject)\n")


def test_diff_with_pending_refuse_is_one_line_exit_2_nothing_written(files, tmp_path) -> None:
    old, new = files
    out = tmp_path / "out.json"
    result = draft("diff", str(old), str(new), "--pending", "refuse", "-o", str(out))
    assert result.exit_code == 2 and not out.exists()
    assert result.stdout == ""
    assert result.stderr == (f"draft: error: {new}: 3 pending tracked changes (1 insertion, "
                             "1 deletion by Jane Doe; 1 insertion by Ann); refused (--pending "
                             "refuse): accept or reject them first, or give --pending "
                             "accept|reject\n")


def test_a_file_without_pending_changes_gives_no_warning(files) -> None:
    old, _ = files
    result = draft("diff", str(old), str(old), "--pending", "refuse")
    assert (result.exit_code, result.stderr) == (0, "")


def test_export_against_warns_and_refuses_alike(files, tmp_path) -> None:
    _, new = files
    old = tmp_path / "old.md"  # our own redline (a Word-into-Word one has its own tests)
    old.write_text("# Title\n\nThe Parties shall meet within thirty days.\n")
    out = tmp_path / "redline.docx"
    result = draft("export", str(new), "--against", str(old), "-o", str(out))
    assert result.exit_code == 0 and out.exists()
    assert result.stderr == f"draft: warning: {new}: {WARNING}\n"
    refused = tmp_path / "refused.docx"
    result = draft("export", str(new), "--against", str(old), "-o", str(refused),
                   "--pending", "refuse")
    assert result.exit_code == 2 and not refused.exists()
    assert result.stderr.startswith(f"draft: error: {new}: 3 pending tracked changes")


def test_import_records_the_chosen_reading_or_nothing(files, tmp_path) -> None:
    _, new = files
    root = copy_workspace(tmp_path / "ws", with_revisions=True)
    revisions = root / "drafts/phased-agreement/revisions"
    before = sorted(revisions.iterdir())
    args = ("-C", str(root), "import", str(new), "-a", "phased-agreement", "-s", "dprk")
    refused = draft(*args, "--pending", "refuse")
    assert refused.exit_code == 2 and sorted(revisions.iterdir()) == before
    assert refused.stderr.startswith(f"draft: error: {new}: 3 pending tracked changes")
    rejected = draft(*args, "--pending", "reject")
    assert rejected.exit_code == 0, rejected.output
    assert rejected.stdout.endswith("; 3 tracked changes by Jane Doe, Ann rejected\n")
    shown = draft("-C", str(root), "show", "phased-agreement@latest")
    assert "within thirty days." in shown.stdout and "report" not in shown.stdout
