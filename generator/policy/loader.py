"""Finding and loading a policy: by id (xuchang/2023), by path, or at a git revision (id@rev).

A policy is a folder holding ``policy.yaml`` (parameters) and optionally ``text.yaml`` (clause
text), or a single YAML file holding both (``text:`` key). Loading never modifies anything.
"""
from __future__ import annotations

import contextvars
import copy
import hashlib
import json
import os
import re
import subprocess
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from collections.abc import Mapping
from functools import cached_property
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from generator.errors import PolicyInvalidError, PolicyLoadError
from generator.findings import Finding, Severity
from generator.policy.model import Policy, content_data
from generator.policy.yamlsrc import SourceDoc, parse_yaml

POLICY_FILE = "policy.yaml"
TEXT_FILE = "text.yaml"


from generator.paths import POLICIES as BUNDLED  # noqa: E402  (checkout or wheel)


def policies_root() -> Path:
    """The first configured policies folder (GAIZAO_POLICIES), else the bundled one."""
    roots = _env_roots()
    return roots[0] if roots else BUNDLED


def _env_roots() -> list[Path]:
    return [Path(x) for x in os.environ.get("GAIZAO_POLICIES", "").split(os.pathsep) if x.strip()]


def policy_roots() -> list[Path]:
    """Where an id such as dezhou/2022 is looked up, in order: ./policies of the current folder, the folders
    of GAIZAO_POLICIES (separated by the system's path separator, ':' on Linux), the bundled policies."""
    # a folder listed twice keeps its later place: run inside a checkout, ./policies is the bundled folder
    cands = [Path.cwd() / "policies", *_env_roots(), BUNDLED]
    return [r for i, r in enumerate(cands) if not any(_same(r, later) for later in cands[i + 1:])]


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


@dataclass
class LoadedPolicy:
    policy: Policy
    ref: str                               # what the user asked for
    origin: str                            # folder/file it came from (or git rev:path)
    docs: dict[str, SourceDoc] = field(default_factory=dict)   # "policy" / "text" -> parsed file
    root: Path | None = None               # the policies folder an id was found in (None: a path was given)
    parent: "LoadedPolicy | None" = None   # the policy named by ``parent:``, loaded (with its own parents)
    own: dict = field(default_factory=dict)           # the data of this file alone, before inheritance
    inherited: dict = field(default_factory=dict)     # loc prefix here -> loc prefix in the parent
    relocated: dict = field(default_factory=dict)     # loc prefix here -> loc prefix in own (merged lists)
    effective: dict = field(default_factory=dict)     # the data validated: own merged with the parent's

    @cached_property
    def content_hash(self) -> str:
        """sha256 of the canonical JSON of the validated policy: formatting and comments do not count."""
        canon = json.dumps(content_data(self.policy), ensure_ascii=False, sort_keys=True,
                           separators=(",", ":"))
        return hashlib.sha256(canon.encode("utf-8")).hexdigest()

    def locate(self, path: tuple) -> tuple[str | None, int | None]:
        """(file name, line) of a parameter path such as ('counties', 3, 'target', 'households')."""
        path = tuple(path)
        for n in range(len(path), 0, -1):        # an inherited value points at the parent's file
            if path[:n] in self.inherited and self.parent is not None:
                return self.parent.locate(self.inherited[path[:n]] + path[n:])
            if path[:n] in self.relocated:
                path = self.relocated[path[:n]] + path[n:]
                break
        if path and path[0] == "text" and "text" in self.docs:
            doc = self.docs["text"]
            return doc.name, doc.line_of(path[1:])
        found = self.docs.get("policy")
        if found is None:
            return None, None
        return found.name, found.line_of(path)

    @cached_property
    def text(self):
        from generator.policy.text import render_text
        return render_text(self.policy)

    @cached_property
    def corrected_text(self):
        from generator.policy.text import render_text
        return render_text(self.policy, corrected=True)

    def manifest(self) -> dict:
        p = self.policy
        return {"policy_id": p.id, "policy_version": p.version, "policy_status": p.status,
                "policy_hash": self.content_hash}

    def judged_by(self) -> dict:
        """The manifest plus what names the policy to a reader (文号, title): the subject of a judging command's
        JSON (its folder is said on stderr only: a local path stays out of anything that may be passed on)."""
        d = self.policy.document.doc_number
        return {**self.manifest(), "policy_doc_number": str(d.value) if d is not None else None,
                "policy_title": self.policy.title}

    def said(self, lang: str = "zh") -> str:
        """Which policy, in one line: 文号 (or title), id, version, status, short hash, folder."""
        p = self.policy
        d = p.document.doc_number
        folder = policy_folder(self)
        where = _display(folder) if folder is not None else self.origin
        status = {"issued": ("已印发", "issued"), "draft": ("草案，未印发", "draft, not issued"),
                  "sample": ("示例，未印发", "sample, not issued")}[p.status]
        label = f"〔{p.label}〕" if p.label else ""
        if lang == "en":
            return (f"{d.value + ' ' if d is not None else ''}{p.title}{label} ({p.id} version {p.version}, "
                    f"{status[1]}, hash {self.content_hash[:12]}, {where})")
        return (f"{d.value + '《' + p.title + '》' if d is not None else '《' + p.title + '》'}{label}"
                f"（{p.id} 版本{p.version}，{status[0]}，哈希{self.content_hash[:12]}，{where}）")


