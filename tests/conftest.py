import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Property tests judge values, not speed: on a shared 2-core machine (CI runs the suite beside nothing, a
# developer's beside everything) a slow example must not fail a run. Examples stay derandomised per test.
settings.register_profile("gaizao", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("gaizao")

ROOT = Path(__file__).resolve().parents[1]
SEED_CANDIDATES = [ROOT.parent / "shared" / "seeds" / "000_66047fcbabec30ef.txt",
                   ROOT / "tests" / "fixtures" / "seed" / "xuchang-2023.txt"]


@pytest.fixture(scope="session")
def policy2023():
    from generator.policy import load_policy
    return load_policy("xuchang/2023")


@pytest.fixture
def policy_copy(tmp_path):
    """A writable copy of the bundled 2023 policy folder (the original is never touched)."""
    dst = tmp_path / "policy"
    shutil.copytree(ROOT / "policies" / "xuchang" / "2023", dst)
    return dst


@pytest.fixture(scope="session")
def seed_text():
    for p in SEED_CANDIDATES:
        if p.exists():
            return p.read_text(encoding="utf-8")
    pytest.skip("seed text not available")


@pytest.fixture(autouse=True)
def _policy_named_for_the_suite(monkeypatch):
    """No hidden default city (issue 23.3): a command takes its policy from --policy, the register, a gaizao.toml
    found upward (the checkout has one) or GAIZAO_POLICY. Tests that run in a temporary folder get 许昌 2023
    through the environment, the lowest of the four; a test of "no policy named" removes it."""
    monkeypatch.setenv("GAIZAO_POLICY", "xuchang/2023")
