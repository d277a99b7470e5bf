"""Shared fixtures: personas (one per role, and an outsider), the browser, axe-core.

Personas are the demo accounts, loaded by the same code as `make run`: the
coordinator of Potsdam, the delegate of Potsdam, the committee member holding
Ghent's seat, ECCAR's bureau and secretariat staff, the administrator; an
outsider with an account and no role; and the bureau and secretariat staff of another
coalition (ACCAR: other_bureau, other_secretariat), for what staff must not reach.
"""

from __future__ import annotations

import functools
import json
import os
import time
import weakref
from pathlib import Path

# Playwright's sync API runs an event loop in the main thread; Django must still
# be allowed to use the database from it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.core.management.color import no_style
from django.core.management.sql import emit_post_migrate_signal
from django.db import DEFAULT_DB_ALIAS, OperationalError, connection, transaction
from django.template.backends.django import Template
from django.test import Client, TransactionTestCase
from django.urls import reverse
from django.utils import translation

from coalition.celery import app
from coalition.demo import (
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    DEMO_TOTP_SECRET,
    demo_email,
    load_demo,
)
from coalition.models import User
from members import services
from members.models import Coalition
from members.seed import load_coalition_data
from tests import built_once, databases, stored_files
from tests.factories import UserFactory
from tests.workers import Worker

