"""Jinja expressions evaluated without Jinja's compiler, exactly as the compiled code
evaluates them.

An expression is parsed once per shape by Jinja's own parser (`ref("a#b")` and
`ref("c#d")` share one tree, the values of their string constants kept on the side) and
evaluated through the hooks the compiled code calls, in the order it calls them: the
sandbox's getattr, getitem, call and binary operators, the guarded filters, the tests,
budget_concat for `~`, and Python's own comparisons, slices, `and`, `or`, `not`, `-`.

Only what the compiled code runs at render time can be run here: Jinja's optimizer folds
constant subexpressions while compiling, so a filter or `~` of constants (which would
spend the work budget at render time here, at compile time there) and a printed constant
other than a literal are outside the subset, as are inline ifs, dicts, `*args` and
`**kwargs`, names the compiled code provides itself, unknown filters and tests (the
compiler reports them) and keywords given twice. Whatever is outside returns None.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.runtime import Context

from .sandbox import Sandbox

_LITERAL = re.compile(r"'[^'\\]*'|\"[^\"\\]*\"")  # a string constant without escapes
_SPECIAL = {"self", "caller", "varargs", "kwargs"}  # what compiled code provides (and loop)
_KEYWORDS_TAKEN = {"_loop_vars", "_block_vars"}  # keywords the compiled code adds to calls
_SIMPLE = (nodes.Name, nodes.Const, nodes.Getattr, nodes.Getitem, nodes.Slice, nodes.Filter,
           nodes.Call, nodes.Keyword, nodes.Test, nodes.Compare, nodes.Operand, nodes.And,
           nodes.Or, nodes.Not, nodes.Neg, nodes.Pos, nodes.Tuple, nodes.List, nodes.Concat,
           nodes.Add, nodes.Sub, nodes.Mul, nodes.Div, nodes.FloorDiv, nodes.Mod, nodes.Pow)
_COMPARE: dict[str, Callable[[Any, Any], Any]] = {
    "eq": operator.eq, "ne": operator.ne, "gt": operator.gt, "gteq": operator.ge,
    "lt": operator.lt, "lteq": operator.le, "in": lambda a, b: a in b,
    "notin": lambda a, b: a not in b}
_ARITHMETIC: dict[str, Callable[[Any, Any], Any]] = {
    "+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv,
    "//": operator.floordiv, "%": operator.mod, "**": operator.pow}


@dataclass(frozen=True)
class Parsed:
    """An expression (or a loop's target and iterable: a For node) with the values of its
    string constants here, and the names it reads."""

    node: nodes.Node
    strings: dict[int, str]  # id of a string constant of node -> its value here
    names: frozenset[str]


@dataclass(frozen=True)
class Frame:
    """Where an expression is evaluated: the render's context and, inside loops, the names
    their targets and `loop` bind."""

    env: Sandbox
    context: Context
    local: dict[str, Any] | None = None  # None: outside every loop

    def resolve(self, name: str) -> Any:
        local = self.local
        if local is not None and name in local:
            return local[name]
        return self.context.resolve(name)


def parse(env: Sandbox, text: str, cache: dict[Any, Any], kind: str = "output"
          ) -> Parsed | None:
    """The expression of a `{{ }}` (kind "output"), of an `{% if %}` or `{% elif %}`
    ("test", parsed as they parse it: no inline if) or the header of a `{% for %}`
    ("for"), or None when it needs the compiler. `cache` keeps trees by shape, and what
    a text gives by the text (`{{ days | words }}` recurs across a library)."""
    exact = (kind, text, "")
    if exact not in cache:
        cache[exact] = _shaped(env, text, cache, kind)
    return cache[exact]  # type: ignore[no-any-return]


def _shaped(env: Sandbox, text: str, cache: dict[Any, Any], kind: str) -> Parsed | None:
    literals = None if "\\" in text else _LITERAL.findall(text)
    if literals and any("\n" in v for v in literals):
        literals = None  # a shape without it would move the lines of what follows
    shape = _LITERAL.sub("''", text) if literals else text
    key = (kind, shape)
    if key not in cache:
        node = _parse(env, shape, kind)
        cache[key] = node and (node, [c for c in (node, *node.find_all(nodes.Const))
                                      if isinstance(c, nodes.Const) and c.value == ""],
                               _names(node))
    if cache[key] is None:
        return None
    node, strings, names = cache[key]
    if not literals:
        return Parsed(node, {}, names)
    if len(strings) != len(literals):
        return None
    return Parsed(node, {id(c): v[1:-1] for c, v in zip(strings, literals, strict=True)},
                  names)


def _parse(env: Sandbox, text: str, kind: str) -> nodes.Node | None:
    source = {"output": "{{" + text + "}}", "test": "{% if " + text + " %}{% endif %}",
              "for": "{% for " + text + " %}{% endfor %}"}[kind]
    try:
        body = env.parse(source).body
    except jinja2.TemplateSyntaxError:
        return None  # the compiler reports it, with its line
    if len(body) != 1:
        return None
    statement = body[0]
    if kind == "output":
        if not isinstance(statement, nodes.Output) or len(statement.nodes) != 1:
            return None
        node = statement.nodes[0]
        if _constant(env, node) and not isinstance(node, nodes.Const):
            return None  # printed at compile time
        return node if _simple(env, node) else None
    if kind == "test":
        if not isinstance(statement, nodes.If) or statement.elif_ or statement.else_ or \
                statement.body:
            return None
        return statement.test if _simple(env, statement.test) else None
    if not isinstance(statement, nodes.For) or statement.test is not None or \
            statement.recursive or statement.body or statement.else_:
        return None
    if not _target(statement.target) or not _simple(env, statement.iter):
        return None
    return statement


def _target(node: nodes.Node) -> bool:
    """A name or a tuple of targets, none of them a name the compiled code provides."""
    if isinstance(node, nodes.Name):
        return node.ctx == "store" and node.name not in _SPECIAL | {"loop"}
    return isinstance(node, nodes.Tuple) and bool(node.items) and \
        all(_target(n) for n in node.items)


def _simple(env: Sandbox, node: nodes.Node) -> bool:
    for n in (node, *node.find_all(nodes.Node)):
        if not isinstance(n, _SIMPLE):
            return False
        if isinstance(n, nodes.Name) and (n.ctx != "load" or n.name in _SPECIAL):
            return False
        if isinstance(n, nodes.Tuple | nodes.Getattr | nodes.Getitem) and n.ctx != "load":
            return False
        if isinstance(n, nodes.Filter | nodes.Call | nodes.Test):
            keys = [k.key for k in n.kwargs]
            if n.dyn_args or n.dyn_kwargs or len(set(keys)) != len(keys) or \
                    _KEYWORDS_TAKEN.intersection(keys):
                return False
        if isinstance(n, nodes.Filter) and (n.name not in env.filters or _constant(env, n)):
            return False  # unknown: the compiler reports it; constant: folded there
        if isinstance(n, nodes.Test) and n.name not in env.tests:
            return False
        if isinstance(n, nodes.Concat) and _constant(env, n):
            return False
        if isinstance(n, nodes.UnaryExpr) and n.operator in env.intercepted_unops:
            return False
    return True


def _constant(env: Sandbox, node: nodes.Node) -> bool:
    """Whether Jinja's optimizer may fold it while compiling: nothing in it is a name, a
    call or an operator the sandbox intercepts."""
    return not any(isinstance(n, nodes.Name | nodes.Call) or
                   (isinstance(n, nodes.BinExpr) and n.operator in env.intercepted_binops)
                   for n in (node, *node.find_all(nodes.Node)))


def _names(node: nodes.Node) -> frozenset[str]:
    return frozenset(n.name for n in (node, *node.find_all(nodes.Name))
                     if isinstance(n, nodes.Name) and n.ctx == "load")


def evaluate(node: nodes.Node, frame: Frame, strings: dict[int, str]) -> Any:
    """The value the compiled code computes for node."""
    return _EVALUATE[type(node)](node, frame, strings)


def _const(node: nodes.Const, frame: Frame, strings: dict[int, str]) -> Any:
    return strings.get(id(node), node.value)


def _name(node: nodes.Name, frame: Frame, strings: dict[int, str]) -> Any:
    return frame.resolve(node.name)


def _getattr(node: nodes.Getattr, frame: Frame, strings: dict[int, str]) -> Any:
    return frame.env.getattr(evaluate(node.node, frame, strings), node.attr)


def _getitem(node: nodes.Getitem, frame: Frame, strings: dict[int, str]) -> Any:
    value = evaluate(node.node, frame, strings)
    if isinstance(node.arg, nodes.Slice):  # the compiled code slices in Python
        return value[evaluate(node.arg, frame, strings)]
    return frame.env.getitem(value, evaluate(node.arg, frame, strings))


def _slice(node: nodes.Slice, frame: Frame, strings: dict[int, str]) -> slice:
    return slice(*(None if n is None else evaluate(n, frame, strings)
                   for n in (node.start, node.stop, node.step)))


def _tuple(node: nodes.Tuple, frame: Frame, strings: dict[int, str]) -> tuple[Any, ...]:
    return tuple(evaluate(n, frame, strings) for n in node.items)


def _list(node: nodes.List, frame: Frame, strings: dict[int, str]) -> list[Any]:
    return [evaluate(n, frame, strings) for n in node.items]


def _compare(node: nodes.Compare, frame: Frame, strings: dict[int, str]) -> Any:
    left = evaluate(node.expr, frame, strings)  # a chain, as Python runs `a < b < c`
    for n, op in enumerate(node.ops, 1):
        right = evaluate(op.expr, frame, strings)
        result = _COMPARE[op.op](left, right)
        if n == len(node.ops) or not result:
            return result
        left = right
    raise AssertionError("a comparison without operators")


def _and(node: nodes.And, frame: Frame, strings: dict[int, str]) -> Any:
    return evaluate(node.left, frame, strings) and evaluate(node.right, frame, strings)


def _or(node: nodes.Or, frame: Frame, strings: dict[int, str]) -> Any:
    return evaluate(node.left, frame, strings) or evaluate(node.right, frame, strings)


def _not(node: nodes.Not, frame: Frame, strings: dict[int, str]) -> Any:
    return not evaluate(node.node, frame, strings)


def _neg(node: nodes.Neg, frame: Frame, strings: dict[int, str]) -> Any:
    return -evaluate(node.node, frame, strings)


def _pos(node: nodes.Pos, frame: Frame, strings: dict[int, str]) -> Any:
    return +evaluate(node.node, frame, strings)


def _binary(node: nodes.BinExpr, frame: Frame, strings: dict[int, str]) -> Any:
    left = evaluate(node.left, frame, strings)
    right = evaluate(node.right, frame, strings)
    if node.operator in frame.env.intercepted_binops:
        return frame.env.call_binop(frame.context, node.operator, left, right)
    return _ARITHMETIC[node.operator](left, right)


def _concat(node: nodes.Concat, frame: Frame, strings: dict[int, str]) -> str:
    return frame.env.budget_concat(tuple(evaluate(n, frame, strings) for n in node.nodes),
                                   False)


def _arguments(node: nodes.Call | nodes.Filter | nodes.Test, frame: Frame,
               strings: dict[int, str]) -> tuple[list[Any], dict[str, Any]]:
    return ([evaluate(a, frame, strings) for a in node.args],
            {k.key: evaluate(k.value, frame, strings) for k in node.kwargs})


def _filter(node: nodes.Filter, frame: Frame, strings: dict[int, str]) -> Any:
    value = evaluate(node.node, frame, strings)  # the compiled code evaluates it first
    args, kwargs = _arguments(node, frame, strings)
    return frame.env.call_filter(node.name, value, args, kwargs, context=frame.context)


def _test(node: nodes.Test, frame: Frame, strings: dict[int, str]) -> Any:
    value = evaluate(node.node, frame, strings)
    args, kwargs = _arguments(node, frame, strings)
    return frame.env.call_test(node.name, value, args, kwargs, frame.context)


def _call(node: nodes.Call, frame: Frame, strings: dict[int, str]) -> Any:
    function = evaluate(node.node, frame, strings)  # then its arguments, as compiled
    args, kwargs = _arguments(node, frame, strings)
    if frame.local is not None:  # what the compiled code passes inside a loop
        kwargs["_loop_vars"] = {}
    return frame.env.call(frame.context, function, *args, **kwargs)


_EVALUATE: dict[type, Callable[[Any, Frame, dict[int, str]], Any]] = {
    nodes.Const: _const, nodes.Name: _name, nodes.Getattr: _getattr,
    nodes.Getitem: _getitem, nodes.Slice: _slice, nodes.Tuple: _tuple, nodes.List: _list,
    nodes.Compare: _compare, nodes.And: _and, nodes.Or: _or, nodes.Not: _not,
    nodes.Neg: _neg, nodes.Pos: _pos, nodes.Concat: _concat, nodes.Filter: _filter,
    nodes.Test: _test, nodes.Call: _call,
    **dict.fromkeys((nodes.Add, nodes.Sub, nodes.Mul, nodes.Div, nodes.FloorDiv, nodes.Mod,
                     nodes.Pow), _binary)}
