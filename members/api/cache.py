"""The API's cache: each public answer rendered once per version, language and query.

The open-data API shows the same public data to every client, so a rendered JSON answer is kept in
the default cache (Redis in production, this process's memory in `make run`) and served again to
anyone who asks the same thing:

- the key: the endpoint (scheme, host and path: the answer's links are absolute), the query
  parameters sorted, the language and the negotiated media type (`; indent=` changes the bytes);
- the version: each entry names the public pages' version it was rendered under
  (`coalition.pagecache.current_version()`), and an entry of another version is never served.
  The services raise it with `public_pages_changed()` after a change the public sees (a city
  edit, a membership decision, an admission concluded), so the next request renders afresh; with
  no version (no cache to keep one) nothing is cached. The version is read with the entry, in
  one round trip (it is part of the entry, not of the key, for that). Entries expire after
  PUBLIC_API_CACHE_SECONDS (0: no cache);
- only what is the same for everyone: a GET (or HEAD) answered 200 in JSON. The browsable API's
  HTML (which names the signed-in person and embeds a CSRF token), errors and anything else are
  rendered each time;
- after authentication, permissions and throttling (`initial()` runs first): a cached answer is
  throttled like any other.

Answers carry `X-API-Cache: hit|miss` for the benchmark and the operators.
"""

from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import get_language
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from coalition.pagecache import store_versioned, versioned_entry

#: Seconds a rendered answer is kept; 0 turns the cache off (the tests' default).
DEFAULT_SECONDS = 600


def cache_seconds() -> int:
    return getattr(settings, "PUBLIC_API_CACHE_SECONDS", DEFAULT_SECONDS)


def cache_key(request: Any) -> str:
    """The entry's key for this request (a DRF Request, its renderer negotiated)."""
    query = urlencode(sorted(request.query_params.lists()), doseq=True)
    raw = "|".join(
        (
            request.build_absolute_uri(request.path),
            query,
            get_language() or "",
            request.accepted_media_type or "",
        )
    )
    return "apicache:" + hashlib.sha256(raw.encode()).hexdigest()


class PublicCacheMixin:
    """For a read-only viewset whose answers are public: list and retrieve served from the cache.

    The mixin goes before the viewset class; everything but `list` and `retrieve` is untouched.
    """

    def list(self, request, *args, **kwargs):
        return self.cached_answer(super().list, request, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        return self.cached_answer(super().retrieve, request, *args, **kwargs)

    def cached_answer(self, handler, request, *args, **kwargs):
        """`handler`'s answer to the request, from the cache when it may be (a viewset that
        writes its own `list` or `retrieve` wraps it in this)."""
        seconds = cache_seconds()
        if (
            not seconds
            or request.method not in ("GET", "HEAD")
            or not isinstance(request.accepted_renderer, JSONRenderer)
        ):
            return handler(request, *args, **kwargs)
        key = cache_key(request)
        version, entry = versioned_entry(key)
        if version is None:
            return handler(request, *args, **kwargs)
        if entry is not None:
            response = HttpResponse(entry["content"], content_type=entry["content_type"])
            response["X-API-Cache"] = "hit"
            return response
        response = handler(request, *args, **kwargs)
        if isinstance(response, Response) and response.status_code == 200:
            # What finalize_response() would set, so that it renders now, the same bytes.
            response.accepted_renderer = request.accepted_renderer
            response.accepted_media_type = request.accepted_media_type
            response.renderer_context = self.get_renderer_context()
            response.render()
            store_versioned(
                key,
                version,
                {"content": response.content, "content_type": response["Content-Type"]},
                seconds,
            )
            response["X-API-Cache"] = "miss"
        return response
