"""A workspace on disk: clauses/, templates/, drafts/<agreement>/ (agreement.yaml,
positions/<side>.yaml, revisions/). Loads and validates the agreement and position files."""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import DraftingError
from .names import check_clause_id, check_name
from .yamlfile import YamlDoc, load_yaml_file, parse_value


@dataclass(frozen=True)
class Workspace:
    root: Path

    @property
    def clauses_dir(self) -> Path:
        return self.root / "clauses"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def drafts_dir(self) -> Path:
        return self.root / "drafts"

    def agreement_dir(self, name: str) -> Path:
        """drafts/<name>, refused when it (or drafts/) is a link: the revision store and the
        position files would live wherever it leads."""
        folder = self.drafts_dir / check_name("agreement", name)
        for path in (self.drafts_dir, folder):
            if path.is_symlink():
                raise DraftingError("is a symbolic link; agreement folders must be real "
                                    "folders inside the workspace", path)
        return folder

    def relative(self, path: Path) -> str:
        """Path as recorded in provenance: relative to the workspace, forward slashes."""
        for candidate, root in ((path, self.root), (path.resolve, self.root.resolve)):
            try:  # resolving (system calls per component) only when the plain path is not
                return (candidate if isinstance(candidate, Path) else candidate()) \
                    .relative_to(root if isinstance(root, Path) else root()).as_posix()
            except ValueError:
                continue
        return path.as_posix()

    def agreements(self) -> list[str]:
        if not self.drafts_dir.is_dir():
            return []
        return sorted(p.name for p in self.drafts_dir.iterdir()
                      if (p / "agreement.yaml").is_file())


