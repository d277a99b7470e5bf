"""Logging: everything to the console (the process manager keeps it), at LOG_LEVEL."""

from __future__ import annotations

import environ

env = environ.Env()

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # WeasyPrint logs every rendering step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # A request for a host name the portal does not serve is a scanner's, answered 400; its
        # traceback at ERROR would bury real errors.
        "django.security.DisallowedHost": {"level": "CRITICAL", "propagate": True},
    },
}
