"""The caches: Redis when REDIS_URL is set (degrading to local memory while it is down), local
memory otherwise; the public pages' cache time and the template fragments' cache.

What heals how when Redis, a worker or the database fails: docs/operations.md,
"When something breaks".
"""

from __future__ import annotations

import environ

env = environ.Env()

REDIS_URL = env("REDIS_URL", default="")


def redis_cache_settings(url: str) -> dict:
    """The default cache on Redis: short timeouts, and local memory while Redis is down."""
    return {
        "BACKEND": "coalition.cache.DegradingRedisCache",
        "LOCATION": url,
        "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="coalition"),
        "OPTIONS": {
            # A local Redis answers in a millisecond; one that does not within half a
            # second is treated as down for RETRY_AFTER seconds (coalition/cache.py).
            "socket_connect_timeout": 0.5,
            "socket_timeout": 0.5,
            "RETRY_AFTER": 5,
        },
    }


#: How long an anonymous visitor's copy of a public page may be served (coalition/pagecache.py);
#: a change made through the services is visible at once, whatever this says. 0 turns it off.
PUBLIC_PAGE_CACHE_SECONDS = env.int("PUBLIC_PAGE_CACHE_SECONDS", default=600)
#: How long the request-independent content of a public page (a city's profile, the home page's
#: figures: coalition.pagecache.public_content) may be reused, for every visitor; a change made
#: through the services is visible at once here too. 0 turns it off.
PUBLIC_FRAGMENT_CACHE_SECONDS = env.int("PUBLIC_FRAGMENT_CACHE_SECONDS", default=600)
#: How long the open-data API's rendered answers may be reused (members/api/cache.py), for every
#: client; a change made through the services is visible at once here too. 0 turns it off.
PUBLIC_API_CACHE_SECONDS = env.int("PUBLIC_API_CACHE_SECONDS", default=600)

if REDIS_URL:
    CACHES = {"default": redis_cache_settings(REDIS_URL)}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The base layout's parts that are the same for every request in a language (the brand, the
# language list, the footer: translations, URLs and static file names fixed for the process's
# life) are rendered once per process and language ({% cache %} in templates/base.html).
CACHES["template_fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "template-fragments",
}
