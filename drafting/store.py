"""The revision store: immutable, content-addressed revisions of Documents, with provenance.

`drafts/<agreement>/revisions/<sha256>.json` holds one revision; its name is the sha256 of
its bytes, so any alteration is detectable (`verify`) and two machines that build
independently can merge the folder with git without a conflict. Nothing is ever rewritten.

Refs name revisions the way git does: `phased-agreement@us~1` is the parent of the latest
revision of side `us`. Sequence numbers (`@r3`) follow the order of the revisions' times.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import DraftingError
from .model import Document
from .names import shorten
from .outfile import write_atomic

FORMAT = 1
_HASH_NAME = re.compile(r"[0-9a-f]{64}\.json")
_REF = re.compile(r"^(?P<agreement>[^@~]+)(?:@(?P<sel>[^~]*))?(?P<up>(?:~\d{0,9})*)$")
MAX_REVISION_BYTES = 200_000_000


@dataclass(frozen=True)
class RevisionInfo:
    """What `log` and ref resolution need, without loading the whole document."""

    id: str
    side: str
    parent: str | None
    time: str
    author: str
    message: str
    articles: int
    words: int
    inputs: str = ""
    seq: int = 0

    @property
    def short(self) -> str:
        return self.id[:10]


@dataclass(frozen=True)
class Revision:
    id: str
    agreement: str
    side: str
    parent: str | None
    author: str
    message: str
    time: str
    document: Document
    inputs: str  # digest of everything the document was made from
    sources: dict[str, str] = field(default_factory=dict)  # path -> sha256
    overrides: tuple[str, ...] = ()
    clauses: dict[str, int] = field(default_factory=dict)  # clause id -> edition
    origin: dict[str, Any] = field(default_factory=dict)  # e.g. the imported file
    positions: dict[str, Any] = field(default_factory=dict)  # variables and parameters used
    seq: int = 0

    @property
    def short(self) -> str:
        return self.id[:10]

    @property
    def datetime(self) -> dt.datetime:
        return parse_time(self.time)


@dataclass(frozen=True)
class NewRevision:
    """Everything a revision records except what the store decides (id, parent, time)."""

    side: str
    author: str
    message: str
    document: Document
    inputs: str
    sources: dict[str, str] = field(default_factory=dict)
    overrides: tuple[str, ...] = ()
    clauses: dict[str, int] = field(default_factory=dict)
    origin: dict[str, Any] = field(default_factory=dict)
    positions: dict[str, Any] = field(default_factory=dict)


def parse_time(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def format_time(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _now() -> dt.datetime:
    fixed = os.environ.get("DRAFTING_NOW")  # reproducible examples and tests
    return parse_time(fixed) if fixed else dt.datetime.now(dt.UTC)


def encode(record: dict[str, Any]) -> bytes:
    """Canonical bytes: sorted keys, no spaces (and json's fast C encoder)."""
    return (json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
            + "\n").encode()


class Store:
    """The revisions of one agreement."""

    def __init__(self, agreement_dir: Path, agreement: str):
        self.dir = agreement_dir / "revisions"
        self.agreement = agreement
        self._lock_path = agreement_dir / ".lock"
        self._cache_path = agreement_dir / ".cache" / "index.json"

    # -- writing ------------------------------------------------------------------------

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Serialise writers: concurrent builds all land, each with the right parent."""
        self.dir.mkdir(parents=True, exist_ok=True)
        with open(self._lock_path, "a+") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def add(self, new: NewRevision) -> tuple[Revision, bool]:
        """Record new; returns (revision, created). A build whose inputs and document equal
        the side's latest revision records nothing and names that revision instead."""
        with self.locked():
            self._remove_interrupted_writes()
            infos = self.infos()
            latest = infos[-1] if infos else None
            mine = [i for i in infos if i.side == new.side]
            if mine and mine[-1].inputs == new.inputs:  # only then is the document read
                previous = self.load(mine[-1].id, mine[-1].seq)
                if previous.document == new.document:
                    return previous, False
            moment = _now()
            if latest is not None and moment <= parse_time(latest.time):
                moment = parse_time(latest.time) + dt.timedelta(microseconds=1)
            record = {
                "format": FORMAT,
                "agreement": self.agreement,
                "side": new.side,
                "parent": latest.id if latest else None,
                "author": new.author,
                "message": new.message,
                "time": format_time(moment),
                "inputs": new.inputs,
                "sources": new.sources,
                "overrides": list(new.overrides),
                "clauses": new.clauses,
                "origin": new.origin,
                "document": new.document.to_dict(),
            }
            if new.positions:  # built from the library (an import has none)
                record["positions"] = new.positions
            data = encode(record)
            rev_id = hashlib.sha256(data).hexdigest()
            write_atomic(self.dir / f"{rev_id}.json", data, sync_folder=True)
            revision = _revision(rev_id, record, len(infos) + 1)
            self._save_cache({**self._load_cache(), rev_id: _info_dict(revision)})
            return revision, True

    def _remove_interrupted_writes(self) -> None:
        """Under the lock no write is in progress, so any temporary file is a leftover of a
        killed process: it never became a revision and can go."""
        for tmp in self.dir.glob("*.tmp"):
            with contextlib.suppress(OSError):
                tmp.unlink()

    # -- reading ------------------------------------------------------------------------

    def ids(self) -> list[str]:
        if not self.dir.is_dir():
            return []
        return [n[:-5] for n in os.listdir(self.dir) if _HASH_NAME.fullmatch(n)]

    def infos(self) -> list[RevisionInfo]:
        """All revisions in sequence order (by time, then id), r1 first."""
        ids = self.ids()
        cache = self._load_cache()
        missing = [i for i in ids if i not in cache]
        for rev_id in missing:
            cache[rev_id] = _info_dict(self.load(rev_id))
        if missing:
            self._save_cache(cache)
        if any("inputs" not in cache[i] for i in ids):  # a cache from an older version
            cache.update({i: _info_dict(self.load(i)) for i in ids})
            self._save_cache(cache)
        rows = sorted((cache[i] for i in ids), key=lambda r: (r["time"], r["id"]))
        return [RevisionInfo(**{**row, "seq": n}) for n, row in enumerate(rows, 1)]

    def load(self, rev_id: str, seq: int = 0) -> Revision:
        path = self.dir / f"{rev_id}.json"
        try:
            if path.stat().st_size > MAX_REVISION_BYTES:
                raise DraftingError("revision file too large", path)
            record = json.loads(path.read_bytes())
        except FileNotFoundError:
            raise DraftingError(f"no revision {rev_id[:10]} in {self.agreement}") from None
        except (ValueError, UnicodeDecodeError) as e:
            raise DraftingError(f"corrupt revision file: {e}", path) from None
        try:
            return _revision(rev_id, record, seq)
        except (KeyError, TypeError, ValueError) as e:
            raise DraftingError(f"corrupt revision file: missing or bad {e}", path) from None

    def _load_cache(self) -> dict[str, dict[str, Any]]:
        try:
            cache = json.loads(self._cache_path.read_bytes())
            return cache if isinstance(cache, dict) else {}
        except (OSError, ValueError):
            return {}

    def _save_cache(self, cache: dict[str, dict[str, Any]]) -> None:
        """Best effort: the cache only saves re-reading immutable files."""
        with contextlib.suppress(OSError, DraftingError):
            self._cache_path.parent.mkdir(exist_ok=True)
            write_atomic(self._cache_path, json.dumps(cache))

    # -- refs ---------------------------------------------------------------------------

    def resolve(self, selector: str, up: int = 0, ref: str = "") -> Revision:
        """selector: latest | r<N> | <side> | <hash prefix>; then `up` parents."""
        infos = self.infos()
        ref = ref or f"{self.agreement}@{selector}"
        if not infos:
            raise DraftingError(f"no revision '{shorten(ref)}': {self.agreement} has no "
                                "revisions yet "
                                f"(run 'draft build {self.agreement} --side SIDE')")
        info = self._select(infos, selector, ref)
        by_id = {i.id: i for i in infos}
        for step in range(up):
            if info.parent is None or info.parent not in by_id:
                raise DraftingError(f"no revision '{shorten(ref)}': r{info.seq} has no parent "
                                    f"(went back {step} of {up})")
            info = by_id[info.parent]
        return self.load(info.id, info.seq)

    def _select(self, infos: list[RevisionInfo], selector: str, ref: str) -> RevisionInfo:
        if selector in ("", "latest", "HEAD"):
            return infos[-1]
        if re.fullmatch(r"r\d{1,9}", selector):
            n = int(selector[1:])
            if 1 <= n <= len(infos):
                return infos[n - 1]
        sides = [i for i in infos if i.side == selector]
        if sides:
            return sides[-1]
        if re.fullmatch(r"[0-9a-f]{4,64}", selector):
            matches = [i for i in infos if i.id.startswith(selector)]
            if len(matches) == 1:
                return matches[0]
            if len(matches) > 1:
                raise DraftingError(f"ambiguous revision '{ref}': {len(matches)} revisions "
                                    "start with it; give more characters")
        sides_present = sorted({i.side for i in infos})
        raise DraftingError(
            f"no revision '{shorten(ref)}': {self.agreement} has r1-r{len(infos)} "
            f"(latest {infos[-1].short}), sides {', '.join(sides_present)}; "
            "use @latest, @SIDE, @rN or @<hash prefix>, with ~N for ancestors")

    # -- integrity ----------------------------------------------------------------------

    def verify(self) -> list[str]:
        """Problems found by re-hashing every revision; empty when the store is intact."""
        problems = []
        if not self.dir.is_dir():
            return problems
        parents: dict[str, str | None] = {}
        for name in sorted(os.listdir(self.dir)):
            path = self.dir / name
            if name.endswith(".tmp"):
                problems.append(f"{name}: leftover of an interrupted write (not a revision)")
                continue
            if not _HASH_NAME.fullmatch(name):
                problems.append(f"{name}: not a revision file name")
                continue
            actual = hashlib.sha256(path.read_bytes()).hexdigest()
            if actual != name[:-5]:
                problems.append(f"{name[:10]}: ALTERED: content hash is {actual[:10]}, "
                                "not the name it was stored under")
                continue
            try:
                revision = self.load(name[:-5])
            except DraftingError as e:
                problems.append(f"{name[:10]}: {e.message}")
                continue
            if revision.agreement != self.agreement:
                problems.append(f"{name[:10]}: belongs to agreement '{revision.agreement}'")
            parents[revision.id] = revision.parent
        present = set(self.ids())
        for rev_id, parent in sorted(parents.items()):
            if parent is not None and parent not in present:
                problems.append(f"{rev_id[:10]}: parent {parent[:10]} is missing")
        return problems


def _revision(rev_id: str, record: dict[str, Any], seq: int) -> Revision:
    return Revision(
        id=rev_id, agreement=record["agreement"], side=record["side"],
        parent=record["parent"], author=record["author"], message=record["message"],
        time=record["time"], document=Document.from_dict(record["document"]),
        inputs=record["inputs"], sources=record.get("sources", {}),
        overrides=tuple(record.get("overrides", ())), clauses=record.get("clauses", {}),
        origin=record.get("origin", {}), positions=record.get("positions", {}), seq=seq)


def _info_dict(revision: Revision) -> dict[str, Any]:
    return {"id": revision.id, "side": revision.side, "parent": revision.parent,
            "time": revision.time, "author": revision.author, "message": revision.message,
            "articles": revision.document.article_count(),
            "words": revision.document.word_count(), "inputs": revision.inputs}


def split_ref(ref: str) -> tuple[str, str, int]:
    """'phased-agreement@us~2' -> ('phased-agreement', 'us', 2)."""
    m = _REF.match(ref.strip())
    if not m:
        raise DraftingError(f"invalid revision ref '{shorten(ref)}': use AGREEMENT[@WHICH][~N]"
                            " (N of at most 9 digits)")
    up = sum(int(n or 1) for n in re.findall(r"~(\d*)", m.group("up")))
    return m.group("agreement"), m.group("sel") or "latest", up