def load_policy(ref: str | os.PathLike, _chain: tuple = (), *, verify: bool | None = None,
                _roots: tuple = ()) -> LoadedPolicy:
    """Load and validate; raises PolicyLoadError (cannot read) or PolicyInvalidError (schema findings).
    A policy naming a ``parent`` is merged with it (``generator.policy.inherit``); ``_chain`` holds the files
    already on the way down, so a parent cycle is an error rather than a recursion; ``_roots`` the folders a
    parent may be read from.

    ``verify``: a policy that says it is issued must match its hash in issued.lock (``verify_issued``), else
    IssuedMismatchError (exit 2). By default (None) it is verified inside a command that judges (one with the
    shared ``--policy`` option: it installs the ``ON_LOAD`` hook that also says which policy it used);
    ``policy check``/``show``/``list`` load with ``verify=False`` (check reports P210 instead), as does a library
    caller that does not ask. A policy at a git revision is history, not verified."""
    if not isinstance(ref, (str, os.PathLike)) and hasattr(ref, "error"):
        raise ref.error()                    # no policy named (generator.policy.resolve), said in the command
    ref = str(ref)
    if verify is None:
        verify = ON_LOAD.get() is not None
    rev = None
    target = ref
    if "@" in ref and not Path(ref).exists():
        target, rev = ref.rsplit("@", 1)
    files, root = _read_sources(target, rev)
    docs = {kind: _parse_policy_file(text, name) for kind, (name, text) in files.items()}
    data = docs["policy"].data
    if not isinstance(data, dict):
        raise PolicyLoadError("政策文件不是 YAML 映射（键: 值）", "the policy file is not a YAML mapping",
                              location=docs["policy"].name)
    if "text" in docs:
        if "text" in data:
            raise PolicyLoadError("正文同时出现在 policy.yaml 的 text 键和 text.yaml 中，只能保留一处",
                                  "clause text is both under `text:` and in text.yaml; keep one",
                                  location=docs["policy"].name)
        data = dict(data, text=docs["text"].data)
    elif "text" in data:
        # single-file policy: text lines live in the same file under "text"
        docs["text"] = SourceDoc(docs["policy"].name, data["text"],
                                 {k[1:]: v for k, v in docs["policy"].lines.items() if k and k[0] == "text"})
    _refuse_unsafe_templates(docs)
    own = data
    parent_lp = None
    inherited: dict[tuple, tuple] = {}
    relocated: dict[tuple, tuple] = {}
    if isinstance(data.get("parent"), str) and data["parent"].strip():
        from generator.policy.inherit import load_parent, merge, refuse_cycle
        key = refuse_cycle(files["policy"][0], _chain, rev)
        parent_lp = load_parent(data["parent"].strip(), files["policy"][0], docs["policy"], _chain, key=key,
                                roots=_roots or _parent_roots(files["policy"][0], rev), verify=verify,
                                load=load_policy)      # passed down: inherit does not import the loader (no circle)
        data, inherited, relocated = merge(parent_lp, data)
    try:
        policy = Policy.model_validate(data)
    except ValidationError as exc:
        lp = LoadedPolicy.__new__(LoadedPolicy)
        lp.docs = docs
        lp.parent, lp.inherited, lp.relocated = parent_lp, inherited, relocated
        # a union (int | float, 不少于 | {households: 不少于}) reports one reason per member: say one per key,
        # the most telling (the allowed words, our own message, else the widest type, the last member)
        rank = {"literal_error": 2, "value_error": 1}
        best: dict = {}
        for e in exc.errors():
            f = _schema_finding(e, lp)
            if f.path not in best or rank.get(e["type"], 0) >= best[f.path][0]:
                best[f.path] = (rank.get(e["type"], 0), f)
        findings = [f for _, f in best.values()]
        raise PolicyInvalidError(findings, docs["policy"].name) from None
    lp = LoadedPolicy(policy, ref, files["policy"][0] if rev is None else f"{rev}:{files['policy'][0]}", docs,
                      root, parent_lp, own, inherited, relocated, data)
    if verify and rev is None:
        verify_issued(lp)
    if not _chain:
        hook = ON_LOAD.get()
        if hook is not None:
            hook(lp)
    return lp


