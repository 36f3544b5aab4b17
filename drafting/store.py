"""The revision store: immutable, content-addressed revisions of Documents, with provenance.

`drafts/<agreement>/revisions/<sha256>.json` holds one revision; its name is the sha256 of
its bytes, so any alteration is detectable: every read checks it, `verify` checks them all.
Two machines that build independently can merge the folder with git without a conflict.
Nothing is ever rewritten.

Refs name revisions the way git does: `phased-agreement@us~1` is the parent of the latest
revision of side `us`; `@r3` is a number recorded in the revision (see `lineage`), and
after a fork `@r5` may name two revisions, which it refuses to guess between. The index
in `.cache/` (see `store_index`) only saves parsing; nothing it says is taken on trust.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import os
import re
import stat
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from . import lineage, store_index
from .errors import DraftingError
from .lineage import Fork, RevisionInfo
from .model import Document
from .names import shorten
from .outfile import write_atomic
from .sourcefile import check_control

FORMAT = 1
_HASH_NAME = re.compile(r"[0-9a-f]{64}\.json")
_REF = re.compile(r"^(?P<agreement>[^@~]+)(?:@(?P<sel>[^~]*))?(?P<up>(?:~\d{0,9})*)$")
MAX_REVISION_BYTES = 200_000_000  # on write as on read: the store never writes what it refuses
_EARLIEST_YEAR, _LATEST_YEAR = 1970, 9998  # a build outside these years is a wrong clock
_SILENT_NAMES = (".gitkeep",)  # git's idiom for keeping an empty folder
_T = TypeVar("_T")


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


class DamagedFile(DraftingError):
    """A file in revisions/ that cannot be used. `altered` when it is one of this agreement's
    revisions whose bytes changed (nothing may be built on top); otherwise it is stray."""

    def __init__(self, agreement: str, name: str, reason: str, *,
                 altered: dict[str, Any] | None = None):
        self.name, self.reason = name, reason
        self.altered = altered is not None
        # what the altered record says of its place (parent, seq): never used as a revision,
        # only so that the revisions after it keep their numbers
        self.link = lineage.link(altered) if altered is not None else None
        super().__init__(f"revision file {name[:10]} of {agreement}: {reason}; "
                         f"run 'draft verify {agreement}'")


def parse_time(text: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def format_time(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _now() -> dt.datetime:
    fixed = os.environ.get("DRAFTING_NOW")  # reproducible examples and tests
    if not fixed:
        return dt.datetime.now(dt.UTC)
    try:
        moment = parse_time(fixed).astimezone(dt.UTC)
    except (ValueError, OverflowError):
        moment = None
    if moment is None or not _EARLIEST_YEAR <= moment.year <= _LATEST_YEAR:
        raise DraftingError(f"DRAFTING_NOW={fixed!r} is not a possible time: give one between "
                            f"{_EARLIEST_YEAR} and {_LATEST_YEAR}, e.g. 2026-11-20T09:00:00Z")
    return moment


def encode(record: dict[str, Any]) -> bytes:
    """Canonical bytes: sorted keys, no spaces (and json's fast C encoder)."""
    return (json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
            + "\n").encode()


_warned: set[str] = set()


def _warn_stderr(message: str) -> None:
    """Once per process: several commands open the same store more than once."""
    if message not in _warned:
        _warned.add(message)
        print(f"draft: warning: {message}", file=sys.stderr)


class Store:
    """The revisions of one agreement."""

    def __init__(self, agreement_dir: Path, agreement: str,
                 warn: Callable[[str], None] = _warn_stderr):
        self.dir = agreement_dir / "revisions"
        self.agreement = agreement
        self._lock_path = agreement_dir / ".lock"
        self._index_path = agreement_dir / ".cache" / "index.json"
        self._warn = warn
        self.damaged: dict[str, DamagedFile] = {}  # file name -> what is wrong with it

    def _refuse_links(self) -> None:
        """The store writes only inside its own folder: a link could lead anywhere."""
        for path in (self.dir, self._index_path.parent, self._lock_path):
            if path.is_symlink():
                raise DraftingError("is a symbolic link; the revision store does not follow "
                                    "links (replace it with a real one)", path)

    # -- writing ------------------------------------------------------------------------

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Serialise writers: concurrent builds all land, each with the right parent."""
        self._refuse_links()
        self.dir.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(self._lock_path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW
                         | os.O_NONBLOCK | os.O_CLOEXEC, 0o666)
        except OSError as e:
            raise DraftingError(f"cannot open the lock: {e.strerror}", self._lock_path) from None
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise DraftingError("not a regular file", self._lock_path)
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    def add(self, new: NewRevision) -> tuple[Revision, bool]:
        """Record new; returns (revision, created). A build whose inputs and document equal
        the side's latest revision records nothing and names that revision instead."""
        with self.locked():
            self._remove_interrupted_writes()
            infos = self._scan()
            altered = [d for d in self.damaged.values() if d.altered]
            if altered:  # its number and place in the chain cannot be trusted, nor skipped
                raise DraftingError(f"not recorded: {altered[0].message}")
            self._warn_damaged()
            mine = [i for i in infos if i.side == new.side]
            if mine and mine[-1].inputs == new.inputs:  # only then is the document read
                previous = self.load(mine[-1].id, mine[-1].seq)
                if previous.document == new.document:
                    return previous, False
            parent, seq, merges = lineage.next_place(infos)
            record = {
                "format": FORMAT,
                "agreement": self.agreement,
                "side": new.side,
                "parent": parent,
                "seq": seq,
                **({"merges": merges} if merges else {}),
                "author": new.author,
                "message": new.message,
                "time": format_time(_now()),
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
            if _MAYBE_CONTROL.search(data):  # only then is every text looked at, to say where
                _refuse_controls(record)
            if len(data) > MAX_REVISION_BYTES:
                raise DraftingError(f"not recorded: the revision would be {len(data):,} bytes, "
                                    f"over the store's limit of {MAX_REVISION_BYTES:,}")
            rev_id = hashlib.sha256(data).hexdigest()
            path = self.dir / f"{rev_id}.json"
            write_atomic(path, data, sync_folder=True)
            revision = _revision(rev_id, record, seq)
            entries = store_index.load(self._index_path)
            entries[rev_id] = store_index.entry(record, rev_id,
                                                store_index.signature(os.lstat(path)),
                                                revision.document)
            store_index.save(self._index_path, entries)
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
        """All usable revisions in sequence order, r1 first. A file that is not one of them
        (altered, foreign, not a revision) is skipped with a warning and kept in `damaged`."""
        infos = self._scan()
        self._warn_damaged()
        return infos

    def _warn_damaged(self) -> None:
        for damaged in self.damaged.values():
            self._warn(f"{self.agreement}: skipped revisions/{damaged.name}: {damaged.reason} "
                       f"(see 'draft verify {self.agreement}')")

    def _scan(self) -> list[RevisionInfo]:
        self._refuse_links()
        self.damaged = {}
        if not self.dir.is_dir():
            return []
        cache = store_index.load(self._index_path)
        entries: dict[str, dict[str, Any]] = {}
        for name in sorted(os.listdir(self.dir)):
            if not _HASH_NAME.fullmatch(name):
                if not name.endswith(".tmp") and name not in _SILENT_NAMES:
                    self.damaged[name] = DamagedFile(self.agreement, name,
                                                     "not a revision file name")
                continue
            rev_id = name[:-5]
            with contextlib.suppress(FileNotFoundError):
                cached = cache.get(rev_id)
                current = store_index.signature(os.lstat(self.dir / name))
                if cached is not None and cached["stat"] == current:
                    entries[rev_id] = cached
                    continue
                try:
                    record, signature = self._read(rev_id)
                    entries[rev_id] = self._checked(
                        rev_id, lambda: _indexed(record, rev_id, signature))  # noqa: B023
                except DamagedFile as e:
                    self.damaged[name] = e
        if entries != cache:
            store_index.save(self._index_path, entries)
        links = {d.name[:-5]: d.link for d in self.damaged.values() if d.link}
        return lineage.in_order(entries, links)

    def load(self, rev_id: str, seq: int = 0) -> Revision:
        """The revision, after checking that its bytes still hash to its name."""
        record, _ = self._read(rev_id)
        return self._checked(rev_id, lambda: _revision(rev_id, record, seq))

    def _read(self, rev_id: str) -> tuple[dict[str, Any], list[int]]:
        """(record, stat signature) of a revision file that is what its name says."""
        name = f"{rev_id}.json"
        path = self.dir / name
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
        except FileNotFoundError:
            raise DraftingError(f"no revision {rev_id[:10]} in {self.agreement}") from None
        except OSError as e:
            reason = ("a symbolic link, not a revision file" if path.is_symlink()
                      else f"cannot be read: {e.strerror}")
            raise DamagedFile(self.agreement, name, reason) from None
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                raise DamagedFile(self.agreement, name, "not a regular file")
            if info.st_size > MAX_REVISION_BYTES:
                raise DamagedFile(self.agreement, name, "too large for a revision file "
                                  f"(over {MAX_REVISION_BYTES:,} bytes)")
            data = handle.read(MAX_REVISION_BYTES + 1)
        actual = hashlib.sha256(data).hexdigest()
        record = _parse(data)
        is_ours = record is not None and record.get("agreement") == self.agreement
        if actual != rev_id:
            if is_ours:
                raise DamagedFile(self.agreement, name, f"ALTERED: content hash is "
                                  f"{actual[:10]}, not the name it was stored under",
                                  altered=record)
            raise DamagedFile(self.agreement, name, "not a revision (its content does not "
                              "hash to its name)")
        if record is None:
            raise DamagedFile(self.agreement, name, "not a revision (not a JSON object)")
        if not is_ours:
            raise DamagedFile(self.agreement, name,
                              f"belongs to agreement {record.get('agreement')!r}")
        return record, store_index.signature(info)

    def _checked(self, rev_id: str, make: Callable[[], _T]) -> _T:
        """make() from a record whose fields may be missing or of the wrong type, or whose
        tables go over the readers' limits (Document.from_dict refuses them)."""
        try:
            return make()
        except (KeyError, TypeError, ValueError, AttributeError) as e:
            raise DamagedFile(self.agreement, f"{rev_id}.json",
                              f"corrupt revision file: missing or bad {e}") from None
        except DraftingError as e:
            raise DamagedFile(self.agreement, f"{rev_id}.json", e.message) from None

    # -- refs ---------------------------------------------------------------------------

    def resolve(self, selector: str, up: int = 0, ref: str = "") -> Revision:
        """selector: latest | r<N> | <side> | <hash prefix>; then `up` parents."""
        infos = self.infos()
        ref = shorten(ref or f"{self.agreement}@{selector}")
        if not infos and not self.damaged:
            raise DraftingError(f"no revision '{ref}': {self.agreement} has no revisions yet "
                                f"(run 'draft build {self.agreement} --side SIDE')")
        info = self._select(infos, selector, ref)
        by_id = {i.id: i for i in infos}
        for step in range(up):
            parent = info.parent
            if parent is not None and f"{parent}.json" in self.damaged:
                raise self.damaged[f"{parent}.json"]
            if parent is None or parent not in by_id:
                raise DraftingError(f"no revision '{ref}': r{info.seq} has no parent "
                                    f"(went back {step} of {up})")
            info = by_id[parent]
        return self.load(info.id, info.seq)

    def _select(self, infos: list[RevisionInfo], selector: str, ref: str) -> RevisionInfo:
        if infos and selector in ("", "latest", "HEAD"):
            return infos[-1]
        if re.fullmatch(r"r\d{1,9}", selector):
            numbered = [i for i in infos if i.seq == int(selector[1:])]
            if len(numbered) == 1:
                return numbered[0]
            if numbered:
                which = ", ".join(f"@{i.short} ({i.side}, {i.author})" for i in numbered)
                raise DraftingError(f"ambiguous revision '{ref}': {len(numbered)} revisions are "
                                    f"{selector} (built on two machines, then merged): {which}; "
                                    "name one by its id")
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
            damaged = [d for name, d in self.damaged.items() if name.startswith(selector)]
            if damaged:
                raise damaged[0]
        if not infos:
            raise DraftingError(f"no revision '{ref}': {self.agreement} has no usable "
                                f"revisions; run 'draft verify {self.agreement}'")
        sides_present = sorted({i.side for i in infos})
        skipped = (f"; {len(self.damaged)} damaged file(s) skipped, see 'draft verify "
                   f"{self.agreement}'" if self.damaged else "")
        raise DraftingError(
            f"no revision '{ref}': {self.agreement} has r1-r{infos[-1].seq} "
            f"(latest {infos[-1].short}), sides {', '.join(sides_present)}; "
            f"use @latest, @SIDE, @rN or @<hash prefix>, with ~N for ancestors{skipped}")

    # -- integrity ----------------------------------------------------------------------

    def verify(self) -> list[str]:
        """Problems found by re-hashing every revision; empty when the store is intact."""
        problems = []
        if not self.dir.is_dir():
            return problems
        self._refuse_links()
        parents: dict[str, str | None] = {}
        for name in sorted(os.listdir(self.dir)):
            if name.endswith(".tmp"):
                problems.append(f"{name}: leftover of an interrupted write (not a revision)")
                continue
            if name in _SILENT_NAMES:
                continue
            if not _HASH_NAME.fullmatch(name):
                problems.append(f"{name}: not a revision file name")
                continue
            try:
                record, _ = self._read(name[:-5])
                self._checked(name[:-5], lambda: _indexed(record, name[:-5], []))  # noqa: B023
            except DamagedFile as e:
                problems.append(f"{name[:10]}: {e.reason}")
                continue
            parents[name[:-5]] = record["parent"]
        present = set(self.ids())
        for rev_id, parent in sorted(parents.items()):
            if parent is not None and parent not in present:
                problems.append(f"{rev_id[:10]}: parent {parent[:10]} is missing")
        return problems

    def forks(self) -> list[Fork]:
        """Where the history branches, oldest first (empty for one straight line)."""
        return lineage.forks(self._scan())


def _parse(data: bytes) -> dict[str, Any] | None:
    try:
        record = json.loads(data)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None
    return record if isinstance(record, dict) else None


# What a control character _refuse_controls refuses becomes in the record's JSON (escaped
# as \u0000-\u001f, \b or \f, or DEL as it is); a backslash typed before a u, b or f
# matches too, and costs only the slow look.
_MAYBE_CONTROL = re.compile(rb"\\(?:u00[01]|[bf])|\x7f")


def _refuse_controls(record: dict[str, Any]) -> None:
    """Nothing that the readers would refuse as text goes into the store."""
    named = [("the message", record["message"]), ("the author", record["author"]),
             ("the title", record["document"]["title"])]
    named += [(f"block {n} ({block['label'] or block['id']})", " ".join(_strings(block)))
              for n, block in enumerate(record["document"]["blocks"], 1)]
    named.append(("the provenance", " ".join(_strings(
        {k: v for k, v in record.items() if k != "document"}))))
    for where, text in named:
        check_control(text, None, what=f"not recorded: {where}: ")


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def _indexed(record: dict[str, Any], rev_id: str, signature: list[int]) -> dict[str, Any]:
    made = store_index.entry(record, rev_id, signature)
    parse_time(made["time"])
    return made


def _revision(rev_id: str, record: dict[str, Any], seq: int) -> Revision:
    return Revision(
        id=rev_id, agreement=record["agreement"], side=record["side"],
        parent=record["parent"], author=record["author"], message=record["message"],
        time=record["time"], document=Document.from_dict(record["document"]),
        inputs=record["inputs"], sources=record.get("sources", {}),
        overrides=tuple(record.get("overrides", ())), clauses=record.get("clauses", {}),
        origin=record.get("origin", {}), positions=record.get("positions", {}), seq=seq)


def split_ref(ref: str) -> tuple[str, str, int]:
    """'phased-agreement@us~2' -> ('phased-agreement', 'us', 2)."""
    m = _REF.match(ref.strip())
    if not m:
        raise DraftingError(f"invalid revision ref '{shorten(ref)}': use AGREEMENT[@WHICH][~N]"
                            " (N of at most 9 digits)")
    up = sum(int(n or 1) for n in re.findall(r"~(\d*)", m.group("up")))
    return m.group("agreement"), m.group("sel") or "latest", up
