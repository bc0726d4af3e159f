"""File helpers shared by every command: atomic writes, safe file names, hashes.

Every file gaizao writes goes through ``atomic_write_bytes``, which refuses (``OutputError``, exit 2,
one line) to write anything but a regular file: not a device (/dev/null, /dev/full, /dev/stdout), not
/proc or /sys, not a folder, not one of the command's own inputs (same file by inode, whatever the
path: the CLI layer registers them, see ``command_scope``), not through a symlinked folder leading
outside ``-o``, and not over an existing file of another kind (``progress --chart A.xlsx`` with the
chart name forgotten). Every output named from data is named by ``output_stem`` / ``output_name`` (THE
naming function): a name cut to fit keeps a short hash of the whole name, so two long names that agree in
their first characters stay two names, and within a batch (``taken``) a name already given in a folder
(ignoring case and width) gets " (2)" and a note. A failed write leaves the previous file as it
was; a replaced file keeps its mode.
"""
from __future__ import annotations

import contextvars
import errno
import hashlib
import os
import re
import stat
import tempfile
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import OutputError

NAME_MAX = 255            # bytes, ext4/xfs/btrfs/NTFS (UTF-16 units there, fewer than UTF-8 bytes)
STEM_BYTES = 240          # a safe_filename stem: with an extension (≤ 9 bytes) the name stays under NAME_MAX
_TEMP_PREFIX = ".gaizao-"  # temp names do not grow with the target's name (mkstemp adds 8 + ".tmp")
_FORBIDDEN_ROOTS = ("/dev", "/proc", "/sys")


# -- the command's inputs and outputs ---------------------------------------------------------------
@dataclass
class Scope:
    inputs: dict = field(default_factory=dict)       # (st_dev, st_ino) -> path as given
    roots: list = field(default_factory=list)        # (-o as given, absolute; resolved)
    written: list = field(default_factory=list)      # paths written, in order
    notes: list = field(default_factory=list)        # (zh, en) said once the command ends


_SCOPE: contextvars.ContextVar[Scope | None] = contextvars.ContextVar("gaizao_fileio_scope", default=None)


@contextmanager
def command_scope():
    """One command run: inputs registered here are never written; names are unique across its outputs.

    A nested scope (``gaizao build`` running commands) starts afresh but keeps the outer inputs."""
    outer = _SCOPE.get()
    scope = Scope(inputs=dict(outer.inputs) if outer else {})
    token = _SCOPE.set(scope)
    try:
        yield scope
    finally:
        _SCOPE.reset(token)


def current_scope() -> Scope | None:
    return _SCOPE.get()


def register_input(path: str | os.PathLike) -> None:
    """Mark ``path`` (a file the command reads) as never to be written by this command."""
    scope = _SCOPE.get()
    if scope is None:
        return
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return
    if stat.S_ISREG(st.st_mode):
        scope.inputs[(st.st_dev, st.st_ino)] = str(path)


def register_output_root(path: str | os.PathLike) -> None:
    """The ``-o`` folder: writes under it must stay under it once symlinks are followed."""
    scope = _SCOPE.get()
    if scope is not None:
        scope.roots.append((os.path.abspath(path), os.path.realpath(path)))


def note(zh: str, en: str) -> None:
    scope = _SCOPE.get()
    if scope is not None:
        scope.notes.append((zh, en))


# -- writing ----------------------------------------------------------------------------------------
def within(path: Path, roots) -> bool:
    """``path`` (resolved, links followed) is one of ``roots`` or lies below one (roots already resolved)."""
    try:
        real = path.resolve()
    except OSError:
        return False
    return any(real == r or r in real.parents for r in roots)


def _under(path: str, root: str) -> bool:
    """``path`` is ``root`` or inside it (both absolute, normalised; strings: pathlib's parents are slow)."""
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def _refuse(path, zh: str, en: str) -> OutputError:
    return OutputError(f"拒绝写入：{zh}", f"refusing to write: {en}", location=str(path))