ROOT = Path(__file__).resolve().parent.parent
AXE_PATH = ROOT / "node_modules" / "axe-core" / "axe.min.js"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require_service(available: bool, reason: str) -> None:
    """Skip a test that needs a real server when it is absent; in CI, fail instead."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"{reason} (CI must run this test)")
    pytest.skip(reason)


def using_postgres() -> bool:
    return connection.vendor == "postgresql"


@pytest.fixture
def postgres(db):
    require_service(using_postgres(), "needs PostgreSQL: set DATABASE_URL=postgres://...")


@pytest.fixture
def redis_url():
    url = settings.REDIS_URL
    require_service(bool(url), "needs Redis: set REDIS_URL=redis://127.0.0.1:6379/0")
    return url


@pytest.fixture
def celery_worker(request, tmp_path):
    """Start real `celery worker` processes (tests/workers.Worker); all stopped at the end.

    celery_worker(queue=...) returns the Worker; redis_url=, env= and concurrency= as Worker
    takes them
    (the broker is the shared Redis, `redis_url`, unless told). Each test gives its workers
    a queue of its own (tests.workers.unique_queue): no other test's worker takes its tasks.
    """
    started: list[Worker] = []

    def start(
        *, queue: str, redis_url: str | None = None, env=None, log=None, concurrency: int = 0
    ) -> Worker:
        redis_url = redis_url or request.getfixturevalue("redis_url")
        log = log or tmp_path / f"worker-{len(started)}.log"
        worker = Worker(redis_url=redis_url, queue=queue, log=log, env=env, concurrency=concurrency)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


# --- Personas ---------------------------------------------------------------


class DemoWorld:
    """The demo world, loaded once per test database (one per xdist worker) and kept.

    Loading the demo through the services takes a second or more (it submits
    applications, casts votes, evaluates reports); hundreds of tests need it. The first
    test that asks for it loads it for real and commits it (`demo_world`); every test
    then runs in a transaction that rolls back, so the next one finds it as it was.

    The tests that commit (transactional_db, live_server: they run last, see
    pytest_collection_modifyitems) leave their rows behind them: Django's tear-down of
    such a test (a flush, TRUNCATE of every table) is replaced by `leave_rows`, and the
    next test empties the database itself, once, as it starts: one that uses the demo
    puts back every row of every table as it was right after the load (content types
    included, so their ids stay), one that does not gets the database a flush leaves.
    On PostgreSQL the tables are emptied with DELETE (TRUNCATE costs a new file per
    table and index: seconds for the 85 tables) and the rows put back with COPY.
    """

    def __init__(self):
        self.committed = False  # the demo is in the database, as loaded, committed
        self.dirty = False  # a test that commits ran since the database was last emptied
        self.files: list[stored_files.StoredFile] = []
        self.rows: list[tuple[type, list]] = []  # every row after the load (not PostgreSQL)
        self.copies: list[tuple[str, bytes]] = []  # table, COPY data after the load (PostgreSQL)

    @staticmethod
    def models() -> list[type]:
        return [
            m
            for m in apps.get_models(include_auto_created=True)
            if m._meta.managed and not m._meta.proxy
        ]

    @staticmethod
    def load() -> None:
        """Load the demo in one transaction, as a test does: nothing waits for its commit.

        What the services leave to run after the commit (PDFs, the outbox) never ran in
        a test's rolled-back transaction, so it does not run here either.
        """
        with transaction.atomic():
            load_coalition_data()
            load_demo()
            connection.run_on_commit.clear()

    def keep_rows(self) -> None:
        """Every row of every table, as the load left them."""
        if using_postgres():
            self.copies = []
            with connection.cursor() as cursor:
                for table in self.tables():
                    with cursor.cursor.copy(f"COPY {_quoted(table)} TO STDOUT") as copy:
                        data = b"".join(bytes(block) for block in copy)
                    if data:
                        self.copies.append((table, data))
            return
        self.rows = [(m, list(m._base_manager.all())) for m in self.models()]
        self.rows = [(m, objs) for m, objs in self.rows if objs]

    def tables(self) -> list[str]:
        return [m._meta.db_table for m in self.models()]

    def _empty_tables(self) -> None:
        """Delete every row of every table, in the caller's transaction.

        Foreign keys are deferred to the end of the transaction on PostgreSQL and SQLite
        alike, so the order of the tables does not matter. On PostgreSQL, DELETE: the
        tables hold a few thousand rows, and TRUNCATE's new files cost seconds; a table
        whose triggers refuse DELETE (the append-only audit log) is truncated.
        """
        # Only the tables that exist: a migration test may leave the schema behind.
        existing = set(connection.introspection.table_names())
        tables = [t for t in self.tables() if t in existing]
        if not using_postgres():
            with connection.cursor() as cursor:
                for sql in connection.ops.sql_flush(no_style(), tables, allow_cascade=True):
                    cursor.execute(sql)
            return
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT DISTINCT tgrelid::regclass::text FROM pg_trigger WHERE NOT tgisinternal"
            )
            guarded = {name.strip('"') for (name,) in cursor.fetchall()} & set(tables)
            statements = [f"DELETE FROM {_quoted(t)}" for t in tables if t not in guarded]
            if guarded:
                statements.insert(0, "TRUNCATE " + ", ".join(_quoted(t) for t in guarded))
            cursor.execute("; ".join(statements))

    def replay(self) -> None:
        """Empty every table and put back the rows kept after the load, in one transaction."""
        with transaction.atomic():
            self._empty_tables()
            if using_postgres():
                with connection.cursor() as cursor:
                    for table, data in self.copies:
                        with cursor.cursor.copy(f"COPY {_quoted(table)} FROM STDIN") as copy:
                            copy.write(data)
            else:
                for model, objs in self.rows:
                    model._base_manager.bulk_create(objs)
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), self.models()):
                    cursor.execute(sql)
        ContentType.objects.clear_cache()

    def keep_files(self) -> None:
        """The files the demo wrote (letters, PDFs): a test may point storage elsewhere."""
        self.files = stored_files.read(stored_files.names())

    def restore_files(self) -> None:
        stored_files.restore(self.files)

    def flush(self) -> None:
        """Empty the database as Django's flush does (the tear-down of a test that commits).

        Every table emptied, the sequences left where they are, then the post_migrate
        signal, which puts back the content types and permissions.
        """
        with transaction.atomic():
            self._empty_tables()
        ContentType.objects.clear_cache()
        emit_post_migrate_signal(verbosity=0, interactive=False, db=connection.alias)
        self.committed = False
        self.dirty = False

    def leave_rows(self) -> None:
        """A test that committed ends: the next one empties the database as it starts."""
        self.committed = False
        self.dirty = True


def _quoted(table: str) -> str:
    return connection.ops.quote_name(table)


_demo_world = DemoWorld()
_flush_after_committing_test = TransactionTestCase._fixture_teardown


def _leave_rows_after_committing_test(self) -> None:
    """TransactionTestCase's tear-down, without its flush: `DemoWorld.leave_rows`.

    Only for pytest-django's tests (not a unittest-style TransactionTestCase, which is not
    ordered after the others), on the default database, that name no available_apps and
    no serialized rollback (none here); any other keeps Django's flush.
    """
    if (
        type(self).__name__ == "PytestDjangoTestCase"
        and self.available_apps is None
        and not self.serialized_rollback
        and set(self._databases_names(include_mirrors=False)) <= {DEFAULT_DB_ALIAS}
    ):
        _demo_world.leave_rows()
        return
    _flush_after_committing_test(self)
    _demo_world.leave_rows()


@pytest.fixture(scope="session")
def _rendezvous(request, tmp_path_factory) -> databases.Rendezvous | None:
    """Where xdist's workers meet to share one migration run (tests/databases.py), if they do."""
    worker = getattr(request.config, "workerinput", None)
    if not (worker and worker["workercount"] > 1 and using_postgres()):
        return None
    return databases.Rendezvous(
        tmp_path_factory.getbasetemp().parent,
        worker["testrunuid"],
        worker["workerid"],
        worker["workercount"],
    )


