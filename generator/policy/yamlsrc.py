"""YAML reading that remembers where every key is, so errors can name file and line.

PyYAML builds plain Python objects and forgets positions. We compose the node tree once,
construct the data from it with the safe constructors, and walk the same tree to build a
map ``path tuple -> line``. Duplicate keys are rejected (PyYAML would silently keep the last).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from generator.errors import PolicyLoadError


@dataclass
class SourceDoc:
    """A parsed YAML document with the line of each key path (1-based)."""

    name: str
    data: Any
    lines: dict[tuple, int] = field(default_factory=dict)

    def line_of(self, path: tuple) -> int | None:
        """Line of ``path`` or of its nearest ancestor that has one."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), None)


class _Loader(yaml.SafeLoader):
    pass


def _no_dup_mapping(loader: _Loader, node: yaml.MappingNode, deep: bool = False):
    seen: dict = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r} (first on line {seen[key] + 1})", key_node.start_mark)
        seen[key] = key_node.start_mark.line
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _no_dup_mapping)


def _walk(node: yaml.Node, path: tuple, lines: dict, loader: _Loader) -> None:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            key = loader.construct_object(k, deep=True)
            lines[path + (key,)] = k.start_mark.line + 1
            _walk(v, path + (key,), lines, loader)
    elif isinstance(node, yaml.SequenceNode):
        for i, v in enumerate(node.value):
            lines[path + (i,)] = v.start_mark.line + 1
            _walk(v, path + (i,), lines, loader)


def parse_yaml(text: str, name: str) -> SourceDoc:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return SourceDoc(name, None, {})
        data = loader.construct_document(node)
        lines: dict[tuple, int] = {}
        _walk(node, (), lines, loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = f"{name}:{mark.line + 1}" if mark else name
        problem = getattr(exc, "problem", None) or str(exc)
        raise PolicyLoadError(f"YAML 语法错误：{problem}", f"YAML syntax error: {problem}", location=where) from None
    finally:
        loader.dispose()
    return SourceDoc(name, data, lines)