def _kind(head: bytes) -> str:
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "zip"
    if head.startswith(b"\x89PNG"):
        return "png"
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "ole"      # .xls / .doc
    return "binary" if b"\x00" in head else "text"


_KIND_ZH = {"zip": "Office/ZIP 文件", "png": "PNG 图片", "pdf": "PDF 文件", "ole": "旧版 Office 文件",
            "binary": "二进制文件", "text": "文本文件"}
_SUFFIX_KIND = {".png": "png", ".pdf": "pdf", ".docx": "zip", ".xlsx": "zip", ".xlsm": "zip", ".zip": "zip",
                ".xls": "ole", ".doc": "ole", ".txt": "text", ".md": "text", ".json": "text", ".yaml": "text",
                ".yml": "text", ".csv": "text", ".html": "text", ".log": "text"}


def check_output(path: str | os.PathLike, data: bytes | None = None) -> Path:
    """Raise OutputError unless ``path`` is somewhere this command may (re)write a regular file."""
    _check(os.fspath(path), data)
    return Path(path)


def _check(path: str, data: bytes | None) -> os.stat_result | None:
    """check_output on a string path; returns the stat of the file it would replace (None: a new file).

    Strings and os.path, not pathlib: this runs for each of thousands of checklists."""
    absolute, real = os.path.abspath(path), os.path.realpath(path)
    for bad in _FORBIDDEN_ROOTS:
        if _under(absolute, bad) or _under(real, bad):
            raise _refuse(path, f"{bad} 下是设备或系统文件，不是普通文件", f"{bad} holds devices and system files")
    scope = _SCOPE.get()
    if scope is not None:
        for given, resolved in scope.roots:
            if _under(absolute, given) and not _under(real, resolved):
                raise _refuse(path, f"经符号链接指向输出文件夹 {given} 之外（{real}）",
                              f"a symbolic link leads outside the output folder {given} ({real})")
    try:
        st = os.stat(path)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise _os_error(path, exc) from None
    if st is not None:
        if stat.S_ISDIR(st.st_mode):
            raise _refuse(path, "这是一个文件夹，请给出文件名", "it is a folder; give a file name")
        if not stat.S_ISREG(st.st_mode):
            raise _refuse(path, "不是普通文件（设备、管道或套接字）", "not a regular file (a device, pipe or socket)")
        if scope is not None and (st.st_dev, st.st_ino) in scope.inputs:
            raise _refuse(path, f"这是本命令的输入文件（{scope.inputs[(st.st_dev, st.st_ino)]}），请另取输出文件名",
                          f"it is an input of this command ({scope.inputs[(st.st_dev, st.st_ino)]}); "
                          "choose another output name")
    name = os.path.basename(path)
    if data is not None:
        new = _kind(data[:4096])
        suffix = os.path.splitext(name)[1]
        want = _SUFFIX_KIND.get(suffix.lower())
        if want is not None and want != new:
            raise _refuse(path, f"文件名后缀 {suffix} 与要写入的内容（{_KIND_ZH[new]}）不符",
                          f"the suffix {suffix} does not match what would be written ({new})")
        if want is None and st is not None and st.st_size:   # no telling suffix: look at what is there
            try:
                with open(path, "rb") as fh:
                    old = _kind(fh.read(4096))
            except OSError:
                old = new
            if old != new:
                raise _refuse(path, f"已有的{_KIND_ZH[old]}不会被{_KIND_ZH[new]}覆盖，请另取输出文件名",
                              f"an existing {old} file would be replaced by a {new} file; choose another name")
    if len(name.encode("utf-8")) > NAME_MAX:
        raise _refuse(path, f"文件名超过 {NAME_MAX} 字节", f"the file name is longer than {NAME_MAX} bytes")
    return st


