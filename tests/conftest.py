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
    ignore = shutil.ignore_patterns(".private", *(() if with_revisions else (
        "revisions", ".cache", ".lock")))  # .private: a developer's id key stays theirs
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


SYSTEM_PYTHON = "/usr/bin/python3"  # Debian's python3: the only one that can import uno
PROBE = Path(__file__).parent / "office" / "lo_probe.py"


def _office_missing() -> str | None:
    import subprocess

    if shutil.which("soffice") is None:
        return "LibreOffice not installed (apt-get install libreoffice-writer-nogui)"
    if not Path(SYSTEM_PYTHON).exists() or subprocess.run(
            [SYSTEM_PYTHON, "-c", "import uno"], capture_output=True).returncode != 0:
        return "python3-uno not installed (apt-get install python3-uno)"
    return None


def need_office() -> None:
    """Skip without LibreOffice, except where DRAFTING_REQUIRE_OFFICE=1 (CI): fail there."""
    reason = _office_missing()
    if reason:
        if os.environ.get("DRAFTING_REQUIRE_OFFICE") == "1":
            pytest.fail(f"DRAFTING_REQUIRE_OFFICE=1 but {reason}")
        pytest.skip(reason)


def lo_probe(*args: str, timeout: float = 900):
    """Run tests/office/lo_probe.py under Debian's python3 and return its JSON."""
    import json
    import subprocess

    need_office()
    proc = subprocess.run([SYSTEM_PYTHON, str(PROBE), *args], capture_output=True, text=True,
                          timeout=timeout)
    if proc.returncode != 0:
        pytest.fail(f"lo_probe {args[0]} failed ({proc.returncode}): {proc.stderr[-500:]}")
    return json.loads(proc.stdout)


@pytest.fixture(autouse=True, scope="session")
def _private_template_cache(tmp_path_factory):
    """Compiled-template cache in a throw-away folder, not the user's."""
    os.environ["DRAFTING_CACHE"] = str(tmp_path_factory.mktemp("jinja-cache"))


@pytest.fixture(autouse=True, scope="session")
def _every_docx_we_write_is_valid():
    """Every .docx the toolkit writes during the tests (all leave through
    docx_package.stamped_zip) is checked as Word would: ECMA-376 schemas (when
    ../shared/schemas is present) and the invariants the schemas cannot state."""
    import docxcheck

    from drafting.writers import docx_package

    original = docx_package.stamped_zip

    def checked(*args, **kwargs):
        data = original(*args, **kwargs)
        docxcheck.assert_valid(data, "a .docx written by the toolkit")
        return data

    docx_package.stamped_zip = checked
    yield
    docx_package.stamped_zip = original


def built_example(target: Path) -> Path:
    """A copy of the shipped workspace with both sides' drafts built."""
    from click.testing import CliRunner

    from drafting.cli import main

    root = copy_workspace(target)
    for side in ("us", "dprk"):
        r = CliRunner().invoke(main, ["-C", str(root), "build", "phased-agreement", "--side",
                                      side])
        assert r.exit_code == 0, r.output
    return root


def written_docx(root: Path, *args: str, code: int = 0) -> bytes:
    """The bytes of the .docx `draft -C root ARGS -o FILE` writes, exiting with `code`."""
    from click.testing import CliRunner

    from drafting.cli import main

    out = root / "out.docx"
    r = CliRunner().invoke(main, ["-C", str(root), *args, "-o", str(out)],
                           catch_exceptions=False)
    assert r.exit_code == code, r.output
    return out.read_bytes()


def rewrite_zip(data: bytes, edits: dict[str, bytes | None]) -> bytes:
    """The package `data` with parts replaced, added, or (None) removed: how the tests
    make the hostile and odd Word files that no editor would."""
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename not in edits:
                dst.writestr(info.filename, src.read(info.filename))
        for name, body in edits.items():
            if body is not None:
                dst.writestr(name, body)
    return out.getvalue()


def zip_part(data: bytes, name: str) -> bytes:
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read(name)