# Parsing the YAML is most of a load (~45 ms CPU of ~55 ms for xuchang/2023; PyYAML in Python, with the line of
# every key): a process that loads the same policy again (the web, a command that loads a parent, the tests) parses
# each text once. The key is the file's name and its whole text, so an edited file is parsed again; a text that does
# not parse is not kept (the error is raised each time). Every load gets its own copy of the data, as if parsed
# (the loader and its callers may change it; the kept one is never handed out).
_PARSED: OrderedDict[tuple[str, str], SourceDoc] = OrderedDict()
_PARSED_LOCK = threading.Lock()
_PARSED_MAX = 32                    # texts kept (least recently used dropped)
_PARSED_MAX_CHARS = 256 * 1024      # a larger text is parsed each time (the bundled ones are < 16 KB)


def _parse_policy_file(text: str, name: str) -> SourceDoc:
    key = (name, text)
    with _PARSED_LOCK:
        kept = _PARSED.get(key)
        if kept is not None:
            _PARSED.move_to_end(key)
    if kept is None:
        kept = parse_yaml(text, name)
        if len(text) <= _PARSED_MAX_CHARS:
            with _PARSED_LOCK:
                _PARSED[key] = kept
                while len(_PARSED) > _PARSED_MAX:
                    _PARSED.popitem(last=False)
    return SourceDoc(kept.name, copy.deepcopy(kept.data), dict(kept.lines))


# the template strings already found to reach nothing internal (a string's verdict is its own: Jinja's parse of it
# under the text environment, which does not change within a process); the rest of a load's check (~10 ms)
_NO_UNSAFE: set[str] = set()
_NO_UNSAFE_MAX = 4096


def _refuse_unsafe_templates(docs: dict[str, SourceDoc]) -> None:
    """Every string of the policy that is a Jinja template is checked before any is rendered."""
    from generator.errors import UnsafeTemplateError
    from generator.policy.text import environment
    from generator.sandbox import unsafe_references

    env = environment()
    findings = []
    for doc in docs.values():
        for path, value in _strings(doc.data, ()):
            if "{" not in value or value in _NO_UNSAFE:
                continue
            found = unsafe_references(env, value)
            if not found:
                if len(_NO_UNSAFE) >= _NO_UNSAFE_MAX:
                    _NO_UNSAFE.clear()
                _NO_UNSAFE.add(value)
            for expr, line in found:
                base = doc.line_of(path)
                findings.append(Finding(
                    "P171", Severity.ERROR, f"模板试图访问内部属性“{expr}”（不允许，已拒绝，未执行）",
                    f"the template tries to reach Python internals ({expr}): refused, not run",
                    file=doc.name, line=(base + line - 1) if base else None,
                    path=".".join(str(x) for x in path), value=expr,
                    hint="政策文本只能引用参数（如 {{ city_target.projects }}）和 gaizao 的过滤器"))
    unique = {(f.file, f.line, f.value): f for f in findings}     # a single-file policy is both docs
    if unique:
        raise UnsafeTemplateError(list(unique.values()), docs["policy"].name)


