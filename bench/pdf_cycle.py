"""Re-rendering a cycle's report PDFs on a real Celery worker, beside its floor.

    REDIS_URL=redis://127.0.0.1:6379/N DATABASE_URL=postgres://.../NAME \\
        .venv/bin/python bench/pdf_cycle.py [--reports 100] [--concurrency 2]

The issue's figure is for 500 reports (`--reports 500`: 500 x one render / 2, about half an hour
at the 6 to 7 CPU seconds a report of this size took here).
Builds a PostgreSQL database next to DATABASE_URL (`<name>_bench_pdf_cycle`, dropped at the
end), a cycle of that many submitted reports (ten sections of about 400 words each, as a city
writes them), starts `celery worker --pool prefork --concurrency 2` on a queue of its own on
Redis, asks for the cycle's PDFs through the staff's service (`rerender_cycle_pdfs`: one task
per report) and measures from the call to the last PDF marked ready.

Beside it, measured in the same run and in the same way (wall-clock: the worker's time is
wall-clock too): the floor, one report's render (the two PDFs a submitted report has, each
through the portal's selectors, template and WeasyPrint) in this process, median of a sample,
times the number of reports, divided by the number of worker processes. The goal is a ratio of
at most 1.2. Where the rest goes is printed below it: the time the tasks spent rendering as the
rows record it (claim to ready), against the wall-clock time the processes had.

The machine must be otherwise idle for the wall-clock ratio to mean anything: a neighbour on
one of the two cores halves one worker and none of the in-process floor. The CPU lines do not
depend on that: the worker's CPU seconds per report (all its processes, from /proc) against the
in-process render's, and the share of the time both processes were rendering (gaps between
tasks: prefetch, acknowledgements, publishing).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "coalition.settings.test"
MEDIA = Path(tempfile.mkdtemp(prefix="bench-pdf-cycle-"))
os.environ["PRIVATE_MEDIA_ROOT"] = str(MEDIA / "private")
os.environ["MEDIA_ROOT"] = str(MEDIA / "media")

TEXT = (
    "the city council together with civil society partners organised training workshops for "
    "municipal staff and neighbourhood associations measured results against indicators and "
    "published a report on discrimination in housing employment and public services the "
    "anti discrimination office answered complaints within thirty days and referred victims "
    "to legal aid while schools adopted a charter against racist harassment"
)
WORDS = TEXT.split()


def words(n: int, seed: int) -> str:
    """About n words of a city's prose, in sentences of eight to twenty words."""
    out, sentence, i = [], [], 0
    while len(out) + len(sentence) < n:
        sentence.append(WORDS[(seed * 31 + i * 7) % len(WORDS)])
        i += 1
        if len(sentence) >= 8 + (seed + i) % 13:
            out.append(" ".join(sentence).capitalize() + ".")
            sentence = []
    if sentence:
        out.append(" ".join(sentence).capitalize() + ".")
    return " ".join(out)


def setup_database():
    import django
    from django.conf import settings

    db = settings.DATABASES["default"]
    if not db["ENGINE"].endswith("postgresql"):
        sys.exit("bench/pdf_cycle.py needs DATABASE_URL on PostgreSQL (the worker shares it)")
    if not os.environ.get("REDIS_URL"):
        sys.exit("bench/pdf_cycle.py needs REDIS_URL (the broker of the worker it starts)")
    db.setdefault("TEST", {})["NAME"] = f"{db['NAME']}_bench_pdf_cycle"
    django.setup()
    from django.db import connection

    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    return connection, old_name


