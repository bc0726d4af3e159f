"""Generate the form templates (templates/checklist, templates/acceptance; county_plan: build_templates.py).

    python scripts/build_form_templates.py        # rewrites the .docx/.html files; commit them

- 开工认定核查表: DOCX and HTML both come from one layout, ``generator.render.checklist_layout``.
- 检查验收表 and 汇总表: ``scripts/build_acceptance_templates.py`` (their own layout helpers).

The templates hold Jinja tags only, never a policy value: numbers, dates and criteria come from the context at
render time. Bureaus restyle them in Word/WPS and pass ``--templates DIR`` (``gaizao templates check``).
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from generator.render.base import TEMPLATES, save_zip_document  # noqa: E402


def checklist() -> Path:
    """The checklist's DOCX and HTML both come from one layout (generator.render.checklist_layout)."""
    from generator.fileio import atomic_write_text
    from generator.render.checklist_layout import build_docx, build_front_html, build_html
    atomic_write_text(TEMPLATES / "checklist" / "checklist.html", build_html())
    atomic_write_text(TEMPLATES / "checklist" / "checklist_front.html", build_front_html())
    path = TEMPLATES / "checklist" / "checklist.docx"
    save_zip_document(path, build_docx())
    return path


def main() -> None:
    import build_acceptance_templates
    for path in (checklist(), *build_acceptance_templates.main()):
        print(path.relative_to(ROOT))


if __name__ == "__main__":
    main()
