"""The hostile corpus, generated once per test session by scripts/make_hostile_fixtures.py."""
import importlib.util
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "hostile"


@pytest.fixture(scope="session")
def hostile_dir(tmp_path_factory):
    spec = importlib.util.spec_from_file_location("make_hostile_fixtures", ROOT / "scripts" / "make_hostile_fixtures.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    out = tmp_path_factory.mktemp("hostile")
    for name, make in mod.CASES.items():
        make(out / name)
    for committed in FIXTURES.iterdir():          # text cases may also be committed beside the manifest
        if committed.name != "manifest.yaml" and not (out / committed.name).exists():
            (shutil.copytree if committed.is_dir() else shutil.copy)(committed, out / committed.name)
    return out
