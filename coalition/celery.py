"""Celery wired the standard way: settings under CELERY_, tasks autodiscovered.

Worker: celery -A coalition worker -l info
Beat:   celery -A coalition beat -l info
"""

import os

from celery import Celery
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coalition.settings.local")

app = Celery("coalition")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="coalition.ping", ignore_result=False)
def ping() -> str:
    """Round trip used by the worker integration test (which reads its result)."""
    return "pong"


@worker_process_init.connect
def _warm_pdf_renderer(**kwargs) -> None:
    """Each pool process draws a tiny PDF before its first task: fontconfig and Pango load
    their font configuration on first use (about 0.05 s of CPU here), which would otherwise
    be the first report's (bench/pdf_cycle.py measures a cycle from the first task on)."""
    from coalition.pdf import warm_up  # noqa: PLC0415 - Django is set up once the process runs

    warm_up()
