"""Assembly: sandboxed Jinja, clause() and ref(), numbering, ids, errors with locations."""

from __future__ import annotations

from pathlib import Path

import pytest

from drafting.build import assemble_side
from drafting.errors import DraftingError
from drafting.workspace import Workspace, load_agreement


def make_workspace(root: Path, template: str, clauses: dict[str, str],
                   position: str = "") -> Workspace:
    (root / "templates").mkdir(parents=True)
    (root / "clauses").mkdir()
    (root / "drafts" / "t" / "positions").mkdir(parents=True)
    (root / "templates" / "t.md.j2").write_text(template)
    for name, text in clauses.items():
        (root / "clauses" / f"{name}.md").write_text(text)
    (root / "drafts" / "t" / "agreement.yaml").write_text(
        "title: Test Agreement\ntemplate: t\nsides:\n  a: Side A\n  b: Side B\n")
    (root / "drafts" / "t" / "positions" / "a.yaml").write_text(position)
    return Workspace(root)


def build_doc(ws: Workspace, side: str = "a", overrides=()):
    return assemble_side(ws, load_agreement(ws, "t"), side, overrides).document


ARTICLE = """---
id: {id}
title: {title}
edition: 1
params:
  days: {{type: int, default: 30}}
---
## {title}

First paragraph within {{{{ days | words }}}} days. {{: #first}}

Second paragraph.
"""


def art(cid: str, title: str) -> str:
    return ARTICLE.format(id=cid, title=title)


def test_numbering_ids_and_refs(tmp_path):
    template = """The Parties,

Have agreed as follows:

# General {: #general}

{{ clause("one") }}
{{ clause("two") }}

# Final

{{ clause("three") }}

Done at Geneva, see {{ ref("two#first") }} and {{ ref("three") }}. {-}
"""
    three = """---
id: three
title: Three
edition: 4
---
## Three

Sole paragraph, see {{ ref("#list") }}.

Items: {: #list}

- first item;
- second item, see {{ ref("one#first") }}.
"""
    ws = make_workspace(tmp_path, template, {"one": art("one", "One"), "two": art("two", "Two"),
                                              "three": three})
    doc = build_doc(ws)
    rows = [(b.kind, b.level, b.label, b.id) for b in doc.blocks]
    assert rows == [
        ("paragraph", 0, "", "t#p1"),
        ("paragraph", 0, "", "t#p2"),
        ("heading", 1, "Part I", "t#general"),
        ("heading", 2, "Article 1", "one"),
        ("paragraph", 1, "1.1", "one#first"),
        ("paragraph", 1, "1.2", "one#p1"),
        ("heading", 2, "Article 2", "two"),
        ("paragraph", 1, "2.1", "two#first"),
        ("paragraph", 1, "2.2", "two#p1"),
        ("heading", 1, "Part II", "t#final"),
        ("heading", 2, "Article 3", "three"),
        ("paragraph", 1, "3.1", "three#p1"),
        ("paragraph", 1, "3.2", "three#list"),
        ("paragraph", 2, "3.2(a)", "three#p2"),
        ("paragraph", 2, "3.2(b)", "three#p3"),
        ("paragraph", 0, "", "t#p3"),
    ]
    texts = {b.id: b.text for b in doc.blocks}
    assert texts["one#first"] == "First paragraph within thirty (30) days."
    assert texts["three#p1"] == "Sole paragraph, see Article 3.2."
    assert texts["three#p3"] == "second item, see Article 1.1."
    assert texts["t#p3"] == "Done at Geneva, see Article 2.1 and Article 3."
    last = doc.blocks[-1]
    assert [(last.text[r.start:r.end], r.target) for r in last.refs] == [
        ("Article 2.1", "two#first"), ("Article 3", "three")]
    assert doc.find("three").clause == "three" and doc.find("three").edition == 4


