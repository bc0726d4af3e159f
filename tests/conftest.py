import ast as _ast
import inspect as _inspect
import shutil
import textwrap as _textwrap
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
    # the fixture copy is in the repository: its absence is a broken checkout, not a reason to skip
    pytest.fail("seed text not found: " + ", ".join(p.name for p in SEED_CANDIDATES), pytrace=False)


# -- markers: office (LibreOffice), browser (Chromium), slow --------------------------------------------------
# `pytest -m "not office and not browser and not slow"` is the quick run while editing; the README's command
# runs everything. A test is marked from what its code (and the module helpers and fixtures it calls) names, so
# a new test needs no decorator; a test the scan misses fails loudly in a quick run instead of starting
# LibreOffice (see _heavy_guard).

_HEAVY = {
    "office": ("convert_to_pdf", "require_soffice", "soffice", "office_pdf", "docx_to_pdf", "libreoffice"),
    "browser": ("playwright", "chromium"),
}


def _module_heavy_names(module, tokens) -> set[str]:
    """Names of the module's functions that (transitively) reach one of ``tokens``."""
    try:
        tree = _ast.parse(_inspect.getsource(module))
    except (OSError, TypeError, SyntaxError):
        return set()
    funcs = {n.name: _ast.unparse(n) for n in tree.body if isinstance(n, (_ast.FunctionDef, _ast.AsyncFunctionDef))}
    heavy = {name for name, src in funcs.items() if any(t in src for t in tokens)}
    grew = True
    while grew:
        grew = False
        for name, src in funcs.items():
            if name not in heavy and any(f"{h}(" in src for h in heavy):
                heavy.add(name)
                grew = True
    return heavy


_SOURCES: dict = {}


def _source(fn) -> str:
    """The dedented source of a test, fixture or module, read once per object: the scan asks for the same fixture
    for every test that uses it (~19,000 reads of the same few hundred sources made collection take ~7 s)."""
    try:
        return _SOURCES[fn]
    except KeyError:
        pass
    except TypeError:                          # an unhashable object: read it each time, as before
        return _read_source(fn)
    _SOURCES[fn] = text = _read_source(fn)
    return text


def _read_source(fn) -> str:
    try:
        return _textwrap.dedent(_inspect.getsource(fn))
    except (OSError, TypeError):
        return ""


def pytest_collection_modifyitems(config, items):
    cache: dict = {}
    for item in items:
        fn = getattr(item, "function", None)
        if fn is None:
            continue
        texts = [_source(fn)]
        for name, defs in item._fixtureinfo.name2fixturedefs.items():
            if name != "_heavy_guard":
                texts += [_source(d.func) for d in defs]
        for mark, tokens in _HEAVY.items():
            if item.get_closest_marker(mark):
                continue
            mod = item.module
            key = (mod.__name__, mark)
            if key not in cache:
                module_src = _source(mod)
                cache[key] = (_module_heavy_names(mod, tokens), any(f"import {t}" in module_src or f"from {t}" in module_src
                                                                      for t in ("playwright",)) and mark == "browser")
            names, whole_module = cache[key]
            if whole_module or any(any(t in s for t in tokens) or any(f"{n}(" in s for n in names) for s in texts):
                item.add_marker(getattr(pytest.mark, mark))
        _mark_slow(item)


# slow: the whole build, and every test over the generated hostile corpus (made once per session, seconds)
SLOW_MODULES = {"test_build.py"}
SLOW_FIXTURES = {"hostile_dir"}
# office: fixtures that run `gaizao build`, which prints its 公文 and forms through LibreOffice while the session
# fixture is made (before the quick run's guard is in place): every test using one depends on LibreOffice
OFFICE_FIXTURES = {"issued"}


def _mark_slow(item) -> None:
    names = set(getattr(item, "fixturenames", ()))
    if names & OFFICE_FIXTURES and not item.get_closest_marker("office"):
        item.add_marker(pytest.mark.office)
    if item.get_closest_marker("slow"):
        return
    if item.path.name in SLOW_MODULES or names & SLOW_FIXTURES:
        item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def pg_server():
    """A PostgreSQL server the tests start and remove (tests/support/pgserver.py, issue 22.7)."""
    from support.pgserver import start_or_skip
    server = start_or_skip()
    yield server
    server.stop()


# the PostgreSQL run is marked `postgres` (a server the tests start, like LibreOffice and Chromium a program outside
# Python): the quick run may leave it out with -m "... and not postgres"; the README's command runs both
@pytest.fixture(scope="session", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def backend(request):
    """The register's store: tests/register, life and web run every test on both (their conftest asks for it)."""
    from support.pgserver import Backend
    return Backend(request.param, request.getfixturevalue("pg_server") if request.param == "postgresql" else None)


@pytest.fixture(autouse=True)
def _heavy_guard(request, monkeypatch):
    """In a run that leaves office tests out, a test the scan did not mark and that reaches LibreOffice through
    the code under test (a CLI command that prints forms) is skipped there, with the reason, not run half."""
    markexpr = request.config.getoption("markexpr", "") or ""
    if "not office" in markexpr and not request.node.get_closest_marker("office"):
        def leave_out(*_a, **_k):
            pytest.skip("reaches LibreOffice (office): left out of this run")
        import generator.render.office_pdf as office_pdf
        monkeypatch.setattr(office_pdf, "soffice", leave_out)
    yield


@pytest.fixture(autouse=True)
def _policy_named_for_the_suite(monkeypatch):
    """No hidden default city (issue 23.3): a command takes its policy from --policy, the register, a gaizao.toml
    found upward (the checkout has one) or GAIZAO_POLICY. Tests that run in a temporary folder get 许昌 2023
    through the environment, the lowest of the four; a test of "no policy named" removes it."""
    monkeypatch.setenv("GAIZAO_POLICY", "xuchang/2023")
