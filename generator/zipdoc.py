"""Office documents (DOCX, XLSX) as gaizao writes them: byte-identical zips and the manifest they carry.

Floor 1 (beside fileio): the workbook writer (ledger) and every renderer share it. A renderer passes its own
``check`` for what a document may not contain (render.base: a DOCX that would pull an external file in).
"""
from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path
from typing import Callable

from generator.fileio import atomic_write_bytes

FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def normalize_zip(data: bytes, check: Callable[[bytes], None] | None = None) -> bytes:
    """Same members, same order ([Content_Types].xml first), fixed times: byte-identical re-renders.
    ``check(data)`` runs first and raises to refuse the document."""
    if check is not None:
        check(data)
    src = zipfile.ZipFile(io.BytesIO(data))
    names = src.namelist()
    names.sort(key=lambda n: (n != "[Content_Types].xml",))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            info.create_system = 0
            dst.writestr(info, src.read(name))
    return out.getvalue()


def save_zip_document(path: str | os.PathLike, data: bytes, check: Callable[[bytes], None] | None = None) -> Path:
    """Normalise and write a DOCX/XLSX atomically."""
    return atomic_write_bytes(path, normalize_zip(data, check))


def manifest(loaded_policy, input_hash: str | None = None, **extra) -> dict:
    """The manifest stored in each output's properties: generator version, policy id/version/hash, input."""
    from generator import __version__
    m = {"generator": f"gaizao {__version__}", **loaded_policy.manifest()}
    if input_hash:
        m["input_hash"] = input_hash
    m.update(extra)
    return m


def manifest_text(m: dict) -> str:
    return json.dumps(m, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
