"""`draft adopt`: take the other side's value of a parameter into our position file, and
say at the next build which values were adopted.

The position file is edited with ruamel.yaml's round-trip mode, which keeps comments, key
order, indentation and quoting: a delegation's file is a document people read, and a tool
that rewrote it would lose the notes written in it. The adopted value carries a comment
saying where it came from.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from .build import open_revision, open_store
from .errors import DraftingError
from .explaining import explain_import, is_imported
from .outfile import write_atomic
from .store import Revision
from .substance import recorded_positions
from .workspace import Workspace, load_agreement, load_position


@dataclass(frozen=True)
class Adopted:
    key: str  # "nuclear.freeze.days" or a variable's name
    old: Any  # our file's value before (None: not set there)
    new: Any


def adopt(ws: Workspace, ref: str, keys: list[str], side: str | None = None
          ) -> tuple[list[Adopted], str, str]:
    """Write the values REF's draft was built with into our side's position file;
    returns (what changed, the file, where the values came from)."""
    revision = open_revision(ws, ref)
    imported = is_imported(revision)
    theirs, why = (None, "") if imported else recorded_positions(ws, revision)
    if theirs is None and not imported:
        raise DraftingError(f"nothing to adopt from {ref}: {why}")
    agreement = load_agreement(ws, revision.agreement)
    ours = side or _other_side(list(agreement.sides), revision.side)
    agreement.check_side(ours)
    if ours == revision.side:
        raise DraftingError(f"{ref} is {ours}'s own draft: adopt takes the other side's values")
    if theirs is None:
        theirs = _shown_in(ws, revision, ours, ref, keys)
    path = agreement.folder / "positions" / f"{ours}.yaml"
    source = f"adopted from {_short(revision.side)}'s r{revision.seq} {revision.short}"
    yaml = _yaml()
    data = yaml.load(path.read_text("utf-8")) if path.is_file() else None
    if data is None:
        data = yaml.load("{}\n")
    changes = []
    for key in keys:
        kind, value = _their_value(theirs, key, ref)
        container, name = _slot(data, key)
        old = container.get(name)
        earlier = _eol_comment(container, name)
        container[name] = _yaml_value(kind, value)
        container.yaml_add_eol_comment(source + (f"; before: {earlier}" if earlier and
                                                 "adopted from" not in earlier else ""), name)
        changes.append(Adopted(key, _plain(old), value))
    out = io.StringIO()
    yaml.dump(data, out)
    write_atomic(path, out.getvalue())
    load_position(agreement, ours)  # what we wrote reads back as a position file
    return changes, ws.relative(path), source


def _shown_in(ws: Workspace, revision: Revision, ours: str, ref: str, keys: list[str]
              ) -> dict[str, Any]:
    """The values an imported text shows: those of our clauses' parameters that, changed
    from our latest built draft's, render its wording (negotiate.explain)."""
    store = open_store(ws, revision.agreement)
    why = f"{ours} has no draft built from the library"
    for info in reversed(store.infos()):
        if info.side != ours:
            continue
        mine = store.load(info.id, info.seq)
        positions, why = recorded_positions(ws, mine)
        if positions is not None:
            break
    else:
        raise DraftingError(f"nothing to adopt from {ref}: it was imported, and our draft "
                            f"to read it against is unknown: {why}")
    search = explain_import(ws, mine, positions, revision.document)
    shown: dict[str, Any] = {"vars": {}, "params": {}}
    for e in search.explanations:
        shown["params"].setdefault(e.clause, {})[e.param] = {"type": e.type, "value": e.theirs}
    found = sorted(dict.fromkeys(e.key for e in search.explanations))
    for key in keys:
        if key not in found:
            raise DraftingError(
                f"{ref} was imported, and no value of {key} gives its text: our clauses "
                f"rendered with other values explain {', '.join(found) or 'none of it'} "
                f"(against {ours}'s r{mine.seq} {mine.short})")
    return shown


