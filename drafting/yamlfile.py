"""Safe YAML for files typed by hand or received from elsewhere.

Keeps the node tree so that errors can name the line of the offending key, and refuses
aliases outright.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import DraftingError
from .sourcefile import check_control, decode_text, read_source

MAX_YAML_BYTES = 5_000_000


_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML has it


class InvalidValue(DraftingError):
    """A value YAML parsed but that is refused: a date that does not exist, a control
    character."""


class _ValueError(yaml.MarkedYAMLError):
    pass


class _Loader(_BaseLoader):  # type: ignore[valid-type,misc]
    """The safe loader, with a value it cannot convert (a 2026-02-30, an integer of more
    than 4,300 digits) reported at its line instead of raising a bare ValueError."""

    def resolve(self, kind: type, value: str | None, implicit: tuple[bool, bool]) -> str:
        """The tag of a node: the same short scalars ("type", "int", "default") recur in
        every clause file, so their tags are kept (no path resolvers: a tag depends only
        on these arguments)."""
        key = (kind, value, implicit)
        tag = _TAGS.get(key)
        if tag is None:
            tag = super().resolve(kind, value, implicit)
            if value is not None and len(value) <= 40 and len(_TAGS) < 10_000:
                _TAGS[key] = tag
        return tag


_TAGS: dict[tuple[type, str | None, tuple[bool, bool]], str] = {}


def _located(tag: str, what: str) -> None:
    construct = _Loader.yaml_constructors[tag]

    def checked(loader: Any, node: yaml.Node) -> Any:
        try:
            return construct(loader, node)
        except (ValueError, OverflowError) as e:
            reason = "more than 4,300 digits" if "digits" in str(e) else str(e)
            raise _ValueError(problem=f"invalid {what} {node.value[:40]!r}: {reason}",
                              problem_mark=node.start_mark) from None

    _Loader.add_constructor(tag, checked)


_located("tag:yaml.org,2002:int", "number")
_located("tag:yaml.org,2002:float", "number")
_located("tag:yaml.org,2002:timestamp", "date")


def _check_scalars(node: yaml.Node | None, path: Path | str, line_offset: int) -> None:
    """Refuse control characters in keys and values (escapes such as "\\0" included)."""
    stack = [node] if node is not None else []
    while stack:
        n = stack.pop()
        if isinstance(n, yaml.ScalarNode):
            try:
                check_control(n.value, path, n.start_mark.line + line_offset)
            except DraftingError as e:
                raise InvalidValue(e.message, e.path, e.line) from None
        elif isinstance(n, yaml.SequenceNode):
            stack.extend(n.value)
        elif isinstance(n, yaml.MappingNode):
            stack.extend(x for pair in n.value for x in pair)


def _refuse_aliases(text: str) -> None:
    """Aliases are never needed in these files and are the YAML "billion laughs" bomb."""
    if "*" not in text:  # an alias is written *name
        return
    for event in yaml.parse(text, Loader=_BaseLoader):
        if isinstance(event, yaml.AliasEvent):
            raise yaml.MarkedYAMLError(problem="aliases (*name) are not allowed",
                                       problem_mark=event.start_mark)


_STR, _SEQ, _MAP = (f"tag:yaml.org,2002:{t}" for t in ("str", "seq", "map"))


def _construct_document(loader: Any, node: yaml.Node) -> Any:
    """What loader.construct_document(node) gives: directly for the mappings, lists and
    scalars hand-typed files hold (a third of the cost: no generators, no bookkeeping per
    node), through PyYAML for anything else and for every error, which it then reports
    as it would have (a merge key `<<` has no constructor of its own, so it goes there)."""
    try:
        return _construct(loader, node)
    except Exception:  # merge keys, other tags, a value refused: PyYAML's own way, anew
        loader.constructed_objects, loader.recursive_objects = {}, {}
        loader.state_generators, loader.deep_construct = [], False
        return loader.construct_document(node)


def _construct(loader: Any, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return node.value if node.tag == _STR else loader.construct_object(node)
    if isinstance(node, yaml.SequenceNode) and node.tag == _SEQ:
        return [_construct(loader, item) for item in node.value]
    if not isinstance(node, yaml.MappingNode) or node.tag != _MAP:
        raise TypeError(node.tag)
    mapping = {}
    for key, value in node.value:
        if not isinstance(key, yaml.ScalarNode):
            raise TypeError(key.tag)
        mapping[_construct(loader, key)] = _construct(loader, value)
    return mapping


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
        if "\\" in text:  # YAML refuses raw control characters: only escapes make them
            _check_scalars(node, path, line_offset)
        data = _construct_document(loader, node) if node is not None else None
    except _ValueError as e:
        mark = e.problem_mark
        raise InvalidValue(str(e.problem), path, mark.line + 1 + line_offset if mark else None
                           ) from None
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


def parse_value(text: str, what: str) -> Any:
    """A value typed on the command line (`--set key=value`), read as a YAML scalar or
    list; text YAML cannot parse is taken as it is."""
    check_control(text, None, what=f"{what}: ")
    if not text.strip():
        return ""
    try:
        return parse_yaml(text, what).data
    except InvalidValue as e:
        raise DraftingError(f"{what}: {e.message}") from None
    except DraftingError:
        return text


def load_yaml_file(path: Path, inside: Path | None = None) -> tuple[YamlDoc, bytes]:
    """Read and parse a YAML file (a regular file; with `inside`, reached from that folder
    without links); returns the document and the raw bytes (for hashing)."""
    base = inside if inside is not None else path.parent
    try:
        raw = read_source(base, path.relative_to(base).parts, MAX_YAML_BYTES)
    except FileNotFoundError:
        raise DraftingError("no such file", path) from None
    return parse_yaml(decode_text(raw, path), path), raw
