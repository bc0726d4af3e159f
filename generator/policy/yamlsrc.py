"""Every YAML or JSON file gaizao reads (policies, plans, score and weight files) goes through here.

PyYAML builds plain Python objects and forgets positions. We compose the node tree once,
construct the data from it with the safe constructors, and walk the same tree to build a
map ``path tuple -> line``. Duplicate keys are rejected (PyYAML would silently keep the last).

Files come from other people, so reading is bounded (docs/ledger.md, "Limits"): nesting depth
(``MAX_DEPTH``), what aliases may add to the document (``MAX_ALIAS_GROWTH`` nodes; a recursive alias
is refused), the length of a number (``MAX_NUMBER_CHARS``) and the file size (``MAX_TEXT_BYTES``; a policy's
files ``MAX_POLICY_BYTES``). ``read_bounded`` opens nothing but a regular file: a FIFO would block the reader
forever and /dev/zero never ends, so both (and directories, sockets, devices) are refused before reading.
A date that does not exist (2023-02-30) stays text, for the reader of the value to report.
Exceeding a limit is one located error (exit 2), never a traceback or gigabytes of memory.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.errors import GaizaoError, InputError, PolicyLoadError
from generator.fileio import os_reason

MAX_DEPTH = 64                   # a plan is 3 levels deep, a policy about 8
MAX_ALIAS_GROWTH = 100_000       # nodes that aliases may add by repetition (600 bytes can otherwise mean 10^9)
MAX_NUMBER_CHARS = 100           # digits of a number; no count, amount or score is longer
MAX_TEXT_BYTES = 256 * 2**20     # a YAML/JSON/CSV file; a 53,000-row plan as CSV is about 20 MB
MAX_POLICY_BYTES = 4 * 2**20     # policy.yaml / text.yaml; the largest bundled is 13 KB, a national one < 1 MB


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


class _Limit(Exception):
    def __init__(self, zh: str, en: str, mark=None):
        super().__init__(en)
        self.zh, self.en, self.mark = zh, en, mark


def _too_deep(mark=None) -> _Limit:
    return _Limit(f"嵌套超过{MAX_DEPTH}层", f"nested deeper than {MAX_DEPTH} levels", mark)


class _Loader(yaml.SafeLoader):
    def __init__(self, stream):
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent, index):
        # PyYAML composes recursively: bound the depth before Python's recursion limit is the bound
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _too_deep(self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _no_dup_mapping(loader: _Loader, node: yaml.MappingNode, deep: bool = False):
    seen: dict = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r} (first on line {seen[key] + 1})", key_node.start_mark)
        seen[key] = key_node.start_mark.line
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


def _number(kind: str):
    base = yaml.SafeLoader.yaml_constructors[f"tag:yaml.org,2002:{kind}"]

    def construct(loader, node):
        if len(node.value) > MAX_NUMBER_CHARS:
            raise _Limit(f"数字超过{MAX_NUMBER_CHARS}位", f"a number longer than {MAX_NUMBER_CHARS} characters",
                         node.start_mark)
        return base(loader, node)
    return construct


def _timestamp(loader, node):
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError):       # 2023-02-30: kept as typed; the value's reader says "no such date"
        return loader.construct_scalar(node)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _no_dup_mapping)
_Loader.add_constructor("tag:yaml.org,2002:int", _number("int"))
_Loader.add_constructor("tag:yaml.org,2002:float", _number("float"))
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


def _check_aliases(root: yaml.Node) -> None:
    """Refuse a recursive alias, and aliases that multiply the document (a billion laughs)."""
    memo: dict[int, tuple[int, int]] = {}        # node -> (expanded size, expanded height)
    active: set[int] = set()

    def size(node):
        k = id(node)
        if k in memo:
            return memo[k]
        if k in active:
            raise _Limit("别名引用自身（递归别名）", "an alias refers to itself (recursive alias)", node.start_mark)
        if len(active) > MAX_DEPTH:
            raise _too_deep(node.start_mark)
        active.add(k)
        children = ([x for kv in node.value for x in kv] if isinstance(node, yaml.MappingNode) else
                    node.value if isinstance(node, yaml.SequenceNode) else [])
        n, h = 1, 0
        for child in children:
            cn, ch = size(child)
            n, h = n + cn, max(h, ch)
        active.discard(k)
        if h + 1 > MAX_DEPTH:                 # aliases nest documents too: a chain of them is depth
            raise _too_deep(node.start_mark)
        memo[k] = (n, h + 1)
        return memo[k]

    total, _ = size(root)
    if total - len(memo) > MAX_ALIAS_GROWTH:
        raise _Limit(f"别名（&/*）展开后过大（超过{MAX_ALIAS_GROWTH:,}个节点）",
                     f"aliases (&/*) expand the document by more than {MAX_ALIAS_GROWTH:,} nodes", root.start_mark)


def _walk(node: yaml.Node, path: tuple, lines: dict, loader: _Loader) -> None:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            key = loader.construct_object(k, deep=True)
            try:
                lines[path + (key,)] = k.start_mark.line + 1
            except TypeError:          # an unhashable key (a list): it has no path
                continue
            _walk(v, path + (key,), lines, loader)
    elif isinstance(node, yaml.SequenceNode):
        for i, v in enumerate(node.value):
            lines[path + (i,)] = v.start_mark.line + 1
            _walk(v, path + (i,), lines, loader)


def parse_yaml(text: str, name: str, error: type[GaizaoError] = PolicyLoadError) -> SourceDoc:
    """``text`` as data with the line of every key; raises ``error`` (exit 2) with file and line."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return SourceDoc(name, None, {})
        _check_aliases(node)
        data = loader.construct_document(node)
        lines: dict[tuple, int] = {}
        _walk(node, (), lines, loader)
    except _Limit as exc:
        where = f"{name}:{exc.mark.line + 1}" if exc.mark else name
        raise error(f"超出读取限制：{exc.zh}", f"over a reading limit: {exc.en}", location=where) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = f"{name}:{mark.line + 1}" if mark else name
        problem = getattr(exc, "problem", None) or str(exc)
        raise error(f"YAML 语法错误：{problem}", f"YAML syntax error: {problem}", location=where) from None
    except RecursionError:
        raise error(f"超出读取限制：{_too_deep().zh}", f"over a reading limit: {_too_deep().en}", location=name) from None
    finally:
        loader.dispose()
    return SourceDoc(name, data, lines)