@pytest.fixture(scope="session")
def _database_cloned(_rendezvous, django_db_modify_db_settings, django_db_blocker) -> bool:
    """Workers gw1, gw2, ...: the test database copied from gw0's, once it is migrated."""
    if _rendezvous is None or _rendezvous.is_first:
        return False
    with django_db_blocker.unblock():
        return databases.clone_from_first(_rendezvous)


@pytest.fixture(scope="session")
def django_db_keepdb(request, _database_cloned) -> bool:
    """pytest-django keeps (does not recreate) a database this worker cloned."""
    return bool(request.config.getvalue("reuse_db")) or _database_cloned


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, _rendezvous, _database_cloned, request):
    """pytest-django's test database; its tests that commit leave their rows to the next.

    Under xdist on PostgreSQL, gw0 migrates its database and the others copy it
    (tests/databases.py). At the end of the session, the database is emptied as the last
    flush would have (for --reuse-db), and a copied one is dropped.
    """
    if _rendezvous is not None and _rendezvous.is_first:
        with django_db_blocker.unblock():
            databases.wait_for_the_clones(_rendezvous)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(TransactionTestCase, "_fixture_teardown", _leave_rows_after_committing_test)
        yield
    if _database_cloned and not request.config.getvalue("reuse_db"):
        with django_db_blocker.unblock():
            databases.drop_own_database()
        return
    if _demo_world.dirty:
        with django_db_blocker.unblock():
            try:
                _demo_world.flush()
            except OperationalError:
                # The connection was cut (CI saw "terminating connection due to
                # administrator command" here once): a fresh one, as a request reconnects.
                connection.close()
                _demo_world.flush()


#: The test that runs after the one being torn down (pytest_runtest_teardown's nextitem).
_next_item: list = [None]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    _next_item[0] = nextitem
    return (yield)


@pytest.fixture
def _built_once_data(request, django_db_setup, django_db_blocker):
    """The @built_once data this test asks for, in the database before its transaction.

    Built for the first of a run of tests that ask for it, kept for the next one if that
    asks for it too, rolled back otherwise (tests/built_once.py).
    """
    build = None if _is_transactional(request.node) else built_once.build_of(request.node)
    with django_db_blocker.unblock():
        built_once.enter(build)
    yield
    following = _next_item[0]
    if (
        build is not None
        and following is not None
        and not _is_transactional(following)
        and built_once.build_of(following) is build
    ):
        return
    with django_db_blocker.unblock():
        built_once.leave()


@pytest.fixture
def _django_db_helper(_built_once_data, _django_db_helper):
    """pytest-django's fixture behind `db`, set up once the @built_once data is there."""
    return _django_db_helper


@pytest.fixture(scope="session")
def demo_world(django_db_setup, django_db_blocker):
    """The demo, loaded once into this worker's test database and committed."""
    with django_db_blocker.unblock():
        if _demo_world.dirty:
            _demo_world.flush()
        _demo_world.load()
        _demo_world.keep_rows()
        _demo_world.keep_files()
        _demo_world.committed = True
    return _demo_world