def _strings(data, path: tuple):
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for k, v in data.items():
            yield from _strings(v, path + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _strings(v, path + (i,))


# segments pydantic adds to a location for a member of a union (int | float): not keys of the file
_UNION_TAG = re.compile(r"int|float|str|bool|(literal|dict|list|function-\w+|constrained-\w+)\[.*\]")


def _schema_finding(err: Mapping[str, Any], lp: LoadedPolicy) -> Finding:
    loc = tuple(x for x in err["loc"] if not (isinstance(x, str) and _UNION_TAG.fullmatch(x)))
    file, line = lp.locate(loc)
    dotted = ".".join(str(x) for x in loc)
    if err["type"] == "extra_forbidden":
        return Finding("P002", Severity.ERROR, f"未知字段“{loc[-1]}”（拼写错误或不属于此处）",
                       f"unknown key '{loc[-1]}' (misspelt or misplaced)", file=file, line=line, path=dotted,
                       value=loc[-1])
    if err["type"] == "missing":
        return Finding("P003", Severity.ERROR, f"缺少必填字段“{loc[-1]}”", f"required key '{loc[-1]}' is missing",
                       file=file, line=line, path=dotted)
    return Finding("P004", Severity.ERROR, f"字段“{dotted}”的值不符合要求：{_zh_reason(err)}",
                   f"invalid value for '{dotted}': {err['msg']}", file=file, line=line, path=dotted,
                   value=err.get("input") if not isinstance(err.get("input"), (dict, list)) else None)


# the schema library's English reasons, said in Chinese (a Chinese message carries no library English)
_ZH_REASONS = {
    "int_type": "应为整数", "int_parsing": "应为整数", "int_from_float": "应为整数（不带小数）",
    "float_type": "应为数字", "float_parsing": "应为数字", "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false", "string_type": "应为文字", "list_type": "应为列表",
    "dict_type": "应为映射（键: 值）", "model_type": "应为映射（键: 值）", "date_type": "应为日期（如 2023-06-30）",
    "date_parsing": "应为日期（如 2023-06-30）", "date_from_datetime_parsing": "应为日期（如 2023-06-30）",
    "literal_error": "只能是 {expected}", "greater_than_equal": "不能小于 {ge}", "greater_than": "应大于 {gt}",
    "less_than_equal": "不能大于 {le}", "less_than": "应小于 {lt}", "none_required": "应为空",
    "string_too_short": "不能为空", "too_short": "项数太少", "too_long": "项数太多", "string_too_long": "文字太长",
    "datetime_type": "应为日期（如 2023-06-30）", "date_from_datetime_inexact": "应为日期（不带时刻）",
    "decimal_type": "应为数字", "decimal_parsing": "应为数字", "finite_number": "应为有限的数字",
    "union_tag_invalid": "类型不符", "enum": "只能是 {expected}", "frozen_field": "不能修改",
}


def _zh_reason(err: Mapping[str, Any]) -> str:
    if err["type"] == "value_error":          # our own validators raise their message in Chinese
        return str(err.get("ctx", {}).get("error", err["msg"]))
    zh = _ZH_REASONS.get(err["type"])
    if zh is None:               # the exact English reason is in the --lang en message
        return "类型或取值不符"
    ctx = dict(err.get("ctx") or {})
    if "expected" in ctx:                      # "'issued', 'draft' or 'sample'" -> “issued”、“draft”或“sample”
        words = re.findall(r"'([^']*)'", str(ctx["expected"]))
        ctx["expected"] = "、".join(f"“{w}”" for w in words[:-1]) + (f"或“{words[-1]}”" if len(words) > 1 else
                                                                      f"“{words[-1]}”" if words else "")
    try:
        return zh.format(**ctx)
    except (KeyError, IndexError):
        return zh.split("{")[0].rstrip()


def _read_sources(target: str, rev: str | None) -> tuple[dict[str, tuple[str, str]], Path | None]:
    """({'policy': (name, text), 'text': (name, text)?}, root) for an id or path, optionally at a git revision;
    root is the policies folder an id was found in."""
    path = Path(target)
    root = None
    if not path.exists():
        roots = policy_roots()
        root = next((r for r in roots if (r / target).exists()), None)
        if root is not None:
            path = root / target
        elif rev is None:
            looked = "；".join(f"{_display(r / target)}（{_root_kind(r)}）" for r in roots)
            looked_en = "; ".join(f"{_display(r / target)} ({_root_kind(r, 'en')})" for r in roots)
            known = ", ".join(list_ids()) or "—"
            raise PolicyLoadError(f"找不到政策“{target}”（既不是文件或文件夹，也不是已知编号）。已查找：{looked}。"
                                  f"已知编号：{known}",
                                  f"no policy '{target}' (not a file or folder, nor a known id). Looked in: "
                                  f"{looked_en}. Known ids: {known}")
        else:
            root = policies_root()
            path = root / target
    if rev is not None:
        return _read_git(path, rev), root
    if path.is_dir():
        pf = path / POLICY_FILE
        if not pf.exists():
            raise PolicyLoadError(f"文件夹中没有 {POLICY_FILE}", f"no {POLICY_FILE} in the folder", location=str(path))
        out = {"policy": (_display(pf), _read(pf))}
        tf = path / TEXT_FILE
        if tf.exists():
            out["text"] = (_display(tf), _read(tf))
        return out, root
    return {"policy": (_display(path), _read(path))}, root


def _root_kind(root: Path, lang: str = "zh") -> str:
    if _same(root, BUNDLED):
        return "bundled" if lang == "en" else "内置"
    if any(_same(root, r) for r in _env_roots()):
        return "GAIZAO_POLICIES"
    return "./policies of the current folder" if lang == "en" else "当前文件夹的 policies"


def _read(p: Path) -> str:
    from generator.fileio import register_input
    from generator.policy.yamlsrc import MAX_POLICY_BYTES, read_bounded
    register_input(p)              # `diff -o policy.yaml` must not overwrite the policy it read
    # a regular file of at most MAX_POLICY_BYTES, refused before reading otherwise (a FIFO, /dev/zero, a folder)
    data = read_bounded(p, MAX_POLICY_BYTES, PolicyLoadError, str(p))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise PolicyLoadError("文件不是 UTF-8 编码", "file is not UTF-8", location=str(p)) from None


def _display(p: Path) -> str:
    """A path as users see it: relative to the current folder when inside it."""
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(p)


# what a revision may look like: names, hashes, HEAD~3, v1.0^2, main@{1}; never an option ('-...')
_REV = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_./~^@{}+-]*")


