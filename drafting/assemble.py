"""Render an agreement's template in Jinja's sandbox and turn the text into a Document.

Three passes, because numbers and references can only be known once the whole draft
exists: (1) render, with clause() leaving markers around each included clause and ref()
leaving placeholders; (2) read the rendered lines into blocks with ids; (3) number the
blocks and replace each placeholder by its target's label.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
import secrets
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import meta
from jinja2.loaders import split_template_path

from . import usercache, wording
from .errors import DraftingError
from .library import Clause, Library, Param
from .model import (
    ARTICLE_LEVEL,
    HEADING,
    ITEM,
    NUMBERED,
    PARAGRAPH,
    PART_LEVEL,
    UNNUMBERED,
    Block,
    Document,
    Ref,
)
from .names import did_you_mean
from .plainbody import plain_body
from .sandbox import Sandbox
from .sourcefile import decode_text, read_source
from .workspace import Agreement, Position, Workspace

TEMPLATE_SUFFIX = ".md.j2"
MAX_TEMPLATE_BYTES = 1_000_000
# Markers framing clauses and references in the rendered text: a private-use character
# (not whitespace to str.strip()) around a random key, so that no value, whatever it
# contains, can pass for one: a value is always text.
_MARK = "\ue000"
# "{: #name}", "{: #name -}" or "{-}" ends a block: kramdown's attribute syntax, since
# pandoc's "{#name}" would open a Jinja comment.
_ATTRS = re.compile(r"\s*\{(?::\s*(?:#(?P<name>[A-Za-z0-9][A-Za-z0-9_.-]*))?\s*(?P<flag>-)?"
                    r"|(?P<bare>-))\s*\}\s*$")


class _RecordingLoader(jinja2.BaseLoader):
    """Loads templates/ (never through a link, never outside it) and remembers the hash of
    each file it served, for the revision's provenance."""

    def __init__(self, ws: Workspace):
        self.ws = ws
        self.loaded: dict[Path, str] = {}  # path -> sha256 of the bytes served

    def get_source(self, environment, template):  # type: ignore[no-untyped-def]
        parts = ("templates", *split_template_path(template))
        try:
            raw = read_source(self.ws.root, parts, MAX_TEMPLATE_BYTES)
        except FileNotFoundError:
            raise jinja2.TemplateNotFound(template) from None
        path = self.ws.root.joinpath(*parts)
        source = decode_text(raw, path)
        self.loaded[path] = hashlib.sha256(raw).hexdigest()
        return source, str(path), lambda: True


class _CallError(Exception):
    """Raised inside a template call; turned into an error naming the template line."""


@dataclass
class _Inclusion:
    clause: Clause
    values: dict[str, Any]


@dataclass
class _RawBlock:
    kind: str
    level: int  # heading: 1 or 2; paragraph: NUMBERED, or ITEM for "- " lines
    text: str
    owner: int  # 0 = the template, n = the n-th clause inclusion
    name: str | None = None
    unnumbered: bool = False


@dataclass
class Assembly:
    document: Document
    sources: dict[str, str]  # workspace-relative path -> sha256 of every file used
    clauses: dict[str, int] = field(default_factory=dict)  # clause id -> edition used
    positions: dict[str, Any] = field(default_factory=dict)  # see Assembler.positions
    # errors met on the way when assembling to check (collect=True); the draft is unusable
    problems: tuple[DraftingError, ...] = ()


def bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates, in the user's cache folder: rebuilding a large library then
    skips Jinja's compiler."""
    folder = usercache.cache_folder("jinja")
    if folder is None:
        return None
    # The pattern names the compiler: code compiled before the sandbox counted loops and
    # sized `~` must not be loaded.
    return jinja2.FileSystemBytecodeCache(str(folder), pattern="budget-1-%s.cache")


def template_path(ws: Workspace, name: str) -> Path:
    return ws.templates_dir / f"{name}{TEMPLATE_SUFFIX}"


def sandbox(loader: jinja2.BaseLoader | None = None,
            cache: jinja2.BytecodeCache | None = None) -> Sandbox:
    """The environment templates and clause bodies run in, with our filters (guarded)."""
    env = Sandbox(loader=loader, undefined=jinja2.StrictUndefined, autoescape=False,
                  keep_trailing_newline=True, bytecode_cache=cache)
    env.filters.update(words=wording.words, longdate=wording.longdate,
                       series=wording.series, roman=wording.roman)
    env.guard_filters()
    return env


