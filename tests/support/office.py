"""Convert DOCX/XLSX to PDF with LibreOffice headless, as a bureau's office suite would print them.

One call converts a batch (LibreOffice starts once, ~1 s, then ~0.1 s per document). Each call uses its own
user profile so parallel test processes never share one (two soffice processes on one profile block).
Tests that need it skip with a clear reason when soffice is missing; scripts/setup.sh installs it.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
ROOT = Path(__file__).resolve().parents[2]


def require_soffice() -> str:
    if not SOFFICE:
        pytest.skip("LibreOffice (soffice) not installed: run scripts/setup.sh")
    return SOFFICE


def convert_to_pdf(paths, outdir, timeout: int = 240, fontconfig: str | Path | None = None) -> list[Path]:
    """Convert each of ``paths`` (DOCX, XLSX) to PDF in ``outdir``; returns the PDFs in the same order.

    Raises AssertionError naming the file when LibreOffice could not open or convert one.
    """
    exe = require_soffice()
    paths = [Path(p) for p in paths]
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    # Same stem in one batch would overwrite: LibreOffice names the PDF after the stem.
    stems = [p.stem for p in paths]
    assert len(set(stems)) == len(stems), f"duplicate stems in one conversion batch: {stems}"
    env = dict(os.environ)
    # fontconfig: another font set for the same Windows names (fonts/fonts-noto.conf: other metrics, issue 21.4)
    env["FONTCONFIG_FILE"] = str(fontconfig or ROOT / "fonts" / "fonts.conf")
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        cmd = [exe, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
               "--convert-to", "pdf", "--outdir", str(outdir), *map(str, paths)]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
    out = [outdir / (p.stem + ".pdf") for p in paths]
    missing = [str(p) for p, o in zip(paths, out) if not o.exists() or o.stat().st_size == 0]
    assert not missing, f"LibreOffice could not convert {missing}: rc={proc.returncode} {proc.stderr[-500:]}"
    return out