def _check_rev(rev: str) -> str:
    if not _REV.fullmatch(rev) or ".." in rev or len(rev) > 200:
        raise PolicyLoadError(f"git 修订版本“{rev}”不合法（只允许字母、数字和 _ . / ~ ^ @ {{ }} + -，且不能以 - 开头）",
                              f"invalid git revision {rev!r} (letters, digits and _ . / ~ ^ @ {{ }} + - only; "
                              "must not start with '-')")
    return rev


def _read_git(path: Path, rev: str) -> dict[str, tuple[str, str]]:
    _check_rev(rev)
    path = path.resolve()
    folder = path if path.is_dir() or not path.suffix else path.parent
    try:
        top = subprocess.run(["git", "-C", str(folder if folder.exists() else policies_root()), "rev-parse",
                              "--show-toplevel"], capture_output=True, text=True, check=True).stdout.strip()
    except (subprocess.CalledProcessError, FileNotFoundError):
        raise PolicyLoadError("不在 git 仓库中，无法读取历史版本", "not in a git repository", location=str(path)) from None
    rel = path.relative_to(Path(top).resolve())

    def show(relpath: str) -> str | None:
        # --end-of-options: whatever the revision says, git reads it as an object name, never an option
        res = subprocess.run(["git", "-C", top, "cat-file", "blob", "--end-of-options", f"{rev}:{relpath}"],
                             capture_output=True)
        return res.stdout.decode("utf-8") if res.returncode == 0 else None

    if path.suffix in (".yaml", ".yml"):
        text = show(rel.as_posix())
        if text is None:
            raise PolicyLoadError(f"修订版本 {rev} 中没有此文件", f"no such file at revision {rev}", location=str(rel))
        return {"policy": (f"{rev}:{rel.as_posix()}", text)}
    ptext = show(f"{rel.as_posix()}/{POLICY_FILE}")
    if ptext is None:
        raise PolicyLoadError(f"修订版本 {rev} 中没有此政策", f"no such policy at revision {rev}", location=str(rel))
    out = {"policy": (f"{rev}:{rel.as_posix()}/{POLICY_FILE}", ptext)}
    ttext = show(f"{rel.as_posix()}/{TEXT_FILE}")
    if ttext is not None:
        out["text"] = (f"{rev}:{rel.as_posix()}/{TEXT_FILE}", ttext)
    return out