def output_stem(text: str, *, taken: dict | None = None, group: str = "", max_len: int = 80) -> str:
    """THE name (without extension) of an output file made from data: a project, a county, a title.

    Safe as ``safe_filename`` makes it; longer than ``max_len`` characters or ``STEM_BYTES`` bytes, it is cut
    and ends in ``~`` and 8 hex digits of the SHA-256 of the whole name, so names that differ only after the cut
    stay different, the same on every run. With ``taken`` (the caller's dict, one per batch; a checklist's .docx
    and .pdf share the stem), a stem already given in ``group`` (a folder), compared without case and width
    (the batch must unpack on Windows and macOS too), becomes ``stem (2)``, ``stem (3)`` ..., still within the
    limits, and a note says so when the command ends. ``safe_filename`` (and so ``safe_join``) leaves the
    result, with an extension of up to 9 bytes, unchanged."""
    whole = _clean_stem(text)
    cand = _fit(whole, "", max_len)
    if taken is None:
        return cand
    key = lambda s: (group, unicodedata.normalize("NFKC", s).casefold())  # noqa: E731
    n = 1
    while key(cand) in taken:
        n += 1
        cand = _fit(whole, f" ({n})", max_len)
    if n > 1:
        first = _fit(whole, "", max_len)
        note(f"文件名重复：{group}/{first} 已有，另一份命名为 {cand}（不覆盖）",
             f"duplicate file name: {group}/{first} is taken; the other is named {cand} (nothing overwritten)")
    taken[key(cand)] = cand
    return cand


def output_name(text: str, ext: str, *, taken: dict | None = None, group: str = "", max_len: int = 80) -> str:
    """``output_stem(text, ...)`` + ``ext`` (".pdf", ".docx", ".xlsx", ".zip")."""
    return output_stem(text, taken=taken, group=group, max_len=max_len) + ext


def unique_stem(taken: dict, group: str, stem: str) -> str:
    """``output_stem(stem, taken=taken, group=group)`` (the older name)."""
    return output_stem(stem, taken=taken, group=group)


def os_reason(exc: OSError, *, reading: bool = False) -> tuple[str, str]:
    """(zh, en) of why the system refused a read or a write: said in the clerk's language, not strerror's."""
    access = ("没有读取权限", "permission denied") if reading else ("没有写入权限", "permission denied")
    why = {errno.EACCES: access, errno.EPERM: access,
           errno.EROFS: ("文件系统只读", "read-only file system"), errno.ENOSPC: ("磁盘已满", "no space left on device"),
           errno.EDQUOT: ("磁盘配额已满", "disk quota exceeded"),
           errno.EISDIR: ("这是一个文件夹", "it is a folder"),
           errno.ENOTDIR: ("路径中有一段不是文件夹", "a part of the path is not a folder"),
           errno.EEXIST: ("路径中有一段已是文件", "a part of the path is a file"),
           errno.ENAMETOOLONG: (f"文件名过长（超过 {NAME_MAX} 字节）", f"file name too long (over {NAME_MAX} bytes)")}
    if reading:
        why[errno.ENOENT] = ("文件不存在", "no such file")
    known = why.get(exc.errno) if exc.errno is not None else None
    return known or (exc.strerror or str(exc), exc.strerror or str(exc))


def _os_error(path, exc: OSError) -> OutputError:
    zh, en = os_reason(exc)
    return OutputError(f"无法写入：{zh}；原有文件未改动", f"cannot write: {en}; any previous file is unchanged",
                       location=str(path))


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> Path:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never half of one.

    Refuses (OutputError) what ``check_output`` refuses; any OSError becomes an OutputError too.
    """
    path = Path(path)
    where = os.fspath(path)
    st = _check(where, data)
    parent = os.path.dirname(os.path.abspath(where))
    if not os.path.isdir(parent):
        try:
            os.makedirs(parent, exist_ok=True)
        except OSError as exc:
            raise _os_error(parent, exc) from None
        st = _check(where, None)       # the folders are new: where their symlinks lead is checked again
    # a replaced file keeps its mode (0600 stays 0600); mkstemp makes 0600, new files get the usual mode
    mode = stat.S_IMODE(st.st_mode) if st is not None else 0o666 & ~_umask()
    try:
        fd, tmp = tempfile.mkstemp(prefix=_TEMP_PREFIX, suffix=".tmp", dir=parent)
    except OSError as exc:
        raise _os_error(path, exc) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        if isinstance(exc, OSError):
            raise _os_error(path, exc) from None
        raise
    scope = _SCOPE.get()
    if scope is not None:
        scope.written.append(path)
    return path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write_text(path: str | os.PathLike, text: str) -> Path:
    return atomic_write_bytes(path, text.encode("utf-8"))


# -- names ------------------------------------------------------------------------------------------
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
_EXT = re.compile(r"(\.[A-Za-z0-9]{1,8})$")
_RESERVED = re.compile(r"^(CON|PRN|AUX|NUL|COM[0-9¹²³]|LPT[0-9¹²³])$", re.IGNORECASE)


def _split_ext(name: str) -> tuple[str, str]:
    m = _EXT.search(name)
    return (name[:m.start()], m.group(1)) if m and m.start() > 0 else (name, "")


def _cut_bytes(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` UTF-8 bytes, on a character boundary."""
    raw = text.encode("utf-8")
    if len(raw) <= limit:
        return text
    return raw[:max(limit, 0)].decode("utf-8", errors="ignore")