class Assembler:
    """collect=False (building): the first error stops assembly. collect=True (checking):
    errors that leave a readable draft (bad position values, unknown ref() targets,
    duplicate ids) are collected in Assembly.problems and assembly goes on, so that the
    checks of the text still run."""

    def __init__(self, ws: Workspace, library: Library, agreement: Agreement,
                 position: Position, collect: bool = False):
        self.ws, self.library, self.agreement, self.position = ws, library, agreement, position
        self.collect = collect
        self.problems: list[DraftingError] = []
        self.loader = _RecordingLoader(ws)
        self.env = sandbox(self.loader, bytecode_cache())
        self.env.globals.update(clause=self.clause, ref=self.ref)
        key = secrets.token_hex(8)
        self.mark = f"{_MARK}{key}"
        self.marker = re.compile(f"{_MARK}{key}([CER])(\\d*){_MARK}")
        self.inclusions: list[_Inclusion | None] = [None]  # index 0 is the template itself
        self.refs: list[tuple[str, int]] = []  # (target as written, owner)
        self.stack = [0]
        self.compiled: dict[str, jinja2.Template] = {}
        self.bodies: dict[str, Callable[[dict[str, Any]], str]] = {}
        self.expressions: dict[str, Any] = {}  # plain `{{ }}` expressions, parsed once

    # -- functions templates call -------------------------------------------------------

    def clause(self, clause_id: str, **kwargs: Any) -> str:
        """Include a clause: check its arguments, render its body, frame it with markers."""
        if not isinstance(clause_id, str):
            raise _CallError(f"clause(): the clause id must be text, got {clause_id!r}")
        try:
            clause = self.library.get(clause_id)
        except KeyError as e:
            raise _CallError(e.args[0]) from None
        from_position = {name: value if self._position_value_ok(clause, name, value)
                         else _stand_in(clause.params.get(name))
                         for name, value in self.position.clauses.get(clause_id, {}).items()}
        from_position = {k: v for k, v in from_position.items() if v is not _SKIP}
        try:
            values = clause.bind({**kwargs, **from_position})
        except ValueError as e:
            raise _CallError(f"clause '{clause_id}': {e}") from None
        index = len(self.inclusions)
        self.inclusions.append(_Inclusion(clause, values))
        self.stack.append(index)
        try:
            body = self._body(clause)(values)
        finally:
            self.stack.pop()
        return f"\n{self.mark}C{index}{_MARK}\n{body}\n{self.mark}E{_MARK}\n"

    def ref(self, target: str) -> str:
        if not isinstance(target, str) or not target:
            raise _CallError(f"ref(): expected a block id, got {target!r}")
        self.refs.append((target, self.stack[-1]))
        return f"{self.mark}R{len(self.refs) - 1}{_MARK}"

    def _position_value_ok(self, clause: Clause, name: str, value: Any) -> bool:
        problem = clause.value_problem(name, value)
        if problem:
            self._problem(DraftingError(problem, *self.position.origin("clauses", clause.id,
                                                                        name)))
        return problem is None

    def _problem(self, error: DraftingError) -> None:
        if not self.collect:
            raise error
        self.problems.append(error)

    def _body(self, clause: Clause) -> Callable[[dict[str, Any]], str]:
        """The function rendering a clause body: without the compiler when it is text with
        plain `{{ }}` outputs (most are), else its compiled template."""
        if clause.id not in self.bodies:
            plain = plain_body(self.env, clause.body, str(clause.path), clause.body_line,
                               self.expressions)
            self.bodies[clause.id] = functools.partial(plain.render, self.env) if plain \
                else self._compiled(clause).render
        return self.bodies[clause.id]

    def _compiled(self, clause: Clause) -> jinja2.Template:
        if clause.id not in self.compiled:
            # Pad with newlines so that Jinja's line numbers are the file's line numbers.
            source = "\n" * (clause.body_line - 1) + clause.body
            name, filename = f"clause {clause.id}", str(clause.path)
            cache = self.env.bytecode_cache
            bucket = cache.get_bucket(self.env, name, filename, source) if cache else None
            code = bucket.code if bucket else None
            if code is None:
                try:
                    code = self.env.compile(source, name=name, filename=filename)
                except jinja2.TemplateSyntaxError as e:
                    raise DraftingError(f"template syntax: {e.message}", clause.path,
                                        e.lineno) from None
                if cache and bucket:
                    bucket.code = code
                    cache.set_bucket(bucket)
            self.compiled[clause.id] = self.env.template_class.from_code(
                self.env, code, self.env.make_globals(None))
        return self.compiled[clause.id]

    # -- the three passes ---------------------------------------------------------------

    def render(self) -> str:
        name = self.agreement.template + TEMPLATE_SUFFIX
        context = {
            **self.position.vars,
            "side": {"key": self.position.side,
                     "name": self.agreement.side_name(self.position.side)},
            "sides": [{"key": k, "name": v} for k, v in self.agreement.sides.items()],
            "agreement": {"name": self.agreement.name, "title": self.agreement.title},
        }
        return self._rendered(lambda: functools.partial(self._root(name), context), name)

    def _rendered(self, prepare: Callable[[], Callable[[], str]], name: str) -> str:
        """Run what prepare() returns inside the sandbox's budget; every failure becomes a
        DraftingError naming the template or clause line."""
        try:
            run = prepare()
            with self.env.rendering():
                return run()
        except DraftingError:
            raise
        except jinja2.TemplateNotFound as e:
            where = _template_frame(e)
            if where is None:
                raise DraftingError(f"template '{name}' not found in "
                                    f"{self.ws.relative(self.ws.templates_dir)}/",
                                    self.agreement.path) from None
            raise DraftingError(f"template '{e.name}' not found", *where) from None
        except jinja2.TemplateSyntaxError as e:
            raise DraftingError(f"template syntax: {e.message}", e.filename or name,
                                e.lineno) from None
        except RecursionError:
            raise DraftingError("templates or clauses include each other without end",
                                self.agreement.path) from None
        except MemoryError:
            raise DraftingError("refused by the sandbox: out of memory while rendering",
                                name) from None
        except Exception as e:  # errors raised while rendering, located by template frame
            where = getattr(e, "where", None) or _template_frame(e) or (name, None)
            raise DraftingError(_describe(e), *where) from None

    def _root(self, name: str) -> Callable[[dict[str, Any]], str]:
        """The function rendering the agreement's template: plain, like a clause body,
        when it has no statements."""
        source, filename, _ = self.loader.get_source(self.env, name)
        plain = plain_body(self.env, source, filename, 1, self.expressions)
        return functools.partial(plain.render, self.env) if plain \
            else self.env.get_template(name).render

    def assemble(self) -> Assembly:
        raw = self._read_blocks(self.render())
        blocks = self._number(raw)
        document = Document(title=self.agreement.title, blocks=tuple(blocks))
        return Assembly(document=document, sources=self._sources(),
                        clauses={inc.clause.id: inc.clause.edition
                                 for inc in self.inclusions[1:] if inc},
                        positions=self.positions(),
                        problems=tuple(self.problems))

    def positions(self) -> dict[str, Any]:
        """What the side put on the table, as the draft used it: each template variable and
        every parameter of every included clause (position file, template argument or
        default), typed, so that two revisions' positions compare without reading text.
        A clause included twice is keyed 'id:2' for its second inclusion."""
        params: dict[str, dict[str, Any]] = {}
        for inclusion in self.inclusions[1:]:
            if inclusion is None:
                continue
            key, n = inclusion.clause.id, 1
            while key in params:
                n += 1
                key = f"{inclusion.clause.id}:{n}"
            params[key] = {
                name: {"type": param.type, "value": _plain(inclusion.values.get(name)),
                       "description": param.description}
                for name, param in inclusion.clause.params.items()}
        variables = {name: {"type": _type_of(value), "value": _plain(value)}
                     for name, value in sorted(self.position.vars.items())}
        return {"vars": variables, "params": params}

    def render_clause(self, clause_id: str, values: dict[str, Any],
                      labels: dict[str, str]) -> list[tuple[str, str]]:
        """One clause alone, rendered as assembly renders it (the same sandbox and body
        functions, under a budget of its own) with these parameter values: the (block id,
        text) of each of its blocks. References read as `labels` gives them (block id ->
        the label ref() printed); one to a block missing there reads "Article ??".
        Used to ask whether other values of a clause's parameters give a text we got."""
        clause = self.library.get(clause_id)
        self.inclusions, self.refs, self.stack, self.problems = [None], [], [0], []
        self.env.budget.restart()
        text = self._rendered(lambda: functools.partial(self.clause, clause_id, **values),
                              str(clause.path))
        raw = self._read_blocks(text)
        ids = self._assign_ids(raw)
        return [(block_id, self._resolve_refs(rb, labels)[0])
                for rb, block_id in zip(raw, ids, strict=True)]

    def _read_blocks(self, text: str) -> list[_RawBlock]:
        blocks: list[_RawBlock] = []
        owners = [0]
        current: _RawBlock | None = None
        lines: list[str] = []  # the current block's, joined when it ends (a long
        # paragraph of many lines is not copied once a line)

        def finish() -> None:
            nonlocal current
            if current is not None:
                current.text = " ".join(lines)
                # the attribute list ends the block: it starts at its last "{" (a search
                # from every blank of a long run of them would cost its square)
                start = current.text.rfind("{")
                m = _ATTRS.match(current.text, start) if start >= 0 else None
                if m and (m.group("name") or m.group("flag") or m.group("bare")):
                    current.text = current.text[: m.start()]
                    current.name = m.group("name")
                    current.unnumbered = bool(m.group("flag") or m.group("bare"))
                current.text = " ".join(current.text.split())
                if current.text:
                    blocks.append(current)
                current = None
            lines.clear()

        def start(block: _RawBlock) -> None:
            nonlocal current
            current = block
            lines.append(block.text)

        opened = 0
        for line in text.split("\n"):
            stripped = line.strip()
            marker = self.marker.fullmatch(stripped)
            if marker and marker.group(1) != "R":
                finish()
                if marker.group(1) == "C" and int(marker.group(2) or 0) == opened + 1:
                    opened += 1
                    owners.append(opened)
                elif marker.group(1) == "E" and len(owners) > 1:
                    owners.pop()
                else:
                    raise self._owner_error(owners[-1], "the text of a clause() was cut, "
                                            "copied or reordered: print it as it is")
                continue
            if not stripped:
                finish()
            elif stripped.startswith("#"):
                finish()
                hashes = len(stripped) - len(stripped.lstrip("#"))
                if hashes > 2 or not stripped[hashes:hashes + 1].isspace():
                    raise self._owner_error(
                        owners[-1], f"unsupported heading {stripped[:30]!r}: use '# ' for a "
                        "Part and '## ' for an Article")
                start(_RawBlock(HEADING, hashes, stripped[hashes:], owners[-1]))
                finish()
            elif stripped.startswith("- "):
                finish()
                start(_RawBlock(PARAGRAPH, ITEM, stripped[2:], owners[-1]))
            elif current is None:
                start(_RawBlock(PARAGRAPH, NUMBERED, stripped, owners[-1]))
            else:
                lines.append(stripped)
        finish()
        return blocks

    def _owner_error(self, owner: int, message: str) -> DraftingError:
        inclusion = self.inclusions[owner]
        if inclusion is None:
            return DraftingError(message, template_path(self.ws, self.agreement.template))
        return DraftingError(message, inclusion.clause.path)

    def _number(self, raw: list[_RawBlock]) -> list[Block]:
        ids = self._assign_ids(raw)
        numbered = _number_blocks(raw)
        by_id = {i: ref for i, (_, ref, _) in zip(ids, numbered, strict=True)}
        blocks = []
        for rb, block_id, (label, _, level) in zip(raw, ids, numbered, strict=True):
            text, refs = self._resolve_refs(rb, by_id)
            inclusion = self.inclusions[rb.owner]
            blocks.append(Block(
                kind=rb.kind, level=level, id=block_id, label=label, text=text,
                clause=inclusion.clause.id if inclusion else None,
                edition=inclusion.clause.edition if inclusion else None, refs=refs))
        return blocks

    def _assign_ids(self, raw: list[_RawBlock]) -> list[str]:
        ids: list[str] = []
        seen: set[str] = set()
        counters: dict[int, int] = {}
        headed: set[int] = set()
        owner_names: dict[int, str] = {}
        taken: set[str] = set()  # owner_names' values
        for rb in raw:
            if rb.owner not in owner_names:
                inclusion = self.inclusions[rb.owner]
                base = inclusion.clause.id if inclusion else self.agreement.template
                name, n = base, 1
                while name in taken:
                    n += 1
                    name = f"{base}:{n}"
                owner_names[rb.owner] = name
                taken.add(name)
            owner = owner_names[rb.owner]
            if rb.name:
                block_id = f"{owner}#{rb.name}"
            elif rb.kind == HEADING and rb.owner not in headed and rb.owner != 0:
                block_id = owner
            elif rb.kind == HEADING and rb.owner == 0:
                block_id = f"{owner}#{_slug(self.marker.sub('', rb.text))}"
            else:
                counters[rb.owner] = counters.get(rb.owner, 0) + 1
                prefix = "h" if rb.kind == HEADING else "p"
                block_id = f"{owner}#{prefix}{counters[rb.owner]}"
            if rb.kind == HEADING:
                headed.add(rb.owner)
            if block_id in seen:
                self._problem(self._owner_error(rb.owner, f"two blocks have the id '{block_id}'"))
                block_id = f"{block_id}:{len(ids)}"
            seen.add(block_id)
            ids.append(block_id)
        return ids

    def _resolve_refs(self, rb: _RawBlock, labels: dict[str, str]) -> tuple[str, tuple[Ref, ...]]:
        if self.mark not in rb.text:
            return rb.text, ()
        out: list[str] = []
        refs: list[Ref] = []
        pos = 0
        length = 0
        for m in self.marker.finditer(rb.text):
            if m.group(1) != "R" or int(m.group(2) or -1) >= len(self.refs):
                raise self._owner_error(rb.owner, "the text of a clause() or ref() was cut "
                                        "or altered: print it as it is")
            out.append(rb.text[pos : m.start()])
            length += m.start() - pos
            pos = m.end()
            target, owner = self.refs[int(m.group(2))]
            block_id = self._target_id(target, owner)
            label = labels.get(block_id) or "Article ??"
            if block_id not in labels:
                self._problem(self._ref_error(target, owner, labels))
            elif not labels[block_id]:
                self._problem(self._owner_error(owner, f"ref('{target}'): that block has no "
                                                "number"))
            refs.append(Ref(length, length + len(label), block_id))
            out.append(label)
            length += len(label)
        out.append(rb.text[pos:])
        return "".join(out), tuple(refs)

    def _target_id(self, target: str, owner: int) -> str:
        if target.startswith("#"):
            inclusion = self.inclusions[owner]
            base = inclusion.clause.id if inclusion else self.agreement.template
            return base + target
        return target

    def _ref_error(self, target: str, owner: int, labels: dict[str, str]) -> DraftingError:
        hint = did_you_mean(self._target_id(target, owner), labels)
        inclusion = self.inclusions[owner]
        path = inclusion.clause.path if inclusion else template_path(
            self.ws, self.agreement.template)
        line = _find_line(path, f'"{target}"') or _find_line(path, f"'{target}'")
        return DraftingError(f"ref('{target}'): no block with that id in this draft{hint}",
                             path, line)

    def _sources(self) -> dict[str, str]:
        files = {self.agreement.path: self.agreement.sha256}
        if self.position.path is not None:
            files[self.position.path] = self.position.sha256
        files.update(self.loader.loaded)
        for inclusion in self.inclusions[1:]:
            if inclusion:
                files[inclusion.clause.path] = inclusion.clause.sha256
        return dict(sorted((self.ws.relative(p), h) for p, h in files.items()))


