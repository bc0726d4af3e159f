"""Write docs/clerk-table.md: every document kind × (fits, pages, labels, no traces, format elements, other-font
print), measured.

    python scripts/clerk_table.py          # builds every kind in a temporary folder (~4 min: LibreOffice twice)

The measurements are the tests' own, called here rather than written again: the documents are
tests/support/issued.py's build; "fits" is test_office_files.py's check (nothing off the paper, nothing outside
the printable area the file declares); traces are test_no_traces.py's scan; labels its page-by-page check
(test_labels_every_page.py); the layout rules (one page or a labelled 续页, the table header on every page with
rows, no signature block or 署名 alone) are test_other_fonts.py's ``layout_rules`` under its two font sets; the
版记 and the 信函格式 are test_gbt9704_formats.py's checks. The table is generated, never edited by hand, and
tests/render_forms/test_clerk_table.py fails when it no longer matches what the tests measure.
"""
from __future__ import annotations

import importlib.util
import re
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

TARGET = ROOT / "docs" / "clerk-table.md"
LETTERS = ("反馈意见函",)                                  # 信函格式 [GB/T 9704 10.1]
FILE_FORMAT = ("notice", "更正通知", "进度通报", "结果通报")     # 文件格式 with a 版记 [GB/T 9704 7.4]
PAGE_NUMBER = re.compile(r"—\s*\d+\s*—|第\s*\d+\s*页")
DOC_NUMBER = re.compile(r"许百城提质办〔(\d{4})?〕\d*号")


def _module(rel: str):
    spec = importlib.util.spec_from_file_location(rel.replace("/", "_").removesuffix(".py"), ROOT / rel)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _holds(check, *args) -> bool:
    """A test's own assertion-based check, as a measurement: True when it passes."""
    try:
        check(*args)
    except (AssertionError, StopIteration, ValueError, IndexError):
        return False
    return True


def _mark(ok: bool) -> str:
    return "✓" if ok else "✗"


def measure(out: Path, work: Path) -> list[tuple]:
    """One row per document kind of test_other_fonts.KINDS, from the build in ``out``; LibreOffice prints in
    ``work``."""
    from support.issued import documents, pdf_pages_text
    from support.office import convert_to_pdf

    from generator.policy import load_policy
    traces = _module("tests/render_forms/test_no_traces.py")
    fonts = _module("tests/render_forms/test_other_fonts.py")
    office = _module("tests/test_office_files.py")
    gbt = _module("tests/render_notice/test_gbt9704_formats.py")
    issuer = load_policy("xuchang/2023").policy.document.issuer.value
    files = documents(out)
    chosen = {}
    for kind, (part, _, _) in fonts.KINDS.items():
        hit = next((p for p in files if p.suffix in (".docx", ".xlsx") and part in str(p.relative_to(out))), None)
        if hit is not None:
            chosen[kind] = hit
    work.mkdir(parents=True, exist_ok=True)
    copies = []
    for i, p in enumerate(chosen.values()):
        copies.append(work / f"{i:02d}{p.suffix}")
        shutil.copy(p, copies[-1])
    printed = {name: dict(zip(chosen, convert_to_pdf(copies, work / name, fontconfig=conf)))
               for name, conf in fonts.FONT_SETS.items()}
    rows = []
    for kind, path in chosen.items():
        own = path.with_suffix(".pdf")
        own = own if own.exists() else None
        lo = {name: printed[name][kind] for name in printed}
        raw = {name: [t.replace("\u3000", " ") for t in pdf_pages_text(pdf)] for name, pdf in lo.items()}
        pages = {name: [t.replace(" ", "") for t in ps] for name, ps in raw.items()}
        # fits: gaizao's PDF on the paper; each print on the paper and inside the area the file declares
        letter = kind in LETTERS
        fits = {name: office.outside_printable_area(path, pdf, letter) for name, pdf in lo.items()}
        bad = [f"{name} {len(a) + len(b)}" for name, (a, b) in fits.items() if a or b]
        if own is not None and office.off_page(own, 0):
            bad.append("PDF")
        # labels, traces
        found = [h for p in ((path, own) if own else (path,)) for h in traces.scan(p)]
        label = next((x for x in ("示例数据", "示例草案") if x in pages["fandol"][0]), "")
        every = all(label in t for ps in pages.values() for t in ps) and (
            own is None or all(label in t.replace(" ", "") for t in pdf_pages_text(own))) if label else None
        # format elements: GB/T 9704 where it applies, page numbers, and the layout rules, on the Fandol print
        # (and gaizao's own PDF where there is one)
        elements = []
        pdfs = [lo["fandol"], *([own] if own else [])]
        if kind in FILE_FORMAT or kind in LETTERS:
            elements.append(f"文号 {_mark(bool(DOC_NUMBER.search(pages['fandol'][0])))}")
        if kind in FILE_FORMAT:
            elements.append(f"版记 {_mark(all(_holds(gbt.colophon_on_last_page, p, issuer, gbt.ANY, gbt.ANY) for p in pdfs))}")
        if letter:
            elements.append(f"信函格式 {_mark(all(_holds(gbt.letter_format, p, issuer) for p in pdfs))}")
        numbered = sum(1 for t in raw["fandol"] if PAGE_NUMBER.search(t))
        elements.append(f"页码 {numbered}/{len(raw['fandol'])}")
        rules = {name: fonts.layout_rules(kind, raw[name]) for name in raw}
        elements += [f"{rule} {_mark(why is None)}" for rule, why in rules["fandol"].items()]
        broken = [rule for rule, why in rules["noto"].items() if why is not None]
        if kind in FILE_FORMAT and not _holds(gbt.colophon_on_last_page, lo["noto"], issuer, gbt.ANY, gbt.ANY):
            broken.append("版记")
        if letter and not _holds(gbt.letter_format, lo["noto"], issuer):
            broken.append("信函格式")
        other = "✗ " + "、".join(broken) if broken else ("✗ fits" if fits["noto"][0] or fits["noto"][1] else "✓")
        rows.append((kind, path.suffix[1:].upper(), "✓" if not bad else "✗ " + ", ".join(bad),
                     len(pdf_pages_text(own)) if own else None, len(pages["fandol"]), len(pages["noto"]),
                     label or "—", "—" if every is None else _mark(every),
                     "✓" if not found else f"✗ {len(found)}", " · ".join(elements), other))
    return rows


