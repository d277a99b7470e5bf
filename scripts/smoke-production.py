#!/usr/bin/env python3
"""CI's production smoke test: the portal as docker-compose.yml runs it, on this machine's loopback.

    .venv/bin/python scripts/smoke-production.py

Needs PostgreSQL (DATABASE_URL's server; a database of its own is made and dropped) and Redis
(REDIS_URL's server). It
  1. collects the static files with scripts/build-static.sh, exactly as the Dockerfile does;
  2. migrates a fresh PostgreSQL database and loads the demo data under production settings;
  3. starts gunicorn with the compose command (gunicorn.conf.py, production settings) bound to
     127.0.0.1, and a Celery worker on the real Redis;
  4. runs every health-check command of docker-compose.yml as written (the web, the worker,
     PostgreSQL and Redis);
  5. crawls every public page from the home page and requests a hashed static asset, through the
     headers the TLS proxy sends, and checks the answers production gives to plain http and to an
     unknown host;
  6. signs in as the demo bureau account through the real two-factor step, and opens its
     dashboard and the admin.
Anything but the expected answer fails the run with the reason. Everything it starts is stopped.
"""

from __future__ import annotations

import contextlib
import html.parser
import http.client
import os
import re
import secrets
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from http.cookies import SimpleCookie
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
VENV_BIN = Path(PYTHON).parent
HOST = "portal.example.org"
STAFF_EMAIL = "bureau@demo.coalition.example"
MAX_PAGES = 150
failures: list[str] = []


def step(title: str) -> None:
    print(f"-- {title}", flush=True)


