"""Shared fixtures: each notice variant is rendered once per session (rendering takes about a second)."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "render_notice"
MM = 25.4 / 72                                   # PDF points -> mm


@pytest.fixture(scope="session")
def rendered(policy2023, tmp_path_factory):
    """The bundled 2023 notice as printed: {'docx': bytes, 'pdf': bytes, 'paths': [...], 'ctx': dict}."""
    from generator.render.notice import notice_context, render_notice
    out = tmp_path_factory.mktemp("notice")
    paths = render_notice(policy2023, out)
    by_ext = {p.suffix: p for p in paths}
    return {"docx": by_ext[".docx"].read_bytes(), "pdf": by_ext[".pdf"].read_bytes(), "paths": paths,
            "pdf_path": by_ext[".pdf"], "docx_path": by_ext[".docx"], "ctx": notice_context(policy2023)}


@pytest.fixture(scope="session")
def rendered_corrected(policy2023, tmp_path_factory):
    from generator.render.notice import render_notice
    out = tmp_path_factory.mktemp("notice_corrected")
    paths = render_notice(policy2023, out, corrected=True)
    # the corrected text by suffix; the 更正通知 issued with it under "correction_notice"
    found = {p.suffix: p for p in paths if "勘误版" in p.name}
    found["correction_notice"] = {p.suffix: p for p in paths if "更正通知" in p.name}
    return found


@pytest.fixture(scope="session")
def rare_policy(tmp_path_factory):
    """A draft copy of the 2023 policy whose issuer and short name hold & < > " ' , an emoji and 镕 喆."""
    from generator.policy import load_policy
    dst = tmp_path_factory.mktemp("rare") / "policy"
    shutil.copytree(ROOT / "policies" / "xuchang" / "2023", dst)
    data = yaml.safe_load((dst / "policy.yaml").read_text(encoding="utf-8"))
    patch = yaml.safe_load((FIXTURES / "rare-names.yaml").read_text(encoding="utf-8"))
    data["status"], data["label"] = patch["status"], patch["label"]
    for key, value in patch["document"].items():
        data["document"][key]["value"] = value
    (dst / "policy.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return load_policy(dst)


@pytest.fixture(scope="session")
def rendered_rare(rare_policy, tmp_path_factory):
    from generator.render.notice import render_notice
    out = tmp_path_factory.mktemp("notice_rare")
    return {p.suffix: p for p in render_notice(rare_policy, out)}


# -- helpers ---------------------------------------------------------------------------------------
def docx_text(path_or_bytes) -> str:
    import io

    import docx
    src = io.BytesIO(path_or_bytes) if isinstance(path_or_bytes, bytes) else path_or_bytes
    return "\n".join(p.text for p in docx.Document(src).paragraphs)


def pdf_text(path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


PAGE_NUMBER = re.compile(r"^\s*—\s*\d+\s*—\s*$")


def without_page_numbers(text: str) -> str:
    return "\n".join(line for line in text.replace("\f", "\n").splitlines() if not PAGE_NUMBER.match(line))


def similarity(a: str, b: str) -> float:
    import difflib
    squash = lambda s: re.sub(r"\s+", "", s)  # noqa: E731
    return difflib.SequenceMatcher(None, squash(a), squash(b), autojunk=False).ratio()


def pdf_words(path) -> list[list[dict]]:
    """Words per page with their boxes in mm (pdftotext -bbox)."""
    from lxml import etree
    xml = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, check=True).stdout
    root = etree.fromstring(xml, etree.XMLParser(recover=True))
    pages = []
    for page in root.iter("{*}page"):
        words = [{"text": w.text or "", "x0": float(w.get("xMin")) * MM, "y0": float(w.get("yMin")) * MM,
                  "x1": float(w.get("xMax")) * MM, "y1": float(w.get("yMax")) * MM} for w in page.iter("{*}word")]
        pages.append(words)
    return pages
