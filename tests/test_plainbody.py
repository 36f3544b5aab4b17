"""Clause bodies rendered without Jinja's compiler (text, outputs, `{% if %}` choices,
`{% for %}` loops) give exactly what the compiler gives: the same text, the same refs, the
same errors at the same lines, the same work budget spent."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jinja2 import meta
from test_assemble import build_doc, make_workspace

from drafting import assemble
from drafting.errors import DraftingError
from drafting.library import load_library
from drafting.plainbody import plain_body
from drafting.sandbox import MAX_STEPS, MAX_TEXT, MAX_WORK_CHARS
from drafting.workspace import load_agreement, load_position

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
          "{% if\ndays %}\nx{% endif %}", "{% if 'a' 'b' %}c{% endif %}",
          "{{\n days }}", "a\rb\r", "{{ party\n|upper }}", "{{ sites[1:] }}", "{{ -days }}",
          "{{ days * 2 - 1 }}", "{{ party ~ days }}", "{{ (days, party) }}", "{{ 'q' }}",
          "{{ 7 }}", "{% if 'a'|upper %}k{% endif %}", "{{ 'a' ~ 'b' }}", "{{ [1, 2] }}",
          "{% for s in sites %}", "{% endfor %}", "{% for s in sites %}{{ s }}{% endfor %}",
          "{% for s in sites %}{{ loop.index }}/{{ loop.length }}{% endfor %}",
          "{% for s in sites %}{{ loop.index0 }}{{ loop.revindex }}{{ loop.revindex0 }}"
          "{{ loop.first }}{{ loop.last }}{{ loop.depth }}{{ loop.depth0 }}{% endfor %}",
          "{% for s in sites %}{{ loop.cycle('x', 'y') }}{% if not loop.first %}"
          "{{ loop.previtem }}{% endif %}{% if not loop.last %}{{ loop.nextitem }}{% endif %}"
          "{% endfor %}", "{% for s in [] %}none{% else %}{{ party }}{% endfor %}",
          "{% for a, b in [(1, 'x'), (2, 'y')] %}{{ a }}{{ b|upper }}{% endfor %}",
          "{% for (a, b), c in [((1, 2), 3)] %}{{ a + b + c }}{% endfor %}",
          "{% for d in range(days // 10) %}{% if d is odd %}{{ d|words }}{% else %}"
          "{{ ref('two#main') }}{% endif %}{% endfor %}",
          "{% for s in sites %}{% for t in sites %}{{ s ~ t }}{{ loop.index }}{% endfor %}"
          "{{ loop.index }}{% endfor %}", "{% for days in [1] %}{{ days }}{% endfor %}{{ days }}",
          "{% for s in sites %}{{ loop.changed(s) }}{{ party.upper() }}{% endfor %}",
          "{% for s in sites, party %}{{ s|length }}{% endfor %}",
          "{% for s in sites %}\n{{ s }}\n{% else %}\n{% endfor %}",
          "{% for s in sites if s %}{{ s }}{% endfor %}", "{% for loop in sites %}{% endfor %}",
          "{{ party|center(19999990) }}"]
BAD = ["{{ missing }}", "{{ days|nosuch }}", "{{ party.__class__ }}", "{{ ref('nowhere') }}",
       "{{ 'x'|center(10**10) }}", "{{ days( }}", "{% if missing > 1 %}x{% endif %}",
       "{% if not days %}x{% elif\nmissing.x %}y{% endif %}", "{% if days is nosuch %}x{% endif %}",
       "{% if days %}x{% else %}y{% elif days %}z{% endif %}", "{% if days %}x",
       "{% endif %}", "{% if days %}{{ party.__class__ }}{% endif %}",
       "{% if party.__class__ %}x{% endif %}", "{% if days < 'x' %}x{% endif %}",
       "{{\n missing }}", "a\rb\r{{ missing }}", "{{ missing.x|center(missing2.y) }}",
       "{{ missing.f(missing2.x) }}",
       "{{ ref('a', _loop_vars={}) }}", "{{ party|center(19999999) }}{{ party|center(9) }}",
       "{% for s in days %}{% endfor %}", "{% for a, b in sites %}{% endfor %}",
       "{% for s in sites %}\n{{ loop.nextitem }}{% endfor %}", "{{ loop.index }}",
       "{% for s in sites %}{{ s.__class__ }}{% endfor %}", "{% for s in missing %}{% endfor %}",
       "{% for s in [] %}{% else %}{{ loop }}{% endfor %}", "{% for s in sites %}x",
       "{% for s in sites %}{% endif %}", "{% for s in sites %}{% elif days %}{% endfor %}",
       "{% for s in sites %}{{ loop(sites) }}{% endfor %}"]


def outcome(tmp_path, body: str, plain: bool, monkeypatch, head: str = HEAD):
    """The draft (or the error: message, file, line) and the work budget it spent."""
    monkeypatch.setenv("DRAFTING_CACHE", "off")  # compile every time: no cached code
    if not plain:
        monkeypatch.setattr(assemble, "plain_body", lambda *a: None)
    ws = make_workspace(tmp_path, '{{ clause("one") }}\n{{ clause("two") }}\n',
                        {"one": head + body, "two": OTHER})
    agreement = load_agreement(ws, "t")
    assembler = assemble.Assembler(ws, load_library(ws.clauses_dir), agreement,
                                   load_position(agreement, "a"))
    try:
        result = assembler.assemble().document.to_json()
    except DraftingError as e:
        result = (e.message, e.path and e.path.rsplit("/", 2)[-2:], e.line)
    finally:
        monkeypatch.undo()
    return result, assembler.env.budget.steps, assembler.env.budget.chars


@settings(max_examples=150, deadline=None,
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
    assert isinstance(plain[0], tuple) and plain[0][1] == ["clauses", "one.md"]


@pytest.mark.parametrize("body", ["{{ party|center(width=5, width=6) }}",
                                  "{% for s in sites %}{{ ref('x', _loop_vars={}) }}{% endfor %}",
                                  "{% if 'a'|upper %}{% endif %}", "{{ 'a' ~ 'b' }}",
                                  "{{ [1, 2] }}", "{{ x if days }}", "{% for s in x recursive %}"
                                  "{% endfor %}"])
def test_what_the_compiler_does_otherwise_is_left_to_it(tmp_path, monkeypatch, body):
    """Keywords given twice (Python refuses the generated code), keywords the compiled code
    passes itself, constants Jinja's optimizer folds while compiling (their filters and `~`
    spend the budget then, not while rendering), inline ifs, recursive loops."""
    assert plain_body(assemble.sandbox(), body, "one.md", 1, {}) is None
    assert outcome(tmp_path / "p", body, True, monkeypatch) == \
        outcome(tmp_path / "c", body, False, monkeypatch)


def test_plain_bodies_are_not_compiled(tmp_path, monkeypatch):
    compiled = []
    original = assemble.Assembler._compiled
    monkeypatch.setattr(assemble.Assembler, "_compiled",
                        lambda self, clause: compiled.append(clause.id) or original(self, clause))
    ws = make_workspace(tmp_path, '{{ clause("one") }}\n{{ clause("two") }}\n',
                        {"one": HEAD + "## One\n\n{% if days %}Within {{ days }}.{% endif %}\n",
                         "two": OTHER + "\n{% for s in ['x'] %}{{ loop.index }}{{ s }}{% endfor %}"
                                        " {% set t = 'y' %}{{ t }}\n"})
    assert [b.text for b in build_doc(ws).blocks] == ["One", "Within 30.", "Two", "Other.",
                                                      "1x y"]
    assert compiled == ["two"]
    ws = make_workspace(tmp_path / "for", '{{ clause("one") }}\n',
                        {"one": HEAD + "## One\n\n{% for s in sites %}{{ s }} {% endfor %}\n"})
    assert [b.text for b in build_doc(ws).blocks] == ["One", "a b"]
    assert compiled == ["two"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(PIECES + BAD), min_size=1, max_size=10))
def test_plain_bodies_read_the_names_jinja_finds(pieces):
    body = "".join(pieces)
    env = assemble.sandbox()
    plain = plain_body(env, body, "one.md", 1, {})
    if plain is not None:
        assert plain.names() - env.globals.keys() == \
            meta.find_undeclared_variables(env.parse(body))


LOOPS = "---\nid: one\ntitle: One\nedition: 1\nparams:\n  party: {type: str, default: P}\n---\n"


def both(tmp_path, monkeypatch, body: str):
    """The outcome of body on both paths, asserted identical (budget spent included); the
    body must take the path without the compiler."""
    assert plain_body(assemble.sandbox(), body, "one.md", 1, {}) is not None
    plain = outcome(tmp_path / "p", body, True, monkeypatch, LOOPS)
    assert plain == outcome(tmp_path / "c", body, False, monkeypatch, LOOPS)
    return plain


@pytest.mark.parametrize("escape", [
    "{% for x in ''.__class__.__mro__ %}{{ x }}{% endfor %}",
    "{% for x in party.__class__.__base__.__subclasses__() %}{{ x }}{% endfor %}",
    "{% for x in [party] %}{{ x.__class__ }}{% endfor %}",
    "{% for x in [party] %}{{ loop.__class__ }}{% endfor %}",
    "{% for x in [party] %}{{ loop._iterator }}{% endfor %}",
    "{% for x in [party.format] %}{{ x.__globals__ }}{% endfor %}",
    "{% for x in [1] %}{{ x.__class__.__mro__[1].__subclasses__() }}{% endfor %}",
])
def test_sandbox_escapes_in_loops_are_refused_on_both_paths(tmp_path, monkeypatch, escape):
    result, _, _ = both(tmp_path, monkeypatch, "## One\n\nText\n" + escape + "\n")
    assert result[0].startswith(("refused by the sandbox: access to attribute",
                                 "undefined: ")), result
    assert result[1:] == (["clauses", "one.md"], 11)


def test_str_methods_the_sandbox_sizes_work_inside_loops(tmp_path, monkeypatch):
    """Calls inside a loop get the compiled code's _loop_vars keyword: the sizing of
    translate() refused it (a TypeError in every loop, compiled or not)."""
    result, _, _ = both(tmp_path, monkeypatch, "## One\n\n{% for s in [party] %}"
                        "{{ s.translate(['Q'] * 81) }} {{ s.center(3) }}|{{ s.replace('P', 'R') }} "
                        "{{ s.zfill(3) }} {{ '-'.join([s, s]) }} {{ s.ljust(2) }}|{% endfor %}\n")
    assert '"text": "Q P |R 00P P-P P |"' in result


def test_a_loop_over_a_huge_range_is_refused_on_both_paths(tmp_path, monkeypatch):
    result, _, _ = both(tmp_path, monkeypatch,
                        "## One\n\n{% for x in range(10**9) %}{{ x }}{% endfor %}\n")
    assert result == ("OverflowError: Range too big. The sandbox blocks ranges larger than "
                      "MAX_RANGE (100000).", ["clauses", "one.md"], 10)


def test_nested_loops_stop_at_the_same_step_on_both_paths(tmp_path, monkeypatch):
    """19 x 100,000 inner iterations, then a loop of r: the last step allowed is the same
    on both paths, and one more is refused on both, at the line of the loop that took it."""
    def body(r: int) -> str:
        return ("## One\n\n{% for i in range(19) %}{% for j in range(100000) %}{% endfor %}"
                "{% endfor %}\n{% for k in range(" + str(r) + ") %}{% endfor %}done\n")

    _, steps, _ = both(tmp_path / "probe", monkeypatch, body(1))
    last = MAX_STEPS - steps + 1
    result, spent, _ = both(tmp_path / "under", monkeypatch, body(last))
    assert isinstance(result, str) and "done" in result and spent == MAX_STEPS
    result, _, _ = both(tmp_path / "over", monkeypatch, body(last + 1))
    assert result[0] == (f"refused by the sandbox: more than {MAX_STEPS:,} steps (loop "
                         "iterations, calls and filters)")
    result, _, _ = both(tmp_path / "times", monkeypatch,
                        "## One\n\n{% for i in range(100000) %}\n{% for j in range(100000) %}"
                        "{% endfor %}{% endfor %}\n")
    assert result[0].endswith("steps (loop iterations, calls and filters)")
    assert result[2] == 11


def test_a_loop_printing_past_the_text_limit_is_refused_on_both_paths(tmp_path, monkeypatch):
    """Each iteration prints 10,000 characters: 1,999 of them fit the limit, 2,001 not."""
    def body(n: int) -> str:
        return "## One\n\n{% for i in range(" + str(n) + ") %}\nx{{ party|center(9999) }}" \
            "{% endfor %}\n"

    result, _, _ = both(tmp_path / "under", monkeypatch, body(1999))
    assert isinstance(result, str)
    result, _, _ = both(tmp_path / "over", monkeypatch, body(2001))
    assert result == (f"refused by the sandbox: the output would be more than {MAX_TEXT:,} "
                      "characters", ["clauses", "one.md"], 11)


def test_a_loop_joining_past_the_work_limit_is_refused_on_both_paths(tmp_path, monkeypatch):
    """Each iteration builds 200,001 characters with a filter and `~` and prints none."""
    def body(n: int) -> str:
        return "## One\n\nText{% for i in range(" + str(n) + ") %}\n{% if party|center(" \
            "100000) ~ i == '' %}{% endif %}{% endfor %}\n"

    result, _, chars = both(tmp_path / "under", monkeypatch, body(450))
    assert isinstance(result, str) and chars > 450 * 200_000
    result, _, _ = both(tmp_path / "over", monkeypatch, body(550))
    assert result == (f"refused by the sandbox: more than {MAX_WORK_CHARS:,} characters "
                      "built in all", ["clauses", "one.md"], 11)


@pytest.mark.parametrize("body", [
    "{{ party.upper }}", "{{ [party, party.upper] }}", "{{ 'a' ~ party.upper }}",
    "{{ party.upper|string }}", "{{ cycler(1, 2) }}", "{{ joiner() }}", "{{ lipsum }}",
    "{{ ref }}", "{% for f in [party.upper] %}{{ f }}{% endfor %}",
])
def test_a_value_printed_as_a_memory_address_is_refused_on_both_paths(tmp_path, monkeypatch,
                                                                        body):
    """Its text would change at every build and tell the other side about this process."""
    result, _, _ = both(tmp_path, monkeypatch, "## One\n\nText\n" + body + "\n")
    message, where, line = result
    assert message.startswith("refused by the sandbox: a ") and "memory address" in message
    assert (where, line) == (["clauses", "one.md"], 11)


def test_values_with_a_text_of_their_own_still_print(tmp_path, monkeypatch):
    result, _, _ = both(tmp_path, monkeypatch, "## One\n\n{{ party.upper() }} {{ range(2) }} "
                        "{{ namespace(a=1) }} {{ [party, (1, 2.5)] }} {{ none }}\n")
    assert '"text": "P range(0, 2) <Namespace {\'a\': 1}> [\'P\', (1, 2.5)] None"' in result