def list_ids(root: Path | None = None) -> list[str]:
    """Ids under ``root``, or under every folder of policy_roots() (an id found twice is listed once)."""
    roots = [root] if root is not None else policy_roots()
    ids: set[str] = set()
    for r in roots:
        if r.exists():
            ids.update(p.parent.relative_to(r).as_posix() for p in r.rglob(POLICY_FILE))
    return sorted(ids)


LOCK_FILE = "issued.lock"


def load_issued_lock(root: Path | None = None) -> dict:
    """policies/issued.lock: id -> {version, sha256} of every issued policy (see README, versioning)."""
    return _read_lock((root or policies_root()) / LOCK_FILE)


def _read_lock(f: Path) -> dict:
    from generator.policy.yamlsrc import MAX_POLICY_BYTES, read_bounded
    if not f.exists():
        return {}
    try:        # a regular file of bounded size: a FIFO or a device named issued.lock is refused, never waited on
        text = read_bounded(f, MAX_POLICY_BYTES, PolicyLoadError, _display(f)).decode("utf-8")
        data = parse_yaml(text, _display(f), PolicyLoadError).data or {}
    except (OSError, UnicodeDecodeError):      # parse_yaml's own error says the line
        raise PolicyLoadError("登记文件无法读取（应为 UTF-8 的 YAML：编号: {version: …, sha256: …}）",
                              "the lock file cannot be read (UTF-8 YAML: id: {version: …, sha256: …})",
                              location=_display(f)) from None
    if not isinstance(data, dict):
        raise PolicyLoadError("登记文件应为 编号: {version: …, sha256: …} 的映射", "the lock file is not a mapping",
                              location=_display(f))
    return data


# -- an issued policy is what it says (issue 18, item 3) ---------------------------------------------------
# A command that judges sets this to a function called with each policy it loads itself (not its parents):
# generator.options says which policy it used. The library prints nothing.
ON_LOAD: contextvars.ContextVar = contextvars.ContextVar("gaizao_policy_on_load", default=None)


class IssuedMismatchError(PolicyLoadError):
    """A policy that says it is issued but is not the issued text: refused (exit 2), naming both files."""


def policy_folder(lp: LoadedPolicy) -> Path | None:
    """The folder (or single file) a policy was read from; None for a git revision."""
    name = lp.docs["policy"].name if "policy" in lp.docs else None
    if name is None or "@" in lp.ref and not Path(lp.ref).exists():
        return None
    f = Path(name)
    return f.parent if f.name == POLICY_FILE else f


def lock_for(lp: LoadedPolicy) -> tuple[Path, dict | None]:
    """(the issued.lock that rules this policy, its line for the policy's id or None).

    The bundled lock rules every id it lists, wherever the policy was found (./policies or GAIZAO_POLICIES
    cannot re-issue xuchang/2023). Another id is ruled by the lock of the folder it was found in, for a path
    the nearest issued.lock above it (policies/issued.lock for policies/dezhou/2022)."""
    pid = lp.policy.id
    bundled = BUNDLED / LOCK_FILE
    entry = _read_lock(bundled).get(pid)
    if entry is not None:
        return bundled, entry
    own: Path | None
    if lp.root is not None:
        own = lp.root / LOCK_FILE
    else:
        own = None
        folder = policy_folder(lp)
        if folder is not None:
            for up in list(folder.resolve().parents)[:4]:
                if (up / LOCK_FILE).exists():
                    own = up / LOCK_FILE
                    break
    lock = own or (policies_root() / LOCK_FILE)
    if _same(lock, bundled):
        return bundled, None
    return lock, _read_lock(lock).get(pid)


