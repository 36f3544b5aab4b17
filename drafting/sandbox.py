"""Jinja's sandbox with a work and memory budget.

Templates and clause files may come from elsewhere, so rendering one must not be able to
exhaust memory or run for minutes. The stock sandbox blocks unsafe attributes and caps
range(); this one adds three mechanisms, cheapest and most precise first:

1. Sizes are known before anything is allocated. Every operation that can make a value far
   larger than its inputs computes the size of its result first and refuses one over
   MAX_TEXT characters: the str methods center, ljust, rjust, zfill, expandtabs, replace,
   join and translate; format specs and printf widths; `*`, `**`, `+` and `~`; the filters
   center, indent, wordwrap, replace, join, format, batch, slice, roman; lipsum. Printing
   a list that repeats one long string is measured without building its text.
2. A deterministic work budget: every loop iteration (`for` is compiled with a counting
   wrapper around its iterable), call and filter costs a step, and every character joined
   counts; past MAX_STEPS or MAX_WORK_CHARS rendering stops. Deterministic, so a refusal
   does not depend on the machine's speed or load.
3. A CPU-time guard for whatever the first two miss: a SIGPROF timer stops rendering after
   CPU_SECONDS of CPU (compiling excluded; checked at every step outside the main thread,
   where signals cannot be used).

Each refusal is a SecurityError whose traceback runs through the template line at fault.
"""

from __future__ import annotations

import functools
import random
import re
import signal
import threading
import time
import types
from collections.abc import Callable, Iterable, Iterator, KeysView, ValuesView
from contextlib import contextmanager
from typing import Any

from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError, TemplateSyntaxError
from jinja2.runtime import Namespace, markup_join, str_join
from jinja2.sandbox import ImmutableSandboxedEnvironment, SandboxedFormatter
from jinja2.utils import generate_lorem_ipsum
from markupsafe import Markup

MAX_TEXT = 20_000_000  # characters in any one value, and in a template's output
MAX_WORK_CHARS = 100_000_000  # characters joined over a whole rendering
MAX_ITEMS = 1_000_000  # items in any one list
MAX_REPEAT = 100_000  # `x * n`: items or characters
MAX_EXPONENT = 100
MAX_INT_BITS = 100_000  # about 30,000 digits
MAX_STEPS = 2_000_000  # loop iterations, calls and filters
CPU_SECONDS = 1.0
MAX_FORMAT_SPEC = 100  # characters of one "{:...}" spec
MAX_ROMAN = 3999
MAX_LIPSUM_WORDS = 100_000


class BudgetExceeded(SecurityError):
    """Rendering went over one of the limits above."""

    where: tuple[str, int] | None = None  # template line, when not in the traceback


class Unprintable(SecurityError):
    """A value whose text is a memory address: a function, a method, an object without
    a text of its own (`{{ party.upper }}`, `{{ cycler() }}`). Printed, it would make the
    draft differ at every build and send a detail of this process to the other side."""

    where: tuple[str, int] | None = None


# Callables whose repr names their address ("<built-in method upper of str object at 0x..>")
_ADDRESSED = (types.FunctionType, types.BuiltinFunctionType, types.MethodType,
              types.MethodWrapperType, types.WrapperDescriptorType,
              types.MethodDescriptorType, functools.partial)


def _check_printable(value: Any) -> None:
    kind = type(value)
    if isinstance(value, _ADDRESSED) or (kind.__repr__ is object.__repr__
                                         and kind.__str__ is object.__str__):
        raise Unprintable(f"a {kind.__name__} has no text to print, only a memory address "
                          "(call it, or print one of its values)")


