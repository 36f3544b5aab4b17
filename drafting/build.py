"""`draft build`: assemble one side's draft from the workspace and record it as a revision."""

from __future__ import annotations

import getpass
import hashlib
import json
import os
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .assemble import Assembly, assemble
from .errors import DraftingError
from .library import load_library
from .store import NewRevision, Revision, Store, split_ref
from .workspace import Agreement, Workspace, apply_overrides, load_agreement, load_position

if TYPE_CHECKING:
    from .check import Finding


@dataclass(frozen=True)
class BuildResult:
    revision: Revision
    created: bool
    assembly: Assembly
    forced: tuple[Finding, ...] = ()  # errors recorded anyway with --force


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
    """Check the inputs (never forceable), assemble, run the error-level checks of the
    text (a draft with errors is refused unless forced), and record the revision."""
    from .check import check_draft, check_inputs, errors  # check reads the store: import late

    agreement = load_agreement(ws, agreement_name)
    agreement.check_side(side)
    library = load_library(ws.clauses_dir)
    position = apply_overrides(load_position(agreement, side), list(overrides))
    _refuse(errors(check_inputs(ws, agreement, library, position)), agreement_name)
    try:
        assembly = assemble(ws, library, agreement, position)
    except DraftingError as e:
        raise e.relative_to(ws.root) from None
    found = errors(check_draft(ws, agreement, library, position, assembly))
    if not force:
        _refuse(found, agreement_name)
    new = NewRevision(
        side=side, author=author or default_author(), message=message,
        document=assembly.document,
        inputs=inputs_digest(side, assembly.sources, overrides),
        sources=assembly.sources, overrides=tuple(overrides), clauses=assembly.clauses,
        positions=assembly.positions)
    revision, created = open_store(ws, agreement).add(new)
    return BuildResult(revision, created, assembly, tuple(found))


def _refuse(found: list[Finding], agreement_name: str) -> None:
    """The first error as the message, where it is first; --force offered only when every
    error is one it can record."""
    if not found:
        return
    first = found[0]
    more = f" (and {len(found) - 1} more: see 'draft check {agreement_name}')" \
        if len(found) > 1 else ""
    force = "; or build with --force to record it anyway" \
        if all(f.forceable for f in found) else ""
    raise DraftingError(f"{first.message}{more}; not recorded{force}",
                        None if first.file == agreement_name else first.file, first.line)


def open_revision(ws: Workspace, ref: str) -> Revision:
    """Resolve a ref such as 'phased-agreement@us~1' to its revision."""
    name, selector, up = split_ref(ref)
    agreement = load_agreement(ws, name)  # a clear error for an unknown agreement
    store = open_store(ws, name)
    if selector in agreement.sides and not any(i.side == selector for i in store.infos()):
        raise DraftingError(f"no revision '{ref}': side '{selector}' has no revision yet "
                            f"(run 'draft build {name} --side {selector}', or 'draft import "
                            f"FILE -a {name} -s {selector}')")
    if selector not in agreement.sides and not re.fullmatch(
            r"latest|HEAD|r\d+|[0-9a-f]{4,64}", selector):
        raise DraftingError(f"no revision '{ref}': {name} has no side '{selector}' (sides: "
                            f"{', '.join(agreement.sides)}); use @latest, @SIDE, @rN or "
                            "@<hash prefix>, with ~N for ancestors")
    return store.resolve(selector, up, ref)