def test_single_paragraph_article_is_not_numbered(tmp_path):
    one = "---\nid: one\ntitle: One\nedition: 1\n---\n## One\n\nOnly paragraph.\n"
    ws = make_workspace(tmp_path, '{{ clause("one") }}\nSee {{ ref("one#p1") }}. {-}',
                        {"one": one})
    doc = build_doc(ws)
    assert [(b.label, b.level, b.text) for b in doc.blocks] == [
        ("Article 1", 2, "One"), ("", 1, "Only paragraph."), ("", 0, "See Article 1.")]


def test_inserting_an_article_renumbers_the_rest(tmp_path):
    template = ('{% if extra %}{{ clause("extra") }}{% endif %}\n'
                '{{ clause("one") }}\n{{ clause("two") }}\n')
    ws = make_workspace(tmp_path, template, {"one": art("one", "One"), "two": art("two", "Two"),
                                              "extra": art("extra", "Extra")},
                        "vars:\n  extra: false\n")
    before = {b.id: b.label for b in build_doc(ws).blocks}
    after = {b.id: b.label for b in build_doc(ws, overrides=["extra=true"]).blocks}
    assert before["two"] == "Article 2" and after["two"] == "Article 3"
    assert before["two#first"] == "2.1" and after["two#first"] == "3.1"


def test_position_values_win_over_template_arguments_and_defaults(tmp_path):
    ws = make_workspace(tmp_path, '{{ clause("one", days=60) }}', {"one": art("one", "One")},
                        "clauses:\n  one:\n    days: 45\n")
    assert "forty-five (45)" in build_doc(ws).blocks[1].text
    (tmp_path / "drafts/t/positions/a.yaml").write_text("")
    assert "sixty (60)" in build_doc(ws).blocks[1].text
    assert "ninety (90)" in build_doc(ws, overrides=["one.days=90"]).blocks[1].text


def test_inheritance_loops_and_conditionals(tmp_path):
    ws = make_workspace(tmp_path, '{% extends "base.md.j2" %}{% block body %}'
                        '{% for s in sides %}{{ s.name }}{{ ", " if not loop.last }}'
                        '{% endfor %}\n\n{{ clause("one") if side.key == "a" }}\n'
                        '{% endblock %}', {"one": art("one", "One")})
    (tmp_path / "templates" / "base.md.j2").write_text(
        "Preamble of {{ agreement.title }}.\n\n{% block body %}{% endblock %}\n")
    doc = build_doc(ws)
    assert [b.text for b in doc.blocks[:3]] == [
        "Preamble of Test Agreement.", "Side A, Side B", "One"]
    assert len(build_doc(ws, side="b").blocks) == 2


@pytest.mark.parametrize("template, message, line", [
    ('x\n{{ clause("one", dayz=3) }}', "clause 'one': unknown parameter 'dayz' (it takes: days)",
     2),
    ('\n\n{{ clause("one", days="ten") }}',
     "clause 'one': parameter 'days' (int): expected a whole number, got text 'ten'", 3),
    ('{{ clause("onee") }}', "unknown clause 'onee' (did you mean 'one'?)", 1),
    ("{{ ''.__class__.__mro__ }}", "refused by the sandbox", 1),
    ("{{ cycler.__init__.__globals__ }}", "refused by the sandbox", 1),
    ("{{ 'x' * 100000000 }}", "refused by the sandbox: repetition too large", 1),
    ("a\n{{ undefined_name }}", "undefined: 'undefined_name' is undefined", 2),
    ("{% for %}", "template syntax", 1),
    ("a\n\n{% if 1 %}{{ clause('one', days=1, days=2) }}{% endif %}",
     "template syntax: keyword argument repeated: days", 3),
    ('{% include "missing.md.j2" %}', "template 'missing.md.j2' not found", 1),
])
def test_template_errors_name_template_and_line(tmp_path, template, message, line):
    ws = make_workspace(tmp_path, template, {"one": art("one", "One")})
    with pytest.raises(DraftingError) as e:
        build_doc(ws)
    assert e.value.path.endswith("t.md.j2")
    assert e.value.line == line
    assert message in e.value.message


