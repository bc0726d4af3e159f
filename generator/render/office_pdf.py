"""PDF from a filled Word document, printed by LibreOffice headless: the PDF of a form whose one layout is
its .docx template (so a bureau's edit of that template in Word reaches the PDF too).

A batch is printed by one LibreOffice process (or shared by PROCESSES at once), started once (~1–2 s, far
more under load), then a fraction of a second per document; each process uses its own user profile (two soffice processes on one profile block each other). fonts/fonts.conf maps the
Windows font names of the documents to the installed free fonts. The PDFs are made reproducible: the
creation/modification dates LibreOffice stamps are replaced by the document's own date, the file
/ID and LibreOffice's /DocChecksum by a hash of the content, byte for byte the same length so the cross-reference table stays valid.
LibreOffice is given nothing that pulls a file in (generator.render.resources.check_docx: external relationships
other than hyperlinks, INCLUDEPICTURE/INCLUDETEXT/LINK fields, DOCTYPE declarations are refused before it starts).
"""
from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from generator.errors import RenderError

TIMEOUT_S = 900


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def require_soffice(what: str) -> str:
    exe = soffice()
    if exe is None:
        raise RenderError(f"生成{what}的 PDF 需要 LibreOffice（soffice），本机未安装：请运行 scripts/setup.sh，"
                          f"或加 --no-pdf 只生成 DOCX",
                          f"printing {what} to PDF needs LibreOffice (soffice), not installed here: run "
                          f"scripts/setup.sh, or pass --no-pdf for DOCX only")
    return exe


_DATE = re.compile(rb"/(CreationDate|ModDate)\s*\(D:[^)]*\)")
_SUM = re.compile(rb"/DocChecksum\s*/([0-9A-Fa-f]+)")      # LibreOffice's, differs run to run
_ID = re.compile(rb"/ID\s*\[\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*\]")


def reproducible(pdf: bytes, stamp: str) -> bytes:
    """Same bytes for the same document: fixed dates (``stamp`` as YYYYMMDD) and a content-derived /ID."""
    def date(m: re.Match) -> bytes:
        old = m.group(0)
        new = b"/" + m.group(1) + b"(D:" + stamp.encode() + b"000000"
        new += b")"
        return new.ljust(len(old)) if len(new) <= len(old) else old   # same length keeps xref offsets
    pdf = _DATE.sub(date, pdf)
    digest = hashlib.sha256(_SUM.sub(b"", _ID.sub(b"", pdf))).hexdigest().upper().encode()

    def checksum(m: re.Match) -> bytes:
        return b"/DocChecksum /" + (digest * 4)[:len(m.group(1))]
    pdf = _SUM.sub(checksum, pdf)

    def ident(m: re.Match) -> bytes:
        s, off = bytearray(m.group(0)), m.start(0)
        for g in (1, 2):
            a, b = m.start(g) - off, m.end(g) - off
            s[a:b] = (digest * 4)[:b - a]
        return bytes(s)
    return _ID.sub(ident, pdf)


# LibreOffice processes sharing a batch. One by default: measured on the shared 2-core machine (load 9–11), two
# processes were slower (median 48.1 s against 36.6 s for the 10 mid-year forms). GAIZAO_SOFFICE_PROCESSES=2 is
# there to measure it again on a quiet machine (bench/bench_acceptance.py runs both).
_ASKED = os.environ.get("GAIZAO_SOFFICE_PROCESSES", "")
PROCESSES = max(1, min(int(_ASKED), 8)) if _ASKED.strip().isdigit() else 1


def docx_to_pdf(items: list[tuple[bytes, Path]], stamp: str, what: str = "表格") -> list[tuple[Path, bytes]]:
    """Print each (DOCX bytes, PDF destination) with LibreOffice; returns (destination, PDF bytes) in order.

    The batch is shared by PROCESSES LibreOffice processes running at once (one by default), each started
    once with its own profile and converting its share of the files in one call (bench/bench_acceptance.py).
    Nothing is written to the destinations here (the caller writes them atomically)."""
    if not items:
        return []
    from generator.render.resources import check_docx
    for data, dest in items:          # LibreOffice would load a linked picture or an INCLUDETEXT file: refuse first
        check_docx(data, dest.with_suffix(".docx").name)
    exe = require_soffice(what)
    from concurrent.futures import ThreadPoolExecutor

    from generator.render.base import FONTS_CONF
    env = dict(os.environ)
    if FONTS_CONF.exists():
        env["FONTCONFIG_FILE"] = str(FONTS_CONF)
    n = min(PROCESSES, len(items))
    shares = [list(range(k, len(items), n)) for k in range(n)]          # interleaved: similar sizes per process
    with tempfile.TemporaryDirectory(prefix="gaizao-lo-") as tmp:
        with ThreadPoolExecutor(n) as pool:
            done = list(pool.map(lambda k: _convert(exe, env, [items[i] for i in shares[k]], Path(tmp) / str(k),
                                                    what), range(n)))
    pdfs: dict[int, bytes] = {}
    for share, out in zip(shares, done):
        pdfs.update(zip(share, out))
    return [(dest, reproducible(pdfs[i], stamp)) for i, (_, dest) in enumerate(items)]


def _convert(exe: str, env: dict, items: list[tuple[bytes, Path]], tmp: Path, what: str) -> list[bytes]:
    """One LibreOffice process converting ``items`` in one call; the PDFs' bytes in the same order."""
    src = tmp / "in"
    src.mkdir(parents=True)
    names = []
    for i, (data, _) in enumerate(items):
        p = src / f"d{i:05d}.docx"          # ASCII, unique stems: LibreOffice names the PDF after the stem
        p.write_bytes(data)
        names.append(p)
    cmd = [exe, f"-env:UserInstallation={(tmp / 'profile').as_uri()}", "--headless", "--norestore",
           "--nologo", "--convert-to", "pdf", "--outdir", str(tmp / "out"), *map(str, names)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT_S, env=env)
    except subprocess.TimeoutExpired:
        raise RenderError(f"LibreOffice 打印{what}超时（{TIMEOUT_S} 秒）",
                          f"LibreOffice timed out printing {what} ({TIMEOUT_S} s)") from None
    out = []
    for p, (_, dest) in zip(names, items):
        pdf = tmp / "out" / (p.stem + ".pdf")
        if not pdf.is_file() or pdf.stat().st_size == 0:
            tail = (proc.stderr or proc.stdout or "").strip()[-300:]
            raise RenderError(f"LibreOffice 未能将 {dest.name} 打印为 PDF（{tail}）",
                              f"LibreOffice could not print {dest.name} to PDF ({tail})")
        out.append(pdf.read_bytes())
    return out


def last_page_text(pdf: bytes) -> str:
    """The text of a PDF's last page, whitespace removed (pypdf)."""
    import io

    from pypdf import PdfReader
    reader = PdfReader(io.BytesIO(pdf))
    return re.sub(r"\s+", "", reader.pages[-1].extract_text() or "")
