"""Every kind of document gaizao issues, built once on the sample data, and their text as a reader sees it.

``build_all(out)`` runs ``gaizao build`` (notice and 勘误 更正通知, county plans, checklists, acceptance forms,
the year's 通报/函/汇总表/开工认定汇总表, the 对照表) and adds what the build leaves to the office's decisions:
the 检查验收结果通报 and the 检查验收汇总表 with scores and weights (a tie at the cut-off, and a decided one).

``printed_text(path)`` is what a reader can see: DOCX body, headers and footers (not Word comments, which are
not printed), every XLSX cell that is not a formula and its page header/footer, the PDF's text (pdftotext).
"""
from __future__ import annotations

import functools
import re
import subprocess
import zipfile
from pathlib import Path

from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[2]

# scores with a tie at third place (the policy names 3 excellent counties) and one without
TIED = {"mid-year": {"禹州市": 90, "长葛市": 85, "襄城县": 85, "魏都区": 95, "建安区": 70},
        "year-end": {"禹州市": 92, "长葛市": 80, "襄城县": 80, "魏都区": 96, "建安区": 70}}
DECIDED = {"mid-year": {"禹州市": 90, "长葛市": 85, "襄城县": 80, "魏都区": 95, "建安区": 70},
           "year-end": {"禹州市": 88, "长葛市": 92, "襄城县": 75, "魏都区": 90, "建安区": 93}}
WEIGHTS = "mid-year=0.4,year-end=0.6"


def _yaml(path: Path, data: dict) -> Path:
    import yaml
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def build_all(out: Path) -> Path:
    from generator.cli import main
    run = CliRunner().invoke
    # a failed step is not fatal here: the tests assert that each kind they scan was built
    run(main, ["build", "--policy", "xuchang/2023", "-o", str(out)])
    scores = {"tied": _yaml(out / "tied.yaml", TIED), "decided": _yaml(out / "decided.yaml", DECIDED)}
    for name, path in scores.items():
        r = run(main, ["report", "results", "--policy", "xuchang/2023", "--scores", str(path), "--weights", WEIGHTS,
                       "-o", str(out / "results" / name)])
        assert r.exit_code == 0, r.output
    r = run(main, ["render", "acceptance", "xuchang/2023", "--round", "year-end", "--county", "禹州市",
                   "--scores", str(scores["tied"]), "--weights", WEIGHTS, "-o", str(out / "acceptance-summary")])
    assert r.exit_code == 0, r.output
    # a draft policy's documents (示例草案) and real-length forms that continue on a 续页
    for args in (["render", "notice", "xuchang/2024-draft", "-o", str(out / "draft" / "notice")],
                 ["render", "county-plan", "xuchang/2024-draft", "--county", "禹州市", "-o", str(out / "draft" / "plans")],
                 ["render", "checklists", str(ROOT / "tests" / "fixtures" / "stress" / "stress-魏都区.xlsx"),
                  "--policy", "xuchang/2023", "--pdf", "--merge", "-o", str(out / "stress")]):
        r = run(main, args)
        assert r.exit_code == 0, r.output
    return out


def documents(out: Path) -> list[Path]:
    """Every DOCX/XLSX/PDF under ``out`` (not the register, the bench reports or the score files)."""
    return sorted(p for p in out.rglob("*") if p.suffix in (".docx", ".xlsx", ".pdf") and p.is_file())


def docx_parts_text(path: Path) -> dict[str, str]:
    """Text per printed part of a DOCX: document, headers, footers (comments are not printed)."""
    zf = zipfile.ZipFile(path)
    out = {}
    for name in zf.namelist():
        if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", name):
            xml = zf.read(name).decode("utf-8")
            xml = re.sub(r"</w:p>", "\n", xml)
            xml = re.sub(r"<w:tab/>", "\t", xml)
            xml = re.sub(r"<w:instrText[^>]*>.*?</w:instrText>", "", xml)      # field codes are not printed
            text = re.sub(r"<[^>]+>", "", xml)
            out[name] = (text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
                         .replace("&apos;", "'").replace("&amp;", "&"))
    return out


def xlsx_sheets_text(path: Path) -> dict[str, str]:
    """Text per sheet: values that are not formulas, and the printed header/footer."""
    import openpyxl
    wb = openpyxl.load_workbook(path)
    out = {}
    for ws in wb.worksheets:
        lines = []
        for row in ws.iter_rows(values_only=True):
            lines.append("\t".join("" if v is None or (isinstance(v, str) and v.startswith("=")) else str(v)
                                   for v in row))
        for hf in (ws.oddHeader, ws.oddFooter, ws.evenHeader, ws.evenFooter):
            for part in (hf.left, hf.center, hf.right):
                if part.text:
                    lines.append(part.text)
        out[ws.title] = "\n".join(lines)
    return out


def pdf_pages_text(path: Path) -> list[str]:
    """The PDF's text per page (pdftotext -layout), read once per file version: the session's build has hundreds
    of PDFs and several tests read each of them more than once."""
    st = Path(path).stat()
    return list(_pdf_pages(str(path), st.st_mtime_ns, st.st_size))


@functools.lru_cache(maxsize=None)
def _pdf_pages(path: str, _mtime_ns: int, _size: int) -> tuple[str, ...]:
    text = subprocess.run(["pdftotext", "-layout", path, "-"], capture_output=True, text=True, check=True).stdout
    pages = text.split("\f")
    return tuple(pages[:-1] if pages and not pages[-1].strip() else pages)


def printed_text(path: Path) -> dict[str, str]:
    """{part: text}: DOCX parts, XLSX sheets, PDF pages ("page N")."""
    if path.suffix == ".docx":
        return docx_parts_text(path)
    if path.suffix == ".xlsx":
        return xlsx_sheets_text(path)
    return {f"page {i}": t for i, t in enumerate(pdf_pages_text(path), 1)}