def make_cycle(n_reports: int):
    """A coalition of n cities, each with a submitted report of ten full sections."""
    from django.utils import timezone

    from members.models import City, Coalition, Commitment, Membership, PlanOfAction
    from reporting.models import Report, ReportingCycle, ReportSection, ReportStatus, Visibility
    from reporting.rubric import ensure_rubric

    ensure_rubric()
    coalition = Coalition.objects.create(
        name="European Coalition of Cities (bench)",
        short_name="BENCH",
        slug="bench",
        kind="regional",
    )
    plan = PlanOfAction.objects.create(
        coalition=coalition, title="Ten-Point Plan of Action", adopted_on=dt.date(2004, 12, 10)
    )
    commitments = Commitment.objects.bulk_create(
        Commitment(plan=plan, number=i, title=f"Commitment number {i} of the plan of action")
        for i in range(1, 11)
    )
    cities = City.objects.bulk_create(
        City(name=f"Bench city {i}", slug=f"bench-city-{i}", country="DE", search_name="bench")
        for i in range(n_reports)
    )
    Membership.objects.bulk_create(
        Membership(city=c, coalition=coalition, status="member") for c in cities
    )
    cycle = ReportingCycle.objects.create(
        coalition=coalition,
        year=2024,
        plan=plan,
        opens_on=dt.date(2025, 1, 1),
        due_on=dt.date(2025, 3, 31),
    )
    now = timezone.now()
    reports = Report.objects.bulk_create(
        Report(cycle=cycle, city=c, status=ReportStatus.SUBMITTED, submitted_at=now) for c in cities
    )
    visibilities = [Visibility.PUBLIC, Visibility.PUBLIC, Visibility.COALITION]
    ReportSection.objects.bulk_create(
        ReportSection(
            report=r,
            commitment=c,
            actions=words(220, r.pk + c.number),
            resources_human=words(20, r.pk * 3 + c.number),
            resources_financial=words(15, r.pk * 5 + c.number),
            partners=words(25, r.pk * 7 + c.number),
            results=words(80, r.pk * 11 + c.number),
            next_steps=words(40, r.pk * 13 + c.number),
            visibility=visibilities[(r.pk + c.number) % 3],
        )
        for r in reports
        for c in commitments
    )
    return cycle, reports


def render_one(report) -> tuple[float, float]:
    """Wall and CPU seconds of the render a worker does for one report: each of its PDFs."""
    from reporting import pdfs
    from reporting.models import Report

    start, cpu = time.perf_counter(), time.process_time()
    fresh = Report.objects.with_context().get(pk=report.pk)
    for variant in pdfs.variants_for(fresh):
        pdfs.render_report_bytes(fresh, variant)
    return time.perf_counter() - start, time.process_time() - cpu


