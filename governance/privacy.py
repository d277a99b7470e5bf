"""What the governance app holds about a person, and what they leave behind when they go.

Called by coalition.privacy (see its docstring for the contract). Ballots, motions, amendments,
comments and applications are the acts of a city or of the committee: they stay,
pointing at the pseudonymised account.
"""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.utils import timezone
from django.utils.translation import gettext as _

from governance import services
from governance.models import (
    AdmissionApplication,
    Amendment,
    Ballot,
    Comment,
    CommitteeOfficer,
    CommitteeSeat,
    LetterUpload,
    Motion,
)


def _iso(value):
    return value.isoformat() if value else None


def _city_of(application: AdmissionApplication) -> str:
    return application.city.name if application.city is not None else application.city_name


def _applications(user):
    return AdmissionApplication.objects.filter(applicant=user).select_related("coalition", "city")


def personal_data(user) -> dict[str, list[dict]]:
    own_addresses = {user.email.lower(), *(e.lower() for e in _emails_of(user))}
    applications = []
    for application in _applications(user).order_by("submitted_at", "pk"):
        entry = {
            "id": application.pk,
            "coalition": application.coalition.short_name,
            "city": _city_of(application),
            "status": application.status,
            "submitted_at": _iso(application.submitted_at),
            "decided_at": _iso(application.decided_at),
            "letter_file_name": application.letter_filename,
        }
        # The contact people named in the form are the person's data only when they are the person.
        if application.contact_email.lower() in own_addresses:
            entry.update(
                contact_name=application.contact_name,
                contact_position=application.contact_position,
                contact_email=application.contact_email,
                contact_phone=application.contact_phone,
            )
        if application.focal_point_email.lower() in own_addresses:
            entry.update(
                focal_point_name=application.focal_point_name,
                focal_point_email=application.focal_point_email,
            )
        applications.append(entry)
    return {
        "committee_seats": [
            {
                "coalition": seat.coalition.short_name,
                "holder": seat.holder_name,
                "kind": seat.kind,
                "starts_on": _iso(seat.starts_on),
                "ends_on": _iso(seat.ends_on),
            }
            for seat in CommitteeSeat.objects.filter(representative=user)
            .select_related("coalition", "city")
            .order_by("starts_on", "pk")
        ],
        "committee_offices": [
            {
                "coalition": officer.coalition.short_name,
                "office": officer.office,
                "city": officer.city.name,
                "starts_on": _iso(officer.starts_on),
                "ends_on": _iso(officer.ends_on),
            }
            for officer in CommitteeOfficer.objects.filter(person=user)
            .select_related("coalition", "city")
            .order_by("starts_on", "pk")
        ],
        "ballots_cast": [
            {
                "vote": ballot.vote.question,
                "city": ballot.city.name,
                "choice": ballot.choice,
                "cast_at": _iso(ballot.cast_at),
                "changed_at": _iso(ballot.changed_at),
            }
            for ballot in Ballot.objects.filter(cast_by=user)
            .select_related("vote", "city")
            .order_by("cast_at", "pk")
        ],
        "comments": [
            {
                "vote": comment.vote.question,
                "written": _iso(comment.created_at),
                "text": comment.body,
            }
            for comment in Comment.objects.filter(author=user)
            .select_related("vote")
            .order_by("created_at", "pk")
        ],
        "applications_filed": applications,
        "motions_submitted": [
            {
                "session": motion.session.title,
                "title": motion.title,
                "on_behalf_of": motion.submitter_label,
                "submitted_at": _iso(motion.submitted_at),
            }
            for motion in Motion.objects.filter(submitted_by=user)
            .select_related("session", "city")
            .order_by("submitted_at", "pk")
        ],
        "amendments_submitted": [
            {
                "motion": amendment.motion.title,
                "city": amendment.city.name,
                "change": amendment.summary,
                "new_text": amendment.new_text,
                "justification": amendment.justification,
                "submitted_at": _iso(amendment.submitted_at),
            }
            for amendment in Amendment.objects.filter(submitted_by=user)
            .select_related("motion", "city")
            .order_by("submitted_at", "pk")
        ],
        "letters_kept_from_unfinished_forms": [
            {"file_name": u.original_name, "size": u.size, "uploaded_at": _iso(u.created_at)}
            for u in LetterUpload.objects.filter(uploaded_by=user).order_by("created_at", "pk")
        ],
    }


def _emails_of(user) -> list[str]:
    return list(EmailAddress.objects.filter(user=user).values_list("email", flat=True))


def _represented_seats(user):
    """Seats the person represents now or from a later date (past terms are history)."""
    return (
        CommitteeSeat.objects.filter(representative=user)
        .exclude(ends_on__lt=timezone.localdate())
        .select_related("coalition", "city")
        .order_by("starts_on", "pk")
    )


def closing_consequences(user) -> list[str]:
    messages = [
        _(
            "%(holder)s's seat on the steering committee of %(coalition)s stays with the city, "
            "without a representative until the bureau names one."
        )
        % {"holder": seat.holder_name, "coalition": seat.coalition.short_name}
        for seat in _represented_seats(user)
    ]
    messages += [
        _(
            "Your application for %(city)s to join %(coalition)s stays with the bureau; "
            "it will write to the contact address given in it."
        )
        % {"city": _city_of(application), "coalition": application.coalition.short_name}
        for application in _applications(user).in_progress().order_by("submitted_at", "pk")
    ]
    return messages


def release_account(*, actor, user) -> None:
    """Leave the seats (they stay the city's) and drop the letters of unfinished forms."""
    for seat in _represented_seats(user):
        services.update_seat(actor=actor, seat=seat, representative=None)
    for upload in LetterUpload.objects.filter(uploaded_by=user):
        upload.file.delete(save=False)
        upload.delete()
