"""Template tags of the reporting app: the reporting block of a city's public profile."""

from __future__ import annotations

import unicodedata

from django import template

from reporting import selectors
from reporting.models import STATUS_STEPS, ReportStatus

register = template.Library()


@register.inclusion_tag("reporting/includes/city_reporting.html")
def city_reporting(city):
    """Published reports (public sections only, newest first) and approved good practices.

    Three queries whatever the number of reports and sections; one for a city that has
    published none (an approved good practice is a section of a published report).
    """
    reports = selectors.published_reports_for_city(city)
    practices = (
        list(selectors.approved_good_practices().filter(report__city=city)[:20]) if reports else []
    )
    return {
        "city": city,
        "latest": reports[0] if reports else None,
        "archive": reports[1:],
        "practices": practices,
    }


@register.filter
def get_item(mapping, key):
    """mapping[key], or None: for dicts keyed by numbers in templates."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def text_dir(text) -> str:
    """ "rtl" or "ltr" by the text's first strong character, as `dir="auto"` decides in a
    browser: WeasyPrint ignores `dir="auto"`, so the PDFs set a city's text direction here."""
    for char in str(text or ""):
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


@register.inclusion_tag("reporting/includes/status_steps.html")
def report_steps(report):
    """The report's steps, each done, current or to come (the city sees where it stands)."""
    status = report.status
    current = ReportStatus.UNDER_EVALUATION if status == ReportStatus.QUESTIONS else status
    index = STATUS_STEPS.index(current)
    steps = []
    for i, step in enumerate(STATUS_STEPS):
        state = "done" if i < index else "current" if i == index else "todo"
        label = step.label
        if state == "current" and status == ReportStatus.QUESTIONS:
            label = ReportStatus.QUESTIONS.label
        steps.append({"label": label, "state": state})
    return {"steps": steps}


@register.inclusion_tag("reporting/includes/chart.html")
def chart(chart_obj, heading_level=3):
    return {"chart": chart_obj, "heading_level": heading_level}
