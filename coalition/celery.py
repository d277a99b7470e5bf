"""Celery wired the standard way: settings under CELERY_, tasks autodiscovered.

Worker: celery -A coalition worker -l info
Beat:   celery -A coalition beat -l info
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coalition.settings.local")

app = Celery("coalition")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="coalition.ping", ignore_result=False)
def ping() -> str:
    """Round trip used by the worker integration test (which reads its result)."""
    return "pong"
