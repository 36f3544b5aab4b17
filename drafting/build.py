"""`draft build`: assemble one side's draft from the workspace and record it as a revision."""

from __future__ import annotations

import getpass
import hashlib
import json
import os
from dataclasses import dataclass

from .assemble import Assembly, assemble
from .errors import DraftingError
from .library import load_library
from .store import NewRevision, Revision, Store, split_ref
from .workspace import Agreement, Workspace, apply_overrides, load_agreement, load_position


@dataclass(frozen=True)
class BuildResult:
    revision: Revision
    created: bool
    assembly: Assembly
    forced: tuple[str, ...] = ()  # errors recorded anyway with --force


def default_author() -> str:
    return os.environ.get("DRAFTING_AUTHOR") or getpass.getuser()


def open_store(ws: Workspace, agreement: Agreement | str) -> Store:
    name = agreement if isinstance(agreement, str) else agreement.name
    return Store(ws.agreement_dir(name), name)


def assemble_side(ws: Workspace, agreement: Agreement, side: str,
                  overrides: list[str] | tuple[str, ...] = ()) -> Assembly:
    agreement.check_side(side)
    position = apply_overrides(load_position(agreement, side), list(overrides))
    return assemble(ws, load_library(ws.clauses_dir), agreement, position)


def inputs_digest(side: str, sources: dict[str, str], overrides: list[str] | tuple[str, ...]
                  ) -> str:
    """One hash for everything a draft was made from: equal digests mean an equal rebuild."""
    blob = json.dumps({"side": side, "sources": sources, "overrides": list(overrides)},
                      sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()


def build(ws: Workspace, agreement_name: str, side: str, *, author: str | None = None,
          message: str = "", overrides: list[str] | tuple[str, ...] = (),
          force: bool = False) -> BuildResult:
    """Assemble, run the error-level checks (a draft with errors is refused unless forced),
    and record the revision."""
    from .check import check_draft, errors

    agreement = load_agreement(ws, agreement_name)
    agreement.check_side(side)
    library = load_library(ws.clauses_dir)
    position = apply_overrides(load_position(agreement, side), list(overrides))
    assembly = assemble(ws, library, agreement, position)
    found = errors(check_draft(ws, agreement, library, position, assembly))
    if found and not force:
        more = f" and {len(found) - 1} more" if len(found) > 1 else ""
        raise DraftingError(f"not recorded: {found[0]}{more}; see 'draft check "
                            f"{agreement_name}', or build with --force")
    new = NewRevision(
        side=side, author=author or default_author(), message=message,
        document=assembly.document,
        inputs=inputs_digest(side, assembly.sources, overrides),
        sources=assembly.sources, overrides=tuple(overrides), clauses=assembly.clauses,
        positions=assembly.positions)
    revision, created = open_store(ws, agreement).add(new)
    return BuildResult(revision, created, assembly, tuple(str(f) for f in found))


def open_revision(ws: Workspace, ref: str) -> Revision:
    """Resolve a ref such as 'phased-agreement@us~1' to its revision."""
    name, selector, up = split_ref(ref)
    load_agreement(ws, name)  # a clear error for an unknown agreement
    return open_store(ws, name).resolve(selector, up, ref)
