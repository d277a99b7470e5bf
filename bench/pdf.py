"""PDF rendering benchmark: a full report, the consolidated evaluation, and the portal's overhead.

    .venv/bin/python bench/pdf.py [--repeat 5]

Uses a throwaway SQLite database (/tmp/bench-pdf-<pid>.sqlite3 unless BENCH_DATABASE_URL is
set). Prints, as medians of repeated runs, each figure beside its floor measured in the same run:
  - a full report (ten sections of about 400 words each, evaluation released), beside the
    floor: WeasyPrint rendering the same text (headings and paragraphs) with a plain
    stylesheet; and where the time goes: the same HTML without its chart, without its
    stylesheet, without the logo;
  - the consolidated cycle evaluation for 50 and 500 cities, beside the same HTML with the
    score table laid out one cell per score (its former layout);
  - beside each, the same HTML rendered untagged: what PDF/UA tagging (coalition.pdf) costs;
  - the ratio of the portal's render time (selectors, template, safe URL fetcher,
    WeasyPrint) to WeasyPrint rendering the same HTML directly.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coalition.settings.test")
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", f"sqlite:////tmp/bench-pdf-{os.getpid()}.sqlite3"
)

TEXT = (
    "the city council together with civil society partners organised training workshops for "
    "municipal staff and neighbourhood associations measured results against indicators and "
    "published a report on discrimination in housing employment and public services"
)
WORDS = TEXT.split()


def words(n: int, seed: int) -> str:
    return " ".join(WORDS[(seed + i * 7) % len(WORDS)] for i in range(n)).capitalize() + "."


def median_time(fn, repeat: int) -> float:
    """Median CPU seconds of this process (rendering is single-threaded here and SQLite runs
    in-process): on a shared, loaded machine wall-clock time measures the neighbours too."""
    times = []
    for _ in range(repeat):
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return statistics.median(times)


def plain_text_html(html: str) -> str:
    """The floor: the report's text (headings and paragraphs), a plain stylesheet, no chart."""
    body = html[html.index("<body>") + len("<body>") : html.index("</body>")]
    body = re.sub(r"<svg.*?</svg>", "", body, flags=re.S)
    body = re.sub(r"<(?!/?(h1|h2|h3|p)\b)[^>]+>", "", body)
    body = re.sub(r"<(h1|h2|h3|p)\b[^>]*>", r"<\1>", body)
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        "<style>body { font-family: sans-serif; }</style></head><body>" + body + "</body></html>"
    )


def cells_per_score(html: str) -> str:
    """The consolidated evaluation's score table as it was: one cell per score."""

    def row(match: re.Match) -> str:
        tag, run = match.group(1), match.group(2)
        cells = run.split()
        return "".join(f"<t{tag}>{cell}</t{tag}>" for cell in cells)

    return re.sub(r'<t([dh]) class="run">(.*?)</t[dh]>', row, html)


