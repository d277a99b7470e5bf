"""The anonymous page cache: a public page rendered once per version, language and address.

A public view decorated with `@public_page` is served from the default cache (Redis in
production, this process's memory in `make run`) to a visitor who is not signed in and has no
message waiting, and rendered (then stored) otherwise. What is stored and how it is found:

- the key: the host, the path and the query string (its parameters sorted), the language
  of the request and whether htmx asked for it; the entry also names the *version* it was
  rendered under, and an entry of an older version is never served;
- the version: one counter in the cache, which `public_pages_changed()` raises. The services
  that change what a public page shows call it after their transaction commits (a
  membership decision, a city edit, a published report, an admission concluded, any change
  made in the admin): the next anonymous request renders afresh. Entries also expire after
  PUBLIC_PAGE_CACHE_SECONDS, which bounds what a change made outside the services may leave;
- the CSRF token: the page embeds one (the language switch, htmx's header). The stored copy
  holds a placeholder instead, and each visitor's copy gets their own token, as the CSRF
  middleware would have given it, with its cookie;
- never stored: a signed-in person's page, a page rendered while a message was pending or
  added, anything but a 200, a response that sets a cookie other than the CSRF one (a
  session begun, a language chosen), or one marked private or no-store.

Served pages carry `Vary: Accept-Language, Cookie, HX-Request` (what the key depends on) and an
`X-Page-Cache: hit|miss` header for the benchmark and the operators.

Below the page cache, `public_content(name, parts, build)` keeps the part of a public page that
depends on the data but not on the request (a city's profile, rendered without a request; the
home page's figures) for everyone, signed in or not (ADR 0018): keyed by name, parts, the
language and the same version, so that `public_pages_changed()` retires it with the pages.
"""

from __future__ import annotations

import functools
import hashlib
import re
import time
from collections.abc import Callable, Hashable
from typing import Any, TypeVar
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse, QueryDict
from django.middleware.csrf import get_token
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

VERSION_KEY = "pagecache:version"
PLACEHOLDER = b"__coalition_csrf_token__"
VARY = ("Accept-Language", "Cookie", "HX-Request")
#: Django's hidden field; the same masked token appears wherever the page used {{ csrf_token }}.
_TOKEN_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
_KEPT_HEADERS = ("Content-Type", "Content-Language")

T = TypeVar("T")


def public_pages_changed() -> None:
    """Forget every cached public page once the current transaction commits (at once outside
    one). Services call it after a change a public page shows; calling it twice is harmless."""
    transaction.on_commit(bump_version)


def bump_version() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, _fresh_version(), None)


def _fresh_version() -> int:
    # Not 1: after the counter was lost (evicted, Redis emptied) no entry stored under an
    # earlier count may match it again.
    return time.time_ns()


def current_version() -> int | None:
    """The public pages' version now (started if the cache had none), or None when the cache
    cannot keep one: what any cache of public content is keyed by, so that the services'
    `public_pages_changed()` retires it with the pages."""
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, _fresh_version(), None)
        version = cache.get(VERSION_KEY)
    return version


def versioned_entry(key: str) -> tuple[int | None, Any]:
    """The public pages' version and what `key` holds under it, in one round trip: (version,
    None) when the entry is missing or of an older version, (None, None) when the cache cannot
    keep a version (then nothing is stored). Every cache of public content reads through it."""
    found = cache.get_many([VERSION_KEY, key])
    version = found.get(VERSION_KEY)
    if version is None:
        return current_version(), None
    entry = found.get(key)
    # A tuple: an entry stored before this format (a dict naming its version) is a miss.
    if isinstance(entry, tuple) and entry[0] == version:
        return version, entry[1]
    return version, None


def store_versioned(key: str, version: int, value: Any, seconds: int) -> None:
    """Keep `value` under `key` for `seconds`, valid while the public pages are at `version`."""
    cache.set(key, (version, value), seconds)


def public_content(name: str, parts: tuple[Hashable, ...], build: Callable[[], T]) -> T:
    """What `build()` returns, from the default cache when the public pages have not changed
    since it was stored in this language; built (then stored) otherwise.

    For content that is the same for every visitor: nothing personal, no CSRF token, no
    message may be in what `build()` returns (render templates without the request). An
    exception (Http404 among them) propagates and nothing is stored. Expires after
    PUBLIC_FRAGMENT_CACHE_SECONDS (0: off); without a cache that keeps the version, built.
    """
    seconds = getattr(settings, "PUBLIC_FRAGMENT_CACHE_SECONDS", 0)
    if not seconds:
        return build()
    raw = "|".join([name, get_language() or "", *(str(part) for part in parts)])
    key = "pagecache:content:" + hashlib.sha256(raw.encode()).hexdigest()
    version, value = versioned_entry(key)
    if version is None:
        return build()
    if value is not None:
        return value
    value = build()
    store_versioned(key, version, value, seconds)
    return value


def _seconds() -> int:
    return getattr(settings, "PUBLIC_PAGE_CACHE_SECONDS", 0)


def _cacheable_request(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        return False
    # Without consuming them: a message waiting for this visitor is shown on this page.
    return not len(messages.get_messages(request))


def normalised_query(query: QueryDict) -> str:
    """The query string with its parameters sorted: the same key for the same question."""
    return urlencode(sorted(query.lists()), doseq=True)


def _key(request: HttpRequest) -> str:
    query = normalised_query(request.GET)
    htmx = "1" if request.headers.get("HX-Request") else "0"
    raw = f"{request.get_host()}|{request.path}|{query}|{get_language()}|{htmx}"
    return "pagecache:page:" + hashlib.sha256(raw.encode()).hexdigest()


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming:
        return False
    if len(messages.get_messages(request)):
        return False
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    if set(response.cookies) - {settings.CSRF_COOKIE_NAME}:
        return False
    cache_control = response.get("Cache-Control", "")
    return "private" not in cache_control and "no-store" not in cache_control


def _freeze(response: HttpResponse) -> bytes:
    content = response.content
    match = _TOKEN_FIELD.search(content)
    if match:
        content = content.replace(match.group(1), PLACEHOLDER)
    return content


def _thaw(request: HttpRequest, entry: dict) -> HttpResponse:
    content = entry["content"]
    if PLACEHOLDER in content:
        # get_token() also has the CSRF middleware set this visitor's cookie on the way out.
        content = content.replace(PLACEHOLDER, get_token(request).encode())
    response = HttpResponse(content)
    for name, value in entry["headers"].items():
        response[name] = value
    return response


def public_page(view):
    """Serve this public GET view from the anonymous page cache (see the module's docstring)."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        seconds = _seconds()
        if not seconds:
            return view(request, *args, **kwargs)
        if not _cacheable_request(request):
            response = view(request, *args, **kwargs)
            response["X-Page-Cache"] = "bypass"
            return response
        key = _key(request)
        version, entry = versioned_entry(key)
        if version is None:
            return view(request, *args, **kwargs)
        if entry is not None:
            response = _thaw(request, entry)
            state = "hit"
        else:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            state = "bypass"
            if _storable(request, response):
                entry = {
                    "content": _freeze(response),
                    "headers": {h: response[h] for h in _KEPT_HEADERS if h in response},
                }
                store_versioned(key, version, entry, seconds)
                state = "miss"
        patch_vary_headers(response, VARY)
        response["X-Page-Cache"] = state
        return response

    return wrapper
