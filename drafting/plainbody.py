"""Clause bodies that are text with a few `{{ expression }}` outputs and `{% if %}`
choices, rendered without Jinja's compiler.

Compiling a body costs about a millisecond (parse, generate Python, compile it), which
is most of a first build of a large library, although most bodies hold no statements at
all, or only `{% if %}` / `{% elif %}` / `{% else %}` choices between texts: text, a
parameter through a filter, a ref(). Such a body is split on its tags, each expression
parsed once by Jinja's own parser (and kept by its text, since the same `{{ days | words }}`
recurs across a library), and evaluated as the compiled code would evaluate it: through
the same sandbox hooks (environment.call, getattr, the guarded filters and finalize), with
Python's own comparisons, `and`, `or`, `not` and truth test where the compiled code has
them. Anything else (another statement, a comment, whitespace control, an expression
beyond names, constants, attributes, items, filters, calls, tests and comparisons)
returns None, and the body is compiled as before.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.runtime import Context, new_context

from .sandbox import Sandbox

_TAG = re.compile(r"\{\{(.*?)\}\}|\{%(.*?)%\}", re.S)
_STATEMENT = re.compile(r"(\s*)(if|elif|else|endif)\b(.*)", re.S)
_LITERAL = re.compile(r"'[^'\\]*'|\"[^\"\\]*\"")  # a string constant without escapes
_NEWLINES = re.compile(r"\r\n|\r")
_SPECIAL = {"self", "loop", "caller", "varargs", "kwargs"}  # what compiled code provides
_SIMPLE = (nodes.Name, nodes.Const, nodes.Getattr, nodes.Getitem, nodes.Filter, nodes.Call,
           nodes.Keyword, nodes.Test, nodes.Compare, nodes.Operand, nodes.And, nodes.Or,
           nodes.Not)
_COMPARE: dict[str, Callable[[Any, Any], Any]] = {
    "eq": operator.eq, "ne": operator.ne, "gt": operator.gt, "gteq": operator.ge,
    "lt": operator.lt, "lteq": operator.le, "in": lambda a, b: a in b,
    "notin": lambda a, b: a not in b}


@dataclass(frozen=True)
class _Output:
    node: nodes.Expr  # shared by every expression of the same shape
    line: int
    strings: dict[int, str]  # id of a string constant of node -> its value here

    def value(self, env: Sandbox, context: Context, filename: str, truth: bool = False
              ) -> Any:
        """Its value (or truth, for a test), an error located at its line."""
        try:
            value = _evaluate(self.node, env, context, self.strings)
            return bool(value) if truth else str(env.finalize(value))
        except Exception as e:
            if getattr(e, "where", None) is None and not _in_template(e):
                e.where = (filename, self.line)  # type: ignore[attr-defined]
            raise


@dataclass(frozen=True)
class _If:
    """`{% if %}` with its `{% elif %}`s and `{% else %}`: (test, parts) in order, the
    else branch with the test None."""

    branches: tuple[tuple[_Output | None, tuple[_Part, ...]], ...]


_Part = str | _Output | _If


@dataclass(frozen=True)
class PlainBody:
    """Text, outputs and choices in order."""

    parts: tuple[_Part, ...]
    filename: str

    def names(self) -> set[str]:
        """The variables it reads (what jinja2.meta would find: it assigns none)."""
        return {n.name for output in _leaves(self.parts) if isinstance(output, _Output)
                for n in (output.node, *output.node.find_all(nodes.Name))
                if isinstance(n, nodes.Name)}

    def render(self, env: Sandbox, values: dict[str, Any]) -> str:
        context = new_context(env, self.filename, {}, values, False, env.globals)
        out: list[str] = []
        self._emit(self.parts, env, context, out)
        return env.concat(iter(out))

    def _emit(self, parts: tuple[_Part, ...], env: Sandbox, context: Context,
              out: list[str]) -> None:
        for part in parts:
            if isinstance(part, str):
                out.append(part)
            elif isinstance(part, _Output):
                out.append(part.value(env, context, self.filename))
            else:
                for test, body in part.branches:
                    if test is None or test.value(env, context, self.filename, truth=True):
                        self._emit(body, env, context, out)
                        break


def _leaves(parts: tuple[_Part, ...] | list[_Part]) -> Iterator[str | _Output]:
    """Every text and expression, the tests of choices included, in order."""
    for part in parts:
        if isinstance(part, _If):
            for test, body in part.branches:
                if test is not None:
                    yield test
                yield from _leaves(body)
        else:
            yield part


def plain_body(env: Sandbox, source: str, filename: str, first_line: int,
               expressions: dict[Any, Any]) -> PlainBody | None:
    """The body split into text, outputs and choices, or None when it needs the compiler.
    `expressions` caches parsed expressions by their text (None: not simple)."""
    if "{#" in source:
        return None
    parts: list[_Part] = []
    # the `{% if %}`s open around this point: the parts before each, its branches so far
    opened: list[tuple[list[_Part], list[tuple[_Output | None, tuple[_Part, ...]]]]] = []
    pos = 0
    for m in _TAG.finditer(source):
        output = m.group(1) is not None
        text = m.group(1) if output else m.group(2)
        if "{" in text or "}" in text or text[:1] in "-+" or text[-1:] in "-+":
            return None
        if m.start() > pos:
            parts.append(_NEWLINES.sub("\n", source[pos:m.start()]))
        pos = m.end()
        if output:
            found = _expression(env, text, expressions)
            if found is None:
                return None
            parts.append(_Output(found[0], first_line + source.count("\n", 0, m.start()),
                                 found[1]))
            continue
        statement = _STATEMENT.fullmatch(text)
        if statement is None:
            return None
        space, keyword, rest = statement.groups()
        test = None
        if keyword in ("if", "elif"):
            found = _expression(env, rest, expressions, test=True)
            if found is None:
                return None
            # Jinja's line of an if: its keyword's; of an elif: its test's first token's
            ahead = space + (keyword + rest[:len(rest) - len(rest.lstrip())]
                             if keyword == "elif" else "")
            line = first_line + source.count("\n", 0, m.start(2)) + ahead.count("\n")
            test = _Output(found[0], line, found[1])
        elif rest.strip():
            return None
        if keyword == "if":
            opened.append((parts, []))
        elif not opened or (keyword != "endif" and opened[-1][1][-1][0] is None):
            return None  # no `{% if %}` open, or an elif or else after its else
        else:
            opened[-1][1].append((opened[-1][1].pop()[0], tuple(parts)))
        if keyword == "endif":
            before, branches = opened.pop()
            parts = before
            parts.append(_If(tuple(branches)))
        else:
            opened[-1][1].append((test, ()))
            parts = []
    if opened:
        return None
    if pos < len(source):
        parts.append(_NEWLINES.sub("\n", source[pos:]))
    if any(isinstance(p, str) and ("{{" in p or "{%" in p) for p in _leaves(parts)):
        return None
    return PlainBody(tuple(parts), filename)


def _expression(env: Sandbox, text: str, cache: dict[Any, Any], test: bool = False
                ) -> tuple[nodes.Expr, dict[int, str]] | None:
    """The expression's tree, parsed once per shape: `ref("a#b")` and `ref("c#d")` share
    one tree, with the values of its string constants (in source order) on the side. A
    test is parsed as `{% if %}` parses it (no inline if), and cached apart."""
    literals = None if "\\" in text else _LITERAL.findall(text)
    shape = _LITERAL.sub("''", text) if literals else text
    key = ("if", shape) if test else shape
    if key not in cache:
        node = _parse(env, shape, test)
        cache[key] = node and (node, [c for c in (node, *node.find_all(nodes.Const))
                                      if isinstance(c, nodes.Const) and c.value == ""])
    if cache[key] is None:
        return None
    node, strings = cache[key]
    if not literals:
        return node, {}
    if len(strings) != len(literals):
        return None
    return node, {id(c): _NEWLINES.sub("\n", v[1:-1]) for c, v in zip(strings, literals,
                                                                        strict=True)}


def _parse(env: Sandbox, text: str, test: bool) -> nodes.Expr | None:
    try:
        body = env.parse("{% if " + text + " %}{% endif %}" if test else "{{" + text + "}}"
                         ).body
    except jinja2.TemplateSyntaxError:
        return None  # the compiler reports it, with its line
    if test:
        if len(body) != 1 or not isinstance(body[0], nodes.If) or body[0].elif_ or \
                body[0].else_ or body[0].body:
            return None
        node = body[0].test
    elif len(body) != 1 or not isinstance(body[0], nodes.Output) or len(body[0].nodes) != 1:
        return None
    else:
        node = body[0].nodes[0]
    simple = all(isinstance(n, _SIMPLE) for n in node.find_all(nodes.Node)) and \
        isinstance(node, _SIMPLE)
    for n in (node, *node.find_all(nodes.Node)):
        if isinstance(n, nodes.Filter | nodes.Call | nodes.Test) and \
                (n.dyn_args or n.dyn_kwargs):
            simple = False
        if (isinstance(n, nodes.Filter) and n.name not in env.filters) or \
                (isinstance(n, nodes.Test) and n.name not in env.tests):
            simple = False  # the compiler reports it, with its line
        if isinstance(n, nodes.Name) and (n.ctx != "load" or n.name in _SPECIAL):
            simple = False
    return node if simple else None


def _evaluate(node: nodes.Expr, env: Sandbox, context: Context,
              strings: dict[int, str]) -> Any:
    if isinstance(node, nodes.Const):
        return strings.get(id(node), node.value)
    if isinstance(node, nodes.Name):
        return context.resolve(node.name)
    if isinstance(node, nodes.Getattr):
        return env.getattr(_evaluate(node.node, env, context, strings), node.attr)
    if isinstance(node, nodes.Getitem):
        return env.getitem(_evaluate(node.node, env, context, strings),
                           _evaluate(node.arg, env, context, strings))
    if isinstance(node, nodes.Compare):  # a chain, as Python runs `a < b < c`
        left = _evaluate(node.expr, env, context, strings)
        for n, op in enumerate(node.ops, 1):
            right = _evaluate(op.expr, env, context, strings)
            result = _COMPARE[op.op](left, right)
            if n == len(node.ops) or not result:
                return result
            left = right
    if isinstance(node, nodes.And):
        return _evaluate(node.left, env, context, strings) and \
            _evaluate(node.right, env, context, strings)
    if isinstance(node, nodes.Or):
        return _evaluate(node.left, env, context, strings) or \
            _evaluate(node.right, env, context, strings)
    if isinstance(node, nodes.Not):
        return not _evaluate(node.node, env, context, strings)
    if isinstance(node, nodes.Test):  # the compiled code evaluates the value first
        value = _evaluate(node.node, env, context, strings)
        return env.call_test(node.name, value, [_evaluate(a, env, context, strings)
                                                for a in node.args],
                             {k.key: _evaluate(k.value, env, context, strings)
                              for k in node.kwargs}, context)
    args = [_evaluate(a, env, context, strings) for a in node.args]  # type: ignore[attr-defined]
    kwargs = {k.key: _evaluate(k.value, env, context, strings)
              for k in node.kwargs}  # type: ignore[attr-defined]
    if isinstance(node, nodes.Filter):
        value = _evaluate(node.node, env, context, strings)  # type: ignore[arg-type]
        return env.call_filter(node.name, value, args, kwargs, context=context)
    return env.call(context, _evaluate(node.node, env, context, strings),  # type: ignore[attr-defined]
                    *args, **kwargs)


def _in_template(e: BaseException) -> bool:
    """Whether the traceback already runs through a compiled template (its line wins)."""
    tb = e.__traceback__
    while tb is not None:
        names = tb.tb_frame.f_globals  # compiled code, or the frame Jinja rewrites it to
        if "debug_info" in names or "__jinja_exception__" in names:
            return True
        tb = tb.tb_next
    return False
