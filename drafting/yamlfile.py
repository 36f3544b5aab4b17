"""Safe YAML for files typed by hand or received from elsewhere.

Keeps the node tree so that errors can name the line of the offending key, and refuses
anchors and aliases outright: they are never needed in these files and are the YAML form
of the "billion laughs" bomb.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import DraftingError

MAX_YAML_BYTES = 5_000_000


class _NoAliasLoader(yaml.SafeLoader):
    def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.MarkedYAMLError(
                problem="aliases (*name) are not allowed", problem_mark=event.start_mark
            )
        return super().compose_node(parent, index)


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
    loader = _NoAliasLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
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