class _CpuGuard:
    """Stops rendering after CPU_SECONDS of process CPU time, compiling excluded."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.start: float | None = None
        self.excluded = 0.0
        self.timer = False

    def _expired(self, signum: int = 0, frame: Any = None) -> None:
        if self.start is not None:
            raise BudgetExceeded(f"rendering used more than {self.seconds:g} s of CPU time")

    @contextmanager
    def running(self) -> Iterator[None]:
        if self.start is not None:  # nested rendering: one guard for the whole
            yield
            return
        self.start, self.excluded = time.process_time(), 0.0
        self.timer = threading.current_thread() is threading.main_thread() \
            and hasattr(signal, "setitimer")
        if self.timer:
            previous = signal.signal(signal.SIGPROF, self._expired)
            signal.setitimer(signal.ITIMER_PROF, self.seconds)
        try:
            yield
        finally:
            self.start = None
            if self.timer:
                signal.setitimer(signal.ITIMER_PROF, 0)
                signal.signal(signal.SIGPROF, previous)

    @contextmanager
    def paused(self) -> Iterator[None]:
        if self.start is None:
            yield
            return
        t0 = time.process_time()
        remaining = signal.setitimer(signal.ITIMER_PROF, 0)[0] if self.timer else 0.0
        try:
            yield
        finally:
            self.excluded += time.process_time() - t0
            if self.timer:
                signal.setitimer(signal.ITIMER_PROF, max(remaining, 0.001))

    def check(self) -> None:
        if self.start is not None and \
                time.process_time() - self.start - self.excluded > self.seconds:
            self._expired()


class Budget:
    """What one rendering may still spend."""

    def __init__(self) -> None:
        self.guard = _CpuGuard(CPU_SECONDS)
        self.restart()

    def restart(self) -> None:
        """Start a new rendering's budget (the guarded filters hold this object)."""
        self.steps = 0
        self.chars = 0
        self._next_check = 10_000

    def tick(self, n: int = 1) -> None:
        self.steps += n
        if self.steps > MAX_STEPS:
            raise BudgetExceeded(f"more than {MAX_STEPS:,} steps (loop iterations, calls "
                                 "and filters)")
        if self.steps >= self._next_check:
            self._next_check = self.steps + 10_000
            self.guard.check()

    def limit(self, n: int, what: str) -> None:
        """Refuse, before building it, a text of n characters."""
        if n > MAX_TEXT:
            raise BudgetExceeded(f"{what} would make more than {MAX_TEXT:,} characters")

    def spend(self, n: int) -> None:
        self.chars += n
        if self.chars > MAX_WORK_CHARS:
            raise BudgetExceeded(f"more than {MAX_WORK_CHARS:,} characters built in all")

    def items(self, n: int, what: str) -> None:
        if n > MAX_ITEMS:
            raise BudgetExceeded(f"{what} would make {n:,} items (limit {MAX_ITEMS:,})")
        self.tick(n // 64)

    def text_size(self, value: Any) -> int:
        """An upper bound of len(str(value)) (give or take repr's quotes and escapes),
        found without building it: a list that holds one long string 100,000 times costs
        800 kB but prints as 10**10 characters. Stops counting past MAX_TEXT."""
        stack, total = [value], 0
        while stack and total <= MAX_TEXT:
            v = stack.pop()
            if isinstance(v, str | bytes):
                total += len(v) + 2
            elif isinstance(v, int):
                total += v.bit_length() // 3 + 2
            elif isinstance(v, dict):
                self.tick(len(v))
                stack.extend(v.keys())
                stack.extend(v.values())
                total += 4 * len(v)
            elif isinstance(v, list | tuple | set | frozenset | KeysView | ValuesView):
                self.tick(len(v))
                stack.extend(v)
                total += 2 * len(v) + 2
            elif isinstance(v, Namespace):
                stack.append(dict(v._Namespace__attrs))  # type: ignore[attr-defined]
            else:  # numbers, dates, None, and objects whose repr is short
                _check_printable(v)
                total += 40
        return total

    def text(self, value: Any, what: str) -> None:
        self.limit(len(value) if isinstance(value, str) else self.text_size(value), what)


# -- size bounds of str methods and filters, computed from their arguments ---------------

def _count(s: str, old: str, count: int | None) -> int:
    n = s.count(old) if old else len(s) + 1
    return n if count is None or count < 0 else min(n, count)


def _replace_size(b: Budget, s: Any, old: Any = "", new: Any = "", count: Any = None,
                  *_: Any, **kwargs: Any) -> int:
    s = s if isinstance(s, str) else str(s) if b.text_size(s) <= MAX_TEXT else ""
    old, new, count = str(old), str(new), kwargs.get("count", count)
    return len(s) + _count(s, old, count if isinstance(count, int) else None) \
        * max(0, len(new) - len(old))


def _width_size(b: Budget, s: Any, width: Any = 80, *_: Any, **__: Any) -> int:
    return max(b.text_size(s), width if isinstance(width, int) else 0)


def _expandtabs_size(b: Budget, s: str, tabsize: Any = 8, **_: Any) -> int:
    return len(s) + s.count("\t") * max(tabsize if isinstance(tabsize, int) else 8, 0)


def _translate_size(b: Budget, s: str, table: Any = None, *_: Any, **__: Any) -> int:
    longest = max((len(v) for v in getattr(table, "values", list)()
                   if isinstance(v, str | bytes)), default=1)
    return len(s) * max(longest, 1)


def _join_size(b: Budget, sep: Any, items: Any, *_: Any, **__: Any) -> int:
    sep = sep if isinstance(sep, str) else ""
    return sum(b.text_size(i) for i in items) + len(sep) * len(items)


def _indent_size(b: Budget, s: Any, width: Any = 4, *_: Any, **__: Any) -> int:
    text = b.text_size(s)
    pad = width if isinstance(width, int) else len(str(width)) if isinstance(width, str) else 0
    lines = s.count("\n") + 1 if isinstance(s, str) else text
    return text + lines * max(pad, 0)


def _wordwrap_size(b: Budget, s: Any, width: Any = 79, break_long_words: Any = True,
                   wrapstring: Any = None, *_: Any, **__: Any) -> int:
    text = b.text_size(s)
    width = width if isinstance(width, int) and width > 0 else 1
    joint = len(wrapstring) if isinstance(wrapstring, str) else 1
    lines = text // width + (s.count("\n") if isinstance(s, str) else 0) + 1
    return text + lines * joint


_PRINTF = re.compile(r"%(?:\([^)]*\))?[#0 +-]*(\*|\d+)?(?:\.(\*|\d+))?[hlL]?(.)", re.S)
_SPEC = re.compile(r"(?:.?[<>=^])?[-+ ]?z?#?0?(\d*)[,_]?(?:\.(\d+))?")


def _printf_size(b: Budget, fmt: Any, *args: Any, **kwargs: Any) -> int:
    """printf-style `fmt % args`: each conversion is at most its width plus its
    precision plus its value's text (a float with %f: up to 330 digits)."""
    if not isinstance(fmt, str):
        return b.text_size(fmt)
    total = len(fmt) + b.text_size(args if len(args) != 1 else args[0]) + b.text_size(kwargs)
    for m in _PRINTF.finditer(fmt):
        if "*" in (m.group(1), m.group(2)):
            raise BudgetExceeded("'*' widths in % formatting are not allowed")
        total += int(m.group(1) or 0) + int(m.group(2) or 0) + 330
    return total


def _spec_size(spec: str) -> int:
    if len(spec) > MAX_FORMAT_SPEC:
        raise BudgetExceeded(f"a format spec of {len(spec):,} characters (limit "
                             f"{MAX_FORMAT_SPEC})")
    m = _SPEC.match(spec)
    return int(m.group(1) or 0) + int(m.group(2) or 0) + 330 if m else 330


_METHOD_SIZES: dict[str, Callable[..., int]] = {
    "center": _width_size, "ljust": _width_size, "rjust": _width_size,
    "zfill": _width_size, "expandtabs": _expandtabs_size, "replace": _replace_size,
    "translate": _translate_size,
}


def _text_input(b: Budget, value: Any, *_: Any, **__: Any) -> int:
    return b.text_size(value)


def _series_size(b: Budget, items: Any, conjunction: Any = "and", *_: Any) -> int:
    return _join_size(b, ", ", list(items)) + len(str(conjunction)) + 2


def _batch_size(b: Budget, value: Any, linecount: Any = 1, *_: Any, **__: Any) -> int:
    if isinstance(linecount, int):
        b.items(linecount, "batch()")
    return 0


def _slice_size(b: Budget, value: Any, slices: Any = 1, *_: Any, **__: Any) -> int:
    if isinstance(slices, int) and slices > MAX_REPEAT:
        raise BudgetExceeded(f"slice() into {slices:,} parts (limit {MAX_REPEAT:,})")
    return 0


def _sum_size(b: Budget, value: Any, attribute: Any = None, start: Any = 0) -> int:
    if isinstance(start, bool) or not isinstance(start, int | float):
        raise BudgetExceeded("sum() adds numbers only")
    return 0


def _roman_size(b: Budget, n: Any, *_: Any) -> int:
    if isinstance(n, int) and n > MAX_ROMAN:
        raise BudgetExceeded(f"roman numerals stop at {MAX_ROMAN:,}, got {n:,}")
    return 0


# Filters that turn their input into text (a list printed whole) and those whose result
# can be much larger than their input; every other filter is only counted.
_FILTER_SIZES: dict[str, Callable[..., int]] = {
    **dict.fromkeys(("string", "e", "escape", "forceescape", "pprint", "tojson", "safe",
                     "upper", "lower", "capitalize", "title", "trim", "striptags", "urlize",
                     "urlencode", "wordcount", "xmlattr", "truncate", "longdate"),
                    _text_input),
    "center": _width_size, "indent": _indent_size, "wordwrap": _wordwrap_size,
    "replace": _replace_size, "join": lambda b, v, d="", *a, **k: _join_size(b, d, v),
    "format": _printf_size, "batch": _batch_size, "slice": _slice_size, "sum": _sum_size,
    "roman": _roman_size, "series": _series_size,
}
_MATERIALISE = {"join", "series"}  # filters given a generator, sized before they run


def _template_line(generated: str, line: int) -> int:
    """The template line of a line of Jinja's generated code, from the `debug_info` table
    the code ends with ("template=generated&..."), as Jinja maps tracebacks."""
    table = re.search(r"^debug_info = '([0-9=&]*)'$", generated, re.M)
    pairs = [tuple(map(int, pair.split("="))) for pair in
             (table.group(1).split("&") if table and table.group(1) else ())]
    return max(((g, t) for t, g in pairs if g <= line), default=(0, 1))[1]


class _BudgetFormatter(SandboxedFormatter):
    def __init__(self, env: Sandbox):
        super().__init__(env)
        self.budget = env.budget

    def format_field(self, value: Any, format_spec: str) -> Any:
        self.budget.limit(self.budget.text_size(value) + _spec_size(format_spec),
                          "a format field")
        return super().format_field(value, format_spec)


class _CodeGenerator(CodeGenerator):
    """Jinja's compiler with two hooks the sandbox lacks: every `for` iteration costs a
    step, and `~` is sized before it joins."""

    def visit_For(self, node: nodes.For, frame: Frame) -> None:
        # for x in environment.budget_iter(iterable)
        node.iter = nodes.Call(nodes.EnvironmentAttribute("budget_iter"), [node.iter], [],
                               None, None, lineno=node.iter.lineno)
        super().visit_For(node, frame)

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.budget_concat((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        markup = "context.eval_ctx.autoescape" if frame.eval_ctx.volatile \
            else str(bool(frame.eval_ctx.autoescape))
        self.write(f"), {markup})")


class Sandbox(ImmutableSandboxedEnvironment):
    """The environment templates and clause bodies render in. Immutable: templates
    cannot change lists or dicts (`l.extend(l)` would double a list per step)."""

    code_generator_class = _CodeGenerator
    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, **kwargs: Any):
        self.budget = Budget()
        super().__init__(finalize=self._finalize, **kwargs)
        self.globals["lipsum"] = self._lipsum

    def _compile(self, source: str, filename: str) -> types.CodeType:
        """Jinja's generated Python, compiled. Python refuses some code Jinja's parser let
        through (`f(a=1, a=2)`); its error names a line of the generated code, so it is
        reported as a template syntax error at the template's own line."""
        try:
            return super()._compile(source, filename)
        except SyntaxError as e:
            raise TemplateSyntaxError(e.msg, _template_line(source, e.lineno or 1),
                                      filename=filename) from None

    def guard_filters(self) -> None:
        """Wrap every filter (call once all are registered): each costs a step, and its
        input and result are sized."""
        self.filters = {name: self._guarded(name, f) for name, f in self.filters.items()}

    def _guarded(self, name: str, func: Callable[..., Any]) -> Callable[..., Any]:
        size = _FILTER_SIZES.get(name)
        skip = 1 if getattr(func, "jinja_pass_arg", None) is not None else 0
        budget = self.budget

        @functools.wraps(func)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            budget.tick()
            if size is not None and len(args) > skip:
                if name in _MATERIALISE and isinstance(args[skip], Iterator):
                    args = (*args[:skip], list(args[skip]), *args[skip + 1:])
                budget.limit(size(budget, *args[skip:], **kwargs), f"the filter {name}")
            return self._result(func(*args, **kwargs), f"the filter {name}")

        return guarded

    def _result(self, value: Any, what: str) -> Any:
        if isinstance(value, str | bytes):
            self.budget.limit(len(value), what)
            self.budget.spend(len(value))
        elif isinstance(value, list | tuple):
            self.budget.items(len(value), what)
        return value

    def _finalize(self, value: Any) -> Any:
        self.budget.text(value, "printing this value")
        return value

    def printed(self, value: Any) -> str:
        """What the compiled code outputs for `{{ value }}`."""
        return str(self._finalize(value))

    def _lipsum(self, n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> str:
        if not all(isinstance(v, int) for v in (n, min, max)) or n * max > MAX_LIPSUM_WORDS:
            raise BudgetExceeded(f"lipsum() of more than {MAX_LIPSUM_WORDS:,} words")
        # Jinja draws the words from the random module: seeded here (and the caller's
        # state put back) so that a draft with placeholder text rebuilds byte for byte.
        state = random.getstate()
        try:
            random.seed(f"lipsum {n} {html} {min} {max}")
            return generate_lorem_ipsum(n, html, min, max)
        finally:
            random.setstate(state)

    # -- hooks the compiled template calls ----------------------------------------------

    def budget_iter(self, iterable: Iterable[Any]) -> Iterator[Any]:
        tick = self.budget.tick
        for item in iterable:
            tick()
            yield item

    def budget_concat(self, parts: tuple[Any, ...], markup: bool) -> str:
        size = sum(self.budget.text_size(p) for p in parts)
        self.budget.limit(size, "'~'")
        self.budget.spend(size)
        return (markup_join if markup else str_join)(parts)

    def concat(self, chunks: Iterable[str]) -> str:  # type: ignore[override]
        """Join a template's output, refusing it as soon as it grows too large."""
        parts, total = [], 0
        for chunk in chunks:
            total += len(chunk)
            if total > MAX_TEXT:
                error = BudgetExceeded(f"the output would be more than {MAX_TEXT:,} "
                                       "characters")
                error.where = _suspended_at(chunks)
                raise error
            parts.append(chunk)
        self.budget.spend(total)
        return "".join(parts)

    def compile(self, *args: Any, **kwargs: Any) -> Any:
        with self.budget.guard.paused():
            return super().compile(*args, **kwargs)

    @contextmanager
    def rendering(self) -> Iterator[None]:
        with self.budget.guard.running():
            yield

    def call(__self, __context: Any, __obj: Any, *args: Any,
             **kwargs: Any) -> Any:
        budget = __self.budget
        budget.tick()
        owner = getattr(__obj, "__self__", None)
        name = getattr(__obj, "__name__", "")
        if isinstance(owner, str | bytes):
            if name == "join" and args:
                args = (list(args[0]), *args[1:])
                budget.limit(_join_size(budget, owner, args[0]), "join()")
            elif name in _METHOD_SIZES:
                budget.limit(_METHOD_SIZES[name](budget, owner, *args, **kwargs), f"{name}()")
        elif isinstance(owner, int) and name == "to_bytes" and args \
                and isinstance(args[0], int):
            budget.limit(args[0], "to_bytes()")
        return __self._result(super().call(__context, __obj, *args, **kwargs),
                              f"{name or 'the call'}()")

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        budget = self.budget
        budget.tick()
        ints = all(isinstance(v, int) for v in (left, right))
        if operator == "**" and ints:
            if abs(right) > MAX_EXPONENT or left.bit_length() * right > MAX_INT_BITS:
                raise BudgetExceeded("exponent too large")
        elif operator == "*" and ints:
            if left.bit_length() + right.bit_length() > MAX_INT_BITS:
                raise BudgetExceeded(f"a number of more than {MAX_INT_BITS:,} bits")
        elif operator == "*":
            for seq, n in ((left, right), (right, left)):
                if isinstance(seq, str | bytes | list | tuple) and isinstance(n, int) \
                        and len(seq) * n > MAX_REPEAT:
                    raise BudgetExceeded(f"repetition too large ({len(seq):,} x {n:,}, "
                                         f"limit {MAX_REPEAT:,})")
        elif operator == "+" and isinstance(left, str | bytes) and isinstance(right, str | bytes):
            budget.limit(len(left) + len(right), "'+'")
            budget.spend(len(left) + len(right))
        elif operator == "+" and isinstance(left, list | tuple) and isinstance(right, list | tuple):
            budget.items(len(left) + len(right), "'+'")
        elif operator == "%" and isinstance(left, str):
            budget.limit(_printf_size(budget, left, right), "'%' formatting")
        return self._result(super().call_binop(context, operator, left, right),
                            f"'{operator}'")

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """str.format and format_map through a formatter that sizes each field."""
        wrapped = super().wrap_str_format(value)
        if wrapped is None or isinstance(value.__self__, Markup):
            return wrapped
        text, formatter = value.__self__, _BudgetFormatter(self)
        mapping = value.__name__ == "format_map"

        def format_text(*args: Any, **kwargs: Any) -> str:
            if mapping:
                if kwargs or len(args) != 1:
                    raise TypeError("format_map() takes exactly one mapping")
                args, kwargs = (), args[0]
            return formatter.vformat(text, args, kwargs)

        return functools.update_wrapper(format_text, value)


def _suspended_at(chunks: Any) -> tuple[str, int] | None:
    """The template line a suspended render generator stopped at (for an error raised
    outside the template's own frames)."""
    gen = chunks
    while getattr(gen, "gi_yieldfrom", None) is not None:
        gen = gen.gi_yieldfrom
    frame = getattr(gen, "gi_frame", None)
    if frame is None or "debug_info" not in frame.f_globals:
        return None
    pairs = [tuple(map(int, x.split("="))) for x in frame.f_globals["debug_info"].split("&")
             if x]
    line = next((t for t, code in reversed(pairs) if code <= frame.f_lineno), 1)
    return frame.f_code.co_filename, line