@pytest.fixture(autouse=True)
def _demo_left_out(request, django_db_blocker):
    """A test that does not ask for the demo never sees it, nor another test's rows.

    Tests without the demo run before those with it, and both before those that commit,
    so only a transactional test can meet the demo or committed rows uninvited: the
    database is emptied first, as the previous test's flush would have.
    """
    if not (_demo_world.committed or _demo_world.dirty) or "demo" in request.fixturenames:
        return
    if _is_transactional(request.node):
        with django_db_blocker.unblock():
            _demo_world.flush()
    elif _uses_db(request.node):
        pytest.fail(
            "the demo is loaded, or a test that commits ran, but this test runs without the "
            "demo in a transaction: such tests must run before those with the demo and "
            "those that commit (keep pytest_collection_modifyitems' order; "
            "with xdist, --dist load)"
        )


@pytest.fixture
def demo(demo_world, db, request):
    """The coalition data and demo accounts, exactly as `make run` loads them."""
    if not _demo_world.committed:
        # After a test that committed: in this test's transaction (rolled back at its
        # end) or, for one that commits itself, committed and left to the next test.
        _demo_world.replay()
    if _is_transactional(request.node):
        _demo_world.committed = False
    _demo_world.restore_files()
    users = User.objects.in_bulk(
        [demo_email(local) for local, *_ in DEMO_ACCOUNTS], field_name="email"
    )
    return {local: users[demo_email(local)] for local, *_ in DEMO_ACCOUNTS}


@pytest.fixture(autouse=True, scope="session")
def _celery_configured_once():
    """Load the Celery app's configuration before any test overrides a setting.

    Celery copies Django's settings when its configuration is first read; were that
    inside a test that turns eager mode off, every later task would go to Redis.
    """
    assert app.conf.task_always_eager is True


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache (rate limits, cached filter options)."""
    cache.clear()
    yield


@pytest.fixture
def memory_cache(settings):
    """The default cache in this process's memory, empty, for the tests of what is cached in it
    (each turns its own cache's lifetime on)."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "tests-memory-cache",
        },
    }
    cache.clear()
    yield cache
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language.

    A request through the test client activates its language in the test's thread and
    leaves it active (LocaleMiddleware does not restore it), so a French request would
    otherwise make the next test's service messages French.
    """
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def administrator(demo):
    return demo["admin"]


@pytest.fixture
def bureau(demo):
    return demo["bureau"]


@pytest.fixture
def secretariat(demo):
    return demo["secretariat"]


@pytest.fixture
def committee_member(demo):
    return demo["committee"]


@pytest.fixture
def coordinator(demo):
    return demo["coordinator"]


@pytest.fixture
def delegate(demo):
    return demo["delegate"]


def _staff_of_another_coalition(demo, email: str, full_name: str, kind: str):
    """Staff of ACCAR, signed up with two-factor authentication like the demo's staff."""
    user = UserFactory(email=email, full_name=full_name)
    TOTP.activate(user, DEMO_TOTP_SECRET)
    services.grant_role(
        actor=demo["admin"],
        user=user,
        kind=kind,
        coalition=Coalition.objects.get(short_name="ACCAR"),
    )
    return user


@pytest.fixture
def other_bureau(demo):
    """Bureau staff of another coalition than ECCAR (ACCAR): ECCAR's things are not theirs."""
    return _staff_of_another_coalition(demo, "bureau@accar.example", "Amani Bureau", "bureau")


@pytest.fixture
def other_secretariat(demo):
    """Secretariat staff of another coalition than ECCAR (ACCAR)."""
    return _staff_of_another_coalition(
        demo, "secretariat@accar.example", "Kofi Secretariat", "secretariat"
    )


@pytest.fixture
def outsider(demo):
    return UserFactory(email="outsider@example.org", full_name="Olga Outsider")


PERSONAS = [
    "anonymous",
    "outsider",
    "coordinator",
    "delegate",
    "committee_member",
    "bureau",
    "secretariat",
    "administrator",
]


@pytest.fixture
def persona_client(request, client, demo):
    """A test client signed in as the named persona (for the permission matrices)."""

    def signed_in(name: str):
        client.logout()
        if name == "anonymous":
            return client
        user = request.getfixturevalue(name)
        client.force_login(user)
        return client

    return signed_in


@pytest.fixture
def no_template_rendering(monkeypatch):
    """Views run in full, but their templates answer "" (for tests that check statuses only).

    Every page, email and API browser page goes through the Django template backend's
    render(); the context processors are skipped with it.
    """
    monkeypatch.setattr(Template, "render", lambda self, context=None, request=None: "")