def _json_number(kind):
    def parse(s: str):
        if len(s) > MAX_NUMBER_CHARS:
            raise _Limit(f"数字超过{MAX_NUMBER_CHARS}位", f"a number longer than {MAX_NUMBER_CHARS} characters")
        return kind(s)
    return parse


def _depth(data) -> int:
    """Nesting depth of parsed JSON, without recursion."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        v, d = stack.pop()
        if isinstance(v, dict):
            v = list(v.values())
        if isinstance(v, list):
            deepest = max(deepest, d)
            if d > MAX_DEPTH:
                return d
            stack.extend((x, d + 1) for x in v)
    return deepest


def parse_json(text: str, name: str, error: type[GaizaoError] = InputError) -> Any:
    """JSON with the same limits as YAML (depth, number length); NaN/Infinity stay floats for the
    value's reader to report."""
    try:
        data = json.loads(text, parse_int=_json_number(int), parse_float=_json_number(float))
    except _Limit as exc:
        raise error(f"超出读取限制：{exc.zh}", f"over a reading limit: {exc.en}", location=name) from None
    except json.JSONDecodeError as exc:
        raise error(f"JSON 语法错误：{exc.msg}", f"JSON syntax error: {exc.msg}", location=f"{name}:{exc.lineno}") from None
    except (RecursionError, ValueError):
        raise error(f"超出读取限制：{_too_deep().zh}", f"over a reading limit: {_too_deep().en}", location=name) from None
    if _depth(data) > MAX_DEPTH:
        raise error(f"超出读取限制：{_too_deep().zh}", f"over a reading limit: {_too_deep().en}", location=name)
    return data


def decode_text(data: bytes, name: str, error: type[GaizaoError] = InputError) -> str:
    """Text of a file a county or an office wrote: UTF-8 (with or without BOM), UTF-16 with BOM
    (Excel's "Unicode text"), else GB18030 (a superset of GBK and GB2312, what Chinese Windows writes)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    for enc in ("utf-8", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise error("无法识别文本编码（应为 UTF-8 或 GBK）", "cannot decode the file (expected UTF-8 or GBK)", location=name)


def read_bounded(path, limit: int, error: type[GaizaoError] = InputError, name: str | None = None) -> bytes:
    """The bytes of ``path`` when it is a regular file of at most ``limit`` bytes; ``error`` (exit 2) for a folder,
    a FIFO, a device or a socket (refused before a byte is read: opened non-blocking, then looked at) and for a
    larger file (its size as stated and as read: a file growing meanwhile is cut at ``limit`` + 1 and refused)."""
    import os
    import stat
    name = name or str(path)
    too_big = error(f"文件超过{_size(limit)}，超出读取限制", f"the file is larger than {_size(limit, 'en')} (reading limit)",
                    location=name)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except IsADirectoryError:
        raise error("这是文件夹，不是文件", "this is a folder, not a file", location=name) from None
    except OSError as exc:
        zh, en = os_reason(exc, reading=True)
        raise error(f"无法读取：{zh}", f"cannot read: {en}", location=name) from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise error("这是文件夹，不是文件", "this is a folder, not a file", location=name)
        if not stat.S_ISREG(st.st_mode):
            raise error("不是普通文件（管道、设备或套接字），拒绝读取", "not a regular file (a pipe, device or socket): "
                        "refused", location=name)
        if st.st_size > limit:
            raise too_big
    except BaseException:
        os.close(fd)
        raise
    with os.fdopen(fd, "rb") as fh:
        try:
            data = fh.read(limit + 1)
        except OSError as exc:
            zh, en = os_reason(exc, reading=True)
            raise error(f"无法读取：{zh}", f"cannot read: {en}", location=name) from None
    if len(data) > limit:
        raise too_big
    return data


def _size(n: int, lang: str = "zh") -> str:
    return f"{n // 2**20} MB" if n >= 2**20 else f"{n // 2**10} KB"


def read_text(path, name: str | None = None, error: type[GaizaoError] = InputError) -> str:
    """A text file, size-bounded and decoded by ``decode_text``."""
    name = name or str(path)
    return decode_text(read_bounded(path, MAX_TEXT_BYTES, error, name), name, error)


def load_data_file(path, name: str | None = None, error: type[GaizaoError] = InputError) -> Any:
    """A small YAML or JSON data file (scores, weights): decoded, bounded, parsed; ``error`` otherwise."""
    name = name or str(path)
    text = read_text(path, name, error)
    if Path(path).suffix.lower() == ".json":
        return parse_json(text, name, error)
    return parse_yaml(text, name, error).data
