"""Clause bodies that are text with a few `{{ expression }}` outputs, rendered without
Jinja's compiler.

Compiling a body costs about a millisecond (parse, generate Python, compile it), which
is most of a first build of a large library, although most bodies hold no statements at
all: text, a parameter through a filter, a ref(). Such a body is split on its `{{ }}`
tags, each expression parsed once by Jinja's own parser (and kept by its text, since the
same `{{ days | words }}` recurs across a library), and evaluated through the same sandbox
hooks the compiled code would call: environment.call, getattr, the guarded filters and
finalize. Anything else (a statement, a comment, whitespace control, an expression beyond
names, constants, attributes, items, filters and calls) returns None, and the body is
compiled as before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.runtime import Context, new_context

from .sandbox import Sandbox

_TAG = re.compile(r"\{\{(.*?)\}\}", re.S)
_LITERAL = re.compile(r"'[^'\\]*'|\"[^\"\\]*\"")  # a string constant without escapes
_NEWLINES = re.compile(r"\r\n|\r")
_SPECIAL = {"self", "loop", "caller", "varargs", "kwargs"}  # what compiled code provides
_SIMPLE = (nodes.Name, nodes.Const, nodes.Getattr, nodes.Getitem, nodes.Filter, nodes.Call,
           nodes.Keyword)


@dataclass(frozen=True)
class _Output:
    node: nodes.Expr  # shared by every expression of the same shape
    line: int
    strings: dict[int, str]  # id of a string constant of node -> its value here


@dataclass(frozen=True)
class PlainBody:
    """Text and expressions in order: a str is text, an _Output an output."""

    parts: tuple[str | _Output, ...]
    filename: str

    def names(self) -> set[str]:
        """The variables it reads (what jinja2.meta would find: it assigns none)."""
        return {n.name for part in self.parts if not isinstance(part, str)
                for n in (part.node, *part.node.find_all(nodes.Name))
                if isinstance(n, nodes.Name)}

    def render(self, env: Sandbox, values: dict[str, Any]) -> str:
        context = new_context(env, self.filename, {}, values, False, env.globals)
        out = []
        for part in self.parts:
            if isinstance(part, str):
                out.append(part)
                continue
            try:
                value = _evaluate(part.node, env, context, part.strings)
                out.append(str(env.finalize(value)))
            except Exception as e:
                if getattr(e, "where", None) is None and not _in_template(e):
                    e.where = (self.filename, part.line)  # type: ignore[attr-defined]
                raise
        return env.concat(iter(out))


def plain_body(env: Sandbox, source: str, filename: str, first_line: int,
               expressions: dict[str, nodes.Expr | None]) -> PlainBody | None:
    """The body split into text and expressions, or None when it needs the compiler.
    `expressions` caches parsed expressions by their text (None: not simple)."""
    if "{%" in source or "{#" in source:
        return None
    parts: list[str | _Output] = []
    pos = 0
    for m in _TAG.finditer(source):
        text = m.group(1)
        if "{" in text or "}" in text or text[:1] in "-+" or text[-1:] in "-+":
            return None
        found = _expression(env, text, expressions)
        if found is None:
            return None
        if m.start() > pos:
            parts.append(_NEWLINES.sub("\n", source[pos:m.start()]))
        parts.append(_Output(found[0], first_line + source.count("\n", 0, m.start()),
                             found[1]))
        pos = m.end()
    if "{{" in source[pos:]:
        return None
    if pos < len(source):
        parts.append(_NEWLINES.sub("\n", source[pos:]))
    return PlainBody(tuple(parts), filename)


def _expression(env: Sandbox, text: str, cache: dict[str, Any]
                ) -> tuple[nodes.Expr, dict[int, str]] | None:
    """The expression's tree, parsed once per shape: `ref("a#b")` and `ref("c#d")` share
    one tree, with the values of its string constants (in source order) on the side."""
    literals = None if "\\" in text else _LITERAL.findall(text)
    shape = _LITERAL.sub("''", text) if literals else text
    if shape not in cache:
        node = _parse(env, shape)
        cache[shape] = node and (node, [c for c in (node, *node.find_all(nodes.Const))
                                        if isinstance(c, nodes.Const) and c.value == ""])
    if cache[shape] is None:
        return None
    node, strings = cache[shape]
    if not literals:
        return node, {}
    if len(strings) != len(literals):
        return None
    return node, {id(c): _NEWLINES.sub("\n", v[1:-1]) for c, v in zip(strings, literals,
                                                                        strict=True)}


def _parse(env: Sandbox, text: str) -> nodes.Expr | None:
    try:
        body = env.parse("{{" + text + "}}").body
    except jinja2.TemplateSyntaxError:
        return None  # the compiler reports it, with its line
    if len(body) != 1 or not isinstance(body[0], nodes.Output) or len(body[0].nodes) != 1:
        return None
    node = body[0].nodes[0]
    simple = all(isinstance(n, _SIMPLE) for n in node.find_all(nodes.Node)) and \
        isinstance(node, _SIMPLE)
    for n in (node, *node.find_all(nodes.Node)):
        if isinstance(n, nodes.Filter | nodes.Call) and (n.dyn_args or n.dyn_kwargs):
            simple = False
        if isinstance(n, nodes.Filter) and n.name not in env.filters:
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