def _number_blocks(raw: list[_RawBlock]) -> list[tuple[str, str, int]]:
    """For each block: its label as printed ("Article 3", "3.2", "3.2(a)"), as ref() gives
    it ("Article 3", "Article 3.2", "Article 3.2(a)"), and its level. Paragraphs of an
    Article are NUMBERED (a lone paragraph gets no number); others are UNNUMBERED."""
    counts: dict[int, int] = {}  # numbered paragraphs per Article
    article = None
    for i, rb in enumerate(raw):
        if rb.kind == HEADING:
            article = i if rb.level == ARTICLE_LEVEL and not rb.unnumbered else None
            counts[i] = 0
        elif article is not None and rb.level == NUMBERED and not rb.unnumbered:
            counts[article] += 1

    out = []
    parts = articles = paragraph = items = 0
    article = None
    article_label = paragraph_label = ""
    for i, rb in enumerate(raw):
        label = ref_label = ""
        level = rb.level
        if rb.kind == HEADING:
            article, paragraph_label, items = None, "", 0
            if rb.unnumbered:
                ref_label = rb.text
            elif rb.level == PART_LEVEL:
                parts += 1
                label = ref_label = f"Part {wording.roman(parts)}"
            else:
                articles += 1
                article, paragraph = i, 0
                article_label = str(articles)
                label = ref_label = f"Article {articles}"
        elif rb.level == ITEM:
            items += 1
            mark = f"({wording.letter(items)})"
            if article is not None:
                label = f"{paragraph_label or article_label}{mark}"
                ref_label = f"Article {label}"
            else:
                label = mark
        else:
            items = 0
            paragraph_label = ""
            if article is None or rb.unnumbered:
                level = UNNUMBERED
            elif counts[article] > 1:
                paragraph += 1
                paragraph_label = label = f"{article_label}.{paragraph}"
                ref_label = f"Article {label}"
            else:
                ref_label = f"Article {article_label}"
        out.append((label, ref_label, level))
    return out


