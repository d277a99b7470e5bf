"""Load benchmark: the public pages and the API as gunicorn serves them under production settings.

    DATABASE_URL=postgres://coalition:coalition@127.0.0.1:5432/coalition \\
    REDIS_URL=redis://127.0.0.1:6379/0 .venv/bin/python bench/load.py [--sizes 100 10000]
        [--duration 5] [--rounds 2] [--connections 16] [--smoke] [--no-cache-pass]
        [--passes none content page]

For each size it fills a PostgreSQL database of its own (`<DATABASE_URL's name>_bench`, dropped
at the end)
with that many public member cities, starts gunicorn (2 sync workers, production settings,
loopback only), and runs wrk (`wrk -t2 -cC -dDs`) on each URL in turn, the rounds interleaved
so that the noise of a shared machine falls on every URL alike. Beside the portal's pages the
same server answers two floors (bench/load_urls.py): `bare`, a constant through the whole
middleware stack, and `floor`, the directory's first 50 cities from one query in a minimal
template. Each URL's figures are printed as req/s, p50 and p99 latency, and its ratios to
`floor` and to `bare` in the same run: on a shared machine only the ratios hold.

Three passes per size, each on a gunicorn of its own (--passes picks some):
- "no cache": the page cache, the content cache and the API's cache off (every request renders
  everything: what the pages cost cold);
- "content cache only": the request-independent body of each public page kept in Redis
  (coalition.pagecache.public_content, PUBLIC_FRAGMENT_CACHE_SECONDS=600) and the API's answers
  (members/api/cache.py, PUBLIC_API_CACHE_SECONDS=600), the anonymous page cache off: what a
  signed-in person, or any visitor with the page cache off, meets;
- "page cache": both on, as production runs, for the home page, the directory, a city and a
  coalition, checked to be hits after the warm-up.

--smoke (CI): 100 cities, one short round of 4 connections, and a failure on any answer but
2xx/3xx, any socket error or a traceback in gunicorn's log.
Requests go to 127.0.0.1 only (on a port within BENCH_PORTS, e.g. 8130-8139, when set); every
run is bounded by --duration x URLs x rounds.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HOST = "portal.example.org"
CACHED = ("home", "directory", "city", "coalition")
#: Each pass: its title and the cache settings of its server.
PASSES = {
    "none": (
        "no cache (PUBLIC_PAGE_CACHE_SECONDS=0, PUBLIC_FRAGMENT_CACHE_SECONDS=0,"
        " PUBLIC_API_CACHE_SECONDS=0): what rendering costs",
        {
            "PUBLIC_PAGE_CACHE_SECONDS": "0",
            "PUBLIC_FRAGMENT_CACHE_SECONDS": "0",
            "PUBLIC_API_CACHE_SECONDS": "0",
        },
    ),
    "content": (
        "content and API caches only (PUBLIC_FRAGMENT_CACHE_SECONDS=600,"
        " PUBLIC_API_CACHE_SECONDS=600, page cache off)",
        {
            "PUBLIC_PAGE_CACHE_SECONDS": "0",
            "PUBLIC_FRAGMENT_CACHE_SECONDS": "600",
            "PUBLIC_API_CACHE_SECONDS": "600",
        },
    ),
    "page": (
        "page cache (PUBLIC_PAGE_CACHE_SECONDS=600, and the content cache under it)",
        {
            "PUBLIC_PAGE_CACHE_SECONDS": "600",
            "PUBLIC_FRAGMENT_CACHE_SECONDS": "600",
            "PUBLIC_API_CACHE_SECONDS": "600",
        },
    ),
}


def portal_urls() -> list[tuple[str, str]]:
    return [
        ("bare", "/bench/bare"),
        ("floor", "/bench/floor"),
        ("home", "/"),
        ("directory", "/cities/"),
        ("search", "/cities/?q=zurich"),
        ("city", "/cities/bench-1/"),
        ("coalitions", "/coalitions/"),
        ("coalition", "/coalitions/eccar/"),
        ("good practices", "/good-practices/"),
        ("API cities", "/api/v1/cities/"),
        ("API coalitions", "/api/v1/coalitions/"),
    ]


def free_port() -> int:
    """A free loopback port: within BENCH_PORTS ("8130-8139") when set (a shared machine gives
    each checkout its range), else any the system offers."""
    first, _, last = os.environ.get("BENCH_PORTS", "0-0").partition("-")
    for port in range(int(first), int(last or first) + 1):
        with socket.socket() as sock, contextlib.suppress(OSError):
            sock.bind(("127.0.0.1", port))
            return sock.getsockname()[1]
    sys.exit(f"no free port in BENCH_PORTS={os.environ['BENCH_PORTS']}")


def database_urls() -> tuple[str, str, str]:
    """The bench database's URL (named after DATABASE_URL's, so that checkouts sharing a server
    do not drop each other's), the server's maintenance database URL, and the bench name."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("set DATABASE_URL to a PostgreSQL server: production runs on it")
    parts = urllib.parse.urlsplit(url)
    name = f"{parts.path.strip('/') or 'coalition'}_bench"
    return (
        parts._replace(path=f"/{name}").geturl(),
        parts._replace(path="/postgres").geturl(),
        name,
    )


