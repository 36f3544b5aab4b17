"""Open a .docx (a zip of XML parts) that may be hostile, and hand out its parts.

Everything is checked before anything is inflated: the central directory's size and entry
count, each entry's declared size, the total, the compression ratio and method (only
stored and deflate: bzip2 and lzma inflate a whole chunk at once, unbounded). Parts are
then read through a reader that stops at the declared size, so a header that lies cannot
inflate past the limits. Nothing is ever written to disk; entry names such as "../x" are
only ever compared with the names we look for.
"""

from __future__ import annotations

import io
import posixpath
import struct
import zipfile
from collections import Counter

from lxml import etree

from ...errors import DraftingError
from .budget import Budget
from .xml import parse

MAX_FILE_BYTES = 200_000_000
MAX_PART_BYTES = 100_000_000
MAX_TOTAL_BYTES = 300_000_000
MAX_RATIO = 100  # uncompressed / compressed, for entries over RATIO_FLOOR bytes
RATIO_FLOOR = 1_000_000
MAX_ENTRIES = 10_000
MAX_DIRECTORY_BYTES = MAX_ENTRIES * 400

_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_EOCD = b"PK\x05\x06"
_SIGNATURES = ((b"\x89PNG", "a PNG image"), (b"%PDF", "a PDF file"),
               (b"\xd0\xcf\x11\xe0", "an old binary .doc or a password-protected document; "
                "save it as .docx without a password"),
               (b"{\\rtf", "an RTF file"), (b"\xff\xd8\xff", "a JPEG image"))


class Package:
    """The parts of one checked archive, read on demand; every part parsed is charged to
    the file's budget."""

    def __init__(self, data: bytes, source: str):
        self.source = source
        self.budget = Budget(source)
        _check_directory(data, source)
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError) as e:
            raise DraftingError(f"damaged .docx (not a readable zip archive: {e})",
                                source) from None
        self._entries = _checked_entries(self._zip, source)

    def has(self, name: str) -> bool:
        return name in self._entries

    def names(self) -> list[str]:
        return list(self._entries)

    def read(self, name: str) -> bytes:
        info = self._entries[name]
        try:
            with self._zip.open(info) as stream:
                data = stream.read(info.file_size + 1)
        except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError, ValueError) as e:
            raise DraftingError(f"damaged .docx: cannot read {name} ({e})", self.source) \
                from None
        if len(data) != info.file_size:
            raise DraftingError(f"damaged .docx: {name} is not the size its header says",
                                self.source)
        return data

    def xml(self, name: str) -> etree._Element:
        data = self.read(name)
        self.budget.xml(data, name)
        return parse(data, name, self.source)

    def relationships(self, part: str) -> list[tuple[str, str]]:
        """(type, part name) of each internal relationship of `part` ("" for the package
        itself), in order; the type is the last segment of its URI ("styles")."""
        folder, base = posixpath.split(part)
        rels = posixpath.join(folder, "_rels", base + ".rels")
        if not self.has(rels):
            return []
        out = []
        for rel in self.xml(rels).iter(_REL):
            target = rel.get("Target") or ""
            if rel.get("TargetMode") == "External" or not target:
                continue
            name = target[1:] if target.startswith("/") else posixpath.join(folder, target)
            out.append(((rel.get("Type") or "").rsplit("/", 1)[-1], posixpath.normpath(name)))
        return out


def _check_directory(data: bytes, source: str) -> None:
    """Refuse non-zips, truncated zips and oversized central directories before zipfile
    spends time and memory parsing them."""
    if not data.startswith(b"PK"):
        what = next((f"it is {name}" for magic, name in _SIGNATURES if data.startswith(magic)),
                    "not a zip archive")
        raise DraftingError(f"not a Word .docx file: {what}", source)
    end = data.rfind(_EOCD, max(0, len(data) - 65_557))
    if end < 0 or len(data) < end + 22:
        raise DraftingError("damaged or truncated .docx (the zip archive has no end record)",
                            source)
    entries, size, offset = struct.unpack("<HII", data[end + 10 : end + 20])
    if entries == 0xFFFF or size == 0xFFFFFFFF or offset == 0xFFFFFFFF:
        raise DraftingError("refused: zip64 archive (Word files are never that large)", source)
    if entries > MAX_ENTRIES or size > MAX_DIRECTORY_BYTES:
        raise DraftingError(f"refused: the zip archive has {entries} entries "
                            f"(limit {MAX_ENTRIES})", source)
    if offset + size > end:
        raise DraftingError("damaged or truncated .docx (the zip directory points past "
                            "the end of the file)", source)


def _checked_entries(archive: zipfile.ZipFile, source: str) -> dict[str, zipfile.ZipInfo]:
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        raise DraftingError(f"refused: the zip archive has {len(infos)} entries "
                            f"(limit {MAX_ENTRIES})", source)
    duplicate = next((n for n, c in Counter(i.filename for i in infos).items() if c > 1), None)
    if duplicate:
        raise DraftingError(f"refused: the zip archive holds {duplicate} twice", source)
    total = 0
    for info in infos:
        name = info.filename
        if info.file_size > MAX_PART_BYTES:
            raise DraftingError(f"refused: {name} would unpack to {info.file_size} bytes "
                                f"(limit {MAX_PART_BYTES}; possible zip bomb)", source)
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * info.compress_size:
            ratio = info.file_size // max(1, info.compress_size)
            raise DraftingError(f"refused: {name} is compressed {ratio} to 1 "
                                f"(limit {MAX_RATIO}; possible zip bomb)", source)
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise DraftingError(f"refused: {name} uses an unsupported compression method "
                                f"({info.compress_type})", source)
        if info.flag_bits & 0x1:
            raise DraftingError(f"refused: {name} is encrypted", source)
        total += info.file_size
    if total > MAX_TOTAL_BYTES:
        raise DraftingError(f"refused: the parts would unpack to {total} bytes in total "
                            f"(limit {MAX_TOTAL_BYTES}; possible zip bomb)", source)
    return {info.filename: info for info in infos}
