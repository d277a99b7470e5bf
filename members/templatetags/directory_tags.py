"""`{% directory_rows cities %}`: the directory table's body, written in one pass.

The directory shows 50 rows, each with its memberships: through the template language that is
about a thousand variable lookups, conditions and loop iterations per page, the greater part
of the page's cost. The rows are plain values already (selectors.DirectoryRow), so this tag
writes the same markup the template wrote, each value escaped as autoescaping would have.
"""

from __future__ import annotations

from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

register = template.Library()


@register.simple_tag
def directory_rows(cities) -> SafeString:
    overdue = escape(gettext("Report overdue"))
    out: list[str] = []
    add = out.append
    for city in cities:
        add(f'<tr>\n<th scope="row"><a href="{escape(city.url)}">{escape(city.name)}</a>')
        if city.local_name:
            add(f' <span class="muted">({escape(city.local_name)})</span>')
        add(
            f"</th>\n<td>{escape(city.country_name)}</td>\n<td>{escape(city.region or '—')}</td>"
            '\n<td>\n<ul class="membership-list">\n'
        )
        for membership in city.memberships:
            add(
                f'<li>\n<a href="{escape(membership.url)}"><abbr title="{escape(membership.name)}">'
                f"{escape(membership.short_name)}</abbr></a>"
            )
            if membership.since:
                add(f' <span class="muted">{escape(membership.since)}</span>')
            if membership.suspended_label:
                label = escape(membership.suspended_label)
                add(f'\n<span class="badge badge--warn">{label}</span>')
            if membership.overdue_title:
                title = escape(membership.overdue_title)
                add(f'\n<span class="badge badge--error" title="{title}">{overdue}</span>')
            add("\n</li>\n")
        add("</ul>\n</td>\n</tr>\n")
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped
