"""Shared fixtures: personas (one per role, and an outsider), the browser, axe-core.

Personas are the demo accounts, loaded by the same code as `make run`: the
coordinator of Potsdam, the delegate of Potsdam, the committee member holding
Ghent's seat, ECCAR's bureau and secretariat staff, the administrator; an
outsider with an account and no role; and the bureau and secretariat staff of another
coalition (ACCAR: other_bureau, other_secretariat), for what staff must not reach.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

# Playwright's sync API runs an event loop in the main thread; Django must still
# be allowed to use the database from it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest
from django.core.files.base import ContentFile
from django.db.models import FileField

from coalition.demo import DEMO_PASSWORD, current_totp_code, demo_email

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
    from django.db import connection

    return connection.vendor == "postgresql"


@pytest.fixture
def postgres(db):
    require_service(using_postgres(), "needs PostgreSQL: set DATABASE_URL=postgres://...")


@pytest.fixture
def redis_url():
    from django.conf import settings

    url = settings.REDIS_URL
    require_service(bool(url), "needs Redis: set REDIS_URL=redis://127.0.0.1:6379/0")
    return url


# --- Personas ---------------------------------------------------------------


class DemoSnapshot:
    """The rows `make run`'s loaders add to an empty test database, kept to be replayed.

    Loading the demo through the services takes about a second (it submits
    applications, casts votes, evaluates reports); hundreds of tests need it. The
    first test of a session loads it for real and keeps the rows it added; later
    tests insert the same rows again in one bulk insert per table. Replaying is
    refused (and the real loaders run) unless the database holds exactly what it
    held before the first load, so a test never sees a half-replayed world.
    """

    SKIP_APPS = {"contenttypes", "sessions", "admin"}
    SKIP_MODELS = {"auth.permission"}

    def __init__(self):
        self.baseline: dict[str, int] | None = None
        self.rows: list[tuple[type, list]] = []
        self.files: list[tuple[type, str, str, bytes]] = []  # model, field, name, content
        self.pristine: dict[str, int] | None = None  # row counts right after migrations

    @classmethod
    def models(cls) -> list[type]:
        from django.apps import apps

        return [
            m
            for m in apps.get_models(include_auto_created=True)
            if m._meta.app_label not in cls.SKIP_APPS
            and m._meta.label_lower not in cls.SKIP_MODELS
            and m._meta.managed
            and not m._meta.proxy
        ]

    def counts(self) -> dict[str, int]:
        return {m._meta.label_lower: m._base_manager.count() for m in self.models()}

    def load(self) -> None:
        from coalition.demo import load_demo
        from members.seed import load_coalition_data

        before = {m: set(m._base_manager.values_list("pk", flat=True)) for m in self.models()}
        baseline = {m._meta.label_lower: len(pks) for m, pks in before.items()}
        load_coalition_data()
        load_demo()
        if self.baseline is None and baseline == self.pristine:
            # Only a load into the database as migrations left it is worth keeping:
            # rows a test made before asking for the demo would not be there next time.
            self.baseline = baseline
            self.rows = [
                (model, list(model._base_manager.exclude(pk__in=pks)))
                for model, pks in before.items()
            ]
            self.rows = [(model, objs) for model, objs in self.rows if objs]
            # Files the demo wrote (letters, PDFs): tests may point storage elsewhere.
            for model, objs in self.rows:
                for field in model._meta.fields:
                    if isinstance(field, FileField):
                        for obj in objs:
                            name = getattr(obj, field.attname).name
                            if name and field.storage.exists(name):
                                with field.storage.open(name, "rb") as fh:
                                    self.files.append((model, field.name, name, fh.read()))

    def replay(self) -> bool:
        from django.core.management.color import no_style
        from django.db import connection

        if self.baseline is None:
            return False
        counts = self.counts()
        if counts != self.baseline:
            if os.environ.get("DEMO_SNAPSHOT_DEBUG"):
                diff = {
                    k: (v, self.baseline.get(k))
                    for k, v in counts.items()
                    if v != self.baseline.get(k)
                }
                print(f"demo snapshot not replayed: {diff}")
            return False
        # Foreign keys are deferred to the end of the transaction on PostgreSQL and SQLite
        # alike, so the order of the tables does not matter — inside one transaction:
        # transactional tests (live_server) run in autocommit, where each insert commits.
        from django.db import transaction

        with transaction.atomic():
            for model, objs in self.rows:
                model._base_manager.bulk_create(objs)
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), [m for m, _ in self.rows]):
                    cursor.execute(sql)
        for model, field_name, name, content in self.files:
            storage = model._meta.get_field(field_name).storage
            if not storage.exists(name):
                storage.save(name, ContentFile(content))
        return True


_demo_snapshot = DemoSnapshot()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        _demo_snapshot.pristine = _demo_snapshot.counts()


@pytest.fixture
def demo(db):
    """The coalition data and demo accounts, exactly as `make run` loads them."""
    from coalition.demo import DEMO_ACCOUNTS, demo_email
    from coalition.models import User

    if not _demo_snapshot.replay():
        _demo_snapshot.load()
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
    from coalition.celery import app

    assert app.conf.task_always_eager is True


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache (rate limits, cached filter options)."""
    from django.core.cache import cache

    cache.clear()
    yield


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
    from allauth.mfa.totp.internal.auth import TOTP

    from coalition.demo import DEMO_TOTP_SECRET
    from members import services
    from members.models import Coalition
    from tests.factories import UserFactory

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
    from tests.factories import UserFactory

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
        if name == "anonymous":
            return client
        user = request.getfixturevalue(name)
        client.force_login(user)
        return client

    return signed_in


# --- Browser ----------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, headless, with the flags this sandbox needs."""
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
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


@pytest.fixture
def axe():
    """Run axe-core on the page and fail on any violation, naming each one."""
    if not AXE_PATH.exists():
        require_service(False, "axe-core is not installed: run `make setup-dev`")

    def check(page, *, context: str = "") -> None:
        page.add_script_tag(path=str(AXE_PATH))
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
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


@pytest.fixture
def sign_in(live_server):
    """Sign a browser page in through the real login form (and the TOTP step for staff)."""

    def do(page, account: str, *, password: str = DEMO_PASSWORD):
        email = account if "@" in account else demo_email(account)
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign In").click()
        if "/accounts/2fa/authenticate/" in page.url:
            # allauth labels this field "Code" on the sign-in step ("Authenticator code"
            # only on the set-up page), so find it by name.
            page.locator("input[name='code']").fill(current_totp_code())
            page.get_by_role("button", name="Sign In").click()
            page.wait_for_load_state()
            if "/accounts/2fa/authenticate/" in page.url:
                # The same person signed in earlier within this 30-second step: allauth
                # refuses a code twice. The next step's code is a new one.
                time.sleep(30 - time.time() % 30 + 0.5)
                page.locator("input[name='code']").fill(current_totp_code())
                page.get_by_role("button", name="Sign In").click()
        return page

    return do


# --- Test order ---------------------------------------------------------------


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        return True
    return bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Run tests that flush the database (live server, threads) after all the others.

    A flush also empties the rows data migrations wrote (the rubric levels), so the
    ordinary tests must all have run before the first one, as Django's runner does.
    """
    # Among those, the real-worker tests go first, before the browser tests' live servers.
    items.sort(
        key=lambda item: (_is_transactional(item), not item.get_closest_marker("integration"))
    )