def _plain(value: Any) -> Any:
    """A value as JSON keeps it: dates as YYYY-MM-DD, lists item by item."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def _type_of(value: Any) -> str:
    """The parameter type a template variable's value has (variables declare none)."""
    for kind, name in ((bool, "bool"), (int, "int"), (float, "float"), (dt.date, "date"),
                       (list, "list"), (str, "str")):
        if isinstance(value, kind):
            return name
    return "str"


_SKIP = object()


def _stand_in(param: Param | None) -> Any:
    """What a rejected position value is replaced by when assembling to check (so that the
    rest of the draft can still be checked): nothing for an unknown parameter, the default,
    else a value of the right type."""
    if param is None:
        return _SKIP
    if not param.required:
        return param.default
    if param.type == "choice":
        return param.options[0]
    number = param.min if param.min is not None else 1
    return {"str": "…", "int": int(number), "float": float(number), "bool": False,
            "date": dt.date(2000, 1, 1), "list": []}[param.type]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "heading"


def _find_line(path: Path, needle: str) -> int | None:
    try:
        for n, line in enumerate(path.read_text("utf-8").split("\n"), 1):
            if needle in line:
                return n
    except OSError:
        pass
    return None


def _template_frame(exc: BaseException) -> tuple[str, int] | None:
    """The innermost template or clause file line in exc's (Jinja-rewritten) traceback."""
    found = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename.endswith((TEMPLATE_SUFFIX, ".md", ".j2")):
            found = (frame.filename, frame.lineno)
    return found


