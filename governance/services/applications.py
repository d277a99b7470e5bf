"""Applications to join: submitted, returned, resubmitted, withdrawn (the vote: admission.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition import audit
from coalition.services import model_update
from governance import engine
from governance.models import (
    OPEN_APPLICATION_STATUSES,
    WAITING_FOR_BUREAU,
    AdmissionApplication,
    ApplicationStatus,
    CommitteeVote,
    LetterUpload,
    ProposedAction,
    VoteStatus,
)
from governance.models.admissions import city_name_key
from governance.notifications import notify
from governance.services.application_checks import clear_after_resubmission
from governance.services.common import (
    GovernanceError,
    application_context,
    bureau_emails,
)
from members.models import (
    CURRENT_STATUSES,
    City,
    Coalition,
    Membership,
)


@dataclass
class ApplicationDetails:
    """What an applicant fills in (everything but the letter)."""

    coalition: Coalition
    contact_name: str
    contact_email: str
    focal_point_name: str
    focal_point_email: str
    letter_signed_on: dt.date
    actions: dict[int, list[str]]  # commitment id -> action texts
    city: City | None = None
    city_name: str = ""
    city_local_name: str = ""
    country: str = ""
    region: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    contact_position: str = ""
    contact_phone: str = ""
    extra: dict = field(default_factory=dict)

    APPLICATION_FIELDS = (
        "city",
        "city_name",
        "city_local_name",
        "country",
        "region",
        "latitude",
        "longitude",
        "contact_name",
        "contact_position",
        "contact_email",
        "contact_phone",
        "focal_point_name",
        "focal_point_email",
        "letter_signed_on",
    )


Letter = UploadedFile | LetterUpload


def _check_city(details: ApplicationDetails, *, exclude_pk: int | None = None) -> None:
    coalition = details.coalition
    if details.city is not None:
        if Membership.objects.filter(
            city=details.city, coalition=coalition, status__in=CURRENT_STATUSES
        ).exists():
            raise GovernanceError(
                _("%(city)s is already a member of %(coalition)s.")
                % {"city": details.city.name, "coalition": coalition.short_name},
                field="city",
            )
        others = AdmissionApplication.objects.in_progress().filter(
            city=details.city, coalition=coalition
        )
    else:
        if not (details.city_name.strip() and details.country):
            raise GovernanceError(_("Name the city and its country."))
        if City.objects.filter(
            name__iexact=details.city_name.strip(), country=details.country
        ).exists():
            raise GovernanceError(
                _("%(city)s is already in the directory: choose it from the list of cities.")
                % {"city": details.city_name},
                field="city_name",
            )
        others = AdmissionApplication.objects.in_progress().filter(
            city__isnull=True,
            coalition=coalition,
            country=details.country,
            city_key=city_name_key(details.city_name),
        )
    if exclude_pk:
        others = others.exclude(pk=exclude_pk)
    if others.exists():
        raise _already_in_progress(details)


def _already_in_progress(details: ApplicationDetails) -> GovernanceError:
    """Said to a second applicant for the same city (the check, or the constraint, found it)."""
    city = details.city.name if details.city is not None else details.city_name.strip()
    return GovernanceError(
        _("An application for %(city)s to join %(coalition)s is already in progress.")
        % {"city": city, "coalition": details.coalition.short_name},
        field="city" if details.city is not None else "city_name",
    )


def _save_one_per_city(
    application: AdmissionApplication,
    details: ApplicationDetails,
    *,
    actor=None,
    fields: dict | None = None,
) -> dict:
    """Save a new application (or these `fields` of an existing one), letting the database
    refuse a second application in progress for the city; returns what changed.

    The check in _check_city gives the message early; only the partial unique
    constraints hold when two people submit at the same instant.
    """
    try:
        with transaction.atomic():
            if fields is None:
                application.city_key = (
                    "" if application.city_id else city_name_key(application.city_name)
                )
                application.save()
                return {}
            city_key = "" if fields.get("city") is not None else city_name_key(fields["city_name"])
            return model_update(application, fields={**fields, "city_key": city_key}, actor=actor)
    except IntegrityError as exc:
        raise _already_in_progress(details) from exc


def _commitments_of(details: ApplicationDetails, plan=None):
    """The plan's commitments, checking that each has at least one action.

    A new application signs the plan in force; a resubmitted one keeps the
    version it was made under.
    """
    plan = plan or details.coalition.plan_in_force()
    if plan is None:
        raise GovernanceError(_("This coalition has no plan of action in force yet."))
    commitments = list(plan.commitments.order_by("number"))
    if not commitments:
        raise GovernanceError(_("This coalition's plan of action has no commitments yet."))
    missing = [
        c.number
        for c in commitments
        if not [t for t in details.actions.get(c.pk, []) if t and t.strip()]
    ]
    if missing:
        raise GovernanceError(
            _("Name at least one action under each commitment (missing: %(numbers)s).")
            % {"numbers": ", ".join(str(n) for n in missing)}
        )
    return plan, commitments


def _store_actions(application: AdmissionApplication, commitments, actions) -> None:
    application.proposed_actions.all().delete()
    ProposedAction.objects.bulk_create(
        ProposedAction(application=application, commitment=c, position=i, description=text.strip())
        for c in commitments
        for i, text in enumerate(t for t in actions.get(c.pk, []) if t and t.strip())
    )


def _letter_fields(application: AdmissionApplication, letter: Letter) -> dict:
    """The letter's fields for the application, its file already in private storage."""
    if isinstance(letter, LetterUpload):
        # The file is already in private storage: take it over, drop the holding row.
        LetterUpload.objects.filter(pk=letter.pk).delete()
        return {
            "letter": letter.file.name,
            "letter_filename": letter.original_name,
            "letter_size": letter.size,
        }
    filename = _safe_filename(letter.name)
    field = application.letter.field
    letter.seek(0)
    stored = field.storage.save(
        field.generate_filename(application, filename), letter, max_length=field.max_length
    )
    return {"letter": stored, "letter_filename": filename, "letter_size": letter.size or 0}


