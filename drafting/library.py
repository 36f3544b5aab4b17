"""Clause files: load, validate, and check parameter values against their declarations.

A clause file is YAML front matter (id, title, edition, params, defines, tags) followed by
a Jinja body. Everything is checked at load time so that a typo surfaces as one line naming
the file and line, not as a strange sentence in a draft.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from . import usercache, yamlfile
from .errors import DraftingError
from .names import check_clause_id, did_you_mean
from .sourcefile import decode_text, read_source
from .yamlfile import YamlDoc, parse_yaml

TYPES = ("str", "int", "float", "bool", "date", "list", "choice")
class _Required:
    """The default of a parameter that must be supplied (pickled by name, so that a
    cached clause's parameters stay required)."""

    def __reduce__(self) -> str:
        return "_REQUIRED"


_REQUIRED = _Required()
_FRONT_KEYS = {"id", "title", "edition", "params", "defines", "tags"}
_PARAM_KEYS = {"type", "default", "required", "options", "min", "max", "description"}
MAX_CLAUSE_BYTES = 1_000_000


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    default: Any = _REQUIRED
    options: tuple[Any, ...] = ()
    min: float | None = None
    max: float | None = None
    description: str = ""
    line: int | None = None

    @property
    def required(self) -> bool:
        return self.default is _REQUIRED

    def check(self, value: Any) -> Any:
        """Return value converted to this parameter's type; raise ValueError saying why not."""
        if value is None and not self.required and self.default is None:
            return None
        checker = _CHECKERS[self.type]
        value = checker(self, value)
        if self.min is not None and value < self.min:
            raise ValueError(f"must be at least {self.min:g}, got {value}")
        if self.max is not None and value > self.max:
            raise ValueError(f"must be at most {self.max:g}, got {value}")
        return value


def _check_str(p: Param, v: Any) -> str:
    if not isinstance(v, str):
        raise ValueError(f"expected text, got {_show(v)}")
    return v


def _check_int(p: Param, v: Any) -> int:
    if isinstance(v, bool) or not isinstance(v, int):
        raise ValueError(f"expected a whole number, got {_show(v)}")
    return v


def _check_float(p: Param, v: Any) -> float:
    if isinstance(v, bool) or not isinstance(v, int | float):
        raise ValueError(f"expected a number, got {_show(v)}")
    return float(v)


def _check_bool(p: Param, v: Any) -> bool:
    if not isinstance(v, bool):
        raise ValueError(f"expected true or false, got {_show(v)}")
    return v


def _check_date(p: Param, v: Any) -> dt.date:
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    if isinstance(v, str):
        try:
            return dt.date.fromisoformat(v)
        except ValueError:
            pass
    raise ValueError(f"expected a date as YYYY-MM-DD, got {_show(v)}")


def _check_list(p: Param, v: Any) -> list[Any]:
    if not isinstance(v, list | tuple):
        raise ValueError(f"expected a list, got {_show(v)}")
    for item in v:
        if isinstance(item, dict | list):
            raise ValueError(f"list items must be plain values, got {_show(item)}")
    return list(v)


def _check_choice(p: Param, v: Any) -> Any:
    if v not in p.options:
        raise ValueError(
            f"expected one of {', '.join(map(str, p.options))}, got {_show(v)}"
        )
    return v


_CHECKERS = {
    "str": _check_str, "int": _check_int, "float": _check_float, "bool": _check_bool,
    "date": _check_date, "list": _check_list, "choice": _check_choice,
}


def _show(v: Any) -> str:
    kind = {bool: "boolean", int: "number", float: "number", str: "text", list: "list",
            dict: "mapping", type(None): "nothing"}.get(type(v), type(v).__name__)
    shown = repr(v)
    return f"{kind} {shown[:40]}" if v is not None else "nothing"


@dataclass(frozen=True)
class Clause:
    id: str
    title: str
    edition: int
    params: dict[str, Param]
    defines: tuple[str, ...]
    tags: tuple[str, ...]
    body: str
    body_line: int  # 1-based line of the file where the body starts
    path: Path
    sha256: str

    def value_problem(self, name: str, value: Any) -> str | None:
        """Why a position may not give parameter `name` this value (None: it may)."""
        param = self.params.get(name)
        if param is None:
            known = ", ".join(self.params) or "none"
            return (f"clause '{self.id}' has no parameter '{name}'"
                    f"{did_you_mean(name, self.params)} (it takes: {known})")
        try:
            param.check(value)
        except ValueError as e:
            return f"clause '{self.id}': parameter '{name}' ({param.type}): {e}"
        return None

    def bind(self, given: dict[str, Any]) -> dict[str, Any]:
        """Checked values for every parameter; raises ValueError naming the parameter."""
        unknown = sorted(set(given) - set(self.params))
        if unknown:
            known = ", ".join(self.params) or "none"
            raise ValueError(f"unknown parameter '{unknown[0]}' (it takes: {known})")
        values = {}
        for name, param in self.params.items():
            if name in given:
                try:
                    values[name] = param.check(given[name])
                except ValueError as e:
                    raise ValueError(f"parameter '{name}' ({param.type}): {e}") from None
            elif param.required:
                raise ValueError(f"missing required parameter '{name}' ({param.type})")
            else:
                values[name] = param.default
        return values


@dataclass(frozen=True)
class Library:
    root: Path
    clauses: dict[str, Clause]

    def get(self, clause_id: str) -> Clause:
        try:
            return self.clauses[clause_id]
        except KeyError:
            raise KeyError(_unknown_clause(clause_id, self.clauses)) from None


def _unknown_clause(clause_id: str, known: dict[str, Clause]) -> str:
    return f"unknown clause '{clause_id}'{did_you_mean(clause_id, known)}"


def split_front_matter(text: str, path: Path) -> tuple[str, str, int]:
    """(front matter, body, line where the body starts)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise DraftingError("a clause file must start with '---' front matter", path, 1)
    for i in range(1, len(lines)):
        if lines[i].strip() == "---":
            return "\n".join(lines[1:i]), "\n".join(lines[i + 1 :]), i + 2
    raise DraftingError("front matter is not closed by a '---' line", path, 1)


def parse_clause(path: Path, raw: bytes) -> Clause:
    if len(raw) > MAX_CLAUSE_BYTES:
        raise DraftingError(f"clause file too large ({len(raw)} bytes)", path)
    text = decode_text(raw, path)
    front, body, body_line = split_front_matter(text, path)
    doc = parse_yaml(front, path, line_offset=1)
    data = doc.data
    if not isinstance(data, dict):
        raise DraftingError("front matter must be a mapping of keys", path, 2)
    for key in data:
        if key not in _FRONT_KEYS:
            raise doc.error(f"unknown front-matter key '{key}' "
                            f"(allowed: {', '.join(sorted(_FRONT_KEYS))})", key)
    for key in ("id", "title", "edition"):
        if key not in data:
            raise DraftingError(f"front matter lacks '{key}'", path, 2)
    try:
        clause_id = check_clause_id(data["id"])
    except DraftingError as e:
        raise doc.error(e.message, "id") from None
    if not isinstance(data["title"], str) or not data["title"].strip():
        raise doc.error("'title' must be text", "title")
    edition = data["edition"]
    if isinstance(edition, bool) or not isinstance(edition, int) or edition < 1:
        raise doc.error(f"'edition' must be a whole number >= 1, got {edition!r}", "edition")
    return Clause(
        id=clause_id,
        title=data["title"].strip(),
        edition=edition,
        params=_parse_params(doc),
        defines=_string_list(doc, "defines"),
        tags=_string_list(doc, "tags"),
        body=body,
        body_line=body_line,
        path=path,
        sha256=hashlib.sha256(raw).hexdigest(),
    )


def _string_list(doc: YamlDoc, key: str) -> tuple[str, ...]:
    value = doc.data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise doc.error(f"'{key}' must be a list of text", key)
    return tuple(value)


def _parse_params(doc: YamlDoc) -> dict[str, Param]:
    spec = doc.data.get("params") or {}
    if not isinstance(spec, dict):
        raise doc.error("'params' must map parameter names to their declarations", "params")
    params = {}
    for name, decl in spec.items():
        line = doc.line_of("params", name)
        if not isinstance(name, str) or not name.isidentifier() or name.startswith("_"):
            raise DraftingError(f"invalid parameter name {name!r}", doc.path, line)
        if isinstance(decl, str):
            decl = {"type": decl}
        if not isinstance(decl, dict):
            raise DraftingError(f"parameter '{name}': expected a type or a mapping",
                                doc.path, line)
        params[name] = _parse_param(doc, name, decl, line)
    return params


def _parse_param(doc: YamlDoc, name: str, decl: dict[str, Any], line: int | None) -> Param:
    def fail(msg: str, key: str | None = None) -> DraftingError:
        at = doc.line_of("params", name, key) if key else line
        return DraftingError(f"parameter '{name}': {msg}", doc.path, at)

    for key in decl:
        if key not in _PARAM_KEYS:
            raise fail(f"unknown key '{key}' (allowed: {', '.join(sorted(_PARAM_KEYS))})", key)
    ptype = decl.get("type", "str")
    if ptype not in TYPES:
        raise fail(f"unknown type '{ptype}' (use one of: {', '.join(TYPES)})", "type")
    options = decl.get("options", [])
    if ptype == "choice" and (not isinstance(options, list) or not options):
        raise fail("a choice needs a non-empty list of 'options'", "type")
    if ptype != "choice" and "options" in decl:
        raise fail("'options' only applies to type choice", "options")
    for bound in ("min", "max"):
        if bound in decl and (ptype not in ("int", "float") or isinstance(decl[bound], bool)
                              or not isinstance(decl[bound], int | float)):
            raise fail(f"'{bound}' must be a number and applies to int and float only", bound)
    param = Param(name=name, type=ptype, options=tuple(options), min=decl.get("min"),
                  max=decl.get("max"), description=str(decl.get("description", "")), line=line)
    required = decl.get("required")
    if "default" in decl:
        if required is True:
            raise fail("has a default, so it cannot be required", "required")
        try:
            default = param.check(decl["default"])
        except ValueError as e:
            raise fail(f"default {e}", "default") from None
    elif required is False:
        default = None
    else:
        default = _REQUIRED
    return replace(param, default=default)


def load_library(root: Path) -> Library:
    """Load every clauses/**/*.md under root; ids must be unique. Hidden names (editor
    lock files, .git) are skipped; a link or a non-regular file is refused."""
    clauses: dict[str, Clause] = {}
    if root.is_symlink() or not root.is_dir():
        raise DraftingError("no clauses folder" if not root.is_symlink() else
                            "is a symbolic link: the clauses folder must be a real folder",
                            root)
    cache_file = _cache_file(root)
    cached = (usercache.load(cache_file) if cache_file else None) or {}
    parsed: dict[tuple[str, str], Clause] = {}
    for parts in sorted(_clause_files(root, ())):
        path = root.joinpath(*parts)
        raw = read_source(root.parent, (root.name, *parts), MAX_CLAUSE_BYTES)
        key = (str(path), hashlib.sha256(raw).hexdigest())
        clause = parsed[key] = cached.get(key) or parse_clause(path, raw)
        if clause.id in clauses:
            other = clauses[clause.id].path
            raise DraftingError(f"duplicate clause id '{clause.id}' (also in {other})",
                                path, _id_line(path))
        clauses[clause.id] = clause
    if cache_file and parsed.keys() != cached.keys():
        usercache.store(cache_file, parsed)
    return Library(root=root, clauses=clauses)


def _cache_file(root: Path) -> Path | None:
    """Where the clauses of this folder, parsed, are kept between runs (keyed by each
    file's path and hash, and by this parser's own code, so a change to either is a
    miss): a rebuild then reads the files but parses none of the unchanged ones."""
    folder = usercache.cache_folder("clauses")
    if folder is None:
        return None
    code = hashlib.sha256()
    for module in (__file__, yamlfile.__file__):
        code.update(Path(module).read_bytes())
    code.update(str(root.resolve()).encode())
    return folder / f"{code.hexdigest()[:32]}.pickle"


def _clause_files(folder: Path, parts: tuple[str, ...]) -> list[tuple[str, ...]]:
    found = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_symlink():
                raise DraftingError("is a symbolic link: clause files and folders must be "
                                    "real, inside clauses/", entry.path)
            if entry.is_dir():
                found += _clause_files(Path(entry.path), (*parts, entry.name))
            elif entry.name.endswith(".md"):
                found.append((*parts, entry.name))
    return found


def _id_line(path: Path) -> int | None:
    for n, line in enumerate(path.read_text("utf-8").split("\n"), 1):
        if line.startswith("id:"):
            return n
    return None
