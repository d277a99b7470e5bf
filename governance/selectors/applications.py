"""Admission applications: the applicant's own, their actions and timeline, and the audit the
bureau reads.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, Q, prefetch_related_objects

from coalition.audit import events_for
from coalition.models import AuditEvent
from governance.models import (
    AdmissionApplication,
    CommitteeVote,
    ProposedAction,
)
from members.models import Membership


def has_applications(user) -> bool:
    """Whether the person ever applied for a city (their navigation then lists them)."""
    return AdmissionApplication.objects.filter(applicant=user).exists()


def applications_of(user) -> list[AdmissionApplication]:
    return list(
        AdmissionApplication.objects.filter(applicant=user)
        .for_lists()
        .order_by("-submitted_at", "-pk")
    )


def application_with_actions(application: AdmissionApplication) -> AdmissionApplication:
    """Prefetch what the detail and review pages show (two queries)."""
    prefetch_related_objects(
        [application],
        Prefetch("proposed_actions", queryset=ProposedAction.objects.order_by("position", "id")),
        Prefetch("plan__commitments"),
    )
    return application


#: Steps of an application shown to its applicant (the bureau sees the whole audit log).
TIMELINE_VERBS = (
    "application.submitted",
    "application.returned",
    "application.resubmitted",
    "application.vote_opened",
    "application.admitted",
    "application.rejected",
    "application.no_quorum",
    "application.withdrawn",
)


def application_timeline(application: AdmissionApplication) -> list[AuditEvent]:
    return list(events_for(application).filter(verb__in=TIMELINE_VERBS))


def application_audit(application: AdmissionApplication) -> list[AuditEvent]:
    """Every recorded step of an application, its votes and the membership it created."""

    def of(model, ids):
        ct = ContentType.objects.get_for_model(model)
        return Q(content_type=ct, object_id__in=[str(i) for i in ids])

    vote_ids = list(application.votes.values_list("pk", flat=True))
    condition = of(AdmissionApplication, [application.pk]) | of(CommitteeVote, vote_ids)
    if application.membership_id:
        condition |= of(Membership, [application.membership_id])
    return list(
        AuditEvent.objects.filter(condition).select_related("actor").order_by("created_at", "id")
    )