def adopted_at_build(ws: Workspace, revision: Revision) -> list[str]:
    """The values of this revision that its position file marks as adopted and that
    changed since the side's previous revision (all marked ones when that revision's
    positions are unknown): "nuclear.freeze.days = 60 (adopted from DPRK's r4 ...)"."""
    agreement = load_agreement(ws, revision.agreement)
    path = agreement.folder / "positions" / f"{revision.side}.yaml"
    if not revision.positions or not path.is_file():
        return []
    marked = _marked(_yaml().load(path.read_text("utf-8")))
    if not marked:
        return []
    store = open_store(ws, revision.agreement)
    mine = [i for i in store.infos() if i.side == revision.side and i.seq < revision.seq]
    before = recorded_positions(ws, store.load(mine[-1].id, mine[-1].seq))[0] if mine \
        else None
    now, was = _flat(revision.positions), _flat(before or {})
    return [f"{key} = {_show(now.get(key))} ({note})" for key, note in marked.items()
            if key in now and (before is None or now.get(key) != was.get(key))]


def _eol_comment(container: Any, key: str) -> str:
    """The comment at the end of key's line, without "#" ("" when there is none)."""
    tokens = container.ca.items.get(key) if hasattr(container, "ca") else None
    texts = [t.value for t in (tokens or []) if t is not None and hasattr(t, "value")]
    return texts[0].strip().lstrip("#").strip().split("\n")[0].strip() if texts else ""


def _marked(data: Any) -> dict[str, str]:
    """Keys of a position file whose end-of-line comment says "adopted from ..."."""
    out: dict[str, str] = {}

    def comment(container: Any, key: str) -> str:
        text = _eol_comment(container, key)
        return text.split("; before:")[0] if text.startswith("adopted from") else ""

    if not isinstance(data, dict):
        return out
    for name in data.get("vars") or {}:
        if note := comment(data["vars"], name):
            out[name] = note
    for clause, params in (data.get("clauses") or {}).items():
        for name in params or {}:
            if note := comment(params, name):
                out[f"{clause}.{name}"] = note
    return out


def _yaml() -> Any:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    return yaml


def _other_side(sides: list[str], theirs: str) -> str:
    others = [s for s in sides if s != theirs]
    if len(others) != 1:
        raise DraftingError(f"say whose position file takes the values: --side "
                            f"({', '.join(others)})")
    return others[0]


def _their_value(positions: dict[str, Any], key: str, ref: str) -> tuple[str, Any]:
    if "." in key:
        clause, name = key.rsplit(".", 1)
        params = positions.get("params", {})
        if clause not in params:
            raise DraftingError(f"{ref} includes no clause '{clause}'")
        if name not in params[clause]:
            raise DraftingError(f"clause '{clause}' has no parameter '{name}' in {ref} "
                                f"(it has: {', '.join(params[clause])})")
        entry = params[clause][name]
    else:
        variables = positions.get("vars", {})
        if key not in variables:
            raise DraftingError(f"{ref} sets no variable '{key}' (it sets: "
                                f"{', '.join(variables) or 'none'})")
        entry = variables[key]
    return entry["type"], entry["value"]


def _slot(data: Any, key: str) -> tuple[Any, str]:
    """The mapping that holds key in a position file, made if missing."""
    from ruamel.yaml.comments import CommentedMap

    def child(parent: Any, name: str) -> Any:
        if parent.get(name) is None:
            parent[name] = CommentedMap()
        if not isinstance(parent[name], dict):
            raise DraftingError(f"'{name}' in the position file is not a mapping")
        return parent[name]

    if "." in key:
        clause, name = key.rsplit(".", 1)
        return child(child(data, "clauses"), clause), name
    return child(data, "vars"), key


def _yaml_value(kind: str, value: Any) -> Any:
    from ruamel.yaml.comments import CommentedSeq

    if kind == "date" and isinstance(value, str):
        return dt.date.fromisoformat(value)
    if isinstance(value, list):
        return CommentedSeq(value)
    return value


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return list(value)
    return value


def _flat(positions: dict[str, Any]) -> dict[str, Any]:
    out = {name: e.get("value") for name, e in positions.get("vars", {}).items()}
    for clause, params in positions.get("params", {}).items():
        out.update({f"{clause}.{name}": e.get("value") for name, e in params.items()})
    return out


def _short(side: str) -> str:
    return side.upper() if len(side) <= 5 else side


def _show(value: Any) -> str:
    if value is None:
        return "(not set)"
    if isinstance(value, list):
        return f"[{len(value)} items]"
    return str(value)
