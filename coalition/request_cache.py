"""One request-scoped cache for what a page asks about its person several times.

`request.user` is built afresh for each request (and each test's user object is its own), so
the values live in one dict on that object and vanish with it: a person's roles, committee
seats and coalitions are read once per request, whichever app asks first. `forget(user)`
drops them, for code that changes them and reads them again on the same object.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

_ATTRIBUTE = "_request_cache"


def per_request(user: Any, key: str, compute: Callable[[], T]) -> T:
    """`compute()`'s value for `user` under `key`, computed once per user object."""
    cache: dict[str, Any] | None = getattr(user, _ATTRIBUTE, None)
    if cache is None:
        cache = {}
        setattr(user, _ATTRIBUTE, cache)  # through request.user's SimpleLazyObject too
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def forget(user: Any) -> None:
    """Drop everything cached for this user object."""
    if getattr(user, _ATTRIBUTE, None) is not None:
        setattr(user, _ATTRIBUTE, None)
