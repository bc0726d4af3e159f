import ast as _ast
import inspect as _inspect
import os
import re as _re
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


# -- markers: office (LibreOffice), browser (Chromium), slow, postgres -----------------------------------------
# `pytest -m "not office and not browser"` is the quick run while editing: `slow` and `postgres` tests are left
# out (deselected) unless --full (or GAIZAO_FULL_TESTS=1) asks for them; the README's `pytest --full` runs
# everything. office and browser are marked from what a test's code (and the module helpers and fixtures it
# calls) names, so a new test needs no decorator; a test the scan misses fails loudly in a quick run instead of
# starting LibreOffice (see _heavy_guard). slow is marked by hand (@pytest.mark.slow, a module's pytestmark) or
# below (SLOW_MODULES, SLOW_FIXTURES); postgres by the backend fixture's second param.

# a test is slow when its call + setup, all its parameter cases summed, takes this long or longer on the 2-core
# development machine; scripts/slow_tests.py lists the tests of a --durations=0 output over it not marked slow
SLOW_SECONDS = 0.3
LEFT_OUT = {"slow": "slow", "postgres": "PostgreSQL"}       # marker -> how the summary line names it


def pytest_addoption(parser):
    parser.addoption("--full", action="store_true", default=False,
                     help="run every test: also the slow and postgres ones, which are left out otherwise "
                          "(also GAIZAO_FULL_TESTS=1)")


def pytest_configure(config):
    config.addinivalue_line("markers", f"slow: {SLOW_SECONDS} s or more of call + setup (parameter cases summed): a "
                                       "pipeline, a large input, a property test; left out unless --full")
    config.addinivalue_line("markers", "postgres: the run of a register/life/web test on the tests' own PostgreSQL "
                                       "server (the backend fixture's second store); left out unless --full")


def _full(config) -> bool:
    return bool(config.getoption("full")) or os.environ.get("GAIZAO_FULL_TESTS", "") not in ("", "0")


def _left_out_markers(config) -> list[str]:
    """The markers of LEFT_OUT this run leaves out: all of them, but none with --full and not one -m names."""
    if _full(config):
        return []
    named = set(_re.findall(r"\w+", config.getoption("markexpr", "") or ""))
    return [m for m in LEFT_OUT if m not in named]


_LEFT_OUT_COUNT = pytest.StashKey[int]()


def _leave_out(config, items) -> None:
    """Deselect the slow and postgres tests unless --full, a -m naming the marker, or the test's own node id on
    the command line asks for them."""
    markers = _left_out_markers(config)
    if not markers:
        return
    asked = []                                  # node ids given as arguments (path::name), relative to rootdir
    for arg in config.args:
        if "::" in arg:
            path, _, rest = arg.partition("::")
            full = (config.invocation_params.dir / path).resolve()
            try:
                asked.append(full.relative_to(config.rootpath).as_posix() + "::" + rest)
            except ValueError:
                pass
    kept, out = [], []
    for item in items:
        if any(item.get_closest_marker(m) for m in markers) and not any(
                item.nodeid == a or item.nodeid.startswith((a + "[", a + "::")) for a in asked):
            out.append(item)
        else:
            kept.append(item)
    if out:
        config.hook.pytest_deselected(items=out)
        items[:] = kept
    config.stash[_LEFT_OUT_COUNT] = len(out)
    if hasattr(config, "workeroutput"):         # an xdist worker: the controller prints the summary line
        config.workeroutput["gaizao_left_out"] = len(out)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    """xdist's controller: every worker collects (and leaves out) the same tests; keep the count once."""
    n = getattr(node, "workeroutput", {}).get("gaizao_left_out")
    if n is not None:
        node.config.stash[_LEFT_OUT_COUNT] = max(n, node.config.stash.get(_LEFT_OUT_COUNT, 0))


def pytest_terminal_summary(terminalreporter, config):
    n = config.stash.get(_LEFT_OUT_COUNT, 0)
    if n:
        what = "/".join(LEFT_OUT[m] for m in _left_out_markers(config))
        terminalreporter.write_line(f"{n} {what} tests left out; `--full` runs every test")


_HEAVY = {
    "office": ("convert_to_pdf", "require_soffice", "soffice", "office_pdf", "docx_to_pdf", "libreoffice"),
    "browser": ("playwright", "chromium"),
}


_FILES: dict = {}


def _file_functions(filename: str) -> tuple[dict[int, str], dict[str, str]]:
    """Every function of a source file, parsed once: ({first line: source}, {top-level name: source}). The first
    line is the first decorator's, as a code object's co_firstlineno counts it; the source is the file's text from
    there to the function's last line (inspect.getsource tokenised it again for each object, ast.unparse of every
    module function was over half of the scan's time)."""
    try:
        return _FILES[filename]
    except KeyError:
        pass
    by_line: dict[int, str] = {}
    top: dict[str, str] = {}
    try:
        text = Path(filename).read_text(encoding="utf-8")
        tree = _ast.parse(text)
    except (OSError, SyntaxError, ValueError):
        tree = None
    if tree is not None:
        lines = text.splitlines(keepends=True)
        top_level = {id(n) for n in tree.body}
        todo = list(tree.body)                 # statements only (classes and functions nest in them): no ast.walk
        while todo:
            node = todo.pop()
            if isinstance(node, (_ast.FunctionDef, _ast.AsyncFunctionDef)):
                first = min([d.lineno for d in node.decorator_list] + [node.lineno])
                by_line[first] = src = _textwrap.dedent("".join(lines[first - 1:node.end_lineno]))
                if id(node) in top_level:
                    top[node.name] = src
            if isinstance(node, (_ast.FunctionDef, _ast.AsyncFunctionDef, _ast.ClassDef, _ast.If, _ast.Try, _ast.With)):
                todo += [n for n in node.body if isinstance(n, _ast.stmt)]
    _FILES[filename] = (by_line, top)
    return by_line, top


def _module_heavy_names(module, tokens) -> set[str]:
    """Names of the module's functions that (transitively) reach one of ``tokens``."""
    funcs = _file_functions(getattr(module, "__file__", None) or "")[1]
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
    code = getattr(_inspect.unwrap(fn), "__code__", None) if callable(fn) else None
    if code is not None:
        found = _file_functions(code.co_filename)[0].get(code.co_firstlineno)
        if found is not None:
            return found
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
    _leave_out(config, items)


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
# Python): left out unless --full (_leave_out); the README's command runs both
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
