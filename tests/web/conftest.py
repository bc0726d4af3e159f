"""A web application over a fresh register, accounts for the city and three counties, logged-in clients."""
import importlib.util
import shutil

import pytest

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


@pytest.fixture(scope="session")
def _fixture_hashes():
    """password -> its argon2id hash, made once per session with the real parameters (accounts.ARGON2): the five
    accounts every web test starts with cost 0.2 s CPU of hashing each time otherwise. Only the fixture's own
    accounts use it; a test that creates or changes an account hashes as the server does."""
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
    app.accounts = acc
    return app


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