def sql(admin_url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(statement)


def populate(size: int) -> None:
    """(In a child process, on the bench database.) Grow to `size` public member cities."""
    sys.path.insert(0, str(ROOT / "bench"))
    import random

    import django

    django.setup()
    from directory import grow_to  # the directory benchmark's city generator
    from django.core.management import call_command
    from django.db import connection

    from members.models import City, Coalition

    call_command("migrate", verbosity=0, interactive=False)
    if not Coalition.objects.exists():
        call_command("load_coalition_data", verbosity=0)
    coalitions = list(Coalition.objects.exclude(short_name="ICCAR"))
    have = (
        City.objects.filter(slug__startswith="bench-").count()
        + City.objects.filter(slug__startswith="zurich-").count()
    )
    if size > have:
        grow_to(size, have, coalitions, random.Random(2004 + size))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"   {City.objects.count()} cities in the database", flush=True)


def wrk(port: int, path: str, *, duration: int, connections: int) -> dict:
    command = [
        "wrk",
        "-t2",
        f"-c{connections}",
        f"-d{duration}s",
        "--latency",
        "--timeout",
        "10s",
        "-H",
        f"Host: {HOST}",
        "-H",
        "X-Forwarded-Proto: https",
        "-H",
        "Accept-Language: en",
        f"http://127.0.0.1:{port}{path}",
    ]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout

    def latency(label: str) -> float:
        match = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        if not match:
            return float("nan")
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {
        "rate": rate,
        "p50": latency("50"),
        "p99": latency("99"),
        "bad": int(bad.group(1)) if bad else 0,
        "socket_errors": sum(int(g) for g in errors.groups()) if errors else 0,
    }