def _describe(e: Exception) -> str:
    if isinstance(e, jinja2.exceptions.SecurityError):
        return f"refused by the sandbox: {e}"
    if isinstance(e, jinja2.UndefinedError):
        message = str(e)
        if "unsafe" in message:
            return f"refused by the sandbox: {message}"
        return f"undefined: {message}"
    if isinstance(e, _CallError):
        return str(e)
    return f"{type(e).__name__}: {e}"


def assemble(ws: Workspace, library: Library, agreement: Agreement,
             position: Position, collect: bool = False) -> Assembly:
    return Assembler(ws, library, agreement, position, collect).assemble()


CONTEXT_NAMES = frozenset({"side", "sides", "agreement", "clause", "ref"})


def template_variables(ws: Workspace, agreement: Agreement) -> set[str] | None:
    """The variables the agreement's template (and what it extends or includes) reads,
    beyond the ones every template gets; None when that cannot be known (a template
    named by a variable, or one that does not parse: the build will say why)."""
    env = sandbox()  # never an unsandboxed one: its compiler folds constants by running them
    names: set[str] = set()
    pending, seen = [agreement.template + TEMPLATE_SUFFIX], set()
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        path = ws.templates_dir / name
        try:
            parts = ("templates", *split_template_path(name))
            text = decode_text(read_source(ws.root, parts, MAX_TEMPLATE_BYTES), path)
            plain = plain_body(env, text, str(path), 1, {})
            if plain is not None:  # the names its expressions read, as meta finds them
                names |= plain.names() - env.globals.keys()
                continue
            tree = env.parse(text)
        except (OSError, DraftingError, jinja2.TemplateError):
            return None
        names |= meta.find_undeclared_variables(tree)
        for referenced in meta.find_referenced_templates(tree):
            if referenced is None:
                return None
            pending.append(referenced)
    return names - CONTEXT_NAMES