# --- Browser ----------------------------------------------------------------


#: The Chromium builds the browser tests run on, the first one installed.
CHROMIUM_BUILDS = ("/usr/bin/chromium-headless-shell", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium headless shell, with the flags this sandbox needs.

    The shell (package chromium-headless-shell) is what Playwright itself runs headless:
    the same Blink, without the full browser's windowing, for about a fifth less CPU in the
    browser tests. CHROMIUM_PATH names another build; the full browser serves where the
    shell is not installed.
    """
    executable = os.environ.get("CHROMIUM_PATH") or next(
        (path for path in CHROMIUM_BUILDS if os.path.exists(path)), CHROMIUM_BUILDS[-1]
    )
    return {
        **browser_type_launch_args,
        "executable_path": executable,
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # bypass_csp lets the axe-core script be injected into pages served with a strict CSP.
    return {**browser_context_args, "bypass_csp": True, "locale": "en-GB"}


#: WCAG 2.2 AA (target-size is wcag22aa, off unless asked for), and axe's best practices,
#: which ran before the WCAG 2.2 rules were switched on and still do.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
AXE_RUN = """async ([tags, skipped]) => await axe.run(document, {
  runOnly: {type: 'tag', values: tags}, resultTypes: ['violations'],
  rules: Object.fromEntries(skipped.map((rule) => [rule, {enabled: false}]))
})"""
AXE_LOADED = "() => typeof window.axe === 'object' && typeof window.axe.run === 'function'"
#: The browser contexts that load axe-core into each of their pages (the axe fixture's).
_axe_preloaded: weakref.WeakSet = weakref.WeakSet()


@pytest.fixture
def axe():
    """Run axe-core on the page and fail on any violation, naming each one."""
    if not AXE_PATH.exists():
        require_service(False, "axe-core is not installed: run `make setup-dev`")

    def check(page, *, context: str = "", skip: tuple[str, ...] = ()) -> None:
        """`skip`: rules left out of this check (the sweep's colour contrast, see there)."""
        # A click that navigates returns before the next page is there: check the page loaded.
        page.wait_for_load_state("load")
        if not page.evaluate(AXE_LOADED):
            page.add_script_tag(path=str(AXE_PATH))
        if page.context not in _axe_preloaded:
            # Every next document of this browser context gets axe-core as it is created,
            # before its own scripts: no 500 kB script sent and parsed again per check.
            page.context.add_init_script(path=str(AXE_PATH))
            _axe_preloaded.add(page.context)
        result = page.evaluate(AXE_RUN, [AXE_TAGS, list(skip)])
        violations = result["violations"]
        if violations:
            lines = [
                f"{v['id']} ({v['impact']}): {v['help']} -> "
                + "; ".join(n["target"][0] for n in v["nodes"][:5])
                for v in violations
            ]
            pytest.fail(
                f"axe found {len(violations)} violation(s) on {context or page.url}:\n"
                + "\n".join(lines)
            )

    return check


def totp_codes(secret: str = DEMO_TOTP_SECRET) -> list[str]:
    """The codes the two-factor step accepts now: this 30-second step's, then its neighbours'.

    allauth accepts one step either side (MFA_TOTP_TOLERANCE = 1), each code once. A test
    that signs the same person in again within one step takes the next code at once, as
    an authenticator app shows it a moment later, instead of waiting up to 30 s for it.
    """
    step = int(time.time()) // 30
    return [format_hotp_value(hotp_value(secret, step + i)) for i in (0, 1, -1)]


def enter_totp_code(page, send) -> None:
    """The two-factor step: the first code allauth has not taken yet, until the step is passed.

    `send(code)` types one code, sends the form and waits for the next page. A code this
    person already used is refused (the form comes back) and the next one is tried; only
    when the window's three codes are spent does it wait for the next step's.
    """
    for code in totp_codes():
        if "/accounts/2fa/authenticate/" not in page.url:
            return
        send(code)
    if "/accounts/2fa/authenticate/" in page.url:
        time.sleep(30 - time.time() % 30 + 0.5)
        send(totp_codes()[0])


@pytest.fixture
def sign_in_through_form(live_server):
    """Sign a browser page in through the real login form (and the TOTP step for staff).

    For the tests of signing in itself; the others use `sign_in`, which posts the same forms
    from the server side and gives the browser the session.
    """

    def do(page, account: str, *, password: str = DEMO_PASSWORD):
        email = account if "@" in account else demo_email(account)
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign In").click()
        if "/accounts/2fa/authenticate/" in page.url:

            def send(code: str) -> None:
                # allauth labels this field "Code" on the sign-in step ("Authenticator code"
                # only on the set-up page), so find it by name.
                page.locator("input[name='code']").fill(code)
                page.get_by_role("button", name="Sign In").click()
                page.wait_for_load_state()

            enter_totp_code(page, send)
        return page

    return do


class _SignInSteps:
    """Where a test client's sign-in stands: `url`, as enter_totp_code reads a page's."""

    def __init__(self, client: Client):
        self.client = client
        self.url = ""

    def post(self, path: str, data: dict) -> None:
        response = self.client.post(path, data)
        # A form that comes back (a refused code) stays where it is; a step passed redirects.
        self.url = response["Location"] if response.status_code == 302 else path


@pytest.fixture
def sign_in(live_server):
    """Sign a browser page in: the login form and the TOTP step for staff, posted server-side.

    The same two forms the browser would send (allauth's views, its authentication records,
    its one-use TOTP codes), posted with Django's test client; the browser then gets the
    client's cookies (the session, the "signed in" message) and opens the page the login
    redirected to, as after the real form. Two page loads and their form filling fewer per
    sign-in; `sign_in_through_form` (tests/coalition/test_browser.py) drives the real pages.

    `then` (a path or an address on the live server) opens that page instead, one page
    load fewer again: as a person would after a sign-in that led them to the dashboard,
    without the "signed in" message the dashboard would have shown.
    """

    def do(page, account: str, *, password: str = DEMO_PASSWORD, then: str | None = None):
        email = account if "@" in account else demo_email(account)
        steps = _SignInSteps(Client())
        steps.post(reverse("account_login"), {"login": email, "password": password})
        if "/accounts/2fa/authenticate/" in steps.url:
            enter_totp_code(
                steps, lambda code: steps.post(reverse("mfa_authenticate"), {"code": code})
            )
        page.context.add_cookies(
            [
                # As the Set-Cookie header had it (the messages cookie is quoted).
                {"name": name, "value": morsel.coded_value, "url": live_server.url}
                for name, morsel in steps.client.cookies.items()
                if morsel.value and not (then and name == CookieStorage.cookie_name)
            ]
        )
        if then is None:
            page.goto(live_server.url + steps.url)
        else:
            page.goto(then if "://" in then else live_server.url + then)
        return page

    return do


# --- Test order ---------------------------------------------------------------


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        return True
    return bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


def _uses_db(item) -> bool:
    return bool(item.get_closest_marker("django_db") or "db" in getattr(item, "fixturenames", ()))


def _uses_demo(item) -> bool:
    return "demo" in getattr(item, "fixturenames", ())


#: How long each longer test took in a recent run (scripts/test-durations.py writes it).
_DURATIONS_FILE = Path(__file__).with_name("durations.json")


@functools.cache
def _durations() -> dict[str, float]:
    try:
        return json.loads(_DURATIONS_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _run_order(item) -> tuple:
    transactional = _is_transactional(item)
    if not transactional:
        # Without the demo first: once loaded (and committed), it stays until the end.
        return (False, _uses_demo(item))
    if item.get_closest_marker("integration"):
        # Among those that commit, the real-worker tests go first, before the browser tests'
        # live servers: those with the demo first, the first of which finds it loaded.
        return (True, False, not _uses_demo(item), 0.0)
    # Then the others (the browser tests), those without the demo first (the database is
    # empty after the real-worker tests without it), each group longest first: the workers
    # take the short ones last and finish together, not one waiting for the other's
    # last long journey.
    return (True, True, _uses_demo(item), -_durations().get(item.nodeid, 0.0))


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Run tests that flush the database (live server, threads) after all the others.

    A flush also empties the rows data migrations wrote (the rubric levels), so the
    ordinary tests must all have run before the first one, as Django's runner does.
    Each xdist worker (`--dist load`, the default) runs its share in this order too.
    """
    items.sort(key=_run_order)
