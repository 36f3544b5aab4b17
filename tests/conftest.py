"""Shared fixtures: a private copy of the shipped workspace, the real-document corpus, and
LibreOffice (mandatory where DRAFTING_REQUIRE_OFFICE=1, as in CI; skipped elsewhere)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("DRAFTING_CORPUS", ROOT.parent / "shared" / "corpus"))
PARIS = CORPUS / "agreements" / "paris"


def copy_workspace(target: Path, with_revisions: bool = False) -> Path:
    for name in ("clauses", "templates"):
        shutil.copytree(ROOT / name, target / name)
    ignore = None if with_revisions else shutil.ignore_patterns("revisions", ".cache", ".lock")
    shutil.copytree(ROOT / "drafts", target / "drafts", ignore=ignore)
    return target


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """The shipped example workspace without its recorded revisions."""
    return copy_workspace(tmp_path / "ws")


@pytest.fixture
def small_workspace(tmp_path: Path) -> Path:
    """The tiny example `draft init` creates."""
    from drafting.scaffold import create_workspace

    create_workspace(tmp_path / "small")
    return tmp_path / "small"


def need_corpus(*parts: str) -> Path:
    path = CORPUS.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"real-document corpus not found at {path} (set DRAFTING_CORPUS)")
    return path


@pytest.fixture
def paris() -> list[Path]:
    folder = need_corpus("agreements", "paris")
    return sorted(folder.glob("paris_v*.md"))