# bidi controls and zero-width characters: dropped from names (a U+202E can make "x.fdp.exe" show as a PDF)
_INVISIBLE = re.compile("[\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_HASH_MARK = 9            # "~" and 8 hex digits


def _clean_stem(stem: str) -> str:
    """A stem made safe, not cut: no separator, control, invisible or Windows-reserved character, no
    leading/trailing dot or space, never empty, never a Windows device name."""
    stem = _INVISIBLE.sub("", unicodedata.normalize("NFC", str(stem)))
    stem = re.sub(r"\s+", " ", _UNSAFE.sub("_", stem)).strip(" .")
    if not stem:
        stem = "_"
    if _RESERVED.match(stem.split(".")[0].strip()):
        stem = "_" + stem
    return stem


def _fit(whole: str, tail: str, max_len: int) -> str:
    """``whole + tail`` when it fits ``max_len`` characters and ``STEM_BYTES`` bytes, else ``whole`` cut, on a
    character boundary, to leave room for ``~`` + 8 hex digits of its SHA-256, and ``tail``."""
    if len(whole) + len(tail) <= max_len and len(whole.encode("utf-8")) + len(tail.encode("utf-8")) <= STEM_BYTES:
        return whole + tail
    mark = "~" + hashlib.sha256(whole.encode("utf-8", "surrogatepass")).hexdigest()[:_HASH_MARK - 1]
    room = max(max_len - len(tail) - _HASH_MARK, 1)
    head = _cut_bytes(whole[:room], STEM_BYTES - len(tail.encode("utf-8")) - _HASH_MARK).rstrip(" .")
    return head + mark + tail


def safe_filename(name: str, *, max_len: int = 80) -> str:
    """A file name made from user data (a community name) that cannot leave its folder.

    Path separators, '..', control, invisible (bidi, zero-width) and Windows-reserved characters are
    replaced or dropped; the result is never empty, never starts with a dot, never is a Windows device name
    (CON, NUL, COM1 ...), has no trailing dot or space and keeps its extension; a stem over ``max_len``
    characters or ``STEM_BYTES`` UTF-8 bytes is cut on a character boundary and ends in a short hash of the
    whole stem (``_fit``), so the name fits 255 bytes, two long names stay two, and cutting a cut name again
    changes nothing.
    """
    name = unicodedata.normalize("NFC", str(name))
    name = _UNSAFE.sub("_", _INVISIBLE.sub("", name))
    name = re.sub(r"\s+", " ", name).strip()
    stem, ext = _split_ext(name)
    return _fit(_clean_stem(stem), "", max_len) + ext


def safe_join(folder: str | os.PathLike, name: str) -> Path:
    """``folder / safe_filename(name)``, checked to stay inside ``folder``."""
    folder = Path(folder).resolve()
    target = (folder / safe_filename(name)).resolve()
    if folder not in target.parents:
        raise _refuse(folder / safe_filename(name), f"经符号链接指向文件夹 {folder} 之外（{target}）",
                      f"a symbolic link leads outside {folder} ({target})")
    return target


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: str | os.PathLike) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