def test_unknown_ref_is_an_error_naming_the_clause_file_and_line(tmp_path):
    bad = "---\nid: bad\ntitle: B\nedition: 1\n---\n## B\n\nSee {{ ref('one#frist') }}.\n"
    ws = make_workspace(tmp_path, '{{ clause("one") }}\n{{ clause("bad") }}',
                        {"one": art("one", "One"), "bad": bad})
    with pytest.raises(DraftingError) as e:
        build_doc(ws)
    assert e.value.path.endswith("bad.md") and e.value.line == 8
    assert e.value.message == ("ref('one#frist'): no block with that id in this draft "
                               "(did you mean 'one#first'?)")


def test_code_python_refuses_is_a_syntax_error_at_the_clause_line(tmp_path):
    """Jinja parses `f(a=1, a=2)`; Python refuses the code generated from it, at a line of
    that code (36 here), which is not the clause file's."""
    bad = ("---\nid: bad\ntitle: B\nedition: 1\n---\n## B\n\n{% for s in sides %}{{ s.name }}"
           "{% endfor %}\n\nSee {{ ref('one', a=1, a=2) }}.\n")
    ws = make_workspace(tmp_path, '{{ clause("one") }}\n{{ clause("bad") }}',
                        {"one": art("one", "One"), "bad": bad})
    with pytest.raises(DraftingError) as e:
        build_doc(ws)
    assert (e.value.path.endswith("bad.md"), e.value.line, e.value.message) == (
        True, 10, "template syntax: keyword argument repeated: a")


def test_error_inside_clause_body_names_clause_file_line(tmp_path):
    bad = "---\nid: bad\ntitle: B\nedition: 1\n---\n## B\n\nText {{ nothing.here }}.\n"
    ws = make_workspace(tmp_path, '{{ clause("bad") }}', {"bad": bad})
    with pytest.raises(DraftingError) as e:
        build_doc(ws)
    assert e.value.path.endswith("bad.md") and e.value.line == 8


def test_position_file_errors_name_the_position_line(tmp_path):
    ws = make_workspace(tmp_path, '{{ clause("one") }}', {"one": art("one", "One")},
                        "clauses:\n  one:\n    days: 30\n    weeks: 4\n")
    with pytest.raises(DraftingError) as e:
        build_doc(ws)
    assert e.value.path.endswith("positions/a.yaml") and e.value.line == 4
    assert e.value.message == "clause 'one' has no parameter 'weeks' (it takes: days)"


def test_deeper_headings_are_refused(tmp_path):
    ws = make_workspace(tmp_path, "### Too deep\n", {})
    with pytest.raises(DraftingError, match="unsupported heading"):
        build_doc(ws)


def test_same_inputs_give_identical_documents(workspace):
    ws = Workspace(workspace)
    agreement = load_agreement(ws, "phased-agreement")
    one = assemble_side(ws, agreement, "us").document.to_json()
    two = assemble_side(ws, agreement, "us").document.to_json()
    assert one == two


def test_shipped_example_assembles_for_both_sides(workspace):
    ws = Workspace(workspace)
    agreement = load_agreement(ws, "phased-agreement")
    us = assemble_side(ws, agreement, "us")
    dprk = assemble_side(ws, agreement, "dprk")
    for assembly in (us, dprk):
        doc = assembly.document
        assert doc.article_count() >= 25
        assert 3000 < doc.word_count() < 7000
        assert len(assembly.clauses) >= 20
        assert "drafts/phased-agreement/agreement.yaml" in assembly.sources
        assert "templates/phased-agreement.md.j2" in assembly.sources
    assert us.document.find("nuclear.freeze").label != "" and us.document != dprk.document
