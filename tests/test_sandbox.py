"""The sandbox's budget: each hostile template is refused in one line naming the template
line, and a template just under each limit still renders."""

from __future__ import annotations

import signal

import pytest
from test_assemble import build_doc, make_workspace

from drafting import sandbox
from drafting.errors import DraftingError

MAX = sandbox.MAX_TEXT
LOOP = "{% set ns = namespace(s='x') %}{% for i in range(N) %}{% set ns.s = ns.s ~ ns.s %}" \
    "{% endfor %}{{ ns.s|length }}"
NESTED = "{% for i in range(N) %}{% for j in range(100000) %}{% endfor %}{% endfor %}done"


def render(tmp_path, template: str) -> str:
    """The text of the template's blocks (the template starts on line 2)."""
    ws = make_workspace(tmp_path, "Start.\n\n" + template, {})
    return " ".join(b.text for b in build_doc(ws).blocks[1:])


def refusal(tmp_path, template: str) -> DraftingError:
    with pytest.raises(DraftingError) as e:
        render(tmp_path, template)
    assert e.value.path.endswith("templates/t.md.j2")
    assert e.value.line == 3
    assert e.value.message.startswith("refused by the sandbox: ")
    return e.value


HOSTILE = [
    ("{{ 'x'|center(10**10) }}", "the filter center would make more than 20,000,000"),
    ("{{ '{:>10000000000}'.format('x') }}", "a format field would make more than"),
    ("{{ '%010000000000d' % 1 }}", "'%' formatting would make more than"),
    ("{{ 'x'.ljust(10**10) }}", "ljust() would make more than"),
    ("{{ 'x'.rjust(10**10) }}", "rjust() would make more than"),
    ("{{ 'x'.center(10**10) }}", "center() would make more than"),
    ("{{ 'x'.zfill(10**10) }}", "zfill() would make more than"),
    ("{{ ('\\t' * 1000).expandtabs(10**8) }}", "expandtabs() would make more than"),
    ("{{ ('a\\n' * 50000)|indent(10**6) }}", "the filter indent would make more than"),
    ("{{ ('x' * 100000)|replace('x', 'y' * 100000) }}", "the filter replace would make"),
    ("{{ ('x' * 100000).replace('x', 'y' * 100000) }}", "replace() would make more than"),
    ("{{ (['x' * 100000] * 100000)|join }}", "the filter join would make more than"),
    ("{{ ''.join(['x' * 100000] * 100000) }}", "join() would make more than"),
    ("{{ (10**13)|roman }}", "roman numerals stop at 3,999, got 10,000,000,000,000"),
    (LOOP.replace("N", "60"), "'~' would make more than 20,000,000 characters"),
    (NESTED.replace("N", "100000"), "more than 2,000,000 steps"),
    ("{{ lipsum(10**6) }}", "lipsum() of more than 100,000 words"),
    ("{{ ['x' * 100000] * 100000 }}", "printing this value would make more than"),
    ("{% set a = ['x' * 100000] %}{% set b = [a, a, a, a, a, a, a, a, a, a] %}"
     "{% set c = [b, b, b, b, b, b, b, b, b, b] %}{% set d = [c, c, c] %}{{ d|string }}",
     "the filter string would make more than"),
    ("{% for i in range(100000) %}{{ 'x' * 100000 }}{% endfor %}",
     "the output would be more than 20,000,000 characters"),
    ("{{ ([[1]] * 100000)|sum(start=[]) }}", "sum() adds numbers only"),
    ("{{ ((2**100)**100)**100 }}", "exponent too large"),
    ("{% set ns = namespace(n=2**60) %}{% for i in range(40) %}{% set ns.n = ns.n * ns.n %}"
     "{% endfor %}", "a number of more than 100,000 bits"),
    ("{% set ns = namespace(l=[1]) %}{% for i in range(40) %}{% set ns.l = ns.l + ns.l %}"
     "{% endfor %}", "'+' would make 1,048,576 items (limit 1,000,000)"),
    ("{{ [1]|batch(10**9, 0)|list }}", "batch() would make 1,000,000,000 items"),
    ("{{ [1]|slice(10**9)|list }}", "slice() into 1,000,000,000 parts"),
    ("{{ (1).to_bytes(10**10, 'big') }}", "to_bytes() would make more than"),
    ("{{ '%*d' % (10**10, 1) }}", "'*' widths in % formatting are not allowed"),
    ("{{ [1, 2].append(3) }}", "access to attribute 'append' of 'list' object is unsafe"),
]


