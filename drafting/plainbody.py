"""Clause bodies that are text with `{{ expression }}` outputs, `{% if %}` choices and
`{% for %}` loops, rendered without Jinja's compiler.

Compiling a body costs about a millisecond (parse, generate Python, compile it), which
is most of a first build of a large library, although most bodies hold no statements, or
only choices between texts and short loops. Such a body is split on its tags, each
expression parsed once per shape (drafting.plainexpr) and run as the compiled code runs
it: a loop iterates environment.budget_iter through environment.call (each item a step),
in a LoopContext when its body reads `loop`, its targets unpacked by Python; the output
goes through environment.concat as it is made, so that it is refused where the compiled
code's is, and every error names the line the compiled code's traceback names. Anything
else (another statement, a loop with a filter or `recursive`, a comment, whitespace
control, an expression outside plainexpr's subset) returns None, and the body is
compiled as before.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from jinja2 import nodes
from jinja2.runtime import LoopContext, new_context

from .plainexpr import Frame, Parsed, evaluate, parse
from .sandbox import BudgetExceeded, Sandbox

_TAG = re.compile(r"\{\{(.*?)\}\}|\{%(.*?)%\}", re.S)
_STATEMENT = re.compile(r"(\s*)(if|elif|else|endif|for|endfor)\b(.*)", re.S)
_NEWLINES = re.compile(r"\r\n|\r")  # Jinja reads each as "\n" before anything else


@dataclass(slots=True)
class _Text:
    text: str
    line: int  # the line the compiled code's debug info gives where it outputs this


@dataclass(slots=True)
class _Output:
    """An expression and the line the compiled code evaluates it at."""

    parsed: Parsed
    line: int

    def value(self, frame: Frame, filename: str, convert: Callable[[Any], Any]) -> Any:
        """convert(its value), an error located at its line."""
        try:
            return convert(evaluate(self.parsed.node, frame, self.parsed.strings))
        except Exception as e:
            _locate(e, filename, self.line)
            raise


@dataclass(slots=True)
class _If:
    """`{% if %}` with its `{% elif %}`s and `{% else %}`: (test, parts) in order, the
    else branch with the test None."""

    branches: tuple[tuple[_Output | None, tuple[_Part, ...]], ...]


@dataclass(slots=True)
class _For:
    """`{% for %}`: its iterable (evaluated at the `for` line) and its target."""

    header: _Output
    target: nodes.Node
    body: tuple[_Part, ...]
    else_: tuple[_Part, ...]
    extended: bool  # the body reads `loop`: iterate in a LoopContext, as compiled


_Part = _Text | _Output | _If | _For


@dataclass(slots=True)
class PlainBody:
    """Text, outputs, choices and loops in order."""

    parts: tuple[_Part, ...]
    filename: str

    def names(self) -> set[str]:
        """The names it reads from its context (what jinja2.meta finds, with the
        environment's globals)."""
        found: set[str] = set()
        _read(self.parts, frozenset(), found)
        return found

    def render(self, env: Sandbox, values: dict[str, Any]) -> str:
        context = new_context(env, self.filename, {}, values, False, env.globals)
        chunks = self._chunks(self.parts, Frame(env, context))
        try:
            return env.concat(chunks)
        except BudgetExceeded as e:
            if e.where is None and chunks.gi_frame is not None:  # refused by concat
                e.where = (self.filename, _suspended_at(chunks))
            raise

    def _chunks(self, parts: tuple[_Part, ...], frame: Frame) -> Iterator[str]:
        # `piece`: the part being output, read by _suspended_at
        for piece in parts:
            if type(piece) is _Text:
                yield piece.text
            elif type(piece) is _Output:
                yield piece.value(frame, self.filename, frame.env.printed)
            elif type(piece) is _If:
                for test, body in piece.branches:
                    if test is None or test.value(frame, self.filename, bool):
                        yield from self._chunks(body, frame)
                        break
            else:
                yield from self._loop(piece, frame)  # type: ignore[arg-type]

    def _loop(self, statement: _For, frame: Frame) -> Iterator[str]:
        env, filename, line = frame.env, self.filename, statement.header.line
        loop_vars = {} if frame.local is None else {"_loop_vars": {}}
        iterable = statement.header.value(frame, filename, _itself)
        try:
            items = env.call(frame.context, env.budget_iter, iterable, **loop_vars)
            if statement.extended:
                items = LoopContext(items, env.undefined)
        except Exception as e:
            _locate(e, filename, line)
            raise
        inner = Frame(env, frame.context, dict(frame.local or ()))
        local = inner.local
        assert local is not None
        target, body, printed = statement.target, statement.body, env.printed
        name = target.name if isinstance(target, nodes.Name) else None
        flat = all(type(p) is _Text or type(p) is _Output for p in body)  # no generator
        empty = True  # for each iteration, as the compiled code has none
        items = iter(items)
        while True:
            try:
                item = next(items)
                if statement.extended:
                    item, local["loop"] = item
                if name is None:
                    _bind(target, item, local)
                else:
                    local[name] = item
            except StopIteration:
                break
            except Exception as e:
                _locate(e, filename, line)
                raise
            empty = False
            if flat:
                for piece in body:
                    yield piece.text if type(piece) is _Text else \
                        piece.value(inner, filename, printed)  # type: ignore[union-attr]
            else:
                yield from self._chunks(body, inner)
        if empty and statement.else_:
            yield from self._chunks(statement.else_, frame)


def _itself(value: Any) -> Any:
    return value


def _bind(target: nodes.Node, value: Any, local: dict[str, Any]) -> None:
    """Assign value to a loop's target as the compiled `for` statement does."""
    if isinstance(target, nodes.Name):
        local[target.name] = value
        return
    for sub, item in zip(target.items, _unpacker(len(target.items))(value), strict=True):
        _bind(sub, item, local)


@functools.cache
def _unpacker(n: int) -> Callable[[Any], tuple[Any, ...]]:
    """Python's own unpacking into n targets, so that a wrong count fails with Python's
    own error, as in the compiled `for (a, b) in ...`."""
    names = ", ".join(f"v{i}" for i in range(n))
    scope: dict[str, Any] = {}
    exec(f"def unpack(value):\n    {names}, = value\n    return {names},", scope)
    return scope["unpack"]  # type: ignore[no-any-return]


def _suspended_at(chunks: Iterator[str]) -> int:
    """The line of the chunk a suspended _chunks generator handed out last."""
    gen: Any = chunks
    while gen.gi_yieldfrom is not None:
        gen = gen.gi_yieldfrom
    piece = gen.gi_frame.f_locals["piece"]
    return piece.line  # type: ignore[no-any-return]


def _read(parts: tuple[_Part, ...], bound: frozenset[str], found: set[str]) -> None:
    for part in parts:
        if isinstance(part, _Output):
            found |= part.parsed.names - bound
        elif isinstance(part, _If):
            for test, body in part.branches:
                if test is not None:
                    found |= test.parsed.names - bound
                _read(body, bound, found)
        elif isinstance(part, _For):
            found |= part.header.parsed.names - bound
            targets = {n.name for n in (part.target, *part.target.find_all(nodes.Name))
                       if isinstance(n, nodes.Name)}
            _read(part.body, bound | targets | {"loop"}, found)
            _read(part.else_, bound, found)


def _reads_loop(parts: list[_Part]) -> bool:
    """Whether `loop` is read anywhere in these parts (nested loops included)."""
    for part in parts:
        if isinstance(part, _Output) and "loop" in part.parsed.names:
            return True
        if isinstance(part, _If) and any(
                (test is not None and "loop" in test.parsed.names) or _reads_loop(list(body))
                for test, body in part.branches):
            return True
        if isinstance(part, _For) and ("loop" in part.header.parsed.names or
                                       _reads_loop([*part.body, *part.else_])):
            return True
    return False


@dataclass
class _Open:
    """A statement open at this point of the body: the parts before it, its branches so
    far (an if's tests, or a for's header then None for its else) and the parts of the
    branch being read."""

    keyword: str
    before: list[_Part]
    branches: list[tuple[_Output | None, tuple[_Part, ...]]]
    target: nodes.Node | None  # a for's


def plain_body(env: Sandbox, source: str, filename: str, first_line: int,
               expressions: dict[Any, Any]) -> PlainBody | None:
    """The body split into text, outputs, choices and loops, or None when it needs the
    compiler. `expressions` caches parsed expressions by their shape."""
    if "{#" in source or env.autoescape is not False:
        return None
    source = _NEWLINES.sub("\n", source)
    # the compiled body is padded with newlines to put it at its lines: print them too
    parts: list[_Part] = [_Text("\n" * (first_line - 1), 1)] if first_line > 1 else []
    opened: list[_Open] = []
    pos, line = 0, first_line  # line: where source[pos] is
    mapped = 1  # the template line of the compiled code's last debug mapping so far
    for m in _TAG.finditer(source):
        output = m.group(1) is not None
        text = m.group(1) if output else m.group(2)
        if "{" in text or "}" in text or text[:1] in "-+" or text[-1:] in "-+":
            return None
        if m.start() > pos:
            parts.append(_Text(source[pos:m.start()], mapped))
            if "{{" in parts[-1].text or "{%" in parts[-1].text:
                return None  # a tag the compiler reports
        at = line + source.count("\n", pos, m.start())  # the tag's first line
        pos, line = m.end(), at + m.group(0).count("\n")
        if output:
            found = parse(env, text, expressions)
            if found is None or ("loop" in found.names and not _in_loop(opened)):
                return None
            if isinstance(found.node, nodes.Const):  # printed while compiling
                value = found.strings.get(id(found.node), found.node.value)
                parts.append(_Text(env.printed(value), mapped))
                continue
            mapped = at + found.node.lineno - 1
            parts.append(_Output(found, mapped))
            continue
        statement = _STATEMENT.fullmatch(text)
        if statement is None:
            return None
        space, keyword, rest = statement.groups()
        header, target = None, None
        if keyword in ("if", "elif", "for"):
            found = parse(env, rest, expressions, "for" if keyword == "for" else "test")
            if found is None or ("loop" in found.names and not _in_loop(opened)):
                return None
            # Jinja's line of an if or for: its keyword's; of an elif: its test's first token's
            ahead = space + (keyword + rest[:len(rest) - len(rest.lstrip())]
                             if keyword == "elif" else "")
            mapped = at + ahead.count("\n")
            header = _Output(found if keyword != "for" else Parsed(
                found.node.iter, found.strings, found.names), mapped)  # type: ignore[attr-defined]
            target = found.node.target if keyword == "for" else None  # type: ignore[attr-defined]
        elif rest.strip():
            return None
        if keyword in ("if", "for"):
            opened.append(_Open(keyword, parts, [(header, ())], target))
            parts = []
            continue
        top = opened[-1] if opened else None
        if top is None or (keyword in ("endif", "elif") and top.keyword != "if") or \
                (keyword == "endfor" and top.keyword != "for") or \
                (keyword in ("elif", "else") and top.branches[-1][0] is None):
            return None  # nothing open to close, or an elif or else after its else
        top.branches[-1] = (top.branches[-1][0], tuple(parts))
        parts = []
        if keyword in ("elif", "else"):
            top.branches.append((header, ()))
            continue
        opened.pop()
        parts = top.before
        if keyword == "endif":
            parts.append(_If(tuple(top.branches)))
        else:
            (loop_header, body), *rest_branches = top.branches
            assert loop_header is not None and top.target is not None
            parts.append(_For(loop_header, top.target, body,
                              rest_branches[0][1] if rest_branches else (),
                              _reads_loop(list(body))))
    if opened:
        return None
    rest = source[pos:]
    if "{{" in rest or "{%" in rest:
        return None
    if rest:
        parts.append(_Text(rest, mapped))
    return PlainBody(tuple(parts), filename)


def _in_loop(opened: list[_Open]) -> bool:
    """Whether `loop` names a loop here: inside the body (not the else) of an open for."""
    return any(o.keyword == "for" and o.branches[-1][0] is not None for o in opened)


def _locate(e: BaseException, filename: str, line: int) -> None:
    """Give an error raised here the line the compiled code's traceback would name, unless
    its traceback already runs through a compiled template (its line wins)."""
    if getattr(e, "where", None) is None and not _in_template(e):
        e.where = (filename, line)  # type: ignore[attr-defined]


def _in_template(e: BaseException) -> bool:
    tb = e.__traceback__
    while tb is not None:
        names = tb.tb_frame.f_globals  # compiled code, or the frame Jinja rewrites it to
        if "debug_info" in names or "__jinja_exception__" in names:
            return True
        tb = tb.tb_next
    return False
