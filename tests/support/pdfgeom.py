"""Page geometry of a PDF, measured from what is drawn: every glyph, rule, rectangle, curve and image.

``off_page(pdf, margins_mm)`` lists every drawn object that does not lie inside the printable area (the page minus
the given margins, with a small tolerance); an empty list means the page fits. ``pages_text`` gives the text of
each page for "a signature block never stands alone" style checks.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pdfplumber

PT_PER_MM = 72 / 25.4


@dataclass(frozen=True)
class Outside:
    page: int          # 1-based
    kind: str          # char, line, rect, curve, image
    text: str          # the glyph for chars
    bbox_mm: tuple     # (x0, top, x1, bottom) in mm from the top-left corner
    area_mm: tuple     # the printable area it should lie in

    def __str__(self):
        b = ", ".join(f"{v:.1f}" for v in self.bbox_mm)
        a = ", ".join(f"{v:.1f}" for v in self.area_mm)
        return f"p{self.page} {self.kind} {self.text!r} at ({b}) mm outside ({a}) mm"


def _mm(v: float) -> float:
    return v / PT_PER_MM


def off_page(pdf: str | Path, margins_mm: tuple | float = 0.0, tol_mm: float = 0.6) -> list[Outside]:
    """Every drawn object outside the page's printable area.

    ``margins_mm``: one number, or (top, right, bottom, left) like CSS. Margin 0 checks "inside the paper".
    Objects that are invisible (white fill without stroke, zero-size) are ignored.
    """
    if isinstance(margins_mm, (int, float)):
        margins_mm = (margins_mm,) * 4
    top, right, bottom, left = margins_mm
    found: list[Outside] = []
    with pdfplumber.open(str(pdf)) as doc:
        for n, page in enumerate(doc.pages, 1):
            w, h = _mm(float(page.width)), _mm(float(page.height))
            area = (left, top, w - right, h - bottom)
            objs = []
            for c in page.chars:
                if c["text"].strip():
                    objs.append(("char", c["text"], c))
            for kind in ("line", "rect", "curve", "image"):
                for o in page.objects.get(kind, []):
                    if kind == "rect" and not o.get("stroke") and _is_white(o.get("non_stroking_color")):
                        continue
                    objs.append((kind, "", o))
            for kind, text, o in objs:
                x0, x1, t, b = _mm(o["x0"]), _mm(o["x1"]), _mm(o["top"]), _mm(o["bottom"])
                if x1 - x0 <= 0 and b - t <= 0:
                    continue
                if (x0 < area[0] - tol_mm or t < area[1] - tol_mm
                        or x1 > area[2] + tol_mm or b > area[3] + tol_mm):
                    found.append(Outside(n, kind, text, (x0, t, x1, b), area))
    return found


def _is_white(color) -> bool:
    if color is None:
        return False
    vals = color if isinstance(color, (tuple, list)) else (color,)
    try:
        return all(float(v) >= 0.999 for v in vals) and len(vals) in (1, 3)
    except (TypeError, ValueError):
        return False


def page_count(pdf: str | Path) -> int:
    with pdfplumber.open(str(pdf)) as doc:
        return len(doc.pages)


def pages_text(pdf: str | Path) -> list[str]:
    with pdfplumber.open(str(pdf)) as doc:
        return [(p.extract_text() or "") for p in doc.pages]


def page_size_mm(pdf: str | Path, page: int = 1) -> tuple[float, float]:
    with pdfplumber.open(str(pdf)) as doc:
        p = doc.pages[page - 1]
        return _mm(float(p.width)), _mm(float(p.height))