def _safe_filename(name: str | None) -> str:
    base = (name or "letter.pdf").replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(ch for ch in base if ch.isprintable() and ch not in '"<>:;|?*')
    return (cleaned or "letter.pdf")[:200]


@transaction.atomic
def keep_letter(*, actor, letter: UploadedFile) -> LetterUpload:
    """Hold a valid letter from a form that failed elsewhere, so it need not be sent again."""
    upload = LetterUpload(
        uploaded_by=actor, original_name=_safe_filename(letter.name), size=letter.size or 0
    )
    letter.seek(0)
    upload.file.save(upload.original_name, letter, save=False)
    upload.save()
    return upload


def purge_stale_letter_uploads(*, older_than: dt.timedelta = dt.timedelta(days=2)) -> int:
    """Delete letters kept for forms that were never completed (files and rows)."""
    stale = LetterUpload.objects.filter(created_at__lt=timezone.now() - older_than)
    count = 0
    for upload in stale:
        upload.file.delete(save=False)
        upload.delete()
        count += 1
    return count


@transaction.atomic
def submit_application(
    *, actor, details: ApplicationDetails, letter: Letter
) -> AdmissionApplication:
    """A signed-in person applies on behalf of a city."""
    _check_city(details)
    plan, commitments = _commitments_of(details)
    application = AdmissionApplication(
        coalition=details.coalition,
        applicant=actor,
        plan=plan,
        status=ApplicationStatus.SUBMITTED,
        **{name: getattr(details, name) for name in ApplicationDetails.APPLICATION_FIELDS},
    )
    if application.city_id:
        for name in ("city_name", "city_local_name", "country", "region"):
            setattr(application, name, "")
        application.latitude = application.longitude = None
    for name, value in _letter_fields(application, letter).items():
        setattr(application, name, value)
    try:
        _save_one_per_city(application, details)
    except GovernanceError:
        if not isinstance(letter, LetterUpload):  # a kept letter's row comes back on rollback
            application.letter.delete(save=False)
        raise
    _store_actions(application, commitments, details.actions)
    audit.record(
        actor=actor,
        target=application,
        verb="application.submitted",
        to_state=application.status,
        data={"letter": application.letter_filename, "plan": plan.pk},
    )
    context = application_context(application)
    notify("application-submitted", to=[actor.email], context=context)
    notify("application-received", to=bureau_emails(application.coalition), context=context)
    return application


