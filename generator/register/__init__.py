"""The register of county submissions (issue 10): an embedded SQLite database of every workbook a county
sent, what it said, how it changed and what the year looks like as of any day.

    from generator.register import Register

db.py (schema, migrations, connections), store.py (content-addressed blobs), api.py (the library),
changes.py (consecutive submissions compared), series.py (as-of status, monthly series), summary.py
(the city-wide 汇总表 XLSX), cli.py (``gaizao register``, a thin click layer).
"""
from __future__ import annotations

__all__ = ["Register"]


def __getattr__(name):
    if name == "Register":
        from generator.register.api import Register
        return Register
    raise AttributeError(name)
