"""A web application over a fresh register, accounts for the city and three counties, logged-in clients."""
import importlib.util
import shutil

import pytest
from jinja2 import BytecodeCache

from web_helpers import DAY, PASSWORDS, ROOT, login

# the hostile corpus fixture of tests/hostile (generated once per session), shared rather than copied
_spec = importlib.util.spec_from_file_location("hostile_conftest", ROOT / "tests" / "hostile" / "conftest.py")
_hostile = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_hostile)
hostile_dir = _hostile.hostile_dir


@pytest.fixture
def clock():
    """The web's "today" (the day a submission is received); tests move it."""
    return [DAY]


# argon2id's cost in the web tests: the lowest the library accepts (1 pass over 8 KiB) instead of the server's
# 2 passes over 19 MiB (accounts.ARGON2, ~40 ms CPU a hash or a login, hundreds of logins a run). What a test
# judges does not depend on the cost; the production parameters are asserted, and used for real, by
# test_web_auth.py's test_a_password_is_hashed_with_the_production_parameters (the ``production_argon2`` fixture).
TEST_ARGON2 = dict(time_cost=1, memory_cost=8, parallelism=1)


@pytest.fixture(scope="session", autouse=True)
def _cheap_argon2():
    from generator.web import accounts as accounts_mod
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(accounts_mod, "ARGON2", TEST_ARGON2)
        mp.setattr(accounts_mod, "_DUMMY_HASH", None)      # an unknown name's dummy hash is made at the same cost
        yield


@pytest.fixture
def production_argon2(monkeypatch):
    """The server's argon2 parameters (accounts.ARGON2 as the module defines them) for one test."""
    from generator.web import accounts as accounts_mod
    monkeypatch.setattr(accounts_mod, "ARGON2", _PRODUCTION_ARGON2)
    monkeypatch.setattr(accounts_mod, "_DUMMY_HASH", None)
    return _PRODUCTION_ARGON2


def _production_argon2() -> dict:
    from generator.web import accounts as accounts_mod
    return dict(accounts_mod.ARGON2)


_PRODUCTION_ARGON2 = _production_argon2()       # read at import, before _cheap_argon2 replaces it


@pytest.fixture(scope="session")
def _fixture_hashes(_cheap_argon2):
    """password -> its argon2id hash, made once per session (at the tests' cost, TEST_ARGON2): the five accounts
    every web test starts with. Only the fixture's own accounts use it; a test that creates or changes an account
    hashes as the server does."""
    return {}


def _create_fixture_accounts(acc, hashes, monkeypatch) -> None:
    """The five accounts every web test starts with, their hashes made once (``_fixture_hashes``)."""
    from generator.web import accounts as accounts_mod
    real = accounts_mod._hasher()

    class _Once:
        def hash(self, password):
            if password not in hashes:
                hashes[password] = real.hash(password)
            return hashes[password]

    with monkeypatch.context() as m:
        m.setattr(accounts_mod, "_hasher", _Once)
        acc.create("admin", PASSWORDS["admin"], role="admin", display_name="市百城办")
        acc.create("staff", PASSWORDS["staff"], role="city")
        acc.create("yuzhou", PASSWORDS["yuzhou"], role="county", county="禹州市", display_name="禹州市住建局")
        acc.create("jianan", PASSWORDS["jianan"], role="county", county="建安区")
        acc.create("weidu", PASSWORDS["weidu"], role="county", county="魏都区")


@pytest.fixture(scope="session")
def _fixture_accounts_file(tmp_path_factory, policy2023, _fixture_hashes):
    """An SQLite register file holding the five fixture accounts, made once per session: each SQLite test gets its
    own copy (shutil.copy) instead of creating the schema and the accounts again (~45 ms a test, 245 tests)."""
    from generator.web.accounts import Accounts
    db = tmp_path_factory.mktemp("web-accounts") / "web.db"
    with pytest.MonkeyPatch.context() as mp:
        _create_fixture_accounts(Accounts(db, [c.name for c in policy2023.policy.counties]), _fixture_hashes, mp)
    assert sorted(p.name for p in db.parent.iterdir()) == ["web.db"], "the register left a journal beside it"
    return db


@pytest.fixture
def web(tmp_path, policy2023, clock, _fixture_hashes, monkeypatch, backend, request):
    from generator.web.accounts import Accounts
    from generator.web.app import create_app
    db = tmp_path / "web.db"
    if backend.server is None:                  # SQLite: a copy of the accounts file made once, before it is opened
        shutil.copy(request.getfixturevalue("_fixture_accounts_file"), db)
    acc = Accounts(db, [c.name for c in policy2023.policy.counties])
    if backend.server is not None:              # PostgreSQL: the tests' server, its accounts made here as before
        _create_fixture_accounts(acc, _fixture_hashes, monkeypatch)
    app = create_app(db, policy=policy2023, today=lambda: clock[0], max_upload_mb=2)
    app.extensions["gaizao"]["env"].bytecode_cache = _jinja_bytecode
    app.accounts = acc
    return app


class _MemoryBytecodeCache(BytecodeCache):
    """The compiled page templates, shared by the session's apps: each test's app has its own Jinja environment
    (generator/web/app.py, _environment), which compiled every page it showed again (~a quarter of a web test's
    CPU). Jinja keys a template by its name and file and checks its source's checksum before using the code, so
    an edited template is compiled again; the server (one app a process) compiles each page once anyway."""

    def __init__(self):
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket):
        code = self.store.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket):
        self.store[bucket.key] = bucket.bytecode_to_string()


_jinja_bytecode = _MemoryBytecodeCache()


@pytest.fixture
def yuzhou(web):
    return login(web, "yuzhou")


@pytest.fixture
def jianan(web):
    return login(web, "jianan")


@pytest.fixture
def admin(web):
    return login(web, "admin")


@pytest.fixture(autouse=True)
def _register_backend(backend, request, monkeypatch):
    """Every test here runs twice: on SQLite files and on the tests' PostgreSQL server (issue 22.7)."""
    backend.apply(request, monkeypatch)
