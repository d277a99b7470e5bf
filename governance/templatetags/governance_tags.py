"""Template tags of the governance app: the coalition's bodies, labels for audit steps."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from governance.models import Choice
from governance.selectors import city_committee_seats, coalition_committee, coalition_officers
from governance.selectors import readiness_warning as warning_for

register = template.Library()


@register.inclusion_tag("governance/includes/coalition_bodies.html")
def coalition_bodies(coalition) -> dict:
    """The coalition's current steering committee with terms, by kind of seat, and its
    officers (two queries)."""
    return {
        **coalition_committee(coalition),
        "officers": coalition_officers(coalition),
        "elections_slug": coalition.slug,
    }


@register.inclusion_tag("governance/includes/city_seats.html")
def city_seats(city) -> dict:
    """The city's committee seats, current and past, with terms (one query)."""
    return city_committee_seats(city)


EVENT_LABELS = {
    "application.submitted": _("Application submitted"),
    "application.returned": _("Returned: more information requested"),
    "application.resubmitted": _("Application resubmitted"),
    "application.vote_opened": _("Put to the steering committee's vote"),
    "application.admitted": _("Admitted"),
    "application.rejected": _("Not admitted"),
    "application.no_quorum": _("The vote reached no quorum: back to the bureau"),
    "application.withdrawn": pgettext_lazy("application status", "Withdrawn"),
    "vote.opened": _("Vote opened"),
    "vote.cast": _("Vote cast"),
    "vote.changed": _("Vote changed"),
    "vote.commented": _("Comment added"),
    "vote.reminder_sent": _("Reminder sent"),
    "vote.closed": _("Vote closed"),
    "vote.outcome": _("Outcome"),
    "vote.cancelled": _("Vote cancelled"),
    "membership.created": _("Membership created"),
    "membership.status_changed": _("Membership status changed"),
    "exclusion.proposed": _("Exclusion proposed"),
    "exclusion.vote_opened": _("Put to the steering committee's vote"),
    "exclusion.vote_closed": _("Committee vote closed"),
    "exclusion.decided": _("General Conference decision recorded"),
}


@register.filter
def event_label(verb: str) -> str:
    return str(EVENT_LABELS.get(verb, verb))


@register.filter
def vote_label(vote: str) -> str:
    """A named poll's stored vote in the reader's language: "yes" reads "Oui" in French.

    The stored result keeps the choice's value (yes, no, abstain) or the option's own label;
    an option's label is shown as it was stored.
    """
    return str(Choice(vote).label) if vote in Choice.values else vote


@register.filter
def choice_badge(choice: str) -> str:
    return {"yes": "ok", "no": "error", "abstain": "info"}.get(choice, "")


@register.filter
def readiness_warning(readiness) -> str:
    """The bureau's warning about seats nobody can vote for (governance.selectors)."""
    return warning_for(readiness)
