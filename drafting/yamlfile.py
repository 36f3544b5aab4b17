"""Safe YAML for files typed by hand or received from elsewhere.

Keeps the node tree so that errors can name the line of the offending key, and refuses
aliases outright.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import DraftingError

MAX_YAML_BYTES = 5_000_000


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML has it


def _refuse_aliases(text: str) -> None:
    """Aliases are never needed in these files and are the YAML "billion laughs" bomb."""
    if "*" not in text:  # an alias is written *name
        return
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent):
            raise yaml.MarkedYAMLError(problem="aliases (*name) are not allowed",
                                       problem_mark=event.start_mark)


class YamlDoc:
    """Parsed YAML: `data` (plain Python values) and `line_of(*keys)` for error messages."""

    def __init__(self, data: Any, node: yaml.Node | None, path: Path | str, line_offset: int):
        self.data = data
        self._node = node
        self.path = path
        self._offset = line_offset

    def line_of(self, *keys: str | int) -> int | None:
        """1-based line of the value at keys (or of the deepest key that exists)."""
        node = self._node
        line = node.start_mark.line if node is not None else None
        for key in keys:
            if isinstance(node, yaml.MappingNode):
                found = next(
                    ((k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)
                     and k.value == str(key)),
                    None,
                )
                if found is None:
                    break
                line, node = found[0].start_mark.line, found[1]
            elif isinstance(node, yaml.SequenceNode) and isinstance(key, int):
                if key >= len(node.value):
                    break
                node = node.value[key]
                line = node.start_mark.line
            else:
                break
        return None if line is None else line + 1 + self._offset

    def error(self, message: str, *keys: str | int) -> DraftingError:
        return DraftingError(message, self.path, self.line_of(*keys))


def parse_yaml(text: str, path: Path | str, line_offset: int = 0) -> YamlDoc:
    """Parse text; line_offset is added to line numbers (front matter starts at line 2)."""
    if len(text) > MAX_YAML_BYTES:
        raise DraftingError(f"YAML too large ({len(text)} bytes)", path)
    loader = _Loader(text)
    try:
        _refuse_aliases(text)
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        if mark and e.context_mark and mark.line >= text.count("\n"):  # at the very end
            mark = e.context_mark
        line = mark.line + 1 + line_offset if mark else None
        raise DraftingError(f"invalid YAML: {e.problem or e.context}", path, line) from None
    except yaml.YAMLError as e:
        raise DraftingError(f"invalid YAML: {e}", path) from None
    finally:
        loader.dispose()
    return YamlDoc(data, node, path, line_offset)


def load_yaml_file(path: Path) -> tuple[YamlDoc, bytes]:
    """Read and parse a YAML file; returns the document and the raw bytes (for hashing)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DraftingError("no such file", path) from None
    except OSError as e:
        raise DraftingError(f"cannot read: {e.strerror}", path) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise DraftingError(f"not UTF-8 text (byte {e.start})", path) from None
    return parse_yaml(text, path), raw
