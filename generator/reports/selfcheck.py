"""Read back a county's self-assessment (自查自评表) as filled in: its 自评总分 and county.

The form (templates/acceptance/county_self_check.docx, engineer 8B's) has a cell "自评总分：__分" and a line
"填报单位：<county>（盖章）". A county returns it filled in Word/WPS (DOCX) or copies it into a workbook
(XLSX); both are read by the words, not by position, so a re-laid-out form still reads. A score file
(YAML/CSV {round: {county: score}}) is the other way in: generator.render.ranking.load_scores reads it.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

from generator.errors import InputError

_SCORE = re.compile(r"自评总分\s*[：:]\s*([0-9０-９]+(?:[.．][0-9０-９]+)?)\s*分?")
_COUNTY = re.compile(r"填报单位\s*[：:]\s*([^\s（(]+)")


@dataclass
class SelfScore:
    county: str
    score: float
    file: str


def _texts_docx(path: Path) -> list[str]:
    from docx import Document
    d = Document(str(path))
    out = [p.text for p in d.paragraphs]
    for t in d.tables:
        for row in t.rows:
            out.append("".join(c.text for c in row.cells))
            out.extend(c.text for c in row.cells)
    return out


def _texts_xlsx(path: Path) -> list[str]:
    from openpyxl import load_workbook
    wb = load_workbook(str(path), read_only=True, data_only=True)
    out = []
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            cells = ["" if v is None else str(v) for v in row]
            out.extend(cells)
            # "自评总分" in one cell, the number in the next one
            out.append("".join(f"{c}：" if c.strip().rstrip("：:") == "自评总分" else c for c in cells))
    wb.close()
    return out


def read_self_score(path, lp, county: str | None = None) -> SelfScore:
    import unicodedata
    p = Path(path)
    try:
        texts = _texts_docx(p) if p.suffix.lower() == ".docx" else _texts_xlsx(p)
    except Exception as exc:  # not a Word/Excel file, damaged, encrypted
        raise InputError(f"无法读取自查自评表：{exc}", f"cannot read the self-assessment form: {exc}",
                         location=str(path)) from None
    texts = [unicodedata.normalize("NFKC", t) for t in texts]
    score = next((m.group(1) for t in texts if (m := _SCORE.search(t))), None)
    if score is None:
        raise InputError("自查自评表中没有找到已填写的“自评总分：__分”", "no filled-in 自评总分 found in the form",
                         location=str(path))
    value = float(score)
    if not math.isfinite(value) or not 0 <= value <= 100:
        raise InputError(f"自评总分 {score} 不在0—100分之间", f"self score {score} is not within 0-100",
                         location=str(path))
    name = county or next((m.group(1) for t in texts if (m := _COUNTY.search(t))), None)
    names = {c.name for c in lp.policy.counties}
    if name not in names:
        found = [n for n in names if any(n in t for t in texts)]
        name = found[0] if len(found) == 1 else None
    if name is None:
        from generator.policy.wording import lower_unit
        unit = lower_unit(lp.policy.unit_level)
        raise InputError(f"无法从自查自评表判断所属{unit}（“填报单位”未填写或不是政策列明的{unit}）",
                         "cannot tell which county the form belongs to", location=str(path))
    return SelfScore(name, value, str(path))