def verify_issued(lp: LoadedPolicy) -> None:
    """An issued policy matches its issued.lock line (version and content hash), or IssuedMismatchError naming
    the lock and the folder. A draft or sample is not checked: it says what it is on every document."""
    p = lp.policy
    if p.status != "issued":
        return
    lock, entry = lock_for(lp)
    folder = policy_folder(lp)
    shown_folder = _display(folder) if folder is not None else lp.origin
    bundled = _same(lock, BUNDLED / LOCK_FILE)
    fix_zh = (f"请使用已印发的原文{'（内置政策）' if bundled else ''}，或把本地修改另存为草案（status: draft，并写 label 如“草案”）；"
              f"确属已印发的新政策，用 gaizao policy lock {p.id} 登记")
    fix_en = (f"use the issued text{' (the bundled policy)' if bundled else ''}, or keep a local change as a draft (status: draft with a "
              f"label); a newly issued policy is registered with gaizao policy lock {p.id}")
    if entry is None:
        raise IssuedMismatchError(
            f"政策 {p.id} 标为已印发（status: issued），但未在 {_display(lock)} 中登记，拒绝使用（政策文件夹："
            f"{shown_folder}）。{fix_zh}",
            f"policy {p.id} says it is issued but is not registered in {_display(lock)}: refused (policy folder: "
            f"{shown_folder}). {fix_en}")
    want, have = str(entry.get("sha256", "")), lp.content_hash
    if want != have or str(entry.get("version")) != p.version:
        raise IssuedMismatchError(
            f"政策 {p.id} 标为已印发，但与 {_display(lock)} 登记的不符（登记：版本{entry.get('version')}，哈希"
            f"{want[:12]}；此处：版本{p.version}，哈希{have[:12]}，政策文件夹：{shown_folder}），拒绝使用："
            f"已印发的政策不得修改。{fix_zh}",
            f"policy {p.id} says it is issued but differs from {_display(lock)} (registered: version "
            f"{entry.get('version')}, hash {want[:12]}; here: version {p.version}, hash {have[:12]}, policy folder: "
            f"{shown_folder}): refused, an issued policy is never edited. {fix_en}")


def write_lock(lp: LoadedPolicy, lock: Path | None = None) -> tuple[Path, str]:
    """Record an issued policy's version and content hash in its issued.lock (atomically; other lines and
    comments kept). Returns (lock file, "added" | "updated" | "unchanged")."""
    from generator.fileio import atomic_write_text

    p = lp.policy
    if lock is None:
        lock, _ = lock_for(lp)
    line = f'{p.id}: {{version: "{p.version}", sha256: {lp.content_hash}}}'
    old = lock.read_text(encoding="utf-8") if lock.is_file() else (
        "# Content hashes of issued policies (gaizao policy lock REF writes a line; never edit an issued policy).\n")
    _read_lock(lock)                         # a lock that cannot be read is not rewritten
    lines = old.splitlines()
    key = re.compile(rf"^\s*{re.escape(p.id)}\s*:")
    hit = [i for i, x in enumerate(lines) if key.match(x)]
    if hit and lines[hit[0]].strip() == line:
        return lock, "unchanged"
    if hit:
        lines[hit[0]] = line
        for i in reversed(hit[1:]):          # one line per id
            del lines[i]
        how = "updated"
    else:
        lines.append(line)
        how = "added"
    atomic_write_text(lock, "\n".join(lines) + "\n")
    return lock, how


def _parent_roots(policy_file: str, rev: str | None) -> tuple[Path, ...]:
    """Where a parent of the policy at ``policy_file`` may be read from: the policy search roots and, for a
    policy given by path, the folder holding its folder (``parent: ../henan-2022`` beside it). Nothing else:
    ``parent: ../../../../etc/passwd`` is refused before it is read."""
    roots = [r.resolve() for r in policy_roots()]
    if rev is None:
        f = Path(policy_file).resolve()
        roots.append(f.parent.parent if f.name == POLICY_FILE else f.parent)
    return tuple(roots)


from generator.fileio import within  # noqa: E402,F401  (kept importable from here: check.py, tests)
