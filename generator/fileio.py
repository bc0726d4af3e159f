"""File helpers shared by every command: atomic writes, safe file names, hashes."""
from __future__ import annotations

import hashlib
import os
import re
import tempfile
import unicodedata
from pathlib import Path


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> Path:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never half of one."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o666 & ~_umask())   # mkstemp makes 0600; give the file the usual permissions
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write_text(path: str | os.PathLike, text: str) -> Path:
    return atomic_write_bytes(path, text.encode("utf-8"))


_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def safe_filename(name: str, *, max_len: int = 80) -> str:
    """A file name made from user data (a community name) that cannot leave its folder.

    Path separators, '..', control and Windows-reserved characters are replaced; the result is
    never empty, never starts with a dot and stays short enough for Windows paths.
    """
    name = unicodedata.normalize("NFC", str(name))
    name = _UNSAFE.sub("_", name).strip().strip(".")
    name = re.sub(r"\s+", " ", name)
    if not name:
        name = "_"
    return name[:max_len]


def safe_join(folder: str | os.PathLike, name: str) -> Path:
    """``folder / safe_filename(name)``, checked to stay inside ``folder``."""
    folder = Path(folder).resolve()
    target = (folder / safe_filename(name)).resolve()
    if folder not in target.parents:
        raise ValueError(f"unsafe output name: {name!r}")
    return target


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: str | os.PathLike) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