@pytest.mark.parametrize("template, message", HOSTILE, ids=[h[1][:30] for h in HOSTILE])
def test_hostile_templates_are_refused_at_their_line(tmp_path, template, message):
    assert message in refusal(tmp_path, template).message


# Just under each limit: the same operations render.
UNDER = [
    (f"{{{{ 'x'|center({MAX})|length }}}}", str(MAX)),
    (f"{{{{ ('{{:>{MAX - 400}}}'.format('x'))|length }}}}", str(MAX - 400)),
    (f"{{{{ ('%0{MAX - 400}d' % 1)|length }}}}", str(MAX - 400)),
    (f"{{{{ 'x'.ljust({MAX})|length }}}} {{{{ 'x'.zfill({MAX})|length }}}}", f"{MAX} {MAX}"),
    ("{{ ('\\t' * 100)|string|length }} {{ ('\\t' * 100).expandtabs(199000)|length }}",
     "100 19900000"),
    ("{{ ('a\\n' * 1000)|indent(19000)|length }}", str(2000 + 999 * 19000)),
    ("{{ ('x' * 1000)|replace('x', 'y' * 19999)|length }}", str(19_999_000)),
    ("{{ (['x' * 100000] * 199)|join|length }}", str(19_900_000)),
    ("{{ 3999|roman }}", "MMMCMXCIX"),
    (LOOP.replace("N", "24"), str(2**24)),
    (NESTED.replace("N", "19"), "done"),
    ("{{ lipsum(1000, False, 99, 100)|wordcount > 90000 }}", "True"),
    ("{% set s %}{% for i in range(199) %}{{ 'x' * 100000 }}{% endfor %}{% endset %}"
     "{{ s|length }}", str(19_900_000)),
    ("{{ [1, 2, 3]|sum }} {{ (2**100)**10 > 0 }} {{ 'a %5s b' % 'x' }}", "6 True a x b"),
]


@pytest.mark.parametrize("template, text", UNDER, ids=[u[1][:20] for u in UNDER])
def test_templates_just_under_each_limit_render(tmp_path, template, text):
    assert render(tmp_path, template) == text


def test_one_over_the_text_limit_is_refused(tmp_path):
    refusal(tmp_path, f"{{{{ 'x'|center({MAX + 1})|length }}}}")


def test_one_step_over_the_work_budget_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(sandbox, "MAX_STEPS", 1000)
    assert render(tmp_path, "{% for i in range(990) %}{% endfor %}x") == "x"
    assert "more than 1,000 steps" in refusal(
        tmp_path / "2", "{% for i in range(1001) %}{% endfor %}x").message


def test_cpu_guard_stops_what_the_step_budget_misses(tmp_path, monkeypatch):
    """An exponential macro: each call is a step, but calls are slow enough that the CPU
    guard fires first. The previous SIGPROF handler is restored afterwards."""
    monkeypatch.setattr(sandbox, "CPU_SECONDS", 0.3)
    before = signal.getsignal(signal.SIGPROF)
    error = refusal(tmp_path, "{% macro m(n) %}{% if n %}{{ m(n - 1) }}{{ m(n - 1) }}"
                    "{% endif %}{% endmacro %}{{ m(40) }}")
    assert "rendering used more than 0.3 s of CPU time" in error.message
    assert signal.getsignal(signal.SIGPROF) is before
    assert signal.getitimer(signal.ITIMER_PROF) == (0.0, 0.0)


