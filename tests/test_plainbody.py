"""Clause bodies rendered without Jinja's compiler (text, outputs, `{% if %}` choices) give
exactly what the compiler gives: the same text, the same refs, the same errors at the same
lines."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_assemble import build_doc, make_workspace

from drafting import assemble
from drafting.errors import DraftingError

HEAD = "---\nid: one\ntitle: One\nedition: 1\nparams:\n  days: {type: int, default: 30}\n" \
    "  party: {type: str, default: the Party}\n  sites: {type: list, default: [a, b]}\n---\n"
OTHER = "---\nid: two\ntitle: Two\nedition: 1\n---\n## Two\n\nOther. {: #main}\n"
PIECES = ["## Title\n\n", "Text ", "\n\n", "\r\n", "{: #named}\n\n", " } ", "{ x }", "- item\n",
          "{{ days }}", "{{ days | words }}", "{{ party|upper }}", "{{ sites|series('or') }}",
          "{{ ref('two#main') }}", "{{ ref('#named') }}", "{{ party.title() }}",
          "{{ sites[0] }}", "{{ 'a' ~ party }}", "{{ days|string|center(7) }}",
          "{{- party }}", "{% if days %}x{% endif %}", "{# note #}", "{{ side.name }}",
          "{{ clause('two') }}", "{{ party|replace('the', \"a\") }}", "{{ 'x' 'y' }}",
          "{{ ref('two' ~ '#main') }}", "{{ '' ~ days|string|center(9) }}",
          "{% if days > 20 %}long{% elif party == 'the Party' %}party{% else %}short{% endif %}",
          "{% if party is defined and not days < 5 %}{{ party }}{% endif %}",
          "{% if 1 < days < 40 %}mid{% elif days %}{{ days|words }}{% endif %}",
          "{% if sites[0] in 'abc' or missing %}in{% endif %}", "{% if days %}", "{% else %}",
          "{% endif %}", "{%if days is number%}tight{%endif%}", "{{ days == 30 }}",
          "{% if party == 'x' or ref('#named') %}r{% endif %}", "{% if (days, 1) %}t{% endif %}",
          "{% if days is odd %}{% if party %}a{% else %}b{% endif %}{% endif %}",
          "{% if\ndays %}\nx{% endif %}", "{% if 'a' 'b' %}c{% endif %}"]
BAD = ["{{ missing }}", "{{ days|nosuch }}", "{{ party.__class__ }}", "{{ ref('nowhere') }}",
       "{{ 'x'|center(10**10) }}", "{{ days( }}", "{% if missing > 1 %}x{% endif %}",
       "{% if not days %}x{% elif\nmissing.x %}y{% endif %}", "{% if days is nosuch %}x{% endif %}",
       "{% if days %}x{% else %}y{% elif days %}z{% endif %}", "{% if days %}x",
       "{% endif %}", "{% if days %}{{ party.__class__ }}{% endif %}",
       "{% if party.__class__ %}x{% endif %}", "{% if days < 'x' %}x{% endif %}"]


def outcome(tmp_path, body: str, plain: bool, monkeypatch):
    if not plain:
        monkeypatch.setattr(assemble, "plain_body", lambda *a: None)
    ws = make_workspace(tmp_path, '{{ clause("one") }}\n{{ clause("two") }}\n',
                        {"one": HEAD + body, "two": OTHER})
    try:
        return build_doc(ws).to_json()
    except DraftingError as e:
        return (e.message, e.path and e.path.rsplit("/", 2)[-2:], e.line)
    finally:
        monkeypatch.undo()


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(PIECES + BAD[:1] + BAD[6:7]), min_size=1, max_size=12))
def test_plain_bodies_render_as_compiled_ones(tmp_path_factory, monkeypatch, pieces):
    body = "".join(pieces)
    one = outcome(tmp_path_factory.mktemp("p"), body, True, monkeypatch)
    assert one == outcome(tmp_path_factory.mktemp("c"), body, False, monkeypatch)


@pytest.mark.parametrize("bad", BAD)
def test_errors_in_plain_bodies_are_the_compiled_errors(tmp_path, monkeypatch, bad):
    body = "## One\n\nFirst line.\n\nText " + bad + " here.\n"
    plain = outcome(tmp_path / "p", body, True, monkeypatch)
    assert plain == outcome(tmp_path / "c", body, False, monkeypatch)
    assert isinstance(plain, tuple) and plain[1] == ["clauses", "one.md"]


def test_plain_bodies_are_not_compiled(tmp_path, monkeypatch):
    compiled = []
    original = assemble.Assembler._compiled
    monkeypatch.setattr(assemble.Assembler, "_compiled",
                        lambda self, clause: compiled.append(clause.id) or original(self, clause))
    ws = make_workspace(tmp_path, '{{ clause("one") }}\n{{ clause("two") }}\n',
                        {"one": HEAD + "## One\n\n{% if days %}Within {{ days }}.{% endif %}\n",
                         "two": OTHER + "\n{% for s in ['x'] %}{{ s }}{% endfor %}\n"})
    assert [b.text for b in build_doc(ws).blocks] == ["One", "Within 30.", "Two", "Other.",
                                                      "x"]
    assert compiled == ["two"]
