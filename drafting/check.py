"""`draft check`: drafting errors found before the other side finds them.

Each finding names a file and line, a severity (error, warning, info) and says in a
drafter's words what is wrong. Errors stop `draft build` (unless forced).

Checks: parameters (position values unknown, missing or of the wrong type; declared but
unused in a clause body); defined terms (used but not defined, defined but never used,
defined twice, used before their definition); cross-references (typed "Article N" to an
Article that does not exist, ref() targets that do not exist); unbalanced square
brackets; staleness (clauses changed since a side's latest revision was built).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import meta

from .assemble import Assembly, assemble, template_variables
from .build import open_store
from .errors import DraftingError
from .library import Clause, Library, load_library
from .model import ARTICLE_LEVEL, Document, citations, from_outside
from .names import did_you_mean
from .negotiate.brackets import parse as parse_brackets
from .workspace import Agreement, Position, Workspace, load_agreement, load_position

ERROR, WARNING, INFO = "error", "warning", "info"
_DEFINITION = re.compile(r"[\"“](?P<term>[A-Z][^\"”]{0,60})[\"”]\s+(?:means|shall mean|refers to)"
                         r"|\((?:the\s+|hereinafter\s+(?:referred to as\s+)?)?(?:the\s+)?"
                         r"[\"“](?:the\s+)?(?P<inline>[A-Z][^\"”]{0,60})[\"”]\)")
_TYPED_REF = re.compile(r"\bArticles?\s+(\d+)\b")


@dataclass(frozen=True)
class Finding:
    severity: str
    file: str
    line: int | None
    message: str
    check: str

    def __str__(self) -> str:
        return f"{self.where}: {self.severity}: {self.message}"

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file

    @property
    def forceable(self) -> bool:
        """Errors in the text (brackets, references, terms) may be recorded with --force;
        errors in the inputs (unknown clause, parameter or variable, a wrong type, a
        template that fails) may not: that draft would not be what was asked for."""
        return self.check not in ("parameters", "assembly")

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


class _Checker:
    def __init__(self, ws: Workspace, agreement: Agreement, library: Library,
                 strict: bool = False):
        self.ws, self.agreement, self.library = ws, agreement, library
        self.strict = strict
        self.findings: list[Finding] = []
        self._seen: set[tuple[str, int | None, str]] = set()
        self._drafted_for: dict[tuple[str, int | None, str], list[str]] = {}

    def add(self, severity: str, path: Path | str | None, line: int | None, message: str,
            check: str) -> tuple[str, int | None, str] | None:
        """Record a finding once (the same finding in both sides' drafts counts once);
        returns its key when it is new."""
        file = _display(self.ws, path) if path else self.agreement.name
        key = (file, line, message)
        if key in self._seen:
            return None
        self._seen.add(key)
        self.findings.append(Finding(severity, file, line, message, check))
        return key

    # -- parameters ---------------------------------------------------------------------

    def positions(self, position: Position, variables: set[str] | None) -> None:
        """Every value a position file (or --set) gives, checked against what would use it:
        a variable the template reads, a parameter the clause declares, of its type."""
        for name in position.vars:
            if variables is not None and name not in variables:
                self.add(ERROR, *position.origin("vars", name),
                         self._unknown_variable(position, name, variables), "parameters")
        for clause_id, values in position.clauses.items():
            clause = self.library.clauses.get(clause_id)
            if clause is None:
                self.add(ERROR, *position.origin("clauses", clause_id),
                         f"unknown clause '{clause_id}'"
                         f"{did_you_mean(clause_id, self.library.clauses)}", "parameters")
                continue
            for name, value in values.items():
                problem = clause.value_problem(name, value)
                if problem:
                    self.add(ERROR, *position.origin("clauses", clause_id, name), problem,
                             "parameters")

    def _unknown_variable(self, position: Position, name: str, variables: set[str]) -> str:
        owners = sorted(c.id for c in self.library.clauses.values() if name in c.params)
        override = position.overridden.get(("vars", name))
        hint = did_you_mean(name, variables)
        if not hint and len(owners) == 1 and override:
            value = override.split("=", 1)[1]
            hint = f" (did you mean --set {owners[0]}.{name}={value}? a clause parameter " \
                   "is set as CLAUSE.PARAM=VALUE)"
        elif not hint and len(owners) == 1:
            hint = f" (a parameter of clause '{owners[0]}' goes under 'clauses: " \
                   f"{owners[0]}:')"
        elif not hint and owners:
            listed = ", ".join(owners[:3]) + (f" and {len(owners) - 3} more"
                                              if len(owners) > 3 else "")
            how = "CLAUSE.PARAM=VALUE" if override else "'clauses: CLAUSE:'"
            hint = f" (clauses {listed} have a parameter '{name}': set it as {how})"
        elif not hint:
            hint = f" (it reads: {', '.join(sorted(variables)) or 'none'})"
        return f"the template has no variable '{name}'{hint}"

    def unincluded(self, position: Position, assembly: Assembly) -> None:
        """Values for a clause the draft does not include change nothing: a mistake on the
        command line, and worth a warning in a position file."""
        for clause_id in position.clauses:
            if clause_id in self.library.clauses and clause_id not in assembly.clauses:
                where = position.origin("clauses", clause_id)
                from_command_line = where[0] is not None and where[0].startswith("--set ")
                self.add(ERROR if from_command_line else WARNING, *where,
                         f"clause '{clause_id}' is not in {position.side}'s draft, so its "
                         "values change nothing", "parameters")

    def unused_parameters(self, env: jinja2.Environment) -> None:
        for clause in self.library.clauses.values():
            try:
                used = meta.find_undeclared_variables(env.parse(clause.body))
            except jinja2.TemplateSyntaxError as e:
                self.add(ERROR, clause.path, clause.body_line + (e.lineno or 1) - 1,
                         f"template syntax: {e.message}", "parameters")
                continue
            for name, param in clause.params.items():
                if name not in used:
                    self.add(WARNING, clause.path, param.line, f"parameter '{name}' is "
                             "declared but never used in the clause text", "parameters")

    # -- the assembled draft ------------------------------------------------------------

    def draft(self, side: str, position: Position) -> Assembly | None:
        """Assemble one side's draft, going on past errors that leave a readable draft."""
        try:
            assembly = assemble(self.ws, self.library, self.agreement, position, collect=True)
        except DraftingError as e:
            self._assembly_error(side, e)
            return None
        for problem in assembly.problems:
            self._assembly_error(side, problem)
        return assembly

    def _assembly_error(self, side: str, e: DraftingError) -> None:
        key = (_display(self.ws, e.path) if e.path else self.agreement.name, e.line,
               e.message)
        if key in self._drafted_for:
            self._drafted_for[key].append(side)
        elif self.add(ERROR, e.path, e.line, e.message, "assembly"):
            self._drafted_for[key] = [side]

    def result(self, sides: list[str]) -> list[Finding]:
        """The findings, sorted; an assembly error met for some sides only says which."""
        out = []
        for f in self.findings:
            met = self._drafted_for.get((f.file, f.line, f.message))
            if met and len(sides) > 1 and set(met) != set(sides):
                f = Finding(f.severity, f.file, f.line, f"{f.message} (drafting for "
                            f"{' and '.join(met)})", f.check)
            out.append(f)
        return _sorted(out)

    def terms(self, doc: Document, assembly: Assembly) -> None:
        included = [self.library.clauses[c] for c in assembly.clauses]
        declared: dict[str, Clause] = {}
        for clause in included:
            for term in clause.defines:
                if term in declared and declared[term] is not clause:
                    self.add(ERROR, clause.path, _line_of(clause, f'"{term}"'),
                             f'"{term}" is defined twice: here and in clause '
                             f"'{declared[term].id}'", "terms")
                declared.setdefault(term, clause)
        defined_at: dict[str, int] = {}  # term -> block where the text defines it
        for index, block in enumerate(doc.blocks):
            for m in _DEFINITION.finditer(block.text):
                term = m.group("term") or m.group("inline")
                if term in defined_at and defined_at[term] != index:
                    self.add(ERROR, *self._where(doc, index, f'"{term}"'),
                             f'"{term}" is defined twice in the text '
                             f"({_label(doc, defined_at[term])} and {_label(doc, index)})",
                             "terms")
                defined_at.setdefault(term, index)
                clause = self.library.clauses.get(block.clause or "")
                if clause is not None and term not in clause.defines and term not in declared:
                    self.add(WARNING, clause.path, _line_of(clause, term), f'the text defines '
                             f'"{term}" but the clause does not list it under defines',
                             "terms")
        known = {t for c in self.library.clauses.values() for t in c.defines}
        # Headings name things rather than use terms; definitions use their own term.
        text_by_block = ["" if b.is_heading else _strip_definitions(b.text) for b in doc.blocks]
        article_of = _articles(doc)
        first_article = next((i for i, b in enumerate(doc.blocks)
                              if b.is_heading and b.level == ARTICLE_LEVEL), len(doc.blocks))
        for term in sorted(known | set(declared)):
            pattern = re.compile(rf"(?<![\w-]){re.escape(term)}(?![\w-])")
            uses = [i for i, text in enumerate(text_by_block) if pattern.search(text)]
            if term in declared:
                definition = defined_at.get(term)
                if not uses:
                    clause = declared[term]
                    self.add(WARNING, clause.path, _line_of(clause, f'"{term}"'),
                             f'"{term}" is defined but never used', "terms")
                elif definition is not None:
                    early = [i for i in uses if first_article <= i < definition
                             and article_of[i] != article_of[definition]]
                    if early:
                        self.add(WARNING, *self._where(doc, early[0], term), f'"{term}" is used in '
                                 f"{_label(doc, early[0])} before its definition in "
                                 f"{_label(doc, definition)}", "terms")
            elif uses:
                owner = next(c for c in self.library.clauses.values() if term in c.defines)
                self.add(ERROR, *self._where(doc, uses[0], term), f'"{term}" is used in '
                         f"{_label(doc, uses[0])} but not defined in this draft (clause "
                         f"'{owner.id}', which defines it, is not included)", "terms")

    def document(self, position: Position, assembly: Assembly, vague: bool = True) -> None:
        from .check_vague import check_vagueness

        self.unincluded(position, assembly)
        self.terms(assembly.document, assembly)
        self.references(assembly.document)
        self.brackets(assembly.document)
        if vague:  # notes, never errors: `draft build` (errors only) does without them
            check_vagueness(self, assembly.document, list(assembly.clauses),
                            WARNING if self.strict else INFO)

    def references(self, doc: Document) -> None:
        articles = doc.article_count()
        for index, block in enumerate(doc.blocks):
            covered = [(r.start, r.end) for r in block.refs]
            for m in _TYPED_REF.finditer(block.text):
                if any(s <= m.start() < e for s, e in covered):
                    continue  # made by ref(): follows renumbering by construction
                number = int(m.group(1))
                if number > articles or number == 0:
                    self.add(ERROR, *self._where(doc, index, m.group(0)),
                             f"{_label(doc, index)} refers to Article {number}, which does "
                             f"not exist (the draft has {articles} Articles)", "references")
                elif block.clause:
                    self.add(INFO, *self._where(doc, index, m.group(0)),
                             f"typed reference '{m.group(0)}' in {_label(doc, index)}: use "
                             "ref() so that it follows renumbering", "references")

    def brackets(self, doc: Document) -> None:
        for stray in parse_brackets(doc).strays:
            self.add(ERROR, *self._where(doc, stray.position.block, None),
                     f"unbalanced bracket: {stray.message}", "brackets")

    def staleness(self, side: str) -> None:
        store = open_store(self.ws, self.agreement)
        infos = [i for i in store.infos() if i.side == side]
        if not infos:
            return
        revision = store.load(infos[-1].id, infos[-1].seq)
        for clause_id, edition in sorted(revision.clauses.items()):
            clause = self.library.clauses.get(clause_id)
            if clause is None:
                self.add(WARNING, None, None, f"clause '{clause_id}' used by {side}'s "
                         f"r{revision.seq} no longer exists", "staleness")
                continue
            recorded = revision.sources.get(self.ws.relative(clause.path))
            if clause.edition != edition:
                self.add(WARNING, clause.path, _line_of(clause, "edition:"), f"clause "
                         f"'{clause_id}' is now edition {clause.edition}; {side}'s latest "
                         f"revision r{revision.seq} was built with edition {edition}",
                         "staleness")
            elif recorded and recorded != clause.sha256:
                self.add(WARNING, clause.path, _line_of(clause, "edition:"), f"clause "
                         f"'{clause_id}' changed since {side}'s r{revision.seq} but its "
                         f"edition is still {edition}: bump the edition when the wording "
                         "changes", "staleness")

    def _where(self, doc: Document, index: int, needle: str | None = None
               ) -> tuple[Path | None, int | None]:
        """The clause file (and line) a block came from, else the template."""
        block = doc.blocks[index]
        clause = self.library.clauses.get(block.clause or "")
        path = clause.path if clause else self.ws.templates_dir / (
            self.agreement.template + ".md.j2")
        probe = needle or block.text[:30]
        line = None
        try:
            for n, text in enumerate(path.read_text("utf-8").split("\n"), 1):
                if probe and probe in text:
                    line = n
                    break
        except OSError:
            pass
        return path, line


def _articles(doc: Document) -> list[int]:
    """For each block, the index of the Article heading it stands under (-1: none)."""
    out, current = [], -1
    for index, block in enumerate(doc.blocks):
        if block.is_heading and block.level <= ARTICLE_LEVEL:
            current = index
        out.append(current)
    return out


def _strip_definitions(text: str) -> str:
    return _DEFINITION.sub(" ", text)


def _label(doc: Document, index: int) -> str:
    """A block as a finding names it (model.citations): our paragraph 4.1 as "Article 4.1",
    a file's own labels as it prints them, a block with no label by its Article."""
    cited = citations(doc.blocks)
    if cited[index]:
        whole = doc.blocks[index].is_heading or from_outside(doc.blocks)
        return cited[index] if whole else f"Article {cited[index]}"
    for prev in range(index - 1, -1, -1):
        if doc.blocks[prev].is_heading and cited[prev]:
            return cited[prev]
    return "the preamble"


def _line_of(clause: Clause, needle: str) -> int | None:
    for n, line in enumerate(clause.path.read_text("utf-8").split("\n"), 1):
        if needle in line:
            return n
    return None


def check(ws: Workspace, agreement_name: str, sides: list[str] | None = None,
          strict: bool = False) -> list[Finding]:
    """All findings for an agreement (for all its sides, or the ones given), each once."""
    from .assemble import Assembler

    agreement = load_agreement(ws, agreement_name)
    library = load_library(ws.clauses_dir)
    checker = _Checker(ws, agreement, library, strict)
    env = Assembler(ws, library, agreement, load_position(agreement, next(iter(
        agreement.sides)))).env
    checker.unused_parameters(env)
    variables = template_variables(ws, agreement)
    chosen = sides or list(agreement.sides)
    for side in chosen:
        agreement.check_side(side)
        position = load_position(agreement, side)
        checker.positions(position, variables)
        assembly = checker.draft(side, position)
        if assembly is not None:
            checker.document(position, assembly)
        checker.staleness(side)
    return checker.result(chosen)


def check_inputs(ws: Workspace, agreement: Agreement, library: Library, position: Position
                 ) -> list[Finding]:
    """The checks `draft build` runs before assembling: what the position file and --set
    give. Their errors cannot be forced: the draft would not be what was asked for."""
    checker = _Checker(ws, agreement, library)
    checker.positions(position, template_variables(ws, agreement))
    return checker.result([position.side])


def check_draft(ws: Workspace, agreement: Agreement, library: Library, position: Position,
                assembly: Assembly) -> list[Finding]:
    """The checks of one assembled draft, as `draft build` runs them before recording."""
    checker = _Checker(ws, agreement, library)
    checker.document(position, assembly, vague=False)
    return checker.result([position.side])


def _sorted(findings: list[Finding]) -> list[Finding]:
    order = {ERROR: 0, WARNING: 1, INFO: 2}
    return sorted(findings, key=lambda f: (order[f.severity], f.file, f.line or 0))


def errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == ERROR]


def _display(ws: Workspace, path: Path | str) -> str:
    """A file as findings name it: relative to the workspace; '--set k=v' as it is."""
    text = str(path)
    return text if text.startswith("--set ") else ws.relative(Path(path))