def find_workspace(start: Path) -> Workspace:
    """The nearest folder at or above start that holds drafts/ or clauses/."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / "drafts").is_dir() or (folder / "clauses").is_dir():
            return Workspace(folder)
    raise DraftingError(f"no workspace here (no drafts/ or clauses/ folder at or above {start});"
                        " run 'draft init DIR' to create one")


@dataclass(frozen=True)
class Agreement:
    name: str
    title: str
    template: str
    sides: dict[str, str]  # key -> display name
    path: Path  # agreement.yaml
    sha256: str

    @property
    def folder(self) -> Path:
        return self.path.parent

    def side_name(self, key: str) -> str:
        return self.sides.get(key, key)

    def check_side(self, key: str) -> str:
        check_name("side", key)
        if key not in self.sides:
            raise DraftingError(f"agreement '{self.name}' has no side '{key}' "
                                f"(sides: {', '.join(self.sides)})", self.path)
        return key


def load_agreement(ws: Workspace, name: str) -> Agreement:
    folder = ws.agreement_dir(name)
    path = folder / "agreement.yaml"
    if not path.is_file():
        known = ", ".join(ws.agreements()) or "none"
        raise DraftingError(f"no agreement '{name}' (agreements: {known})")
    doc, raw = load_yaml_file(path)
    data = doc.data
    if not isinstance(data, dict):
        raise DraftingError("agreement.yaml must be a mapping", path, 1)
    for key in ("title", "template", "sides"):
        if key not in data:
            raise DraftingError(f"agreement.yaml lacks '{key}'", path, 1)
    unknown = set(data) - {"title", "template", "sides", "description"}
    if unknown:
        key = sorted(unknown)[0]
        raise doc.error(f"unknown key '{key}'", key)
    if not isinstance(data["title"], str):
        raise doc.error("'title' must be text", "title")
    try:
        template = check_name("template", data["template"])
    except DraftingError as e:
        raise doc.error(e.message, "template") from None
    sides = data["sides"]
    if not isinstance(sides, dict) or not sides:
        raise doc.error("'sides' must map side keys to display names", "sides")
    for key, display in sides.items():
        try:
            check_name("side", key)
        except DraftingError as e:
            raise doc.error(e.message, "sides", key) from None
        if not isinstance(display, str) or not display.strip():
            raise doc.error(f"side '{key}' needs a display name", "sides", key)
    return Agreement(name=name, title=data["title"], template=template,
                     sides={str(k): v for k, v in sides.items()}, path=path,
                     sha256=hashlib.sha256(raw).hexdigest())


@dataclass(frozen=True)
class Position:
    """What one side puts on the table: template variables and clause parameters."""

    side: str
    vars: dict[str, Any]
    clauses: dict[str, dict[str, Any]]
    path: Path | None
    sha256: str | None
    doc: YamlDoc | None  # for line numbers in error messages
    # ("clauses", id, param) or ("vars", name) -> the --set that gave that value
    overridden: dict[tuple[str, ...], str] = field(default_factory=dict)

    def line_of(self, *keys: str) -> int | None:
        return self.doc.line_of(*keys) if self.doc else None

    def origin(self, *keys: str) -> tuple[str | None, int | None]:
        """Where the value at keys came from, for an error message: ("--set k=v", None)
        when the command line gave it, else the position file and line."""
        if keys in self.overridden:
            return f"--set {self.overridden[keys]}", None
        return (str(self.path) if self.path else None), self.line_of(*keys)


def load_position(agreement: Agreement, side: str) -> Position:
    agreement.check_side(side)
    path = agreement.folder / "positions" / f"{side}.yaml"
    if not os.path.lexists(path):
        return Position(side, {}, {}, None, None, None)
    doc, raw = load_yaml_file(path, inside=agreement.folder)
    data = doc.data if doc.data is not None else {}
    if not isinstance(data, dict):
        raise DraftingError("a position file must be a mapping with 'vars' and 'clauses'",
                            path, 1)
    unknown = set(data) - {"vars", "clauses"}
    if unknown:
        key = sorted(unknown)[0]
        raise doc.error(f"unknown key '{key}' (a position file has 'vars' and 'clauses')", key)
    variables = data.get("vars") or {}
    clauses = data.get("clauses") or {}
    if not isinstance(variables, dict):
        raise doc.error("'vars' must be a mapping", "vars")
    for key in variables:
        if not isinstance(key, str) or not key.isidentifier() or key.startswith("_"):
            raise doc.error(f"invalid variable name {key!r}", "vars", key)
    if not isinstance(clauses, dict):
        raise doc.error("'clauses' must map clause ids to parameter values", "clauses")
    for cid, values in clauses.items():
        try:
            check_clause_id(cid)
        except DraftingError as e:
            raise doc.error(e.message, "clauses", cid) from None
        if not isinstance(values, dict):
            raise doc.error(f"clause '{cid}': expected a mapping of parameter values",
                            "clauses", cid)
    for name, value in variables.items():
        if _spans_lines(value):
            raise doc.error(_SPANS_LINES, "vars", name)
    for cid, values in clauses.items():
        for param, value in values.items():
            if _spans_lines(value):
                raise doc.error(_SPANS_LINES, "clauses", cid, param)
    return Position(side, dict(variables), {k: dict(v) for k, v in clauses.items()}, path,
                    hashlib.sha256(raw).hexdigest(), doc)


_SPANS_LINES = ("a value must stay on one line: a line break in it would start a new "
                "paragraph or heading of the draft")


def _spans_lines(value: Any) -> bool:
    """True for text (or a list or mapping holding text) with a line break: a value is
    words within a sentence, and a break followed by `## ` (in it or in the next value)
    would let it make an Article of its own. YAML's `>-` folds a long value."""
    if isinstance(value, str):
        return bool(re.search(r"[\r\n\u2028\u2029\x85]", value))
    if isinstance(value, dict):
        return any(_spans_lines(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_spans_lines(v) for v in value)
    return False


def parse_override(text: str) -> tuple[str, str | None, Any]:
    """'--set freeze.fissile.days=60' -> ("days", "freeze.fissile", 60);
    '--set relief_first=true' -> ("relief_first", None, True). Values are YAML scalars."""
    if "=" not in text:
        raise DraftingError(f"--set expects key=value, got {text!r}")
    key, raw = text.split("=", 1)
    key = key.strip()
    value = parse_value(raw, f"--set {key}")
    if _spans_lines(value):
        raise DraftingError(f"--set {key}: {_SPANS_LINES}")
    if isinstance(value, dict):
        raise DraftingError(f"--set {key}: a value cannot be a mapping")
    if "." in key:
        clause_id, param = key.rsplit(".", 1)
        check_clause_id(clause_id)
        if not param.isidentifier():
            raise DraftingError(f"--set {key}: invalid parameter name {param!r}")
        return param, clause_id, value
    if not key.isidentifier():
        raise DraftingError(f"--set {key}: invalid variable name")
    return key, None, value


def apply_overrides(position: Position, overrides: list[str]) -> Position:
    variables = dict(position.vars)
    clauses = {k: dict(v) for k, v in position.clauses.items()}
    overridden = dict(position.overridden)
    for text in overrides:
        name, clause_id, value = parse_override(text)
        if clause_id is None:
            variables[name] = value
            overridden["vars", name] = text.strip()
        else:
            if clause_id not in clauses:  # the whole clause entry came from the command line
                overridden["clauses", clause_id] = text.strip()
            clauses.setdefault(clause_id, {})[name] = value
            overridden["clauses", clause_id, name] = text.strip()
    return Position(position.side, variables, clauses, position.path, position.sha256,
                    position.doc, overridden)