def setup_database():
    import django

    db = Path(os.environ["DATABASE_URL"].removeprefix("sqlite:///"))
    if db.exists() and os.environ["DATABASE_URL"].startswith("sqlite"):
        db.unlink()
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def make_cycle(n_cities: int, tag: str):
    """A coalition of n cities, a released evaluation for each (bulk, for speed)."""
    from django.utils import timezone

    from members.models import City, Coalition, Commitment, Membership, PlanOfAction
    from reporting.models import (
        Evaluation,
        Report,
        ReportingCycle,
        ReportSection,
        ReportStatus,
        SectionScore,
        Visibility,
    )
    from reporting.rubric import ensure_rubric

    ensure_rubric()
    coalition = Coalition.objects.create(
        name=f"Bench coalition {tag}", short_name=f"B{tag}", slug=f"bench-{tag}", kind="regional"
    )
    plan = PlanOfAction.objects.create(
        coalition=coalition, title="Ten-Point Plan of Action", adopted_on=dt.date(2004, 12, 10)
    )
    commitments = Commitment.objects.bulk_create(
        Commitment(plan=plan, number=i, title=f"Commitment number {i} of the plan")
        for i in range(1, 11)
    )
    cities = City.objects.bulk_create(
        City(name=f"City {tag}-{i}", slug=f"city-{tag}-{i}", country="DE", search_name="x")
        for i in range(n_cities)
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
        Report(cycle=cycle, city=c, status=ReportStatus.RELEASED, released_at=now) for c in cities
    )
    sections = ReportSection.objects.bulk_create(
        ReportSection(
            report=r,
            commitment=c,
            actions=words(400, r.pk + c.number),
            visibility=Visibility.PUBLIC,
        )
        for r in reports
        for c in commitments
    )
    evaluations = Evaluation.objects.bulk_create(
        Evaluation(report=r, overall_assessment=words(80, r.pk)) for r in reports
    )
    by_report = {e.report_id: e for e in evaluations}
    SectionScore.objects.bulk_create(
        SectionScore(
            evaluation=by_report[s.report_id],
            section=s,
            score=(s.pk % 5),
            feedback=words(40, s.pk),
        )
        for s in sections
    )
    return cycle, reports[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    setup_database()

    from weasyprint import HTML

    from coalition.pdf import PDF_BASE_URL, StaticOnlyURLFetcher, render_pdf
    from reporting import pdfs
    from reporting.models import PDFVariant

    cycle50, report = make_cycle(50, "a")
    cycle500, _ = make_cycle(500, "b")
    words_per_section = len(report.sections.first().actions.split())

    portal_report = median_time(
        lambda: pdfs.render_report_bytes(report, PDFVariant.FULL), args.repeat
    )
    html = pdfs.report_html(report, PDFVariant.FULL)
    direct_html = html.replace(f"{PDF_BASE_URL}static/", (ROOT / "static").as_uri() + "/")
    direct_report = median_time(lambda: HTML(string=direct_html).write_pdf(), args.repeat)
    safe_same_html = median_time(lambda: render_pdf(html), args.repeat)

    def untagged(source: str) -> bytes:
        """render_pdf as it was before PDF/UA: the same fetcher, no structure tree."""
        fetcher = StaticOnlyURLFetcher()
        return HTML(string=source, base_url=PDF_BASE_URL, url_fetcher=fetcher).write_pdf()

    plain = plain_text_html(html)
    floor_report = median_time(lambda: HTML(string=plain).write_pdf(), args.repeat)
    no_chart = re.sub(r"<svg.*?</svg>", "", html, flags=re.S)
    no_style = re.sub(r"<style>.*?</style>", "", html, flags=re.S)
    no_logo = re.sub(r"<img[^>]*logo\.svg[^>]*>", "", html)
    results = [
        (f"full report (10 sections x {words_per_section} words)", portal_report),
        ("  floor: the same text, plain stylesheet", floor_report),
        ("  ratio full report / floor (goal <= 1.5)", portal_report / floor_report),
        ("  same HTML, WeasyPrint directly", direct_report),
        ("  same HTML, coalition.pdf.render_pdf only", safe_same_html),
        (
            "  same, untagged (no PDF/UA structure)",
            median_time(lambda: untagged(html), args.repeat),
        ),
        ("  same HTML without the chart", median_time(lambda: render_pdf(no_chart), args.repeat)),
        (
            "  same HTML without the stylesheet",
            median_time(lambda: render_pdf(no_style), args.repeat),
        ),
        ("  same HTML without the logo", median_time(lambda: render_pdf(no_logo), args.repeat)),
    ]
    for label, cycle in (("50", cycle50), ("500", cycle500)):
        portal = median_time(
            lambda c=cycle: render_pdf(pdfs.cycle_html(c)), max(args.repeat // 2, 1)
        )
        chtml = pdfs.cycle_html(cycle)
        direct = median_time(lambda h=chtml: HTML(string=h).write_pdf(), max(args.repeat // 2, 1))
        former = cells_per_score(chtml)
        cells = median_time(lambda h=former: HTML(string=h).write_pdf(), max(args.repeat // 2, 1))
        results.append((f"consolidated evaluation, {label} cities (goal < 5 s at 500)", portal))
        results.append(("  same HTML, WeasyPrint directly", direct))
        results.append(
            (
                "  same, untagged (no PDF/UA structure)",
                median_time(lambda h=chtml: untagged(h), max(args.repeat // 2, 1)),
            )
        )
        results.append(("  same, score table one cell per score (former layout)", cells))
        results.append((f"  ratio portal / direct ({label} cities)", portal / direct))

    print(f"PDF rendering, median of {args.repeat} runs (CPU seconds)")
    for label, value in results:
        print(f"{label:58s} {value:8.3f}")
    print(f"{'ratio portal / direct (full report)':58s} {portal_report / direct_report:8.3f}")
    if os.environ["DATABASE_URL"].startswith("sqlite"):
        Path(os.environ["DATABASE_URL"].removeprefix("sqlite:///")).unlink(missing_ok=True)


if __name__ == "__main__":
    main()
