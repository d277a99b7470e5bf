"""The bureau's audit log: its coalitions' events, filtered, by pages or as a CSV."""

from __future__ import annotations

import csv

from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from coalition.csvcells import neutralise
from governance.audit_filters import AuditLogFilter
from governance.views.decorators import bureau_required

PER_PAGE = 50

#: The CSV's columns. Never the event's `data`: it may hold a report's content meant for
#: the secretariat only, or a person's details (an email address, a reason given).
CSV_HEADER = ["time", "actor", "verb", "object type", "object", "from", "to", "message"]


@bureau_required
def audit_log(request):
    filters = AuditLogFilter(request.GET or None, user=request.user)
    page = Paginator(filters.events(), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "governance/audit_log.html",
        {
            "form": filters.form,
            "page_obj": page,
            "events": page.object_list,
            "page_range": page.paginator.get_elided_page_range(page.number),
        },
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_row(event) -> list:
    content_type = event.content_type
    return [
        neutralise(value)
        for value in (
            timezone.localtime(event.created_at).isoformat(timespec="seconds"),
            event.actor.email if event.actor else "",
            event.verb,
            f"{content_type.app_label}.{content_type.model}",
            event.object_repr,
            event.from_state,
            event.to_state,
            event.message,
        )
    ]


@bureau_required
def audit_log_export(request) -> StreamingHttpResponse:
    filters = AuditLogFilter(request.GET or None, user=request.user)
    writer = csv.writer(_Echo())
    rows = (writer.writerow(_csv_row(event)) for event in filters.events().iterator(2000))
    response = StreamingHttpResponse(
        (line for lines in ([writer.writerow(CSV_HEADER)], rows) for line in lines),
        content_type="text/csv; charset=utf-8",
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="audit-log-{stamp}.csv"'
    return response
