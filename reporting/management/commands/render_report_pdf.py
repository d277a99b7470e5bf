"""Render one city's annual report to a PDF file, synchronously (for operators and checks)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reporting.models import PDFVariant, Report
from reporting.pdfs import render_report_bytes


class Command(BaseCommand):
    help = "Render a city's report for a year to a PDF file, without Celery."

    def add_arguments(self, parser):
        parser.add_argument("--city", required=True, help="the city's slug")
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--output", required=True, help="the PDF file to write")
        parser.add_argument(
            "--coalition", default="", help="coalition short name, if the city reports to several"
        )
        parser.add_argument(
            "--variant",
            default=PDFVariant.FULL,
            choices=PDFVariant.values,
            help="which readers' version (default: full, every section)",
        )

    def handle(self, *args, city, year, output, coalition, variant, **options):
        reports = Report.objects.with_context().filter(city__slug=city, cycle__year=year)
        if coalition:
            reports = reports.filter(cycle__coalition__short_name__iexact=coalition)
        found = list(reports[:2])
        if not found:
            raise CommandError(f"No {year} report for the city {city!r}.")
        if len(found) > 1:
            raise CommandError("The city reports to several coalitions: add --coalition.")
        data = render_report_bytes(found[0], variant)
        path = Path(output)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        self.stdout.write(f"Wrote {path} ({len(data):,} bytes) for {found[0]}.")