def fail(message: str) -> None:
    print(f"   FAIL {message}", flush=True)
    failures.append(message)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(cmd: list[str] | str, env: dict, *, shell: bool = False, timeout: int = 600):
    return subprocess.run(  # noqa: S603 - commands of this script and of docker-compose.yml
        cmd,
        cwd=ROOT,
        env=env,
        shell=shell,  # CMD-SHELL health checks are shell commands by definition
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def must(result: subprocess.CompletedProcess, what: str) -> None:
    if result.returncode != 0:
        sys.exit(f"{what} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")


class Client:
    """HTTP to gunicorn on loopback, as the TLS proxy forwards it: the portal's host, https."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, *, body: dict | None = None, headers=None):
        headers = {"Host": HOST, "X-Forwarded-Proto": "https", **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers.setdefault("Origin", f"https://{HOST}")
            headers.setdefault("Referer", f"https://{HOST}{path}")
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request(method, path, body=data, headers=headers)
            response = connection.getresponse()
            content = response.read()
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                self.cookies[name] = morsel.value
        return response, content

    def get(self, path: str, **kwargs):
        return self.request("GET", path, **kwargs)


class Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.assets: list[str] = []
        self.csrf = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag in ("link", "script", "img") and (attrs.get("href") or attrs.get("src")):
            self.assets.append(attrs.get("href") or attrs.get("src"))
        if tag == "input" and attrs.get("name") == "csrfmiddlewaretoken":
            self.csrf = attrs.get("value", "")


def parse(content: bytes) -> Links:
    parser = Links()
    parser.feed(content.decode("utf-8", "replace"))
    return parser


def wait_for(check, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            if check():
                return
        time.sleep(0.5)
    sys.exit(f"{what} did not come up within {seconds:.0f} s")


def crawl(client: Client) -> None:
    """Every page an anonymous visitor reaches from the home page answers 200.

    A published report's PDF may first answer 202 (queued for the worker): it must then arrive,
    rendered by the real Celery worker, within a minute.
    """
    seen: set[str] = set()
    queued: list[str] = []
    queue = ["/"]
    while queue and len(seen) < MAX_PAGES:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        response, content = client.get(path)
        location = response.headers.get("Location", "")
        if response.status == 302 and location.startswith("/accounts/login/"):
            continue  # a page for signed-in people, sending the visitor to sign in
        if response.status == 202 and path.endswith("/pdf/"):
            queued.append(path)
            continue
        if response.status != 200:
            fail(f"GET {path} answered {response.status} {location}")
            continue
        if "text/html" not in response.headers.get("Content-Type", ""):
            continue
        for href in parse(content).links:
            url = urllib.parse.urlsplit(urllib.parse.urljoin(path, href))
            if url.scheme not in ("", "https") or url.netloc not in ("", HOST):
                continue
            target = url.path + (f"?{url.query}" if url.query else "")
            if url.path.startswith(("/static/", "/media/", "/accounts/logout", "/i18n/")):
                continue
            # Filters and pages of lists multiply without end: one of each kind is enough.
            if url.query and any(p.startswith(url.path + "?") for p in seen | set(queue)):
                continue
            if target not in seen:
                queue.append(target)
    print(f"   {len(seen)} public pages answered as expected")
    deadline = time.monotonic() + 90
    while queued and time.monotonic() < deadline:
        time.sleep(1)
        for path in list(queued):
            response, content = client.get(path)
            if response.status == 200 and content.startswith(b"%PDF"):
                queued.remove(path)
            elif response.status != 202:
                fail(f"GET {path} answered {response.status} after being queued")
                queued.remove(path)
    if queued:
        fail(f"the worker did not render {queued} within 90 s")
    else:
        print("   every queued PDF was rendered by the worker and served")
    for must_have in ("/cities/", "/coalitions/", "/good-practices/", "/api/v1/cities/"):
        if must_have not in seen:
            response, _ = client.get(must_have)
            if response.status != 200:
                fail(f"GET {must_have} answered {response.status}")


def check_static(client: Client) -> None:
    _, content = client.get("/")
    hashed = [a for a in parse(content).assets if re.search(r"\.[0-9a-f]{12}\.(css|js)$", a)]
    if not hashed:
        fail("the home page names no hashed static file (is the manifest storage in use?)")
        return
    response, body = client.get(hashed[0], headers={"Accept-Encoding": "gzip, br"})
    cache = response.headers.get("Cache-Control", "")
    if response.status != 200 or not body:
        fail(f"GET {hashed[0]} answered {response.status}")
    elif "immutable" not in cache and "max-age=315360000" not in cache:
        fail(f"{hashed[0]} is served without a long cache lifetime: {cache!r}")
    else:
        print(
            f"   {hashed[0]}: 200, {response.headers.get('Content-Encoding', 'identity')}, {cache}"
        )


def check_http_answers(port: int) -> None:
    """What production says to what the proxy would never send."""
    plain = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    plain.request("GET", "/cities/", headers={"Host": HOST})
    response = plain.getresponse()
    response.read()
    if response.status != 301 or not response.headers.get("Location", "").startswith("https://"):
        fail(f"plain http answered {response.status}, not a redirect to https")
    unknown = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    unknown.request("GET", "/", headers={"Host": "evil.example", "X-Forwarded-Proto": "https"})
    response = unknown.getresponse()
    response.read()
    if response.status != 400:
        fail(f"an unknown host answered {response.status}, not 400")


def sign_in_as_staff(client: Client, env: dict) -> None:
    response, content = client.get("/accounts/login/")
    form = parse(content)
    response, _ = client.request(
        "POST",
        "/accounts/login/",
        body={
            "csrfmiddlewaretoken": form.csrf,
            "login": STAFF_EMAIL,
            "password": "demo",
        },
    )
    if response.status != 302 or "/accounts/2fa/authenticate/" not in response.headers["Location"]:
        fail(f"signing in answered {response.status} {response.headers.get('Location')}")
        return
    _, content = client.get("/accounts/2fa/authenticate/")
    code = run([PYTHON, "manage.py", "demo_totp"], env)
    must(code, "manage.py demo_totp")
    response, _ = client.request(
        "POST",
        "/accounts/2fa/authenticate/",
        body={"csrfmiddlewaretoken": parse(content).csrf, "code": code.stdout.strip()},
    )
    if response.status != 302:
        fail(f"the two-factor step answered {response.status}")
        return
    for path, text in (("/dashboard/", "Bruno Bureau"), ("/admin/", "Site administration")):
        response, content = client.get(path)
        if response.status != 200 or text.encode() not in content:
            fail(f"GET {path} as the bureau answered {response.status}")
    print(f"   {STAFF_EMAIL} signed in through the two-factor step; dashboard and admin open")


def run_compose_health_checks(compose_env: dict[str, dict]) -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    for name, service in compose["services"].items():
        test = service.get("healthcheck", {}).get("test")
        if not test:
            if name != "beat":  # beat has no port and no node to ask
                fail(f"service {name} has no health check")
            continue
        kind, *command = test
        env = compose_env.get(name, compose_env["default"])
        if kind == "CMD-SHELL":
            result = run(command[0], env, shell=True, timeout=120)  # noqa: S604
        else:
            result = run(command, env, timeout=120)
        shown = command[0] if kind == "CMD-SHELL" else shlex.join(command)
        if result.returncode != 0:
            fail(f"{name}'s health check `{shown}` failed: {result.stdout}{result.stderr}")
        else:
            print(f"   {name}: `{shown}` passed")


def main() -> int:
    database_url = os.environ.get("DATABASE_URL", "")
    redis_url = os.environ.get("REDIS_URL", "")
    if not database_url.startswith("postgres") or not redis_url:
        sys.exit("set DATABASE_URL (PostgreSQL) and REDIS_URL (Redis): production runs on them")
    server = urllib.parse.urlsplit(database_url)
    smoke_db = "coalition_smoke"
    smoke_url = server._replace(path=f"/{smoke_db}").geturl()
    admin_url = server._replace(path="/postgres").geturl()
    work = Path(tempfile.mkdtemp(prefix="smoke-"))
    port = free_port()
    node = f"smoke@{socket.gethostname()}"
    env = {
        **os.environ,
        "PATH": f"{VENV_BIN}:{os.environ.get('PATH', '')}",
        "DJANGO_SETTINGS_MODULE": "coalition.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": HOST,
        "CSRF_TRUSTED_ORIGINS": f"https://{HOST}",
        "DATABASE_URL": smoke_url,
        "REDIS_URL": redis_url,
        "STATIC_ROOT": str(work / "static"),
        "MEDIA_ROOT": str(work / "media"),
        "PRIVATE_MEDIA_ROOT": str(work / "private"),
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(work / "mail"),
        "DEMO_DATA_ALLOWED": "true",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
        "PYTHON": PYTHON,
    }
    processes: list[subprocess.Popen] = []
    started = time.monotonic()
    try:
        step("static files, as the Dockerfile builds them (scripts/build-static.sh)")
        must(run(["scripts/build-static.sh"], env), "scripts/build-static.sh")
        manifest = work / "static" / "staticfiles.json"
        if not manifest.exists():
            sys.exit("collectstatic wrote no manifest")

        step(f"a fresh PostgreSQL database {smoke_db}: migrate and load the demo data")
        sql = f"DROP DATABASE IF EXISTS {smoke_db} WITH (FORCE)"
        recreate = (
            "import psycopg,sys\n"
            "with psycopg.connect(sys.argv[1], autocommit=True) as c:\n"
            f"    c.execute('{sql}'); c.execute('CREATE DATABASE {smoke_db}')\n"
        )
        must(run([PYTHON, "-c", recreate, admin_url], env), "creating the database")
        must(run([PYTHON, "manage.py", "migrate", "--noinput"], env), "migrate")
        must(run([PYTHON, "manage.py", "load_demo"], env), "load_demo")
        must(
            run([PYTHON, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], env),
            "check --deploy",
        )

        step(f"gunicorn (the compose command, gunicorn.conf.py) on 127.0.0.1:{port}")
        log = (work / "gunicorn.log").open("w")
        processes.append(
            subprocess.Popen(  # noqa: S603
                [str(VENV_BIN / "gunicorn"), "coalition.wsgi:application"],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
        worker_log = (work / "worker.log").open("w")
        processes.append(
            subprocess.Popen(  # noqa: S603
                [
                    PYTHON,
                    "-m",
                    "celery",
                    "-A",
                    "coalition",
                    "worker",
                    "--loglevel=INFO",
                    "--concurrency=1",
                    "--hostname",
                    node,
                ],
                cwd=ROOT,
                env=env,
                stdout=worker_log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
        client = Client(port)
        wait_for(lambda: client.get("/healthz")[0].status == 200, "gunicorn")
        wait_for(lambda: "ready" in (work / "worker.log").read_text(), "the Celery worker")

        step("docker-compose.yml's health checks, as written")
        web_env = {**env, "HEALTHCHECK_PORT": str(port)}
        run_compose_health_checks(
            {"default": env, "web": web_env, "worker": {**env, "CELERY_NODE": node}}
        )

        step("every public page, through the proxy's headers")
        crawl(client)
        check_static(client)
        check_http_answers(port)

        step("a staff persona signs in through the real two-factor step")
        sign_in_as_staff(Client(port), env)

        errors = [
            line
            for line in (work / "gunicorn.log").read_text().splitlines()
            if re.search(r'" 5\d\d ', line) or "Traceback" in line
        ]
        if errors:
            fail("gunicorn logged server errors:\n   " + "\n   ".join(errors[:20]))
    finally:
        for process in processes:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        drop = (
            "import psycopg,sys\n"
            "with psycopg.connect(sys.argv[1], autocommit=True) as c:\n"
            f"    c.execute('DROP DATABASE IF EXISTS {smoke_db} WITH (FORCE)')\n"
        )
        run([PYTHON, "-c", drop, admin_url], env)
        if failures:
            print(f"   logs kept in {work}")
        else:
            subprocess.run(["rm", "-rf", str(work)], check=False)  # noqa: S603, S607
    elapsed = time.monotonic() - started
    if failures:
        print(f"production smoke test: {len(failures)} failures in {elapsed:.0f} s")
        return 1
    print(f"production smoke test passed in {elapsed:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
