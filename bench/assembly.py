"""Assembly benchmark: member cities check in and vote on one poll over real HTTP against gunicorn.

    DATABASE_URL=postgres://coalition:coalition@127.0.0.1:5432/coalition \\
    .venv/bin/python bench/assembly.py [--cities 150] [--concurrency 16] [--smoke]

Fills a PostgreSQL database of its own (`coalition_bench_assembly`, dropped at the end) with a
coalition of N member cities, each with an accredited delegate (signed in: the sessions are
written by the set-up, the login form is not what is measured), a sitting hybrid General
Assembly with a chair and an announced motion; starts gunicorn under production settings
(bench/load_settings.py, 2 sync workers, loopback only, as bench/load.py does). Then, over HTTP:
every delegate joins online (its city's card comes with it), the chair opens a poll on the
motion, every delegate votes (CONCURRENCY at a time) while the chair's page polls the live
quorum. Printed: the time to cast all ballots, p50/p95 of a cast and of the live-quorum
fragment, beside p50/p95 of the bare view (bench/load_urls.py) measured in the same run; and
the query counts of the chair's page and the projector at 20 and N cities (they must be flat),
beside the bare view's and the floor view's.

--smoke: 20 cities, 4 at a time, a failure on any unexpected answer or a traceback (< 30 s).
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load import HOST, PYTHON, ROOT, free_port, gunicorn, sql

DB_NAME = "coalition_bench_assembly"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def database_urls() -> tuple[str, str]:
    import urllib.parse

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("set DATABASE_URL to a PostgreSQL server: production runs on it")
    parts = urllib.parse.urlsplit(url)
    return parts._replace(path=f"/{DB_NAME}").geturl(), parts._replace(path="/postgres").geturl()


# --- Set-up, in a child process on the bench database --------------------------------------


def _session_cookie(user) -> str:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def _grow(n: int) -> dict:
    import datetime as dt

    from django.utils import timezone

    from coalition.models import User
    from governance.models import AgendaItem, AssemblySession, Registration, StatuteProfile
    from members import services as members_services
    from members.models import City, Coalition, CoalitionKind, Membership

    coalition, created = Coalition.objects.get_or_create(
        slug="bench", defaults={"name": "Bench Coalition", "short_name": "BC",
                                "kind": CoalitionKind.REGIONAL},
    )  # fmt: skip
    now = timezone.now()
    if created:
        chair = User.objects.create_user(email="chair@bench.example", password=None)
        session = AssemblySession.objects.create(
            coalition=coalition, body="general_assembly", title="Bench assembly", mode="hybrid",
            online_join_instructions="Online.", starts_at=now - dt.timedelta(hours=1),
            ends_at=now + dt.timedelta(hours=8), status="in_session",
            convened_at=now - dt.timedelta(days=40), chair=chair,
            statute_snapshot=StatuteProfile.current_for(coalition).snapshot(),
        )  # fmt: skip
        AgendaItem.objects.create(
            session=session, position=1, kind="motion", title="Bench motion",
            status="announced", announced=True,
        )  # fmt: skip
    session = AssemblySession.objects.get(coalition=coalition)
    have = Membership.objects.filter(coalition=coalition).count()
    for i in range(have, n):
        city = City.objects.create(name=f"Bench City {i}", slug=f"bench-city-{i}", country="DE")
        members_services.create_membership(
            actor=session.chair, city=city, coalition=coalition, signed_on=dt.date(2012, 1, 1)
        )
        person = User.objects.create_user(email=f"delegate{i}@bench.example", password=None)
        Registration.objects.create(
            session=session, city=city, person=person, role="delegate", mode="online",
            status="accredited", registered_by=session.chair,
        )  # fmt: skip
    return {"session": session, "item": session.items.get()}


def _query_counts(session, n: int) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST=HOST, HTTP_X_FORWARDED_PROTO="https")
    client.force_login(session.chair)
    counts = {}
    for label, url in [
        ("bare", "/bench/bare"),
        ("floor", "/bench/floor"),
        ("chair's page", f"/sessions/{session.pk}/chair/"),
        ("projector", f"/sessions/{session.pk}/projector/"),
    ]:
        client.get(url)  # warm: the session and the caches
        with CaptureQueriesContext(connection) as queries:
            status = client.get(url).status_code
        if status != 200:
            raise SystemExit(f"{url} answered {status} at {n} cities")
        counts[label] = len(queries)
    return counts


def populate(n: int, out: str) -> None:
    """Grow to 20 cities, count queries; grow to n, count again; write the cookies."""
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from governance.models import Registration
    from governance.services import attendance

    settings.ALLOWED_HOSTS = [HOST, "testserver"]
    call_command("migrate", verbosity=0, interactive=False)
    counts = {}
    for size in sorted({min(20, n), n}):
        made = _grow(size)
        session = made["session"]
        # The set-up checks the small room in (in-process), so that its pages have rows.
        for registration in Registration.objects.filter(session=session).select_related("person"):
            if not registration.card_holdings.exists():
                attendance.check_in(actor=session.chair, registration=registration, channel="desk")
        counts[size] = _query_counts(session, size)
        if size != n:
            continue
    # Start the measured run from an empty room: everyone checks out again, in-process.
    for registration in Registration.objects.filter(session=session):
        attendance.check_out(actor=session.chair, registration=registration, channel="desk")
    delegates = [
        {"registration": r.pk, "cookie": _session_cookie(r.person)}
        for r in Registration.objects.filter(session=session).select_related("person")
    ]
    Path(out).write_text(
        json.dumps(
            {
                "session": session.pk,
                "item": made["item"].pk,
                "chair": _session_cookie(session.chair),
                "delegates": delegates,
                "counts": counts,
            }
        )
    )


# --- Over HTTP ---------------------------------------------------------------------------------


class Browser:
    def __init__(self, port: int, cookie: str):
        self.port, self.cookie = port, cookie

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, str]:
        import urllib.parse

        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {
            "Host": HOST,
            "X-Forwarded-Proto": "https",
            "Cookie": self.cookie + "; " + getattr(self, "csrf_cookie", ""),
            "Accept-Language": "en",
        }
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"https://{HOST}{path}"
        conn.request(method, path, body=data, headers=headers)
        response = conn.getresponse()
        text = response.read().decode()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie" and value.startswith("csrftoken="):
                self.csrf_cookie = value.split(";", 1)[0]
        conn.close()
        return response.status, text

    def token(self, path: str) -> str:
        status, text = self.request("GET", path)
        match = TOKEN.search(text)
        if status != 200 or not match:
            raise RuntimeError(f"{path} answered {status} without a form")
        return match.group(1)

    def post(self, path: str, form_page: str, data: dict) -> tuple[int, float]:
        data = {"csrfmiddlewaretoken": self.token(form_page), **data}
        start = time.perf_counter()
        status, _ = self.request("POST", path, data)
        return status, (time.perf_counter() - start) * 1000


def percentiles(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return statistics.median(ordered), p95


def timed_gets(browser: Browser, path: str, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        status, _ = browser.request("GET", path)
        times.append((time.perf_counter() - start) * 1000)
        if status != 200:
            raise RuntimeError(f"{path} answered {status}")
    return times


def run(port: int, data: dict, concurrency: int) -> list[str]:
    failures = []
    session, item = data["session"], data["item"]
    chair = Browser(port, data["chair"])
    delegates = [(d["registration"], Browser(port, d["cookie"])) for d in data["delegates"]]

    def join(pair):
        pk, browser = pair
        return browser.post(
            f"/sessions/registrations/{pk}/online/", f"/sessions/registrations/{pk}/",
            {"action": "join"},
        )  # fmt: skip

    start = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        joined = list(pool.map(join, delegates))
    check_in_s = time.perf_counter() - start
    failures += [f"check-in answered {s}" for s, _ in joined if s != 302]

    status, _ = chair.post(
        f"/sessions/items/{item}/poll/", f"/sessions/{session}/chair/",
        {f"item{item}-kind": "motion", f"item{item}-question": "Adopt the bench motion?",
         f"item{item}-named": "on"},
    )  # fmt: skip
    if status != 302:
        _, page = chair.request("GET", f"/sessions/{session}/chair/")
        return [f"opening the poll answered {status}: {re.findall(r'<li>([^<]+)</li>', page)[:5]}"]
    _, page = chair.request("GET", f"/sessions/{session}/chair/")
    poll = re.search(r"/sessions/polls/(\d+)/", page).group(1)

    quorum_times: list[float] = []
    done = threading.Event()

    def watch_quorum():
        while not done.is_set():
            quorum_times.extend(timed_gets(chair, f"/sessions/{session}/desk/quorum/", 1))
            time.sleep(0.05)

    watcher = threading.Thread(target=watch_quorum)

    def vote(pair):
        _, browser = pair
        return browser.post(
            f"/sessions/polls/{poll}/", f"/sessions/polls/{poll}/",
            {"choice": secrets.choice(["yes", "yes", "no", "abstain"])},
        )  # fmt: skip

    watcher.start()
    start = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        cast = list(pool.map(vote, delegates))
    all_cast_s = time.perf_counter() - start
    done.set()
    watcher.join()
    failures += [f"a cast answered {s}" for s, _ in cast if s != 302]
    _, progress = chair.request("GET", f"/sessions/polls/{poll}/progress/")
    expected = f"{len(delegates)} of {len(delegates)} cities have voted"
    if expected not in progress:
        failures.append(f"the progress does not say {expected!r}")
    bare = timed_gets(chair, "/bench/bare", max(20, len(quorum_times)))

    n = len(delegates)
    print(f"{n} cities checked in online in {check_in_s:.1f} s ({concurrency} at a time)")
    print(f"{n} ballots cast in {all_cast_s:.1f} s ({concurrency} at a time)")
    rows = [
        ("cast (POST)", [t for _, t in cast]),
        ("live quorum (GET)", quorum_times),
        ("bare view (GET)", bare),
    ]
    print(f"{'request':<20} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'p50/bare':>9}")
    bare_p50 = percentiles(bare)[0]
    for label, values in rows:
        p50, p95 = percentiles(values)
        print(f"{label:<20} {len(values):>5} {p50:>8.1f} {p95:>8.1f} {p50 / bare_p50:>9.1f}")
    return failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cities", type=int, default=150)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--smoke", action="store_true", help="20 cities, 4 at a time (< 30 s)")
    parser.add_argument("--populate", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    began = time.monotonic()
    if args.populate:
        populate(int(args.populate[0]), args.populate[1])
        return 0
    if args.smoke:
        args.cities, args.concurrency = 20, 4
    bench_url, admin_url = database_urls()
    env = {
        **os.environ,
        "DATABASE_URL": bench_url,
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": HOST,
        "DJANGO_SETTINGS_MODULE": "bench.load_settings",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("REDIS_URL", None)  # no broker: the few emails stay in the outbox
    static_root = Path(tempfile.mkdtemp(prefix="bench-static-"))
    env["STATIC_ROOT"] = str(static_root)
    print("== static files (scripts/build-static.sh), then the database", flush=True)
    subprocess.run(
        [str(ROOT / "scripts" / "build-static.sh")],
        env={**env, "PYTHON": PYTHON}, check=True, cwd=ROOT, capture_output=True,
    )  # fmt: skip
    sql(admin_url, f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    sql(admin_url, f"CREATE DATABASE {DB_NAME}")
    failures = []
    out = tempfile.NamedTemporaryFile(suffix=".json", delete=False).name  # noqa: SIM115
    try:
        subprocess.run(
            [PYTHON, __file__, "--populate", str(args.cities), out], env=env, check=True, cwd=ROOT
        )
        data = json.loads(Path(out).read_text())
        print(f"{'queries':<14} " + " ".join(f"{size:>6} cities" for size in data["counts"]))
        labels = next(iter(data["counts"].values())).keys()
        for label in labels:
            values = [data["counts"][size][label] for size in data["counts"]]
            print(f"{label:<14} " + " ".join(f"{v:>13}" for v in values))
            if label in ("chair's page", "projector") and len(set(values)) > 1:
                failures.append(f"the {label}'s queries grow with the cities: {values}")
        port = free_port()
        with gunicorn(env, port) as log:
            failures += run(port, data, args.concurrency)
            if "Traceback" in Path(log).read_text():
                failures.append(f"gunicorn logged a traceback: {log}")
    finally:
        sql(admin_url, f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        with contextlib.suppress(OSError):
            os.unlink(out)
    for failure in failures:
        print(f"FAIL {failure}")
    print(f"({time.monotonic() - began:.0f} s in all, set-up included)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