HEAD = ("kind", "file", "fits", "pages (gaizao PDF)", "pages (LibreOffice, Fandol)", "pages (LibreOffice, Noto)",
        "label", "label on every page", "no internal trace", "format elements (Fandol print, gaizao PDF)",
        "other-font print (Noto)")


def render(rows: list[tuple]) -> str:
    lines = ["# Clerk's table: every document kind, measured (issue 21.7)", "",
             "Generated by `python scripts/clerk_table.py` from the tests' own measurements; do not edit by hand",
             "(tests/render_forms/test_clerk_table.py fails when it drifts). Columns:", "",
             "- **fits**: nothing off the paper in gaizao's PDF; nothing off the paper or outside the printable area the",
             "  file declares in the LibreOffice prints with both font sets (test_office_files.py's check).",
             "- **pages**: gaizao's own PDF where the command writes one; the DOCX/XLSX printed by LibreOffice with the",
             "  fonts of this machine (Fandol) and with a second, differently metric set under the same Windows names",
             "  (Noto Serif/Sans CJK, fonts/fonts-noto.conf).",
             "- **label**: 示例数据 / 示例草案 on page 1, and on every page of both prints and gaizao's PDF.",
             "- **no internal trace**: test_no_traces.py's scan (register ids, file names, policy ids, versions, command",
             "  lines, provenance remarks, clause citations, 数据截止).",
             "- **format elements**: GB/T 9704 where it applies (文号; 版记 of the 文件格式; the 信函格式 of a 函,",
             "  test_gbt9704_formats.py's checks), pages carrying a page number, and the layout rules of",
             "  test_other_fonts.py (一页或续页, 表头每页, 签字栏/署名/签发栏不单独成页) on the Fandol print.",
             "- **other-font print**: the same layout rules, the 版记 / 信函格式 and the fit with the Noto set.", "",
             "| " + " | ".join(HEAD) + " |",
             "|" + "---|" * len(HEAD)]
    for r in rows:
        lines.append("| " + " | ".join("—" if v is None else str(v) for v in r) + " |")
    return "\n".join(lines) + "\n"


def main() -> Path:
    from support.issued import build_all

    from generator.fileio import atomic_write_text
    with tempfile.TemporaryDirectory(prefix="clerk-") as tmp:
        rows = measure(build_all(Path(tmp) / "b"), Path(tmp) / "lo")
    atomic_write_text(TARGET, render(rows))
    return TARGET


if __name__ == "__main__":
    print(re.sub(r"^" + re.escape(str(ROOT)) + "/", "", str(main())))
