"""The HTML pages as a reader sees them, in a real (headless) Chromium at 1280 px: the
summary visible on arrival, every "Changes by Article" link landing on its Article and not
under the sticky header, the blackline colours README documents, no console errors, and
nothing wider than the window. Screenshots go to $DRAFTING_SCREENSHOTS when set (to look
at them), else to the test's temporary folder."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from chromium import Page, need_chromium
from click.testing import CliRunner
from conftest import copy_workspace

from drafting.cli import main
from drafting.writers.joint import SIDE_COLOURS

WIDTH = 1280


def draft(*args: str) -> None:
    r = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert r.exit_code in (0, 1), r.output


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, Path]:
    """The example's diff page (with and without --stat) and its joint text against the
    first round, written by the CLI as a user would."""
    folder = tmp_path_factory.mktemp("html")
    root = copy_workspace(folder / "ws", with_revisions=True)
    out = {name: folder / f"{name}.html" for name in ("diff", "stat", "joint")}
    base = folder / "round1.md"
    draft("-C", str(root), "diff", "phased-agreement@us", "phased-agreement@dprk", "-o",
          str(out["diff"]))
    draft("-C", str(root), "diff", "phased-agreement@us", "phased-agreement@dprk", "--stat",
          "-o", str(out["stat"]))
    draft("-C", str(root), "joint", "phased-agreement@r1", "phased-agreement@r2", "-o",
          str(base))
    draft("-C", str(root), "joint", "phased-agreement@us", "phased-agreement@dprk", "--base",
          str(base), "-o", str(out["joint"]))
    return out


@pytest.fixture(scope="module")
def browser():
    page = Page(need_chromium(), width=WIDTH)
    yield page
    page.close()


@pytest.fixture
def shots(tmp_path) -> Path:
    folder = Path(os.environ.get("DRAFTING_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def rgb(css: str) -> tuple[int, int, int]:
    r, g, b = (int(x) for x in re.findall(r"\d+", css)[:3])
    return r, g, b


def css_rgb(colour: str) -> str:
    """'#1f4e9c' as getComputedStyle gives it: 'rgb(31, 78, 156)'."""
    return f"rgb({int(colour[1:3], 16)}, {int(colour[3:5], 16)}, {int(colour[5:7], 16)})"


def looks(page: Page, selector: str) -> dict[str, str]:
    return page.js(f"""(() => {{ const s = getComputedStyle(document.querySelector({selector!r}));
        return {{color: s.color, line: s.textDecorationLine, style: s.textDecorationStyle}}
        }})()""")


def fits_the_window(page: Page, shots: Path, name: str) -> None:
    """No horizontal scrolling at 1280 px, and no element reaching past the right edge."""
    assert page.js("document.documentElement.scrollWidth") <= WIDTH
    wide = page.js(f"""[...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > {WIDTH} + 0.5)
        .map(e => e.tagName + '.' + e.className).slice(0, 5)""")
    assert wide == []
    width, height = page.screenshot(shots / f"{name}.png")
    assert width == WIDTH and height > 800


def test_diff_page_summary_is_what_the_reader_sees_first(pages, browser, shots):
    browser.open(pages["diff"])
    summary = browser.js("""(() => { const t = document.querySelector('section.summary table');
        const r = t.getBoundingClientRect(), s = getComputedStyle(t);
        return {top: r.top, bottom: r.bottom, width: r.width, display: s.display,
                visibility: s.visibility, rows: [...t.rows].map(x => x.innerText)} })()""")
    assert summary["display"] != "none" and summary["visibility"] == "visible"
    assert 0 < summary["top"] < summary["bottom"] <= 800  # on screen without scrolling
    assert summary["width"] > 1000
    assert summary["rows"][0].startswith("Compared\tUnited States of America (phased-agreement@us")
    assert "Words inserted\t326" in summary["rows"]
    fits_the_window(browser, shots, "diff")
    assert browser.errors == []


def test_every_changes_by_article_link_lands_on_its_article(pages, browser):
    browser.open(pages["diff"])
    landed = browser.js("""[...document.querySelectorAll('table.by-article a')].map(a => {
        window.scrollTo(0, 0);
        a.click();
        const target = document.getElementById(decodeURIComponent(a.hash.slice(1)));
        if (!target) return {link: a.textContent, missing: a.hash};
        const r = target.getBoundingClientRect();
        const seen = document.elementFromPoint(r.left + 20, r.top + Math.min(r.height / 2, 10));
        return {link: a.textContent, top: r.top, bottom: r.bottom, scrolled: scrollY,
                uncovered: !!seen && target.contains(seen), label: target.cells[0].innerText,
                hash: location.hash, href: a.hash};
    })""")
    assert len(landed) >= 20  # the example changes most Articles
    for row in landed:
        assert "missing" not in row, row
        assert row["hash"] == row["href"] and row["scrolled"] > 0, row
        assert row["top"] >= 0 and row["bottom"] <= 800, row  # in the window...
        assert row["uncovered"], row  # ...and not hidden under the sticky table header
        article = row["link"].split(" — ")[0]
        assert row["label"].split(" → ")[-1] == article, row  # the Article the link names
    assert browser.errors == []


def test_stat_page_links_nothing_it_does_not_show(pages, browser, shots):
    browser.open(pages["stat"])
    dangling = browser.js("""[...document.querySelectorAll('a[href^="#"]')]
        .filter(a => !document.getElementById(decodeURIComponent(a.hash.slice(1))))
        .map(a => a.textContent)""")
    assert dangling == []
    assert browser.js("document.querySelectorAll('table.by-article tr').length") > 20
    fits_the_window(browser, shots, "diff-stat")
    assert browser.errors == []


def test_blackline_colours_are_as_documented(pages, browser):
    """README: insertions blue with a double underline, deletions red struck through,
    moves green."""
    browser.open(pages["diff"])
    inserted = looks(browser, ".redline ins:not(.move)")
    deleted = looks(browser, ".redline del:not(.move)")
    r, g, b = rgb(inserted["color"])
    assert b > 150 and b > 2 * r and b > g  # blue
    assert inserted["line"] == "underline" and inserted["style"] == "double"
    r, g, b = rgb(deleted["color"])
    assert r > 150 and r > 3 * g and r > 3 * b  # red
    assert deleted["line"] == "line-through"
    for selector in ("ins.move", "del.move", ".redline p.moved", "tr.moved td.new"):
        r, g, b = rgb(looks(browser, selector)["color"])
        assert g > 100 and g > 2 * r and g > b, selector  # green
    assert looks(browser, "del.move")["line"] == "line-through"
    # the four moved Articles, whole: green in the redline, where they left and arrived
    moved = browser.js("""[...document.querySelectorAll('.redline p.heading.moved')]
        .map(p => getComputedStyle(p).color)""")
    assert len(moved) == 8 and len(set(moved)) == 1
    legend = browser.js("document.querySelector('.legend').innerText")
    assert legend == "inserted · deleted · moved"


def test_joint_page_summary_sides_and_reopened_text(pages, browser, shots):
    browser.open(pages["joint"])
    summary = browser.js("""(() => { const d = document.querySelector('div.summary');
        const r = d.getBoundingClientRect();
        return {top: r.top, bottom: r.bottom, text: d.innerText} })()""")
    assert 0 < summary["top"] < summary["bottom"] <= 800
    assert "112 places where the texts differ, each written as [US: ...][DPRK: ...]" in \
        summary["text"]
    assert "WARNING: 4 changes reopen text agreed in the base" in summary["text"]
    colours = browser.js("""['side0', 'side1'].map(c => [...new Set([...document
        .querySelectorAll('span.' + c)].map(e => getComputedStyle(e).color))])""")
    assert colours == [[css_rgb(SIDE_COLOURS[0])], [css_rgb(SIDE_COLOURS[1])]]
    tags = browser.js("""['side0', 'side1'].map(c => [...new Set([...document
        .querySelectorAll('span.' + c + ' > b')].map(e => e.innerText))])""")
    assert tags == [["US:"], ["DPRK:"]]  # each side's colour is only ever that side's
    reopened = browser.js("""[...document.querySelectorAll('.reopened')].map(e => {
        const s = getComputedStyle(e); return [s.backgroundColor, s.outlineStyle] })""")
    assert len(reopened) == 4
    assert all(bg != "rgba(0, 0, 0, 0)" and outline == "solid" for bg, outline in reopened)
    fits_the_window(browser, shots, "joint")
    assert browser.errors == []


def test_without_chromium_the_tests_skip_except_in_ci(monkeypatch):
    import shutil

    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.delenv("DRAFTING_REQUIRE_BROWSER", raising=False)
    with pytest.raises(pytest.skip.Exception, match=r"Chromium not installed \(apt-get"):
        need_chromium()
    monkeypatch.setenv("DRAFTING_REQUIRE_BROWSER", "1")
    with pytest.raises(pytest.fail.Exception,
                       match="DRAFTING_REQUIRE_BROWSER=1 but Chromium not installed"):
        need_chromium()