@contextlib.contextmanager
def gunicorn(env: dict, port: int):
    log = tempfile.NamedTemporaryFile(  # noqa: SIM115 - kept for reading after the run
        "w+", prefix="bench-gunicorn-", suffix=".log", delete=False
    )
    process = subprocess.Popen(
        [str(Path(PYTHON).parent / "gunicorn"), "coalition.wsgi:application"],
        cwd=ROOT,
        env={
            **env,
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "WEB_CONCURRENCY": "2",
            # No recycling during the run: 2,000 requests of `bare` would restart both workers
            # inside the next URL's short run, which then measures the restart.
            "GUNICORN_MAX_REQUESTS": "0",
        },
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
                break
            time.sleep(0.3)
        else:
            sys.exit(f"gunicorn did not start: see {log.name}")
        yield log.name
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def warm(port: int, urls, *, cached: bool) -> None:
    """Three requests per URL, each a 200; with the page cache, each cached URL must then give
    a hit within ten more (each worker stores its own copy first should Redis be slow enough
    for coalition.cache to fall back to the process's memory for a few seconds)."""
    import http.client

    def get(path: str) -> str | None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request(
            "GET",
            path,
            headers={"Host": HOST, "X-Forwarded-Proto": "https", "Accept-Language": "en"},
        )
        response = conn.getresponse()
        response.read()
        conn.close()
        if response.status != 200:
            sys.exit(f"{path} answered {response.status}: the benchmark measures only 200s")
        return response.getheader("X-Page-Cache")

    for _ in range(3):
        for _, path in urls:
            state = get(path)
            if not cached and state not in (None, "bypass"):
                sys.exit(f"{path}: served from the page cache ({state}) in the uncached run")
    for label, path in urls if cached else []:
        if label in CACHED and not any(get(path) == "hit" for _ in range(10)):
            sys.exit(f"{path}: the page cache never answered with a hit")


def measure(env: dict, urls, args, *, mode: str) -> tuple[dict, str]:
    """Serve the portal with gunicorn and run wrk on each URL, the rounds interleaved."""
    port = free_port()
    env = {**env, **PASSES[mode][1]}
    cached = mode == "page"
    with gunicorn(env, port) as log:
        warm(port, urls, cached=cached)
        runs: dict[str, list[dict]] = {label: [] for label, _ in urls}
        for _ in range(args.rounds):
            for label, path in urls:
                run = wrk(port, path, duration=args.duration, connections=args.connections)
                if not run["rate"]:
                    # Not one answer within the run (a machine loaded by other work can stall a
                    # short run): measured again for longer, and a failure only if still none.
                    run = wrk(port, path, duration=4 * args.duration, connections=args.connections)
                runs[label].append(run)
        log_text = Path(log).read_text()
    figures = {
        label: {
            "rate": statistics.median(r["rate"] for r in rs),
            "p50": statistics.median(r["p50"] for r in rs),
            "p99": statistics.median(r["p99"] for r in rs),
            "bad": sum(r["bad"] + r["socket_errors"] for r in rs),
        }
        for label, rs in runs.items()
    }
    return figures, ("" if "Traceback" not in log_text else log)


def ratio(numerator: float, denominator: float) -> str:
    return f"{numerator / denominator:.2f}" if denominator else "n/a"


def print_table(urls, figures: dict) -> None:
    floor, bare = figures["floor"]["rate"], figures["bare"]["rate"]
    print(
        f"{'URL':<16} {'path':<22} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'floor/URL':>10} {'URL/bare':>9} {'errors':>7}"
    )
    for label, path in urls:
        f = figures[label]
        print(
            f"{label:<16} {path:<22} {f['rate']:>8.1f} {f['p50']:>8.1f} {f['p99']:>8.1f} "
            f"{ratio(floor, f['rate']):>10} {ratio(f['rate'], bare):>9} {f['bad']:>7}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 10_000])
    parser.add_argument("--duration", type=int, default=5, help="seconds of load per URL and round")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--smoke", action="store_true", help="CI: a few seconds, fail on non-2xx")
    parser.add_argument(
        "--no-cache-pass", action="store_true", help="skip the run with the anonymous page cache"
    )
    parser.add_argument(
        "--passes", nargs="+", choices=list(PASSES), default=list(PASSES), help="which passes"
    )
    parser.add_argument("--populate", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.populate is not None:
        populate(args.populate)
        return 0
    if args.smoke:
        # Few connections: the smoke test looks for errors, not for the machine's limit.
        args.sizes, args.duration, args.rounds, args.connections = [100], 2, 1, 4
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")
    bench_url, admin_url, db_name = database_urls()
    env = {
        **os.environ,
        "DATABASE_URL": bench_url,
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": HOST,
        "DJANGO_SETTINGS_MODULE": "bench.load_settings",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    populate_env = {**env, "DJANGO_SETTINGS_MODULE": "coalition.settings.test"}
    urls = portal_urls()
    # Production serves hashed static files from the manifest: built as the Dockerfile builds it.
    static_root = Path(tempfile.mkdtemp(prefix="bench-static-"))
    env["STATIC_ROOT"] = str(static_root)
    print("== static files (scripts/build-static.sh)", flush=True)
    subprocess.run(
        [str(ROOT / "scripts" / "build-static.sh")],
        env={**env, "PYTHON": PYTHON},
        check=True,
        cwd=ROOT,
        capture_output=True,
    )
    sql(admin_url, f"DROP DATABASE IF EXISTS {db_name} WITH (FORCE)")
    sql(admin_url, f"CREATE DATABASE {db_name}")
    failures = []
    try:
        for size in args.sizes:
            print(f"== {size:,} member cities", flush=True)
            subprocess.run(
                [PYTHON, __file__, "--populate", str(size)], env=populate_env, check=True, cwd=ROOT
            )
            modes = [m for m in args.passes if not (args.no_cache_pass and m == "page")]
            for mode in modes:
                pass_urls = (
                    [u for u in urls if u[0] in ("bare", "floor", *CACHED)]
                    if mode == "page"
                    else urls
                )
                print(f"-- {PASSES[mode][0]}", flush=True)
                figures, traceback_log = measure(env, pass_urls, args, mode=mode)
                print_table(pass_urls, figures)
                for label, path in pass_urls:
                    if not figures[label]["rate"]:
                        failures.append(f"{path} at {size} cities answered no request")
                    if figures[label]["bad"]:
                        failures.append(
                            f"{path} at {size} cities: {figures[label]['bad']} non-2xx or errors"
                        )
                if traceback_log:
                    failures.append(
                        f"gunicorn logged a traceback at {size} cities: {traceback_log}"
                    )
            print(
                "   floor/URL: how many times the floor page's cost a URL costs (lower is better);"
                " URL/bare: its rate as a share of the bare rate",
                flush=True,
            )
    finally:
        sql(admin_url, f"DROP DATABASE IF EXISTS {db_name} WITH (FORCE)")
        shutil.rmtree(static_root, ignore_errors=True)
    for failure in failures:
        print(f"FAIL {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