def lock_application(application: AdmissionApplication) -> AdmissionApplication:
    return AdmissionApplication.objects.select_for_update().get(pk=application.pk)


def set_application_status(
    application: AdmissionApplication, to_status: str, *, actor, **values: Any
) -> str:
    """Move the (locked) application to `to_status`, writing `values` with it; returns the
    status it had. Its updated_at moves with the change."""
    from_status = application.status
    model_update(application, fields={"status": to_status, **values}, actor=actor)
    return from_status


@transaction.atomic
def return_application(
    *, actor, application: AdmissionApplication, message: str
) -> AdmissionApplication:
    """The bureau asks the applicant for more information."""
    application = lock_application(application)
    if application.status not in WAITING_FOR_BUREAU:
        raise GovernanceError(_("Only an application waiting for the bureau can be returned."))
    if not message.strip():
        raise GovernanceError(_("Say what information is needed."))
    from_status = set_application_status(
        application, ApplicationStatus.RETURNED, actor=actor, bureau_message=message.strip()
    )
    audit.record(
        actor=actor,
        target=application,
        verb="application.returned",
        from_state=from_status,
        to_state=application.status,
        message=application.bureau_message,
    )
    notify(
        "application-returned",
        to=[application.applicant.email],
        context=application_context(application),
    )
    return application


@transaction.atomic
def resubmit_application(
    *,
    actor,
    application: AdmissionApplication,
    details: ApplicationDetails,
    letter: Letter | None = None,
) -> AdmissionApplication:
    """The applicant edits a returned application and sends it back to the bureau."""
    application = lock_application(application)
    if application.applicant_id != actor.pk:
        raise GovernanceError(_("Only the applicant can resubmit this application."))
    if application.status != ApplicationStatus.RETURNED:
        raise GovernanceError(_("Only a returned application can be resubmitted."))
    details.coalition = application.coalition  # the coalition applied to does not change
    _check_city(details, exclude_pk=application.pk)
    _plan, commitments = _commitments_of(details, plan=application.plan)
    fields = {name: getattr(details, name) for name in ApplicationDetails.APPLICATION_FIELDS}
    if letter is not None:
        fields.update(_letter_fields(application, letter))
    before = [(a.commitment_id, a.description) for a in application.proposed_actions.all()]
    _store_actions(application, commitments, details.actions)
    after = [(a.commitment_id, a.description) for a in application.proposed_actions.all()]
    changes = _save_one_per_city(
        application,
        details,
        actor=actor,
        fields={**fields, "status": ApplicationStatus.RESUBMITTED},
    )
    changed = [name for name in ApplicationDetails.APPLICATION_FIELDS if name in changes]
    if letter is not None:
        changed.append("letter")
    if before != after:
        changed.append("actions")
    clear_after_resubmission(actor=actor, application=application, changed=changed)
    audit.record(
        actor=actor,
        target=application,
        verb="application.resubmitted",
        from_state=ApplicationStatus.RETURNED,
        to_state=application.status,
        data={"changed": changed},
    )
    context = application_context(application)
    notify("application-resubmitted", to=[application.applicant.email], context=context)
    notify("application-received", to=bureau_emails(application.coalition), context=context)
    return application


@transaction.atomic
def withdraw_application(
    *, actor, application: AdmissionApplication, reason: str = ""
) -> AdmissionApplication:
    """The applicant withdraws; an open vote on it is cancelled."""
    application = lock_application(application)
    if application.status not in OPEN_APPLICATION_STATUSES:
        raise GovernanceError(_("This application is no longer in progress."))
    for vote in CommitteeVote.objects.select_for_update().filter(
        application=application, status=VoteStatus.OPEN
    ):
        engine.cancel(actor=actor, vote=vote)
    from_status = set_application_status(
        application, ApplicationStatus.WITHDRAWN, actor=actor, decided_at=timezone.now()
    )
    audit.record(
        actor=actor,
        target=application,
        verb="application.withdrawn",
        from_state=from_status,
        to_state=application.status,
        message=reason,
    )
    context = application_context(application)
    notify("application-withdrawn", to=[application.applicant.email], context=context)
    notify("application-withdrawn", to=bureau_emails(application.coalition), context=context)
    return application