def floor_sample(reports, sample: int) -> list[tuple[float, float]]:
    render_one(reports[-1])  # warm-up: templates, fonts
    step = max(len(reports) // sample, 1)
    return [render_one(r) for r in reports[::step][:sample]]


def cpu_seconds(root: int) -> float:
    """CPU seconds (user + system) of a process and its children, from /proc (Linux)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(entry.name), int(fields[1])
        if pid == root or ppid == root:
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def start_worker(queue: str, concurrency: int, log: Path, settings_dict) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": (
            f"postgres://{settings_dict['USER']}:{settings_dict['PASSWORD']}@"
            f"{settings_dict['HOST'] or '127.0.0.1'}:{settings_dict['PORT'] or 5432}/"
            f"{settings_dict['NAME']}"
        ),
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "coalition",
            "worker",
            "--pool=prefork",
            f"--concurrency={concurrency}",
            "--loglevel=WARNING",
            "-Q",
            queue,
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("a"),
        stderr=subprocess.STDOUT,
    )
    return process


def wait_until_ready(app, queue: str, process: subprocess.Popen, log: Path, timeout=90) -> None:
    """The worker answers a ping once its pool is up (its processes forked and initialised)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"the worker died:\n{log.read_text()[-3000:]}")
        if app.control.ping(timeout=0.5):
            time.sleep(2)  # the pool's processes run worker_process_init after the ping
            return
    sys.exit(f"the worker did not start:\n{log.read_text()[-3000:]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--sample", type=int, default=7, help="reports rendered for the floor")
    args = parser.parse_args()
    # Stopped from outside (timeout, Ctrl-C): still stop the worker and drop the database.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("stopped"))

    connection, old_name = setup_database()
    from django.conf import settings
    from django.db.models import Max, Min

    from coalition import jobs
    from coalition.celery import app
    from reporting import pdfs, services
    from reporting.models import PDFStatus, ReportPDF

    queue = f"bench-pdf-cycle-{os.getpid()}"
    log = MEDIA / "worker.log"
    process = None
    try:
        with services.quietly():
            cycle, reports = make_cycle(args.reports)
        print(f"{args.reports} submitted reports built; measuring the floor...", flush=True)
        before = floor_sample(reports, args.sample)

        app.conf.update(
            broker_url=os.environ["REDIS_URL"], task_always_eager=False, task_default_queue=queue
        )
        jobs.reset_breaker()
        process = start_worker(queue, args.concurrency, log, connection.settings_dict)
        wait_until_ready(app, queue, process, log)

        print("re-rendering the cycle on the worker...", flush=True)
        load = os.getloadavg()[0]
        worker_cpu = cpu_seconds(process.pid)
        started = time.perf_counter()
        asked_at = dt.datetime.now(dt.UTC)
        services.rerender_cycle_pdfs(actor=None, cycle=cycle)
        enqueued = time.perf_counter() - started
        while True:
            progress = pdfs.cycle_render_progress(cycle)
            if progress.finished:
                break
            if process.poll() is not None:
                sys.exit(f"the worker died:\n{log.read_text()[-3000:]}")
            time.sleep(0.2)
        rows = ReportPDF.objects.filter(report__cycle=cycle, language=settings.LANGUAGE_CODE)
        last = rows.aggregate(last=Max("rendered_at"))["last"]
        elapsed = (last - asked_at).total_seconds()
        worker_cpu = cpu_seconds(process.pid) - worker_cpu
        load = max(load, os.getloadavg()[0])
        after = floor_sample(reports, args.sample)
        # Where the time went: what the tasks spent between claiming a report and its last PDF.
        spans = [
            (r["last"] - r["first"]).total_seconds()
            for r in rows.values("report_id").annotate(
                first=Min("started_at"), last=Max("rendered_at")
            )
        ]
        failed = rows.filter(status=PDFStatus.FAILED).count()
        one = statistics.median(wall for wall, _cpu in before + after)
        one_cpu = statistics.median(cpu for _wall, cpu in before + after)
        floor = one * args.reports / args.concurrency
        busy = sum(spans) / (elapsed * args.concurrency)

    finally:
        if process is not None:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        with app.connection_for_write() as conn:
            conn.default_channel.queue_delete(queue)
        connection.creation.destroy_test_db(old_name, verbosity=0)
        shutil.rmtree(MEDIA, ignore_errors=True)

    print()
    print(f"Re-rendering a cycle of {args.reports} reports on {args.concurrency} worker processes")
    print(f"{'load average of the machine during the run (1 min)':58s} {load:8.2f}")
    sampled = len(before + after)
    print(f"{'one report rendered in-process, median of ' + str(sampled):58s} {one:8.3f} s")
    print(
        f"{'  before the cycle / after it (medians)':58s} "
        f"{statistics.median(w for w, _c in before):8.3f} / "
        f"{statistics.median(w for w, _c in after):.3f} s"
    )
    print(f"{'  its CPU time':58s} {one_cpu:8.3f} s")
    print(f"{'floor: one render x reports / processes':58s} {floor:8.2f} s")
    print(f"{'cycle: from the request to the last PDF ready':58s} {elapsed:8.2f} s")
    print(f"{'  of which the request (marking rows, publishing tasks)':58s} {enqueued:8.2f} s")
    print(
        f"{'  a report in the worker (claim to ready), median':58s} "
        f"{statistics.median(spans):8.3f} s"
    )
    print(f"{'  worker processes busy rendering (share of the time)':58s} {busy:8.1%}")
    print(f"{'  failed PDFs':58s} {failed:8d}")
    print(f"{'  worker CPU per report (all its processes)':58s} {worker_cpu / args.reports:8.3f} s")
    print(
        f"{'  ratio of CPU: worker per report / in-process render':58s} "
        f"{worker_cpu / args.reports / one_cpu:8.3f}"
    )
    print(f"{'ratio cycle / floor (goal <= 1.2)':58s} {elapsed / floor:8.3f}")


if __name__ == "__main__":
    main()
