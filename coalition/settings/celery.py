"""Celery (the broker is REDIS_URL's Redis, or tasks run in-process without it), the jobs'
deadlines and retries, and the periodic jobs (beat).
"""

from __future__ import annotations

import environ
from celery.schedules import crontab

from .caching import REDIS_URL

env = environ.Env()

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
# Without a broker, tasks run in-process so the portal works with nothing else installed.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = False
# Nothing reads task results. Publishing a task whose result is kept also subscribes
# to the result on Redis, which retried for 20 s and then raised when Redis was down.
CELERY_TASK_IGNORE_RESULT = True
# Late acknowledgement: a message is removed only once its task has finished, so a
# worker killed mid-task leaves it to be delivered again after the visibility timeout.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TIMEZONE = "UTC"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A request publishes after its commit: with the broker down it must give up within
# about two seconds (the job's row stays queued and the sweep publishes it later).
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # Longer than a task may hold a message (a reserved message waits for the running
    # task, then runs: 2 x CELERY_TASK_TIME_LIMIT), or a slow task would run twice.
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=1800),
    "socket_connect_timeout": 2,
    # Above kombu's 1 s BRPOP wait, so that an idle worker's poll does not time out.
    "socket_timeout": 2,
}
# After a failed publish, skip publishing for this long (coalition/jobs.py).
COALITION_BROKER_RETRY_AFTER = 5
# Jobs (PDFs, emails) are rows first and Celery messages second; the sweeps
# (reporting.tasks.requeue_stuck_pdfs, coalition.tasks.send_due_emails) publish again
# a job queued without a message for this long, and take back one started this long
# ago (longer than CELERY_TASK_TIME_LIMIT: by then its worker is gone).
COALITION_JOB_QUEUED_DEADLINE = env.int("JOB_QUEUED_DEADLINE", default=300)
COALITION_JOB_RUNNING_DEADLINE = env.int("JOB_RUNNING_DEADLINE", default=600)
# A PDF whose render was started this many times without finishing is marked failed.
COALITION_JOB_MAX_ATTEMPTS = 3
# Emails: attempts before one is marked failed, and the first retry's delay (doubling).
COALITION_EMAIL_MAX_ATTEMPTS = 8
COALITION_EMAIL_RETRY_SECONDS = 60
COALITION_EMAIL_KEEP_SENT_DAYS = 30
# Periodic jobs. Every task is idempotent, so a missed or doubled beat does no harm.
CELERY_BEAT_SCHEDULE = {
    "close-due-admission-votes": {
        "task": "governance.tasks.close_due_votes",
        "schedule": crontab(minute="*/5"),
    },
    "send-vote-reminders": {
        "task": "governance.tasks.send_vote_reminders",
        "schedule": crontab(minute=15),
    },
    # Letters of unfinished forms, expired sessions...: see RETENTION_POLICY below.
    "apply-retention-policy": {
        "task": "coalition.tasks.apply_retention_policy",
        "schedule": crontab(minute=45, hour=3),
    },
    "send-report-reminders": {
        "task": "reporting.tasks.send_report_reminders",
        "schedule": crontab(minute=30, hour=6),
    },
    # The sweeps that heal lost messages and dead workers (docs/operations.md).
    "requeue-stuck-pdfs": {
        "task": "reporting.tasks.requeue_stuck_pdfs",
        "schedule": crontab(minute="*/2"),
    },
    "requeue-stuck-convocations": {
        "task": "governance.tasks.requeue_stuck_convocations",
        "schedule": crontab(minute="*/2"),
    },
    "requeue-stuck-declarations": {
        "task": "governance.tasks.requeue_stuck_declarations",
        "schedule": crontab(minute="*/2"),
    },
    "requeue-stuck-minutes": {
        "task": "governance.tasks.requeue_stuck_minutes",
        "schedule": crontab(minute="*/2"),
    },
    "settle-minutes-circulations": {
        "task": "governance.tasks.settle_minutes_circulations",
        "schedule": crontab(minute=5),
    },
    "send-due-emails": {
        "task": "coalition.tasks.send_due_emails",
        "schedule": crontab(minute="*"),
    },
}