def test_a_value_is_text_even_if_it_looks_like_a_marker(tmp_path):
    """U+E000 frames clauses and references while assembling; a value holding it stays
    text, and a forged clause frame attributes nothing to a clause."""
    one = "---\nid: one\ntitle: One\nedition: 1\n---\n## One\n\nBody.\n"
    ws = make_workspace(tmp_path, "Intro {{ river }}.\n\n{{ clause('one') }}\n", {"one": one})
    for value in ("\ue000R7\ue000", "\ue000R0\ue000", "\ue000C1\ue000"):
        doc = build_doc(ws, overrides=["river=" + value])
        assert [(b.text, b.clause) for b in doc.blocks] == [
            (f"Intro {value}.", None), ("One", "one"), ("Body.", "one")]
    forged = '"\\n\\ue000C1\\ue000\\n## Injected\\n\\ue000E\\ue000\\n"'
    with pytest.raises(DraftingError) as refused:
        build_doc(ws, overrides=["river=" + forged])
    assert refused.value.message == (
        "--set river: a value must stay on one line: a line break in it would start a new "
        "paragraph or heading of the draft")


@pytest.mark.parametrize("value", ['"Nile\\n\\n## Article 99 Injected"', '"Nile\\r## X"',
                                   '["Nile", "a\\n## X"]', '"Nile\\u2028## X"'])
def test_a_value_cannot_start_a_block_of_its_own(tmp_path, value):
    """Whatever a value holds it is words within a sentence: a line break that could open
    a heading or a paragraph is refused, from --set and from a position file (at its
    line), a trailing one too (the next value could open the heading); `>-` folds."""
    ws = make_workspace(tmp_path, "Intro {{ river }}.\n", {})
    with pytest.raises(DraftingError, match="a value must stay on one line"):
        build_doc(ws, overrides=["river=" + value])
    position = ws.drafts_dir / "t" / "positions" / "a.yaml"
    position.write_text(f"vars:\n\n  river: {value}\n")
    with pytest.raises(DraftingError) as refused:
        build_doc(ws)
    assert (refused.value.line, refused.value.message.split(":")[0]) == (
        3, "a value must stay on one line")
    position.write_text("vars:\n  river: >\n    Nile and\n    Congo\n")
    with pytest.raises(DraftingError, match="a value must stay on one line"):
        build_doc(ws)
    position.write_text("vars:\n  river: >-\n    Nile and\n    Congo\n")
    assert build_doc(ws).blocks[0].text == "Intro Nile and Congo."


@pytest.mark.parametrize("template", ["{{ 'x'|center(10**10) }}", "{{ (10**13)|roman }}",
                                      "{{ (['x' * 100000] * 100000)|join }}"])
def test_checks_before_building_never_run_a_template_outside_the_sandbox(tmp_path, template):
    """`draft build` reads which variables the template uses before assembling; Jinja's
    compiler folds constants by running them, so that reading is sandboxed too."""
    from drafting.build import build

    ws = make_workspace(tmp_path, "Start.\n\n" + template, {})
    with pytest.raises(DraftingError, match="refused by the sandbox"):
        build(ws, "t", "a")


def test_placeholder_text_is_the_same_at_every_build(tmp_path):
    """Deterministic: lipsum() gives the same words each time (the revision's hash depends
    on it), and leaves the caller's random state as it was."""
    import random

    ws = make_workspace(tmp_path, "{{ lipsum(2, False) }}\n", {})
    random.seed(7)
    expected_next = random.random()
    random.seed(7)
    first = [b.text for b in build_doc(ws).blocks]
    assert random.random() == expected_next
    assert [b.text for b in build_doc(ws).blocks] == first
    assert len(" ".join(first).split()) >= 40


@pytest.mark.parametrize("template", [
    "{% set f = side.name.upper %}{{ f }}", "{{ {'k': side.name.format} }}",
    "{{ '%s'|format(cycler(1)) }}", "{{ [joiner()]|join(', ') }}",
])
def test_templates_printing_a_memory_address_are_refused(tmp_path, template):
    """A function or a bare object prints as its address: a draft that differs at every
    build, and a detail of this process in a file for the other side."""
    e = refusal(tmp_path, template + "\n")
    assert "has no text to print, only a memory address" in e.message
