"""Where a public page's time goes: the WSGI handler in-process, each URL beside the floors.

    DATABASE_URL=postgres://…/coalition_x REDIS_URL=redis://…/0 STATIC_ROOT=/tmp/static \\
    .venv/bin/python bench/profile_pages.py [-n 200] [--profile city] [--top 40] [--queries]
        [--content-cache]

Runs under bench/load.py's settings (production's, plus the floors) on a database that
`bench/load.py --populate N` filled, with static files built by scripts/build-static.sh into
STATIC_ROOT. No server and no network: each URL is asked N times of Django's WSGI handler,
interleaved, and printed as milliseconds per request and its ratio to `floor` (what load.py's
`floor/URL` measures, without gunicorn's and wrk's share). --profile LABEL prints cProfile's
top functions (cumulative and own time) for that URL; --queries prints each URL's query count.
The anonymous page cache is off; so are the content cache (coalition.pagecache.public_content)
and the API's (members/api/cache.py) unless --content-cache turns them on, when each page's body
and each API answer is built once in the warm-up and what is timed is the rest: the layout, the
middleware, the request.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import secrets
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.load_settings")
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(64))
os.environ.setdefault("ALLOWED_HOSTS", "portal.example.org")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("PUBLIC_PAGE_CACHE_SECONDS", "0")
os.environ.setdefault("PUBLIC_FRAGMENT_CACHE_SECONDS", "0")
os.environ.setdefault("PUBLIC_API_CACHE_SECONDS", "0")

from load import portal_urls  # noqa: E402


def environ(path: str) -> dict:
    path, _, query = path.partition("?")
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "portal.example.org",
        "SERVER_PORT": "443",
        "HTTP_HOST": "portal.example.org",
        "HTTP_X_FORWARDED_PROTO": "https",
        "HTTP_ACCEPT_LANGUAGE": "en",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=200, help="requests per URL")
    parser.add_argument("--profile", help="a URL's label (see bench/load.py) to profile")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--queries", action="store_true", help="count each URL's queries")
    parser.add_argument("--only", nargs="*", help="labels to time (floors always included)")
    parser.add_argument(
        "--content-cache",
        action="store_true",
        help="PUBLIC_FRAGMENT_CACHE_SECONDS=600 and PUBLIC_API_CACHE_SECONDS=600",
    )
    args = parser.parse_args()
    if args.content_cache:
        os.environ["PUBLIC_FRAGMENT_CACHE_SECONDS"] = "600"
        os.environ["PUBLIC_API_CACHE_SECONDS"] = "600"

    import django

    django.setup()
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection, reset_queries

    handler = WSGIHandler()
    urls = portal_urls()
    if args.only:
        urls = [u for u in urls if u[0] in ("bare", "floor", *args.only)]

    def call(path: str) -> bytes:
        status = []
        body = b"".join(handler(environ(path), lambda s, h, *a: status.append(s)))
        if not status[0].startswith("200"):
            sys.exit(f"{path} answered {status[0]}")
        return body

    for _ in range(5):  # warm: templates compiled, URLs reversed, fragments cached
        for _, path in urls:
            call(path)
    if args.queries:
        connection.force_debug_cursor = True
        for label, path in urls:
            reset_queries()
            call(path)
            print(f"{label:<16} {len(connection.queries):>3} queries")
            for q in connection.queries if os.environ.get("SHOW_SQL") else []:
                print("    ", q["sql"][:300])
        connection.force_debug_cursor = False
    if args.profile:
        path = dict(urls)[args.profile]
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.n):
            call(path)
        profiler.disable()
        for order in ("cumulative", "tottime"):
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(args.top)
            print(out.getvalue())
        return 0
    spent = {label: 0.0 for label, _ in urls}
    for _ in range(args.n):
        for label, path in urls:
            start = time.perf_counter()
            call(path)
            spent[label] += time.perf_counter() - start
    floor = spent["floor"]
    print(f"{'URL':<16} {'ms/request':>10} {'x floor':>8}")
    for label, _ in urls:
        print(f"{label:<16} {1000 * spent[label] / args.n:>10.2f} {spent[label] / floor:>8.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
