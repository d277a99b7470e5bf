"""The personal dashboard's governance panels."""

from __future__ import annotations

from django.urls import reverse
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from governance import access
from governance.models import (
    AdmissionApplication,
    CommitteeVote,
    ExclusionProposal,
    ProposalStatus,
)
from governance.selectors.applications import applications_of
from governance.selectors.votes import open_votes_for_committee
from governance.selectors_delegates import dashboard_panels as delegate_panels


def dashboard_panels(user) -> list[dict]:
    """Panels for the personal dashboard: {"title", "body", "items": [{"label", "url"}]}."""
    panels: list[dict] = []
    if not getattr(user, "is_authenticated", False):
        return panels
    if access.held_seats(user):
        rows = open_votes_for_committee(user)
        waiting = [r for r in rows if r["waiting_for_me"]]
        panels.append(
            {
                "title": _("Votes waiting for you"),
                "body": (
                    " ".join(
                        (
                            ngettext(
                                "%(n)s vote is open in the steering committee.",
                                "%(n)s votes are open in the steering committee.",
                                len(rows),
                            )
                            % {"n": len(rows)},
                            ngettext(
                                "%(m)s waits for your vote.",
                                "%(m)s wait for your vote.",
                                len(waiting),
                            )
                            % {"m": len(waiting)},
                        )
                    )
                    if rows
                    else _("No vote is open in the steering committee.")
                ),
                "items": [
                    {"label": r["vote"].question, "url": r["vote"].get_absolute_url()}
                    for r in waiting
                ]
                + [{"label": _("Steering committee"), "url": reverse("governance:committee_home")}],
            }
        )
    applications = applications_of(user)
    if applications:
        panels.append(
            {
                "title": _("My applications"),
                "body": "",
                "items": [
                    {
                        "label": _("%(city)s → %(coalition)s: %(status)s")
                        % {
                            "city": a.city_display,
                            "coalition": a.coalition.short_name,
                            "status": a.get_status_display(),
                        },
                        "url": a.get_absolute_url(),
                    }
                    for a in applications[:5]
                ]
                + [
                    {
                        "label": _("All my applications"),
                        "url": reverse("governance:my_applications"),
                    }
                ],
            }
        )
    if access.is_bureau(user):
        ids = access.bureau_coalition_ids(user)

        def scoped(qs):
            return qs if ids is None else qs.filter(coalition_id__in=ids)

        waiting = scoped(AdmissionApplication.objects.waiting_for_bureau()).count()
        open_votes = scoped(CommitteeVote.objects.open()).count()
        awaiting = scoped(
            ExclusionProposal.objects.filter(
                status__in=[ProposalStatus.PROPOSED, ProposalStatus.AWAITING_ASSEMBLY]
            )
        ).count()
        panels.append(
            {
                "title": _("Bureau queue"),
                "body": get_text_list(
                    [
                        ngettext(
                            "%(n)s application waiting for you",
                            "%(n)s applications waiting for you",
                            waiting,
                        )
                        % {"n": waiting},
                        ngettext("%(n)s open vote", "%(n)s open votes", open_votes)
                        % {"n": open_votes},
                        ngettext(
                            "%(n)s exclusion proposal to handle",
                            "%(n)s exclusion proposals to handle",
                            awaiting,
                        )
                        % {"n": awaiting},
                    ],
                    _("and"),
                )
                + ".",
                "items": [
                    {"label": _("Open the bureau's page"), "url": reverse("governance:bureau_home")}
                ],
            }
        )

    return panels + delegate_panels(user)
