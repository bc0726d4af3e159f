import datetime as dt
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
YEAR = ROOT / "data" / "year-2023"


@pytest.fixture(scope="session")
def year_entries():
    from generator.register.sample_year import read_manifest
    return read_manifest(YEAR)


@pytest.fixture(scope="session")
def year_register(tmp_path_factory, policy2023, year_entries, backend):
    """A register holding the sample year of 禹州市 (slips in July) and 建安区 (misses August)."""
    from generator.register import Register
    reg = Register(backend.register(tmp_path_factory.mktemp("reg") / "year.db"))
    ids = {}
    for e in year_entries:
        if e["county"] in ("禹州市", "建安区"):
            res = reg.add(YEAR / e["file"], received=dt.date.fromisoformat(str(e["received"])), by=e["by"],
                          policy=policy2023, note=e["note"], period=e.get("period"), kind=e.get("kind"),
                          approved_by=e.get("approved_by"))
            ids[e["file"]] = res.submission.id
    reg.ids = ids
    return reg


@pytest.fixture(autouse=True)
def _register_backend(backend, request, monkeypatch):
    """Every test here runs twice: on SQLite files and on the tests' PostgreSQL server (issue 22.7)."""
    backend.apply(request, monkeypatch)
