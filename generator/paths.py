"""Where gaizao's own files live: templates/, policies/, fonts/ and data/.

In a checkout (and an editable install) they are the top-level folders beside ``generator/``. A wheel carries
copies of them inside the package, under ``generator/_bundled/`` (pyproject.toml: ``force-include``), because
an installed package has no checkout around it. This module is the one place that knows both layouts.
"""
from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
_IN_WHEEL = PACKAGE / "_bundled"

#: The folder holding templates/, policies/, fonts/ and data/ for this installation.
ROOT = _IN_WHEEL if (_IN_WHEEL / "policies").is_dir() else PACKAGE.parent
TEMPLATES = ROOT / "templates"
POLICIES = ROOT / "policies"
FONTS = ROOT / "fonts"
DATA = ROOT / "data"
