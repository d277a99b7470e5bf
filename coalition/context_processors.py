"""The portal-wide template context: its name and the navigation for this person."""

from __future__ import annotations

import functools

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext_lazy as _

from governance.selectors import committee_seat_ids_for, has_applications
from members.admin_rights import has_admin_access
from members.selectors import roles_for


@functools.lru_cache(maxsize=256)
def _reverse(url_name: str, urlconf: str, script_prefix: str) -> str | None:
    """The entry's address, reversed once per process (every page's layout shows them)."""
    try:
        return reverse(url_name, urlconf=urlconf)
    except NoReverseMatch:
        return None


def _link(label, url_name: str, path: str) -> dict | None:
    url = _reverse(url_name, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())
    if url is None:
        return None
    active = path == url if url == "/" else path.startswith(url)
    return {"label": label, "url": url, "active": active}


def navigation_for(user, path: str) -> list[dict]:
    """Main navigation: public entries, then one entry per role the person holds."""
    entries = [
        (_("Home"), "home"),
        (_("Coalitions"), "members:coalition_list"),
        (_("Member cities"), "members:city_list"),
        (_("Good practices"), "reporting:good_practice_list"),
    ]
    signed_in = getattr(user, "is_authenticated", False)
    roles = roles_for(user)  # no roles, and no query, for a visitor
    # Candidate cities look for a way in; so does a coordinator applying for another city.
    # The staff who decide on applications do not apply.
    if not (roles.bureau_of or roles.secretariat_of or roles.is_admin):
        entries.append((_("Join the coalition"), "governance:apply"))
    if signed_in:
        entries.append((_("My dashboard"), "dashboard"))
        if has_applications(user):
            entries.append((_("My applications"), "governance:my_applications"))
        if roles.coordinator_of:
            entries.append((_("Reports"), "reporting:my_reports"))
        if committee_seat_ids_for(user):
            entries.append((_("Committee"), "governance:committee_home"))
        if roles.bureau_of:
            entries.append((_("Bureau"), "governance:bureau_home"))
        if roles.secretariat_of:
            entries.append((_("Evaluation"), "reporting:secretariat_home"))
        elif roles.bureau_of or roles.is_admin:
            # The bureau opens and follows the reporting cycles from the same page.
            entries.append((_("Reporting cycles"), "reporting:secretariat_home"))
        if has_admin_access(user):
            entries.append((_("Administration"), "admin:index"))
    links = [link for label, name in entries if (link := _link(label, name, path))]
    # Nested addresses (/apply/ and /apply/applications/): only the closest entry is current.
    active = [link for link in links if link["active"]]
    for link in active[:-1] if len(active) > 1 else []:
        link["active"] = len(link["url"]) >= max(len(a["url"]) for a in active)
    return links


def portal(request) -> dict:
    return {
        "PORTAL_NAME": settings.PORTAL_NAME,
        "nav_items": navigation_for(getattr(request, "user", None), request.path),
    }
